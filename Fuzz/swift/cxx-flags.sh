# Sourced by Fuzz/run.sh and Fuzz/long.sh: what `swift build` adds to the C++ that the Swift fuzz targets link (toml++,
# inside TOMLKit). libFuzzer's coverage, so that the fuzzer follows the TOML parser's own branches (only the project's
# Swift modules are instrumented otherwise), and UBSan, which stops at toml++'s `TOML_UNREACHABLE` (undefined
# behaviour that otherwise runs on unnoticed) and at the rest of its checks. Left out: `null`, because TOMLKit's
# `nodeType` calls a member function through a null pointer for every node that is not a date-time (the call reads
# nothing and its result is unused; a real null dereference still faults and AddressSanitizer reports it), and `vptr`
# and `function`, which need UBSan's C++ runtime beside AddressSanitizer's.
swift_cxx_flags=(-Xcxx -fsanitize=fuzzer-no-link,undefined -Xcxx -fno-sanitize=vptr,function,null
                 -Xcxx -fno-sanitize-recover=undefined)
