import BitcoinData

/// A simulated run turned into wallet actions, for replaying the same behaviours through real nodes' RPC.
///
/// The simulation decides everything (who pays whom, how much, when, which coins, who mines); a node's wallet then
/// carries each action out with its own keys, coin selection and fees. Addresses are the simulated ones here; the
/// replayer maps each to a new address of the owner's node wallet when it is first used.
public struct ReplayPlan: Sendable {
    /// One wallet action, in chain order.
    public enum Step: Equatable, Sendable {
        /// Wallet `wallet` pays `payments` (simulated address, satoshis), spending as many of its coins at `inputs`
        /// (one address per simulated input) first and sending change to its own `change` address (nil: the
        /// wallet's choice).
        case pay(wallet: Int, inputs: [String], payments: [Payment], change: String?)
        /// Wallet `wallet` sweeps as many of its coins at `inputs` (one address per simulated input) into its own
        /// address `to` (consolidation, settlement).
        case sweep(wallet: Int, inputs: [String], to: String)
        /// The next block is mined, its coinbase paying `to`.
        case mine(to: String)
    }

    /// An amount to an address.
    public struct Payment: Equatable, Sendable {
        public var address: String
        public var satoshis: Int64
    }

    /// An address's owner and type.
    public struct Owner: Sendable {
        public var wallet: Int
        public var type: OutputType
    }

    /// The actions, in chain order: each block's transactions, then its mining.
    public let steps: [Step]
    /// Owner of every simulated address.
    public let owners: [String: Owner]

    /// Plans the replay of `world`'s chain after genesis.
    public init(world: TestbedWorld) {
        var owners = [String: Owner]()
        for (index, wallet) in world.wallets.enumerated() {
            for script in wallet.scripts { owners[script.address] = Owner(wallet: index, type: script.type) }
        }
        var addressOf = [OutPoint: String]()
        var steps = [Step]()
        for block in world.chain.blocks.dropFirst() {
            var coinbaseAddress: String?
            for parsed in block.transactions {
                let transaction = parsed.transaction
                let outputs = transaction.outputs.map {
                    Destination(scriptPubKey: $0.scriptPubKey)?.address(on: .regtest)
                }
                for (index, address) in outputs.enumerated() {
                    if let address { addressOf[OutPoint(txid: parsed.txid, index: UInt32(index))] = address }
                }
                if transaction.isCoinbase {
                    coinbaseAddress = outputs.first ?? nil
                    continue
                }
                var inputs = [String]()
                for input in transaction.inputs {
                    if let address = addressOf[input.previousOutput] { inputs.append(address) }
                }
                guard let wallet = inputs.first.flatMap({ owners[$0]?.wallet }) else { continue }
                // The first output back to the payer is its change (the testbed pays none to itself otherwise).
                var payments = [Payment]()
                var change: String?
                for (output, address) in zip(transaction.outputs, outputs) {
                    guard let address else { continue }
                    if change == nil && owners[address]?.wallet == wallet {
                        change = address
                    } else {
                        payments.append(Payment(address: address, satoshis: output.value))
                    }
                }
                if payments.isEmpty, let change {
                    steps.append(.sweep(wallet: wallet, inputs: inputs, to: change))
                } else {
                    steps.append(.pay(wallet: wallet, inputs: inputs, payments: payments, change: change))
                }
            }
            if let coinbaseAddress { steps.append(.mine(to: coinbaseAddress)) }
        }
        self.steps = steps
        self.owners = owners
    }
}
