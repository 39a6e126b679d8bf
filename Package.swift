// swift-tools-version:6.0
// CoinSentry: a network sensor for crypto-behaviour analysis. See README.md and ../shared/DESIGN.md.
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "CoinSentry",
    products: [],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: Chain sidecar (issues 6, 7)
        .target(
            name: "BitcoinData",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "ChainStore",
            dependencies: ["BitcoinData", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "ChainStorePostgres",
            dependencies: ["BitcoinData", "ChainStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "ChainIngest",
            dependencies: ["BitcoinData", "ChainStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "ChainAnalysis",
            dependencies: ["BitcoinData", "ChainStore"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "ChainSidecar",
            dependencies: [
                "BitcoinData", "ChainIngest", "ChainStore", "ChainStorePostgres", "ChainAnalysis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "coinsentry-chaind",
            dependencies: [
                "ChainSidecar",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(name: "ChainTestSupport", dependencies: ["BitcoinData"], path: "Tests/ChainTestSupport",
                swiftSettings: strictSwift),
        .testTarget(name: "BitcoinDataTests", dependencies: ["BitcoinData", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChainStoreTests", dependencies: ["ChainStore", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChainIngestTests", dependencies: ["ChainIngest", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChainStorePostgresTests",
                    dependencies: ["ChainStorePostgres", "ChainIngest", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChainSidecarTests", dependencies: ["ChainSidecar", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChainAnalysisTests", dependencies: ["ChainAnalysis", "ChainTestSupport"],
                    swiftSettings: strictSwift),
        // Shared offline CLI (owned by the lead); the chain subcommands live in Sources/coinsentry/Chain/.
        .executableTarget(
            name: "coinsentry",
            dependencies: [
                "BitcoinData", "ChainStore", "ChainStorePostgres", "ChainIngest", "ChainAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
