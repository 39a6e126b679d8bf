import Alerting
import Appliance
import Capture
import Control
import FleetFiles
import Foundation
import Logging
import Sensor
import Testing

/// The sensor's control commands in-process: every command routed, typed replies over a real engine and store.
@Suite struct SensorControlTests {
    struct NoReload: Error, CustomStringConvertible {
        var description: String { "model.path: /nonexistent.json: no such file" }
    }

    static let peer = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())

    static func router() throws -> (ControlRouter<SensorCommand>, SensorEngine) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-control-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try router(stateDirectory: directory)
    }

    /// A router over a fresh engine and the store and label file in `stateDirectory`, as coinsentryd starts them.
    static func router(stateDirectory directory: String) throws -> (ControlRouter<SensorCommand>, SensorEngine) {
        let engine = try SensorEngineInlineTests.engine("", SensorEngineInlineTests.Outputs())
        let store = try AlertStore(directory: directory)
        let labels = OperatorLabels(saved: try SensorState.load(from: store).labels, store: store,
                                    file: HostLabelFile.path(inStateDirectory: directory))
        #expect(labels.writeFile() == nil)
        let commands = ControlCommands(engine: engine, logger: Logger(label: "test"),
                                       reload: { _ in .failure(NoReload()) },
                                       alerts: AlertPipeline(store: store, sinks: []), labels: labels)
        return (commands.router, engine)
    }

    static func send<Request: ControlRequest>(_ request: Request, to router: ControlRouter<SensorCommand>)
        async throws -> JSONValue {
        await router.respond(to: Data(try ControlClient.encode(request).line.utf8), peer: peer)
    }

    @Test func everyCommandIsRoutedAndAStratumHostReadsBackTyped() async throws {
        let (router, engine) = try Self.router()
        #expect(router.unrouted.isEmpty)
        engine.add(SensorEngineInlineTests.stratum(HostAddress("10.0.0.5")!, interval: 100),
                   from: SensorEngineInlineTests.source)
        let status = try await Self.send(SensorRequest.Status(), to: router).decoded(as: SensorStatus.self)
        #expect(status.miningHosts == 1 && status.hosts == 1 && !status.paused)
        let hosts = try await Self.send(SensorRequest.Hosts(level: "mining"), to: router).decoded(as: HostList.self)
        #expect(hosts.hosts.map(\.host) == ["10.0.0.5"])
        #expect(hosts.hosts.first?.rule == "stratum")
        let detail = try await Self.send(SensorRequest.Host(host: "10.0.0.5"), to: router)
            .decoded(as: HostDetail.self)
        #expect(detail.evidence.first?.kind == "stratum")
        #expect(detail.rules.contains { $0.rule == "stratum" && $0.holds })
        #expect(detail.seriesSpan == 3600, "an hour unless asked")
        let day = try await Self.send(SensorRequest.Host(host: "10.0.0.5", span: 86_400), to: router)
            .decoded(as: HostDetail.self)
        #expect(day.seriesSpan == 86_400)
        #expect(TrafficSeries.Resolution.all.last?.seconds == Double(SensorRequest.Host.spans.upperBound),
                "the longest span a request may ask for is the one the coarsest archive keeps")
        for span in [59, 86_401] {
            let refused = try await Self.send(SensorRequest.Host(host: "10.0.0.5", span: span), to: router)
            #expect(refused["error"]?.string == "span is the series' length in seconds, from 60 to 86400 (a day), "
                    + "not \(span)")
        }
        let paused = try await Self.send(SensorRequest.Pause(), to: router).decoded(as: PauseState.self)
        #expect(paused.paused && engine.snapshot().paused)
    }

    @Test func refusalsSayWhatToDo() async throws {
        let (router, _) = try Self.router()
        let level = try await Self.send(SensorRequest.Hosts(level: "bad"), to: router)
        #expect(level["error"]?.string == "\"level\" is mining, suspect or none, not bad")
        let missing = try await Self.send(SensorRequest.Acknowledge(id: 404), to: router)
        #expect(missing["error"]?.string == "there is no alert 404")
        let reload = try await Self.send(SensorRequest.Reload(), to: router)
        #expect(reload["error"]?.string?.contains("the running configuration and models stay") == true)
        #expect(reload["error"]?.string?.contains("model.path") == true)
        let benign = try await Self.send(SensorRequest.Benign(target: "not-an-address", reason: "x"), to: router)
        #expect(benign["ok"]?.bool == false)
        let since = try await Self.send(SensorRequest.Alerts(since: .text("yesterday")), to: router)
        #expect(since["error"]?.string == "\"since\" is seconds since 1970 or an RFC 3339 time")
    }
}
