/*
 * CCapture: the sensor's capture thread, in C.
 *
 * One thread per capture owns a libpcap handle (live interface or capture file), parses every packet down to its IP
 * header, attributes it to the local host it belongs to and keeps per-host counters for the current interval. When an
 * interval closes it pushes one record per active host, then an "interval closed" record, into a lock-free
 * single-producer single-consumer ring, and makes an eventfd readable. The consumer (Swift) drains the ring.
 *
 * Every symbol carries the prefix `cs_`. Nothing here allocates or blocks on the per-packet path.
 */
#ifndef CCAPTURE_H
#define CCAPTURE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: Addresses and networks */

/** An IP address in 16 bytes; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d). */
typedef struct cs_addr {
    uint8_t bytes[16];
} cs_addr;

/** A local network: an address and a prefix length in the 128-bit space (an IPv4 /24 is stored as /120). */
typedef struct cs_network {
    cs_addr addr;
    uint8_t prefix_length;
} cs_network;

/* MARK: Packet parsing */

enum cs_parse_status {
    CS_PARSE_OK = 0,
    CS_PARSE_NOT_IP = 1,         /* a well-formed frame that carries no IP packet (ARP, LLDP, ...) */
    CS_PARSE_MALFORMED = 2,      /* see cs_packet_info.malformed_reason */
    CS_PARSE_UNSUPPORTED_LINK = 3,
};

enum cs_malformed_reason {
    CS_MALFORMED_NONE = 0,
    CS_MALFORMED_EMPTY_FRAME = 1,         /* zero captured bytes */
    CS_MALFORMED_OVERSIZED_FRAME = 2,     /* wire length above CS_MAX_FRAME_LENGTH, or captured more than on the wire */
    CS_MALFORMED_TRUNCATED_LINK = 3,      /* the link-layer header (or a VLAN tag) is cut short */
    CS_MALFORMED_TRUNCATED_IP = 4,        /* the IP header is not fully captured */
    CS_MALFORMED_BAD_IP_VERSION = 5,      /* the version nibble disagrees with the link-layer protocol */
    CS_MALFORMED_BAD_HEADER_LENGTH = 6,   /* IPv4 IHL below 5, or total length below the header length */
    CS_MALFORMED_LENGTH_EXCEEDS_FRAME = 7,/* the IP header claims more bytes than the frame carried on the wire */
    CS_MALFORMED_BAD_EXTENSION = 8,       /* an IPv6 extension header runs past the packet */
};

/** The largest frame accepted as real (jumbo frames and GRO/TSO super-packets on a capture interface included). */
#define CS_MAX_FRAME_LENGTH 262144u

/** What the parser learnt from one frame. Offsets are from the start of the frame. */
typedef struct cs_packet_info {
    cs_addr source;
    cs_addr destination;
    uint32_t ip_length;        /* IPv4 total length; IPv6 40 + payload length: bytes on the wire from the IP header on */
    uint32_t l4_offset;        /* first byte of the transport header, 0 when there is none (non-first fragment) */
    uint32_t payload_offset;   /* first byte of TCP/UDP payload, 0 when unknown */
    uint32_t payload_length;   /* payload bytes per the headers (may exceed what was captured) */
    uint16_t source_port;
    uint16_t destination_port;
    uint8_t ip_version;        /* 4 or 6 */
    uint8_t protocol;          /* transport protocol after IPv6 extension headers (6 TCP, 17 UDP, ...) */
    uint8_t tcp_flags;
    uint8_t is_fragment;       /* 1 for a non-first fragment: no transport header */
    uint8_t vlan_depth;        /* 802.1Q / QinQ tags skipped */
    uint8_t malformed_reason;  /* enum cs_malformed_reason */
} cs_packet_info;

/** Whether the parser understands this DLT_ link type (Ethernet, Linux SLL/SLL2, raw IP, BSD loopback). */
int cs_linktype_supported(int linktype);

