/*
 * What the capture thread hands the consumer: records in the single-producer ring, the published counters and the
 * wake-up eventfd.
 */
#include "capture_internal.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4)))
void cs_set_error(char *errbuf, size_t size, const char *format, ...) {
    if (errbuf == NULL || size == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(errbuf, size, format, arguments);
    va_end(arguments);
}

void cs_signal_fd(int fd) {
    uint64_t one = 1;
    ssize_t written;
    do {
        written = write(fd, &one, sizeof(one));
    } while (written < 0 && errno == EINTR);
}

/* A ring slot for the next record, or NULL when live capture must drop it (counted): the consumer fell behind, or a
 * stop was asked. Offline replay loses nothing: it waits for the consumer instead. Publish with cs_ring_commit. */
cs_record *cs_reserve_record(cs_capture *c) {
    cs_record *slot;
    while ((slot = cs_ring_reserve(&c->ring)) == NULL) {
        if (c->live || atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            c->counters.ring_dropped++;
            return NULL;
        }
        cs_signal_fd(c->wake_fd);
        struct timespec pause = {0, 50000};
        nanosleep(&pause, NULL);
    }
    return slot;
}

void cs_push_record(cs_capture *c, const cs_record *record) {
    cs_record *slot = cs_reserve_record(c);
    if (slot == NULL) return;
    *slot = *record;
    cs_ring_commit(&c->ring);
}

void cs_publish_stats(cs_capture *c) {
    if (c->live && c->pcap != NULL) {
        struct pcap_stat ps;
        if (pcap_stats(c->pcap, &ps) == 0) {
            c->counters.kernel_received = ps.ps_recv;
            c->counters.kernel_dropped = ps.ps_drop;
            c->counters.interface_dropped = ps.ps_ifdrop;
        }
    }
    c->counters.hosts_tracked = c->hosts.count;
    c->counters.flows_tracked = c->flows.count;
    c->counters.name_bindings_evicted = c->bindings.evicted;
    c->counters.current_interval = c->current_interval;
    pthread_mutex_lock(&c->stats_lock);
    c->published = c->counters;
    pthread_mutex_unlock(&c->stats_lock);
}

/* Pushes the "interval closed" record, publishes the counters and wakes the consumer. */
void cs_mark_closed(cs_capture *c, int64_t interval) {
    cs_record closed;
    memset(&closed, 0, sizeof(closed));
    closed.kind = CS_RECORD_INTERVAL_CLOSED;
    closed.interval = interval;
    cs_push_record(c, &closed);
    c->counters.intervals_closed++;
    cs_publish_stats(c);
    cs_signal_fd(c->wake_fd);
}
