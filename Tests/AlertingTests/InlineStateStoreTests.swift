import Alerting
import Foundation
import TestSupport
import Testing

/// Inline blocks and the allowlist in the alert store: they survive a reopen, and a store made by the previous schema
/// (v1, before inline mode) gains the tables with its alerts intact.
@Suite struct InlineStateStoreTests {
    static let block = InlineBlock(host: "10.0.0.5", scope: .endpoints,
                                   remotes: ["203.0.113.7:3333", "[2001:db8::1]:443"],
                                   origin: .verdict, requestedBy: "verdict",
                                   since: Date(timeIntervalSince1970: 1_790_000_000.5))

    @Test func blocksAndAllowlistSurviveAReopen() throws {
        let directory = try Fixtures.temporaryDirectory()
        var store: AlertStore? = try AlertStore(directory: directory)
        try #require(store).saveBlock(Self.block)
        try #require(store).saveBlock(InlineBlock(host: "10.0.0.6", scope: .all, remotes: [], origin: .operator,
                                                 requestedBy: "uid=0 gid=0 pid=7 (coinsentryctl)",
                                                 since: Date(timeIntervalSince1970: 1_790_000_001)))
        try #require(store).saveAllowed(AllowedHost(host: "10.0.0.9", requestedBy: "uid=1000 gid=1000 pid=8",
                                                   since: Date(timeIntervalSince1970: 1_790_000_002)))
        try #require(store).close()
        store = nil

        let reopened = try AlertStore(directory: directory)
        let blocks = try reopened.blocks()
        #expect(blocks.count == 2)
        #expect(blocks.first == Self.block)
        #expect(blocks.last?.scope == .all && blocks.last?.origin == .operator)
        #expect(try reopened.allowlist().map(\.host) == ["10.0.0.9"])
        try reopened.removeBlock(host: "10.0.0.5")
        try reopened.removeAllowed(host: "10.0.0.9")
        #expect(try reopened.blocks().map(\.host) == ["10.0.0.6"])
        #expect(try reopened.allowlist().isEmpty)
    }

    @Test(.enabled(if: Shell.which("sqlite3") != nil, "skipped: the sqlite3 shell is needed to build a v1 store"))
    func aVersionOneStoreIsMigrated() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = URL(fileURLWithPath: directory).appendingPathComponent(AlertStore.fileName).path
        // The v1 schema as the first release created it, with one open alert and GRDB's migration record.
        try Shell.run(["sqlite3", path, """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1: alerts, open alerts, host state');
            CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, time_us BIGINT NOT NULL, sensor TEXT NOT NULL,
                event TEXT NOT NULL, host TEXT NOT NULL, verdict TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
                windows INTEGER NOT NULL, model TEXT NOT NULL, evidence TEXT NOT NULL, action TEXT NOT NULL,
                requested_by TEXT);
            CREATE TABLE open_alerts (host TEXT NOT NULL, kind TEXT NOT NULL, alert_id BIGINT NOT NULL
                REFERENCES alerts (id), PRIMARY KEY (host, kind));
            CREATE TABLE host_state (host TEXT PRIMARY KEY, verdict TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
                windows INTEGER NOT NULL, updated_us BIGINT NOT NULL);
            INSERT INTO alerts VALUES (1, 1790000000000000, 's', 'mining', '10.0.0.5', 'mining', 0.9, 48, 'm',
                '[{"kind":"statistics","score":0.9}]', 'none', NULL);
            INSERT INTO open_alerts VALUES ('10.0.0.5', 'mining', 1);
            """])
        let store = try AlertStore(directory: directory)
        #expect(try store.openAlert(host: "10.0.0.5")?.record.evidence.first?.kind == "statistics")
        #expect(try store.blocks().isEmpty)
        try store.saveBlock(Self.block)
        #expect(try store.blocks() == [Self.block])
    }
}