/**
 * Parses one frame. `caplen` bytes are readable at `frame`; `wirelen` is the frame's length on the wire.
 * Returns an enum cs_parse_status; `out` is filled as far as parsing got.
 */
int cs_parse_packet(int linktype, const uint8_t *frame, uint32_t caplen, uint32_t wirelen, cs_packet_info *out);

/* MARK: Mining protocol recognition */

/** Mining protocol dialects recognised in clear-text TCP payloads. */
enum cs_stratum_dialect {
    CS_DIALECT_NONE = 0,
    CS_DIALECT_STRATUM = 1,       /* stratum JSON-RPC: mining.subscribe, mining.authorize, mining.notify, ... */
    CS_DIALECT_MONERO = 2,        /* the Monero-style dialect: login (with its "login" field), job, submit */
    CS_DIALECT_ETH_GETWORK = 3,   /* Ethereum getwork over stratum: eth_submitLogin, eth_getWork, eth_submitWork */
    CS_DIALECT_HTTP_GETWORK = 4,  /* getwork-style JSON-RPC in an HTTP POST body: getwork, getblocktemplate,
                                     submitblock, eth_getWork, eth_submitWork, eth_submitHashrate, eth_submitLogin */
};

/** Room for a worker or login name, terminating NUL included (a 95-character Monero address fits). */
#define CS_WORKER_MAX 96

/** What cs_stratum_match found. */
typedef struct cs_stratum_result {
    uint8_t dialect;              /* enum cs_stratum_dialect */
    uint8_t from_miner;           /* 1 when a message is a miner's request (subscribe, login, submit, ...) */
    uint8_t worker_length;        /* 0 when no worker name was present */
    uint8_t reserved;
    char worker[CS_WORKER_MAX];   /* sanitised to [A-Za-z0-9._-@+:/=] (others become '_'), NUL-terminated */
} cs_stratum_result;

/** Whether a payload starts like an HTTP POST request (`POST `), whose body cs_stratum_match reads. */
int cs_stratum_http_post(const uint8_t *data, size_t length);

/**
 * Looks for mining protocol in the first payload bytes of one TCP flow direction: newline-delimited JSON-RPC
 * messages, the first starting (after white space) with `{`, or an HTTP POST request whose body is one such message
 * (getwork-style mining over HTTP); either end may be cut. Pure, bounded by `length`.
 * Returns the enum cs_stratum_dialect found (CS_DIALECT_NONE for anything else); `out` is always filled.
 */
int cs_stratum_match(const uint8_t *data, size_t length, cs_stratum_result *out);

/** "stratum", "monero", "eth-getwork", "http-getwork" or "none". */
const char *cs_stratum_dialect_name(int dialect);

/* MARK: Pool names: DNS, TLS SNI and the pool-domain table */

/** Room for a dotted domain name, terminating NUL included (the DNS limit is 253 characters). */
#define CS_NAME_MAX 256
/** A/AAAA addresses kept from one DNS answer. */
#define CS_DNS_MAX_ADDRESSES 8

enum cs_dns_status {
    CS_DNS_OK = 0,
    CS_DNS_NOT_DNS = 1,          /* shorter than a header, no question, or an opcode/class that is not a query */
    CS_DNS_TRUNCATED = 2,        /* a name or record runs past the message (what came before it is kept) */
    CS_DNS_BAD_POINTER = 3,      /* a compression pointer points at or after itself, or past the message */
    CS_DNS_POINTER_LOOP = 4,     /* more compression jumps than a real name needs */
    CS_DNS_NAME_TOO_LONG = 5,    /* a name longer than 255 bytes on the wire */
};

