/*
 * NFQUEUE: packets from a netfilter queue, counted by the capture engine and given a verdict.
 *
 * Rule table publication (why not a lock or a seqlock): the verdict path must never wait for a writer, and a rule
 * table is small, rarely replaced and read for every packet. So a writer builds a complete, sorted, immutable table
 * aside and publishes it with one atomic pointer exchange; the queue thread reads whatever table is current. The only
 * question is when the old table may be freed. The queue thread is the single reader and marks every verdict decision
 * by incrementing `reader_sequence` before (odd: inside) and after (even: outside); a writer that sees an odd value
 * after its exchange waits until the value changes, a grace period of one decision (well under a microsecond), then
 * frees. All four operations are sequentially consistent, so either the writer sees the reader inside, or the reader's
 * next decision loads the new table. A seqlock would make the reader retry while a writer copies, and a reader-writer
 * lock would let a writer stall the verdict path; this scheme has neither.
 */
#include "nfqueue.h"

/* glibc's <netinet/in.h> must come before any <linux/in.h> that the netfilter headers pull in. */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnfnetlink/libnfnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif

#define RECEIVE_BUFFER (256 * 1024)
#define SOCKET_BUFFER (8 * 1024 * 1024)
#define COPY_BYTES 0xffff

/* An immutable table: rules sorted by (host, remote, port), allowlisted hosts sorted; one allocation. */
typedef struct rule_table {
    size_t rule_count;
    size_t allowed_count;
    cs_block_rule *rules;
    cs_addr *allowed;
} rule_table;

struct cs_queue {
    struct nfq_handle *handle;
    struct nfq_q_handle *queue;
    int fd;
    uint8_t *buffer;
    cs_queue_handler handler;
    void *context;

    _Atomic(rule_table *) table;
    _Atomic uint64_t reader_sequence;
    _Atomic int policy;
    pthread_mutex_t writer_lock;  /* serialises writers only; the queue thread never takes it */

    /* Counters: verdicts written by the queue thread only (relaxed stores), swaps by writers; read by anyone. */
    _Atomic uint64_t accepted, dropped, verdict_errors, receive_errors, table_swaps;
};

__attribute__((format(printf, 3, 4)))
static void queue_error(char *errbuf, size_t size, const char *format, ...) {
    if (errbuf == NULL || size == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(errbuf, size, format, arguments);
    va_end(arguments);
}

static inline void bump(_Atomic uint64_t *counter) {
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + 1, memory_order_relaxed);
}

static inline int compare_addr(const cs_addr *a, const cs_addr *b) { return memcmp(a->bytes, b->bytes, 16); }

static int compare_rules(const void *left, const void *right) {
    const cs_block_rule *a = left, *b = right;
    int order = compare_addr(&a->host, &b->host);
    if (order != 0) return order;
    if (a->all_traffic != b->all_traffic) return (int)b->all_traffic - (int)a->all_traffic;
    order = compare_addr(&a->remote, &b->remote);
    return order != 0 ? order : (int)a->remote_port - (int)b->remote_port;
}

static int compare_addrs(const void *left, const void *right) { return compare_addr(left, right); }

static bool is_allowed(const rule_table *table, const cs_addr *host) {
    return bsearch(host, table->allowed, table->allowed_count, sizeof(cs_addr), compare_addrs) != NULL;
}

/* Whether a rule of `host` covers `remote`:`port`. The host's rules are contiguous; its all-traffic rule first. */
static bool is_blocked(const rule_table *table, const cs_addr *host, const cs_addr *remote, uint16_t port) {
    size_t low = 0, high = table->rule_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (compare_addr(&table->rules[middle].host, host) < 0) low = middle + 1;
        else high = middle;
    }
    for (size_t i = low; i < table->rule_count && compare_addr(&table->rules[i].host, host) == 0; i++) {
        const cs_block_rule *rule = &table->rules[i];
        if (rule->all_traffic) return true;
        if (compare_addr(&rule->remote, remote) == 0 && (rule->remote_port == 0 || rule->remote_port == port)) {
            return true;
        }
    }
    return false;
}

