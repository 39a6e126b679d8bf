/*
 * The capture thread: libpcap in, per-host interval records out.
 *
 * Live: the thread polls the pcap descriptor and a stop eventfd, with a timeout that ends at the next interval
 * boundary of CLOCK_REALTIME (the clock packet timestamps use), so intervals close on time even when no packet comes.
 * Offline: packets are read as fast as possible and intervals close by packet timestamps alone. With a second CPU
 * free, a reader thread reads the file and parses each frame beside the capture thread (packet_ring.h), which does
 * the accounting in the file's order; without, or with `offline_one_thread`, the capture thread does all of it.
 *
 * Per packet: parse, look the local side(s) up in the host table, add to the current interval's counters and to the
 * host's busiest-endpoint account. Nothing allocates, locks or makes a system call there (pcap_dispatch batches).
 */
#include "ccapture.h"
#include "flow_table.h"
#include "host_table.h"
#include "name_bindings.h"
#include "nfqueue.h"
#include "packet_ring.h"
#include "record_ring.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_NETWORKS 256
#define DISPATCH_BATCH 512
/* The offline reader's ring: room for thousands of frames, and for one of libpcap's largest. */
#define PACKET_RING_BYTES (4u << 20)
_Static_assert(PACKET_RING_BYTES >= 4 * (sizeof(cs_ring_entry) + CS_MAX_FRAME_LENGTH), "the largest frame fits");
#define DEFAULT_MAX_FLOWS 4096
#define DEFAULT_FLOW_IDLE_INTERVALS 300
#define MAX_INSPECT_BYTES 4096
#define DEFAULT_SHAPE_MIN_INTERVALS 120
#define DEFAULT_SHAPE_REPORT_INTERVALS 60
#define DEFAULT_NAME_BINDINGS 1024
#define DEFAULT_NAME_REPORTS 64
/* A DNS answer ties its addresses to the name for its TTL, kept within these bounds (seconds). */
#define BINDING_MIN_SECONDS 300
#define BINDING_MAX_SECONDS 3600
/* Interval close visits 1/FLOW_SWEEP_INTERVALS of the flow table, so each flow is looked at every that many
 * intervals: idle and ended flows are forgotten, and summaries sent, that much later at most. */
#define FLOW_SWEEP_INTERVALS 8
/* Sessions waiting for their worker name, reported one interval later without the walk (more fall back to it). */
#define PENDING_SESSIONS 64
#define DNS_PORT 53
#define TCP_SYN 0x02
#define TCP_ACK 0x10