/** What cs_dns_parse found in one DNS message. */
typedef struct cs_dns_result {
    uint8_t is_response;
    uint8_t address_count;       /* A/AAAA answers kept (at most CS_DNS_MAX_ADDRESSES) */
    uint16_t name_length;        /* the question's name, 0 when none was read */
    uint32_t min_ttl;            /* the smallest TTL among the kept answers */
    char name[CS_NAME_MAX];      /* lowercased, dotted, without the root dot; other bytes than [a-z0-9-_] become '_' */
    cs_addr addresses[CS_DNS_MAX_ADDRESSES];
} cs_dns_result;

/**
 * Parses one DNS message (UDP payload, or a TCP payload after its two length bytes): the first question's name and
 * the A/AAAA answers. Compression pointers must point strictly backwards and are followed at most 16 times per name.
 * Pure, bounded by `length`. Returns an enum cs_dns_status; `out` holds what was read before any error.
 */
int cs_dns_parse(const uint8_t *data, size_t length, cs_dns_result *out);

/**
 * The server name (SNI) of a TLS ClientHello at the start of `data` (a TLS record header first). Pure, bounded.
 * Returns the name's length (lowercased, NUL-terminated in `name`), 0 when the record is a ClientHello without SNI or
 * not a ClientHello at all, -1 when it is a ClientHello cut short or lying about a length.
 */
int cs_tls_client_hello_sni(const uint8_t *data, size_t length, char *name, size_t capacity);

/** A set of domain names matched by suffix: hashed labels, an open-addressing index. Immutable once built. */
typedef struct cs_domain_table cs_domain_table;

/** Builds a table of `count` dotted names (case ignored, a leading "*." or trailing dot dropped). NULL: no memory. */
cs_domain_table *cs_domain_table_create(const char *const *names, size_t count);
void cs_domain_table_free(cs_domain_table *table);
/** Names the table holds (duplicates counted once). */
size_t cs_domain_table_count(const cs_domain_table *table);

/**
 * The length of the longest listed name that `name` (lowercase, dotted) equals or ends in at a label boundary
 * ("nanopool.org" for "xmr-eu1.nanopool.org"); 0 when none. One hash per label, computed right to left: no scan.
 */
size_t cs_domain_table_match(const cs_domain_table *table, const char *name, size_t length);

/* MARK: Records carried by the ring */

enum cs_record_kind {
    CS_RECORD_HOST = 1,             /* one local host's counters for `interval` (only hosts with traffic) */
    CS_RECORD_INTERVAL_CLOSED = 2,  /* `interval` is complete: every host record for it came before */
    CS_RECORD_DISCONTINUITY = 3,    /* time jumped from `previous_interval` to `interval`: restart the windows */
    CS_RECORD_EVIDENCE = 4,         /* `host` speaks mining protocol with a remote endpoint: see `evidence` */
    CS_RECORD_POOL_NAME = 5,        /* `host` looked up or named a listed pool domain: see `pool_name` */
    CS_RECORD_FLOW_SHAPE = 6,       /* the summary of one long-lived TCP flow of `host`: see `flow_shape` */
};

/** Where a pool name was seen. */
enum cs_name_source {
    CS_NAME_DNS = 1,     /* a DNS query or answer, or a flow to an address a DNS answer gave for the name */
    CS_NAME_SNI = 2,     /* the server name of a TLS ClientHello */
};

/** Which side of a mining session the local host is. */
enum cs_evidence_role {
    CS_ROLE_MINER = 1,   /* the host sends the miner's requests (or receives the pool's pushes) */
    CS_ROLE_POOL = 2,    /* the host answers a remote miner */
};

#define CS_MAX_ENDPOINTS 4
/** A host record repeats its (unchanged) endpoint list at least this often, in intervals. */
#define CS_ENDPOINT_REPORT_INTERVALS 60

/** A remote endpoint a local host talks to, with the bytes exchanged (upper bound, space-saving counting). */
typedef struct cs_endpoint {
    cs_addr addr;
    uint64_t bytes;
    uint16_t port;
    uint8_t protocol;
    uint8_t reserved[5];
} cs_endpoint;

