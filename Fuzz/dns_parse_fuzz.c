/*
 * libFuzzer entry for the DNS parser: any bytes must parse without reading outside the buffer (AddressSanitizer),
 * undefined behaviour (UBSan) or a hang (compression loops), and the result must stay within its bounds.
 */
#include "ccapture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* A private copy sized exactly to the input, so any overread is caught. */
    uint8_t *copy = size ? malloc(size) : NULL;
    if (size) memcpy(copy, data, size);
    cs_dns_result result;
    int status = cs_dns_parse(copy, size, &result);
    if (status < CS_DNS_OK || status > CS_DNS_NAME_TOO_LONG) abort();
    if (result.address_count > CS_DNS_MAX_ADDRESSES) abort();
    if (result.name_length >= CS_NAME_MAX || result.name[result.name_length] != '\0') abort();
    if (strlen(result.name) != result.name_length) abort();
    free(copy);
    return 0;
}
