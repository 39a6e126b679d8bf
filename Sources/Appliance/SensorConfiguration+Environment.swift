#if canImport(Glibc)
import Glibc
#endif
import DaemonSupport
import Foundation

extension SensorConfiguration {
    /// What start-up needs from the machine beyond a valid file, each problem naming its key: the capture interfaces
    /// exist, the control group exists, the state directory and the JSON alert file's directory can be written (or
    /// created). `coinsentryd --check` prints these and start-up refuses with them (exit 78, which systemd does not
    /// restart into).
    public func environmentProblems() -> [ConfigurationError] {
        var problems = [ConfigurationError]()
        func problem(_ key: String, _ reason: String) {
            problems.append(ConfigurationError(file: "environment", key: key, reason))
        }
        for interface in capture.interfaces where if_nametoindex(interface) == 0 {
            problem("capture.interfaces", "interface \(interface) does not exist (`ip link` lists the interfaces)")
        }
        if let group = control.group, getgrnam(group) == nil {
            problem("control.group", "group \(group) does not exist (systemd-sysusers creates it from "
                    + "systemd/sysusers.d/coinsentry.conf; \"\" keeps the daemon's own group)")
        }
        if let reason = Self.unwritable(directory: stateDirectory) { problem("state_directory", reason) }
        if let jsonFile = alerts.jsonFile {
            let directory = ConfigurationPath.directory(of: jsonFile)
            if let reason = Self.unwritable(directory: directory) { problem("alerts.json_file", reason) }
        }
        let socketDirectory = ConfigurationPath.directory(of: control.socket)
        if let reason = Self.unwritable(directory: socketDirectory) { problem("control.socket", reason) }
        return problems
    }

    /// Why files cannot be made in `directory` (nor the directory itself be created), or nil when they can.
    static func unwritable(directory: String) -> String? {
        var path = directory
        while !FileManager.default.fileExists(atPath: path) {
            let parent = ConfigurationPath.directory(of: path)
            guard parent != path, !parent.isEmpty else { return "\(directory) cannot be created" }
            path = parent
        }
        guard access(path, W_OK | X_OK) == 0 else {
            return path == directory ? "\(directory) is not writable by this user"
                : "\(directory) does not exist and \(path) is not writable by this user"
        }
        return nil
    }
}