/* The layouts Swift reads: evidence shares the endpoint list's storage, so a record's size does not grow. */
_Static_assert(sizeof(cs_endpoint) == 32, "cs_endpoint layout");
_Static_assert(sizeof(cs_evidence) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_evidence fills the endpoint list");
_Static_assert(sizeof(cs_record) == 200, "cs_record layout");
_Static_assert(sizeof(cs_stratum_result) == 4 + CS_WORKER_MAX, "cs_stratum_result layout");
_Static_assert(sizeof(cs_block_rule) == 40, "cs_block_rule layout");
_Static_assert(sizeof(cs_pool_name) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_pool_name fills the endpoint list");
_Static_assert(sizeof(cs_flow_shape) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_flow_shape fills the endpoint list");

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

    int wake_fd;  /* readable: records waiting or finished */
    int stop_fd;  /* readable: stop asked (wakes the live poll) */
    pthread_t thread;
    bool thread_started;
};

__attribute__((format(printf, 3, 4)))
static void set_error(char *errbuf, size_t size, const char *format, ...) {
    if (errbuf == NULL || size == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(errbuf, size, format, arguments);
    va_end(arguments);
}

static void signal_fd(int fd) {
    uint64_t one = 1;
    ssize_t written;
    do {
        written = write(fd, &one, sizeof(one));
    } while (written < 0 && errno == EINTR);
}

/* MARK: Records */

/* A ring slot for the next record, or NULL when live capture must drop it (counted): the consumer fell behind, or a
 * stop was asked. Offline replay loses nothing: it waits for the consumer instead. Publish with cs_ring_commit. */
static cs_record *reserve_record(cs_capture *c) {
    cs_record *slot;
    while ((slot = cs_ring_reserve(&c->ring)) == NULL) {
        if (c->live || atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            c->counters.ring_dropped++;
            return NULL;
        }
        signal_fd(c->wake_fd);
        struct timespec pause = {0, 50000};
        nanosleep(&pause, NULL);
    }
    return slot;
}

static void push_record(cs_capture *c, const cs_record *record) {
    cs_record *slot = reserve_record(c);
    if (slot == NULL) return;
    *slot = *record;
    cs_ring_commit(&c->ring);
}

static void publish_stats(cs_capture *c) {
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
static void mark_closed(cs_capture *c, int64_t interval) {
    cs_record closed;
    memset(&closed, 0, sizeof(closed));
    closed.kind = CS_RECORD_INTERVAL_CLOSED;
    closed.interval = interval;
    push_record(c, &closed);
    c->counters.intervals_closed++;
    publish_stats(c);
    signal_fd(c->wake_fd);
}

/* MARK: Protocol evidence */

static inline bool is_local(const cs_capture *c, const cs_addr *addr);

/* Reports a flow's mining session once: attached to the miner when it is local, else to the local pool. */
static void report_evidence(cs_capture *c, cs_flow_entry *flow, const cs_stratum_result *result) {
    const cs_flow_key *key = &flow->key;
    const cs_addr *miner = flow->miner_side ? &key->high_addr : &key->low_addr;
    const cs_addr *pool = flow->miner_side ? &key->low_addr : &key->high_addr;
    uint16_t miner_port = flow->miner_side ? key->high_port : key->low_port;
    uint16_t pool_port = flow->miner_side ? key->low_port : key->high_port;
    bool miner_is_local = is_local(c, miner);
    cs_record record;
    memset(&record, 0, sizeof(record));
    record.kind = CS_RECORD_EVIDENCE;
    record.interval = c->current_interval;
    record.host = miner_is_local ? *miner : *pool;
    record.evidence.remote = miner_is_local ? *pool : *miner;
    record.evidence.remote_port = miner_is_local ? pool_port : miner_port;
    record.evidence.local_port = miner_is_local ? miner_port : pool_port;
    record.evidence.dialect = flow->dialect;
    record.evidence.role = miner_is_local ? CS_ROLE_MINER : CS_ROLE_POOL;
    if (result != NULL && result->worker_length > 0) {
        record.evidence.worker_length = result->worker_length;
        memcpy(record.evidence.worker, result->worker, sizeof(record.evidence.worker));
    }
    flow->evidence_state = CS_FLOW_EVIDENCE_REPORTED;
    c->counters.evidence_reports++;
    push_record(c, &record);
}

/* MARK: Pool names */

/* The pool-domain table, adopting one handed over by cs_capture_set_pool_domains first. */
static const cs_domain_table *pool_domains(cs_capture *c) {
    if (atomic_load_explicit(&c->pending_domains, memory_order_relaxed) != NULL) {
        cs_domain_table *next = atomic_exchange_explicit(&c->pending_domains, NULL, memory_order_acquire);
        if (next != NULL) {
            cs_domain_table_free(c->domains);
            c->domains = next;
            c->counters.domain_table_swaps++;
        }
    }
    return c->domains;
}

/* Keeps the last CS_RECORD_NAME_MAX - 1 characters of a name (the listed suffix is at its end). */
static uint8_t cut_name(const char *name, size_t length, const char **start) {
    size_t room = CS_RECORD_NAME_MAX - 1;
    *start = length > room ? name + (length - room) : name;
    return (uint8_t)(length > room ? room : length);
}

static void report_name(cs_capture *c, const cs_addr *host, const char *name, size_t length, int source,
                        const cs_addr *remote, uint16_t remote_port) {
    if (c->name_reports_in_interval >= c->config.name_reports_per_interval) {
        c->counters.name_reports_suppressed++;
        return;
    }
    c->name_reports_in_interval++;
    cs_record record;
    memset(&record, 0, sizeof(record));
    record.kind = CS_RECORD_POOL_NAME;
    record.interval = c->current_interval;
    record.host = *host;
    if (remote != NULL) record.pool_name.remote = *remote;
    record.pool_name.remote_port = remote_port;
    record.pool_name.source = (uint8_t)source;
    const char *start;
    record.pool_name.name_length = cut_name(name, length, &start);
    memcpy(record.pool_name.name, start, record.pool_name.name_length);
    c->counters.name_reports++;
    push_record(c, &record);
}

/* A DNS message between a local client and its resolver: a listed name is reported for the client, and the
 * addresses an answer gives for it are bound to it. */
static void inspect_dns(cs_capture *c, const cs_packet_info *info, const uint8_t *message, uint32_t length,
                        int64_t usec) {
    cs_dns_result dns;
    int status = cs_dns_parse(message, length, &dns);
    if (status == CS_DNS_NOT_DNS) return;
    c->counters.dns_messages++;
    if (status != CS_DNS_OK) c->counters.dns_malformed++;
    if (dns.name_length == 0 || cs_domain_table_match(pool_domains(c), dns.name, dns.name_length) == 0) return;
    const cs_addr *client = dns.is_response ? &info->destination : &info->source;
    if (!is_local(c, client)) return;
    report_name(c, client, dns.name, dns.name_length, CS_NAME_DNS, dns.address_count ? &dns.addresses[0] : NULL, 0);
    uint32_t seconds = dns.min_ttl < BINDING_MIN_SECONDS ? BINDING_MIN_SECONDS
                     : dns.min_ttl > BINDING_MAX_SECONDS ? BINDING_MAX_SECONDS : dns.min_ttl;
    const char *start;
    uint8_t cut = cut_name(dns.name, dns.name_length, &start);
    for (uint8_t i = 0; i < dns.address_count; i++) {
        cs_name_bindings_bind(&c->bindings, &dns.addresses[i], start, cut, usec + (int64_t)seconds * 1000000, usec);
    }
}

/* The first record of a local client's TLS connection: a listed server name is reported. */
static void inspect_client_hello(cs_capture *c, const cs_packet_info *info, const uint8_t *payload,
                                 uint32_t available) {
    char name[CS_NAME_MAX];
    int length = cs_tls_client_hello_sni(payload, available, name, sizeof(name));
    c->counters.tls_client_hellos++;
    if (length < 0) c->counters.tls_malformed++;
    if (length <= 0 || cs_domain_table_match(pool_domains(c), name, (size_t)length) == 0) return;
    report_name(c, &info->source, name, (size_t)length, CS_NAME_SNI, &info->destination, info->destination_port);
}

/* MARK: Flow shape */

/* Sends a tracked flow's summary, attributed to its client when the client is local, else to its server. */
static void report_shape(cs_capture *c, cs_flow_entry *flow, bool ended) {
    cs_flow_shape_state *shape = &flow->shape;
    cs_flow_shape_settle(shape);
    const cs_flow_key *key = &flow->key;
    int client = shape->client_direction; /* the low endpoint sends in direction 0 */
    bool low_is_client = client == 0;
    const cs_addr *client_addr = low_is_client ? &key->low_addr : &key->high_addr;
    int local_direction = is_local(c, client_addr) ? client : 1 - client;
    bool low_is_local = local_direction == 0;
    cs_record record;
    memset(&record, 0, sizeof(record));
    record.kind = CS_RECORD_FLOW_SHAPE;
    record.interval = c->current_interval;
    record.host = low_is_local ? key->low_addr : key->high_addr;
    cs_flow_shape_export(shape, local_direction, &record.flow_shape);
    record.flow_shape.remote = low_is_local ? key->high_addr : key->low_addr;
    record.flow_shape.remote_port = low_is_local ? key->high_port : key->low_port;
    record.flow_shape.local_port = low_is_local ? key->low_port : key->high_port;
    if (ended) record.flow_shape.ended = 1;
    shape->reported_interval = c->current_interval;
    shape->updated = 0;
    c->counters.shape_reports++;
    push_record(c, &record);
}

static inline bool old_enough(const cs_capture *c, const cs_flow_entry *flow) {
    int64_t minimum = (int64_t)c->config.shape_min_intervals * (int64_t)c->config.interval_usec;
    return flow->tracked && flow->shape.last_usec - flow->shape.first_usec >= minimum;
}

/* Frees the flow at `position`, reporting what it still owes first (a pending session, an unsent summary). */
static void forget_flow(cs_capture *c, uint32_t position) {
    cs_flow_entry *flow = &c->flows.entries[position];
    if (flow->evidence_state == CS_FLOW_EVIDENCE_PENDING) report_evidence(c, flow, NULL);
    if (old_enough(c, flow) && (flow->shape.updated || flow->shape.reported_interval == INT64_MIN)) {
        report_shape(c, flow, true);
    }
    cs_flow_table_remove_at(&c->flows, position);
}

/* Reports the sessions whose worker name did not come within a whole interval (those recognised in this interval
 * wait for the next); a flow forgotten meanwhile has reported its session already. */
static void report_pending_sessions(cs_capture *c, int64_t interval) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < c->pending_session_count; i++) {
        cs_flow_entry *flow = cs_flow_table_find(&c->flows, &c->pending_sessions[i]);
        if (flow == NULL || flow->evidence_state != CS_FLOW_EVIDENCE_PENDING) continue;
        if (c->finishing || flow->recognised_interval < interval) {
            report_evidence(c, flow, NULL);
        } else {
            c->pending_sessions[kept++] = c->pending_sessions[i];
        }
    }
    c->pending_session_count = kept;
}

/* At interval close: report pending sessions, then sweep part of the flow table (all of it at the end of a capture):
 * send the summaries that are due, forget ended and idle flows. */
static void close_flows(cs_capture *c, int64_t interval) {
    report_pending_sessions(c, interval);
    cs_flow_table *table = &c->flows;
    int64_t every = (int64_t)c->config.shape_report_intervals;
    uint32_t budget = (table->count + FLOW_SWEEP_INTERVALS - 1) / FLOW_SWEEP_INTERVALS;
    uint32_t position = c->flow_sweep_position;
    if (c->finishing) {
        budget = table->count;
        position = 0;
    }
    for (uint32_t examined = 0; examined < budget && position < table->count; examined++) {
        cs_flow_entry *flow = &table->entries[position];
        /* A session the pending list had no room for. */
        if (flow->evidence_state == CS_FLOW_EVIDENCE_PENDING &&
            (c->finishing || flow->recognised_interval < interval)) {
            report_evidence(c, flow, NULL);
        }
        bool idle = interval - flow->last_interval >= (int64_t)c->config.flow_idle_intervals;
        if (flow->tracked && (flow->shape.ended || idle || c->finishing)) {
            forget_flow(c, position);
            if (idle) c->counters.flows_expired++;
            continue;
        }
        if (idle) {
            cs_flow_table_remove_at(table, position);
            c->counters.flows_expired++;
            continue;
        }
        bool due = flow->shape.reported_interval == INT64_MIN || interval - flow->shape.reported_interval >= every;
        if (old_enough(c, flow) && flow->shape.updated && due) {
            report_shape(c, flow, false);
        }
        position++;
    }
    c->flow_sweep_position = position < table->count ? position : 0;
}

static inline bool is_json_space(uint8_t byte) {
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

/* The flow's entry, made when absent: in a free slot, or (when `may_evict`) in the place of the least recently seen
 * of a few entries; NULL when the table is full and the flow may not push another out. */
static cs_flow_entry *flow_entry(cs_capture *c, const cs_flow_key *key, bool may_evict, bool *created) {
    cs_flow_table *table = &c->flows;
    cs_flow_entry *flow = cs_flow_table_find(table, key);
    *created = false;
    if (flow != NULL) return flow;
    if (table->count >= table->capacity) {
        if (!may_evict) return NULL;
        forget_flow(c, cs_flow_table_victim(table));
        c->counters.flows_evicted++;
    }
    *created = true;
    return cs_flow_table_insert(table, key, c->current_interval);
}

/* Looks for mining protocol in the payload of a JSON-like segment: each flow direction is examined for its first
 * `inspect_bytes` payload bytes only. */
static void inspect_stratum(cs_capture *c, cs_flow_entry *flow, int direction, const uint8_t *payload,
                            uint32_t available) {
    if (flow->evidence_state == CS_FLOW_EVIDENCE_REPORTED) return;
    uint32_t used = flow->inspected[direction];
    if (used >= c->config.inspect_bytes) return;
    uint32_t length = available < c->config.inspect_bytes - used ? available : c->config.inspect_bytes - used;
    flow->inspected[direction] = (uint16_t)(used + length);

    cs_stratum_result result;
    if (cs_stratum_match(payload, length, &result) == CS_DIALECT_NONE) return;
    if (flow->dialect == CS_DIALECT_NONE) {
        flow->dialect = result.dialect;
        flow->recognised_interval = c->current_interval;
        flow->evidence_state = CS_FLOW_EVIDENCE_PENDING;
        if (c->pending_session_count < PENDING_SESSIONS) c->pending_sessions[c->pending_session_count++] = flow->key;
        flow->miner_side = (uint8_t)(result.from_miner ? direction : 1 - direction);
    } else if (result.from_miner) {
        flow->miner_side = (uint8_t)direction;
    }
    if (result.worker_length > 0) report_evidence(c, flow, &result);
}

static inline uint32_t read_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/*
 * A TCP segment of a local host. Cheap tests first: a SYN looks the remote up among the DNS bindings, a segment
 * starting like a ClientHello has its SNI read, port 53 carries DNS. With flow tracking on every flow gets an entry
 * and its shape is updated; with it off only segments whose first non-space byte is `{` reach the flow table, so the
 * cost per packet is a byte test for most traffic. Because flows enter the table on their first JSON-like payload,
 * a session already running when the capture starts is still recognised from its later messages.
 */
static cs_flow_entry *inspect_tcp(cs_capture *c, const cs_packet_info *info, const uint8_t *frame, uint32_t caplen,
                                  int64_t usec, bool source_local, int *direction_out) {
    uint32_t available = 0;
    const uint8_t *payload = NULL;
    if (info->payload_offset != 0 && info->payload_length != 0 && info->payload_offset < caplen) {
        available = caplen - info->payload_offset;
        if (available > info->payload_length) available = info->payload_length;
        payload = frame + info->payload_offset;
    }
    bool opening = (info->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
    if (opening && source_local) {
        const cs_name_binding *bound = cs_name_bindings_find(&c->bindings, &info->destination, usec);
        if (bound != NULL) {
            report_name(c, &info->source, bound->name, bound->name_length, CS_NAME_DNS, &info->destination,
                        info->destination_port);
        }
    }
    if (available >= 6 && payload[0] == 0x16 && payload[5] == 0x01 && source_local) {
        inspect_client_hello(c, info, payload, available);
    }
    if ((info->source_port == DNS_PORT || info->destination_port == DNS_PORT) && available > 2) {
        uint32_t declared = ((uint32_t)payload[0] << 8) | payload[1];
        inspect_dns(c, info, payload + 2, declared < available - 2 ? declared : available - 2, usec);
    }
    bool json_like = false;
    if (c->config.inspect_bytes != 0 && available > 0) {
        uint32_t first = 0;
        while (first < available && first < 8 && is_json_space(payload[first])) first++;
        json_like = (first < available && payload[first] == '{') || cs_stratum_http_post(payload, available);
    }
    bool track = c->config.track_flows && (info->payload_length > 0 || opening);
    if (!json_like && !track) return NULL;

    cs_flow_key key;
    int direction = cs_flow_key_make(&key, &info->source, info->source_port, &info->destination,
                                     info->destination_port, info->protocol);
    /* A connection seen opening, or JSON that may be stratum, may push an old flow out; a flow first seen mid-stream
     * takes a free slot only, so a full table of such flows costs a lookup per packet, not an eviction. */
    bool created;
    cs_flow_entry *flow = flow_entry(c, &key, json_like || opening, &created);
    if (flow == NULL) {
        c->counters.flows_not_tracked++;
        return NULL;
    }
    *direction_out = direction;
    if (created && track) {
        bool low_is_local = direction == 0 ? source_local : !source_local;
        cs_flow_shape_start(&flow->shape, usec, direction, key.low_port, key.high_port, low_is_local, opening);
        flow->tracked = 1;
    }
    flow->last_interval = c->current_interval;
    if (flow->tracked) {
        bool seq_valid = info->l4_offset != 0 && info->l4_offset + 8 <= caplen;
        uint32_t seq = seq_valid ? read_be32(frame + info->l4_offset + 4) : 0;
        cs_flow_shape_packet(&flow->shape, usec, direction, payload, available, info->payload_length, seq, seq_valid,
                             info->tcp_flags);
    }
    if (json_like) inspect_stratum(c, flow, direction, payload, available);
    return flow;
}

/* Emits one record per host with traffic in the current interval, expires idle hosts, then marks the interval
 * closed and wakes the consumer. */
static void close_interval(cs_capture *c) {
    cs_host_table *table = &c->hosts;
    int64_t interval = c->current_interval;
    for (uint32_t i = 0; i < table->active_count; i++) {
        uint32_t position = table->active[i];
        cs_host_entry *host = &table->entries[position];
        cs_record *record = reserve_record(c);
        if (record != NULL) {
            record->kind = CS_RECORD_HOST;
            record->endpoint_count = 0;
            record->interval = interval;
            record->previous_interval = 0;
            record->host = host->addr;
            record->bytes_received = host->bytes_received;
            record->bytes_sent = host->bytes_sent;
            record->packets_received = host->packets_received;
            record->packets_sent = host->packets_sent;
            if (host->endpoints_changed || c->finishing ||
                interval - host->endpoints_reported_interval >= CS_ENDPOINT_REPORT_INTERVALS) {
                record->endpoint_count = host->endpoint_count;
                memcpy(record->endpoints, host->endpoints, sizeof(record->endpoints));
                host->endpoints_changed = 0;
                host->endpoints_reported_interval = interval;
            }
            cs_ring_commit(&c->ring);
        }
        host->bytes_received = host->bytes_sent = host->packets_received = host->packets_sent = 0;
        table->last_active[position] = interval;
    }
    table->active_count = 0;
    for (uint32_t position = 0; position < table->count;) {
        if (interval - table->last_active[position] >= (int64_t)c->config.host_idle_intervals) {
            cs_host_table_remove_at(table, position);
            c->counters.hosts_expired++;
        } else {
            position++;
        }
    }
    close_flows(c, interval);
    c->name_reports_in_interval = 0;
    pool_domains(c);
    mark_closed(c, interval);
}

/* Moves time to `interval`: closes the intervals in between (each empty one only marked closed), or records a
 * discontinuity when the jump is larger than the configured gap in either direction. */
static void advance_to(cs_capture *c, int64_t interval) {
    int64_t gap = interval - c->current_interval;
    int64_t max_gap = (int64_t)c->config.max_gap_intervals;
    if (gap > max_gap || gap < -max_gap) {
        close_interval(c);
        cs_record jump;
        memset(&jump, 0, sizeof(jump));
        jump.kind = CS_RECORD_DISCONTINUITY;
        jump.previous_interval = c->current_interval;
        jump.interval = interval;
        push_record(c, &jump);
        c->counters.discontinuities++;
        c->current_interval = interval;
        return;
    }
    if (gap <= 0) return;
    /* Only the current interval has traffic; the silent ones after it are marked closed without a walk of the
     * host table, and the walk at the end of the silence expires whoever went idle. */
    close_interval(c);
    for (int64_t silent = c->current_interval + 1; silent < interval; silent++) mark_closed(c, silent);
    c->current_interval = interval;
}

static inline int64_t interval_of(const cs_capture *c, int64_t usec) {
    int64_t width = (int64_t)c->config.interval_usec;
    int64_t q = usec / width;
    return (usec % width < 0) ? q - 1 : q;
}

/* MARK: Per packet */

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

/*
 * Counts a packet for the local host `local` (the flow key's `side` of `flow`, when the packet's TCP flow is in the
 * flow table): its interval counters and its account of the remote endpoint. The flow remembers where its hosts and
 * their endpoint slots are, so the packets after a flow's first skip the host lookup and the endpoint list's scan.
 * Entries move when hosts leave the table, so a remembered position counts only while the entry there still holds
 * the host's address (the compare reads the line the counters are on anyway).
 */
static inline void account(cs_capture *c, cs_flow_entry *flow, int side, const cs_addr *local, bool sent,
                           const cs_addr *remote, uint16_t remote_port, uint8_t protocol, uint32_t bytes) {
    cs_host_table *table = &c->hosts;
    cs_host_entry *host = NULL;
    uint32_t remembered_position = flow != NULL ? flow->host_position[side] : 0;
    if (remembered_position != 0 && remembered_position <= table->count &&
        cs_same_address(&table->entries[remembered_position - 1].addr, local)) {
        host = &table->entries[remembered_position - 1];
    }
    bool remembered = host != NULL;
    if (!remembered) {
        host = cs_host_table_find_or_insert(table, local, c->current_interval);
        if (host == NULL) {
            c->counters.host_table_full++;
            return;
        }
        if (flow != NULL) flow->host_position[side] = (uint32_t)(host - table->entries) + 1;
    }
    cs_host_table_count(table, host, sent, bytes);
    if (remembered) {
        cs_endpoint *endpoint = &host->endpoints[flow->endpoint_index[side]];
        if (flow->endpoint_index[side] < host->endpoint_count && endpoint->port == remote_port &&
            endpoint->protocol == protocol && cs_same_address(&endpoint->addr, remote)) {
            endpoint->bytes += bytes;
            return;
        }
    }
    uint32_t index = cs_host_note_endpoint(host, remote, remote_port, protocol, bytes);
    if (flow != NULL) flow->endpoint_index[side] = (uint8_t)index;
}

static inline void classify(const cs_capture *c, const uint8_t *bytes, uint32_t caplen, uint32_t wirelen,
                            cs_classified_packet *out) {
    out->status = cs_parse_packet(c->linktype, bytes, caplen, wirelen, &out->info);
    out->source_local = out->status == CS_PARSE_OK && is_local(c, &out->info.source);
    out->destination_local = out->status == CS_PARSE_OK && is_local(c, &out->info.destination);
}

/* Moves the clock to a packet stamped `usec`. */
static inline void clock_packet(cs_capture *c, int64_t usec) {
    /* Most packets fall in the current interval: a multiplication and two comparisons instead of a division. */
    int64_t offset = usec - c->current_interval * (int64_t)c->config.interval_usec;
    bool current = c->interval_started && offset >= 0 && offset < (int64_t)c->config.interval_usec;
    if (current) return;
    int64_t interval = interval_of(c, usec);
    if (!c->interval_started) {
        c->current_interval = interval;
        c->interval_started = true;
    } else if (interval > c->current_interval) {
        advance_to(c, interval);
    } else if (interval < c->current_interval) {
        if (c->current_interval - interval > (int64_t)c->config.max_gap_intervals) {
            advance_to(c, interval);
        } else {
            c->counters.time_backwards++;
        }
    }
}

/* Counts one classified packet stamped `usec` (`bytes`: the frame, needed for local hosts' packets only); `sides`,
 * when given, receives the local ↔ remote pairs it belongs to. */
static void count_classified(cs_capture *c, int64_t usec, const cs_classified_packet *packet, const uint8_t *bytes,
                             uint32_t caplen, cs_queue_sides *sides) {
    c->counters.packets++;
    clock_packet(c, usec);
    if (packet->status == CS_PARSE_NOT_IP) {
        c->counters.not_ip++;
        return;
    }
    if (packet->status != CS_PARSE_OK) {
        c->counters.malformed++;
        return;
    }
    const cs_packet_info *info = &packet->info;
    bool source_local = packet->source_local;
    bool destination_local = packet->destination_local;
    if (!source_local && !destination_local) {
        c->counters.not_local++;
        return;
    }
    if (source_local && destination_local) c->counters.local_to_local++;
    c->counters.bytes += info->ip_length;

    int direction = 0;
    cs_flow_entry *flow = NULL;
    if (info->protocol == 6) {
        flow = inspect_tcp(c, info, bytes, caplen, usec, source_local, &direction);
    } else if (info->protocol == 17 && (info->source_port == DNS_PORT || info->destination_port == DNS_PORT) &&
               info->payload_offset != 0 && info->payload_offset < caplen) {
        uint32_t available = caplen - info->payload_offset;
        inspect_dns(c, info, bytes + info->payload_offset,
                    available < info->payload_length ? available : info->payload_length, usec);
    }
    if (source_local) {
        account(c, flow, direction, &info->source, true, &info->destination, info->destination_port, info->protocol,
                info->ip_length);
        if (sides != NULL) {
            sides->local[sides->count] = info->source;
            sides->remote[sides->count] = info->destination;
            sides->remote_port[sides->count++] = info->destination_port;
        }
    }
    if (destination_local) {
        account(c, flow, 1 - direction, &info->destination, false, &info->source, info->source_port, info->protocol,
                info->ip_length);
        if (sides != NULL) {
            sides->local[sides->count] = info->destination;
            sides->remote[sides->count] = info->source;
            sides->remote_port[sides->count++] = info->source_port;
        }
    }
}

/* Counts one packet stamped `usec`; `sides`, when given, receives the local ↔ remote pairs it belongs to. */
static void count_packet(cs_capture *c, int64_t usec, const uint8_t *bytes, uint32_t caplen, uint32_t wirelen,
                         cs_queue_sides *sides) {
    cs_classified_packet packet;
    classify(c, bytes, caplen, wirelen, &packet);
    count_classified(c, usec, &packet, bytes, caplen, sides);
}

static void handle_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    int64_t usec = (int64_t)header->ts.tv_sec * 1000000 + (int64_t)header->ts.tv_usec;
    count_packet((cs_capture *)user, usec, bytes, header->caplen, header->len, NULL);
}

static int64_t realtime_usec(void);

/* A packet from the netfilter queue: raw IP, stamped on arrival with the clock live capture uses. */
static void handle_queued_packet(void *context, const uint8_t *packet, uint32_t length, cs_queue_sides *sides) {
    count_packet((cs_capture *)context, realtime_usec(), packet, length, length, sides);
}

/* MARK: The thread */

static void finish(cs_capture *c, int error, const char *message) {
    c->finishing = true;
    if (c->interval_started) close_interval(c);
    else publish_stats(c);
    c->finish_error = error;
    if (message != NULL) snprintf(c->finish_message, sizeof(c->finish_message), "%s", message);
    atomic_store_explicit(&c->finished, 1, memory_order_release);
    signal_fd(c->wake_fd);
}

/* Why a file's reading stopped: end of file, a stop, or an error libpcap reported (truncated files named). */
static int offline_status(cs_capture *c, int n, const char **message) {
    *message = NULL;
    if (n != PCAP_ERROR) return CS_OK;
    *message = pcap_geterr(c->pcap);
    return strstr(*message, "truncated") != NULL ? CS_ERR_TRUNCATED_FILE : CS_ERR_IO;
}

static void run_offline(cs_capture *c) {
    for (;;) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            finish(c, CS_OK, NULL);
            return;
        }
        int n = pcap_dispatch(c->pcap, DISPATCH_BATCH, handle_packet, (u_char *)c);
        if (n == 0 || n == PCAP_ERROR || n == PCAP_ERROR_BREAK) {
            const char *message;
            int status = offline_status(c, n, &message);
            finish(c, status, message);
            return;
        }
    }
}

/* A wait of a thread of the offline pipeline for the other: the ring is full or empty. */
static void pipeline_pause(void) {
    struct timespec pause = {0, 20000};
    nanosleep(&pause, NULL);
}

/* Room for an entry in the reader's ring, waiting for the capture thread; NULL when a stop was asked. */
static cs_ring_entry *reader_reserve(cs_capture *c, uint32_t size) {
    cs_ring_entry *entry;
    while ((entry = cs_packet_ring_reserve(&c->packets, size)) == NULL) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) return NULL;
        pipeline_pause();
    }
    return entry;
}

