import SystemPackage

/// Paths as configuration files give them. Foundation's `NSString.deletingLastPathComponent` traps on a
/// one-character relative path (`"e"`, `"e/"`; swift-corelibs-foundation in Swift 6.3), which a configuration file
/// may well hold, so the daemons take a path's directory from swift-system's `FilePath`.
public enum ConfigurationPath {
    /// The directory `path` names its file in: `/var/lib/x/chain.db` gives `/var/lib/x`, `chain.db` gives the empty
    /// path, `/` gives `/`.
    public static func directory(of path: String) -> String {
        FilePath(path).removingLastComponent().string
    }

    /// `name` in the directory of `path`: `testbed` beside `/var/lib/x/chain.db` is `/var/lib/x/testbed`.
    public static func sibling(_ name: String, of path: String) -> String {
        FilePath(path).removingLastComponent().appending(name).string
    }
}
