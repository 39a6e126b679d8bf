/*
 * The capture thread's table of local hosts: a dense array of entries, the list of hosts with traffic in the current
 * interval (so closing an interval visits only those), each host's last active interval in a compact array beside the
 * entries (so the idle sweep reads 8 bytes per host), and an open-addressing index over the entries (linear probing,
 * at least twice as many slots as hosts, allocated for `max_hosts` up front and used from a small prefix that doubles
 * as hosts arrive, a seeded hash so that addresses chosen by an attacker cannot force long probe chains,
 * backward-shift deletion so no tombstones accumulate).
 */
#ifndef CS_HOST_TABLE_H
#define CS_HOST_TABLE_H

#include "ccapture.h"

#include <stdbool.h>
#include <string.h>

typedef struct cs_host_entry {
    cs_addr addr;
    uint64_t bytes_received;      /* current interval */
    uint64_t bytes_sent;
    uint64_t packets_received;
    uint64_t packets_sent;
    int64_t endpoints_reported_interval;
    uint32_t endpoint_count;
    uint32_t endpoints_changed;   /* an endpoint entered or left the list since it was last reported */
    cs_endpoint endpoints[CS_MAX_ENDPOINTS];
} cs_host_entry;

typedef struct cs_host_table {
    cs_host_entry *entries;  /* entries[0 ..< count] */
    int64_t *last_active;    /* last_active[position]: the last interval in which the host had traffic */
    uint32_t *active;        /* active[0 ..< active_count]: positions of the hosts with traffic this interval */
    uint32_t active_count;
    uint64_t *slots;         /* tagged positions (seeded_hash.h); the index uses slots[0 ... mask] */
    size_t mask;             /* grows with the hosts, so a small table's index stays in cache */
    size_t slot_capacity;    /* allocated: twice max_hosts, rounded up to a power of two */
    uint32_t count;
    uint32_t max_hosts;
    uint64_t seeds[2];       /* one per address half (seeded_hash.h) */
} cs_host_table;

int cs_host_table_init(cs_host_table *table, uint32_t max_hosts);
void cs_host_table_free(cs_host_table *table);

/** The entry for `addr`, created when absent; NULL when the table already holds `max_hosts` hosts. */
cs_host_entry *cs_host_table_find_or_insert(cs_host_table *table, const cs_addr *addr, int64_t interval);

/** Whether two addresses are equal (two 64-bit compares). */
static inline bool cs_same_address(const cs_addr *a, const cs_addr *b) {
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->bytes, 8);
    memcpy(&a1, a->bytes + 8, 8);
    memcpy(&b0, b->bytes, 8);
    memcpy(&b1, b->bytes + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/** Counts a packet for `host`: the first of the interval puts it on the active list. */
static inline void cs_host_table_count(cs_host_table *table, cs_host_entry *host, bool sent, uint32_t bytes) {
    if ((host->packets_received | host->packets_sent) == 0) {
        table->active[table->active_count++] = (uint32_t)(host - table->entries);
    }
    if (sent) {
        host->bytes_sent += bytes;
        host->packets_sent++;
    } else {
        host->bytes_received += bytes;
        host->packets_received++;
    }
}

/**
 * Removes the entry at `position` (never while the active list is in use); the last entry moves into its place, so
 * examine `position` again.
 */
void cs_host_table_remove_at(cs_host_table *table, uint32_t position);

/**
 * Adds `bytes` to the host's account of a remote endpoint, keeping the busiest ones (space-saving algorithm). Returns
 * the endpoint's slot.
 */
uint32_t cs_host_note_endpoint(cs_host_entry *host, const cs_addr *remote, uint16_t port, uint8_t protocol,
                           uint32_t bytes);

#endif