/** A mining protocol session seen on one TCP flow (CS_RECORD_EVIDENCE), reported once per flow. */
typedef struct cs_evidence {
    cs_addr remote;
    uint16_t remote_port;
    uint8_t dialect;             /* enum cs_stratum_dialect */
    uint8_t role;                /* enum cs_evidence_role */
    uint8_t worker_length;       /* 0 when no worker name was seen in the bytes inspected */
    uint8_t reserved[3];
    char worker[CS_WORKER_MAX];  /* sanitised, NUL-terminated */
    uint16_t local_port;
    uint8_t reserved2[6];
} cs_evidence;

/** Room for a pool name in a record, NUL included: longer names keep their last 107 characters. */
#define CS_RECORD_NAME_MAX 108

/** A listed pool domain seen for a host (CS_RECORD_POOL_NAME). */
typedef struct cs_pool_name {
    cs_addr remote;              /* the pool's address when known (DNS answer, SNI flow), else all zero */
    uint16_t remote_port;        /* 0 when unknown (a DNS lookup) */
    uint8_t source;              /* enum cs_name_source */
    uint8_t name_length;
    char name[CS_RECORD_NAME_MAX];
} cs_pool_name;

/**
 * The shape of one TCP flow (CS_RECORD_FLOW_SHAPE). A message is one TLS record where the direction speaks TLS,
 * else one burst of payload segments. The client opened the flow (its SYN), or has the higher port when the SYN was
 * not seen. A request is a client message; the first server message after it is its reply; a server message not
 * preceded by an unanswered request is a push. Sizes in bytes, times in seconds; std is the population deviation.
 */
typedef struct cs_flow_shape {
    cs_addr remote;
    uint16_t remote_port;
    uint16_t local_port;
    uint8_t local_is_client;
    uint8_t tls;                 /* bit 0: the client spoke TLS records, bit 1: the server did */
    uint8_t ended;               /* 1: FIN/RST seen, the flow was pushed out, or the capture ended */
    uint8_t control_protocol;    /* 1: at least four clear-text segments, nine in ten of them whole PDUs of an industrial
                                    control protocol's framing: TPKT (S7comm, MMS), Modbus/TCP, IEC 60870-5-104,
                                    HART-IP, DNP3, EtherNet/IP, Beckhoff ADS or OPC UA binary */
    uint32_t requests, replies, pushes;
    uint32_t bad_records;        /* TLS record headers that lied (type, version, length) or could not be read */
    float age;                   /* first to last packet */
    float max_idle;              /* the longest time without a message in either direction */
    float push_size_mean, push_size_std, push_gap_mean, push_gap_std;
    float request_size_mean, request_size_std, reply_size_mean, reply_size_std;
    float reply_delay_mean, reply_delay_std;
    uint64_t client_bytes, server_bytes;   /* application payload */
    uint32_t client_messages, server_messages;
    float request_gap_mean, request_gap_std;  /* time between successive requests */
    uint32_t repeated_request_gaps;  /* request gaps (of 1 s or more) within 20 % of the gap before them: a clock */
    uint32_t answered_pushes;    /* pushes followed by a client message within 1 s: acked, as pool jobs never are */
} cs_flow_shape;

typedef struct cs_record {
    uint32_t kind;               /* enum cs_record_kind */
    uint32_t endpoint_count;     /* 0 when the list did not change since the host's last report (the last
                                    interval before the capture ends reports every list) */
    int64_t interval;            /* interval index: its start is interval * interval_usec microseconds after 1970 */
    int64_t previous_interval;   /* for CS_RECORD_DISCONTINUITY */
    cs_addr host;
    uint64_t bytes_received;
    uint64_t bytes_sent;
    uint64_t packets_received;
    uint64_t packets_sent;
    union {
        cs_endpoint endpoints[CS_MAX_ENDPOINTS]; /* CS_RECORD_HOST: the busiest remote endpoints so far */
        cs_evidence evidence;                    /* CS_RECORD_EVIDENCE */
        cs_pool_name pool_name;                  /* CS_RECORD_POOL_NAME */
        cs_flow_shape flow_shape;                /* CS_RECORD_FLOW_SHAPE */
    };
} cs_record;

