#include "flow_table.h"
#include "seeded_hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* Entries examined per victim search: enough to avoid evicting a busy flow, few enough to stay cheap. */
#define VICTIM_CANDIDATES 8

int cs_flow_table_init(cs_flow_table *table, uint32_t capacity) {
    memset(table, 0, sizeof(*table));
    size_t slots = 16;
    while (slots < (size_t)capacity * 2) slots <<= 1;
    table->entries = calloc(capacity, sizeof(cs_flow_entry));
    table->slots = calloc(slots, sizeof(uint64_t));
    if (table->entries == NULL || table->slots == NULL) {
        cs_flow_table_free(table);
        return -1;
    }
    table->mask = slots - 1;
    table->capacity = capacity;
    uint64_t seed;
    if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
        seed = (uint64_t)(uintptr_t)table->slots ^ 0x2545f4914f6cdd1dull;
    }
    cs_seeds_derive(seed, table->seeds, 5);
    return 0;
}

void cs_flow_table_free(cs_flow_table *table) {
    free(table->entries);
    free(table->slots);
    table->entries = NULL;
    table->slots = NULL;
}

static inline int compare_endpoint(const cs_addr *a, uint16_t a_port, const cs_addr *b, uint16_t b_port) {
    int order = memcmp(a->bytes, b->bytes, sizeof(a->bytes));
    if (order != 0) return order;
    return (int)a_port - (int)b_port;
}

int cs_flow_key_make(cs_flow_key *key, const cs_addr *source, uint16_t source_port, const cs_addr *destination,
                     uint16_t destination_port, uint8_t protocol) {
    memset(key, 0, sizeof(*key));
    key->protocol = protocol;
    if (compare_endpoint(source, source_port, destination, destination_port) <= 0) {
        key->low_addr = *source;
        key->low_port = source_port;
        key->high_addr = *destination;
        key->high_port = destination_port;
        return 0;
    }
    key->low_addr = *destination;
    key->low_port = destination_port;
    key->high_addr = *source;
    key->high_port = source_port;
    return 1;
}

static inline uint64_t key_hash(const cs_flow_table *table, const cs_flow_key *key) {
    uint64_t words[4];
    memcpy(words, key->low_addr.bytes, 16);
    memcpy(words + 2, key->high_addr.bytes, 16);
    uint64_t ports = ((uint64_t)key->low_port << 24) | ((uint64_t)key->high_port << 8) | key->protocol;
    const uint64_t *seeds = table->seeds;
    return cs_mix64(words[0] ^ seeds[0]) ^ cs_rotl64(cs_mix64(words[1] ^ seeds[1]), 13) ^
           cs_rotl64(cs_mix64(words[2] ^ seeds[2]), 26) ^ cs_rotl64(cs_mix64(words[3] ^ seeds[3]), 39) ^
           cs_rotl64(cs_mix64(ports ^ seeds[4]), 52);
}

/* Keys are zero-padded by cs_flow_key_make, so comparing them as five words is exact (and cheaper than memcmp). */
_Static_assert(sizeof(cs_flow_key) == 40, "cs_flow_key compares as five 64-bit words");
static inline bool same_key(const cs_flow_key *a, const cs_flow_key *b) {
    uint64_t x[5], y[5];
    memcpy(x, a, sizeof(x));
    memcpy(y, b, sizeof(y));
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

/* The slot whose entry has `key` (hash `hash`), or the empty slot where it would go. */
static size_t find_slot(const cs_flow_table *table, const cs_flow_key *key, uint64_t hash) {
    size_t slot = (size_t)hash & table->mask;
    uint64_t tag = cs_slot_tag(hash);
    for (uint64_t value; (value = table->slots[slot]) != 0; slot = (slot + 1) & table->mask) {
        if (cs_slot_tag(value) == tag && same_key(&table->entries[cs_slot_position(value)].key, key)) break;
    }
    return slot;
}

cs_flow_entry *cs_flow_table_find(const cs_flow_table *table, const cs_flow_key *key) {
    uint64_t value = table->slots[find_slot(table, key, key_hash(table, key))];
    return value == 0 ? NULL : &table->entries[cs_slot_position(value)];
}

cs_flow_entry *cs_flow_table_insert(cs_flow_table *table, const cs_flow_key *key, int64_t interval) {
    if (table->count >= table->capacity) return NULL;
    uint64_t hash = key_hash(table, key);
    size_t slot = find_slot(table, key, hash);
    uint32_t position = table->count++;
    cs_flow_entry *entry = &table->entries[position];
    memset(entry, 0, sizeof(*entry));
    entry->key = *key;
    entry->first_interval = entry->last_interval = interval;
    table->slots[slot] = cs_slot_make(hash, position);
    return entry;
}

uint32_t cs_flow_table_victim(cs_flow_table *table) {
    uint32_t best = table->hand % table->count;
    for (uint32_t step = 1; step < VICTIM_CANDIDATES && step < table->count; step++) {
        uint32_t position = (table->hand + step) % table->count;
        if (table->entries[position].last_interval < table->entries[best].last_interval) best = position;
    }
    table->hand = (table->hand + VICTIM_CANDIDATES) % table->count;
    return best;
}

static size_t entry_home(const void *table, uint32_t position) {
    const cs_flow_table *flows = table;
    return (size_t)key_hash(flows, &flows->entries[position].key) & flows->mask;
}

static size_t slot_of(const cs_flow_table *table, uint32_t position) {
    const cs_flow_key *key = &table->entries[position].key;
    return find_slot(table, key, key_hash(table, key));
}

void cs_flow_table_remove_at(cs_flow_table *table, uint32_t position) {
    cs_index_delete(table->slots, table->mask, slot_of(table, position), entry_home, table);
    uint32_t last = table->count - 1;
    if (position != last) {
        size_t moved = slot_of(table, last);
        table->slots[moved] = cs_slot_moved(table->slots[moved], position);
        table->entries[position] = table->entries[last];
    }
    table->count--;
}
