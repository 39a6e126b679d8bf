import ArgumentParser
import Capture
import Control
import Detection
import DetectionTraining
import Foundation
import Sensor
import Traces

/// `coinsentry evaluate --model MODEL --label mining|normal [--interval S] [--json] TRACE...`, or with `--capture`,
/// capture files through the sensor's own path with per-host outcomes.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Run traces through the sensor's window engine, model and vote, and count the outcome.",
        discussion: """
            With several traces, counts are summed and latency_s is the median over the traces that were flagged. \
            Each trace starts a fresh vote, as a newly seen host would.

            With --capture, the arguments are pcap or pcapng files, replayed through exactly the path of \
            `coinsentry replay --model` (and of coinsentryd): capture, windows, model, vote. Every local host is \
            labelled --label, except those named with --mining-host. Reported per host: the time observed, the \
            changes to a mining verdict (false alarms on a normal host) and, for a mining host, the latency from its \
            first traffic to its first mining verdict; summed: recall over mining hosts, false alarms per host-hour \
            of normal traffic, median latency.

            With a model that has a class block (`coinsentry train --multiclass`), every trace's windows are also \
            given a traffic class and a per-trace class vote; --class NAME (the traces' true class) adds per-class \
            precision and recall and the confusion matrices, per window and voted. In --json these are under \
            "class": {"windows_by_class": {NAME: COUNT}, "final": [NAME or null per trace], "windows": MATRIX or \
            null, "voted": MATRIX or null}; the key is absent for a binary-only model.

            Examples:
              coinsentry evaluate --model etc/coinsentry/model.json --label mining nypto/mining_1t.dat
              coinsentry evaluate --model model-classes.json --label normal --class youtube --json youtube.dat
              coinsentry evaluate --model etc/coinsentry/model.json --capture --local-net 10.0.0.0/8 \\
                  --label normal --mining-host 10.0.0.5 office.pcap
            """)

    enum Label: String, ExpressibleByArgument, CaseIterable {
        case mining, normal
    }

    @Option(help: "The model file.")
    var model: String

    @Option(help: "The traces' class.")
    var label: Label

    @Option(help: "Seconds per row in the trace files; resampled to the model's interval.")
    var interval: Double = 0.5

    @Flag(help: "Print one JSON object: {\"windows\": COUNTS, \"voted\": COUNTS, \"latency_s\": SECONDS or null}.")
    var json = false

    @Option(name: .customLong("class"),
            help: "The traces' traffic class, with a model that has a class block: adds per-class figures.")
    var trafficClass: String?

    @Flag(help: "The arguments are capture files (pcap, pcapng), replayed through the sensor's path.")
    var capture = false

    @Option(name: .customLong("local-net"), help: "With --capture: a local network in CIDR notation; repeat for several.")
    var localNetworks: [String] = []

    @Option(name: .customLong("mining-host"), help: "With --capture: a local host that mines; repeat for several.")
    var miningHosts: [String] = []

    @OptionGroup var poolEvidence: PoolEvidenceOptions

    @Option(name: .customLong("episode-hold"),
            help: "With --capture: seconds an alert episode stays open without a rule holding (coinsentryd's alerts.episode_hold_seconds).")
    var episodeHold: Double = 1800

    @Option(name: .customLong("evidence"),
            help: ArgumentHelp("With --capture: evidence the verdict may use besides the vote: none, stratum, pool-shape, pool-name or all (as coinsentryd); repeat for several.", valueName: "kind"))
    var evidenceKinds: [String] = ["all"]

    @Option(name: .customLong("strong-vote-windows"),
            help: "With --capture: windows the vote must have counted to support a strong piece (coinsentryd's verdict.strong_vote_windows; 0: a decided vote).")
    var strongVoteWindows = VerdictFusion.Settings().strongVoteWindows

    static let evidenceChoices = ["none"] + [EvidenceKind.stratum, .poolShape, .poolName].map(\.rawValue) + ["all"]

    @Argument(help: "Trace files, or capture files with --capture.")
    var traces: [String]

    func validate() throws {
        guard !traces.isEmpty else { throw ValidationError("name at least one trace (or capture) file") }
        if capture {
            guard !localNetworks.isEmpty else {
                throw ValidationError("--capture needs the local networks: --local-net CIDR (e.g. 10.0.0.0/8)")
            }
            for kind in evidenceKinds where !Self.evidenceChoices.contains(kind) {
                throw ValidationError("--evidence \(kind): choose from \(Self.evidenceChoices.joined(separator: ", "))")
            }
            guard (0...1024).contains(strongVoteWindows) else {
                throw ValidationError("--strong-vote-windows must be from 0 to 1024")
            }
            for host in miningHosts where HostAddress(host) == nil {
                throw ValidationError("--mining-host \(host) is not an IPv4 or IPv6 address")
            }
        } else if !localNetworks.isEmpty || !miningHosts.isEmpty {
            throw ValidationError("--local-net and --mining-host apply to capture files: add --capture")
        }
        if capture, trafficClass != nil {
            throw ValidationError("--class applies to trace files; capture files show each host's class in "
                + "`coinsentry replay --model MODEL --json`")
        }
    }

    struct Output: Encodable {
        var windows: EvaluationCounts
        var voted: EvaluationCounts
        var latency: Double?
        var classes: ClassOutput?

        enum CodingKeys: String, CodingKey {
            case windows, voted
            case latency = "latency_s"
            case classes = "class"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(windows, forKey: .windows)
            try container.encode(voted, forKey: .voted)
            try container.encode(latency, forKey: .latency)
            try container.encodeIfPresent(classes, forKey: .classes)
        }
    }

    /// The class block's outcome over the traces.
    struct ClassOutput: Encodable {
        var windowsByClass: [String: Int]
        var final: [String?]
        var windows: ClassConfusion?
        var voted: ClassConfusion?

        enum CodingKeys: String, CodingKey {
            case windowsByClass = "windows_by_class", final, windows, voted
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(windowsByClass, forKey: .windowsByClass)
            try container.encode(final, forKey: .final)
            try container.encode(windows, forKey: .windows)
            try container.encode(voted, forKey: .voted)
        }
    }

    func run() throws {
        if capture { return try evaluateCaptures() }
        let detection = try DetectionModel.load(model)
        let settings = detection.file.windows
        let isMining = label == .mining
        let actualClass = try classIndex(detection.classifier)
        var windows = EvaluationCounts(), voted = EvaluationCounts()
        var classTotal = detection.classifier.map(ClassEvaluation.init)
        var finalClasses = [String?]()
        var latencies = [Double]()
        for path in traces {
            let trace = try TraceFile.read(path, interval: interval).resampled(to: settings.intervalSeconds)
            let traceWindows = try TraceWindows.extract(rows: trace.rows[...], settings: settings)
            let result = TraceEvaluation.evaluate(traceWindows, model: detection, isMining: isMining)
            windows = windows + result.windows
            voted = voted + result.voted
            if let latency = result.latencySeconds { latencies.append(latency) }
            Progress.line("\(path): \(result.windows.total) windows, first mining verdict at "
                + (result.latencySeconds.map { "\(Int($0)) s" } ?? "never"))
            if let classifier = detection.classifier, let total = classTotal {
                let outcome = ClassEvaluation.evaluate(traceWindows, classifier: classifier, actual: actualClass)
                classTotal = total + outcome
                let final = outcome.finalClass.map { classifier.names[$0.index] }
                finalClasses.append(final)
                Progress.line("\(path): class \(final ?? "undecided")" + (outcome.finalClass.map {
                    " (\(Report.number($0.share, digits: 2)) of the last \($0.windows) windows)"
                } ?? ""))
            }
        }
        latencies.sort()
        let latency: Double? = latencies.isEmpty ? nil : latencies[latencies.count / 2]
        let classOutput = classTotal.map { total in
            ClassOutput(
                windowsByClass: Dictionary(uniqueKeysWithValues: zip(total.windows.classes, total.predictedWindows)),
                final: finalClasses, windows: actualClass == nil ? nil : total.windows,
                voted: actualClass == nil ? nil : total.voted)
        }
        if json {
            print(try Report.json(Output(windows: windows, voted: voted, latency: latency, classes: classOutput)))
            return
        }
        print("model \(detection.file.id), \(traces.count) trace(s) labelled \(label.rawValue)")
        print("windows: \(Report.rates(windows))")
        print("voted:   \(Report.rates(voted))")
        print("latency: \(latency.map { "\(Report.number($0, digits: 0)) s" } ?? "no mining verdict")")
        guard let classOutput else { return }
        print("window classes: " + classOutput.windowsByClass.filter { $0.value > 0 }.sorted { $0.value > $1.value }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if let classWindows = classOutput.windows, let classVoted = classOutput.voted {
            print("")
            print(ClassReport.summary(windows: classWindows, voted: classVoted))
        }
    }

    /// The index of `--class` in the model's class block.
    private func classIndex(_ classifier: MultiClassModel?) throws -> Int? {
        guard let trafficClass else { return nil }
        guard let classifier else {
            throw ValidationError("--class \(trafficClass): the model \(model) has no class block; train one with "
                + "`coinsentry train --multiclass`")
        }
        guard let index = classifier.names.firstIndex(of: trafficClass) else {
            throw ValidationError("--class \(trafficClass): not a class of \(model); its classes are "
                + classifier.names.joined(separator: ", "))
        }
        return index
    }

    private func evaluateCaptures() throws {
        let detection = try DetectionModel.load(model)
        let networks = try localNetworks.map { try IPNetwork($0) }
        let miners = Set(miningHosts.compactMap(HostAddress.init))
        var evaluation = CaptureEvaluation(episodeHoldSeconds: episodeHold)
        for path in traces {
            var configuration = CaptureConfiguration(source: .file(path), localNetworks: networks)
            configuration.interval = detection.file.windows.intervalSeconds
            configuration.maxHosts = 1 << 16
            let shapeModel = try poolEvidence.apply(to: &configuration)
            var verdict = VerdictFusion.Settings()
            verdict.strongVoteWindows = strongVoteWindows
            let pipeline = try SensorPipeline(model: detection, maximumHosts: configuration.maxHosts,
                                              fusion: VerdictFusion(settings: verdict), poolModel: shapeModel)
            let kinds: Set<EvidenceKind>? = evidenceKinds.contains("all")
                ? nil : Set(evidenceKinds.compactMap(EvidenceKind.init(rawValue:)))
            let progress = ProgressLine(label: path)
            let result = try OfflineReplay(configuration: configuration, pipeline: pipeline, evidenceKinds: kinds)
                .run { progress.update("\($0.packets) packets") }
            progress.finish()
            if let warning = result.endError { Progress.line("\(path): \(warning.message); counts cover the packets before it") }
            evaluation.add(capture: path, result: result) { host in miners.contains(host) || label == .mining }
        }
        if json {
            print(try Report.json(evaluation))
            return
        }
        let rows = evaluation.hosts.map { outcome in
            [outcome.capture, outcome.host, outcome.label, Report.number(outcome.observedSeconds, digits: 0),
             "\(outcome.alarms)", "\(outcome.suspectAlarms)",
             outcome.latencySeconds.map { Report.number($0, digits: 0) } ?? "-",
             outcome.suspectLatencySeconds.map { Report.number($0, digits: 0) } ?? "-"]
        }
        print(TextTable.render(header: ["capture", "host", "label", "observed s", "mining alerts", "suspect alerts",
                                        "to mining s", "to any s"], rows: rows))
        let summary = evaluation.summary
        print("evidence used besides the vote: \(evidenceKinds.joined(separator: ", ")); episodes held "
              + "\(Report.number(episodeHold, digits: 0)) s")
        for (name, level) in [("mining", summary.mining), ("suspect or mining", summary.suspect)] {
            print("\(name): mining hosts \(level.detected) of \(summary.miningHosts) (recall "
                + "\(Report.number(level.recall))), time to verdict median "
                + (level.medianLatencySeconds.map { "\(Report.number($0, digits: 0)) s" } ?? "n/a") + ", worst "
                + (level.worstLatencySeconds.map { "\(Report.number($0, digits: 0)) s" } ?? "n/a"))
        }
        for (name, level) in [("mining", summary.mining), ("suspect", summary.suspect)] {
            print("\(name) alerts on normal hosts: \(level.normalHostsAlarmed) of \(summary.normalHosts) hosts, "
                + "\(level.falseAlarms) alert(s) over \(Report.number(summary.normalHostHours, digits: 2)) host-hours "
                + "(\(Report.number(level.falseAlarmsPerHostHour, digits: 3)) per host-hour)")
        }
    }
}
