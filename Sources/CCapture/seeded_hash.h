/*
 * The mixing function of the capture thread's hashed indexes (host table, flow table): SplitMix64's finaliser. Keys
 * are mixed with a per-table random seed so that addresses and ports chosen by an attacker cannot force long probe
 * chains.
 */
#ifndef CS_SEEDED_HASH_H
#define CS_SEEDED_HASH_H

#include <stdint.h>

static inline uint64_t cs_mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

#endif
