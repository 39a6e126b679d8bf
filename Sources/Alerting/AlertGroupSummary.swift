import Foundation

/// The stored alerts of one host under one rule, as the store groups them.
public struct AlertGroupSummary: Hashable, Sendable {
    public var host: String
    public var rule: String?
    /// The level of the group's latest alert that has one.
    public var level: AlertRecord.Level?
    public var count: Int
    public var firstSeen: Date
    public var lastSeen: Date
    /// The group's latest alert (by time, then id) and its event.
    public var latestID: Int64
    public var latestEvent: AlertRecord.Event
    /// Alerts neither acknowledged nor closed.
    public var unhandled: Int

    public init(host: String, rule: String?, level: AlertRecord.Level?, count: Int, firstSeen: Date, lastSeen: Date,
                latestID: Int64, latestEvent: AlertRecord.Event, unhandled: Int) {
        self.host = host
        self.rule = rule
        self.level = level
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.latestID = latestID
        self.latestEvent = latestEvent
        self.unhandled = unhandled
    }
}
