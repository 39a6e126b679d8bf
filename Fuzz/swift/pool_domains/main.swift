// Pool-domain lists (plain names, hosts-file lines, Adblock rules) parsed as the file loader parses them; the names
// kept are valid domains that read back unchanged.
import Capture
import FuzzSupport
import Glibc

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var list = PoolDomainList()
    guard (try? list.merge(parsing: Array(UnsafeBufferPointer(start: data, count: size)), origin: "fuzz")) != nil
    else { return 0 }
    precondition(list.problems.count == min(list.skippedLines, PoolDomainList.reportedProblems))
    var again = PoolDomainList()
    precondition((try? again.merge(parsing: list.names.joined(separator: "\n"), origin: "names")) != nil)
    precondition(again.names == list.names && again.skippedLines == 0 && again.duplicates == 0,
                 "the names kept read back unchanged")
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