/** The endpoint list of a CS_RECORD_HOST record, read in place (Swift imports the union's arrays as tuples). */
static inline const cs_endpoint *cs_record_endpoints(const cs_record *record) { return record->endpoints; }

/* MARK: Capture */

enum cs_error {
    CS_OK = 0,
    CS_ERR_PERMISSION = 1,
    CS_ERR_NO_SUCH_DEVICE = 2,
    CS_ERR_INTERFACE_DOWN = 3,
    CS_ERR_NOT_CAPTURE_FILE = 4,
    CS_ERR_UNSUPPORTED_LINKTYPE = 5,
    CS_ERR_FILTER = 6,
    CS_ERR_IO = 7,
    CS_ERR_NO_MEMORY = 8,
    CS_ERR_AFFINITY = 9,
    CS_ERR_TRUNCATED_FILE = 10,
    CS_ERR_INVALID_ARGUMENT = 11,
    CS_ERR_THREAD = 12,
    CS_ERR_QUEUE = 13,          /* NFQUEUE could not be bound (another consumer, no CAP_NET_ADMIN, no module) */
};

/** Where packets come from. */
enum cs_source_kind {
    CS_SOURCE_PCAP = 0,         /* `device` or `file`, through libpcap */
    CS_SOURCE_NFQUEUE = 1,      /* netfilter queue `queue_number`: raw IP packets, each given a verdict */
};

typedef struct cs_capture_config {
    const char *device;          /* live interface name, or NULL */
    const char *file;            /* capture file (pcap or pcapng), or NULL; exactly one of device and file */
    const char *bpf_filter;      /* NULL or "" for none */
    int32_t snaplen;             /* bytes captured per packet */
    int32_t buffer_size;         /* kernel buffer in bytes, 0 for libpcap's default */
    int32_t promiscuous;
    int32_t immediate;           /* live only: pcap_set_immediate_mode */
    int32_t cpu;                 /* pin the capture thread to this CPU, -1 for no pinning */
    uint32_t max_hosts;          /* local hosts tracked at once */
    uint32_t host_idle_intervals;/* a host with no traffic for this many intervals is forgotten */
    uint32_t ring_capacity;      /* records; rounded up to a power of two */
    uint32_t network_count;
    uint64_t interval_usec;      /* interval width in microseconds */
    uint64_t max_gap_intervals;  /* a timestamp jump over this many intervals (either way) is a discontinuity */
    const cs_network *networks;  /* local networks; copied */
    uint32_t max_flows;          /* TCP flows tracked at once for protocol evidence (0: 4096) */
    uint32_t flow_idle_intervals;/* a flow with no inspected packet for this many intervals is forgotten (0: 300) */
    uint32_t inspect_bytes;      /* payload bytes examined per flow direction (at most 4096); 0 turns it off */
    int32_t source_kind;         /* enum cs_source_kind */
    uint32_t queue_number;       /* CS_SOURCE_NFQUEUE: the queue to bind */
    uint32_t queue_max_length;   /* CS_SOURCE_NFQUEUE: packets the kernel queues before failing open (0: 4096) */
    uint32_t track_flows;        /* 1: every TCP flow enters the flow table and gets a shape summary */
    uint32_t shape_min_intervals;/* a flow is summarised once it lived this many intervals (0: 120) */
    uint32_t shape_report_intervals; /* a live flow's summary is repeated this often, in intervals (0: 60) */
    uint32_t shape_young_intervals; /* flows younger than this many intervals are summarised more often (0: none) */
    uint32_t shape_young_report_intervals; /* ... this often, in intervals (0: as shape_report_intervals) */
    uint32_t name_bindings;      /* address → pool name bindings kept from DNS answers (0: 1024) */
    uint32_t name_reports_per_interval; /* pool-name records per interval at most; more are counted (0: 64) */
    uint32_t offline_one_thread; /* files: read, parse and account in the capture thread alone, even with CPUs to
                                    spare (otherwise a reader thread reads and parses beside it) */
} cs_capture_config;