/* The reader thread's pcap callback: classifies the frame and hands it over, with its bytes when a local host's
 * inspection may read them. */
static void read_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    cs_capture *c = (cs_capture *)user;
    /* Room for the whole frame, classified in place; the entry shrinks to its header when no local host needs it. */
    cs_ring_entry *entry = reader_reserve(c, cs_ring_entry_size(header->caplen));
    if (entry == NULL) {
        pcap_breakloop(c->pcap);
        return;
    }
    classify(c, bytes, header->caplen, header->len, &entry->packet);
    uint32_t frame_length = entry->packet.source_local || entry->packet.destination_local ? header->caplen : 0;
    entry->size = cs_ring_entry_size(frame_length);
    entry->kind = CS_ENTRY_PACKET;
    entry->usec = (int64_t)header->ts.tv_sec * 1000000 + (int64_t)header->ts.tv_usec;
    entry->frame_length = frame_length;
    memcpy(entry + 1, bytes, frame_length);
    cs_packet_ring_commit(&c->packets, entry);
}

static void *reader_main(void *argument) {
    cs_capture *c = argument;
    pthread_setname_np(pthread_self(), "cs-reader");  /* named before its first packet, for profiles and top -H */
    int n;
    do {
        n = pcap_dispatch(c->pcap, DISPATCH_BATCH, read_packet, (u_char *)c);
    } while (n > 0);
    const char *message;
    c->reader_error = offline_status(c, n, &message);
    if (message != NULL) snprintf(c->reader_message, sizeof(c->reader_message), "%s", message);
    cs_ring_entry *end = reader_reserve(c, cs_ring_entry_size(0));
    if (end != NULL) {
        end->size = cs_ring_entry_size(0);
        end->kind = CS_ENTRY_END;
        cs_packet_ring_commit(&c->packets, end);
    }
    return NULL;
}

