import Capture
import Foundation
import TestSupport
import Testing

/// Pool names: the DNS and SNI parsers on crafted and hostile input, the suffix matcher and list files, and names
/// reported through replay of crafted and real captures.
@Suite struct PoolNameTests {
    // MARK: DNS parser

    @Test func aQueryGivesItsNameLowercased() {
        let message = DNSMessage(PoolMessages.query("XMR-EU1.Nanopool.ORG"))
        #expect(message.status == .ok)
        #expect(!message.isResponse)
        #expect(message.name == "xmr-eu1.nanopool.org")
        #expect(message.addresses.isEmpty)
    }

    @Test func anAnswerWithCompressionGivesItsAddressesAndSmallestTTL() {
        let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [7]
        let message = DNSMessage(PoolMessages.response("pool.supportxmr.com", v4: [[198, 51, 100, 7]], v6: [v6],
                                                       ttl: 120))
        #expect(message.status == .ok)
        #expect(message.isResponse)
        #expect(message.name == "pool.supportxmr.com")
        #expect(message.addresses == [HostAddress("198.51.100.7")!, HostAddress("2001:db8::7")!])
        #expect(message.minimumTTL == 120)
    }

    @Test func aCompressionLoopIsRefusedWithoutHanging() {
        // The answer's name is label "x" then a pointer back to that label: x.x.x.x... forever.
        var message = PoolMessages.header(response: true, answers: 1) + PoolMessages.name("a.b") + [0, 1, 0, 1]
        let loopStart = message.count
        message += [1, 0x78, 0xc0, UInt8(loopStart)] + [0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]
        let parsed = DNSMessage(message)
        #expect(parsed.status == .pointerLoop || parsed.status == .nameTooLong)
        #expect(parsed.name == "a.b")
        #expect(parsed.addresses.isEmpty)
    }

    @Test func pointersForwardOrOutOfBoundsAreRefused() {
        let forward = PoolMessages.header(response: false) + [0xc0, 20] + [UInt8](repeating: 0, count: 12)
        #expect(DNSMessage(forward).status == .badPointer)
        let selfPointing = PoolMessages.header(response: false) + [0xc0, 12, 0, 1, 0, 1]
        #expect(DNSMessage(selfPointing).status == .badPointer)
        let beyond = PoolMessages.header(response: false) + [0xff, 0xff]
        #expect(DNSMessage(beyond).status == .badPointer)
        let cutPointer = PoolMessages.header(response: false) + [0xc0]
        #expect(DNSMessage(cutPointer).status == .truncated)
    }

    @Test func oversizedNamesAreRefused() {
        let long = (0..<5).map { _ in String(repeating: "a", count: 63) }.joined(separator: ".")
        let message = DNSMessage(PoolMessages.query(long))
        #expect(message.status == .nameTooLong)
        #expect(message.name == nil)
    }

    @Test func truncatedAnswersKeepWhatCameBefore() {
        let full = PoolMessages.response("pool.hashvault.pro", v4: [[203, 0, 113, 1], [203, 0, 113, 2]])
        let cut = DNSMessage(Array(full.dropLast(2)))
        #expect(cut.status == .truncated)
        #expect(cut.name == "pool.hashvault.pro")
        #expect(cut.addresses == [HostAddress("203.0.113.1")!])
    }

    @Test func notDNSIsSaidSo() {
        #expect(DNSMessage([1, 2, 3]).status == .notDNS)
        #expect(DNSMessage(PoolMessages.header(response: false, questions: 0)).status == .notDNS)
    }

    // MARK: TLS SNI

    @Test func aClientHelloGivesItsServerName() {
        #expect(ClientHelloSNI(PoolMessages.clientHello(sni: "Gulf.MoneroOcean.Stream")) == .name("gulf.moneroocean.stream"))
        #expect(ClientHelloSNI(PoolMessages.clientHello(sni: nil)) == .none)
        #expect(ClientHelloSNI(Array("GET / HTTP/1.1\r\n".utf8)) == .none)
    }

