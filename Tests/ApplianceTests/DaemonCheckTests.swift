import Foundation
import TestSupport
import Testing

/// `coinsentryd --check`: what an operator runs after editing the configuration. A good configuration is described;
/// a bad one, a corrupt model or pool model, an unreadable pool-domain list, a missing interface or group, or a state
/// directory it cannot write exits 78 (EX_CONFIG, which the unit does not restart into) naming the key and what is
/// wrong.
@Suite struct DaemonCheckTests {
    static let daemon = EndToEndTests.binaries.appendingPathComponent("coinsentryd").path
    static let etc = EndToEndTests.root.appendingPathComponent("etc/coinsentry").path

    static func check(_ configuration: String, files: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-check-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try text.write(toFile: directory.appendingPathComponent(name).path, atomically: true, encoding: .utf8)
        }
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try configuration.replacingOccurrences(of: "DIR", with: directory.path)
            .write(toFile: config, atomically: true, encoding: .utf8)
        let process = try Shell.start([daemon, "--config", config, "--check"])
        let output = String(decoding: process.standardOutputData(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func configuration(poolModel: String = "\(etc)/pool-model.json",
                              domains: String = "\(etc)/pool-domains.txt", interface: String = "lo",
                              group: String = "", state: String = "DIR/state") -> String {
        """
        state_directory = "\(state)"
        [control]
        socket = "DIR/control.sock"
        group = "\(group)"
        [capture]
        interfaces = ["\(interface)"]
        local_networks = ["10.0.0.0/8"]
        pool_domain_files = ["\(domains)"]
        [metrics]
        listen = ""
        [model]
        path = "\(etc)/model.json"
        pool_path = "\(poolModel)"
        """
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func theShippedModelsAndListPass() throws {
        let result = try Self.check(Self.configuration())
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("is valid") && result.output.contains("pool domains"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func aCorruptPoolModelIsRefusedNamingTheFile() throws {
        let result = try Self.check(Self.configuration(poolModel: "DIR/pool-model.json"),
                                    files: ["pool-model.json": "{\"format\": \"coinsentry-pool-shape-model\", \"version\": 1"])
        #expect(result.status == 78)
        #expect(result.output.contains("pool-model.json"), "\(result.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func aBadPoolDomainLineIsSkippedAndNamedWithItsFileAndLine() throws {
        let result = try Self.check(Self.configuration(domains: "DIR/pools.txt"),
                                    files: ["pools.txt": "# ours\npool.example.org\nnot a domain\n"])
        #expect(result.status == 0)
        #expect(result.output.contains("pools.txt:3"), "\(result.output)")
        #expect(result.output.contains("1 pool domains (1 list lines skipped)"), "\(result.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func anUnreadablePoolDomainListIsRefusedNamingIt() throws {
        let result = try Self.check(Self.configuration(domains: "DIR/missing.txt"), files: [:])
        #expect(result.status == 78)
        #expect(result.output.contains("missing.txt"), "\(result.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func whatStartUpNeedsFromTheMachineIsChecked() throws {
        let interface = try Self.check(Self.configuration(interface: "cs-absent0"))
        #expect(interface.status == 78)
        #expect(interface.output.contains("capture.interfaces") && interface.output.contains("cs-absent0"),
                "\(interface.output)")
        let group = try Self.check(Self.configuration(group: "cs-no-such-group"))
        #expect(group.status == 78)
        #expect(group.output.contains("control.group") && group.output.contains("cs-no-such-group"), "\(group.output)")
        let model = try Self.check(Self.configuration().replacingOccurrences(of: "\(Self.etc)/model.json",
                                                                             with: "DIR/absent-model.json"))
        #expect(model.status == 78)
        #expect(model.output.contains("model.path") && model.output.contains("absent-model.json"), "\(model.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: daemon), "skipped: coinsentryd is not built"))
    func anUnknownKeyIsRefusedByName() throws {
        let result = try Self.check(Self.configuration() + "\npool_pth = \"x\"\n")
        #expect(result.status == 78)
        #expect(result.output.contains("model.pool_pth"), "\(result.output)")
    }
}
