// swift-tools-version:6.0
// CoinSentry: a network sensor for crypto-behaviour analysis. See README.md and ../shared/DESIGN.md.
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "CoinSentry",
    products: [],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: Chain sidecar (issues 6, 7)
    ]
)
