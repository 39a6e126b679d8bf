/*
 * Link-layer and IP parsing: from a captured frame to addresses, IP length, transport ports and payload position.
 *
 * Reads only within `caplen`; never trusts a length field without checking it against what was captured (for
 * headers) or against the frame's wire length (for the IP total length). Pure and allocation-free: also the libFuzzer
 * entry's subject (Fuzz/packet_parser_fuzz.c).
 */
#include "ccapture.h"

#include <pcap/dlt.h>
#include <string.h>

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86DDu
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88A8u
#define ETHERTYPE_QINQ_OLD 0x9100u
#define MAX_VLAN_TAGS 4
#define MAX_IPV6_EXTENSIONS 8

static inline uint16_t read_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t read_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static int malformed(cs_packet_info *out, enum cs_malformed_reason reason) {
    out->malformed_reason = (uint8_t)reason;
    return CS_PARSE_MALFORMED;
}

static void map_ipv4(cs_addr *dst, const uint8_t *v4) {
    memset(dst->bytes, 0, 10);
    dst->bytes[10] = 0xff;
    dst->bytes[11] = 0xff;
    memcpy(dst->bytes + 12, v4, 4);
}

int cs_linktype_supported(int linktype) {
    switch (linktype) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP:
        return 1;
    default:
        return 0;
    }
}

/* Transport header: ports, flags and where the payload starts. `ip_end` is where the IP packet ends per its header. */
static void parse_transport(const uint8_t *frame, uint32_t caplen, uint32_t offset, uint32_t ip_end,
                            cs_packet_info *out) {
    out->l4_offset = offset;
    if (out->protocol == 6) {
        if (offset + 20 > caplen) return;
        const uint8_t *tcp = frame + offset;
        out->source_port = read_be16(tcp);
        out->destination_port = read_be16(tcp + 2);
        out->tcp_flags = tcp[13];
        uint32_t header_length = (uint32_t)(tcp[12] >> 4) * 4;
        if (header_length < 20 || offset + header_length > ip_end) return;
        out->payload_offset = offset + header_length;
        out->payload_length = ip_end - out->payload_offset;
    } else if (out->protocol == 17 || out->protocol == 136 /* UDP-Lite */) {
        if (offset + 8 > caplen) return;
        const uint8_t *udp = frame + offset;
        out->source_port = read_be16(udp);
        out->destination_port = read_be16(udp + 2);
        if (offset + 8 > ip_end) return;
        out->payload_offset = offset + 8;
        out->payload_length = ip_end - out->payload_offset;
    }
}

static int parse_ipv4(const uint8_t *frame, uint32_t caplen, uint32_t wirelen, uint32_t offset,
                      cs_packet_info *out) {
    if (offset + 20 > caplen) return malformed(out, CS_MALFORMED_TRUNCATED_IP);
    const uint8_t *ip = frame + offset;
    if ((ip[0] >> 4) != 4) return malformed(out, CS_MALFORMED_BAD_IP_VERSION);
    uint32_t header_length = (uint32_t)(ip[0] & 0x0f) * 4;
    uint32_t total_length = read_be16(ip + 2);
    /* Captured on a host that offloads segmentation (TSO), a super-packet says 0 here: the frame tells the truth. */
    if (total_length == 0) total_length = wirelen - offset;
    if (header_length < 20 || total_length < header_length) return malformed(out, CS_MALFORMED_BAD_HEADER_LENGTH);
    if (offset + header_length > caplen) return malformed(out, CS_MALFORMED_TRUNCATED_IP);
    if (offset + total_length > wirelen) return malformed(out, CS_MALFORMED_LENGTH_EXCEEDS_FRAME);
    out->ip_version = 4;
    out->ip_length = total_length;
    out->protocol = ip[9];
    map_ipv4(&out->source, ip + 12);
    map_ipv4(&out->destination, ip + 16);
    uint16_t fragment = read_be16(ip + 6);
    if ((fragment & 0x1fff) != 0) {
        out->is_fragment = 1;
        return CS_PARSE_OK;
    }
    parse_transport(frame, caplen, offset + header_length, offset + total_length, out);
    return CS_PARSE_OK;
}

