/*
 * The shape of one TCP flow, kept per packet in its flow-table entry: a fixed-size summary (no allocation, bounded
 * work per packet) of its messages per direction, request → reply pairs, server pushes and idle gaps, read out as a
 * cs_flow_shape record. See cs_flow_shape in ccapture.h for the definitions.
 *
 * TLS records are followed across segments by their headers (a header itself may be split). The handshake is not
 * part of the conversation: records of the handshake, change-cipher-spec and alert types are not messages, nor are
 * the application-data records that follow them in the same direction before the peer sends again (TLS 1.3 encrypts
 * the rest of each side's handshake flight in such records). A header that lies (type,
 * version or length impossible) or lies beyond the captured bytes is counted and the direction falls back to
 * treating each burst of segments as one message. Retransmitted segments (sequence numbers already seen) are skipped;
 * a gap in sequence numbers (a lost segment) drops the record position and resynchronises on the next segment.
 */
#ifndef CS_FLOW_SHAPE_H
#define CS_FLOW_SHAPE_H

#include "ccapture.h"

#include <stdbool.h>

/* Running mean and sum of squared deviations (Welford); the count lives with the caller. */
typedef struct cs_moments {
    double mean;
    double m2;
} cs_moments;

enum cs_stream_mode {
    CS_STREAM_UNKNOWN = 0,  /* no payload yet */
    CS_STREAM_TLS = 1,      /* records followed by their headers */
    CS_STREAM_CLEAR = 2,    /* bursts of segments */
};

/* Per direction: where the TCP stream and the TLS record framing stand. */
typedef struct cs_stream_state {
    uint32_t next_seq;
    uint32_t record_remaining;   /* record body bytes still to come */
    uint8_t seq_known;
    uint8_t mode;                /* enum cs_stream_mode */
    uint8_t header_have;         /* bytes of a split record header kept in `header` */
    uint8_t header[5];
    uint8_t tls_seen;            /* a TLS record header was seen in this direction */
    uint8_t in_handshake;        /* handshake records seen since the peer last sent: records are not messages */
} cs_stream_state;

typedef struct cs_flow_shape_state {
    int64_t first_usec, last_usec;
    int64_t last_message_usec;   /* the latest message's start, either direction */
    int64_t request_usec;        /* the unanswered request's time */
    int64_t last_push_usec;
    int64_t open_usec;           /* the message being assembled (a clear-text burst) */
    uint64_t bytes[2];           /* per direction: [0] low → high, [1] high → low */
    uint32_t messages[2];
    uint32_t requests, replies, pushes, bad_records;
    uint32_t open_size;
    uint32_t pending_request_size;
    cs_moments push_size, push_gap, request_size, request_gap, reply_size, reply_delay;
    double max_idle;
    float last_request_gap;      /* seconds between the latest two requests */
    uint32_t repeated_request_gaps; /* request gaps within REPEAT_TOLERANCE of the gap before them */
    uint32_t answered_pushes;    /* pushes the client answered within ANSWER_WINDOW_USEC */
    uint16_t clear_segments;     /* clear-text segments with payload, both directions (halved with the next at 65535) */
    uint16_t framed_segments;    /* of them, whole PDUs of a control protocol's framing (cs_control_framing) */
    int64_t reported_interval;   /* when the summary was last sent (INT64_MIN: never) */
    cs_stream_state stream[2];
    int8_t open_direction;       /* -1: no message being assembled */
    uint8_t client_direction;    /* the direction the client sends in (0: the low endpoint is the client) */
    uint8_t client_known;        /* 1 once a SYN said who the client is */
    uint8_t awaiting_reply;
    uint8_t ended;
    uint8_t updated;             /* a message arrived since the last report */
    uint8_t push_unanswered;     /* the latest message was a push */
    uint8_t reserved;
} cs_flow_shape_state;

/** Starts a summary at `usec`; `direction` is the first packet's, `syn` whether it opened the connection. */
void cs_flow_shape_start(cs_flow_shape_state *shape, int64_t usec, int direction, uint16_t low_port,
                         uint16_t high_port, bool low_is_local, bool syn);

/**
 * Adds one TCP segment going in `direction`: `payload` holds the `captured` bytes of its `payload_length` (the rest
 * was not captured); `seq` is its sequence number when `seq_valid`; `flags` its TCP flags.
 */
void cs_flow_shape_packet(cs_flow_shape_state *shape, int64_t usec, int direction, const uint8_t *payload,
                          uint32_t captured, uint32_t payload_length, uint32_t seq, bool seq_valid, uint8_t flags);

/** Closes the message being assembled, if any (before a report). */
void cs_flow_shape_settle(cs_flow_shape_state *shape);

/** Fills `out` (all but the endpoints) from the summary, as seen from the side `local_direction` sends in. */
void cs_flow_shape_export(const cs_flow_shape_state *shape, int local_direction, cs_flow_shape *out);

#endif
