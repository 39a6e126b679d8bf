import Foundation
import GRDB

/// Inline mode's state (blocks and the allowlist), kept with the alerts so that a restart drops what it dropped before.
extension AlertStore {
    /// Records a block (replacing the host's previous one).
    public func saveBlock(_ block: InlineBlock) throws(AlertingError) {
        let remotes = String(decoding: (try? JSONEncoder().encode(block.remotes)) ?? Data("[]".utf8), as: UTF8.self)
        try inlineCall("save block of \(block.host)") { db in
            try db.execute(sql: """
                INSERT INTO inline_blocks (host, scope, remotes, origin, requested_by, since_us)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (host) DO UPDATE SET scope = excluded.scope, remotes = excluded.remotes,
                    origin = excluded.origin, requested_by = excluded.requested_by, since_us = excluded.since_us
                """, arguments: [block.host, block.scope.rawValue, remotes, block.origin.rawValue, block.requestedBy,
                                 Self.microseconds(block.since)])
        }
    }

    /// Forgets the host's block, if any.
    public func removeBlock(host: String) throws(AlertingError) {
        try inlineCall("remove block of \(host)") { db in
            try db.execute(sql: "DELETE FROM inline_blocks WHERE host = ?", arguments: [host])
        }
    }

    /// Every recorded block, by host.
    public func blocks() throws(AlertingError) -> [InlineBlock] {
        try inlineRead("read blocks") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inline_blocks ORDER BY host").map { row in
                let scopeName: String = row["scope"], originName: String = row["origin"]
                let remotes: String = row["remotes"]
                guard let scope = InlineBlock.Scope(rawValue: scopeName),
                      let origin = InlineBlock.Origin(rawValue: originName) else {
                    throw AlertingError(.store, "inline block of \(row["host"] as String) has scope \(scopeName), "
                                        + "origin \(originName)")
                }
                return InlineBlock(host: row["host"], scope: scope,
                                   remotes: try JSONDecoder().decode([String].self, from: Data(remotes.utf8)),
                                   origin: origin, requestedBy: row["requested_by"], since: Self.date(row["since_us"]))
            }
        }
    }

    /// Adds a host to the allowlist (or refreshes who added it).
    public func saveAllowed(_ entry: AllowedHost) throws(AlertingError) {
        try inlineCall("allow \(entry.host)") { db in
            try db.execute(sql: """
                INSERT INTO inline_allowlist (host, requested_by, since_us) VALUES (?, ?, ?)
                ON CONFLICT (host) DO UPDATE SET requested_by = excluded.requested_by, since_us = excluded.since_us
                """, arguments: [entry.host, entry.requestedBy, Self.microseconds(entry.since)])
        }
    }

    /// Takes a host off the allowlist.
    public func removeAllowed(host: String) throws(AlertingError) {
        try inlineCall("disallow \(host)") { db in
            try db.execute(sql: "DELETE FROM inline_allowlist WHERE host = ?", arguments: [host])
        }
    }

    /// The allowlist, by host.
    public func allowlist() throws(AlertingError) -> [AllowedHost] {
        try inlineRead("read allowlist") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inline_allowlist ORDER BY host").map { row in
                AllowedHost(host: row["host"], requestedBy: row["requested_by"], since: Self.date(row["since_us"]))
            }
        }
    }

    private func inlineCall(_ what: String, _ body: (Database) throws -> Void) throws(AlertingError) {
        try Self.storeCall(what) { try pool.write(body) }
    }

    private func inlineRead<T>(_ what: String, _ body: (Database) throws -> T) throws(AlertingError) -> T {
        try Self.storeCall(what) { try pool.read(body) }
    }
}
