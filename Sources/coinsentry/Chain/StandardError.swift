import Foundation

/// Writes a line to standard error (progress and diagnostics; standard output carries results).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