/* Offline replay on two CPUs: the reader thread reads and classifies, this thread accounts in the file's order. */
/*
 * Puts the capture thread and the reader on two different CPUs of those the process may use (the capture thread on
 * its configured one, if any): left to the scheduler, the two sometimes shared one CPU for a whole replay, each
 * waiting for the other, and a replay took up to a third longer than when they ran side by side.
 */
static void separate_cpus(const cs_capture *c, pthread_attr_t *reader_attributes) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return;
    int capture_cpu = c->config.cpu, reader_cpu = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (capture_cpu < 0) capture_cpu = cpu;
        else if (cpu != capture_cpu) {
            reader_cpu = cpu;
            break;
        }
    }
    if (reader_cpu < 0) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(capture_cpu, &one);
    if (c->config.cpu < 0) pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
    CPU_ZERO(&one);
    CPU_SET(reader_cpu, &one);
    pthread_attr_setaffinity_np(reader_attributes, sizeof(one), &one);
}

static void run_offline_pipelined(cs_capture *c) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    separate_cpus(c, &attributes);
    int status = pthread_create(&c->reader, &attributes, reader_main, c);
    pthread_attr_destroy(&attributes);
    if (status != 0) {
        run_offline(c);
        return;
    }
    int error = CS_OK;
    const char *message = NULL;
    for (;;) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) break;
        const cs_ring_entry *entry = cs_packet_ring_peek(&c->packets);
        if (entry == NULL) {
            pipeline_pause();
            continue;
        }
        if (entry->kind == CS_ENTRY_END) {
            error = c->reader_error;
            message = c->reader_message[0] != '\0' ? c->reader_message : NULL;
            break;
        }
        count_classified(c, entry->usec, &entry->packet, (const uint8_t *)(entry + 1), entry->frame_length, NULL);
        cs_packet_ring_release(&c->packets, entry);
    }
    /* After a stop the reader returns once the ring is full, or at cs_capture_stop's pcap_breakloop. */
    pthread_join(c->reader, NULL);
    finish(c, error, message);
}

