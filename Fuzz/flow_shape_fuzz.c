/*
 * libFuzzer entry for the flow-shape summary of the capture thread: any sequence of TCP segments (directions, flags,
 * sequence numbers, payloads cut short by the snap length, lying TLS record headers, control-protocol framings) must
 * be followed without reading outside a segment's captured bytes (AddressSanitizer) or undefined behaviour (UBSan),
 * and every exported summary must be sane.
 *
 * Input layout, per segment: byte 0 (bit 0 the direction, bits 1-2 the flags: ACK, SYN, FIN+ACK, RST; bit 3 whether
 * the sequence number is valid; bit 4 a gap of a second instead of milliseconds), bytes 1-2 the wire payload length,
 * byte 3 the time step, bytes 4-5 the sequence number's step; then up to the wire length of payload bytes, as many as
 * remain (the captured bytes).
 */
#include "../Sources/CCapture/flow_shape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(const cs_flow_shape_state *shape) {
    cs_flow_shape out;
    memset(&out, 0, sizeof(out));
    cs_flow_shape_export(shape, 0, &out);
    if (out.control_protocol > 1 || out.tls > 3 || !(out.age >= 0) || !(out.max_idle >= 0)) abort();
    if (out.client_messages + out.server_messages < out.requests) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t flags[] = {0x10, 0x02, 0x11, 0x04};
    cs_flow_shape_state shape;
    int64_t usec = 1700000000000000LL;
    uint32_t seq[2] = {1000, 9000};
    cs_flow_shape_start(&shape, usec, 0, 40000, 3333, true, size > 0 && (data[0] & 6) == 2);
    size_t offset = 0;
    while (offset + 6 <= size) {
        const uint8_t *head = data + offset;
        offset += 6;
        int direction = head[0] & 1;
        uint8_t tcp_flags = flags[(head[0] >> 1) & 3];
        bool seq_valid = (head[0] & 8) != 0;
        uint32_t wire = ((uint32_t)head[1] << 8) | head[2];
        usec += (int64_t)head[3] * ((head[0] & 16) ? 1000000 : 1000);
        uint32_t captured = wire;
        if (captured > size - offset) captured = (uint32_t)(size - offset);
        /* A private copy sized exactly to the captured bytes, so any overread is caught. */
        uint8_t *payload = captured ? malloc(captured) : NULL;
        if (captured) memcpy(payload, data + offset, captured);
        offset += captured;
        seq[direction] += ((uint32_t)head[4] << 8 | head[5]);
        cs_flow_shape_packet(&shape, usec, direction, payload, captured, wire, seq[direction], seq_valid, tcp_flags);
        seq[direction] += wire;
        free(payload);
        check(&shape);
    }
    cs_flow_shape_settle(&shape);
    check(&shape);
    return 0;
}
