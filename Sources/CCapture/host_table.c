#include "host_table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int cs_host_table_init(cs_host_table *table, uint32_t max_hosts) {
    size_t capacity = 16;
    while (capacity < (size_t)max_hosts * 2) capacity <<= 1;
    table->slots = calloc(capacity, sizeof(cs_host_entry));
    if (table->slots == NULL) return -1;
    table->mask = capacity - 1;
    table->count = 0;
    table->max_hosts = max_hosts;
    if (getrandom(&table->seed, sizeof(table->seed), 0) != sizeof(table->seed)) {
        table->seed = (uint64_t)(uintptr_t)table->slots ^ 0x9e3779b97f4a7c15ull;
    }
    return 0;
}

void cs_host_table_free(cs_host_table *table) {
    free(table->slots);
    table->slots = NULL;
}

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline size_t home_slot(const cs_host_table *table, const cs_addr *addr) {
    uint64_t high, low;
    memcpy(&high, addr->bytes, 8);
    memcpy(&low, addr->bytes + 8, 8);
    return (size_t)mix64(mix64(high ^ table->seed) ^ low) & table->mask;
}

cs_host_entry *cs_host_table_find_or_insert(cs_host_table *table, const cs_addr *addr, int64_t interval) {
    size_t index = home_slot(table, addr);
    for (;;) {
        cs_host_entry *entry = &table->slots[index];
        if (!entry->used) {
            if (table->count >= table->max_hosts) return NULL;
            memset(entry, 0, sizeof(*entry));
            entry->addr = *addr;
            entry->used = 1;
            entry->last_active_interval = interval;
            table->count++;
            return entry;
        }
        if (memcmp(entry->addr.bytes, addr->bytes, 16) == 0) return entry;
        index = (index + 1) & table->mask;
    }
}

void cs_host_table_remove_at(cs_host_table *table, size_t index) {
    size_t hole = index;
    size_t next = (hole + 1) & table->mask;
    while (table->slots[next].used) {
        size_t home = home_slot(table, &table->slots[next].addr);
        /* The entry at `next` may move into the hole only if its home is not cyclically within (hole, next]. */
        bool home_in_range = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
        if (!home_in_range) {
            table->slots[hole] = table->slots[next];
            hole = next;
        }
        next = (next + 1) & table->mask;
    }
    memset(&table->slots[hole], 0, sizeof(cs_host_entry));
    table->count--;
}

void cs_host_note_endpoint(cs_host_entry *host, const cs_addr *remote, uint16_t port, uint8_t protocol,
                           uint32_t bytes) {
    cs_endpoint *slots = host->endpoints;
    uint32_t smallest = 0;
    for (uint32_t i = 0; i < host->endpoint_count; i++) {
        if (slots[i].port == port && slots[i].protocol == protocol && memcmp(slots[i].addr.bytes, remote->bytes, 16) == 0) {
            slots[i].bytes += bytes;
            return;
        }
        if (slots[i].bytes < slots[smallest].bytes) smallest = i;
    }
    if (host->endpoint_count < CS_MAX_ENDPOINTS) {
        cs_endpoint *slot = &slots[host->endpoint_count++];
        slot->addr = *remote;
        slot->port = port;
        slot->protocol = protocol;
        slot->bytes = bytes;
        return;
    }
    /* Space-saving: the newcomer takes the smallest slot and inherits its count, an upper bound on its own bytes. */
    cs_endpoint *slot = &slots[smallest];
    slot->addr = *remote;
    slot->port = port;
    slot->protocol = protocol;
    slot->bytes += bytes;
}
