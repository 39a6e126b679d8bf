import BitcoinData
import Capture
import ChainAnalysis
import ChainSidecar
import ChainTestSupport
import Control
import DaemonSupport
import Foundation
import Logging
import Randomness
import Sensor
import Testing
import TestSupport
import Traces
import Web

/// coinsentry-web over a real sensor engine behind a real control socket, with the chain sidecar not running:
/// HTTP requests with curl, and the console's pages rendered by headless Chromium.
@Suite(.serialized, .timeLimit(.minutes(3))) struct WebConsoleTests {
    static let unavailable: String? = Shell.which("curl") == nil ? "curl is not installed (scripts/setup installs it)" : nil
    static let token = "console-test-token"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A running console: its port and a cookie jar, over a sensor with one stratum host.
    struct Console {
        var port: Int
        var jar: String
        var stop: @Sendable () async -> Void
    }

    /// - Parameter chain: a sidecar to serve on the console's chain socket; none: the sidecar is not running.
    static func withConsole(chain: ChainSidecar? = nil, requestTimeout: Duration = WebConsole.requestTimeout,
                            _ body: (Console) async throws -> Void) async throws {
        let (router, engine) = try SensorControlTests.router()
        engine.add(SensorEngineInlineTests.stratum(HostAddress("10.0.0.5")!, interval: 100),
                   from: SensorEngineInlineTests.source)
        // 240 intervals of its traffic, for the host's series.
        let traffic = IntervalCounters(bytesReceived: 1000, bytesSent: 200, packetsReceived: 2, packetsSent: 1)
        let events = (Int64(120)..<Int64(360)).map {
            CaptureEvent.host(HostInterval(host: HostAddress("10.0.0.5")!, index: $0, counters: traffic))
        }
        engine.handle(CaptureBatch(events: events), from: SensorEngineInlineTests.source, statistics: CaptureStatistics())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-web-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/control.sock"
        let control = try ControlServer(path: socket, router: router)
        let serving = Task { try await control.run() }
        defer { serving.cancel() }
        let chainServing = try chain.map { sidecar in
            let server = try sidecar.controlServer(path: "\(directory)/chain.sock")
            return Task { try await server.run() }
        }
        defer { chainServing?.cancel() }
        let tokenFile = "\(directory)/web.token"
        try "\(token)\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o600)
        let port = Int(try unusedTCPPort())
        let settings = WebSettings(
            listen: ListenSettings(host: "127.0.0.1", port: port, tokenFile: tokenFile),
            assets: repository.appendingPathComponent("web").path, sensorSocket: socket,
            chainSocket: "\(directory)/chain.sock")
        let console = try WebConsole(settings: settings)
        let (listening, ready) = AsyncStream<Void>.makeStream()
        // Quiet: cancelling the server at the end makes Hummingbird log each open connection's cancellation.
        let quiet = Logger(label: "web-test") { _ in SwiftLogNoOpLogHandler() }
        let app = try console.application(logger: quiet, requestTimeout: requestTimeout) { _ in ready.yield() }
        let web = Task { try await app.run() }
        defer { web.cancel() }
        for await _ in listening { break }
        try await body(Console(port: port, jar: "\(directory)/cookies", stop: { web.cancel() }))
    }

    struct Fetched {
        var status: Int
        var headers: String
        var body: String
        var json: JSONValue? { try? JSONValue.parse(Data(body.utf8)) }
    }

    /// One request with curl: status, response headers and body.
    static func fetch(_ console: Console, _ path: String, method: String = "GET", body: String? = nil,
                      headers: [String] = [], cookies: Bool = false) async throws -> Fetched {
        var arguments = ["curl", "-s", "--path-as-is", "-D", "-", "-X", method, "-w", "\n%{http_code}",
                         "http://127.0.0.1:\(console.port)\(path)"]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        if cookies { arguments += ["-b", console.jar, "-c", console.jar] }
        let command = arguments
        let output = try await offThePool { try Shell.run(command) }
        let status = Int(output.split(separator: "\n").last ?? "") ?? 0
        let text = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(separator: "\n")
        let parts = text.components(separatedBy: "\r\n\r\n")
        return Fetched(status: status, headers: parts.first ?? "", body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func theAPIServesTheSensorsTypesAndSaysWhenADaemonIsNotRunning() async throws {
        try await Self.withConsole { console in
            let status = try await Self.fetch(console, "/api/v1/sensor/status")
            #expect(status.status == 200)
            #expect(status.json?["mining_hosts"]?.number == 1)
            let hosts = try await Self.fetch(console, "/api/v1/sensor/hosts?level=mining&sort=score")
            #expect(hosts.json?["total"]?.number == 1)
            #expect(hosts.json?["hosts"]?.array?.first?["host"]?.string == "10.0.0.5")
            #expect(hosts.json?["hosts"]?.array?.first?["rule"]?.string == "stratum")
            let detail = try await Self.fetch(console, "/api/v1/sensor/hosts/10.0.0.5")
            #expect(detail.json?["evidence"]?.array?.first?["kind"]?.string == "stratum")
            let series = detail.json?["series"]?.array ?? []
            let starts = series.compactMap { $0["start"]?.number }
            #expect(series.count >= 2 && series.allSatisfy { $0["seconds"]?.number == 60 }, "minutes: \(series)")
            #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == 60 }, "consecutive minutes: \(starts)")
            #expect(series.compactMap { $0["bytes_received"]?.number }.reduce(0, +) == 240_000, "every interval counted")
            #expect(detail.json?["series_span"]?.number == 3600, "an hour unless asked")
            // A chosen span: by minute up to an hour (the latest minutes only), by ten minutes up to six hours.
            let lastMinutes = try await Self.fetch(console, "/api/v1/sensor/hosts/10.0.0.5?span=120")
            let minutes = lastMinutes.json?["series"]?.array ?? []
            #expect(minutes.count == 2 && minutes.compactMap { $0["start"]?.number } == Array(starts.suffix(2)),
                    "the two latest minutes: \(minutes)")
            #expect(lastMinutes.json?["series_span"]?.number == 120)
            let sixHours = try await Self.fetch(console, "/api/v1/sensor/hosts/10.0.0.5?span=21600")
            let coarse = sixHours.json?["series"]?.array ?? []
            #expect(!coarse.isEmpty && coarse.allSatisfy { $0["seconds"]?.number == 600 }, "ten minutes: \(coarse)")
            #expect(coarse.compactMap { $0["bytes_received"]?.number }.reduce(0, +) == 240_000, "the same traffic")
            let day = try await Self.fetch(console, "/api/v1/sensor/hosts/10.0.0.5?span=86400")
            #expect(day.json?["series"]?.array?.allSatisfy { $0["seconds"]?.number == 3600 } == true, "by hour")
            for bad in ["soon", "6h", "59", "172800", "3600.5"] {
                let refused = try await Self.fetch(console, "/api/v1/sensor/hosts/10.0.0.5?span=\(bad)")
                #expect(refused.status == 400 && refused.json?["detail"]?.string?.contains("from 60 to 86400") == true,
                        "span=\(bad): \(refused.body)")
            }
            let unknown = try await Self.fetch(console, "/api/v1/sensor/hosts/10.9.9.9")
            #expect(unknown.status == 404, "a host that is not tracked is not found")
            #expect(unknown.json?["detail"]?.string?.contains("not tracked") == true)
            let badQuery = try await Self.fetch(console, "/api/v1/sensor/hosts?limit=0")
            #expect(badQuery.status == 400 && badQuery.json?["detail"]?.string?.hasPrefix("limit is") == true)
            let chain = try await Self.fetch(console, "/api/v1/chain/status")
            #expect(chain.status == 503)
            #expect(chain.json?["running"]?.bool == false)
            #expect(chain.json?["detail"]?.string?.hasPrefix("coinsentry-chaind is not running") == true)
            let overview = try await Self.fetch(console, "/api/v1/overview")
            #expect(overview.json?["sensor"]?["running"]?.bool == true)
            #expect(overview.json?["chain"]?["running"]?.bool == false)
            let groups = try await Self.fetch(console, "/api/v1/sensor/alerts?group=host-rule")
            #expect(groups.status == 200 && groups.json?["groups"] != nil)
            let noRoute = try await Self.fetch(console, "/api/v1/sensor/nothing")
            #expect(noRoute.status == 404 && noRoute.headers.lowercased().contains("application/problem+json"))
            #expect(noRoute.json?["detail"]?.string?.contains("no such route") == true)
            // Kriptosare's routes: its envelope, HTTP 200 with error 1 on a miss (the sidecar is not running here).
            let classes = try await Self.fetch(console, "/list_classes")
            #expect(classes.status == 200)
            #expect(classes.json?["custom_properties"]?["result"]?.array?.compactMap(\.string)
                    == ["exchange", "gambling", "market", "miner", "mixer", "service"])
            #expect(classes.json?["custom_properties"]?["error"]?.number == 0)
            let search = try await Self.fetch(console, "/search_address", method: "POST",
                                              body: #"{"address": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}"#)
            #expect(search.status == 200, "a query by POST is a read: no token needed on loopback")
            #expect(search.json?["custom_properties"]?["error"]?.number == 1)
            #expect(search.json?["key"]?.string == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
            #expect(search.json?["custom_properties"]?["message"]?.string?.contains("coinsentry-chaind is not running") == true)
            for field in ["uuid", "version", "key_type", "tag", "contributor", "tag_optional"] {
                #expect(search.json?[field] != nil, "the envelope has \(field)")
            }
            let openAPI = try await Self.fetch(console, "/api/v1/openapi.json")
            #expect(openAPI.json?["openapi"]?.string == "3.1.0")
        }
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func changesNeedTheTokenOrASessionWithTheConsolesHeader() async throws {
        try await Self.withConsole { console in
            let anonymous = try await Self.fetch(console, "/api/v1/sensor/pause", method: "POST")
            #expect(anonymous.status == 401)
            let wrong = try await Self.fetch(console, "/api/v1/sensor/pause", method: "POST",
                                             headers: ["Authorization: Bearer nope"])
            #expect(wrong.status == 401)
            let bearer = try await Self.fetch(console, "/api/v1/sensor/pause", method: "POST",
                                              headers: ["Authorization: Bearer \(Self.token)"])
            #expect(bearer.status == 200 && bearer.json?["paused"]?.bool == true)
            let refused = try await Self.fetch(console, "/api/v1/sensor/alerts/404/ack", method: "POST",
                                               headers: ["Authorization: Bearer \(Self.token)"])
            #expect(refused.status == 404 && refused.json?["detail"]?.string == "there is no alert 404")
            // A page's session: the token once, then the cookie; a change also needs the console's header.
            let badLogin = try await Self.fetch(console, "/api/v1/session", method: "POST", body: #"{"token":"x"}"#,
                                                cookies: true)
            #expect(badLogin.status == 401)
            let login = try await Self.fetch(console, "/api/v1/session", method: "POST",
                                             body: #"{"token":"\#(Self.token)"}"#, cookies: true)
            #expect(login.status == 200)
            #expect(login.headers.lowercased().contains("set-cookie: coinsentry_session="))
            #expect(login.headers.contains("HttpOnly") && login.headers.contains("SameSite=Strict"))
            let forged = try await Self.fetch(console, "/api/v1/sensor/resume", method: "POST", cookies: true)
            #expect(forged.status == 403, "a session alone, without the console's header, changes nothing")
            let resumed = try await Self.fetch(console, "/api/v1/sensor/resume", method: "POST",
                                               headers: ["X-CoinSentry-Request: console"], cookies: true)
            #expect(resumed.status == 200 && resumed.json?["paused"]?.bool == false)
            let session = try await Self.fetch(console, "/api/v1/session", cookies: true)
            #expect(session.json?["authenticated"]?.bool == true)
        }
    }

    @Test(.enabled(if: unavailable == nil, Comment(rawValue: unavailable ?? "")))
    func headersLimitsAndNoFileOutsideTheConsolesFolders() async throws {
        try await Self.withConsole { console in
            let page = try await Self.fetch(console, "/")
            #expect(page.status == 200 && page.body.contains("<title>Sensor"))
            for response in [page, try await Self.fetch(console, "/api/v1/sensor/pause", method: "POST"),
                             try await Self.fetch(console, "/nothing-here")] {
                #expect(response.headers.lowercased().contains("content-security-policy: default-src 'self'"),
                        "every response carries the policy: \(response.headers)")
                #expect(response.headers.lowercased().contains("x-frame-options: deny"))
                #expect(response.headers.lowercased().contains("x-content-type-options: nosniff"))
            }
            for path in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/vendor/../../../etc/passwd",
                         "/vendor/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/js/..%2f..%2f..%2fetc/passwd"] {
                let escaped = try await Self.fetch(console, path)
                #expect(!escaped.body.contains("root:"), "\(path) must not reach /etc/passwd")
                #expect(escaped.status != 200, "\(path)")
            }
            let flood = String(repeating: "a", count: WebContext.maximumBodyBytes + 1000)
            let large = try await Self.fetch(console, "/api/v1/session", method: "POST",
                                             body: #"{"token":"\#(flood)"}"#)
            #expect(large.status == 413)
            // Every page's scripts are files of its own: no inline script for the policy to refuse.
            for name in ["index", "host", "alerts", "chain", "testbed", "login"] {
                let html = try String(contentsOf: Self.repository.appendingPathComponent("web/\(name).html"),
                                      encoding: .utf8)
                #expect(!html.contains("<script>") && !html.contains("onclick=") && !html.contains("style=\""),
                        "\(name).html")
            }
        }
    }

    static let chromium: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Shell.which).first

    /// Where the browser tests leave a screenshot of every page they render (CI keeps the folder as an artefact).
    static let screenshots = EndToEndTests.root.appendingPathComponent(".build/artifacts/screenshots")

    /// The page as a real browser renders it, scripts run (up to ten seconds of the page's time). A message the page
    /// writes to the browser's console (an uncaught exception, a refused script or style, a `console` call) is a
    /// test failure; a screenshot goes to ``screenshots``.
    static func rendered(_ console: Console, _ path: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String {
        let browser = try #require(chromium)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("cs-chromium-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let name = String(path.dropFirst().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(80))
        let screenshot = screenshots.appendingPathComponent("\(name.isEmpty ? "index" : name).png").path
        let arguments = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--user-data-dir=\(profile)", "--virtual-time-budget=10000", "--enable-logging=stderr",
                         "--v=0", "--window-size=1280,1600", "--screenshot=\(screenshot)", "--dump-dom",
                         "http://127.0.0.1:\(console.port)\(path)"]
        // Chromium's own messages (and the page's console, as INFO:CONSOLE lines) go to the same pipe as the page.
        let output = try await offThePool {
            let process = try Shell.start(arguments)
            defer { process.waitUntilExit() }
            return String(decoding: process.standardOutputData(), as: UTF8.self)
        }
        let messages = output.split(separator: "\n").filter { $0.contains(":INFO:CONSOLE") }
        #expect(messages.isEmpty, "the page \(path) wrote to the console: \(messages.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        return output
    }

    /// Runs a blocking command on a thread of its own: on two cores the cooperative pool has two threads, and the
    /// console and the control server need them while the command waits.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test(.enabled(if: unavailable == nil && chromium != nil,
                   Comment(rawValue: unavailable ?? "chromium is not installed (scripts/setup installs Debian's)")))
    func pagesRenderInARealBrowser() async throws {
        try await Self.withConsole { console in
            let sensor = try await Self.rendered(console, "/")
            #expect(sensor.contains("/host.html?host=10.0.0.5"), "the hosts table is filled by the page's script")
            #expect(sensor.contains("stratum"))
            #expect(sensor.contains("coinsentry-chaind is not running"), "the chain card says so")
            #expect(!sensor.contains("<tbody></tbody>"), "every table (capture, hosts, alert groups) is filled by the script")
            let alerts = try await Self.rendered(console, "/alerts.html")
            #expect(alerts.contains("No alert matches."), "the alerts table is filled (with none) by the script")
            #expect(alerts.contains("<canvas id=\"alert-counts\""), "the count chart's canvas is there")
            let host = try await Self.rendered(console, "/host.html?host=10.0.0.5")
            #expect(host.contains("Host 10.0.0.5"))
            #expect(host.contains("stratum"))
            #expect(host.contains("Traffic (UTC), 4 buckets"), "four minutes of traffic in the last hour")
            let sixHours = try await Self.rendered(console, "/host.html?host=10.0.0.5&span=21600")
            #expect(sixHours.contains("Traffic (UTC), 1 bucket"), "the same traffic in one ten-minute bucket")
            let chain = try await Self.rendered(console, "/chain.html")
            #expect(chain.contains("coinsentry-chaind is not running"))
            let testbed = try await Self.rendered(console, "/testbed.html")
            #expect(testbed.contains("coinsentry-chaind is not running"))
            #expect(testbed.contains("href=\"/testbed.html\""), "the navigation bar links the testbed")
        }
    }

    /// A behaviour model over `exchange`, `mixer` and `wallet` fitted on made-up feature vectors: enough for pages to
    /// show every class's confidence (what the classes mean is not under test here).
    static func toyModel(at path: String) throws {
        var generator = SplitMix64(seed: 3)
        let classes = ["exchange", "mixer", "wallet"]
        let examples = (0..<90).map { index in
            let label = index % classes.count
            let features = AddressFeatures.names.indices.map { column in
                (column % classes.count == label ? 2.0 : 0.0) + Double.random(in: -0.5...0.5, using: &generator)
            }
            return (features: features, label: classes[label], set: "toy")
        }
        let model = try AddressModel.train(.forest, examples: examples, featureNames: AddressFeatures.names, seed: 1,
                                           holdout: 0.25, trees: 10)
        try model.json().write(to: URL(fileURLWithPath: path))
    }

    /// The scenarios shipped in the repository.
    static let scenarios = repository.appendingPathComponent("etc/coinsentry/scenarios").path
    /// The most activity blocks the test sidecar's testbed runs.
    static let testbedMaximumBlocks = 4

    /// A chain sidecar that ingested ``KeyOutputChain`` from block files (with a behaviour model when `model` is
    /// set, else none), and that chain; its testbed has the shipped scenarios and runs at most
    /// ``testbedMaximumBlocks`` activity blocks.
    static func sidecar(in directory: TemporaryDirectory, model: String? = nil) async throws -> (ChainSidecar, [Block]) {
        let blocks = directory.file("blocks")
        let chain = KeyOutputChain().blocks
        try BlockFileWriter(directory: blocks, network: .regtest).write(chain)
        let configuration = """
            [chain]
            db = "\(directory.file("chain.sqlite"))"
            network = "regtest"
            [source]
            blocks = "\(blocks)"
            [analysis]
            watchlist = "\(directory.file("watch.txt"))"
            \(model.map { "model = \"\($0)\"" } ?? "")
            [alerts]
            journald = false
            json_file = ""
            [control]
            socket = "\(directory.file("unused.sock"))"
            [metrics]
            listen = ""
            [testbed]
            scenarios = "\(scenarios)"
            directory = "\(directory.file("testbed"))"
            max_blocks = \(testbedMaximumBlocks)
            """
        let sidecar = try await ChainSidecar(configuration: try ChainSidecarConfiguration(toml: configuration, source: "t"),
                                             logger: Logger(label: "web-test") { _ in SwiftLogNoOpLogHandler() })
        await sidecar.runCycle()
        return (sidecar, chain)
    }

    /// Whether Python has schemathesis (scripts/setup installs it from PyPI).
    static let schemathesisMissing: String? = {
        guard let process = try? Shell.start(["/usr/bin/env", "python3", "-m", "schemathesis.cli", "--version"]),
              process.waitForStatus() == 0 else {
            return "schemathesis is not installed (scripts/setup installs it from PyPI)"
        }
        return nil
    }()

    /// schemathesis generates requests from the OpenAPI description (valid ones, and invalid ones that must be
    /// refused), runs them against the console over a running sensor engine and sidecar, and checks every answer
    /// against the description: no server error, the declared status codes, content types and schemas, 405 for an
    /// undeclared method. A fixed seed keeps the run the same from one CI run to the next.
    @Test(.enabled(if: unavailable == nil && schemathesisMissing == nil,
                   Comment(rawValue: unavailable ?? schemathesisMissing ?? "")))
    func schemathesisFindsNoFailure() async throws {
        let directory = try TemporaryDirectory()
        let (sidecar, _) = try await Self.sidecar(in: directory)
        try await Self.withConsole(chain: sidecar) { console in
            let base = ["/usr/bin/env", "python3", "-m", "schemathesis.cli", "run",
                        "http://127.0.0.1:\(console.port)/api/v1/openapi.json", "--checks", "all",
                        "--max-examples", "10", "--seed", "1", "--no-color",
                        "--header", "Authorization: Bearer \(Self.token)"]
            // Kriptosare's routes answer a mistake with HTTP 200 and `error = 1` in their envelope, as the original
            // does for its clients: the check that invalid input is refused with a 4xx does not apply to them.
            // Whether an address is valid (its checksum) is more than a schema can say, and whether a scenario exists
            // or the testbed is free more than it can too: adding an address to the watchlist, starting a testbed run
            // and training on one are checked without the test that every schema-valid request is accepted.
            let refusable = ["watchAddress", "startTestbedRun", "trainTestbedRun"]
            for run in [["--include-path-regex", "^/api/v1/"] + refusable.flatMap { ["--exclude-operation-id", $0] },
                        refusable.flatMap { ["--include-operation-id", $0] }
                            + ["--exclude-checks", "positive_data_acceptance"],
                        ["--exclude-path-regex", "^/api/v1/", "--exclude-checks", "negative_data_rejection"]] {
                let command = base + run
                let (status, output) = try await Self.offThePool {
                    let process = try Shell.start(command)
                    let output = String(decoding: process.standardOutputData(), as: UTF8.self)
                    return (process.waitForStatus(), output)
                }
                #expect(status == 0, "schemathesis \(run.joined(separator: " ")):\n\(output.suffix(6000))")
            }
        }
    }

    /// The KGUI page over a running sidecar that ingested a chain whose outputs pay keys: the block the analysis is
    /// updated until, an address's history, cluster and class (none: no model loaded), the watchlist and patterns.
    @Test(.enabled(if: unavailable == nil && chromium != nil,
                   Comment(rawValue: unavailable ?? "chromium is not installed (scripts/setup installs Debian's)")))
    func theChainPageShowsAnAddressFromARunningSidecar() async throws {
        let directory = try TemporaryDirectory()
        let (sidecar, chain) = try await Self.sidecar(in: directory)
        try await Self.withConsole(chain: sidecar) { console in
            let address = KeyOutputChain.address(KeyOutputChain.keyB)
            let page = try await Self.rendered(console, "/chain.html?address=\(address)")
            #expect(page.contains("updated until block \(chain.count - 1)"), "the status card names the tip")
            #expect(page.contains("\(address): no behaviour class"), "the report is shown, without a model: \(page)")
            #expect(page.contains("cluster of 1"))
            #expect(page.contains("2 transactions, received 40.00000000 BTC, balance 10.00000000 BTC"))
            #expect(page.contains("Nothing watched."), "the watchlist is filled by the script")
            #expect(page.contains("No recurring pattern found yet."), "the patterns table is filled by the script")
            #expect(!page.contains("coinsentry-chaind is not running"))
            let stranger = KeyOutputChain.address([0x02] + Hashing.sha256(Array("a key the chain never paid".utf8)))
            let missing = try await Self.rendered(console, "/chain.html?address=\(stranger)")
            #expect(missing.contains("is not in the chain database"), "an unknown address is said to be unknown")
        }
    }

    /// With a behaviour model loaded, the KGUI page draws every class's confidence: the donut (Chart.js sizes its
    /// canvas when it draws) and the table, and the checker offers the model's classes.
    @Test(.enabled(if: unavailable == nil && chromium != nil,
                   Comment(rawValue: unavailable ?? "chromium is not installed (scripts/setup installs Debian's)")))
    func theChainPageDrawsEveryClassConfidenceOfALoadedModel() async throws {
        let directory = try TemporaryDirectory()
        try Self.toyModel(at: directory.file("model.json"))
        let (sidecar, _) = try await Self.sidecar(in: directory, model: directory.file("model.json"))
        try await Self.withConsole(chain: sidecar) { console in
            let address = KeyOutputChain.address(KeyOutputChain.keyB)
            let page = try await Self.rendered(console, "/chain.html?address=\(address)")
            #expect(page.contains("<div class=\"row g-2\" id=\"classes\">"), "the classes are shown: \(page)")
            #expect(!page.contains("NaN"), "every number shown is one")
            #expect(page.contains("<canvas id=\"confidences\"") && page.contains("box-sizing: border-box"),
                    "the donut is drawn")
            for name in ["exchange", "mixer", "wallet"] {
                #expect(page.contains("<td>\(name)</td>"), "the table lists \(name)")
                #expect(page.contains("<option value=\"\(name)\">") || page.contains("<option>\(name)</option>"),
                        "the checker offers \(name)")
            }
        }
    }
}
