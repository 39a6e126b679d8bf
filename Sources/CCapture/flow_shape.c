#include "byte_order.h"
#include "flow_shape.h"

#include <math.h>
#include <string.h>

#define TLS_MAX_RECORD (16384u + 2048u)  /* the largest ciphertext record TLS allows */
#define TLS_APPLICATION_DATA 23           /* record content type; 20-22 are change-cipher-spec, alert, handshake */
#define BURST_USEC 50000                 /* clear-text segments closer than this in one direction are one message */
#define REPLY_WINDOW_USEC 5000000        /* a server message later than this after a request is a push, not a reply */
#define ANSWER_WINDOW_USEC 1000000       /* a client message this soon after a push answers it (an ack) */
#define REPEAT_TOLERANCE 0.2              /* a request gap this close (relative) to the previous one repeats it */
#define REPEAT_MIN_GAP 1.0                /* seconds: shorter gaps are bursts, not a clock's ticks */
#define STREAM_LOST 3                    /* TLS framing lost: each segment is a message until one starts a record */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static inline void add_sample(cs_moments *moments, uint32_t count, double value) {
    double delta = value - moments->mean;
    moments->mean += delta / (double)count;
    moments->m2 += delta * (value - moments->mean);
}

static inline float deviation(const cs_moments *moments, uint32_t count) {
    return count == 0 ? 0.0f : (float)sqrt(moments->m2 / (double)count);
}

void cs_flow_shape_start(cs_flow_shape_state *shape, int64_t usec, int direction, uint16_t low_port,
                         uint16_t high_port, bool low_is_local, bool syn) {
    memset(shape, 0, sizeof(*shape));
    shape->first_usec = shape->last_usec = usec;
    shape->open_direction = -1;
    shape->reported_interval = INT64_MIN;
    if (syn) {
        shape->client_direction = (uint8_t)direction;
        shape->client_known = 1;
    } else if (low_port != high_port) {
        /* Without the SYN: the client is the side on the ephemeral (higher) port. */
        shape->client_direction = low_port > high_port ? 0 : 1;
    } else {
        shape->client_direction = low_is_local ? 0 : 1;
    }
}

/* Whether two successive gaps look like ticks of one clock (polls, pings, heartbeats), which shares found by
 * hashing, a Poisson process, rarely do. */
static inline bool repeats(double gap, double previous) {
    double longer = gap > previous ? gap : previous;
    return longer >= REPEAT_MIN_GAP && fabs(gap - previous) <= REPEAT_TOLERANCE * longer;
}

/* One complete message of `size` bytes sent in `direction` at `usec`. */
static void emit(cs_flow_shape_state *shape, int direction, uint32_t size, int64_t usec) {
    if (shape->last_message_usec != 0) {
        double idle = (double)(usec - shape->last_message_usec) / 1e6;
        if (idle > shape->max_idle) shape->max_idle = idle;
    }
    shape->last_message_usec = usec;
    shape->messages[direction]++;
    shape->updated = 1;
    if (direction == shape->client_direction) {
        if (shape->push_unanswered && usec - shape->last_push_usec <= ANSWER_WINDOW_USEC) shape->answered_pushes++;
        shape->push_unanswered = 0;
        shape->requests++;
        add_sample(&shape->request_size, shape->requests, size);
        if (shape->requests > 1) {
            double gap = (double)(usec - shape->request_usec) / 1e6;
            add_sample(&shape->request_gap, shape->requests - 1, gap);
            if (shape->requests > 2 && repeats(gap, shape->last_request_gap)) shape->repeated_request_gaps++;
            shape->last_request_gap = (float)gap;
        }
        shape->awaiting_reply = 1;
        shape->request_usec = usec;
        shape->pending_request_size = size;
        return;
    }
    if (shape->awaiting_reply && usec - shape->request_usec <= REPLY_WINDOW_USEC) {
        shape->replies++;
        add_sample(&shape->reply_size, shape->replies, size);
        add_sample(&shape->reply_delay, shape->replies, (double)(usec - shape->request_usec) / 1e6);
        shape->awaiting_reply = 0;
        shape->push_unanswered = 0;
        return;
    }
    shape->awaiting_reply = 0;
    shape->push_unanswered = 1;
    shape->pushes++;
    add_sample(&shape->push_size, shape->pushes, size);
    if (shape->pushes > 1) {
        add_sample(&shape->push_gap, shape->pushes - 1, (double)(usec - shape->last_push_usec) / 1e6);
    }
    shape->last_push_usec = usec;
}

