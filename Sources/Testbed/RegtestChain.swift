import BitcoinData

/// A regtest chain built in memory: the genesis block, then blocks mined at regtest difficulty (nBits 0x207fffff)
/// with BIP-34 heights, merkle roots and witness commitments, through ``BlockAssembler``.
public struct RegtestChain: Sendable {
    /// Blocks a coinbase output must wait before it is spent: a block at height h may spend a coinbase from
    /// height c only when h - c ≥ 100 (Bitcoin Core's COINBASE_MATURITY).
    public static let coinbaseMaturity = 100
    /// Blocks between subsidy halvings on regtest (Bitcoin Core's `nSubsidyHalvingInterval` for regtest).
    public static let halvingInterval = 150
    /// Regtest compact target.
    public static let bits: UInt32 = 0x207f_ffff

    /// The blocks from genesis to the tip.
    public private(set) var blocks: [Block]

    /// Starts a chain at the regtest genesis block.
    public init() { blocks = [RegtestGenesis.block] }

    /// Height of the tip.
    public var height: Int { blocks.count - 1 }

    /// The tip block.
    public var tip: Block { blocks[blocks.count - 1] }

    /// The block subsidy at `height` in satoshis.
    public static func subsidy(height: Int) -> Int64 {
        let halvings = height / halvingInterval
        return halvings >= 64 ? 0 : (50 * 100_000_000) >> Int64(halvings)
    }

    /// Whether a coin created at `coinHeight` may be spent by a transaction in the block at `spendHeight`.
    public static func isSpendable(coinHeight: Int, isCoinbase: Bool, spendHeight: Int) -> Bool {
        guard coinHeight < spendHeight else { return false }
        return !isCoinbase || spendHeight - coinHeight >= coinbaseMaturity
    }

    /// Mines the next block holding `transactions`, paying subsidy plus `fees` to `coinbaseScript`, and appends it.
    ///
    /// - Parameter time: block time; must be later than the tip's (the testbed keeps time strictly increasing, so
    ///   it is always above the median of the last eleven blocks).
    @discardableResult
    public mutating func mine(_ transactions: [Transaction], fees: Int64, coinbaseScript: [UInt8],
                              time: UInt32) -> Block {
        precondition(time > tip.header.time, "block times must increase")
        let height = blocks.count
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: tip.hash, height: height, time: time,
                                       bits: Self.bits)
        for transaction in transactions { assembler.add(transaction) }
        let block = assembler.assemble(coinbaseScript: coinbaseScript,
                                       coinbaseValue: Self.subsidy(height: height) + fees)
        blocks.append(block)
        return block
    }
}
