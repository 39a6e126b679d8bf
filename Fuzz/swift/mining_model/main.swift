// The mining model file (etc/coinsentry/model.json) loaded as the sensor loads it, then used as the sensor uses it:
// window settings for the window engine, and the binary and per-class decisions on a feature vector.
import Detection
import FuzzSupport
import Glibc
import Profiling

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = String(cString: fuzz_support_write_file("model.json", data, size))
    guard let model = try? DetectionModel.load(path) else { return 0 }
    guard let engine = try? WindowEngine<Int>(settings: model.file.windows) else { return 0 }
    let features = [Double](repeating: 1, count: engine.extractor.featureNames.count)
    _ = model.decision(features)
    _ = model.stagedDecision(features)
    if let classifier = model.classifier {
        precondition(classifier.decisions(features).count == classifier.names.count)
        _ = classifier.classIndex(features)
    }
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
