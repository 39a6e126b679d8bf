/*
 * The capture thread's table of local hosts: a dense array of entries, so closing an interval walks only the hosts
 * there are, and an open-addressing index over it (linear probing, twice as many slots as hosts, a seeded hash so
 * that addresses chosen by an attacker cannot force long probe chains, backward-shift deletion so no tombstones
 * accumulate).
 */
#ifndef CS_HOST_TABLE_H
#define CS_HOST_TABLE_H

#include "ccapture.h"

typedef struct cs_host_entry {
    cs_addr addr;
    uint64_t bytes_received;      /* current interval */
    uint64_t bytes_sent;
    uint64_t packets_received;
    uint64_t packets_sent;
    int64_t last_active_interval;
    int64_t endpoints_reported_interval;
    uint32_t endpoint_count;
    uint32_t endpoints_changed;   /* an endpoint entered or left the list since it was last reported */
    cs_endpoint endpoints[CS_MAX_ENDPOINTS];
} cs_host_entry;

typedef struct cs_host_table {
    cs_host_entry *entries;  /* entries[0 ..< count] */
    uint32_t *slots;         /* 0: empty; otherwise the entry's position + 1 */
    size_t mask;
    uint32_t count;
    uint32_t max_hosts;
    uint64_t seed;
} cs_host_table;

int cs_host_table_init(cs_host_table *table, uint32_t max_hosts);
void cs_host_table_free(cs_host_table *table);

/** The entry for `addr`, created when absent; NULL when the table already holds `max_hosts` hosts. */
cs_host_entry *cs_host_table_find_or_insert(cs_host_table *table, const cs_addr *addr, int64_t interval);

/** Removes the entry at `position`; the last entry moves into its place, so examine `position` again. */
void cs_host_table_remove_at(cs_host_table *table, uint32_t position);

/** Adds `bytes` to the host's account of a remote endpoint, keeping the busiest ones (space-saving algorithm). */
void cs_host_note_endpoint(cs_host_entry *host, const cs_addr *remote, uint16_t port, uint8_t protocol,
                           uint32_t bytes);

#endif
