import ChainIngest
import Foundation

/// Replays a simulated run through regtest nodes' wallet RPC: one node wallet per actor (`createwallet`), a new node
/// address for each simulated address when first used (`getnewaddress` of the same type; P2SH multisig becomes
/// `p2sh-segwit`, which a node wallet hands out), payments with `send` (the simulated inputs' coins first, change to
/// the mapped change address), sweeps with `sendall`, and every block with `generatetoaddress` to the mapped coinbase
/// address, round-robin over the nodes once every node's mempool holds the block's transactions.
///
/// Coin selection and fees are the node wallets' own, so amounts drift a little from the simulation; a payment the
/// node wallet cannot fund is counted in ``Summary/failedSteps`` and skipped. Block times are the nodes' clocks.
public struct BitcoindReplayer {
    /// What a replay did.
    public struct Summary: Sendable {
        public var blocks = 0
        public var transactions = 0
        public var failedSteps = 0
        /// The first few failures' messages.
        public var failures: [String] = []
        /// Labels of every node address used, in the labels file's vocabulary.
        public var labels: [AddressLabel] = []
    }

    /// The run to replay.
    public let world: TestbedWorld
    /// The nodes.
    public let nodes: RegtestNodes

    public init(world: TestbedWorld, nodes: RegtestNodes) {
        self.world = world
        self.nodes = nodes
    }

    /// Replays every step; `progress` gets each block's height.
    public func run(progress: (Int) -> Void = { _ in }) async throws -> Summary {
        let plan = ReplayPlan(world: world)
        let nodeList = nodes.nodes
        let walletNames = world.wallets.enumerated().map { "w\($0.offset)-\($0.element.actor)" }
        func client(_ wallet: Int) -> BitcoinRPCClient {
            nodeList[wallet % nodeList.count].client(wallet: walletNames[wallet])
        }
        for (index, name) in walletNames.enumerated() {
            _ = try await nodeList[index % nodeList.count].client().call("createwallet", [name])
        }
        var summary = Summary()
        var mapped = [String: String]()
        func nodeAddress(_ simulated: String) async throws -> String {
            if let known = mapped[simulated] { return known }
            guard let owner = plan.owners[simulated] else {
                throw BitcoindError("the simulated address \(simulated) has no owner")
            }
            let type: String = switch owner.type {
            case .p2pkh: "legacy"
            case .p2wpkh: "bech32"
            case .p2shMultisig: "p2sh-segwit"
            case .p2tr: "bech32m"
            }
            let wallet = world.wallets[owner.wallet]
            guard let address = try await client(owner.wallet).call("getnewaddress", [wallet.actor, type]) as? String
            else { throw BitcoindError("getnewaddress returned no address") }
            mapped[simulated] = address
            summary.labels.append(AddressLabel(address: address, kind: wallet.kind, actor: wallet.actor))
            return address
        }
        // As many confirmed coins at the simulated inputs' addresses as the simulated transaction spent.
        func coins(_ wallet: Int, at addresses: [String]) async throws -> [[String: Any]] {
            let known = Array(Set(addresses.compactMap { mapped[$0] })).sorted()
            guard !known.isEmpty else { return [] }
            let unspent = try await client(wallet).call("listunspent", [1, 9_999_999, known]) as? [[String: Any]] ?? []
            return unspent.prefix(addresses.count).map { ["txid": $0["txid"] ?? "", "vout": $0["vout"] ?? 0] }
        }
        var sent = 0
        for step in plan.steps {
            do {
                switch step {
                case .pay(let wallet, let inputs, let payments, let change):
                    var outputs = [[String: Any]]()
                    for payment in payments {
                        outputs.append([try await nodeAddress(payment.address): Self.bitcoin(payment.satoshis)])
                    }
                    var options: [String: Any] = ["inputs": try await coins(wallet, at: inputs), "add_inputs": true]
                    if let change { options["change_address"] = try await nodeAddress(change) }
                    _ = try await client(wallet).call("send", [outputs, NSNull(), "unset", NSNull(), options])
                    sent += 1
                case .sweep(let wallet, let inputs, let to):
                    let selected = try await coins(wallet, at: inputs)
                    guard !selected.isEmpty else { throw BitcoindError("no confirmed coins to sweep") }
                    _ = try await client(wallet).call(
                        "sendall", [[try await nodeAddress(to)], NSNull(), "unset", NSNull(), ["inputs": selected]])
                    sent += 1
                case .mine(let to):
                    let miner = nodeList[summary.blocks % nodeList.count]
                    try await Self.waitForMempool(miner.client(), size: sent)
                    _ = try await miner.client().call("generatetoaddress", [1, try await nodeAddress(to)])
                    try await nodes.waitForSameTip()
                    summary.blocks += 1
                    summary.transactions += sent
                    sent = 0
                    progress(summary.blocks)
                }
            } catch {
                summary.failedSteps += 1
                if summary.failures.count < 10 { summary.failures.append("\(step): \(error)") }
            }
        }
        return summary
    }

    /// Satoshis as the decimal string node RPC takes for amounts (never a binary floating-point number).
    static func bitcoin(_ satoshis: Int64) -> String {
        let whole = satoshis / 100_000_000, fraction = satoshis % 100_000_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func waitForMempool(_ client: BitcoinRPCClient, size: Int, timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while (try await client.call("getmempoolinfo") as? [String: Any])?["size"] as? Int ?? 0 < size {
            guard Date() < deadline else {
                throw BitcoindError("the mining node's mempool did not reach \(size) transactions in \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }
}