static int64_t realtime_usec(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* Reads what is waiting on a live source; returns false after finishing the capture on a read error. */
typedef bool (*cs_read_ready)(cs_capture *c);

static bool read_pcap(cs_capture *c) {
    int n;
    do {
        n = pcap_dispatch(c->pcap, DISPATCH_BATCH, handle_packet, (u_char *)c);
    } while (n == DISPATCH_BATCH);
    if (n == PCAP_ERROR) {
        finish(c, CS_ERR_IO, pcap_geterr(c->pcap));
        return false;
    }
    return true;
}

static bool read_queue(cs_capture *c) {
    if (cs_queue_dispatch(c->queue) == CS_OK) return true;
    char message[128];
    snprintf(message, sizeof(message), "reading the netfilter queue failed: %s", strerror(errno));
    finish(c, CS_ERR_IO, message);
    return false;
}

/* The live loop for either source: poll its descriptor and the stop eventfd with a timeout that ends at the next
 * interval boundary of CLOCK_REALTIME, so intervals close on time even when nothing arrives. */
static void run_clocked(cs_capture *c, int descriptor, cs_read_ready read_ready) {
    c->current_interval = interval_of(c, realtime_usec());
    c->interval_started = true;
    for (;;) {
        int64_t now = realtime_usec();
        int64_t now_interval = interval_of(c, now);
        if (now_interval > c->current_interval) advance_to(c, now_interval);
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            finish(c, CS_OK, NULL);
            return;
        }
        int64_t next_boundary = (c->current_interval + 1) * (int64_t)c->config.interval_usec;
        int timeout_ms = (int)((next_boundary - now + 999) / 1000);
        if (timeout_ms < 1) timeout_ms = 1;
        struct pollfd fds[2] = {{.fd = descriptor, .events = POLLIN}, {.fd = c->stop_fd, .events = POLLIN}};
        int ready = poll(fds, 2, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            char message[128];
            snprintf(message, sizeof(message), "poll on the capture descriptor failed: %s", strerror(errno));
            finish(c, CS_ERR_IO, message);
            return;
        }
        if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) && !read_ready(c)) return;
    }
}