static uint32_t decide(cs_queue *q, const cs_queue_sides *sides) {
    if (atomic_load_explicit(&q->policy, memory_order_relaxed) != CS_POLICY_BLOCK) return NF_ACCEPT;
    atomic_fetch_add_explicit(&q->reader_sequence, 1, memory_order_seq_cst);
    const rule_table *table = atomic_load_explicit(&q->table, memory_order_seq_cst);
    uint32_t verdict = NF_ACCEPT;
    for (uint32_t i = 0; table != NULL && i < sides->count; i++) {
        if (is_allowed(table, &sides->local[i])) continue;
        if (is_blocked(table, &sides->local[i], &sides->remote[i], sides->remote_port[i])) verdict = NF_DROP;
    }
    atomic_fetch_add_explicit(&q->reader_sequence, 1, memory_order_seq_cst);
    return verdict;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *data, void *argument) {
    (void)message;
    cs_queue *q = argument;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
    if (header == NULL) return 0;
    uint32_t id = ntohl(header->packet_id);
    unsigned char *packet = NULL;
    int length = nfq_get_payload(data, &packet);
    cs_queue_sides sides;
    sides.count = 0;
    if (length > 0) q->handler(q->context, packet, (uint32_t)length, &sides);
    uint32_t verdict = decide(q, &sides);
    if (nfq_set_verdict(queue, id, verdict, 0, NULL) < 0) bump(&q->verdict_errors);
    else if (verdict == NF_DROP) bump(&q->dropped);
    else bump(&q->accepted);
    return 0;
}

