/*
 * DNS messages: the first question's name and the A/AAAA answers (RFC 1035 §4, RFC 3596).
 *
 * A pure function over a byte buffer (no state, no allocation), so it is also the libFuzzer entry's subject
 * (Fuzz/dns_parse_fuzz.c). Every read is checked against the message length; a compression pointer must point
 * strictly before the place it was read from (so a chain always moves backwards and ends) and at most
 * MAX_POINTER_JUMPS are followed per name; names longer than the protocol's 255 bytes are refused.
 */
#include "byte_order.h"
#include "ccapture.h"

#include <stdbool.h>
#include <string.h>

#define HEADER_LENGTH 12
#define MAX_WIRE_NAME 255
#define MAX_POINTER_JUMPS 16
#define MAX_ANSWERS_READ 64
#define TYPE_A 1
#define TYPE_AAAA 28
#define CLASS_IN 1

static inline char name_byte(uint8_t byte) {
    if (byte >= 'A' && byte <= 'Z') return (char)(byte - 'A' + 'a');
    if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' || byte == '_') return (char)byte;
    return '_';
}

/*
 * Reads the name at `*position`, advancing it past the name's bytes in place (a pointer ends them). When `out` is
 * given the name is written there dotted and lowercased (capacity CS_NAME_MAX). Returns an enum cs_dns_status.
 */
static int read_name(const uint8_t *data, size_t length, size_t *position, char *out, uint16_t *out_length) {
    size_t cursor = *position;
    size_t wire = 0, written = 0;
    int jumps = 0;
    bool jumped = false;
    for (;;) {
        if (cursor >= length) return CS_DNS_TRUNCATED;
        uint8_t label = data[cursor];
        if ((label & 0xC0) == 0xC0) {
            if (cursor + 1 >= length) return CS_DNS_TRUNCATED;
            size_t target = ((size_t)(label & 0x3F) << 8) | data[cursor + 1];
            if (target >= cursor) return CS_DNS_BAD_POINTER;
            if (++jumps > MAX_POINTER_JUMPS) return CS_DNS_POINTER_LOOP;
            if (!jumped) *position = cursor + 2;
            jumped = true;
            cursor = target;
            continue;
        }
        if ((label & 0xC0) != 0) return CS_DNS_NOT_DNS; /* 0x40 / 0x80: extended label types, long obsolete */
        wire += (size_t)label + 1;
        if (wire > MAX_WIRE_NAME) return CS_DNS_NAME_TOO_LONG;
        if (label == 0) {
            if (!jumped) *position = cursor + 1;
            break;
        }
        if (cursor + 1 + label > length) return CS_DNS_TRUNCATED;
        if (out != NULL) {
            if (written > 0) out[written++] = '.';
            for (size_t i = 0; i < label; i++) out[written++] = name_byte(data[cursor + 1 + i]);
        }
        cursor += 1 + (size_t)label;
    }
    if (out != NULL) {
        out[written] = '\0';
        *out_length = (uint16_t)written;
    }
    return CS_DNS_OK;
}

int cs_dns_parse(const uint8_t *data, size_t length, cs_dns_result *out) {
    memset(out, 0, sizeof(*out));
    if (data == NULL || length < HEADER_LENGTH) return CS_DNS_NOT_DNS;
    uint16_t flags = read_be16(data + 2);
    uint16_t questions = read_be16(data + 4), answers = read_be16(data + 6);
    if (((flags >> 11) & 0xF) != 0 || questions == 0) return CS_DNS_NOT_DNS; /* only standard queries */
    out->is_response = (uint8_t)(flags >> 15);
    size_t position = HEADER_LENGTH;
    uint16_t name_length = 0;
    int status = read_name(data, length, &position, out->name, &name_length);
    if (status != CS_DNS_OK) {
        out->name[0] = '\0';
        return status;
    }
    out->name_length = name_length;
    if (position + 4 > length) return CS_DNS_TRUNCATED;
    if (read_be16(data + position + 2) != CLASS_IN) {
        out->name[0] = '\0';
        out->name_length = 0;
        return CS_DNS_NOT_DNS;
    }
    position += 4;
    /* Further questions are skipped: resolvers send one, and the answers are tied to the first. */
    for (uint16_t q = 1; q < questions && q < MAX_ANSWERS_READ; q++) {
        status = read_name(data, length, &position, NULL, NULL);
        if (status != CS_DNS_OK) return status;
        if (position + 4 > length) return CS_DNS_TRUNCATED;
        position += 4;
    }
    if (!out->is_response) return CS_DNS_OK;
    for (uint16_t a = 0; a < answers && a < MAX_ANSWERS_READ; a++) {
        status = read_name(data, length, &position, NULL, NULL);
        if (status != CS_DNS_OK) return status;
        if (position + 10 > length) return CS_DNS_TRUNCATED;
        uint16_t type = read_be16(data + position), class = read_be16(data + position + 2);
        uint32_t ttl = read_be32(data + position + 4);
        uint16_t rdlength = read_be16(data + position + 8);
        position += 10;
        if (position + rdlength > length) return CS_DNS_TRUNCATED;
        bool v4 = type == TYPE_A && rdlength == 4, v6 = type == TYPE_AAAA && rdlength == 16;
        if (class == CLASS_IN && (v4 || v6) && out->address_count < CS_DNS_MAX_ADDRESSES) {
            cs_addr *addr = &out->addresses[out->address_count];
            memset(addr->bytes, 0, sizeof(addr->bytes));
            if (v4) {
                addr->bytes[10] = 0xff;
                addr->bytes[11] = 0xff;
                memcpy(addr->bytes + 12, data + position, 4);
            } else {
                memcpy(addr->bytes, data + position, 16);
            }
            if (out->address_count == 0 || ttl < out->min_ttl) out->min_ttl = ttl;
            out->address_count++;
        }
        position += rdlength;
    }
    return CS_DNS_OK;
}
