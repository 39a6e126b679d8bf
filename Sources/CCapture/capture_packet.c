/*
 * The per-packet path: the clock, then the local side(s) counted in the host table with their remote endpoint.
 * Nothing here allocates, locks or makes a system call.
 */
#include "capture_internal.h"

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
        cs_advance_to(c, interval);
    } else if (interval < c->current_interval) {
        if (c->current_interval - interval > (int64_t)c->config.max_gap_intervals) {
            cs_advance_to(c, interval);
        } else {
            c->counters.time_backwards++;
        }
    }
}

/* Counts one classified packet stamped `usec` (`bytes`: the frame, needed for local hosts' packets only); `sides`,
 * when given, receives the local ↔ remote pairs it belongs to. */
void cs_count_classified(cs_capture *c, int64_t usec, const cs_classified_packet *packet, const uint8_t *bytes,
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
        flow = cs_inspect_tcp(c, info, bytes, caplen, usec, source_local, &direction);
    } else if (info->protocol == 17 && (info->source_port == DNS_PORT || info->destination_port == DNS_PORT) &&
               info->payload_offset != 0 && info->payload_offset < caplen) {
        uint32_t available = caplen - info->payload_offset;
        cs_inspect_dns(c, info, bytes + info->payload_offset,
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
    cs_count_classified(c, usec, &packet, bytes, caplen, sides);
}

void cs_handle_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    cs_capture *c = (cs_capture *)user;
    int64_t usec = (int64_t)header->ts.tv_sec * 1000000 + (int64_t)header->ts.tv_usec + c->clock_offset;
    count_packet(c, usec, bytes, header->caplen, header->len, NULL);
}

/* A packet from the netfilter queue: raw IP, stamped on arrival with the clock live capture uses. */
void cs_handle_queued_packet(void *context, const uint8_t *packet, uint32_t length, cs_queue_sides *sides) {
    cs_capture *c = (cs_capture *)context;
    count_packet(c, cs_realtime_usec(c), packet, length, length, sides);
}