static int parse_ipv6(const uint8_t *frame, uint32_t caplen, uint32_t wirelen, uint32_t offset,
                      cs_packet_info *out) {
    if (offset + 40 > caplen) return malformed(out, CS_MALFORMED_TRUNCATED_IP);
    const uint8_t *ip = frame + offset;
    if ((ip[0] >> 4) != 6) return malformed(out, CS_MALFORMED_BAD_IP_VERSION);
    uint32_t payload_length = read_be16(ip + 4);
    uint32_t total_length = 40 + payload_length;
    if (payload_length == 0) {
        /* A jumbogram (RFC 2675) says 0 here; its real length is what the frame carried. */
        total_length = wirelen - offset;
    }
    if (offset + total_length > wirelen) return malformed(out, CS_MALFORMED_LENGTH_EXCEEDS_FRAME);
    out->ip_version = 6;
    out->ip_length = total_length;
    memcpy(out->source.bytes, ip + 8, 16);
    memcpy(out->destination.bytes, ip + 24, 16);

    uint8_t next = ip[6];
    uint32_t position = offset + 40;
    uint32_t ip_end = offset + total_length;
    for (int hops = 0; hops < MAX_IPV6_EXTENSIONS; hops++) {
        switch (next) {
        case 0:   /* hop-by-hop options */
        case 43:  /* routing */
        case 60:  /* destination options */
        case 135: /* mobility */
        case 139: /* HIP */
        case 140: /* shim6 */
            if (position + 8 > caplen || position + 8 > ip_end) return malformed(out, CS_MALFORMED_BAD_EXTENSION);
            next = frame[position];
            position += 8 + (uint32_t)frame[position + 1] * 8;
            break;
        case 51: /* authentication header: length in 4-octet units, minus 2 */
            if (position + 8 > caplen || position + 8 > ip_end) return malformed(out, CS_MALFORMED_BAD_EXTENSION);
            next = frame[position];
            position += ((uint32_t)frame[position + 1] + 2) * 4;
            break;
        case 44: { /* fragment */
            if (position + 8 > caplen || position + 8 > ip_end) return malformed(out, CS_MALFORMED_BAD_EXTENSION);
            uint16_t fragment_offset = read_be16(frame + position + 2) >> 3;
            next = frame[position];
            position += 8;
            if (fragment_offset != 0) {
                out->protocol = next;
                out->is_fragment = 1;
                return CS_PARSE_OK;
            }
            break;
        }
        default:
            if (position > ip_end) return malformed(out, CS_MALFORMED_BAD_EXTENSION);
            out->protocol = next;
            parse_transport(frame, caplen, position, ip_end, out);
            return CS_PARSE_OK;
        }
    }
    /* More extension headers than any real stack sends: count bytes, skip the transport layer. */
    out->protocol = next;
    return CS_PARSE_OK;
}

/* Dispatch on an EtherType, skipping any 802.1Q / 802.1ad tags first. */
static int parse_ethertype(const uint8_t *frame, uint32_t caplen, uint32_t wirelen, uint32_t type_offset,
                           uint32_t payload_offset, cs_packet_info *out) {
    uint16_t type = read_be16(frame + type_offset);
    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
        if (out->vlan_depth == MAX_VLAN_TAGS) return CS_PARSE_NOT_IP;
        if (payload_offset + 4 > caplen) return malformed(out, CS_MALFORMED_TRUNCATED_LINK);
        type = read_be16(frame + payload_offset + 2);
        payload_offset += 4;
        out->vlan_depth++;
    }
    if (type == ETHERTYPE_IPV4) return parse_ipv4(frame, caplen, wirelen, payload_offset, out);
    if (type == ETHERTYPE_IPV6) return parse_ipv6(frame, caplen, wirelen, payload_offset, out);
    return CS_PARSE_NOT_IP;
}

/* Raw IP: the version nibble says which. */
static int parse_raw_ip(const uint8_t *frame, uint32_t caplen, uint32_t wirelen, uint32_t offset,
                        cs_packet_info *out) {
    if (offset >= caplen) return malformed(out, CS_MALFORMED_TRUNCATED_IP);
    switch (frame[offset] >> 4) {
    case 4: return parse_ipv4(frame, caplen, wirelen, offset, out);
    case 6: return parse_ipv6(frame, caplen, wirelen, offset, out);
    default: return malformed(out, CS_MALFORMED_BAD_IP_VERSION);
    }
}

int cs_parse_packet(int linktype, const uint8_t *frame, uint32_t caplen, uint32_t wirelen, cs_packet_info *out) {
    memset(out, 0, sizeof(*out));
    if (caplen == 0 || frame == NULL) return malformed(out, CS_MALFORMED_EMPTY_FRAME);
    if (wirelen > CS_MAX_FRAME_LENGTH || caplen > wirelen) return malformed(out, CS_MALFORMED_OVERSIZED_FRAME);

    switch (linktype) {
    case DLT_EN10MB:
        if (caplen < 14) return malformed(out, CS_MALFORMED_TRUNCATED_LINK);
        return parse_ethertype(frame, caplen, wirelen, 12, 14, out);
    case DLT_LINUX_SLL: /* 16 bytes, protocol type at 14 */
        if (caplen < 16) return malformed(out, CS_MALFORMED_TRUNCATED_LINK);
        return parse_ethertype(frame, caplen, wirelen, 14, 16, out);
    case DLT_LINUX_SLL2: /* 20 bytes, protocol type first */
        if (caplen < 20) return malformed(out, CS_MALFORMED_TRUNCATED_LINK);
        return parse_ethertype(frame, caplen, wirelen, 0, 20, out);
    case DLT_RAW:
        return parse_raw_ip(frame, caplen, wirelen, 0, out);
    case DLT_IPV4:
        return parse_ipv4(frame, caplen, wirelen, 0, out);
    case DLT_IPV6:
        return parse_ipv6(frame, caplen, wirelen, 0, out);
    case DLT_NULL:
    case DLT_LOOP: {
        /* A 4-byte address family, in host order for DLT_NULL and network order for DLT_LOOP; IPv6 has several
         * values across BSDs, so the IP version nibble decides. */
        if (caplen < 4) return malformed(out, CS_MALFORMED_TRUNCATED_LINK);
        uint32_t family = read_be32(frame);
        if (family != 2 && family != 0x02000000u && family != 24 && family != 28 && family != 30 &&
            family != 0x18000000u && family != 0x1c000000u && family != 0x1e000000u) {
            return CS_PARSE_NOT_IP;
        }
        return parse_raw_ip(frame, caplen, wirelen, 4, out);
    }
    default:
        return CS_PARSE_UNSUPPORTED_LINK;
    }
}
