/*
 * The capture engine: libpcap (or a netfilter queue) in, per-host interval records out. This file is the public API
 * of ccapture.h; the engine's stages are one file each, in the order a packet meets them:
 *
 *   capture_source.c     where packets come from: the live loop, the offline loop and its reader thread
 *   capture_packet.c     the per-packet path: the clock, the local side(s) counted with their remote endpoint
 *   capture_app_layer.c  DNS, TLS ClientHello and mining-protocol inspection of local hosts' TCP and DNS
 *   capture_flows.c      the flow table's entries, its sweep and flow-shape summaries
 *   capture_intervals.c  closing intervals: host records, expiry, discontinuities
 *   capture_output.c     records to the consumer's ring, published counters, the wake-up eventfd
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
#include "capture_internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

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

/* The layouts Swift reads: evidence shares the endpoint list's storage, so a record's size does not grow. */
_Static_assert(sizeof(cs_endpoint) == 32, "cs_endpoint layout");
_Static_assert(sizeof(cs_evidence) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_evidence fills the endpoint list");
_Static_assert(sizeof(cs_record) == 200, "cs_record layout");
_Static_assert(sizeof(cs_stratum_result) == 4 + CS_WORKER_MAX, "cs_stratum_result layout");
_Static_assert(sizeof(cs_block_rule) == 40, "cs_block_rule layout");
_Static_assert(sizeof(cs_pool_name) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_pool_name fills the endpoint list");
_Static_assert(sizeof(cs_flow_shape) == sizeof(cs_endpoint) * CS_MAX_ENDPOINTS, "cs_flow_shape fills the endpoint list");

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
        cs_set_error(errbuf, errbuf_size, "name exactly one of an interface, a capture file and a netfilter queue");
        return CS_ERR_INVALID_ARGUMENT;
    }
    if (queued && config->bpf_filter != NULL && config->bpf_filter[0] != '\0') {
        cs_set_error(errbuf, errbuf_size, "a netfilter queue takes no BPF filter: select packets in the nftables rule");
        return CS_ERR_INVALID_ARGUMENT;
    }
    if (config->interval_usec == 0 || config->max_hosts == 0 || config->network_count > MAX_NETWORKS ||
        config->ring_capacity < 2 || config->snaplen < 64) {
        cs_set_error(errbuf, errbuf_size, "invalid capture settings (interval, host limit, networks, ring, snaplen)");
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
    if (c->config.shape_young_report_intervals == 0) {
        c->config.shape_young_report_intervals = c->config.shape_report_intervals;
    }
    if (c->config.name_bindings == 0) c->config.name_bindings = DEFAULT_NAME_BINDINGS;
    if (c->config.name_reports_per_interval == 0) c->config.name_reports_per_interval = DEFAULT_NAME_REPORTS;
    atomic_init(&c->pending_domains, NULL);
    atomic_init(&c->pending_clock_offset, 0);
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
        error = cs_queue_open(config->queue_number, max_length, cs_handle_queued_packet, c, &c->queue, errbuf,
                              errbuf_size);
    } else {
        error = c->live ? cs_open_live(c, config, errbuf, errbuf_size) : cs_open_file(c, config, errbuf, errbuf_size);
    }
    if (error != CS_OK) {
        cs_capture_close(c);
        return error;
    }
    c->linktype = queued ? DLT_RAW : pcap_datalink(c->pcap);
    if (!cs_linktype_supported(c->linktype)) {
        const char *name = pcap_datalink_val_to_name(c->linktype);
        cs_set_error(errbuf, errbuf_size,
                  "unsupported link type %s (DLT %d): CoinSentry reads Ethernet, Linux cooked (SLL, SLL2), raw IP "
                  "and BSD loopback", name ? name : "unknown", c->linktype);
        cs_capture_close(c);
        return CS_ERR_UNSUPPORTED_LINKTYPE;
    }
    if (!queued && config->bpf_filter != NULL && config->bpf_filter[0] != '\0') {
        struct bpf_program program;
        if (pcap_compile(c->pcap, &program, config->bpf_filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(c->pcap, &program) != 0) {
            cs_set_error(errbuf, errbuf_size, "bad BPF filter \"%s\": %s", config->bpf_filter, pcap_geterr(c->pcap));
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
            cs_set_error(errbuf, errbuf_size, "cannot pin the capture thread to CPU %d: %s", c->config.cpu,
                      strerror(status));
            pthread_attr_destroy(&attributes);
            return CS_ERR_AFFINITY;
        }
    }
    int status = pthread_create(&c->thread, &attributes, cs_capture_main, c);
    pthread_attr_destroy(&attributes);
    if (status != 0) {
        const char *reason = strerror(status);
        /* An affinity to a CPU the process may not use only fails here, when the thread is created. */
        if (c->config.cpu >= 0 && status == EINVAL) {
            cs_set_error(errbuf, errbuf_size, "cannot pin the capture thread to CPU %d: %s", c->config.cpu, reason);
            return CS_ERR_AFFINITY;
        }
        cs_set_error(errbuf, errbuf_size, "cannot start the capture thread: %s", reason);
        return CS_ERR_THREAD;
    }
    c->thread_started = true;
    return CS_OK;
}

void cs_capture_stop(cs_capture *c) {
    if (!c->thread_started) return;
    atomic_store_explicit(&c->stop_requested, 1, memory_order_relaxed);
    cs_signal_fd(c->stop_fd);
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

void cs_capture_set_clock_offset(cs_capture *c, int64_t offset_usec) {
    atomic_store_explicit(&c->pending_clock_offset, offset_usec, memory_order_relaxed);
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
