/*
 * The capture engine's internals, shared by its stages (capture.c's header lists them). Not part of the public API:
 * every function here runs on the capture thread (or, for classify, on the offline reader), never on the consumer's.
 */
#ifndef CS_CAPTURE_INTERNAL_H
#define CS_CAPTURE_INTERNAL_H

#include "ccapture.h"
#include "flow_table.h"
#include "host_table.h"
#include "name_bindings.h"
#include "nfqueue.h"
#include "packet_ring.h"
#include "record_ring.h"

#include <pcap/pcap.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#define CS_INTERNAL __attribute__((visibility("hidden")))

#define MAX_NETWORKS 256
/* Sessions waiting for their worker name, reported one interval later without the walk (more fall back to it). */
#define PENDING_SESSIONS 64
#define DNS_PORT 53

struct cs_capture {
    pcap_t *pcap;
    char *read_buffer;  /* stdio buffer of an offline file: large reads instead of one syscall per 4 KiB */
    cs_queue *queue;    /* CS_SOURCE_NFQUEUE instead of `pcap` */
    int linktype;
    bool live;
    char device[64];
    cs_capture_config config;
    cs_network networks[MAX_NETWORKS];
    /* The same networks as 64-bit halves and masks, for a branch-light test on the per-packet path. */
    uint64_t network_high[MAX_NETWORKS], network_low[MAX_NETWORKS];
    uint64_t mask_high[MAX_NETWORKS], mask_low[MAX_NETWORKS];

    cs_host_table hosts;
    cs_flow_table flows;
    uint32_t flow_sweep_position;                 /* where the next interval's part of the flow sweep starts */
    cs_flow_key pending_sessions[PENDING_SESSIONS];
    uint32_t pending_session_count;
    cs_record_ring ring;
    cs_name_bindings bindings;
    cs_domain_table *domains;                     /* owned by the capture thread once adopted */
    _Atomic(cs_domain_table *) pending_domains;   /* handed over by cs_capture_set_pool_domains */
    uint32_t name_reports_in_interval;

    /* Owned by the capture thread. */
    int64_t current_interval;
    bool interval_started;
    bool finishing;     /* the last interval reports every host's endpoints with their final counts */
    cs_capture_stats counters;

    /* Shared with the consumer. */
    pthread_mutex_t stats_lock; /* guards `published` only; taken once per interval, never per packet */
    cs_capture_stats published;
    _Atomic int finished;
    _Atomic int stop_requested;
    int finish_error;
    char finish_message[PCAP_ERRBUF_SIZE + 64];

    /* Offline replay with a reader thread (packet_ring.h): it reads and classifies, the capture thread accounts. */
    bool pipelined;
    cs_packet_ring packets;
    pthread_t reader;
    int reader_error;   /* written by the reader before its end entry */
    char reader_message[PCAP_ERRBUF_SIZE];

    /* A live capture's clock shift (cs_capture_set_clock_offset): set by any thread, read by the capture thread
     * once per poll into `clock_offset`, which the per-packet path adds. */
    _Atomic int64_t pending_clock_offset;
    int64_t clock_offset;

    int wake_fd;  /* readable: records waiting or finished */
    int stop_fd;  /* readable: stop asked (wakes the live poll) */
    pthread_t thread;
    bool thread_started;
};


/* MARK: Output (capture_output.c): records to the consumer's ring, counters, wake-ups */

__attribute__((format(printf, 3, 4))) CS_INTERNAL void cs_set_error(char *errbuf, size_t size, const char *format, ...);
CS_INTERNAL void cs_signal_fd(int fd);
/* A ring slot for the next record, or NULL when live capture must drop it (counted). Publish with cs_ring_commit. */
CS_INTERNAL cs_record *cs_reserve_record(cs_capture *c);
CS_INTERNAL void cs_push_record(cs_capture *c, const cs_record *record);
CS_INTERNAL void cs_publish_stats(cs_capture *c);
/* Pushes the "interval closed" record, publishes the counters and wakes the consumer. */
CS_INTERNAL void cs_mark_closed(cs_capture *c, int64_t interval);

