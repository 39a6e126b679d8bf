/*
 * Application-layer inspection of local hosts' packets, as Suricata's app-layer-* files: DNS (pool names and the
 * addresses they resolve to), the TLS ClientHello's server name, and mining protocol (stratum, getwork over HTTP) in
 * the first bytes of each flow direction. Findings become evidence and pool-name records.
 */
#include "byte_order.h"
#include "capture_internal.h"

/* A DNS answer ties its addresses to the name for its TTL, kept within these bounds (seconds). */
#define BINDING_MIN_SECONDS 300
#define BINDING_MAX_SECONDS 3600
#define TCP_SYN 0x02
#define TCP_ACK 0x10

/* Reports a flow's mining session once: attached to the miner when it is local, else to the local pool. */
void cs_report_evidence(cs_capture *c, cs_flow_entry *flow, const cs_stratum_result *result) {
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
    cs_push_record(c, &record);
}

/* The pool-domain table, adopting one handed over by cs_capture_set_pool_domains first. */
const cs_domain_table *cs_pool_domains(cs_capture *c) {
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
    cs_push_record(c, &record);
}

/* A DNS message between a local client and its resolver: a listed name is reported for the client, and the
 * addresses an answer gives for it are bound to it. */
void cs_inspect_dns(cs_capture *c, const cs_packet_info *info, const uint8_t *message, uint32_t length,
                        int64_t usec) {
    cs_dns_result dns;
    int status = cs_dns_parse(message, length, &dns);
    if (status == CS_DNS_NOT_DNS) return;
    c->counters.dns_messages++;
    if (status != CS_DNS_OK) c->counters.dns_malformed++;
    if (dns.name_length == 0 || cs_domain_table_match(cs_pool_domains(c), dns.name, dns.name_length) == 0) return;
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
    if (length <= 0 || cs_domain_table_match(cs_pool_domains(c), name, (size_t)length) == 0) return;
    report_name(c, &info->source, name, (size_t)length, CS_NAME_SNI, &info->destination, info->destination_port);
}

static inline bool is_json_space(uint8_t byte) {
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
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
    if (result.worker_length > 0) cs_report_evidence(c, flow, &result);
}

/*
 * A TCP segment of a local host. Cheap tests first: a SYN looks the remote up among the DNS bindings, a segment
 * starting like a ClientHello has its SNI read, port 53 carries DNS. With flow tracking on every flow gets an entry
 * and its shape is updated; with it off only segments whose first non-space byte is `{` reach the flow table, so the
 * cost per packet is a byte test for most traffic. Because flows enter the table on their first JSON-like payload,
 * a session already running when the capture starts is still recognised from its later messages.
 */
cs_flow_entry *cs_inspect_tcp(cs_capture *c, const cs_packet_info *info, const uint8_t *frame, uint32_t caplen,
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
        cs_inspect_dns(c, info, payload + 2, declared < available - 2 ? declared : available - 2, usec);
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
    cs_flow_entry *flow = cs_flow_entry_for(c, &key, json_like || opening, &created);
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
