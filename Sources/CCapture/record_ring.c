#include "record_ring.h"

#include <stdlib.h>

_Static_assert(sizeof(cs_record) == 24 + 16 + 32 + CS_MAX_ENDPOINTS * sizeof(cs_endpoint),
               "cs_record layout is shared with Swift; change both sides together");
_Static_assert(sizeof(cs_endpoint) == 32, "cs_endpoint layout is shared with Swift");

int cs_ring_init(cs_record_ring *ring, uint32_t capacity) {
    size_t size = 2;
    while (size < capacity) size <<= 1;
    ring->slots = calloc(size, sizeof(cs_record));
    if (ring->slots == NULL) return -1;
    ring->mask = size - 1;
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    return 0;
}

void cs_ring_free(cs_record_ring *ring) {
    free(ring->slots);
    ring->slots = NULL;
}
