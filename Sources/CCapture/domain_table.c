/*
 * The pool-domain table: listed names matched against a name's label suffixes.
 *
 * Each listed name is stored once (lowercased, in one string pool) with a 64-bit seeded hash in an open-addressing
 * index (linear probing, at least twice as many slots as names). Matching walks the queried name once from its last
 * byte to its first, extending one running hash; at each label boundary the suffix so far is looked up (a probe or
 * two, then an exact comparison), so the cost is one pass over the name whatever the list's size.
 */
#include "ccapture.h"
#include "seeded_hash.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

typedef struct domain_slot {
    uint64_t hash;      /* 0: empty (a real hash of 0 is stored as 1) */
    uint32_t offset;    /* into `names` */
    uint32_t length;
} domain_slot;

struct cs_domain_table {
    domain_slot *slots;
    size_t mask;
    size_t count;
    char *names;
    uint64_t seed;
};

/* The hash of a suffix, extended by one more byte to its left. */
static inline uint64_t extend(uint64_t hash, uint8_t byte) { return (hash ^ byte) * 0x100000001b3ull; }
static inline uint64_t finish(uint64_t hash, uint64_t seed) {
    uint64_t mixed = cs_mix64(hash ^ seed);
    return mixed == 0 ? 1 : mixed;
}

static uint64_t hash_name(const char *name, size_t length, uint64_t seed) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = length; i > 0; i--) hash = extend(hash, (uint8_t)name[i - 1]);
    return finish(hash, seed);
}

static const domain_slot *find(const cs_domain_table *table, uint64_t hash, const char *name, size_t length) {
    size_t slot = (size_t)hash & table->mask;
    while (table->slots[slot].hash != 0) {
        const domain_slot *candidate = &table->slots[slot];
        if (candidate->hash == hash && candidate->length == length &&
            memcmp(table->names + candidate->offset, name, length) == 0) {
            return candidate;
        }
        slot = (slot + 1) & table->mask;
    }
    return NULL;
}

/* Lowercases `raw` into `out` without a leading "*." or "." and a trailing dot; returns the length. */
static size_t normalise(const char *raw, char *out) {
    size_t length = strlen(raw);
    if (length >= 2 && raw[0] == '*' && raw[1] == '.') {
        raw += 2;
        length -= 2;
    }
    while (length > 0 && raw[0] == '.') {
        raw++;
        length--;
    }
    while (length > 0 && raw[length - 1] == '.') length--;
    for (size_t i = 0; i < length; i++) {
        char c = raw[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    return length;
}

cs_domain_table *cs_domain_table_create(const char *const *names, size_t count) {
    cs_domain_table *table = calloc(1, sizeof(*table));
    if (table == NULL) return NULL;
    size_t pool = 1;
    for (size_t i = 0; i < count; i++) pool += strlen(names[i]);
    size_t slots = 16;
    while (slots < count * 2) slots <<= 1;
    table->slots = calloc(slots, sizeof(domain_slot));
    table->names = malloc(pool);
    if (table->slots == NULL || table->names == NULL) {
        cs_domain_table_free(table);
        return NULL;
    }
    table->mask = slots - 1;
    if (getrandom(&table->seed, sizeof(table->seed), 0) != sizeof(table->seed)) {
        table->seed = (uint64_t)(uintptr_t)table->slots ^ 0x9e3779b97f4a7c15ull;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        char *name = table->names + used;
        size_t length = normalise(names[i], name);
        if (length == 0) continue;
        uint64_t hash = hash_name(name, length, table->seed);
        if (find(table, hash, name, length) != NULL) continue;
        size_t slot = (size_t)hash & table->mask;
        while (table->slots[slot].hash != 0) slot = (slot + 1) & table->mask;
        table->slots[slot] = (domain_slot){hash, (uint32_t)used, (uint32_t)length};
        used += length;
        table->count++;
    }
    return table;
}

void cs_domain_table_free(cs_domain_table *table) {
    if (table == NULL) return;
    free(table->slots);
    free(table->names);
    free(table);
}

size_t cs_domain_table_count(const cs_domain_table *table) { return table == NULL ? 0 : table->count; }

size_t cs_domain_table_match(const cs_domain_table *table, const char *name, size_t length) {
    if (table == NULL || table->count == 0 || length == 0) return 0;
    uint64_t hash = 0xcbf29ce484222325ull;
    size_t longest = 0;
    for (size_t i = length; i > 0; i--) {
        hash = extend(hash, (uint8_t)name[i - 1]);
        bool boundary = i == 1 || name[i - 2] == '.';
        if (!boundary) continue;
        size_t suffix = length - (i - 1);
        if (find(table, finish(hash, table->seed), name + i - 1, suffix) != NULL) longest = suffix;
    }
    return longest;
}
