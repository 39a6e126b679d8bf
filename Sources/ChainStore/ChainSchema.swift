import BitcoinData
import Foundation
import GRDB

/// The relational schema of the chain store, as migrations. The SQL is kept to what SQLite and PostgreSQL share
/// so that the PostgreSQL backend can use the same tables.
enum ChainSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE block (
                    height INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE,
                    previous_hash BLOB NOT NULL,
                    version INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    bits INTEGER NOT NULL,
                    nonce INTEGER NOT NULL,
                    tx_count INTEGER NOT NULL,
                    size INTEGER NOT NULL
                );
                CREATE TABLE tx (
                    id INTEGER PRIMARY KEY,
                    txid BLOB NOT NULL,
                    block_height INTEGER NOT NULL REFERENCES block(height),
                    position INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    lock_time INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    weight INTEGER NOT NULL,
                    is_coinbase BOOLEAN NOT NULL,
                    input_value INTEGER,
                    output_value INTEGER NOT NULL,
                    fee INTEGER
                );
                CREATE INDEX tx_txid ON tx(txid);
                CREATE INDEX tx_block ON tx(block_height);
                CREATE TABLE address (
                    id INTEGER PRIMARY KEY,
                    address TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL
                );
                CREATE TABLE output (
                    tx_id INTEGER NOT NULL REFERENCES tx(id),
                    n INTEGER NOT NULL,
                    value INTEGER NOT NULL,
                    script BLOB NOT NULL,
                    kind TEXT NOT NULL,
                    address_id INTEGER REFERENCES address(id),
                    spent_by_tx_id INTEGER,
                    spent_by_n INTEGER,
                    PRIMARY KEY (tx_id, n)
                );
                CREATE INDEX output_address ON output(address_id);
                CREATE INDEX output_spent_by ON output(spent_by_tx_id);
                CREATE TABLE input (
                    tx_id INTEGER NOT NULL REFERENCES tx(id),
                    n INTEGER NOT NULL,
                    prev_txid BLOB NOT NULL,
                    prev_n INTEGER NOT NULL,
                    prev_tx_id INTEGER,
                    value INTEGER,
                    address_id INTEGER REFERENCES address(id),
                    script_sig BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    witness BLOB,
                    PRIMARY KEY (tx_id, n)
                );
                CREATE INDEX input_address ON input(address_id);
                """)
        }
        migrator.registerMigration("v2-analysis-state") { db in
            try db.execute(sql: "CREATE TABLE analysis_state (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        }
        migrator.registerMigration("v3-key-addresses") { db in
            try db.execute(sql: """
                CREATE TABLE output_key (
                    tx_id INTEGER NOT NULL REFERENCES tx(id),
                    n INTEGER NOT NULL,
                    address_id INTEGER NOT NULL REFERENCES address(id),
                    PRIMARY KEY (tx_id, n, address_id)
                );
                CREATE INDEX output_key_address ON output_key(address_id);
                """)
            try listKeyOutputs(db)
        }
        return migrator
    }

    /// Lists the pay-to-pubkey and bare multisig outputs of a store written before they were listed under their
    /// keys' addresses (``OutputListing``): owners and keys, the inputs spending them, and a feature index rebuilt.
    static func listKeyOutputs(_ db: Database) throws {
        guard let name = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'"),
              let network = BitcoinNetwork(rawValue: name) else { return }
        var writer = BlockWriter(db: db, network: network)
        for row in try Row.fetchAll(db, sql: "SELECT tx_id, n, script FROM output WHERE kind IN ('p2pk', 'multisig')") {
            let txId: Int64 = row["tx_id"], n: Int = row["n"]
            if let owner = try writer.list(txId: txId, n: n, script: [UInt8](row["script"] as Data)).owner {
                try db.execute(sql: "UPDATE output SET address_id = ? WHERE tx_id = ? AND n = ?",
                               arguments: [owner, txId, n])
            }
        }
        try db.execute(sql: """
            UPDATE input SET address_id = (SELECT o.address_id FROM output o
                                           WHERE o.tx_id = input.prev_tx_id AND o.n = input.prev_n)
            WHERE address_id IS NULL AND prev_tx_id IS NOT NULL
            """)
        try db.execute(sql: "DELETE FROM analysis_state WHERE key = 'address-features'")
    }
}