    @Test func cutOrLyingClientHellosAreMalformedNotRead() throws {
        let hello = PoolMessages.clientHello(sni: "pool.supportxmr.com")
        #expect(ClientHelloSNI(Array(hello.prefix(60))) == .malformed)
        var lying = hello
        let extensionsLength = 5 + 4 + 2 + 32 + 1 + 4 + 2 // record, handshake header, version, random, session, suites, compression
        lying[extensionsLength] = 0xff // extensions claim far more bytes than there are
        #expect(ClientHelloSNI(lying) == .malformed)
        var lyingName = hello
        let name = Array("pool.supportxmr.com".utf8)
        let at = try #require((0...(hello.count - name.count)).first { Array(hello[$0..<($0 + name.count)]) == name })
        lyingName[at - 2] = 0xf0 // the name's length now runs past the extension
        #expect(ClientHelloSNI(lyingName) == .malformed)
    }

    // MARK: Matching and list files

    @Test func namesMatchListedDomainsAtLabelBoundariesOnly() throws {
        let matcher = try PoolDomainMatcher(PoolDomainList(names: ["nanopool.org", "*.c3pool.com", "ss.btc.com"]))
        #expect(matcher.count == 3)
        #expect(matcher.match("xmr-eu1.nanopool.org") == "nanopool.org")
        #expect(matcher.match("nanopool.org") == "nanopool.org")
        #expect(matcher.match("mine.c3pool.com") == "c3pool.com")
        #expect(matcher.match("notnanopool.org") == nil)
        #expect(matcher.match("btc.com") == nil)
        #expect(matcher.match("eu.ss.btc.com") == "ss.btc.com")
        #expect(matcher.match("nanopool.org.example.com") == nil)
    }

