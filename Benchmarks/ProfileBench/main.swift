// coinsentry-bench-profile: feature extraction plus classification throughput on one core, and memory per host.
//
//   swift build -c release --product coinsentry-bench-profile
//   .build/release/coinsentry-bench-profile [--hosts N] [--windows 120,360] [--log-scale] [--model PATH]
//
// With --model, the model's own window settings are used (and --windows, --log-scale are ignored); when the model has
// a class block (multi-class mode), each window's class decision and the per-host class vote are timed too.
//
// Prints absolute figures and the machine; no thresholds (the targets: ≥ 50,000 host-windows/s and ≤ 8 KiB/host).
import Detection
import Foundation
import Glibc
import Profiling
import Randomness
import Traces

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let hosts = Int(argument("--hosts") ?? "") ?? 2000
let windowSeconds = (argument("--windows") ?? "120").split(separator: ",").compactMap { Double($0) }
/// The settings to benchmark: the model's when one is given, else the command line's.
func benchmarkSettings() throws -> WindowSettings {
    if let path = argument("--model") { return try DetectionModel.load(path).file.windows }
    return WindowSettings(
        windowSeconds: windowSeconds, counterScale: CommandLine.arguments.contains("--log-scale") ? .log1p : .linear)
}

let settings = try benchmarkSettings()
let machine = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?
    .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"

/// The model the windows are classified with: the given file, or an identity pipeline of the same cost.
func benchmarkModel() throws -> DetectionModel {
    if let path = argument("--model") { return try DetectionModel.load(path) }
    let names = FeatureExtractor(settings: settings).featureNames
    let width = names.count
    let zeros = [Double](repeating: 0, count: width)
    let identity = (0..<width).map { row in (0..<width).map { $0 == row ? 1.0 : 0.0 } }
    let file = ModelFile(
        format: ModelFile.formatTag, version: ModelFile.currentVersion, id: "bench", created: "",
        windows: settings, features: names,
        scaler: StandardScaler(mean: zeros, scale: [Double](repeating: 1, count: width)),
        pca: PrincipalComponents(mean: zeros, components: identity,
                                 explainedVarianceRatio: [Double](repeating: 1 / Double(width), count: width)),
        svc: .init(weights: (0..<width).map { Double($0 % 7) - 3 }, bias: 0.1, solver: "none", penalty: 1,
                   miningWeight: 1, normalWeight: 1, iterations: 0, converged: true),
        vote: VoteSettings(), training: .init(traceIntervalSeconds: 1, traces: [], miningWindows: 0, normalWindows: 0))
    return try DetectionModel(file: file)
}

/// Resident memory from /proc/self/statm (Glibc's module does not export mallinfo).
func allocatedBytes() -> Int {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let model = try benchmarkModel()
precondition(model.file.windows == settings, "the model's windows differ from --windows")
var generator = SplitMix64(seed: 9)
var engine = try WindowEngine<UInt32>(settings: settings, maximumHosts: hosts)
var voter = Voter<UInt32>(settings: model.file.vote)
var classVotes = [UInt32: ClassVote]()
var classified = 0
let history = Int64(settings.historyIntervals)
let slide = Int64(settings.slideIntervals)
let rounds: Int64 = 30
var windowCount = 0
var mining = 0
var timed = 0.0
var cpuTimed = 0.0

/// CPU seconds of this thread (clock_gettime CLOCK_THREAD_CPUTIME_ID): unlike wall time, not inflated when the
/// core is shared with other work.
func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
// Fill the history untimed, then time `rounds` slides of every host: record, close, extract, decide, vote.
for interval in Int64(0)..<(history + rounds * slide) {
    let start = interval >= history ? DispatchTime.now().uptimeNanoseconds : 0
    let cpuStart = interval >= history ? threadCPUSeconds() : 0
    for host in 0..<UInt32(hosts) where UInt64.random(in: 0..<3, using: &generator) == 0 {
        let packets = UInt64.random(in: 1...40, using: &generator)
        engine.record(host: host, intervalIndex: interval, counters: IntervalCounters(
            bytesReceived: packets * 700, bytesSent: packets * 90, packetsReceived: packets, packetsSent: packets))
    }
    for window in engine.intervalClosed(interval) {
        let decision = model.decision(window.features) > 0
        if voter.add(host: window.host, mining: decision).isMining { mining += 1 }
        if let classifier = model.classifier {
            var vote = classVotes[window.host]
                ?? ClassVote(settings: classifier.parameters.vote, classCount: classifier.names.count)
            if vote.add(classifier.classIndex(window.features)) != nil { classified += 1 }
            classVotes[window.host] = vote
        }
        windowCount += 1
    }
    if interval >= history {
        timed += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        cpuTimed += threadCPUSeconds() - cpuStart
    }
}

// Memory: a fresh engine, `hosts` hosts each with one record and one closed interval.
let before = allocatedBytes()
var memoryEngine = try WindowEngine<UInt32>(settings: settings, maximumHosts: 100_000)
for host in 0..<UInt32(100_000) {
    memoryEngine.record(host: host, intervalIndex: 0, counters: IntervalCounters(packetsSent: 1))
}
_ = memoryEngine.intervalClosed(0)
let perHost = Double(allocatedBytes() - before) / 100_000
withExtendedLifetime(memoryEngine) {}

print("machine: \(machine) (one core; the benchmark is single-threaded)")
print("settings: windows \(settings.windowSeconds.map { Int($0) }) s, \(settings.counterScale.rawValue) counters, "
    + "1 s intervals, 20 s slide, \(model.file.features.count) features, model \(model.file.id)")
if let classifier = model.classifier {
    print("class block: \(classifier.names.count) classes decided per window and voted per host "
        + "(\(classified) windows with a class vote)")
}
print("host-windows: \(windowCount) from \(hosts) hosts in \(String(format: "%.3f", timed)) s, including "
    + "record/close/vote: \(Int(Double(windowCount) / timed)) host-windows/s (mining verdicts seen: \(mining))")
print("thread CPU time: \(String(format: "%.3f", cpuTimed)) s: \(Int(Double(windowCount) / cpuTimed)) host-windows per "
    + "CPU second")
print("memory per tracked host: \(Int(perHost)) bytes (resident, 100,000 hosts; ring alone "
    + "\(memoryEngine.historyBytesPerHost) bytes)")
