import DaemonSupport
import Foundation

/// `coinsentry-web`'s configuration, read from TOML (`/etc/coinsentry/web.toml` by default):
///
/// ```toml
/// [web]
/// listen = "127.0.0.1:8810"          # elsewhere: tls_certificate, tls_key and token_file are required
/// # tls_certificate = "/etc/coinsentry/web.crt"
/// # tls_key = "/etc/coinsentry/web.key"
/// token_file = "/etc/coinsentry/web.token"   # mode 0600; needed for every state-changing request
/// assets = "/usr/share/coinsentry/web"       # the console's pages, scripts and openapi.json
/// vendor = "/usr/share/javascript"           # Debian's libjs-bootstrap5 and libjs-chart.js, served as /vendor/
///
/// [daemons]
/// sensor_socket = "/run/coinsentry/control.sock"
/// chain_socket = "/run/coinsentry-chain/chain.sock"
/// ```
public struct WebSettings: Hashable, Sendable {
    /// Where the console is served, with its TLS and token settings.
    public var listen: ListenSettings
    public var assets: String
    public var vendor: String
    public var sensorSocket: String
    public var chainSocket: String

    public static let defaultListen = "127.0.0.1:8810"

    private static let knownKeys: [String: Set<String>] = [
        "web": ListenSettings.keys.union(["assets", "vendor"]),
        "daemons": ["sensor_socket", "chain_socket"],
    ]

    public init(listen: ListenSettings, assets: String = "/usr/share/coinsentry/web",
                vendor: String = "/usr/share/javascript", sensorSocket: String = "/run/coinsentry/control.sock",
                chainSocket: String = "/run/coinsentry-chain/chain.sock") {
        self.listen = listen
        self.assets = assets
        self.vendor = vendor
        self.sensorSocket = sensorSocket
        self.chainSocket = chainSocket
    }

    /// Parses TOML text; `source` names it in errors (file, section and key).
    public init(toml text: String, source: String) throws(ConfigurationProblem) {
        let reader = try TOMLSections(table: try TOMLSections.parse(text, source: source), source: source,
                                      known: Self.knownKeys)
        guard let listen = try reader.listen("web", fallback: Self.defaultListen) else {
            throw reader.fail("[web] listen: the console must listen somewhere (e.g. \(Self.defaultListen))")
        }
        self.init(listen: listen)
        assets = try reader.string("web", "assets") ?? assets
        vendor = try reader.string("web", "vendor") ?? vendor
        sensorSocket = try reader.string("daemons", "sensor_socket") ?? sensorSocket
        chainSocket = try reader.string("daemons", "chain_socket") ?? chainSocket
    }

    /// Reads a configuration file.
    public init(path: String) throws(ConfigurationProblem) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationProblem(description: "cannot read the configuration \(path)")
        }
        try self.init(toml: text, source: path)
    }

    /// The bearer token, read and checked (mode 0600), or nil when none is configured.
    public func token() throws(ConfigurationProblem) -> String? {
        do throws(ListenSettings.Problem) {
            return try listen.token(table: "web")
        } catch {
            throw ConfigurationProblem(description: "[web] token_file: \(error.message)")
        }
    }

    /// Checks that the asset folder holds the console (its index page and API description).
    public func checkAssets() throws(ConfigurationProblem) {
        for file in ["index.html", "openapi.json"] {
            let path = (assets as NSString).appendingPathComponent(file)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationProblem(description: "[web] assets: \(path) is missing; point assets at the "
                                           + "console's folder (web/ in the source tree)")
            }
        }
    }
}
