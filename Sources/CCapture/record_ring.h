/*
 * A lock-free single-producer single-consumer ring of cs_record.
 *
 * The producer (capture thread) owns `tail`, the consumer owns `head`; each publishes its index with a release store
 * and reads the other's with an acquire load, so a record is fully written before the consumer can see it and fully
 * read before the producer can overwrite it. Indices run freely and are masked on use.
 */
#ifndef CS_RECORD_RING_H
#define CS_RECORD_RING_H

#include "ccapture.h"

#include <stdatomic.h>
#include <stdbool.h>

typedef struct cs_record_ring {
    _Alignas(64) _Atomic size_t head;
    _Alignas(64) _Atomic size_t tail;
    _Alignas(64) size_t mask;
    cs_record *slots;
} cs_record_ring;

/** Allocates a ring of at least `capacity` slots (rounded up to a power of two). Returns 0 on success. */
int cs_ring_init(cs_record_ring *ring, uint32_t capacity);
void cs_ring_free(cs_record_ring *ring);

/** Producer: appends a record; false when the ring is full (nothing written). */
static inline bool cs_ring_push(cs_record_ring *ring, const cs_record *record) {
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
    if (tail - head > ring->mask) return false;
    ring->slots[tail & ring->mask] = *record;
    atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
    return true;
}

/** Consumer: moves up to `max` records into `out`; returns how many. */
static inline size_t cs_ring_pop(cs_record_ring *ring, cs_record *out, size_t max) {
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
    size_t count = tail - head;
    if (count > max) count = max;
    for (size_t i = 0; i < count; i++) out[i] = ring->slots[(head + i) & ring->mask];
    atomic_store_explicit(&ring->head, head + count, memory_order_release);
    return count;
}

#endif
