import Control
import Foundation
import Hummingbird

/// Kriptosare's REST routes, with its parameters (GET query or POST JSON) and its envelope, so that its existing
/// clients keep working against CoinSentry's chain sidecar. A miss is HTTP 200 with `custom_properties.error = 1`, as there.
///
/// These routes only read: a `POST` here carries a query, not a change, and needs no token on loopback.
struct KriptosareRoutes {
    let chain: DaemonLink

    static let paths: Set<String> = ["/search_address", "/class_checker", "/list_classes", "/list_user_addresses",
                                     "/database_update"]
    static let version = "1.0"

    /// The envelope every route answers in.
    struct Envelope: Encodable, Sendable {
        var uuid = UUID().uuidString.lowercased()
        var version = KriptosareRoutes.version
        var keyType: String
        var key: String
        var tag: String
        var contributor = "CoinSentry \(CoinSentryVersion.current)"
        var tagOptional: [String: JSONValue] = [:]
        var customProperties: Properties

        struct Properties: Encodable, Sendable {
            var error: Int
            var message: String
            var result: JSONValue
            var classifier: String
        }

        enum CodingKeys: String, CodingKey {
            case uuid, version, keyType = "key_type", key, tag, contributor, tagOptional = "tag_optional"
            case customProperties = "custom_properties"
        }
    }

    func add(to router: Router<WebContext>) {
        for path in Self.paths.sorted() {
            let route = RouterPath(String(path.dropFirst()))
            router.get(route) { request, context in try await answer(path, request: request, context: context) }
            router.post(route) { request, context in try await answer(path, request: request, context: context) }
        }
    }

    /// The request's parameters: the query string's, or a POST's JSON object's (its strings and numbers as text).
    private func parameters(_ request: Request, context: WebContext) async throws -> [String: String] {
        var parameters = request.queryDictionary
        if request.method == .post {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            if body.readableBytes > 0 {
                guard case .object(let fields) = try? JSONValue.parse(Data(body.readableBytesView)) else {
                    throw APIError(.badRequest, "the body is not a JSON object of parameters")
                }
                for (name, value) in fields {
                    switch value {
                    case .string(let text): parameters[name] = text
                    case .number(let number): parameters[name] = String(number)
                    case .bool(let flag): parameters[name] = flag ? "True" : "False"
                    default: break
                    }
                }
            }
        }
        return parameters
    }

    private func answer(_ path: String, request: Request, context: WebContext) async throws -> Reply<Envelope> {
        let parameters = try await parameters(request, context: context)
        let status = try? await chain.send(ChainRequest.Status())
        let classifier = status?.model ?? "none"
        func envelope(key: String = "", tag: String, _ outcome: Result<JSONValue, APIError>) -> Reply<Envelope> {
            let properties: Envelope.Properties = switch outcome {
            case .success(let result): .init(error: 0, message: "", result: result, classifier: classifier)
            case .failure(let error): .init(error: 1, message: error.message, result: .null, classifier: classifier)
            }
            return Reply(Envelope(keyType: key.isEmpty ? "" : "address", key: key, tag: tag,
                                  customProperties: properties))
        }
        func address() -> Result<String, APIError> {
            guard let address = parameters["address"], !address.isEmpty else {
                return .failure(APIError(.badRequest, "give the address: ?address=ADDRESS"))
            }
            return .success(address)
        }
        switch path {
        case "/search_address":
            let key = parameters["address"] ?? ""
            return envelope(key: key, tag: "search_address", await result { () async throws(APIError) in
                let report = try await chain.send(ChainRequest.Address(address: try address().get()))
                var result = KriptosareClasses.probabilities(report.probabilities ?? [:]).mapValues(JSONValue.number)
                result["cluster"] = .null
                return .object(result)
            })
        case "/class_checker":
            let key = parameters["address"] ?? ""
            return envelope(key: key, tag: "class_checker", await result { () async throws(APIError) in
                guard let name = parameters["class"], KriptosareClasses.names.contains(name) else {
                    throw APIError(.badRequest, "class is one of \(KriptosareClasses.names.joined(separator: ", "))")
                }
                guard let text = parameters["confidence"], let percent = Double(text),
                      (0...100).contains(percent) else {
                    throw APIError(.badRequest, "confidence is a number from 0 to 100")
                }
                let report = try await chain.send(ChainRequest.Address(address: try address().get()))
                let probability = KriptosareClasses.probabilities(report.probabilities ?? [:])[name] ?? 0
                return ["value": .string(probability * 100 >= percent ? "True" : "False")]
            })
        case "/list_classes":
            return envelope(tag: "list_classes", .success(.array(KriptosareClasses.names.map(JSONValue.string))))
        case "/list_user_addresses":
            return envelope(tag: "list_user_addresses", await result { () async throws(APIError) in
                .array(try await chain.send(ChainRequest.Watchlist()).addresses.map(JSONValue.string))
            })
        default:  // /database_update
            return envelope(tag: "database_update", await result { () async throws(APIError) in
                let status = try await chain.send(ChainRequest.Status())
                return ["timestamp": status.lastBlockTime.map(JSONValue.string) ?? .null,
                        "block": status.tipHeight.map { .number(Double($0)) } ?? .null]
            })
        }
    }

    private func result(_ body: () async throws(APIError) -> JSONValue) async -> Result<JSONValue, APIError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}

/// Kriptosare's six classes, and CoinSentry's behaviour classes folded into them.
///
/// exchange, gambling, mixer and service keep their names; `mining_pool` is Kriptosare's `miner`;
/// `automated_payouts` (payout services) counts as `service`; `market` (darknet markets) has no counterpart in
/// CoinSentry and is 0; `wallet` (an individual's) has none in Kriptosare and is left out, so the six sum to one less
/// the wallet's probability.
public enum KriptosareClasses {
    public static let names = ["exchange", "gambling", "market", "miner", "mixer", "service"]

    static let folded: [String: String] = [
        "exchange": "exchange", "gambling": "gambling", "mining_pool": "miner", "mixer": "mixer",
        "service": "service", "automated_payouts": "service",
    ]

    /// The six classes' probabilities from CoinSentry's.
    public static func probabilities(_ coinSentry: [String: Double]) -> [String: Double] {
        var six = Dictionary(uniqueKeysWithValues: names.map { ($0, 0.0) })
        for (name, probability) in coinSentry {
            if let kriptosare = folded[name] { six[kriptosare, default: 0] += probability }
        }
        return six
    }
}