    @Test func theShippedListLoadsAndHoldsPoolsOnly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let list = try PoolDomainList(files: [root.appendingPathComponent("etc/coinsentry/pool-domains.txt").path])
        let matcher = try PoolDomainMatcher(list)
        #expect(list.names.count >= 30)
        #expect(matcher.match("pool.supportxmr.com") != nil)
        for ordinary in ["www.google.com", "binance.com", "www.coinbase.com", "btc.com", "nicehash.com", "github.com"] {
            #expect(matcher.match(ordinary) == nil, "\(ordinary) must not count as a pool")
        }
    }

    /// A list parsed from `text` as the file `ops.txt`.
    static func parsed(_ text: String) throws -> PoolDomainList {
        var list = PoolDomainList()
        try list.merge(parsing: text, origin: "ops.txt")
        return list
    }

    @Test func aBadListLineIsSkippedAndNamedWithItsFileAndLine() throws {
        let clean = try Self.parsed("nanopool.org\n# fine\n*.c3pool.com.  # a comment\n")
        #expect(clean.names == ["nanopool.org", "c3pool.com"] && clean.skippedLines == 0)
        let space = try Self.parsed("nanopool.org\n# fine\nbad name.org\nsupportxmr.com\n")
        #expect(space.names == ["nanopool.org", "supportxmr.com"] && space.skippedLines == 1)
        #expect(space.problems.first?.description.hasPrefix("ops.txt:3: ") == true)
        let single = try Self.parsed("nanopool.org\ncom\n")
        #expect(single.problems.first?.line == 2 && single.problems.first?.reason.contains("single label") == true)
    }

    @Test func hostsFilesAndAdblockRulesAreRead() throws {
        let list = try Self.parsed("""
            [Adblock Plus 2.0]
            ! Title: miners
            ||coinhive.com^
            ||authedmine.com^$third-party
            ||example.org/miner.js
            example.net##.miner
            0.0.0.0 crypto-loot.com
            127.0.0.1 localhost
            127.0.0.1 webminepool.com www.webminepool.com # two names
            :: jsecoin.com
            0.0.0.0
            COINHIVE.COM
            """)
        #expect(list.names == ["coinhive.com", "authedmine.com", "crypto-loot.com", "webminepool.com",
                               "www.webminepool.com", "jsecoin.com"])
        #expect(list.duplicates == 1)
        #expect(list.problems.map(\.line) == [5, 6, 11])
        #expect(list.problems[0].reason.contains("more than a domain"))
    }

    @Test func anAddressAmongAHostsFileLinesNamesIsNotTakenForADomain() throws {
        // Found by fuzzing: `0.0.0.5` after a hosts-file address was kept as a name, and did not read back as one.
        let list = try Self.parsed("127.0.0.1 pool.example.com 0.0.0.5 10.1.2\n0.0.0.0 other.example.net")
        #expect(list.names == ["pool.example.com", "other.example.net"])
        #expect(list.problems.map(\.reason).allSatisfy { $0.contains("address, not a domain name") })
        #expect(list.skippedLines == 2)
    }

    @Test func anAddressIsNotTakenForADomainName() throws {
        let list = try Self.parsed("127.0.0.1 pool.example 10.0.0.1\n||192.0.2.1^\n*.198.51.100.7\n")
        #expect(list.names == ["pool.example"])
        #expect(list.problems.map(\.line) == [1, 2, 3])
        #expect(list.problems.allSatisfy { $0.reason.contains("an IP address, not a domain name") })
        // What was kept reads back as it is.
        #expect(try Self.parsed(list.names.joined(separator: "\n")).names == list.names)
    }

    @Test func aMillionLinesOfJunkAndDuplicatesLoadWithinBounds() throws {
        var text = ""
        text.reserveCapacity(40_000_000)
        for index in 0..<1_000_000 {
            switch index % 4 {
            case 0: text += "pool\(index % 50_000).example.com\n"
            case 1: text += "0.0.0.0 pool\(index % 50_000).example.com\n"
            case 2: text += "not a domain \(index)\n"
            default: text += String(repeating: "x", count: index % 7 == 0 ? 5000 : 10) + "\n"
            }
        }
        let list = try Self.parsed(text)
        // Lines 0 mod 4 and 1 mod 4 each name 12,500 distinct pools; the others are junk or too long.
        #expect(list.names.count == 25_000)
        #expect(list.skippedLines == 500_000)
        #expect(list.problems.count == PoolDomainList.reportedProblems)
        #expect(list.duplicates == 475_000)
    }

    @Test func anUnreadableListIsAnErrorNamingIt() {
        #expect(throws: CaptureError.self) { try PoolDomainList(files: ["/nonexistent/pools.txt"]) }
        do {
            _ = try PoolDomainList(files: ["/nonexistent/pools.txt"])
        } catch {
            #expect("\(error)".contains("/nonexistent/pools.txt"))
        }
    }

    // MARK: Through replay

    static let client = "192.168.1.20", resolver = "192.168.1.1", pool = "198.51.100.7"

    static func udpFrame(from source: String, to destination: String, sourcePort: UInt16, destinationPort: UInt16,
                         _ payload: [UInt8]) -> [UInt8] {
        Frames.ethernet(Frames.ipv4Packet(from: source, to: destination, protocol: 17,
                                          transportBytes: Frames.udp(sourcePort: sourcePort,
                                                                     destinationPort: destinationPort, bytes: payload)))
    }

    static func tcpFrame(from source: String, to destination: String, sourcePort: UInt16, destinationPort: UInt16,
                         _ payload: [UInt8], seq: UInt32 = 1, flags: UInt8 = 0x18) -> [UInt8] {
        Frames.ethernet(Frames.ipv4Packet(from: source, to: destination,
                                          transportBytes: Frames.tcp(sourcePort: sourcePort, destinationPort: destinationPort,
                                                                     bytes: payload, seq: seq, flags: flags)))
    }

    static func replayNames(_ frames: [[UInt8]], list: [String]) throws -> (HostSeriesRecorder, CaptureStatistics) {
        let timed = frames.enumerated().map { (OfflineReplayTests.start + Int64($0.offset) * 100_000, $0.element) }
        return try StratumTests.replayEvidence(timed) { $0.poolDomains = PoolDomainList(names: list) }
    }

    @Test func aLookupTheAnswerAndTheFlowToTheAnswerAreReported() throws {
        let frames = [
            Self.udpFrame(from: Self.client, to: Self.resolver, sourcePort: 50_000, destinationPort: 53,
                          PoolMessages.query("xmr-eu1.nanopool.org")),
            Self.udpFrame(from: Self.resolver, to: Self.client, sourcePort: 53, destinationPort: 50_000,
                          PoolMessages.response("xmr-eu1.nanopool.org", v4: [[198, 51, 100, 7]])),
            Self.tcpFrame(from: Self.client, to: Self.pool, sourcePort: 40_001, destinationPort: 14_433, [], seq: 100,
                          flags: 0x02),
            Self.udpFrame(from: Self.client, to: Self.resolver, sourcePort: 50_001, destinationPort: 53,
                          PoolMessages.query("www.example.com")),
        ]
        let (recorder, statistics) = try Self.replayNames(frames, list: ["nanopool.org"])
        let names = try #require(recorder.poolNames[HostAddress(Self.client)!])
        #expect(names.map(\.name) == ["xmr-eu1.nanopool.org", "xmr-eu1.nanopool.org", "xmr-eu1.nanopool.org"])
        #expect(names.allSatisfy { $0.source == .dns })
        #expect(names.map(\.remoteDescription) == [nil, "198.51.100.7", "198.51.100.7:14433"])
        #expect(statistics.dnsMessages == 3)
        #expect(statistics.nameReports == 3)
        #expect(recorder.poolNames[HostAddress(Self.resolver)!] == nil)
    }

    @Test func aClientHelloToAListedNameIsReportedWithItsEndpoint() throws {
        let frames = [
            Self.tcpFrame(from: Self.client, to: Self.pool, sourcePort: 40_002, destinationPort: 443,
                          PoolMessages.clientHello(sni: "pool.supportxmr.com")),
            Self.tcpFrame(from: Self.client, to: "203.0.113.9", sourcePort: 40_003, destinationPort: 443,
                          PoolMessages.clientHello(sni: "www.example.org")),
        ]
        let (recorder, statistics) = try Self.replayNames(frames, list: ["supportxmr.com"])
        let names = try #require(recorder.poolNames[HostAddress(Self.client)!])
        #expect(names.count == 1)
        #expect(names.first?.name == "pool.supportxmr.com")
        #expect(names.first?.source == .sni)
        #expect(names.first?.remoteDescription == "198.51.100.7:443")
        #expect(statistics.tlsClientHellos == 2)
    }

    @Test func aFloodOfLookupsIsBudgetedPerInterval() throws {
        let frames = (0..<200).map { index in
            Self.udpFrame(from: Self.client, to: Self.resolver, sourcePort: UInt16(30_000 + index), destinationPort: 53,
                          PoolMessages.query("w\(index).nanopool.org"))
        }
        let timed = frames.map { (OfflineReplayTests.start, $0) } // all in one interval
        let (recorder, statistics) = try StratumTests.replayEvidence(timed) {
            $0.poolDomains = PoolDomainList(names: ["nanopool.org"])
            $0.nameReportsPerInterval = 16
        }
        #expect(statistics.nameReports == 16)
        #expect(statistics.nameReportsSuppressed == 184)
        #expect(recorder.poolNames[HostAddress(Self.client)!]?.count == 16)
    }

    @Test func aNewListTakesEffectWhileRunning() throws {
        let path = try OfflineReplayTests.writeCapture([(OfflineReplayTests.start, Self.udpFrame(
            from: Self.client, to: Self.resolver, sourcePort: 50_000, destinationPort: 53,
            PoolMessages.query("gulf.moneroocean.stream")))], name: "reload")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.poolDomains = PoolDomainList(names: ["nanopool.org"])
        let session = try CaptureSession(configuration)
        try session.setPoolDomains(PoolDomainList(names: ["moneroocean.stream"]))
        try session.start()
        var found = [CaptureEvidence]()
        while let batch = session.nextBatch(timeout: 5) { found += batch.evidence }
        #expect(found.count == 1)
        #expect(session.statistics.domainTableSwaps == 1)
    }

    // MARK: Real packets (ordinary captures)

    @Test func realClientHellosAndDNSAnswersAreRead() throws {
        guard SharedData.isPresent else {
            print(SharedData.absentReason)
            return
        }
        let (chrome, chromeStatistics) = try StratumTests.replayFile(
            SharedData.path("pcaps/normal/chrome_https_browsing.pcap"), networks: ["192.168.1.0/24"]) {
            $0.poolDomains = PoolDomainList(names: ["cnr.it"])
        }
        let sni = try #require(chrome.poolNames[HostAddress("192.168.1.178")!])
        #expect(sni.contains { $0.name == "www.iit.cnr.it" && $0.source == .sni && $0.remoteDescription == "146.48.58.18:443" })
        #expect(chromeStatistics.tlsClientHellos >= 6)
        #expect(chromeStatistics.tlsMalformed == 0)

        let (android, androidStatistics) = try StratumTests.replayFile(
            SharedData.path("pcaps/normal/android_phone_background.pcap"), networks: ["192.168.2.0/24"]) {
            $0.poolDomains = PoolDomainList(names: ["googleapis.com"])
        }
        let dns = try #require(android.poolNames[HostAddress("192.168.2.16")!])
        #expect(dns.contains { $0.name == "play.googleapis.com" && $0.remoteDescription == "172.217.20.74" })
        #expect(androidStatistics.dnsMessages > 10)
        #expect(androidStatistics.dnsMalformed == 0)
    }
}
