import Appliance
import Foundation
import Testing

@Suite struct ConfigurationTests {
    static let minimal = """
        [capture]
        interfaces = ["eth1"]
        local_networks = ["10.0.0.0/8"]
        """

    @Test func shippedConfigurationIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let configuration = try SensorConfiguration.load(root.appendingPathComponent("etc/coinsentry/coinsentry.toml").path)
        #expect(configuration.interfaces == ["eth1"])
        #expect(configuration.interval == 1)
        #expect(configuration.controlSocket == "/run/coinsentry/control.sock")
        #expect(configuration.localNetworks.count == 4)
    }

    @Test func defaultsFillTheRest() throws {
        let configuration = try SensorConfiguration.parse(Self.minimal)
        #expect(configuration.modelPath == "/etc/coinsentry/model.json")
        #expect(configuration.immediateMode)
        #expect(configuration.cpu == nil)
    }

    @Test(arguments: [
        ("[capture]\ninterfaces = [\"a\"]\n", "capture.local_networks"),
        ("[capture]\nlocal_networks = [\"10.0.0.0/8\"]\n", "capture.interfaces"),
        (minimal + "\nintervall = 2\n", "capture.intervall"),
        (minimal + "\ninterval = \"fast\"\n", "capture.interval"),
        (minimal + "\ninterval = 0\n", "capture.interval"),
        (minimal + "\nmax_hosts = 1.5\n", "capture.max_hosts"),
        (minimal + "\n[alerts]\nsyslog = [\"udp:collector\"]\n", "alerts.syslog"),
        (minimal + "\n[alerts]\nsyslog_facility = \"local9\"\n", "alerts.syslog_facility"),
        (minimal + "\n[model]\npath = \"relative.json\"\n", "model.path"),
        ("[capture]\ninterfaces = [\"a\"]\nlocal_networks = [\"10.0.0.0/33\"]\n", "capture.local_networks"),
        ("colour = \"blue\"\n" + minimal, "colour"),
    ])
    func badValuesNameTheirKey(text: String, key: String) {
        #expect { try SensorConfiguration.parse(text, file: "c.toml") } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func syntaxErrorsGiveTheLine() {
        #expect { try SensorConfiguration.parse("a = 1\n[capture\n", file: "c.toml") } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix("c.toml: line 2") == true
        }
    }
}
