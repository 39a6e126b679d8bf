/*
 * The capture thread's table of TCP (or any transport) flows: a dense array of entries, so walks at interval close
 * visit only the flows there are, with an open-addressing index over it (linear probing, twice as many slots as
 * flows, seeded hash, backward-shift deletion). Both directions of a flow share one entry: the key orders its two
 * endpoints, and `cs_flow_key_make` says which direction a packet goes.
 *
 * Bounded: when full, `cs_flow_table_victim` picks the least recently seen of a few entries under a clock hand, so
 * making room costs a fixed number of steps, never a walk. Nothing allocates after `cs_flow_table_init`.
 */
#ifndef CS_FLOW_TABLE_H
#define CS_FLOW_TABLE_H

#include "ccapture.h"
#include "flow_shape.h"

#include <stdbool.h>

/** A flow's endpoints in canonical order: (low_addr, low_port) sorts before (high_addr, high_port). */
typedef struct cs_flow_key {
    cs_addr low_addr;
    cs_addr high_addr;
    uint16_t low_port;
    uint16_t high_port;
    uint8_t protocol;
    uint8_t reserved[3];
} cs_flow_key;

enum cs_flow_evidence_state {
    CS_FLOW_EVIDENCE_NONE = 0,
    CS_FLOW_EVIDENCE_PENDING = 1,   /* a dialect was recognised; the worker name may still come */
    CS_FLOW_EVIDENCE_REPORTED = 2,  /* reported once; never again for this flow */
};

typedef struct cs_flow_entry {
    cs_flow_key key;
    int64_t first_interval;
    int64_t last_interval;        /* the last interval a packet of this flow reached the table */
    int64_t recognised_interval;  /* when `dialect` was first recognised */
    uint16_t inspected[2];        /* payload bytes examined, per direction: [0] low → high, [1] high → low */
    uint8_t dialect;              /* enum cs_stratum_dialect */
    uint8_t miner_side;           /* 0: the low endpoint is the miner; 1: the high one */
    uint8_t evidence_state;       /* enum cs_flow_evidence_state */
    uint8_t tracked;              /* 1: `shape` is kept (flow tracking on) */
    uint8_t endpoint_index[2];    /* per key side: the slot of the other side in the host's endpoint list, as last
                                     seen (checked before use) */
    uint32_t host_position[2];    /* per key side: 1 + the local host's position in the host table as last seen,
                                     0 unknown (checked against the entry's address before use) */
    cs_flow_shape_state shape;
} cs_flow_entry;

typedef struct cs_flow_table {
    cs_flow_entry *entries;  /* entries[0 ..< count] */
    uint64_t *slots;         /* tagged positions (seeded_hash.h) */
    size_t mask;
    uint32_t count;
    uint32_t capacity;
    uint32_t hand;           /* where the next victim search starts */
    uint64_t seeds[5];       /* one per key word: four address halves and the ports (seeded_hash.h) */
} cs_flow_table;

/** Allocates a table for `capacity` flows. Returns 0 on success. */
int cs_flow_table_init(cs_flow_table *table, uint32_t capacity);
void cs_flow_table_free(cs_flow_table *table);

/**
 * The canonical key of a packet's flow; returns the packet's direction (0: low → high, 1: high → low).
 */
int cs_flow_key_make(cs_flow_key *key, const cs_addr *source, uint16_t source_port, const cs_addr *destination,
                     uint16_t destination_port, uint8_t protocol);

/** The entry for `key`, or NULL. */
cs_flow_entry *cs_flow_table_find(const cs_flow_table *table, const cs_flow_key *key);

/** Adds an entry for `key` (which must be absent); NULL when the table is full (make room with a victim first). */
cs_flow_entry *cs_flow_table_insert(cs_flow_table *table, const cs_flow_key *key, int64_t interval);

/** The position of the least recently seen of a few entries under the clock hand (the table must not be empty). */
uint32_t cs_flow_table_victim(cs_flow_table *table);

/** Removes the entry at `position`; the last entry moves into its place, so examine `position` again. */
void cs_flow_table_remove_at(cs_flow_table *table, uint32_t position);

#endif