void cs_flow_shape_settle(cs_flow_shape_state *shape) {
    if (shape->open_direction < 0) return;
    emit(shape, shape->open_direction, shape->open_size, shape->open_usec);
    shape->open_direction = -1;
}

/* A clear-text segment: joins the burst being assembled, or closes it and starts the next. */
static void clear_segment(cs_flow_shape_state *shape, int direction, uint32_t size, int64_t usec) {
    if (shape->open_direction == direction && usec - shape->open_usec <= BURST_USEC) {
        shape->open_size += size;
        return;
    }
    cs_flow_shape_settle(shape);
    shape->open_direction = (int8_t)direction;
    shape->open_size = size;
    shape->open_usec = usec;
}

static inline bool plausible_header(const uint8_t *header) {
    return header[0] >= 20 && header[0] <= 24 && header[1] == 3 && header[2] <= 4;
}

/* The length of the PDU whose header starts at `p` under one control protocol's framing, 0 when the header is not
 * one. Each needs fixed bytes and a length field, so a random payload passes rarely, and a chain of them filling the
 * segment exactly far more rarely. */
static uint32_t tpkt_pdu(const uint8_t *p) {       /* RFC 1006: version 3, reserved 0, length of the whole PDU */
    uint32_t length = read_be16(p + 2);
    return p[0] == 3 && p[1] == 0 && length >= 7 ? length : 0;
}
static uint32_t mbap_pdu(const uint8_t *p) {       /* Modbus/TCP: transaction, protocol 0, length of what follows */
    uint32_t length = read_be16(p + 4);
    return p[2] == 0 && p[3] == 0 && length >= 2 && length <= 254 ? length + 6 : 0;
}
static uint32_t iec104_pdu(const uint8_t *p) {     /* IEC 60870-5-104 APCI: start 0x68, length of what follows */
    return p[0] == 0x68 && p[1] >= 4 && p[1] <= 253 ? (uint32_t)p[1] + 2 : 0;
}
static uint32_t hart_ip_pdu(const uint8_t *p) {    /* HART-IP: version 1, message type 0..3, length of the whole PDU */
    uint32_t length = read_be16(p + 6);
    return p[0] == 1 && p[1] <= 3 && length >= 8 ? length : 0;
}
static uint32_t dnp3_pdu(const uint8_t *p) {       /* DNP3 link frame: 0x05 0x64, length of control, addresses and
                                                      data; a CRC after the header and after every 16 data bytes */
    if (p[0] != 0x05 || p[1] != 0x64 || p[2] < 5) return 0;
    uint32_t data = (uint32_t)p[2] - 5;
    return 10 + data + 2 * ((data + 15) / 16);
}
static uint32_t enip_pdu(const uint8_t *p) {       /* EtherNet/IP encapsulation: a known command, options 0, length
                                                      of what follows the 24-byte header (little-endian) */
    uint16_t command = read_le16(p);
    bool known = command == 0x0004 || (command >= 0x0063 && command <= 0x0066) || command == 0x006F
        || command == 0x0070;
    return known && read_le32(p + 20) == 0 ? 24 + (uint32_t)read_le16(p + 2) : 0;
}
static uint32_t ams_pdu(const uint8_t *p) {        /* Beckhoff ADS over AMS/TCP: two zero bytes, the length of the
                                                      32-byte AMS header and its data (little-endian) */
    uint32_t length = read_le32(p + 2);
    return p[0] == 0 && p[1] == 0 && length >= 32 && length <= 65536 ? 6 + length : 0;
}
static uint32_t opcua_pdu(const uint8_t *p) {      /* OPC UA binary: message type, chunk type, size of the whole
                                                      message (little-endian) */
    static const char types[][4] = {"HEL", "ACK", "OPN", "CLO", "MSG", "ERR", "RHE"};
    bool known = false;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) known = known || memcmp(p, types[i], 3) == 0;
    uint32_t size = read_le32(p + 4);
    return known && (p[3] == 'F' || p[3] == 'C' || p[3] == 'A') && size >= 8 ? size : 0;
}

