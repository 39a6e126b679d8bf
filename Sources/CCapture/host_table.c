#include "host_table.h"
#include "seeded_hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* The index's first size; it doubles whenever it would be more than half full. */
#define MIN_INDEX_SLOTS 64

int cs_host_table_init(cs_host_table *table, uint32_t max_hosts) {
    size_t capacity = 16;
    while (capacity < (size_t)max_hosts * 2) capacity <<= 1;
    table->entries = calloc(max_hosts, sizeof(cs_host_entry));
    table->last_active = calloc(max_hosts, sizeof(int64_t));
    table->active = calloc(max_hosts, sizeof(uint32_t));
    table->slots = calloc(capacity, sizeof(uint64_t));
    if (table->entries == NULL || table->last_active == NULL || table->active == NULL || table->slots == NULL) {
        cs_host_table_free(table);
        return -1;
    }
    table->slot_capacity = capacity;
    table->mask = (capacity < MIN_INDEX_SLOTS ? capacity : MIN_INDEX_SLOTS) - 1;
    table->count = 0;
    table->active_count = 0;
    table->max_hosts = max_hosts;
    uint64_t seed;
    if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
        seed = (uint64_t)(uintptr_t)table->slots ^ 0x9e3779b97f4a7c15ull;
    }
    cs_seeds_derive(seed, table->seeds, 2);
    return 0;
}

void cs_host_table_free(cs_host_table *table) {
    free(table->entries);
    free(table->last_active);
    free(table->active);
    free(table->slots);
    table->entries = NULL;
    table->last_active = NULL;
    table->active = NULL;
    table->slots = NULL;
}

static inline uint64_t address_hash(const cs_host_table *table, const cs_addr *addr) {
    uint64_t high, low;
    memcpy(&high, addr->bytes, 8);
    memcpy(&low, addr->bytes + 8, 8);
    return cs_mix64(high ^ table->seeds[0]) ^ cs_rotl64(cs_mix64(low ^ table->seeds[1]), 32);
}

/* The slot whose entry has `addr` (hash `hash`), or the empty slot where it would go. */
static size_t find_slot(const cs_host_table *table, const cs_addr *addr, uint64_t hash) {
    size_t slot = (size_t)hash & table->mask;
    uint64_t tag = cs_slot_tag(hash);
    for (uint64_t value; (value = table->slots[slot]) != 0; slot = (slot + 1) & table->mask) {
        if (cs_slot_tag(value) == tag && cs_same_address(&table->entries[cs_slot_position(value)].addr, addr)) break;
    }
    return slot;
}

/* Doubles the part of the index in use and re-indexes every host: no allocation, log2(max_hosts) times at most. */
static void grow_index(cs_host_table *table) {
    table->mask = table->mask * 2 + 1;
    memset(table->slots, 0, (table->mask + 1) * sizeof(uint64_t));
    for (uint32_t position = 0; position < table->count; position++) {
        uint64_t hash = address_hash(table, &table->entries[position].addr);
        size_t slot = (size_t)hash & table->mask;
        while (table->slots[slot] != 0) slot = (slot + 1) & table->mask;
        table->slots[slot] = cs_slot_make(hash, position);
    }
}

cs_host_entry *cs_host_table_find_or_insert(cs_host_table *table, const cs_addr *addr, int64_t interval) {
    uint64_t hash = address_hash(table, addr);
    size_t slot = find_slot(table, addr, hash);
    if (table->slots[slot] != 0) return &table->entries[cs_slot_position(table->slots[slot])];
    if (table->count >= table->max_hosts) return NULL;
    if ((size_t)(table->count + 1) * 2 > table->mask + 1 && table->mask + 1 < table->slot_capacity) {
        grow_index(table);
        slot = find_slot(table, addr, hash);
    }
    uint32_t position = table->count++;
    cs_host_entry *entry = &table->entries[position];
    memset(entry, 0, sizeof(*entry));
    entry->addr = *addr;
    table->last_active[position] = interval;
    table->slots[slot] = cs_slot_make(hash, position);
    return entry;
}

static size_t entry_home(const void *table, uint32_t position) {
    const cs_host_table *hosts = table;
    return (size_t)address_hash(hosts, &hosts->entries[position].addr) & hosts->mask;
}

static size_t slot_of(const cs_host_table *table, uint32_t position) {
    const cs_addr *addr = &table->entries[position].addr;
    return find_slot(table, addr, address_hash(table, addr));
}

void cs_host_table_remove_at(cs_host_table *table, uint32_t position) {
    cs_index_delete(table->slots, table->mask, slot_of(table, position), entry_home, table);

    uint32_t last = table->count - 1;
    if (position != last) {
        size_t moved = slot_of(table, last);
        table->slots[moved] = cs_slot_moved(table->slots[moved], position);
        table->entries[position] = table->entries[last];
        table->last_active[position] = table->last_active[last];
    }
    table->count--;
}

uint32_t cs_host_note_endpoint(cs_host_entry *host, const cs_addr *remote, uint16_t port, uint8_t protocol,
                           uint32_t bytes) {
    cs_endpoint *slots = host->endpoints;
    uint32_t smallest = 0;
    for (uint32_t i = 0; i < host->endpoint_count; i++) {
        if (slots[i].port == port && slots[i].protocol == protocol && cs_same_address(&slots[i].addr, remote)) {
            slots[i].bytes += bytes;
            return i;
        }
        if (slots[i].bytes < slots[smallest].bytes) smallest = i;
    }
    if (host->endpoint_count < CS_MAX_ENDPOINTS) {
        cs_endpoint *slot = &slots[host->endpoint_count++];
        host->endpoints_changed = 1;
        slot->addr = *remote;
        slot->port = port;
        slot->protocol = protocol;
        slot->bytes = bytes;
        return host->endpoint_count - 1;
    }
    /* Space-saving: the newcomer takes the smallest slot and inherits its count, an upper bound on its own bytes. */
    cs_endpoint *slot = &slots[smallest];
    host->endpoints_changed = 1;
    slot->addr = *remote;
    slot->port = port;
    slot->protocol = protocol;
    slot->bytes += bytes;
    return smallest;
}
