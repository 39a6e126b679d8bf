// Bitcoin Core's block files: the input is a blocks directory's `blk00000.dat`, optionally obfuscated. Its first byte
// chooses the garbage policy (bit 0) and whether the next 8 bytes are an `xor.dat` key (bit 1); every record read is
// decoded as a block.
import BitcoinData
import FuzzSupport
import Glibc

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = bytes.first else { return 0 }
    bytes.removeFirst()
    let directory = String(cString: fuzz_support_scratch_directory())
    unlink(directory + "/xor.dat")
    if options & 2 != 0 {
        let key = Array(bytes.prefix(8))
        bytes.removeFirst(key.count)
        _ = fuzz_support_write_file("xor.dat", key, key.count)
    }
    let file = String(cString: fuzz_support_write_file("blk00000.dat", bytes, bytes.count))
    guard let reader = try? BlockFileReader(directory: directory, network: .regtest,
                                            garbagePolicy: options & 1 != 0 ? .skip : .fail) else { return 0 }
    var skippedBytes = 0
    guard let records = try? reader.records(inFile: file, skipped: { skippedBytes += $0.range.count }) else { return 0 }
    var recordBytes = 0
    for record in records {
        recordBytes += 8 + record.bytes.count
        _ = try? record.header()
        if let block = try? record.block() { precondition(block.size == record.bytes.count) }
    }
    precondition(recordBytes + skippedBytes <= bytes.count, "records and skipped ranges overlap")
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
