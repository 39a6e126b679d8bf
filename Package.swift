// swift-tools-version:6.0
// CoinSentry: a network sensor for crypto-behaviour analysis. See README.md and ../shared/DESIGN.md.
//
// The layout follows the data flow: capture → profile → detect → alert. C code lives only in the `C*` targets; each
// is wrapped by exactly one Swift file in the module named after the stage it serves.
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "CoinSentry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coinsentry", targets: ["coinsentry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: Capture (issue 2)
        .target(
            name: "CCapture",
            dependencies: ["CNetfilterQueue"],
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("pcap"), .linkedLibrary("pthread")]
        ),
        // MARK: Inline mode (issue 5): the capture engine's NFQUEUE source
        .systemLibrary(
            name: "CNetfilterQueue", path: "Sources/CNetfilterQueue", pkgConfig: "libnetfilter_queue",
            providers: [.apt(["libnetfilter-queue-dev"])]),
        .target(name: "Capture", dependencies: ["CCapture", "Traces"], swiftSettings: strictSwift),
        .target(name: "Traces", swiftSettings: strictSwift),

        // MARK: Profiling and detection (issue 3)
        .systemLibrary(
            name: "CLapack", path: "Sources/CLapack", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .target(name: "Profiling", dependencies: ["Traces"], swiftSettings: strictSwift),
        .target(name: "Detection", dependencies: ["Profiling", "Traces", "CLapack"], swiftSettings: strictSwift),

        // MARK: The sensor's decision path, assembled (issues 3, 4)
        .target(name: "Sensor", dependencies: ["Capture", "Profiling", "Detection", "Traces"], swiftSettings: strictSwift),

        // MARK: Alerts (issue 4)
        .target(name: "Alerting", swiftSettings: strictSwift),

        // MARK: Chain sidecar (issues 6, 7)

        // MARK: Executables
        .executableTarget(
            name: "coinsentry",
            dependencies: [
                "Capture", "Traces", "Profiling", "Detection", "Sensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "coinsentry-bench-inline", dependencies: ["Capture"], path: "Benchmarks/inline", exclude: ["bench.sh"],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-bench-profile", dependencies: ["Profiling", "Detection"], path: "Benchmarks/ProfileBench",
            swiftSettings: strictSwift),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSwift),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Traces", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "ProfilingTests", dependencies: ["Profiling", "Traces", "TestSupport"],
            exclude: ["reference"], swiftSettings: strictSwift),
        .testTarget(
            name: "DetectionTests", dependencies: ["Detection", "Profiling", "Traces", "TestSupport", "Capture"],
            exclude: ["reference"], swiftSettings: strictSwift),
    ]
)
