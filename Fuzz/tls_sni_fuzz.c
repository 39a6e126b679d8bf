/*
 * libFuzzer entry for the TLS ClientHello SNI reader and the pool-domain suffix match: any bytes must be read without
 * going outside the buffer (AddressSanitizer) or undefined behaviour (UBSan); a name found must fit its room, be
 * NUL-terminated and contain only name characters, and matching it must return a length within it.
 */
#include "ccapture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static cs_domain_table *table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (table == NULL) {
        const char *names[] = {"nanopool.org", "pool.example.test", "supportxmr.com", "*.c3pool.com"};
        table = cs_domain_table_create(names, 4);
        if (table == NULL) abort();
    }
    uint8_t *copy = size ? malloc(size) : NULL;
    if (size) memcpy(copy, data, size);
    char name[CS_NAME_MAX];
    int length = cs_tls_client_hello_sni(copy, size, name, sizeof(name));
    if (length < -1 || length >= CS_NAME_MAX) abort();
    if (length > 0) {
        if (name[length] != '\0' || strlen(name) != (size_t)length) abort();
        for (int i = 0; i < length; i++) {
            char c = name[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) abort();
        }
        if (cs_domain_table_match(table, name, (size_t)length) > (size_t)length) abort();
    }
    /* The raw bytes as a name, too: the matcher takes any bytes. */
    if (cs_domain_table_match(table, (const char *)copy, size) > size) abort();
    free(copy);
    return 0;
}
