import BitcoinData
import ChainSidecar
import ChainStore
import ChainTestSupport
import Control
import Foundation
import Synchronization
import Testing
import TestSupport

/// `coinsentry-chaind` ingesting a chain of a few thousand transactions from block files while its control socket
/// (four clients: status, address look-ups, patterns) and the REST API of `coinsentry-web` over it (two clients: the
/// sidecar's routes and Kriptosare's) are queried without pause, both daemons real processes of this build.
///
/// Every reply must be well formed and agree with a prefix of the chain: a status's tip hash, block and transaction
/// counts those of the chain at its tip height, an address's transactions exactly those of the chain up to the last
/// height it lists, "not found" only for an address the client has not yet seen stored. No query may fail, and the
/// store must end equal to an uninterrupted ingest. (The figures under load, for 100,000 transactions:
/// `Benchmarks/chain/ingest-under-query.sh`.)
@Suite(.serialized, .enabled(if: WebProcess.unavailableReason == nil,
                             Comment(rawValue: WebProcess.unavailableReason ?? "")))
struct IngestUnderQueryTests {
    /// 300 blocks of 12 spends: 3,900 transactions with the coinbases, a few seconds of ingestion in a debug build.
    static let blockCount = 300
    static let transactionsPerBlock = 12

    @Test func everyQueryIsAnsweredWhileTheSidecarIngestsAndTheStoreEqualsTheChain() async throws {
        let directory = try TemporaryDirectory()
        var chain = SyntheticChain()
        for _ in 0..<Self.blockCount { chain.extend(transactions: Self.transactionsPerBlock) }
        try BlockFileWriter(directory: directory.file("blocks"), network: .regtest).write(chain.blocks)
        let facts = try await ChainFacts(chain.blocks, sampling: 60)
        try configurationText(blocks: directory.file("blocks"), directory: directory)
            .replacingOccurrences(of: "interval_seconds = 5", with: "interval_seconds = 0.5")
            .write(toFile: directory.file("chain.toml"), atomically: true, encoding: .utf8)
        let port = Int(try unusedTCPPort())
        try """
            [web]
            listen = "127.0.0.1:\(port)"
            assets = "\(ChainDaemonProcess.root.appendingPathComponent("web").path)"
            vendor = "\(directory.path)"
            [daemons]
            sensor_socket = "\(directory.file("no-sensor.sock"))"
            chain_socket = "\(directory.file("chain.sock"))"
            """.write(toFile: directory.file("web.toml"), atomically: true, encoding: .utf8)

        // The console first, then the clients (waiting for the sidecar), then the sidecar: no store yet.
        let web = try WebProcess(config: directory.file("web.toml"), log: directory.file("web.log"))
        defer { web.stop() }
        try await web.waitUntilServing(port: port)
        let stop = StopFlag()
        let socket = directory.file("chain.sock")
        async let control = withTaskGroup(of: ClientLog.self, returning: ClientLog.self) { group in
            for number in 0..<4 {
                group.addTask { await Self.controlClient(number, socket: socket, facts: facts, stop: stop) }
            }
            return await group.reduce(into: ClientLog()) { $0.add($1) }
        }
        async let api = withTaskGroup(of: ClientLog.self, returning: ClientLog.self) { group in
            for number in 0..<2 {
                group.addTask {
                    await Self.offThePool { Self.apiClient(number, port: port, facts: facts, stop: stop) }
                }
            }
            return await group.reduce(into: ClientLog()) { $0.add($1) }
        }
        let daemon = try ChainDaemonProcess(config: directory.file("chain.toml"), socket: socket,
                                            log: directory.file("chaind.log"))
        // The first cycle over (its ingestion, features and patterns), while the clients keep asking.
        let finished = try await daemon.wait("the first cycle's end", seconds: 240) {
            guard let status = try? await ControlClient.send(ChainRequest.Status(), socket: socket) else { return false }
            return status.tipHeight == facts.tip && status.lastCycle != nil
        }
        stop.set()
        let controlLog = await control
        let apiLog = await api
        #expect(finished)
        #expect(daemon.stop() == 0)
        web.stop()

        for (name, log) in [("control socket", controlLog), ("REST API", apiLog)] {
            let failed = "\(name): \(log.failures.count) of \(log.requests) queries failed: "
                + "\(log.failures.prefix(8))\nsidecar log:\n\(daemon.logText.suffix(1500))"
            #expect(log.failures.isEmpty, Comment(rawValue: failed))
            #expect(log.answered > 0, "\(name): answered \(log.answered), not yet stored \(log.notYetStored)")
            #expect(log.answeredBelowTip > 0, "\(name): some replies came while the store was below the chain's tip")
        }
        #expect(controlLog.addressesFound > 0 && apiLog.addressesFound > 0, "address look-ups found stored addresses")
        try await StoreChecks.expectSameAsUninterrupted(directory.file("chain.sqlite"), chain: chain.blocks)
    }