/* Whether the segment is one or more whole PDUs of `pdu`'s framing (judged on the captured bytes when the snap
 * length cut the segment). */
static bool framed_by(const uint8_t *payload, uint32_t captured, uint32_t length, uint32_t header,
                      uint32_t (*pdu)(const uint8_t *)) {
    uint32_t offset = 0;
    while (offset < length) {
        if (offset + header > captured) return offset > 0;
        uint32_t size = pdu(payload + offset);
        if (size == 0 || size > length - offset) return false;
        offset += size;
    }
    return true;
}

/* The framings checked, each with the bytes its header needs. */
static const struct {
    uint32_t header;
    uint32_t (*pdu)(const uint8_t *);
} control_framings[] = {
    {4, tpkt_pdu}, {6, mbap_pdu}, {2, iec104_pdu}, {8, hart_ip_pdu}, {3, dnp3_pdu}, {24, enip_pdu}, {6, ams_pdu},
    {8, opcua_pdu},
};

/* A clear-text segment made of whole PDUs of an industrial control protocol's framing: protocols identified by their
 * payload (as nDPI and Zeek identify them), which no mining protocol speaks. */
static bool cs_control_framing(const uint8_t *payload, uint32_t captured, uint32_t length) {
    for (size_t i = 0; i < sizeof(control_framings) / sizeof(control_framings[0]); i++) {
        if (framed_by(payload, captured, length, control_framings[i].header, control_framings[i].pdu)) return true;
    }
    return false;
}

/* Follows TLS records through one segment; returns false when the framing was lost in it. */
static bool tls_segment(cs_flow_shape_state *shape, cs_stream_state *stream, int direction, const uint8_t *payload,
                        uint32_t captured, uint32_t total, int64_t usec) {
    uint32_t offset = 0;
    while (offset < total) {
        if (stream->record_remaining > 0) {
            uint32_t take = total - offset < stream->record_remaining ? total - offset : stream->record_remaining;
            stream->record_remaining -= take;
            offset += take;
            continue;
        }
        while (stream->header_have < 5 && offset < total) {
            if (offset >= captured) return false; /* the header lies beyond the captured bytes */
            stream->header[stream->header_have++] = payload[offset++];
        }
        if (stream->header_have < 5) return true; /* the rest of the header comes in the next segment */
        stream->header_have = 0;
        uint32_t length = ((uint32_t)stream->header[3] << 8) | stream->header[4];
        if (!plausible_header(stream->header) || length > TLS_MAX_RECORD) return false;
        stream->record_remaining = length;
        if (stream->header[0] != TLS_APPLICATION_DATA) stream->in_handshake = 1;
        if (!stream->in_handshake) emit(shape, direction, length + 5, usec);
    }
    return true;
}

