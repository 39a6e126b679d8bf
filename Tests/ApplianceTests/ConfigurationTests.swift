import Appliance
import DaemonSupport
import Foundation
import Testing

@Suite struct ConfigurationTests {
    static let minimal = """
        [capture]
        interfaces = ["eth1"]
        local_networks = ["10.0.0.0/8"]
        """

    /// A path's directory, as the environment check and the chain sidecar take it, for any path: a one-character
    /// relative path trapped in Foundation's `deletingLastPathComponent` (an input the `toml_config` fuzz target found).
    @Test func aPathsDirectoryIsTakenForAnyPath() {
        #expect(ConfigurationPath.directory(of: "/run/coinsentry/control.sock") == "/run/coinsentry")
        #expect(ConfigurationPath.directory(of: "/run/coinsentry/") == "/run")
        #expect(ConfigurationPath.directory(of: "/") == "/")
        #expect(ConfigurationPath.directory(of: "e").isEmpty && ConfigurationPath.directory(of: "e/").isEmpty)
        #expect(ConfigurationPath.sibling("testbed", of: "e") == "testbed")
    }

    @Test func shippedConfigurationIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let configuration = try SensorConfiguration.load(root.appendingPathComponent("etc/coinsentry/coinsentry.toml").path)
        #expect(configuration.capture.interfaces == ["eth1"])
        #expect(configuration.capture.interval == 1)
        #expect(configuration.control.socket == "/run/coinsentry/control.sock")
        #expect(configuration.capture.localNetworks.count == 4)
        #expect(configuration.capture.poolDomainFiles == ["/etc/coinsentry/pool-domains.txt"])
        #expect(configuration.model.poolPath == "/etc/coinsentry/pool-model.json")
        #expect(configuration.fusion.poolPorts.contains(3333) && configuration.fusion.poolPorts.contains(14444))
    }

    @Test func poolEvidenceKeysAreReadAndOffByDefault() throws {
        #expect(try SensorConfiguration.parse(Self.minimal).capture.poolDomainFiles.isEmpty)
        #expect(try SensorConfiguration.parse(Self.minimal).model.poolPath == nil)
        let configuration = try SensorConfiguration.parse(Self.minimal + """

            track_flows = false
            max_flows = 200000
            shape_min_age = 300
            pool_domain_files = ["/etc/coinsentry/pool-domains.txt", "/etc/coinsentry/our-pools.txt"]
            [model]
            pool_path = "/srv/pool-model.json"
            """)
        #expect(!configuration.capture.trackFlows)
        #expect(configuration.capture.maxFlows == 200_000)
        #expect(configuration.capture.shapeMinimumAge == 300)
        #expect(configuration.capture.poolDomainFiles.count == 2)
        #expect(configuration.model.poolPath == "/srv/pool-model.json")
    }

    @Test func metricsElsewhereThanLoopbackNeedTLSAndAToken() throws {
        #expect(try SensorConfiguration.parse(Self.minimal).metrics == ListenSettings(host: "127.0.0.1", port: 9810))
        let chosen = try SensorConfiguration.parse(Self.minimal + "\n[metrics]\nlisten = \"[::1]:9900\"\n")
        #expect(chosen.metrics == ListenSettings(host: "::1", port: 9900))
        #expect(try SensorConfiguration.parse(Self.minimal + "\n[metrics]\nlisten = \"\"\n").metrics == nil)
        for bad in ["127.0.0.1", "127.0.0.1:99999", "nowhere"] {
            #expect { try SensorConfiguration.parse(Self.minimal + "\n[metrics]\nlisten = \"\(bad)\"\n") } throws: {
                ($0 as? ConfigurationError)?.key == "metrics.listen"
            }
        }
        // Elsewhere than loopback: refused without TLS, then without a token, each time naming the missing key.
        let exposed = Self.minimal + "\n[metrics]\nlisten = \"0.0.0.0:9810\"\n"
        #expect { try SensorConfiguration.parse(exposed) } throws: {
            ($0 as? ConfigurationError)?.key == "metrics.tls_certificate"
        }
        let withTLS = exposed + "tls_certificate = \"/etc/coinsentry/metrics.pem\"\ntls_key = \"/etc/coinsentry/metrics.key\"\n"
        #expect { try SensorConfiguration.parse(withTLS) } throws: {
            ($0 as? ConfigurationError)?.key == "metrics.token_file"
        }
        #expect { try SensorConfiguration.parse(exposed + "tls_certificate = \"/c.pem\"\n") } throws: {
            ($0 as? ConfigurationError)?.key == "metrics.tls_key"
        }
        let complete = try SensorConfiguration.parse(withTLS + "token_file = \"/etc/coinsentry/metrics.token\"\n")
        #expect(complete.metrics == ListenSettings(host: "0.0.0.0", port: 9810,
                                                    certificate: "/etc/coinsentry/metrics.pem",
                                                    privateKey: "/etc/coinsentry/metrics.key",
                                                    tokenFile: "/etc/coinsentry/metrics.token"))
    }

    @Test func defaultsFillTheRest() throws {
        let configuration = try SensorConfiguration.parse(Self.minimal)
        #expect(configuration.model.path == "/etc/coinsentry/model.json")
        #expect(configuration.capture.immediateMode)
        #expect(configuration.capture.cpu == nil)
    }

    @Test(arguments: [
        ("[capture]\ninterfaces = [\"a\"]\n", "capture.local_networks"),
        ("[capture]\nlocal_networks = [\"10.0.0.0/8\"]\n", "capture.interfaces"),
        (minimal + "\nintervall = 2\n", "capture.intervall"),
        (minimal + "\ninterval = \"fast\"\n", "capture.interval"),
        (minimal + "\ninterval = 0\n", "capture.interval"),
        (minimal + "\nmax_hosts = 1.5\n", "capture.max_hosts"),
        (minimal + "\nmax_flows = 8\n", "capture.max_flows"),
        (minimal + "\n[alerts]\nsyslog = [\"udp:collector\"]\n", "alerts.syslog"),
        (minimal + "\n[alerts]\nsyslog_facility = \"local9\"\n", "alerts.syslog_facility"),
        (minimal + "\n[model]\npath = \"relative.json\"\n", "model.path"),
        (minimal + "\n[model]\npool_path = \"pool.json\"\n", "model.pool_path"),
        (minimal + "\nshape_min_age = 5\n", "capture.shape_min_age"),
        (minimal + "\ntrack_flows = \"yes\"\n", "capture.track_flows"),
        (minimal + "\npool_domain_files = [\"pools.txt\"]\n", "capture.pool_domain_files"),
        ("[capture]\ninterfaces = [\"a\"]\nlocal_networks = [\"10.0.0.0/33\"]\n", "capture.local_networks"),
        ("colour = \"blue\"\n" + minimal, "colour"),
        (minimal + "\n[inline]\nqueue = 70000\n", "inline.queue"),
        (minimal + "\n[inline]\nqueue = 1\npolicy = \"drop\"\n", "inline.policy"),
        (minimal + "\n[inline]\npolicy = \"block\"\n", "inline.policy"),
        (minimal + "\n[inline]\nqueue = 1\nblock_scope = \"pools\"\n", "inline.block_scope"),
        (minimal + "\n[inline]\nqueue = 1\nallowlist = [\"10.0.0.300\"]\n", "inline.allowlist"),
        (minimal + "\n[inline]\nqeue = 1\n", "inline.qeue"),
        (minimal + "\n[verdict]\nstrong_vote = 1.5\n", "verdict.strong_vote"),
        (minimal + "\n[verdict]\nstrong_vote = 0.3\nstrong_vote_clear = 0.4\n", "verdict.strong_vote_clear"),
        (minimal + "\n[verdict]\nstrong_pieces = 2.5\n", "verdict.strong_pieces"),
        (minimal + "\n[verdict]\nstrong_vote_windows = -1\n", "verdict.strong_vote_windows"),
        (minimal + "\n[verdict]\nevidence_hold_seconds = 0\n", "verdict.evidence_hold_seconds"),
        (minimal + "\n[verdict]\nstratum_decisive = \"yes\"\n", "verdict.stratum_decisive"),
        (minimal + "\n[verdict]\npool_ports = [3333, 70000]\n", "verdict.pool_ports"),
    ])
    func badValuesNameTheirKey(text: String, key: String) {
        #expect { try SensorConfiguration.parse(text, file: "c.toml") } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func inlineAndVerdictKeysAreRead() throws {
        let configuration = try SensorConfiguration.parse("""
            [capture]
            local_networks = ["10.0.0.0/8"]
            [inline]
            queue = 3
            policy = "block"
            block_scope = "all"
            allowlist = ["10.0.0.1", "fd00::1"]
            [verdict]
            strong_pieces = 3
            strong_vote = 0.4
            strong_vote_clear = 0.25
            strong_vote_windows = 5
            pool_shape_score = 0.7
            evidence_hold_seconds = 600
            stratum_decisive = false
            """)
        #expect(configuration.capture.interfaces.isEmpty, "a queue alone is a packet source")
        #expect(configuration.sourceNames == ["nfqueue:3"])
        #expect(configuration.inline.policy == .block && configuration.inline.blockAllTraffic)
        #expect(configuration.inline.allowlist.map(\.description) == ["10.0.0.1", "fd00::1"])
        #expect(configuration.fusion.strongPiecesForMining == 3 && configuration.fusion.strongVoteThreshold == 0.4)
        #expect(configuration.fusion.strongVoteClearThreshold == 0.25 && configuration.fusion.strongVoteWindows == 5)
        #expect(configuration.fusion.minimumPoolShapeScore == 0.7)
        #expect(configuration.fusion.evidenceHoldSeconds == 600 && !configuration.fusion.stratumDecisive)
    }

    @Test func syntaxErrorsGiveTheLine() {
        #expect { try SensorConfiguration.parse("a = 1\n[capture\n", file: "c.toml") } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix("c.toml: line 2") == true
        }
    }
}
