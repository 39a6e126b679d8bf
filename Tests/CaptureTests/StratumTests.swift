import Capture
import Foundation
import TestSupport
import Testing
import Traces

/// Mining protocol recognition: the matcher on crafted messages, crafted sessions through replay, and the sessions
/// the project recorded itself (captures/README.md).
@Suite struct StratumTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var payload: String
        var dialect: MiningDialect?
        var fromMiner = false
        var worker: String? = nil
        var description: String { name }
    }

    static let mining: [Case] = [
        Case(name: "stratum subscribe", payload: #"{"id":1,"method":"mining.subscribe","params":["cgminer/4.10"]}"# + "\n",
             dialect: .stratum, fromMiner: true),
        Case(name: "stratum subscribe then authorize in one segment",
             payload: #"{"id": 1, "method": "mining.subscribe", "params": []}"# + "\n"
                 + #"{"params": ["bc1qexample.worker7", "x"], "id": 2, "method": "mining.authorize"}"# + "\n",
             dialect: .stratum, fromMiner: true, worker: "bc1qexample.worker7"),
        Case(name: "stratum notify push (cut short)",
             payload: #"{"id":null,"method":"mining.notify","params":["bf","4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000","#,
             dialect: .stratum),
        Case(name: "stratum set_difficulty push", payload: "  {\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[2]}\n",
             dialect: .stratum),
        Case(name: "stratum submit names the worker",
             payload: #"{"id":4,"method":"mining.submit","params":["slush.miner1","bf","00000001","504e86ed","b2957c02"]}"#,
             dialect: .stratum, fromMiner: true, worker: "slush.miner1"),
        Case(name: "monero login",
             payload: #"{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4ABC.rig","pass":"x","agent":"XMRig/6.21.0"}}"#,
             dialect: .monero, fromMiner: true, worker: "4ABC.rig"),
        Case(name: "monero job push",
             payload: #"{"jsonrpc":"2.0","method":"job","params":{"blob":"0707","job_id":"42","target":"b88d0600"}}"#,
             dialect: .monero),
        Case(name: "monero submit",
             payload: #"{"id":2,"jsonrpc":"2.0","method":"submit","params":{"id":"1","job_id":"42","nonce":"deadbeef","result":"ab"}}"#,
             dialect: .monero, fromMiner: true),
        Case(name: "eth submitLogin with worker field",
             payload: #"{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","worker":"rig-9","params":["0xabc","x"]}"#,
             dialect: .ethGetwork, fromMiner: true, worker: "rig-9"),
        Case(name: "eth submitLogin without worker field uses the login",
             payload: #"{"id":1,"method":"eth_submitLogin","params":["0x5a5a.rig"]}"#,
             dialect: .ethGetwork, fromMiner: true, worker: "0x5a5a.rig"),
        Case(name: "eth getWork", payload: #"{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}"#,
             dialect: .ethGetwork, fromMiner: true),
        Case(name: "eth submitWork", payload: #"{"id":3,"method":"eth_submitWork","params":["0x1","0x2","0x3"]}"#,
             dialect: .ethGetwork, fromMiner: true),
        Case(name: "getwork over HTTP",
             payload: "POST / HTTP/1.1\r\nHost: pool.example:8332\r\nAuthorization: Basic dzp4\r\n"
                 + "Content-Type: application/json\r\nContent-Length: 44\r\n\r\n"
                 + #"{"method":"getwork","params":[],"id":0}"#,
             dialect: .httpGetwork, fromMiner: true),
        Case(name: "getblocktemplate over HTTP",
             payload: "POST / HTTP/1.0\r\nContent-Type: application/json\r\n\r\n"
                 + #"{"jsonrpc":"1.0","id":"gbt","method":"getblocktemplate","params":[{"rules":["segwit"]}]}"#,
             dialect: .httpGetwork, fromMiner: true),
        Case(name: "eth_submitHashrate over HTTP",
             payload: "POST /rig7 HTTP/1.1\r\nHost: eth.pool.example:8888\r\n\r\n"
                 + #"{"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x500000","0x59da"],"id":73}"#,
             dialect: .httpGetwork, fromMiner: true),
        Case(name: "eth_getWork over HTTP",
             payload: "POST / HTTP/1.1\r\n\r\n" + #"{"id":1,"jsonrpc":"2.0","method":"eth_getWork","params":[]}"#,
             dialect: .httpGetwork, fromMiner: true),
        Case(name: "submitblock body in a later segment",
             payload: #"{"method":"submitblock","params":["0000002006"],"id":9}"#,
             dialect: .httpGetwork, fromMiner: true),
        Case(name: "worker name is sanitised",
             payload: #"{"id":2,"method":"mining.authorize","params":["evil\u0007name<script> x","x"]}"#,
             dialect: .stratum, fromMiner: true, worker: "evil_u0007name_script__x"),
    ]

    static let nearMisses: [Case] = [
        Case(name: "ordinary JSON-RPC", payload: #"{"jsonrpc":"2.0","method":"echo","params":["hi"],"id":1}"#, dialect: nil),
        Case(name: "HTTP request mentioning stratum",
             payload: "POST /rpc HTTP/1.1\r\nHost: x\r\n\r\n{\"method\":\"mining.subscribe\"}", dialect: nil),
        Case(name: "HTTP POST of ordinary JSON-RPC",
             payload: "POST /api HTTP/1.1\r\nHost: x\r\n\r\n" + #"{"jsonrpc":"2.0","method":"getbalance","params":[],"id":1}"#,
             dialect: nil),
        Case(name: "HTTP GET naming getwork", payload: "GET /getwork?method=eth_getWork HTTP/1.1\r\n\r\n", dialect: nil),
        Case(name: "HTTP POST whose headers never end",
             payload: "POST / HTTP/1.1\r\nX-Note: {\"method\":\"getwork\"}\r\n", dialect: nil),
        Case(name: "XMPP submit", payload: "<iq type='submit' id='login'><query method='login'/></iq>", dialect: nil),
        Case(name: "mining words in a string value",
             payload: #"{"title":"mining.subscribe","body":"\"method\":\"mining.notify\" login job submit"}"#, dialect: nil),
        Case(name: "method nested below the top level",
             payload: #"{"id":1,"data":{"method":"mining.subscribe","params":[]}}"#, dialect: nil),
        Case(name: "login without a login field", payload: #"{"id":1,"method":"login","params":{"user":"alice","password":"x"}}"#,
             dialect: nil),
        Case(name: "submit without job and nonce", payload: #"{"id":1,"method":"submit","params":{"form":"contact"}}"#,
             dialect: nil),
        Case(name: "job without blob", payload: #"{"method":"job","params":{"job_id":"7","title":"plumber"}}"#, dialect: nil),
        Case(name: "method value is a prefix", payload: #"{"method":"mining.subscribed","params":[]}"#, dialect: nil),
        Case(name: "method value is not a string", payload: #"{"method":["mining.subscribe"]}"#, dialect: nil),
        Case(name: "TLS record", payload: "\u{16}\u{03}\u{01}\u{02}\u{00}{\"method\":\"mining.subscribe\"}", dialect: nil),
        Case(name: "empty", payload: "", dialect: nil),
    ]

    @Test(arguments: mining)
    func eachDialectIsRecognisedWithItsWorker(_ example: Case) {
        let match = StratumMatch(Array(example.payload.utf8))
        #expect(match.dialect == example.dialect)
        #expect(match.fromMiner == example.fromMiner)
        #expect(match.worker == example.worker)
    }

    @Test(arguments: nearMisses)
    func nearMissesAreNotMining(_ example: Case) {
        #expect(StratumMatch(Array(example.payload.utf8)).dialect == nil)
    }

    @Test func longWorkerNamesAreCutToTheRecordsRoom() {
        let login = String(repeating: "4", count: 200)
        let match = StratumMatch(Array(#"{"method":"login","params":{"login":"\#(login)"}}"#.utf8))
        #expect(match.worker == String(repeating: "4", count: 95))
    }

    // MARK: Sessions through replay

    static let miner = "192.168.1.10", pool = "203.0.113.50"

    /// A TCP session as frames: `(fromMiner, payload)` pairs, one segment each, 10 ms apart.
    static func session(_ messages: [(Bool, String)], minerPort: UInt16 = 40_000, poolPort: UInt16 = 3333,
                        start: Int64 = OfflineReplayTests.start, miner: String = miner) -> [(Int64, [UInt8])] {
        messages.enumerated().map { index, message in
            let (fromMiner, text) = message
            let tcp = fromMiner
                ? Frames.tcp(sourcePort: minerPort, destinationPort: poolPort, bytes: Array(text.utf8))
                : Frames.tcp(sourcePort: poolPort, destinationPort: minerPort, bytes: Array(text.utf8))
            let packet = fromMiner
                ? Frames.ipv4Packet(from: miner, to: pool, transportBytes: tcp)
                : Frames.ipv4Packet(from: pool, to: miner, transportBytes: tcp)
            return (start + Int64(index) * 10_000, Frames.ethernet(packet))
        }
    }

    static func replayEvidence(_ frames: [(Int64, [UInt8])], networks: [String] = ["192.168.1.0/24"],
                               configure: (inout CaptureConfiguration) -> Void = { _ in })
        throws -> (HostSeriesRecorder, CaptureStatistics) {
        let path = try OfflineReplayTests.writeCapture(frames, name: "stratum")
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try replayFile(path, networks: networks, configure: configure)
    }

    static func replayFile(_ path: String, networks: [String], interval: Double = 1,
                           configure: (inout CaptureConfiguration) -> Void = { _ in })
        throws -> (HostSeriesRecorder, CaptureStatistics) {
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: try networks.map { try IPNetwork($0) })
        configuration.interval = interval
        configure(&configuration)
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: true)
        while let batch = session.nextBatch(timeout: 5) { recorder.record(batch) }
        return (recorder, session.statistics)
    }

    @Test func aStratumSessionBecomesOneEvidenceRecordWithItsWorker() throws {
        let frames = Self.session([
            (true, #"{"id":1,"method":"mining.subscribe","params":["cpuminer"]}"# + "\n"),
            (false, #"{"id":1,"result":[[["mining.notify","ae68"]],"08000002",4],"error":null}"# + "\n"),
            (true, #"{"id":2,"method":"mining.authorize","params":["pooluser.rig7","x"]}"# + "\n"),
            (false, #"{"id":null,"method":"mining.notify","params":["1","00","01","ff",[],"2","1d","5",true]}"# + "\n"),
            (true, #"{"id":4,"method":"mining.submit","params":["pooluser.rig7","1","0","5","7"]}"# + "\n"),
        ])
        let (recorder, statistics) = try Self.replayEvidence(frames)
        let found = try #require(recorder.evidence[HostAddress(Self.miner)!])
        #expect(found.count == 1)
        #expect(found.first?.dialect == .stratum)
        #expect(found.first?.role == .miner)
        #expect(found.first?.worker == "pooluser.rig7")
        #expect(found.first?.remoteDescription == "\(Self.pool):3333")
        #expect(found.first?.localPort == 40_000)
        #expect(statistics.evidenceReports == 1)
        #expect(statistics.packets == 5)
    }

    @Test func aSessionWhoseWorkerNeverComesIsStillReportedAtIntervalClose() throws {
        // Only the pool's pushes are seen (an asymmetric mirror): the miner is the receiver, there is no worker.
        let frames = Self.session([
            (false, #"{"jsonrpc":"2.0","method":"job","params":{"blob":"07","job_id":"9","target":"ff"}}"# + "\n"),
        ]) + [(OfflineReplayTests.start + 3_000_000,
               OfflineReplayTests.tcpFrame(from: Self.miner, to: "198.51.100.1", payload: 10))]
        let (recorder, _) = try Self.replayEvidence(frames)
        let found = try #require(recorder.evidence[HostAddress(Self.miner)!]?.first)
        #expect(found.dialect == .monero)
        #expect(found.role == .miner)
        #expect(found.worker == nil)
    }

    @Test func aLocalPoolServingARemoteMinerIsReportedAsThePool() throws {
        let frames = Self.session([
            (true, #"{"id":1,"method":"eth_submitLogin","worker":"w1","params":["0xab","x"]}"# + "\n"),
        ])
        let (recorder, _) = try Self.replayEvidence(frames, networks: ["203.0.113.0/24"])
        let found = try #require(recorder.evidence[HostAddress(Self.pool)!]?.first)
        #expect(found.role == .pool)
        #expect(found.remoteDescription == "\(Self.miner):40000")
        #expect(found.worker == "w1")
        #expect(recorder.minersByEvidence.isEmpty)
    }

    @Test func onlyTheFirstBytesOfEachDirectionAreExamined() throws {
        let filler = #"{"jsonrpc":"2.0","method":"echo","params":[""# + String(repeating: "z", count: 600) + "\"]}\n"
        let frames = Self.session([
            (true, filler),
            (true, #"{"id":1,"method":"mining.subscribe","params":[]}"# + "\n"),
        ])
        #expect(try Self.replayEvidence(frames).0.evidence.isEmpty)
        let (widened, _) = try Self.replayEvidence(frames) { $0.inspectBytes = 2048 }
        #expect(widened.evidence[HostAddress(Self.miner)!]?.first?.dialect == .stratum)
        let (off, _) = try Self.replayEvidence(Self.session([(true, #"{"method":"mining.subscribe","params":[]}"#)])) {
            $0.inspectBytes = 0
        }
        #expect(off.evidence.isEmpty)
    }

    @Test func theFlowTableStaysWithinItsBoundUnderAFloodOfFlows() throws {
        var frames = [(Int64, [UInt8])]()
        for port in UInt16(1)...UInt16(500) {
            frames += Self.session([(true, #"{"jsonrpc":"2.0","method":"echo"}"#)], minerPort: 10_000 + port,
                                   poolPort: 80, start: OfflineReplayTests.start + Int64(port) * 1_000)
        }
        frames += Self.session([(true, #"{"id":2,"method":"mining.authorize","params":["late.rig","x"]}"#)],
                               start: OfflineReplayTests.start + 600_000)
        let (recorder, statistics) = try Self.replayEvidence(frames) { $0.maxFlows = 64 }
        #expect(statistics.flowsEvicted == 501 - 64)
        #expect(statistics.flowsTracked <= 64)
        #expect(recorder.evidence[HostAddress(Self.miner)!]?.first?.worker == "late.rig")
    }

    @Test func liveCaptureTakesEnoughOfEachPacketToInspect() throws {
        var configuration = CaptureConfiguration(source: .interface("eth0"), localNetworks: [])
        #expect(configuration.effectiveSnapLength == CaptureConfiguration.headerRoom + 512)
        configuration.inspectBytes = 0
        #expect(configuration.effectiveSnapLength == 128)
    }

    // MARK: Recordings made by the project (captures/README.md)

    static let captures = "\(PythonReference.packageRoot)/captures"

    @Test(arguments: [
        ("stratum", MiningDialect.stratum, "wallet1.rig-alpha", 3333),
        ("monero", .monero, String("44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"), 3334),
        ("eth-getwork", .ethGetwork, "rig-gamma", 3335),
    ] as [(String, MiningDialect, String, Int)])
    func recordedSessionsAreFlaggedWithTheirDialectAndWorker(name: String, dialect: MiningDialect, worker: String,
                                                            port: Int) throws {
        let (recorder, statistics) = try Self.replayFile("\(Self.captures)/\(name).pcap", networks: ["127.0.0.2/32"])
        let found = try #require(recorder.evidence[HostAddress("127.0.0.2")!])
        #expect(found.count == 1)
        #expect(found.first?.dialect == dialect)
        #expect(found.first?.worker == worker)
        #expect(found.first?.remoteDescription == "127.0.0.1:\(port)")
        #expect(statistics.malformed == 0)
        #expect(recorder.totals[HostAddress("127.0.0.2")!].map { $0.packetsSent > 5 } == true)
    }

    @Test(arguments: ["jsonrpc", "jsonrpc-mining-words", "http"])
    func recordedNearMissesAreNotFlagged(name: String) throws {
        let (recorder, statistics) = try Self.replayFile("\(Self.captures)/\(name).pcap", networks: ["127.0.0.0/8"])
        #expect(statistics.packets > 5)
        #expect(recorder.totals.count == 2)
        #expect(recorder.evidence.isEmpty)
        #expect(statistics.evidenceReports == 0)
    }
}