static void *capture_main(void *argument) {
    cs_capture *c = argument;
    pthread_setname_np(pthread_self(), "cs-capture");
    if (c->queue != NULL) run_clocked(c, cs_queue_fd(c->queue), read_queue);
    else if (c->live) run_clocked(c, pcap_get_selectable_fd(c->pcap), read_pcap);
    else if (c->pipelined) run_offline_pipelined(c);
    else run_offline(c);
    return NULL;
}

/* MARK: Public API */

static int open_live(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size) {
    char pcap_error[PCAP_ERRBUF_SIZE] = "";
    c->pcap = pcap_create(config->device, pcap_error);
    if (c->pcap == NULL) {
        set_error(errbuf, size, "cannot open %s: %s", config->device, pcap_error);
        return CS_ERR_IO;
    }
    pcap_set_snaplen(c->pcap, config->snaplen);
    pcap_set_promisc(c->pcap, config->promiscuous ? 1 : 0);
    pcap_set_immediate_mode(c->pcap, config->immediate ? 1 : 0);
    pcap_set_timeout(c->pcap, 100);
    pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_MICRO);
    if (config->buffer_size > 0) pcap_set_buffer_size(c->pcap, config->buffer_size);
    int status = pcap_activate(c->pcap);
    if (status < 0) {
        const char *detail = pcap_geterr(c->pcap);
        switch (status) {
        case PCAP_ERROR_PERM_DENIED:
            set_error(errbuf, size, "capture on %s needs CAP_NET_RAW (run as root or grant the capability): %s",
                      config->device, detail);
            return CS_ERR_PERMISSION;
        case PCAP_ERROR_NO_SUCH_DEVICE:
            set_error(errbuf, size, "no such interface %s (see `ip link`): %s", config->device, detail);
            return CS_ERR_NO_SUCH_DEVICE;
        case PCAP_ERROR_IFACE_NOT_UP:
            set_error(errbuf, size, "interface %s is down (`ip link set %s up`)", config->device, config->device);
            return CS_ERR_INTERFACE_DOWN;
        default:
            set_error(errbuf, size, "cannot capture on %s: %s", config->device,
                      detail[0] ? detail : pcap_statustostr(status));
            return CS_ERR_IO;
        }
    }
    if (pcap_setnonblock(c->pcap, 1, pcap_error) != 0) {
        set_error(errbuf, size, "cannot make capture on %s non-blocking: %s", config->device, pcap_error);
        return CS_ERR_IO;
    }
    return CS_OK;
}

