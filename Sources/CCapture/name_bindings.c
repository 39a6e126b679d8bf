#include "name_bindings.h"
#include "seeded_hash.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define PROBES 8

int cs_name_bindings_init(cs_name_bindings *table, uint32_t capacity) {
    memset(table, 0, sizeof(*table));
    size_t size = PROBES;
    while (size < capacity) size <<= 1;
    table->entries = calloc(size, sizeof(cs_name_binding));
    if (table->entries == NULL) return -1;
    table->mask = size - 1;
    if (getrandom(&table->seed, sizeof(table->seed), 0) != sizeof(table->seed)) {
        table->seed = (uint64_t)(uintptr_t)table->entries ^ 0xd6e8feb86659fd93ull;
    }
    return 0;
}

void cs_name_bindings_free(cs_name_bindings *table) {
    free(table->entries);
    table->entries = NULL;
}

static inline size_t home(const cs_name_bindings *table, const cs_addr *addr) {
    uint64_t words[2];
    memcpy(words, addr->bytes, 16);
    return (size_t)cs_mix64(cs_mix64(words[0] ^ table->seed) ^ words[1]) & table->mask;
}

void cs_name_bindings_bind(cs_name_bindings *table, const cs_addr *addr, const char *name, uint8_t name_length,
                           int64_t expires_usec, int64_t now_usec) {
    size_t start = home(table, addr);
    cs_name_binding *same = NULL, *vacant = NULL, *soonest = NULL;
    for (size_t step = 0; step < PROBES && same == NULL; step++) {
        cs_name_binding *entry = &table->entries[(start + step) & table->mask];
        bool live = entry->expires_usec > now_usec;
        if (live && memcmp(&entry->addr, addr, sizeof(*addr)) == 0) same = entry;
        else if (!live && vacant == NULL) vacant = entry;
        else if (live && (soonest == NULL || entry->expires_usec < soonest->expires_usec)) soonest = entry;
    }
    cs_name_binding *chosen = same != NULL ? same : vacant != NULL ? vacant : soonest;
    if (same == NULL && vacant == NULL) table->evicted++;
    chosen->addr = *addr;
    chosen->expires_usec = expires_usec;
    chosen->name_length = name_length;
    memcpy(chosen->name, name, name_length);
    chosen->name[name_length < CS_RECORD_NAME_MAX ? name_length : CS_RECORD_NAME_MAX - 1] = '\0';
}

const cs_name_binding *cs_name_bindings_find(const cs_name_bindings *table, const cs_addr *addr, int64_t now_usec) {
    size_t start = home(table, addr);
    for (size_t step = 0; step < PROBES; step++) {
        const cs_name_binding *entry = &table->entries[(start + step) & table->mask];
        if (entry->expires_usec > now_usec && memcmp(&entry->addr, addr, sizeof(*addr)) == 0) return entry;
    }
    return NULL;
}
