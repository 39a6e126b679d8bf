/*
 * Recognising mining protocol in the first payload bytes of a TCP flow direction.
 *
 * A pure function over a byte buffer (no state, no allocation), so it is also the libFuzzer entry's subject
 * (Fuzz/stratum_match_fuzz.c). The buffer holds one or more newline-delimited JSON-RPC messages, possibly cut short
 * at either end. Each message is read by a small bounded JSON scanner that looks only at the top-level keys
 * `method`, `params` and `worker`, so a word such as "mining.notify" inside a string value, a nested object, or an
 * escaped quote never counts: only a top-level `"method"` whose whole value is one of the dialects' method names does,
 * and the generic names of the Monero-style dialect (`login`, `submit`, `job`) also need that dialect's parameters.
 *
 * Getwork-style mining over HTTP (Bitcoin's getwork and getblocktemplate/submitblock, Ethereum's eth_getWork family)
 * arrives as an HTTP POST whose body is one JSON-RPC message: the headers are skipped up to their blank line, within
 * the same bounded buffer, and the body is read by the same scanner.
 */
#include "ccapture.h"

#include <stdbool.h>
#include <string.h>

/* Nesting deeper than this is not JSON-RPC a miner sends; the scanner gives up (bounded stack, bounded time). */
#define MAX_DEPTH 16

typedef struct cursor {
    const uint8_t *data;
    size_t length;
    size_t at;
} cursor;

typedef struct span {
    size_t start;
    size_t length;
    bool present;
} span;

/* What one message's top level says. */
typedef struct message_fields {
    span method;
    span worker;             /* a top-level "worker" string (Ethereum proxies) */
    size_t params_start;     /* offset of the params value */
    bool has_params;
} message_fields;