static int open_file(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size) {
    char pcap_error[PCAP_ERRBUF_SIZE] = "";
    FILE *file = fopen(config->file, "rb");
    if (file == NULL) {
        set_error(errbuf, size, "cannot read %s: %s", config->file, strerror(errno));
        return CS_ERR_IO;
    }
    enum { READ_BUFFER_SIZE = 1 << 20 };
    c->read_buffer = malloc(READ_BUFFER_SIZE);
    if (c->read_buffer != NULL) setvbuf(file, c->read_buffer, _IOFBF, READ_BUFFER_SIZE);
    /* One thread at a time reads the file (this one opens it, the capture thread reads it after pthread_create), so
     * libpcap's two freads per packet need not take the stream's lock. */
    __fsetlocking(file, FSETLOCKING_BYCALLER);
    c->pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, pcap_error);
    if (c->pcap == NULL) {
        fclose(file);
        set_error(errbuf, size, "%s is not a pcap or pcapng capture file (%s)", config->file, pcap_error);
        return CS_ERR_NOT_CAPTURE_FILE;
    }
    return CS_OK;
}

/* CPUs this process may run on. */
static int usable_cpus(void) {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) return 1;
    return CPU_COUNT(&cpus);
}

int cs_capture_open(const cs_capture_config *config, cs_capture **out, char *errbuf, size_t errbuf_size) {
    *out = NULL;
    bool queued = config->source_kind == CS_SOURCE_NFQUEUE;
    if (queued ? (config->device != NULL || config->file != NULL)
               : (config->device == NULL) == (config->file == NULL)) {
        set_error(errbuf, errbuf_size, "name exactly one of an interface, a capture file and a netfilter queue");
        return CS_ERR_INVALID_ARGUMENT;
    }
    if (queued && config->bpf_filter != NULL && config->bpf_filter[0] != '\0') {
        set_error(errbuf, errbuf_size, "a netfilter queue takes no BPF filter: select packets in the nftables rule");
        return CS_ERR_INVALID_ARGUMENT;
    }
    if (config->interval_usec == 0 || config->max_hosts == 0 || config->network_count > MAX_NETWORKS ||
        config->ring_capacity < 2 || config->snaplen < 64) {
        set_error(errbuf, errbuf_size, "invalid capture settings (interval, host limit, networks, ring, snaplen)");
        return CS_ERR_INVALID_ARGUMENT;
    }
    cs_capture *c = calloc(1, sizeof(*c));
    if (c == NULL) return CS_ERR_NO_MEMORY;
    c->config = *config;
    c->config.networks = NULL;
    c->config.device = NULL;
    c->config.file = NULL;
    c->config.bpf_filter = NULL;
    if (c->config.max_gap_intervals == 0) c->config.max_gap_intervals = 1;
    if (c->config.max_flows == 0) c->config.max_flows = DEFAULT_MAX_FLOWS;
    if (c->config.flow_idle_intervals == 0) c->config.flow_idle_intervals = DEFAULT_FLOW_IDLE_INTERVALS;
    if (c->config.inspect_bytes > MAX_INSPECT_BYTES) c->config.inspect_bytes = MAX_INSPECT_BYTES;
    if (c->config.shape_min_intervals == 0) c->config.shape_min_intervals = DEFAULT_SHAPE_MIN_INTERVALS;
    if (c->config.shape_report_intervals == 0) c->config.shape_report_intervals = DEFAULT_SHAPE_REPORT_INTERVALS;
    if (c->config.name_bindings == 0) c->config.name_bindings = DEFAULT_NAME_BINDINGS;
    if (c->config.name_reports_per_interval == 0) c->config.name_reports_per_interval = DEFAULT_NAME_REPORTS;
    atomic_init(&c->pending_domains, NULL);
    if (config->network_count > 0) memcpy(c->networks, config->networks, sizeof(cs_network) * config->network_count);
    for (uint32_t i = 0; i < config->network_count; i++) {
        uint32_t bits = c->networks[i].prefix_length > 128 ? 128 : c->networks[i].prefix_length;
        c->mask_high[i] = bits == 0 ? 0 : bits >= 64 ? ~0ull : ~0ull << (64 - bits);
        c->mask_low[i] = bits <= 64 ? 0 : bits >= 128 ? ~0ull : ~0ull << (128 - bits);
        c->network_high[i] = load_be64(c->networks[i].addr.bytes) & c->mask_high[i];
        c->network_low[i] = load_be64(c->networks[i].addr.bytes + 8) & c->mask_low[i];
    }
    c->live = config->device != NULL || queued;
    if (config->device != NULL) snprintf(c->device, sizeof(c->device), "%s", config->device);
    c->wake_fd = -1;
    c->stop_fd = -1;
    pthread_mutex_init(&c->stats_lock, NULL);

    int error;
    if (queued) {
        uint32_t max_length = config->queue_max_length ? config->queue_max_length : 4096;
        error = cs_queue_open(config->queue_number, max_length, handle_queued_packet, c, &c->queue, errbuf,
                              errbuf_size);
    } else {
        error = c->live ? open_live(c, config, errbuf, errbuf_size) : open_file(c, config, errbuf, errbuf_size);
    }
    if (error != CS_OK) {
        cs_capture_close(c);
        return error;
    }
    c->linktype = queued ? DLT_RAW : pcap_datalink(c->pcap);
    if (!cs_linktype_supported(c->linktype)) {
        const char *name = pcap_datalink_val_to_name(c->linktype);
        set_error(errbuf, errbuf_size,
                  "unsupported link type %s (DLT %d): CoinSentry reads Ethernet, Linux cooked (SLL, SLL2), raw IP "
                  "and BSD loopback", name ? name : "unknown", c->linktype);
        cs_capture_close(c);
        return CS_ERR_UNSUPPORTED_LINKTYPE;
    }
    if (!queued && config->bpf_filter != NULL && config->bpf_filter[0] != '\0') {
        struct bpf_program program;
        if (pcap_compile(c->pcap, &program, config->bpf_filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(c->pcap, &program) != 0) {
            set_error(errbuf, errbuf_size, "bad BPF filter \"%s\": %s", config->bpf_filter, pcap_geterr(c->pcap));
            cs_capture_close(c);
            return CS_ERR_FILTER;
        }
        pcap_freecode(&program);
    }
    c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (c->wake_fd < 0 || c->stop_fd < 0 || cs_host_table_init(&c->hosts, config->max_hosts) != 0 ||
        cs_flow_table_init(&c->flows, c->config.max_flows) != 0 ||
        cs_name_bindings_init(&c->bindings, c->config.name_bindings) != 0 ||
        cs_ring_init(&c->ring, config->ring_capacity) != 0) {
        cs_capture_close(c);
        return CS_ERR_NO_MEMORY;
    }
    if (!c->live && !config->offline_one_thread && usable_cpus() > 1) {
        if (cs_packet_ring_init(&c->packets, PACKET_RING_BYTES) != 0) {
            cs_capture_close(c);
            return CS_ERR_NO_MEMORY;
        }
        c->pipelined = true;
    }
    *out = c;
    return CS_OK;
}

int cs_capture_linktype(const cs_capture *capture) { return capture->linktype; }

int cs_capture_start(cs_capture *c, char *errbuf, size_t errbuf_size) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    if (c->config.cpu >= 0) {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(c->config.cpu, &cpus);
        int status = pthread_attr_setaffinity_np(&attributes, sizeof(cpus), &cpus);
        if (status != 0) {
            set_error(errbuf, errbuf_size, "cannot pin the capture thread to CPU %d: %s", c->config.cpu,
                      strerror(status));
            pthread_attr_destroy(&attributes);
            return CS_ERR_AFFINITY;
        }
    }
    int status = pthread_create(&c->thread, &attributes, capture_main, c);
    pthread_attr_destroy(&attributes);
    if (status != 0) {
        const char *reason = strerror(status);
        /* An affinity to a CPU the process may not use only fails here, when the thread is created. */
        if (c->config.cpu >= 0 && status == EINVAL) {
            set_error(errbuf, errbuf_size, "cannot pin the capture thread to CPU %d: %s", c->config.cpu, reason);
            return CS_ERR_AFFINITY;
        }
        set_error(errbuf, errbuf_size, "cannot start the capture thread: %s", reason);
        return CS_ERR_THREAD;
    }
    c->thread_started = true;
    return CS_OK;
}

