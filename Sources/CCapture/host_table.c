#include "host_table.h"
#include "seeded_hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int cs_host_table_init(cs_host_table *table, uint32_t max_hosts) {
    size_t capacity = 16;
    while (capacity < (size_t)max_hosts * 2) capacity <<= 1;
    table->entries = calloc(max_hosts, sizeof(cs_host_entry));
    table->slots = calloc(capacity, sizeof(uint32_t));
    if (table->entries == NULL || table->slots == NULL) {
        cs_host_table_free(table);
        return -1;
    }
    table->mask = capacity - 1;
    table->count = 0;
    table->max_hosts = max_hosts;
    if (getrandom(&table->seed, sizeof(table->seed), 0) != sizeof(table->seed)) {
        table->seed = (uint64_t)(uintptr_t)table->slots ^ 0x9e3779b97f4a7c15ull;
    }
    return 0;
}

void cs_host_table_free(cs_host_table *table) {
    free(table->entries);
    free(table->slots);
    table->entries = NULL;
    table->slots = NULL;
}

static inline size_t home_slot(const cs_host_table *table, const cs_addr *addr) {
    uint64_t high, low;
    memcpy(&high, addr->bytes, 8);
    memcpy(&low, addr->bytes + 8, 8);
    return (size_t)cs_mix64(cs_mix64(high ^ table->seed) ^ low) & table->mask;
}

static inline int same_address(const cs_addr *a, const cs_addr *b) {
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->bytes, 8);
    memcpy(&a1, a->bytes + 8, 8);
    memcpy(&b0, b->bytes, 8);
    memcpy(&b1, b->bytes + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* The slot whose entry has `addr`, or the empty slot where it would go. */
static size_t find_slot(const cs_host_table *table, const cs_addr *addr) {
    size_t slot = home_slot(table, addr);
    while (table->slots[slot] != 0 && !same_address(&table->entries[table->slots[slot] - 1].addr, addr)) {
        slot = (slot + 1) & table->mask;
    }
    return slot;
}

cs_host_entry *cs_host_table_find_or_insert(cs_host_table *table, const cs_addr *addr, int64_t interval) {
    size_t slot = find_slot(table, addr);
    if (table->slots[slot] != 0) return &table->entries[table->slots[slot] - 1];
    if (table->count >= table->max_hosts) return NULL;
    cs_host_entry *entry = &table->entries[table->count];
    memset(entry, 0, sizeof(*entry));
    entry->addr = *addr;
    entry->last_active_interval = interval;
    table->slots[slot] = ++table->count;
    return entry;
}

static size_t entry_home(const void *table, uint32_t position) {
    const cs_host_table *hosts = table;
    return home_slot(hosts, &hosts->entries[position].addr);
}

void cs_host_table_remove_at(cs_host_table *table, uint32_t position) {
    cs_index_delete(table->slots, table->mask, find_slot(table, &table->entries[position].addr), entry_home, table);

    uint32_t last = table->count - 1;
    if (position != last) {
        table->slots[find_slot(table, &table->entries[last].addr)] = position + 1;
        table->entries[position] = table->entries[last];
    }
    table->count--;
}

void cs_host_note_endpoint(cs_host_entry *host, const cs_addr *remote, uint16_t port, uint8_t protocol,
                           uint32_t bytes) {
    cs_endpoint *slots = host->endpoints;
    uint32_t smallest = 0;
    for (uint32_t i = 0; i < host->endpoint_count; i++) {
        if (slots[i].port == port && slots[i].protocol == protocol && same_address(&slots[i].addr, remote)) {
            slots[i].bytes += bytes;
            return;
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
        return;
    }
    /* Space-saving: the newcomer takes the smallest slot and inherits its count, an upper bound on its own bytes. */
    cs_endpoint *slot = &slots[smallest];
    host->endpoints_changed = 1;
    slot->addr = *remote;
    slot->port = port;
    slot->protocol = protocol;
    slot->bytes += bytes;
}