static inline bool is_space(uint8_t byte) { return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n'; }

static inline void skip_space(cursor *c) {
    while (c->at < c->length && is_space(c->data[c->at])) c->at++;
}

/* A string at the cursor (which is on its opening quote); `out` is its raw content. False when it is cut short. */
static bool read_string(cursor *c, span *out) {
    if (c->at >= c->length || c->data[c->at] != '"') return false;
    size_t start = ++c->at;
    while (c->at < c->length) {
        uint8_t byte = c->data[c->at];
        if (byte == '\\') {
            c->at += 2;
            continue;
        }
        if (byte == '"') {
            out->start = start;
            out->length = c->at - start;
            out->present = true;
            c->at++;
            return true;
        }
        if (byte == '\n') return false;
        c->at++;
    }
    return false;
}

/* Skips one value of any kind; false when it is malformed, too deep or cut short. */
static bool skip_value(cursor *c, int depth) {
    skip_space(c);
    if (c->at >= c->length || depth > MAX_DEPTH) return false;
    uint8_t byte = c->data[c->at];
    if (byte == '"') {
        span ignored;
        return read_string(c, &ignored);
    }
    if (byte == '{' || byte == '[') {
        uint8_t close = byte == '{' ? '}' : ']';
        c->at++;
        skip_space(c);
        if (c->at < c->length && c->data[c->at] == close) {
            c->at++;
            return true;
        }
        for (;;) {
            if (byte == '{') {
                span key;
                skip_space(c);
                if (!read_string(c, &key)) return false;
                skip_space(c);
                if (c->at >= c->length || c->data[c->at] != ':') return false;
                c->at++;
            }
            if (!skip_value(c, depth + 1)) return false;
            skip_space(c);
            if (c->at >= c->length) return false;
            if (c->data[c->at] == ',') {
                c->at++;
                continue;
            }
            if (c->data[c->at] != close) return false;
            c->at++;
            return true;
        }
    }
    /* Numbers and the literals true, false, null: a run of their characters. */
    size_t start = c->at;
    while (c->at < c->length) {
        byte = c->data[c->at];
        bool literal = (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || byte == '-' || byte == '+' ||
                       byte == '.' || byte == 'E';
        if (!literal) break;
        c->at++;
    }
    return c->at > start && c->at < c->length;
}

static bool span_is(const cursor *c, span s, const char *text) {
    size_t length = strlen(text);
    return s.present && s.length == length && memcmp(c->data + s.start, text, length) == 0;
}

/*
 * Reads the top level of the object at the cursor (on its `{`), keeping `method`, `params` and `worker`. Fields seen
 * before a cut or malformed part are kept: the start of a long message is enough to know its method.
 */
static void read_message(cursor *c, message_fields *fields) {
    memset(fields, 0, sizeof(*fields));
    c->at++;
    for (;;) {
        skip_space(c);
        span key = {0};
        if (!read_string(c, &key)) return;
        skip_space(c);
        if (c->at >= c->length || c->data[c->at] != ':') return;
        c->at++;
        skip_space(c);
        if (c->at >= c->length) return;
        if (span_is(c, key, "method") || span_is(c, key, "worker")) {
            span value = {0};
            if (!read_string(c, &value)) return;
            if (span_is(c, key, "method")) fields->method = value;
            else fields->worker = value;
        } else {
            if (span_is(c, key, "params")) {
                fields->params_start = c->at;
                fields->has_params = true;
            }
            if (!skip_value(c, 1)) return;
        }
        skip_space(c);
        if (c->at >= c->length || c->data[c->at] != ',') return;
        c->at++;
    }
}

/* In the params object at `start`, the string value of top-level `key` (absent when params is not an object). */
static span object_string(const cursor *message, size_t start, const char *key) {
    span none = {0};
    cursor c = {message->data, message->length, start};
    if (c.at >= c.length || c.data[c.at] != '{') return none;
    c.at++;
    for (;;) {
        skip_space(&c);
        span name = {0};
        if (!read_string(&c, &name)) return none;
        skip_space(&c);
        if (c.at >= c.length || c.data[c.at] != ':') return none;
        c.at++;
        skip_space(&c);
        if (span_is(&c, name, key)) {
            span value = {0};
            if (c.at < c.length && c.data[c.at] == '"' && read_string(&c, &value)) return value;
            return none;
        }
        if (!skip_value(&c, 2)) return none;
        skip_space(&c);
        if (c.at >= c.length || c.data[c.at] != ',') return none;
        c.at++;
    }
}

/* The first element of the params array at `start`, when it is a string. */
static span first_array_string(const cursor *message, size_t start) {
    span value = {0};
    cursor c = {message->data, message->length, start};
    if (c.at >= c.length || c.data[c.at] != '[') return value;
    c.at++;
    skip_space(&c);
    if (!read_string(&c, &value)) value.present = false;
    return value;
}

static void set_worker(const cursor *c, span value, cs_stratum_result *out) {
    if (!value.present || value.length == 0 || out->worker_length != 0) return;
    size_t length = value.length < CS_WORKER_MAX - 1 ? value.length : CS_WORKER_MAX - 1;
    for (size_t i = 0; i < length; i++) {
        uint8_t byte = c->data[value.start + i];
        bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
                     byte == '.' || byte == '_' || byte == '-' || byte == '@' || byte == '+' || byte == ':' ||
                     byte == '/' || byte == '=';
        out->worker[i] = plain ? (char)byte : '_';
    }
    out->worker[length] = '\0';
    out->worker_length = (uint8_t)length;
}

/* Classifies one message; fills `out` when it is mining protocol (the first recognised message sets the dialect). */
static void classify(const cursor *c, const message_fields *fields, bool http, cs_stratum_result *out) {
    static const char *const stratum_requests[] = {
        "mining.subscribe", "mining.authorize", "mining.submit", "mining.configure", "mining.extranonce.subscribe",
        "mining.suggest_difficulty",
    };
    static const char *const stratum_pushes[] = {"mining.notify", "mining.set_difficulty", "mining.set_extranonce"};
    static const char *const getwork_requests[] = {
        "eth_submitLogin", "eth_getWork", "eth_submitWork", "eth_submitHashrate",
    };
    /* Bitcoin's mining calls: only mining software makes them. */
    static const char *const bitcoin_mining_requests[] = {"getwork", "getblocktemplate", "submitblock"};
    if (!fields->method.present) return;
    uint8_t dialect = CS_DIALECT_NONE;
    bool from_miner = false;
    span worker = {0};
    for (size_t i = 0; i < sizeof(stratum_requests) / sizeof(stratum_requests[0]); i++) {
        if (span_is(c, fields->method, stratum_requests[i])) {
            dialect = CS_DIALECT_STRATUM;
            from_miner = true;
            /* mining.authorize and mining.submit name the worker first. */
            if (i == 1 || i == 2) worker = first_array_string(c, fields->params_start);
        }
    }
    for (size_t i = 0; i < sizeof(stratum_pushes) / sizeof(stratum_pushes[0]); i++) {
        if (span_is(c, fields->method, stratum_pushes[i])) dialect = CS_DIALECT_STRATUM;
    }
    for (size_t i = 0; i < sizeof(getwork_requests) / sizeof(getwork_requests[0]); i++) {
        if (span_is(c, fields->method, getwork_requests[i])) {
            dialect = CS_DIALECT_ETH_GETWORK;
            from_miner = true;
            if (i == 0) worker = fields->worker.present ? fields->worker : first_array_string(c, fields->params_start);
        }
    }
    for (size_t i = 0; i < sizeof(bitcoin_mining_requests) / sizeof(bitcoin_mining_requests[0]); i++) {
        if (span_is(c, fields->method, bitcoin_mining_requests[i])) {
            dialect = CS_DIALECT_HTTP_GETWORK;
            from_miner = true;
        }
    }
    /* Over HTTP only the getwork family counts: stratum and the Monero dialect are not spoken in POST bodies. */
    if (http && dialect == CS_DIALECT_ETH_GETWORK) dialect = CS_DIALECT_HTTP_GETWORK;
    if (dialect == CS_DIALECT_NONE && fields->has_params) {
        size_t params = fields->params_start;
        if (span_is(c, fields->method, "login")) {
            span login = object_string(c, params, "login");
            if (login.present) {
                dialect = CS_DIALECT_MONERO;
                from_miner = true;
                worker = login;
            }
        } else if (span_is(c, fields->method, "submit")) {
            if (object_string(c, params, "job_id").present && object_string(c, params, "nonce").present) {
                dialect = CS_DIALECT_MONERO;
                from_miner = true;
            }
        } else if (span_is(c, fields->method, "job")) {
            if (object_string(c, params, "job_id").present && object_string(c, params, "blob").present) {
                dialect = CS_DIALECT_MONERO;
            }
        }
    }
    if (dialect == CS_DIALECT_NONE || (http && dialect != CS_DIALECT_HTTP_GETWORK)) return;
    if (out->dialect == CS_DIALECT_NONE) {
        out->dialect = dialect;
        out->from_miner = from_miner ? 1 : 0;
    } else if (from_miner) {
        out->from_miner = 1;
    }
    set_worker(c, worker, out);
}

int cs_stratum_http_post(const uint8_t *data, size_t length) {
    return length >= 5 && memcmp(data, "POST ", 5) == 0;
}

/* The offset of an HTTP request's body: just after the blank line ending its headers; `length` when absent. */
static size_t http_body(const uint8_t *data, size_t length) {
    for (size_t i = 0; i + 3 < length; i++) {
        if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i + 4;
    }
    for (size_t i = 0; i + 1 < length; i++) {
        if (data[i] == '\n' && data[i + 1] == '\n') return i + 2;
    }
    return length;
}

int cs_stratum_match(const uint8_t *data, size_t length, cs_stratum_result *out) {
    memset(out, 0, sizeof(*out));
    bool http = cs_stratum_http_post(data, length);
    cursor c = {data, length, http ? http_body(data, length) : 0};
    skip_space(&c);
    if (c.at >= length || data[c.at] != '{') return CS_DIALECT_NONE;
    while (c.at < length) {
        size_t message_start = c.at;
        message_fields fields;
        read_message(&c, &fields);
        classify(&c, &fields, http, out);
        /* The next message starts on the next line. */
        size_t next = c.at > message_start ? c.at : message_start + 1;
        while (next < length && data[next] != '\n') next++;
        c.at = next;
        skip_space(&c);
        if (c.at >= length || data[c.at] != '{') break;
    }
    return out->dialect;
}

const char *cs_stratum_dialect_name(int dialect) {
    switch (dialect) {
    case CS_DIALECT_STRATUM: return "stratum";
    case CS_DIALECT_MONERO: return "monero";
    case CS_DIALECT_ETH_GETWORK: return "eth-getwork";
    case CS_DIALECT_HTTP_GETWORK: return "http-getwork";
    default: return "none";
    }
}