    /// A control-socket client: status, an address, patterns in turn, each through `ControlClient` as `coinsentryctl`
    /// sends it, until `stop`. Before its first reply, "not running" means the sidecar has not started yet.
    static func controlClient(_ number: Int, socket: String, facts: ChainFacts, stop: StopFlag) async -> ClientLog {
        var log = ClientLog()
        var seenTip = -1
        var turn = number
        while !stop.isSet {
            turn += 1
            do {
                switch turn % 3 {
                case 0:
                    let status = try await ControlClient.send(ChainRequest.Status(), socket: socket)
                    log.record(facts.check(status, after: &seenTip))
                    log.noteTip(status.tipHeight, chainTip: facts.tip)
                case 1:
                    let address = facts.address(turn * 7 + number)
                    do {
                        let report = try await ControlClient.send(ChainRequest.Address(address: address), socket: socket)
                        log.record(facts.check(report, address: address), found: true)
                    } catch let error where error.code == .notFound {
                        log.record(facts.checkNotFound(address, seenTip: seenTip), notYetStored: true)
                    }
                default:
                    _ = try await ControlClient.send(ChainRequest.Patterns(), socket: socket)
                    log.record(nil)
                }
            } catch let error where error.code == .notRunning && log.requests == 0 {
                try? await Task.sleep(for: .milliseconds(20))
            } catch {
                log.record("\(error)")
            }
        }
        return log
    }