int cs_queue_open(uint32_t number, uint32_t max_length, cs_queue_handler handler, void *context, cs_queue **out,
                  char *errbuf, size_t errbuf_size) {
    *out = NULL;
    cs_queue *q = calloc(1, sizeof(*q));
    if (q == NULL) return CS_ERR_NO_MEMORY;
    q->fd = -1;
    q->handler = handler;
    q->context = context;
    pthread_mutex_init(&q->writer_lock, NULL);
    q->buffer = malloc(RECEIVE_BUFFER);
    if (q->buffer == NULL) {
        cs_queue_close(q);
        return CS_ERR_NO_MEMORY;
    }
    q->handle = nfq_open();
    if (q->handle == NULL) {
        int error = errno;
        queue_error(errbuf, errbuf_size, "cannot open a netfilter queue socket: %s (inline mode needs CAP_NET_ADMIN)",
                    strerror(error));
        cs_queue_close(q);
        return error == EPERM || error == EACCES ? CS_ERR_PERMISSION : CS_ERR_QUEUE;
    }
    q->queue = nfq_create_queue(q->handle, (uint16_t)number, on_packet, q);
    if (q->queue == NULL) {
        int error = errno;
        queue_error(errbuf, errbuf_size,
                    "cannot bind NFQUEUE %u: %s (another program may hold it; inline mode needs CAP_NET_ADMIN and "
                    "the nfnetlink_queue module)", number, strerror(error));
        cs_queue_close(q);
        return error == EPERM ? CS_ERR_PERMISSION : CS_ERR_QUEUE;
    }
    if (nfq_set_mode(q->queue, NFQNL_COPY_PACKET, COPY_BYTES) < 0 ||
        nfq_set_queue_maxlen(q->queue, max_length) < 0) {
        queue_error(errbuf, errbuf_size, "cannot configure NFQUEUE %u: %s", number, strerror(errno));
        cs_queue_close(q);
        return CS_ERR_QUEUE;
    }
    /* Fail open: when the queue is full the kernel accepts packets instead of dropping them. */
    if (nfq_set_queue_flags(q->queue, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0) {
        queue_error(errbuf, errbuf_size, "the kernel refused fail-open on NFQUEUE %u: %s", number, strerror(errno));
        cs_queue_close(q);
        return CS_ERR_QUEUE;
    }
    q->fd = nfq_fd(q->handle);
    nfnl_rcvbufsiz(nfq_nfnlh(q->handle), SOCKET_BUFFER);
    int one = 1;
    setsockopt(q->fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
    fcntl(q->fd, F_SETFL, fcntl(q->fd, F_GETFL) | O_NONBLOCK);
    *out = q;
    return CS_OK;
}

void cs_queue_close(cs_queue *q) {
    if (q == NULL) return;
    if (q->queue != NULL) nfq_destroy_queue(q->queue);
    if (q->handle != NULL) nfq_close(q->handle);
    free(atomic_load(&q->table));
    free(q->buffer);
    pthread_mutex_destroy(&q->writer_lock);
    free(q);
}

int cs_queue_fd(const cs_queue *q) { return q->fd; }

int cs_queue_dispatch(cs_queue *q) {
    for (;;) {
        ssize_t length = recv(q->fd, q->buffer, RECEIVE_BUFFER, MSG_DONTWAIT);
        if (length > 0) {
            nfq_handle_packet(q->handle, (char *)q->buffer, (int)length);
            continue;
        }
        if (length < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return CS_OK;
        if (length < 0 && (errno == EINTR)) continue;
        if (length < 0 && errno == ENOBUFS) {
            /* The kernel dropped messages for us (then failed open): count and go on. */
            bump(&q->receive_errors);
            continue;
        }
        return CS_ERR_IO;
    }
}

int cs_queue_set_policy(cs_queue *q, int policy) {
    if (policy != CS_POLICY_MONITOR && policy != CS_POLICY_BLOCK) return CS_ERR_INVALID_ARGUMENT;
    atomic_store_explicit(&q->policy, policy, memory_order_relaxed);
    return CS_OK;
}

int cs_queue_set_rules(cs_queue *q, const cs_block_rule *rules, size_t rule_count, const cs_addr *allowed,
                       size_t allowed_count) {
    rule_table *table = malloc(sizeof(rule_table) + rule_count * sizeof(cs_block_rule) +
                               allowed_count * sizeof(cs_addr));
    if (table == NULL) return CS_ERR_NO_MEMORY;
    table->rule_count = rule_count;
    table->allowed_count = allowed_count;
    table->rules = (cs_block_rule *)(table + 1);
    table->allowed = (cs_addr *)(table->rules + rule_count);
    if (rule_count > 0) memcpy(table->rules, rules, rule_count * sizeof(cs_block_rule));
    if (allowed_count > 0) memcpy(table->allowed, allowed, allowed_count * sizeof(cs_addr));
    qsort(table->rules, rule_count, sizeof(cs_block_rule), compare_rules);
    qsort(table->allowed, allowed_count, sizeof(cs_addr), compare_addrs);

    pthread_mutex_lock(&q->writer_lock);
    rule_table *old = atomic_exchange_explicit(&q->table, table, memory_order_seq_cst);
    uint64_t sequence = atomic_load_explicit(&q->reader_sequence, memory_order_seq_cst);
    if (sequence & 1) {
        /* The queue thread is inside one decision and may hold `old`: wait for it to leave. */
        while (atomic_load_explicit(&q->reader_sequence, memory_order_seq_cst) == sequence) sched_yield();
    }
    free(old);
    atomic_fetch_add_explicit(&q->table_swaps, 1, memory_order_relaxed);
    pthread_mutex_unlock(&q->writer_lock);
    return CS_OK;
}

void cs_queue_get_stats(const cs_queue *q, cs_verdict_stats *out) {
    out->accepted = atomic_load_explicit(&q->accepted, memory_order_relaxed);
    out->dropped = atomic_load_explicit(&q->dropped, memory_order_relaxed);
    out->verdict_errors = atomic_load_explicit(&q->verdict_errors, memory_order_relaxed);
    out->receive_errors = atomic_load_explicit(&q->receive_errors, memory_order_relaxed);
    out->table_swaps = atomic_load_explicit(&q->table_swaps, memory_order_relaxed);
}
