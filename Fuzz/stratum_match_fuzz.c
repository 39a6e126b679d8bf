/*
 * libFuzzer entry for the mining protocol matcher: any bytes must classify without reading outside the buffer
 * (AddressSanitizer) or undefined behaviour (UBSan), and the worker name must stay within its room and sanitised.
 */
#include "ccapture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* A private copy sized exactly to the input, so any overread is caught. */
    uint8_t *copy = size ? malloc(size) : NULL;
    if (size) memcpy(copy, data, size);
    cs_stratum_result result;
    int dialect = cs_stratum_match(copy, size, &result);
    if (dialect != result.dialect || dialect > CS_DIALECT_HTTP_GETWORK) abort();
    if (result.worker_length >= CS_WORKER_MAX || result.worker[result.worker_length] != '\0') abort();
    for (size_t i = 0; i < result.worker_length; i++) {
        if (result.worker[i] <= ' ' || result.worker[i] == '"' || result.worker[i] == '\\') abort();
    }
    free(copy);
    return 0;
}