    /// A REST API client on its own thread, one connection per request (`Connection: close`): the sidecar's status
    /// and address routes and Kriptosare's `/search_address` and `/database_update`, in turn, until `stop`. Before
    /// its first answer, "not running" means the sidecar has not started yet.
    static func apiClient(_ number: Int, port: Int, facts: ChainFacts, stop: StopFlag) -> ClientLog {
        var log = ClientLog()
        var seenTip = -1
        var turn = number
        let decoder = JSONDecoder()
        while !stop.isSet {
            turn += 1
            let address = facts.address(turn * 5 + number)
            let path = switch turn % 4 {
            case 0: "/api/v1/chain/status"
            case 1: "/api/v1/chain/addresses/\(address)"
            case 2: "/search_address?address=\(address)"
            default: "/database_update"
            }
            guard let reply = get(path, port: port) else {
                log.record("GET \(path): no complete reply")
                continue
            }
            let (status, body) = reply
            let json = try? JSONValue.parse(body)
            // Kriptosare's routes say it in their envelope (HTTP 200, error 1), the others with 503.
            let notRunning = (status == 503 && json?["running"]?.bool == false)
                || (status == 200 && json?["custom_properties"]?["error"]?.number == 1
                    && json?["custom_properties"]?["message"]?.string?.hasPrefix("coinsentry-chaind is not running") == true)
            if log.requests == 0, notRunning {
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            let problem = "GET \(path): \(status) \(String(decoding: body.prefix(300), as: UTF8.self))"
            switch (turn % 4, status) {
            case (0, 200):
                guard let reply = try? decoder.decode(ChainStatus.self, from: body) else { log.record(problem); continue }
                log.record(facts.check(reply, after: &seenTip))
                log.noteTip(reply.tipHeight, chainTip: facts.tip)
            case (1, 200):
                guard let report = try? decoder.decode(AddressReport.self, from: body) else { log.record(problem); continue }
                log.record(facts.check(report, address: address), found: true)
            case (1, 404) where json?["detail"]?.string?.hasSuffix("is not in the chain database") == true:
                log.record(facts.checkNotFound(address, seenTip: seenTip), notYetStored: true)
            case (2, 200):
                let properties = json?["custom_properties"]
                if properties?["error"]?.number == 0, properties?["result"]?["exchange"]?.number != nil {
                    log.record(nil, found: true)
                } else if properties?["error"]?.number == 1,
                          properties?["message"]?.string?.hasSuffix("is not in the chain database") == true {
                    log.record(facts.checkNotFound(address, seenTip: seenTip), notYetStored: true)
                } else {
                    log.record(problem)
                }
            case (3, 200):
                let result = json?["custom_properties"]?["result"]
                guard json?["custom_properties"]?["error"]?.number == 0, let block = result?["block"] else {
                    log.record(problem)
                    continue
                }
                if let height = block.number.map({ Int($0) }) {
                    log.record(height <= facts.tip && height >= seenTip ? nil
                               : "database_update: block \(height) after a tip of \(seenTip)")
                    seenTip = max(seenTip, height)
                    log.noteTip(height, chainTip: facts.tip)
                } else {
                    log.record(block == .null && seenTip < 0 ? nil : "database_update: no block after tip \(seenTip)")
                }
            default:
                log.record(problem)
            }
        }
        return log
    }

    /// One GET on its own connection: the status code and body, or nil when the reply is cut short.
    static func get(_ path: String, port: Int) -> (Int, Data)? {
        let client = RawClient(tcpPort: UInt16(port), patience: 30)
        guard client.connected,
              client.write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)),
              let reply = client.readToClose() else { return nil }
        let separator = Array("\r\n\r\n".utf8)
        guard let end = reply.indices.first(where: { reply[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: reply[..<end], as: UTF8.self)
        let fields = head.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
        let body = Data(reply[(end + separator.count)...])
        if let length = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") })
            .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }), length != body.count {
            return nil
        }
        return (status, body)
    }

    /// Runs blocking work on a thread of its own, not on the cooperative pool the control clients need.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}

/// What a replying store must agree with: the chain's hashes, cumulative transaction counts and the full histories
/// of a sample of its addresses, from an uninterrupted ingest.
struct ChainFacts: Sendable {
    let tip: Int
    let hashes: [String]
    /// Transactions (coinbases included) in blocks 0 to each height.
    let transactionsThrough: [Int]
    /// Sampled addresses, spread over the chain's heights, with their first height and full history.
    let addresses: [String]
    let firstHeight: [String: Int]
    let histories: [String: [AddressReport.History.Transaction]]

    init(_ blocks: [Block], sampling: Int) async throws {
        tip = blocks.count - 1
        hashes = blocks.map(\.hash.hex)
        var total = 0
        transactionsThrough = blocks.map { total += $0.transactions.count; return total }
        let reference = try ChainStore(path: ":memory:", network: .regtest)
        try reference.append(blocks, firstHeight: 0)
        let all = try StoreChecks.addressesInOrder(reference)
        let step = max(1, all.count / sampling)
        addresses = stride(from: 0, to: all.count, by: step).map { all[$0] }
        var firstHeight = [String: Int]()
        var histories = [String: [AddressReport.History.Transaction]]()
        for address in addresses {
            let history = try #require(try reference.addressHistory(address))
            histories[address] = AddressReport.History(history).transactions
            firstHeight[address] = history.entries.map(\.height).min()
        }
        self.firstHeight = firstHeight
        self.histories = histories
    }

    func address(_ index: Int) -> String { addresses[index % addresses.count] }

