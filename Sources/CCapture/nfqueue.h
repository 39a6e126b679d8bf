/*
 * The capture engine's NFQUEUE source: a netfilter queue bound with libnetfilter_queue, read by the capture thread,
 * every packet given a verdict from an immutable rule table that Swift replaces without ever blocking this thread.
 */
#ifndef CS_NFQUEUE_H
#define CS_NFQUEUE_H

#include "ccapture.h"

/** The local ↔ remote pairs a packet belongs to (two when both ends are local), filled by the packet handler. */
typedef struct cs_queue_sides {
    uint32_t count;
    cs_addr local[2];
    cs_addr remote[2];
    uint16_t remote_port[2];
} cs_queue_sides;

/** Counts one raw IP packet and says which local hosts it belongs to. */
typedef void (*cs_queue_handler)(void *context, const uint8_t *packet, uint32_t length, cs_queue_sides *sides);

typedef struct cs_queue cs_queue;

/** Binds queue `number` with fail-open and a kernel queue of `max_length` packets. Returns an enum cs_error. */
int cs_queue_open(uint32_t number, uint32_t max_length, cs_queue_handler handler, void *context, cs_queue **out,
                  char *errbuf, size_t errbuf_size);
void cs_queue_close(cs_queue *queue);
int cs_queue_fd(const cs_queue *queue);

/** Handles every packet waiting on the socket without blocking. Returns CS_OK or CS_ERR_IO (errno kept). */
int cs_queue_dispatch(cs_queue *queue);

int cs_queue_set_policy(cs_queue *queue, int policy);
int cs_queue_set_rules(cs_queue *queue, const cs_block_rule *rules, size_t rule_count, const cs_addr *allowed,
                       size_t allowed_count);
void cs_queue_get_stats(const cs_queue *queue, cs_verdict_stats *out);

#endif
