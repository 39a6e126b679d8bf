// swift-tools-version:6.1
// CoinSentry: a network sensor for crypto-behaviour analysis. See README.md and ../shared/DESIGN.md.
//
// The layout follows the data flow: capture → profile → detect → alert. C code lives only in the `C*` targets; each
// is wrapped by exactly one Swift file in the module named after the stage it serves.
import PackageDescription

// `COINSENTRY_FUZZ=1` (Fuzz/run.sh sets it, with its own scratch path) instruments the project's Swift modules for
// libFuzzer and AddressSanitizer and adds the Swift fuzz targets; without it the package is exactly the product's.
let fuzzing = Context.environment["COINSENTRY_FUZZ"] == "1"
let sanitizers = "-sanitize=fuzzer,address"
let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)] + (fuzzing ? [.unsafeFlags([sanitizers])] : [])

let package = Package(
    name: "CoinSentry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coinsentry", targets: ["coinsentry"]),
        .executable(name: "coinsentryd", targets: ["coinsentryd"]),
        .executable(name: "coinsentryctl", targets: ["coinsentryctl"]),
        .executable(name: "coinsentry-chaind", targets: ["coinsentry-chaind"]),
        .executable(name: "coinsentry-web", targets: ["coinsentry-web"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Without swift-configuration (its ConfigurationSupport trait): coinsentry-web reads its own TOML file.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // MARK: Capture
        .target(
            name: "CCapture",
            dependencies: ["CNetfilterQueue"],
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("pcap"), .linkedLibrary("pthread")]
        ),
        // MARK: Inline mode: the capture engine's NFQUEUE source
        .systemLibrary(
            name: "CNetfilterQueue", path: "Sources/CNetfilterQueue", pkgConfig: "libnetfilter_queue",
            providers: [.apt(["libnetfilter-queue-dev"])]),
        .target(name: "Capture", dependencies: ["CCapture", "NetworkAddress", "Traces"], swiftSettings: strictSwift),
        // IPv4 and IPv6 host addresses, parsed and printed: what the web console needs of the capture vocabulary
        .target(name: "NetworkAddress", swiftSettings: strictSwift),
        .target(name: "Traces", swiftSettings: strictSwift),

        // MARK: Profiling and detection
        .systemLibrary(
            name: "CLapack", path: "Sources/CLapack", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .target(name: "Profiling", dependencies: ["Traces"], swiftSettings: strictSwift),
        // Inference (what coinsentryd links): scaler, PCA projection, linear SVC, votes, model files
        .target(name: "Detection", dependencies: ["Profiling", "Traces"], swiftSettings: strictSwift),
        // Training and evaluation (LAPACK, cross-validation, manifests, synthetic traffic): the offline tool and fleet
        .target(
            name: "DetectionTraining", dependencies: ["Detection", "Profiling", "Traces", "CLapack", "Randomness"],
            swiftSettings: strictSwift),
        // SplitMix64, the one seedable generator (training, shuffles, synthetic data, the testbed's seeds)
        .target(name: "Randomness", swiftSettings: strictSwift),

        // MARK: The sensor's decision path, assembled
        // Pool-connection classifier over flow-shape summaries
        .target(name: "PoolDetection", dependencies: ["Capture", "Detection"], swiftSettings: strictSwift),
        // The pool-connection classifier's training, split and evaluation
        .target(
            name: "PoolTraining", dependencies: ["Capture", "Detection", "DetectionTraining", "PoolDetection"],
            swiftSettings: strictSwift),
        .target(
            name: "Sensor", dependencies: ["Capture", "Profiling", "Detection", "PoolDetection", "Traces"],
            swiftSettings: strictSwift),

        // MARK: Alerts
        .target(
            name: "Alerting",
            dependencies: [
                "CSystemd", "FleetFiles", "SystemCalls", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift),
        // The one wrapper of hand-made POSIX calls: results or swift-system's Errno, read at once
        .target(
            name: "SystemCalls", dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSwift),

        // MARK: The appliance: daemon services, configuration, control socket
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The control protocol's request and reply types, its router, server and client (swift-nio)
        .target(
            name: "Control",
            dependencies: [
                "SystemCalls", .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift),
        // sd_notify, the SIGHUP/notify services and the /metrics endpoint, shared by coinsentryd and coinsentry-chaind
        .target(
            name: "DaemonSupport",
            dependencies: [
                "CSystemd",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift),
        .target(
            name: "Appliance",
            dependencies: [
                "Alerting", "Capture", "Control", "CSystemd", "DaemonSupport", "Detection", "FleetFiles",
                "PoolDetection", "Sensor", .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSwift),

        // MARK: Chain sidecar
        .target(
            name: "BitcoinData",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift),
        .target(
            name: "ChainStore",
            dependencies: ["BitcoinData", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift),
        .target(
            name: "ChainStorePostgres",
            dependencies: ["BitcoinData", "ChainStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strictSwift),
        .target(
            name: "ChainIngest",
            dependencies: [
                "BitcoinData", "ChainStore", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift),
        .systemLibrary(
            name: "CXGBoost", path: "Sources/CXGBoost", pkgConfig: "xgboost", providers: [.apt(["libxgboost-dev"])]),
        .target(name: "ChainAnalysis", dependencies: ["BitcoinData", "ChainStore", "CXGBoost", "Randomness"],
                swiftSettings: strictSwift),
        .target(
            name: "ChainSidecar",
            dependencies: [
                "Alerting", "BitcoinData", "ChainIngest", "ChainStore", "ChainStorePostgres", "ChainAnalysis",
                "Control", "DaemonSupport", "Randomness", "Testbed",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSwift),
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .target(
            name: "Testbed",
            dependencies: [
                "BitcoinData", "CSecp256k1", "ChainAnalysis", "ChainIngest", "Randomness",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSwift),

        // MARK: Fleet learning: the Swift side of the Flower federations (.npy in and out, local training, acceptance)
        .target(
            name: "Fleet", dependencies: ["Alerting", "Detection", "DetectionTraining", "ChainAnalysis", "FleetFiles", "Randomness"],
            swiftSettings: strictSwift),
        // The files fleet learning shares with operators' tools: the fleet state file and its status, the operator
        // label file. Foundation only, so coinsentryctl reads them without the Fleet module's numerics and stores.
        .target(name: "FleetFiles", swiftSettings: strictSwift),

        // MARK: The web console and REST API over both daemons' control sockets (Hummingbird)
        .target(
            name: "Web",
            dependencies: [
                "Control", "DaemonSupport", "NetworkAddress",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSwift),

        // MARK: Executables
        .executableTarget(
            name: "coinsentry",
            dependencies: [
                "Capture", "Traces", "Profiling", "Detection", "DetectionTraining", "Sensor", "PoolDetection",
                "PoolTraining",
                "BitcoinData", "ChainStore", "ChainStorePostgres", "ChainIngest", "ChainAnalysis", "ChainSidecar",
                "Testbed", "Control", "Alerting", "Fleet", "FleetFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentryd",
            dependencies: [
                "Appliance", "Control",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentryctl",
            dependencies: ["Control", "FleetFiles", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-chaind",
            dependencies: [
                "ChainSidecar", "Control", "DaemonSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-web",
            dependencies: [
                "Web", "Control", "DaemonSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-bench-inline", dependencies: ["Capture"], path: "Benchmarks/inline", exclude: ["bench.sh"],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-bench-profile", dependencies: ["Profiling", "Detection", "Randomness"], path: "Benchmarks/ProfileBench",
            swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-bench-testbed", dependencies: ["Testbed", "BitcoinData"],
            path: "Benchmarks/TestbedBench", swiftSettings: strictSwift),
        .executableTarget(
            name: "coinsentry-bench-similarity", dependencies: ["ChainAnalysis", "ChainTestSupport", "Randomness"],
            path: "Benchmarks/SimilarityBench", swiftSettings: strictSwift),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSwift),
        .target(
            name: "ChainTestSupport", dependencies: ["BitcoinData", "ChainAnalysis", "Randomness"], path: "Tests/ChainTestSupport",
            swiftSettings: strictSwift),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Traces", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "PoolDetectionTests", dependencies: ["PoolDetection", "PoolTraining", "Capture", "TestSupport"],
            swiftSettings: strictSwift),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "ProfilingTests", dependencies: ["Profiling", "Traces", "TestSupport"],
            exclude: ["reference"], swiftSettings: strictSwift),
        .testTarget(
            name: "DetectionTests",
            dependencies: ["Detection", "DetectionTraining", "Profiling", "Traces", "TestSupport", "Capture", "Randomness",
                           "PoolTraining"],
            exclude: ["reference"], swiftSettings: strictSwift),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "SystemCalls", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "SensorTests", dependencies: ["Sensor", "Capture", "Detection", "PoolDetection", "Traces", "TestSupport"],
            swiftSettings: strictSwift),
        .testTarget(name: "ControlTests", dependencies: ["Control", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "ApplianceTests",
            dependencies: [
                "Appliance", "BitcoinData", "Capture", "ChainAnalysis", "ChainSidecar", "ChainTestSupport", "Control",
                "DaemonSupport", "FleetFiles", "Randomness", "Traces", "TestSupport", "Web",
            ],
            swiftSettings: strictSwift),
        .testTarget(name: "BitcoinDataTests", dependencies: ["BitcoinData", "ChainTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "ChainStoreTests", dependencies: ["ChainStore", "ChainTestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "ChainIngestTests", dependencies: ["ChainIngest", "ChainTestSupport", "TestSupport"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "ChainStorePostgresTests", dependencies: ["ChainStorePostgres", "ChainIngest", "ChainTestSupport"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "ChainSidecarTests",
            dependencies: [
                "Alerting", "ChainAnalysis", "ChainSidecar", "ChainStore", "ChainTestSupport", "Control", "Testbed",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "ChainAnalysisTests", dependencies: ["ChainAnalysis", "ChainTestSupport", "Randomness", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "FleetTests",
            dependencies: ["Alerting", "Fleet", "FleetFiles", "Detection", "DetectionTraining", "ChainAnalysis", "Randomness",
                           "TestSupport"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Control", "DaemonSupport", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "TestbedTests",
            dependencies: [
                "Testbed", "BitcoinData", "ChainIngest", "ChainStore", "ChainAnalysis", "ChainTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["reference"], swiftSettings: strictSwift),
    ] + (fuzzing ? fuzzTargets : [])
)

/// The Swift fuzz targets: for each parser of outside input, `Fuzz/swift/<name>/main.swift` built as `<name>_fuzz`
/// (Fuzz/README.md).
var fuzzTargets: [Target] {
    let fuzzed: [(name: String, dependencies: [Target.Dependency])] = [
        ("bitcoin_block", ["BitcoinData"]),
        ("block_file", ["BitcoinData"]),
        ("bitcoin_address", ["BitcoinData"]),
        ("trace_file", ["Traces"]),
        ("pool_domains", ["Capture"]),
        ("mining_model", ["Detection", "Profiling"]),
        ("pool_model", ["PoolDetection", "Capture"]),
        ("toml_config", ["Appliance", "ChainSidecar", "Web"]),
        (
            "control_request",
            [
                "Control", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
    return [.target(name: "FuzzSupport", path: "Fuzz/swift/FuzzSupport")]
        + fuzzed.map { target in
            .executableTarget(
                name: target.name + "_fuzz", dependencies: ["FuzzSupport"] + target.dependencies,
                path: "Fuzz/swift/" + target.name, swiftSettings: strictSwift,
                linkerSettings: [.unsafeFlags([sanitizers])])
        }
}
