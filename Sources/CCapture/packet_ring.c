#include "packet_ring.h"

#include <stdlib.h>

_Static_assert(sizeof(cs_ring_entry) % 8 == 0, "ring entries stay 8-byte aligned");

int cs_packet_ring_init(cs_packet_ring *ring, size_t capacity) {
    size_t size = 4096;
    while (size < capacity) size <<= 1;
    ring->bytes = aligned_alloc(64, size);
    if (ring->bytes == NULL) return -1;
    ring->mask = size - 1;
    ring->cached_tail = 0;
    ring->cached_head = 0;
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    return 0;
}

void cs_packet_ring_free(cs_packet_ring *ring) {
    free(ring->bytes);
    ring->bytes = NULL;
}
