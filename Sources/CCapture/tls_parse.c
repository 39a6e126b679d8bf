/*
 * The server name of a TLS ClientHello (RFC 8446 §4.1.2, RFC 6066 §3), read from the first record of a flow.
 *
 * A pure function over a byte buffer (no state, no allocation), so it is also the libFuzzer entry's subject
 * (Fuzz/tls_sni_fuzz.c). Each length field is checked against the one that encloses it and against the bytes there
 * are; a ClientHello split over several TCP segments is read as far as its first segment goes (the SNI extension
 * almost always sits there), and one that ends early is reported cut short, never read past.
 */
#include "ccapture.h"

#include <stdbool.h>
#include <string.h>

#define RECORD_HANDSHAKE 22
#define HANDSHAKE_CLIENT_HELLO 1
#define EXTENSION_SERVER_NAME 0
#define NAME_TYPE_HOST 0

static inline uint16_t read_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

/* A cursor over [position, end) of `data`; every take checks the room first. */
typedef struct span {
    const uint8_t *data;
    size_t position;
    size_t end;
} span;

static inline int skip(span *s, size_t count) {
    if (s->end - s->position < count) return -1;
    s->position += count;
    return 0;
}

/* Reads a length of `width` bytes (1 or 2) and narrows `inner` to that many bytes after it. */
static inline int sub_span(span *s, int width, span *inner) {
    if (s->end - s->position < (size_t)width) return -1;
    size_t length = width == 1 ? s->data[s->position] : read_be16(s->data + s->position);
    s->position += (size_t)width;
    if (s->end - s->position < length) return -1;
    *inner = (span){s->data, s->position, s->position + length};
    s->position += length;
    return 0;
}

int cs_tls_client_hello_sni(const uint8_t *data, size_t length, char *name, size_t capacity) {
    if (capacity > 0) name[0] = '\0';
    if (data == NULL || length < 6 || data[0] != RECORD_HANDSHAKE || data[1] != 3 || data[5] != HANDSHAKE_CLIENT_HELLO) {
        return 0;
    }
    size_t record_length = read_be16(data + 3);
    if (record_length < 4) return -1;
    /* The record may continue in the next segment: read what is here. */
    size_t end = 5 + record_length < length ? 5 + record_length : length;
    if (end < 9) return -1;
    size_t hello_length = ((size_t)data[6] << 16) | ((size_t)data[7] << 8) | data[8];
    if (9 + hello_length < end) end = 9 + hello_length;
    span hello = {data, 9, end};
    span ignored;
    if (skip(&hello, 2 + 32) != 0) return -1;                 /* legacy_version, random */
    if (sub_span(&hello, 1, &ignored) != 0) return -1;         /* legacy_session_id */
    if (sub_span(&hello, 2, &ignored) != 0) return -1;         /* cipher_suites */
    if (sub_span(&hello, 1, &ignored) != 0) return -1;         /* legacy_compression_methods */
    if (hello.position == hello.end) return 0;                 /* no extensions at all */
    span extensions;
    if (sub_span(&hello, 2, &extensions) != 0) return -1;
    while (extensions.position < extensions.end) {
        if (extensions.end - extensions.position < 2) return -1;
        uint16_t type = read_be16(data + extensions.position);
        extensions.position += 2;
        span body;
        if (sub_span(&extensions, 2, &body) != 0) return -1;
        if (type != EXTENSION_SERVER_NAME) continue;
        span list;
        if (sub_span(&body, 2, &list) != 0) return -1;
        while (list.position < list.end) {
            uint8_t name_type = data[list.position];
            list.position++;
            span host;
            if (sub_span(&list, 2, &host) != 0) return -1;
            if (name_type != NAME_TYPE_HOST) continue;
            size_t count = host.end - host.position;
            if (count == 0 || count >= capacity) return -1;
            for (size_t i = 0; i < count; i++) {
                uint8_t byte = data[host.position + i];
                if (byte >= 'A' && byte <= 'Z') byte = (uint8_t)(byte - 'A' + 'a');
                bool allowed = (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' ||
                               byte == '_' || byte == '.';
                name[i] = allowed ? (char)byte : '_';
            }
            if (name[count - 1] == '.') count--; /* a fully qualified name's root dot */
            name[count] = '\0';
            return (int)count;
        }
        return 0;
    }
    return 0;
}
