/*
 * Addresses a DNS answer gave for a listed pool name, each kept for a bounded time: a fixed table (open addressing,
 * seeded hash, at most PROBES slots looked at per operation), so a later flow to such an address carries the name.
 * When every slot a new binding may take is live, the one expiring first is pushed out (and counted). Nothing
 * allocates after cs_name_bindings_init.
 */
#ifndef CS_NAME_BINDINGS_H
#define CS_NAME_BINDINGS_H

#include "ccapture.h"

typedef struct cs_name_binding {
    cs_addr addr;
    int64_t expires_usec;        /* 0: empty */
    uint8_t name_length;
    char name[CS_RECORD_NAME_MAX];
    uint8_t reserved[7];
} cs_name_binding;

typedef struct cs_name_bindings {
    cs_name_binding *entries;
    size_t mask;
    uint64_t seed;
    uint64_t evicted;
} cs_name_bindings;

/** Allocates room for `capacity` bindings (rounded up to a power of two). Returns 0 on success. */
int cs_name_bindings_init(cs_name_bindings *table, uint32_t capacity);
void cs_name_bindings_free(cs_name_bindings *table);

/** Ties `addr` to `name` (already cut to the record's room) until `expires_usec`. */
void cs_name_bindings_bind(cs_name_bindings *table, const cs_addr *addr, const char *name, uint8_t name_length,
                           int64_t expires_usec, int64_t now_usec);

/** The live binding of `addr` at `now_usec`, or NULL. */
const cs_name_binding *cs_name_bindings_find(const cs_name_bindings *table, const cs_addr *addr, int64_t now_usec);

#endif
