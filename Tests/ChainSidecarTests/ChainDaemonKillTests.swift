import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import GRDB
import Testing

/// `coinsentry-chaind` killed with SIGKILL while it ingests (in a batch's database transaction, or in the rollback
/// and re-ingestion of a reorg) and started again on the same store: after every kill the store holds a prefix of
/// one of the served chains at a block boundary, nothing twice, and the run ends where an uninterrupted one does.
///
/// A kill cannot be aimed at one instruction of the daemon, so each phase kills it repeatedly at varied times while
/// it ingests, and checks the store after each kill.
@Suite(.serialized, .enabled(if: ChainDaemonProcess.unavailableReason == nil,
                             Comment(rawValue: ChainDaemonProcess.unavailableReason ?? "")))
struct ChainDaemonKillTests {
    /// Blocks of the main chain and transactions per block: enough for ingestion to take a few seconds.
    static let mainBlocks = 800
    static let transactionsPerBlock = 12
    /// Where the competing branch leaves the main chain (250 blocks below its tip), and how far it goes beyond it.
    static let forkHeight = 550
    static let branchLead = 20

    @Test func killedInBatchesAndInAReorgTheStoreEqualsAnUninterruptedRun() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        var main = SyntheticChain()
        for _ in 0..<Self.mainBlocks { main.extend(transactions: Self.transactionsPerBlock) }
        var branch = main.truncated(to: Self.forkHeight, seed: 7)
        for _ in 0..<(Self.mainBlocks - Self.forkHeight + Self.branchLead) {
            branch.extend(transactions: Self.transactionsPerBlock)
        }
        let writer = try BlockFileWriter(directory: blocks, network: .regtest)
        try writer.write(main.blocks)
        try configurationText(blocks: blocks, directory: directory)
            .replacingOccurrences(of: "interval_seconds = 5", with: "interval_seconds = 0.5")
            .write(toFile: directory.file("chain.toml"), atomically: true, encoding: .utf8)
        let database = directory.file("chain.sqlite")

        let batchKills = try await killWhileIngesting(to: main, directory: directory, chains: [main.blocks])
        #expect(batchKills >= 3, "the kills landed before the tip")
        try await StoreChecks.expectSameAsUninterrupted(database, chain: main.blocks)

        // The branch outweighs the main chain: the next cycle rolls 250 blocks back and stores 270.
        try writer.write(main.blocks + branch.blocks.dropFirst(Self.forkHeight))
        let reorgKills = try await killWhileIngesting(to: branch, directory: directory,
                                                      chains: [main.blocks, branch.blocks])
        #expect(reorgKills >= 2, "the kills landed before the branch's tip")
        try await StoreChecks.expectSameAsUninterrupted(database, chain: branch.blocks)
    }

    /// Starts the daemon and kills it at varied times until the store holds `chain`'s tip, checking the store after
    /// each kill against `chains` (it must be a prefix of one of them); returns the number of kills. A last start,
    /// from wherever the kills left the store, runs to the tip and is stopped with SIGTERM.
    func killWhileIngesting(to chain: SyntheticChain, directory: TemporaryDirectory, chains: [[Block]]) async throws
        -> Int {
        let path = directory.file("chain.sqlite")
        func start() throws -> ChainDaemonProcess {
            try ChainDaemonProcess(config: directory.file("chain.toml"), socket: directory.file("chain.sock"),
                                   log: directory.file("chaind.log"))
        }
        let tip = chain.blocks.count - 1
        var reached = try storedTip(path)
        var delay = 0.3
        var kills = 0
        while reached != tip, kills < 15 {
            let daemon = try start()
            // Varied times within the ingestion (between one and two delays). A kill that found no new block
            // lengthens the next wait; one that found a third of what was left shortens it, so that on a fast machine
            // too several kills land before the tip.
            let milliseconds = Int(delay * 1000)
            try await Task.sleep(for: .milliseconds(milliseconds + Int.random(in: 0...milliseconds)))
            daemon.sigkill()
            kills += 1
            let now = try StoreChecks.expectConsistentPrefix(path, of: chains)
            let before = reached ?? -1, after = now ?? -1
            if after == before {
                delay += 0.3
            } else if after - before > (tip - before) / 3 {
                delay = max(0.1, delay / 2)
            }
            reached = now
        }
        let daemon = try start()
        try await daemon.waitForTip(tip)
        #expect(daemon.stop() == 0)
        return kills
    }

    /// The stored tip height (nil when nothing is stored or there is no file yet).
    func storedTip(_ path: String) throws -> Int? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try ChainStore(path: path, network: .regtest).tip()?.height
    }
}