/** Counters published by the capture thread at every interval close and when it finishes. */
typedef struct cs_capture_stats {
    uint64_t packets;            /* frames seen */
    uint64_t bytes;              /* IP bytes of frames attributed to a local host */
    uint64_t not_ip;             /* frames without IP */
    uint64_t not_local;          /* remote <-> remote: ignored */
    uint64_t malformed;
    uint64_t local_to_local;     /* counted for both hosts */
    uint64_t host_table_full;    /* packets of hosts that could not be tracked because the table was full */
    uint64_t hosts_tracked;
    uint64_t hosts_expired;
    uint64_t ring_dropped;       /* records dropped because the consumer fell behind */
    uint64_t kernel_received;    /* pcap_stats ps_recv (live) */
    uint64_t kernel_dropped;     /* pcap_stats ps_drop */
    uint64_t interface_dropped;  /* pcap_stats ps_ifdrop */
    uint64_t time_backwards;     /* packets stamped before the current interval, counted into it */
    uint64_t discontinuities;
    uint64_t intervals_closed;
    int64_t current_interval;
    uint64_t flows_tracked;      /* TCP flows in the flow table now */
    uint64_t flows_evicted;      /* flows pushed out because the table was full */
    uint64_t flows_expired;      /* idle flows forgotten */
    uint64_t evidence_reports;   /* CS_RECORD_EVIDENCE records emitted */
    uint64_t dns_messages;       /* DNS messages parsed (UDP or TCP port 53) */
    uint64_t dns_malformed;      /* DNS messages with a truncated record, bad or looping pointer, oversized name */
    uint64_t tls_client_hellos;  /* ClientHellos read (with or without SNI) */
    uint64_t tls_malformed;      /* ClientHellos cut short or lying, and bad TLS record headers in tracked flows */
    uint64_t name_reports;       /* CS_RECORD_POOL_NAME records emitted */
    uint64_t name_reports_suppressed; /* pool-name sightings over the per-interval budget */
    uint64_t name_bindings_evicted;   /* DNS bindings pushed out before they expired */
    uint64_t shape_reports;      /* CS_RECORD_FLOW_SHAPE records emitted */
    uint64_t domain_table_swaps; /* pool-domain tables adopted by the capture thread */
    uint64_t flows_not_tracked;  /* packets of flows first seen mid-stream that found the flow table full */
} cs_capture_stats;

typedef struct cs_capture cs_capture;

/** Opens the interface or file and validates everything; no thread runs yet. Returns an enum cs_error. */
int cs_capture_open(const cs_capture_config *config, cs_capture **out, char *errbuf, size_t errbuf_size);

/** The DLT_ link type of the open handle. */
int cs_capture_linktype(const cs_capture *capture);

/** Starts the capture thread (pinned when configured). Returns an enum cs_error. */
int cs_capture_start(cs_capture *capture, char *errbuf, size_t errbuf_size);

/** Asks the thread to stop after closing the current interval, and joins it. Safe to call more than once. */
void cs_capture_stop(cs_capture *capture);

/** Stops (if needed) and frees everything. */
void cs_capture_close(cs_capture *capture);

/** A file descriptor that becomes readable when records are waiting or the thread finished; read it to reset. */
int cs_capture_wake_fd(const cs_capture *capture);

/**
 * The oldest records waiting, in place: up to `max` contiguous records from `*records`; returns how many. Read them,
 * then hand them back with `cs_capture_release(capture, count)`. Only one consumer may call these.
 */
size_t cs_capture_peek(cs_capture *capture, const cs_record **records, size_t max);
void cs_capture_release(cs_capture *capture, size_t count);

