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
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("pcap"), .linkedLibrary("pthread")]
        ),
        .target(name: "Capture", dependencies: ["CCapture", "Traces"], swiftSettings: strictSwift),
        .target(name: "Traces", swiftSettings: strictSwift),

        // MARK: Executables
        .executableTarget(
            name: "coinsentry",
            dependencies: [
                "Capture", "Traces",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSwift),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Traces", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "TestSupport"], swiftSettings: strictSwift),
    ]
)