void cs_flow_shape_packet(cs_flow_shape_state *shape, int64_t usec, int direction, const uint8_t *payload,
                          uint32_t captured, uint32_t payload_length, uint32_t seq, bool seq_valid, uint8_t flags) {
    shape->last_usec = usec;
    if (flags & (TCP_FIN | TCP_RST)) shape->ended = 1;
    cs_stream_state *stream = &shape->stream[direction];
    if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && !shape->client_known) {
        shape->client_direction = (uint8_t)direction;
        shape->client_known = 1;
    }
    if (seq_valid) {
        uint32_t span = payload_length + ((flags & TCP_SYN) ? 1u : 0u) + ((flags & TCP_FIN) ? 1u : 0u);
        if (stream->seq_known) {
            int32_t ahead = (int32_t)(seq - stream->next_seq);
            if (ahead < 0 && (int32_t)(seq + span - stream->next_seq) <= 0) return; /* a retransmission */
            if (ahead > 0 && stream->mode == CS_STREAM_TLS) {
                stream->mode = STREAM_LOST; /* a segment went missing: the record position is unknown */
                stream->record_remaining = 0;
                stream->header_have = 0;
            }
        }
        stream->next_seq = seq + span;
        stream->seq_known = 1;
    }
    if (payload_length == 0) return;
    shape->bytes[direction] += payload_length;
    shape->stream[1 - direction].in_handshake = 0; /* this side spoke: the peer's handshake flight is over */
    if (captured > payload_length) captured = payload_length;
    if (stream->mode == CS_STREAM_UNKNOWN || stream->mode == STREAM_LOST) {
        bool starts_record = captured >= 3 && plausible_header(payload);
        if (starts_record) {
            stream->mode = CS_STREAM_TLS;
            stream->tls_seen = 1;
        } else if (stream->mode == CS_STREAM_UNKNOWN) {
            stream->mode = CS_STREAM_CLEAR;
        }
    }
    if (stream->mode == CS_STREAM_TLS) {
        cs_flow_shape_settle(shape);
        if (tls_segment(shape, stream, direction, payload, captured, payload_length, usec)) return;
        shape->bad_records++;
        stream->mode = STREAM_LOST;
        stream->record_remaining = 0;
        stream->header_have = 0;
        return;
    }
    if (shape->clear_segments == UINT16_MAX) { /* keep the share, forget the count */
        shape->clear_segments /= 2;
        shape->framed_segments /= 2;
    }
    shape->clear_segments++;
    if (cs_control_framing(payload, captured, payload_length)) shape->framed_segments++;
    clear_segment(shape, direction, payload_length, usec);
}

void cs_flow_shape_export(const cs_flow_shape_state *shape, int local_direction, cs_flow_shape *out) {
    int client = shape->client_direction;
    out->local_is_client = local_direction == client;
    out->tls = (uint8_t)((shape->stream[client].tls_seen ? 1 : 0) | (shape->stream[1 - client].tls_seen ? 2 : 0));
    out->ended = shape->ended;
    out->requests = shape->requests;
    out->replies = shape->replies;
    out->pushes = shape->pushes;
    out->bad_records = shape->bad_records;
    out->age = (float)((double)(shape->last_usec - shape->first_usec) / 1e6);
    out->max_idle = (float)shape->max_idle;
    out->push_size_mean = (float)shape->push_size.mean;
    out->push_size_std = deviation(&shape->push_size, shape->pushes);
    out->push_gap_mean = (float)shape->push_gap.mean;
    out->push_gap_std = deviation(&shape->push_gap, shape->pushes > 0 ? shape->pushes - 1 : 0);
    out->request_size_mean = (float)shape->request_size.mean;
    out->request_size_std = deviation(&shape->request_size, shape->requests);
    out->request_gap_mean = (float)shape->request_gap.mean;
    out->request_gap_std = deviation(&shape->request_gap, shape->requests > 0 ? shape->requests - 1 : 0);
    out->repeated_request_gaps = shape->repeated_request_gaps;
    out->answered_pushes = shape->answered_pushes;
    out->control_protocol = shape->clear_segments >= 4 && shape->framed_segments * 10 >= shape->clear_segments * 9;
    out->reply_size_mean = (float)shape->reply_size.mean;
    out->reply_size_std = deviation(&shape->reply_size, shape->replies);
    out->reply_delay_mean = (float)shape->reply_delay.mean;
    out->reply_delay_std = deviation(&shape->reply_delay, shape->replies);
    out->client_bytes = shape->bytes[client];
    out->server_bytes = shape->bytes[1 - client];
    out->client_messages = shape->messages[client];
    out->server_messages = shape->messages[1 - client];
}
