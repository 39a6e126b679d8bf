import Foundation

/// Appends alerts to a file as JSON lines in the EVE style (``EVEAlert``), one alert per line, for SIEM ingestion.
///
/// Each line goes out in a single `write` on a file opened with `O_APPEND`, so lines never interleave. For
/// logrotate: after the file is renamed, ``reopen()`` (the daemon calls it on SIGHUP) starts a new file at the
/// configured path, created with mode 0640; a logrotate `postrotate` sends the SIGHUP.
public actor JSONLinesSink: AlertSink {
    public nonisolated let name: String
    public nonisolated let counters = SinkCounters()
    /// The configured path.
    public nonisolated let path: String
    /// The mode a new file gets.
    public nonisolated let mode: mode_t
    private var file: LogFile
    private let encoder: JSONEncoder
    /// The `alert_id` of the file's last line, read when the file is opened.
    private var lastWrittenID: Int64?

    /// Opens (or creates) the file.
    /// - Parameters:
    ///   - path: the file, such as `/var/log/coinsentry/alerts.json`; its directory must exist.
    ///   - mode: the mode of a file the sink creates, 0640 unless configured otherwise.
    /// - Throws: ``AlertingError/Code/file`` when the file cannot be opened.
    public init(path: String, mode: mode_t = 0o640) throws(AlertingError) {
        self.path = path
        self.mode = mode
        self.name = "json \(path)"
        self.file = try LogFile.openForAppending(path: path, mode: mode)
        self.lastWrittenID = Self.lastAlertID(inFileAt: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
    }

    /// Writes one line; a failed write is thrown, for the dispatcher to count as a drop.
    public func deliver(_ record: AlertRecord) async throws(AlertingError) {
        try write(record, id: nil)
    }

    /// Writes one line with the record's `alert_id`, unless the file already ends at or after that id (the record
    /// was written just before the daemon was killed, and comes again because its delivery was not yet recorded):
    /// the file gets each stored alert once.
    public func deliver(_ record: AlertRecord, id: Int64?, settled: @escaping @Sendable () -> Void)
        async throws(AlertingError) {
        if let id, let last = lastWrittenID, id <= last {
            settled()
            return
        }
        try write(record, id: id)
        settled()
    }

    private func write(_ record: AlertRecord, id: Int64?) throws(AlertingError) {
        let line: Data
        do {
            line = try encoder.encode(EVEAlert(record, id: id))
        } catch {
            throw AlertingError(.encoding, "could not encode alert for \(record.host) as JSON: \(error)")
        }
        try file.append(Array(line) + [UInt8(ascii: "\n")])
        if let id { lastWrittenID = max(lastWrittenID ?? id, id) }
        counters.countDelivered()
    }

    /// Opens the configured path anew, so that after logrotate renamed the file the next line goes to a new one.
    /// On failure the sink keeps writing to the file it had.
    /// - Throws: ``AlertingError/Code/file`` when the path cannot be opened.
    public func reopen() throws(AlertingError) {
        file = try LogFile.openForAppending(path: path, mode: mode)
        lastWrittenID = Self.lastAlertID(inFileAt: path) ?? lastWrittenID
    }

    /// The `coinsentry.alert_id` of the last whole line of the file at `path`, if it has one (from its last 64 KiB).
    static func lastAlertID(inFileAt path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return nil }
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        guard let tail = try? handle.readToEnd() else { return nil }
        let lines = tail.split(separator: UInt8(ascii: "\n"))
        guard let last = lines.last,
              let alert = try? JSONDecoder().decode(EVEAlert.self, from: Data(last)) else { return nil }
        return alert.coinsentry.alertID
    }
}
