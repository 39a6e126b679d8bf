/*
 * The hashed indexes of the capture thread (host table, flow table): the mixing function, SplitMix64's finaliser. Keys
 * are mixed with a per-table random seed so that addresses and ports chosen by an attacker cannot force long probe
 * chains.
 */
#ifndef CS_SEEDED_HASH_H
#define CS_SEEDED_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t cs_mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline uint64_t cs_rotl64(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

/*
 * Per-word seeds drawn from one random seed. A key is hashed word by word, each word mixed with its own seed and the
 * results rotated apart and combined: the mixes are independent, so they run side by side instead of one after the
 * other, and without the seeds no choice of words makes two keys' hashes equal.
 */
static inline void cs_seeds_derive(uint64_t seed, uint64_t *seeds, size_t count) {
    for (size_t i = 0; i < count; i++) seeds[i] = cs_mix64(seed + (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ull);
}

/*
 * The index slots of both tables: 0 is empty; otherwise the low 32 bits hold the entry's 1-based position in its dense
 * array and the high 32 bits a tag, the top half of the key's hash. A probe compares tags first, so walking past
 * other keys (and every probe of a key that is absent) reads only the index, never the entries.
 */
static inline uint64_t cs_slot_make(uint64_t hash, uint32_t position) {
    return (hash & 0xffffffff00000000ull) | ((uint64_t)position + 1);
}
static inline uint32_t cs_slot_position(uint64_t slot) { return (uint32_t)slot - 1; }
/* The same slot pointing at the entry's new position (its entry moved in the dense array). */
static inline uint64_t cs_slot_moved(uint64_t slot, uint32_t position) {
    return (slot & 0xffffffff00000000ull) | ((uint64_t)position + 1);
}
static inline uint64_t cs_slot_tag(uint64_t hash) { return hash >> 32; }

/*
 * Backward-shift deletion in a linear-probing index of such slots, shared by the host and flow tables: empties `hole`
 * and moves later slots of the same probe run back into it, so that every remaining entry is still found without
 * tombstones. `home(table, position)` is the home slot of the entry at 0-based `position`.
 */
static inline void cs_index_delete(uint64_t *slots, size_t mask, size_t hole,
                                   size_t (*home)(const void *table, uint32_t position), const void *table) {
    size_t next = (hole + 1) & mask;
    while (slots[next] != 0) {
        size_t start = home(table, cs_slot_position(slots[next]));
        /* The slot at `next` may fill the hole only if its home is not cyclically within (hole, next]. */
        int home_in_range = hole <= next ? (start > hole && start <= next) : (start > hole || start <= next);
        if (!home_in_range) {
            slots[hole] = slots[next];
            hole = next;
        }
        next = (next + 1) & mask;
    }
    slots[hole] = 0;
}

#endif
