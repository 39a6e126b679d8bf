#ifndef COINSENTRY_FUZZ_SUPPORT_H
#define COINSENTRY_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (the fuzzing loop, corpus handling and flags, as its own main would) over `test_one`.
///
/// SwiftPM gives an executable target's `main.swift` the program's `main` symbol on Linux, so the Swift fuzz targets
/// cannot let libFuzzer supply `main`; each target's top-level code calls this instead.
int fuzz_support_run(int argc, char **argv, int (*test_one)(const uint8_t *data, size_t size));

/// A directory of this process's own for targets whose parser reads files (made on the first call in /dev/shm, or
/// $TMPDIR or /tmp where there is no /dev/shm; removed at exit).
const char *fuzz_support_scratch_directory(void);

/// Writes `size` bytes to `name` in the scratch directory, replacing it, and returns its path (valid until the next
/// call); aborts when the file cannot be written.
const char *fuzz_support_write_file(const char *name, const uint8_t *data, size_t size);

#endif
