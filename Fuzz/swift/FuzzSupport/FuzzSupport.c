#define _GNU_SOURCE
#include "FuzzSupport.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

// libclang_rt.fuzzer's entry for programs with a main of their own.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*user_callback)(const uint8_t *data, size_t size));

static int (*fuzz_support_test_one)(const uint8_t *data, size_t size);

// libFuzzer's own main, linked in but never run (SwiftPM points main at the Swift target's), refers to this symbol.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_support_test_one(data, size); }

int fuzz_support_run(int argc, char **argv, int (*test_one)(const uint8_t *data, size_t size)) {
    fuzz_support_test_one = test_one;
    return LLVMFuzzerRunDriver(&argc, &argv, test_one);
}

static char scratch[4096];
static char file_path[4096 + 256];

static int remove_entry(const char *path, const struct stat *status, int flag, struct FTW *walk) {
    (void)status, (void)flag, (void)walk;
    return remove(path);
}

static void remove_scratch(void) { nftw(scratch, remove_entry, 8, FTW_DEPTH | FTW_PHYS); }

const char *fuzz_support_scratch_directory(void) {
    if (scratch[0] == 0) {
        // Memory-backed where there is one: replacing a file on every run costs several times more on a disk.
        const char *base = getenv("TMPDIR");
        if (access("/dev/shm", W_OK) == 0) base = "/dev/shm";
        snprintf(scratch, sizeof scratch, "%s/coinsentry-fuzz-XXXXXX", base && *base ? base : "/tmp");
        if (mkdtemp(scratch) == NULL) {
            perror("fuzz_support_scratch_directory: mkdtemp");
            abort();
        }
        atexit(remove_scratch);
    }
    return scratch;
}

const char *fuzz_support_write_file(const char *name, const uint8_t *data, size_t size) {
    snprintf(file_path, sizeof file_path, "%s/%s", fuzz_support_scratch_directory(), name);
    int descriptor = open(file_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (descriptor < 0) {
        perror(file_path);
        abort();
    }
    size_t written = 0;
    while (written < size) {
        ssize_t count = write(descriptor, data + written, size - written);
        if (count <= 0) {
            perror(file_path);
            abort();
        }
        written += (size_t)count;
    }
    close(descriptor);
    return file_path;
}
