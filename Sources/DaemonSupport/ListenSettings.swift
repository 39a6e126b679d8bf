import Foundation
import NIOSSL

/// Where and how an HTTP endpoint is served: the `[metrics]` table both daemons share, and `coinsentry-web`'s `[web]`.
///
/// On loopback plain HTTP is allowed. Bound anywhere else, the endpoint needs TLS (the operator's certificate and key)
/// and a bearer token (a file of mode 0600): the configuration is refused otherwise, naming the key that is missing.
public struct ListenSettings: Hashable, Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key; nil for plain HTTP.
    public var certificate: String?
    public var privateKey: String?
    /// A file holding the bearer token scrapers must send (`Authorization: Bearer TOKEN`); nil for none.
    public var tokenFile: String?

    public init(host: String, port: Int, certificate: String? = nil, privateKey: String? = nil,
                tokenFile: String? = nil) {
        self.host = host
        self.port = port
        self.certificate = certificate
        self.privateKey = privateKey
        self.tokenFile = tokenFile
    }

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool { host == "::1" || host.hasPrefix("127.") || host == "localhost" }

    /// The table's keys.
    public static let keys: Set<String> = ["listen", "tls_certificate", "tls_key", "token_file"]

    /// A key of the table that is wrong, and why.
    public struct Problem: Error, Hashable, Sendable {
        /// The key's full name (`metrics.listen`).
        public var key: String
        public var message: String
    }

    /// Reads the table's values: `listen` is `HOST:PORT` (`[IPv6]:PORT`) or "" for off (nil); nil keeps `fallback`.
    /// - Throws: `Problem` naming `table.KEY`.
    public static func parse(listen: String?, certificate: String?, privateKey: String?, tokenFile: String?,
                             fallback: String, table: String = "metrics") throws(Problem) -> ListenSettings? {
        let value = listen ?? fallback
        guard !value.isEmpty else { return nil }
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
              (1...65535).contains(port) else {
            throw Problem(key: "\(table).listen", message: "'\(value)' is not HOST:PORT (e.g. \(fallback)), "
                          + "or \"\" for off")
        }
        var host = String(value[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let settings = ListenSettings(host: host, port: port, certificate: certificate.flatMap { $0.isEmpty ? nil : $0 },
                                       privateKey: privateKey.flatMap { $0.isEmpty ? nil : $0 },
                                       tokenFile: tokenFile.flatMap { $0.isEmpty ? nil : $0 })
        if (settings.certificate == nil) != (settings.privateKey == nil) {
            let missing = settings.certificate == nil ? "tls_certificate" : "tls_key"
            throw Problem(key: "\(table).\(missing)", message: "TLS needs both tls_certificate and tls_key")
        }
        if !settings.isLoopback {
            let why = "'\(host)' is not a loopback address: served elsewhere, [\(table)] needs TLS (tls_certificate, "
                + "tls_key) and a bearer token (token_file, mode 0600)"
            if settings.certificate == nil { throw Problem(key: "\(table).tls_certificate", message: why) }
            if settings.tokenFile == nil { throw Problem(key: "\(table).token_file", message: why) }
        }
        return settings
    }

    /// The bearer token from `tokenFile`, checked: the file exists, is not empty, and no one but its owner may read it.
    /// - Throws: `Problem` naming `table.token_file`.
    public func token(table: String = "metrics") throws(Problem) -> String? {
        guard let tokenFile else { return nil }
        let key = "\(table).token_file"
        var info = stat()
        guard stat(tokenFile, &info) == 0 else {
            throw Problem(key: key, message: "\(tokenFile): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Problem(key: key, message: "\(tokenFile) may be read by others (mode "
                          + String(info.st_mode & 0o777, radix: 8) + "); make it 0600")
        }
        guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8),
              case let token = text.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw Problem(key: key, message: "\(tokenFile) holds no token")
        }
        return token
    }

    /// The server's TLS configuration from `certificate` and `privateKey`, read now; nil for plain HTTP.
    /// - Throws: `Problem` naming `table.tls_certificate`.
    public func tlsConfiguration(table: String = "metrics") throws(Problem) -> TLSConfiguration? {
        guard let certificate, let privateKey else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKey, format: .pem)
            return .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw Problem(key: "\(table).tls_certificate", message: "cannot use \(certificate) with \(privateKey): \(error)")
        }
    }
}
