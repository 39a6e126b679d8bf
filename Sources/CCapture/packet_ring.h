/*
 * The offline replay's hand-over from the reader thread to the capture thread: a lock-free single-producer
 * single-consumer ring of variable-size entries, each a frame already parsed and tested against the local networks
 * (with the frame's bytes when a local host's inspection may need them).
 *
 * Reading a capture file (libpcap's two copies per packet) and parsing it take about as long as the accounting does;
 * with two CPUs the reader runs them beside the capture thread. The accounting itself stays in the one capture thread,
 * in the file's order, so every counter, record and piece of evidence is the same as when one thread does all of it
 * (a test compares the two record by record).
 *
 * Positions are byte offsets that run freely and are masked on use; entries are 8-byte aligned and never wrap: one
 * that does not fit before the end is preceded by a skip entry. Each side keeps a private copy of the other's position
 * and reloads it only when that copy says the ring is full (producer) or empty (consumer), so the two threads share
 * a cache line once per run of entries, not once per packet.
 */
#ifndef CS_PACKET_RING_H
#define CS_PACKET_RING_H

#include "ccapture.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

enum cs_ring_entry_kind {
    CS_ENTRY_PACKET = 1, /* a frame; `status` is its enum cs_parse_status */
    CS_ENTRY_SKIP = 2,   /* padding to the ring's end */
    CS_ENTRY_END = 3,    /* the reader finished: end of file, stop, or the error in the capture's reader fields */
};

/* A frame as accounting needs it: parsed, each end tested against the local networks. It depends on the frame and
 * the configuration only, so the reader thread may compute it, in place in its ring entry. */
typedef struct cs_classified_packet {
    int32_t status;  /* enum cs_parse_status */
    bool source_local;
    bool destination_local;
    cs_packet_info info;
} cs_classified_packet;

/** One frame as the reader classified it. `frame_length` bytes of the frame follow the header (0 when not needed). */
typedef struct cs_ring_entry {
    uint32_t size;          /* header, frame and padding: a multiple of 8 */
    uint8_t kind;           /* enum cs_ring_entry_kind */
    uint8_t reserved[3];
    int64_t usec;
    uint32_t frame_length;
    cs_classified_packet packet;
} cs_ring_entry;

typedef struct cs_packet_ring {
    _Alignas(64) _Atomic size_t head;  /* consumer's position, published */
    size_t cached_tail;                /* the consumer's last look at `tail` */
    _Alignas(64) _Atomic size_t tail;  /* producer's position, published */
    size_t cached_head;                /* the producer's last look at `head` */
    _Alignas(64) size_t mask;
    uint8_t *bytes;
} cs_packet_ring;

/** Allocates a ring of at least `capacity` bytes (a power of two). Returns 0 on success. */
int cs_packet_ring_init(cs_packet_ring *ring, size_t capacity);
void cs_packet_ring_free(cs_packet_ring *ring);

/** The entry size for a frame of `frame_length` bytes. */
static inline uint32_t cs_ring_entry_size(uint32_t frame_length) {
    return (uint32_t)((sizeof(cs_ring_entry) + frame_length + 7) & ~(size_t)7);
}

/**
 * Producer: room for an entry of `size` bytes (from cs_ring_entry_size), or NULL while the ring is too full. The
 * entry is written in place and published by `cs_packet_ring_commit`.
 */
static inline cs_ring_entry *cs_packet_ring_reserve(cs_packet_ring *ring, uint32_t size) {
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    size_t capacity = ring->mask + 1;
    size_t until_end = capacity - (tail & ring->mask);
    size_t need = size <= until_end ? size : until_end + size;  /* a skip entry first when it does not fit */
    if (tail + need - ring->cached_head > capacity) {
        ring->cached_head = atomic_load_explicit(&ring->head, memory_order_acquire);
        if (tail + need - ring->cached_head > capacity) return NULL;
    }
    if (size > until_end) {
        cs_ring_entry *skip = (cs_ring_entry *)(ring->bytes + (tail & ring->mask));
        skip->size = (uint32_t)until_end;
        skip->kind = CS_ENTRY_SKIP;
        tail += until_end;
        atomic_store_explicit(&ring->tail, tail, memory_order_release);
    }
    return (cs_ring_entry *)(ring->bytes + (tail & ring->mask));
}

/** Producer: publishes the entry `cs_packet_ring_reserve` returned (its `size` field written). */
static inline void cs_packet_ring_commit(cs_packet_ring *ring, const cs_ring_entry *entry) {
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    atomic_store_explicit(&ring->tail, tail + entry->size, memory_order_release);
}

/** Consumer: the oldest entry (skip entries passed over), or NULL when none is waiting. */
static inline const cs_ring_entry *cs_packet_ring_peek(cs_packet_ring *ring) {
    for (;;) {
        size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
        if (head == ring->cached_tail) {
            ring->cached_tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
            if (head == ring->cached_tail) return NULL;
        }
        const cs_ring_entry *entry = (const cs_ring_entry *)(ring->bytes + (head & ring->mask));
        if (entry->kind != CS_ENTRY_SKIP) return entry;
        atomic_store_explicit(&ring->head, head + entry->size, memory_order_release);
    }
}

/** Consumer: hands the entry `cs_packet_ring_peek` returned back to the producer. */
static inline void cs_packet_ring_release(cs_packet_ring *ring, const cs_ring_entry *entry) {
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    atomic_store_explicit(&ring->head, head + entry->size, memory_order_release);
}

#endif