    /// A status reply: its tip one of the chain's blocks, at or above the tip seen before, the counts those of
    /// the chain up to it. Returns what is wrong, or nil.
    func check(_ status: ChainStatus, after seenTip: inout Int) -> String? {
        guard let height = status.tipHeight else {
            return seenTip < 0 && status.blocks == nil ? nil : "status: no tip after tip \(seenTip)"
        }
        defer { seenTip = max(seenTip, height) }
        guard (0...tip).contains(height), height >= seenTip else {
            return "status: tip \(height) after tip \(seenTip)"
        }
        guard status.tipHash == hashes[height], status.blocks == height + 1,
              status.transactions == transactionsThrough[height] else {
            return "status at tip \(height): hash \(status.tipHash ?? "none"), \(status.blocks ?? -1) blocks, "
                + "\(status.transactions ?? -1) transactions; the chain has \(hashes[height]), \(height + 1), "
                + "\(transactionsThrough[height])"
        }
        return nil
    }

    /// An address report: the chain's transactions of the address up to the last height the report lists.
    func check(_ report: AddressReport, address: String) -> String? {
        guard report.address == address, let listed = report.history?.transactions, let full = histories[address],
              let last = listed.last?.height else {
            return "address \(address): reply for \(report.address) without a history"
        }
        let expected = full.filter { $0.height <= last }
        return listed == expected ? nil
            : "address \(address): \(listed.count) transactions up to height \(last), the chain has \(expected.count)"
    }

    /// "Not found" is right only while the client has not seen the address's first block stored.
    func checkNotFound(_ address: String, seenTip: Int) -> String? {
        guard let first = firstHeight[address], first <= seenTip else { return nil }
        return "address \(address) not found although stored (height \(first), tip seen \(seenTip))"
    }
}

/// What one client's queries came to.
struct ClientLog: Sendable {
    var requests = 0
    var answered = 0
    var notYetStored = 0
    var addressesFound = 0
    /// Status replies (and Kriptosare's `/database_update`) that found the store below the chain's tip.
    var answeredBelowTip = 0
    var failures: [String] = []

    mutating func record(_ failure: String?, found: Bool = false, notYetStored: Bool = false) {
        requests += 1
        if let failure {
            failures.append(failure)
        } else if notYetStored {
            self.notYetStored += 1
        } else {
            answered += 1
            if found { addressesFound += 1 }
        }
    }

    /// Counts a reply that found the store at `height`, below the chain's tip.
    mutating func noteTip(_ height: Int?, chainTip: Int) {
        if let height, height < chainTip { answeredBelowTip += 1 }
    }

    mutating func add(_ other: ClientLog) {
        requests += other.requests
        answered += other.answered
        notYetStored += other.notYetStored
        addressesFound += other.addressesFound
        answeredBelowTip += other.answeredBelowTip
        failures += other.failures
    }
}

/// Set once by the test when the clients are to stop; set by itself after five minutes, so that clients of a test
/// that failed early (and never set it) end too.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let deadline = ContinuousClock.now + .seconds(300)
    var isSet: Bool { flag.load(ordering: .relaxed) || ContinuousClock.now > deadline }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// A real `coinsentry-web` process of this build.
final class WebProcess {
    private let process: Process
    let log: String

    /// Why the sidecar and console processes cannot run, or nil.
    static var unavailableReason: String? {
        if let reason = ChainDaemonProcess.unavailableReason { return reason }
        let web = ChainDaemonProcess.binaries.appendingPathComponent("coinsentry-web").path
        return FileManager.default.isExecutableFile(atPath: web) ? nil
            : "skipped: coinsentry-web is not built (swift build first)"
    }

    init(config: String, log: String) throws {
        self.log = log
        let process = Process()
        process.executableURL = ChainDaemonProcess.binaries.appendingPathComponent("coinsentry-web")
        process.arguments = ["--config", config]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process
    }

    /// Waits until the console answers (the sidecar's status: 503 while the sidecar is not running).
    func waitUntilServing(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while await IngestUnderQueryTests.offThePool({ IngestUnderQueryTests.get("/api/v1/chain/status", port: port) })
            == nil {
            guard ContinuousClock.now < deadline, process.isRunning else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                Issue.record("coinsentry-web did not start serving; its log:\n\(text.suffix(1500))")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
