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

/**
 * Producer: the slot the next record is to be written in, or NULL when the ring is full. The record is written in
 * place and becomes visible with `cs_ring_commit`; a slot holds whatever record was there before, so write every field
 * the record's kind uses.
 */
static inline cs_record *cs_ring_reserve(cs_record_ring *ring) {
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
    if (tail - head > ring->mask) return NULL;
    return &ring->slots[tail & ring->mask];
}

/** Producer: publishes the record written in the slot `cs_ring_reserve` returned. */
static inline void cs_ring_commit(cs_record_ring *ring) {
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
}

/**
 * Consumer: the oldest records waiting, read in place: up to `max` records in one contiguous run starting at
 * `*records` (the ring's end cuts a run short; the rest comes with the next call). They stay the consumer's until
 * `cs_ring_release`.
 */
static inline size_t cs_ring_peek(cs_record_ring *ring, const cs_record **records, size_t max) {
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
    size_t count = tail - head;
    size_t until_end = ring->mask + 1 - (head & ring->mask);
    if (count > until_end) count = until_end;
    if (count > max) count = max;
    *records = &ring->slots[head & ring->mask];
    return count;
}

/** Consumer: hands `count` records read through `cs_ring_peek` back to the producer. */
static inline void cs_ring_release(cs_record_ring *ring, size_t count) {
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    atomic_store_explicit(&ring->head, head + count, memory_order_release);
}

#endif