/** Copies the latest published counters. */
void cs_capture_get_stats(const cs_capture *capture, cs_capture_stats *out);

/**
 * 1 once the thread has finished (end of file, stop, or error) and every record was pushed. `error` and `errbuf`
 * then say whether it ended on an error (CS_ERR_TRUNCATED_FILE or CS_ERR_IO); CS_OK for a clean end.
 */
int cs_capture_finished(const cs_capture *capture, int *error, char *errbuf, size_t errbuf_size);

/**
 * Hands the capture a new pool-domain table built from `names` (copied): the capture thread adopts it at its next
 * packet or interval close and frees the old one; safe from any thread, before or after start (for a reload).
 * Returns CS_OK or CS_ERR_NO_MEMORY.
 */
int cs_capture_set_pool_domains(cs_capture *capture, const char *const *names, size_t count);

/**
 * Shifts a live capture's clock by `offset_usec` from the next packet or poll on: both the interval boundaries the
 * capture thread waits for and the packets' timestamps, as a wall clock stepped by that much would. For fault drills
 * and tests of clock steps; a running sensor leaves it at 0. Offline captures ignore it.
 */
void cs_capture_set_clock_offset(cs_capture *capture, int64_t offset_usec);

/* MARK: Inline verdicts (CS_SOURCE_NFQUEUE) */

enum cs_policy {
    CS_POLICY_MONITOR = 0,       /* accept every packet (the default) */
    CS_POLICY_BLOCK = 1,         /* drop packets that match a block rule of a host that is not allowlisted */
};

/** Drop a local host's packets to or from `remote`:`remote_port` (0: any port), or all its packets. */
typedef struct cs_block_rule {
    cs_addr host;
    cs_addr remote;              /* ignored when all_traffic is 1 */
    uint16_t remote_port;        /* 0: any port of `remote` */
    uint8_t all_traffic;
    uint8_t reserved[5];
} cs_block_rule;

/** Verdicts given so far; read at any time (relaxed counters kept by the queue thread). */
typedef struct cs_verdict_stats {
    uint64_t accepted;
    uint64_t dropped;
    uint64_t verdict_errors;     /* nfq_set_verdict failed (the kernel then keeps or fails open the packet) */
    uint64_t receive_errors;     /* recv on the queue socket failed, e.g. ENOBUFS when the kernel dropped messages */
    uint64_t table_swaps;        /* rule tables installed */
} cs_verdict_stats;

/** Sets the verdict policy (enum cs_policy). Takes effect for the next packet; never blocks the queue thread. */
int cs_capture_set_policy(cs_capture *capture, int policy);

/**
 * Installs a new rule table (block rules and allowlisted hosts; both copied): built aside, published with one atomic
 * pointer store, the old one freed after the queue thread's grace period. Returns CS_OK or CS_ERR_NO_MEMORY.
 * Writers are serialised by a mutex; the queue thread never takes it.
 */
int cs_capture_set_rules(cs_capture *capture, const cs_block_rule *rules, size_t rule_count, const cs_addr *allowed,
                         size_t allowed_count);

/** Copies the verdict counters. */
void cs_capture_get_verdict_stats(const cs_capture *capture, cs_verdict_stats *out);

/* MARK: Writing capture files */

typedef struct cs_writer cs_writer;

/** Opens a pcap file for writing frames of the given DLT_ link type (microsecond timestamps). */
int cs_writer_open(const char *path, int linktype, int32_t snaplen, cs_writer **out, char *errbuf, size_t errbuf_size);

/** Appends one frame. */
void cs_writer_write(cs_writer *writer, int64_t usec_since_epoch, const uint8_t *frame, uint32_t caplen,
                     uint32_t wirelen);

/** Flushes and closes; returns CS_OK or CS_ERR_IO. */
int cs_writer_close(cs_writer *writer, char *errbuf, size_t errbuf_size);

#ifdef __cplusplus
}
#endif

#endif
