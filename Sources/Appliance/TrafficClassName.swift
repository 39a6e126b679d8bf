/// Names for the model's traffic classes that an operator knows. The class block names each class after the training
/// trace it came from (`mining_gpu_nicehash_equihash_1070_60p`, `vpn-netflix`); these say what kind of traffic it is.
enum TrafficClassName {
    /// `CPU mining`, `GPU mining`, `mining over a VPN`, `video streaming`, `video over a VPN`, `web browsing`, ... or
    /// the trace name when no word of it is known.
    static func operatorName(_ trace: String) -> String {
        let name = trace.lowercased()
        let vpn = name.contains("vpn")
        if name.contains("mining") {
            if vpn { return "mining over a VPN" }
            return name.contains("gpu") ? "GPU mining" : "CPU mining"
        }
        let video = ["netflix", "youtube", "video", "twitch"].contains { name.contains($0) }
        if video { return vpn ? "video over a VPN" : "video streaming" }
        if vpn { return "VPN" }
        if name.contains("social") { return "social network" }
        if name.contains("browsing") || name.contains("web") { return "web browsing" }
        return trace
    }
}