/* MARK: Application layer (capture_app_layer.c): DNS, TLS ClientHello, stratum and pool names */

CS_INTERNAL void cs_report_evidence(cs_capture *c, cs_flow_entry *flow, const cs_stratum_result *result);
/* The pool-domain table, adopting one handed over by cs_capture_set_pool_domains first. */
CS_INTERNAL const cs_domain_table *cs_pool_domains(cs_capture *c);
CS_INTERNAL void cs_inspect_dns(cs_capture *c, const cs_packet_info *info, const uint8_t *message, uint32_t length,
                                int64_t usec);
/* A TCP segment of a local host; returns its flow's entry when the flow is in the table (`direction_out` set). */
CS_INTERNAL cs_flow_entry *cs_inspect_tcp(cs_capture *c, const cs_packet_info *info, const uint8_t *frame,
                                          uint32_t caplen, int64_t usec, bool source_local, int *direction_out);

/* MARK: Flows (capture_flows.c): the flow table's entries, sweep and shape summaries */

CS_INTERNAL cs_flow_entry *cs_flow_entry_for(cs_capture *c, const cs_flow_key *key, bool may_evict, bool *created);
CS_INTERNAL void cs_close_flows(cs_capture *c, int64_t interval);

/* MARK: Intervals (capture_intervals.c) */

CS_INTERNAL void cs_close_interval(cs_capture *c);
CS_INTERNAL void cs_advance_to(cs_capture *c, int64_t interval);

/* MARK: Per packet (capture_packet.c) */

CS_INTERNAL void cs_count_classified(cs_capture *c, int64_t usec, const cs_classified_packet *packet,
                                     const uint8_t *bytes, uint32_t caplen, cs_queue_sides *sides);
CS_INTERNAL void cs_handle_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes);
CS_INTERNAL void cs_handle_queued_packet(void *context, const uint8_t *packet, uint32_t length, cs_queue_sides *sides);

/* MARK: Sources (capture_source.c): the capture thread's loops, the offline reader, opening a source */

/* CLOCK_REALTIME in microseconds, shifted by the capture's clock offset. */
CS_INTERNAL int64_t cs_realtime_usec(const cs_capture *c);
CS_INTERNAL void *cs_capture_main(void *argument);
CS_INTERNAL int cs_open_live(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size);
CS_INTERNAL int cs_open_file(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size);

/* MARK: Helpers of the per-packet path, inlined where they are used */

static inline uint64_t load_be64(const uint8_t *p) {
    uint64_t value;
    memcpy(&value, p, 8);
    return __builtin_bswap64(value);
}

static inline bool is_local(const cs_capture *c, const cs_addr *addr) {
    uint64_t high = load_be64(addr->bytes), low = load_be64(addr->bytes + 8);
    for (uint32_t i = 0; i < c->config.network_count; i++) {
        if (((high & c->mask_high[i]) == c->network_high[i]) & ((low & c->mask_low[i]) == c->network_low[i])) {
            return true;
        }
    }
    return false;
}

static inline int64_t interval_of(const cs_capture *c, int64_t usec) {
    int64_t width = (int64_t)c->config.interval_usec;
    int64_t q = usec / width;
    return (usec % width < 0) ? q - 1 : q;
}

static inline void classify(const cs_capture *c, const uint8_t *bytes, uint32_t caplen, uint32_t wirelen,
                            cs_classified_packet *out) {
    out->status = cs_parse_packet(c->linktype, bytes, caplen, wirelen, &out->info);
    out->source_local = out->status == CS_PARSE_OK && is_local(c, &out->info.source);
    out->destination_local = out->status == CS_PARSE_OK && is_local(c, &out->info.destination);
}

#endif