void cs_capture_stop(cs_capture *c) {
    if (!c->thread_started) return;
    atomic_store_explicit(&c->stop_requested, 1, memory_order_relaxed);
    signal_fd(c->stop_fd);
    if (c->pcap != NULL) pcap_breakloop(c->pcap);
    pthread_join(c->thread, NULL);
    c->thread_started = false;
}

void cs_capture_close(cs_capture *c) {
    if (c == NULL) return;
    cs_capture_stop(c);
    if (c->pcap != NULL) pcap_close(c->pcap);  /* closes the offline file before its buffer goes */
    free(c->read_buffer);
    cs_queue_close(c->queue);
    if (c->wake_fd >= 0) close(c->wake_fd);
    if (c->stop_fd >= 0) close(c->stop_fd);
    cs_host_table_free(&c->hosts);
    cs_flow_table_free(&c->flows);
    cs_name_bindings_free(&c->bindings);
    cs_domain_table_free(c->domains);
    cs_domain_table_free(atomic_exchange(&c->pending_domains, NULL));
    cs_ring_free(&c->ring);
    cs_packet_ring_free(&c->packets);
    pthread_mutex_destroy(&c->stats_lock);
    free(c);
}

int cs_capture_wake_fd(const cs_capture *c) { return c->wake_fd; }

size_t cs_capture_peek(cs_capture *c, const cs_record **records, size_t max) {
    return cs_ring_peek(&c->ring, records, max);
}

void cs_capture_release(cs_capture *c, size_t count) { cs_ring_release(&c->ring, count); }

void cs_capture_get_stats(const cs_capture *c, cs_capture_stats *out) {
    cs_capture *mutable_capture = (cs_capture *)c;
    pthread_mutex_lock(&mutable_capture->stats_lock);
    *out = c->published;
    pthread_mutex_unlock(&mutable_capture->stats_lock);
}

int cs_capture_finished(const cs_capture *c, int *error, char *errbuf, size_t errbuf_size) {
    if (!atomic_load_explicit(&c->finished, memory_order_acquire)) return 0;
    if (error != NULL) *error = c->finish_error;
    if (errbuf != NULL && errbuf_size > 0) snprintf(errbuf, errbuf_size, "%s", c->finish_message);
    return 1;
}

int cs_capture_set_pool_domains(cs_capture *c, const char *const *names, size_t count) {
    cs_domain_table *table = cs_domain_table_create(names, count);
    if (table == NULL) return CS_ERR_NO_MEMORY;
    /* A table handed over earlier but not yet adopted was never read by the capture thread: free it here. */
    cs_domain_table_free(atomic_exchange_explicit(&c->pending_domains, table, memory_order_acq_rel));
    return CS_OK;
}

/* MARK: Inline verdicts */

int cs_capture_set_policy(cs_capture *c, int policy) {
    return c->queue == NULL ? CS_ERR_INVALID_ARGUMENT : cs_queue_set_policy(c->queue, policy);
}

int cs_capture_set_rules(cs_capture *c, const cs_block_rule *rules, size_t rule_count, const cs_addr *allowed,
                         size_t allowed_count) {
    if (c->queue == NULL) return CS_ERR_INVALID_ARGUMENT;
    return cs_queue_set_rules(c->queue, rules, rule_count, allowed, allowed_count);
}

void cs_capture_get_verdict_stats(const cs_capture *c, cs_verdict_stats *out) {
    memset(out, 0, sizeof(*out));
    if (c->queue != NULL) cs_queue_get_stats(c->queue, out);
}
