/*
 * The flow manager: entries made and evicted, the interval sweep (a part of the table each interval: pending
 * sessions reported, idle and ended flows forgotten) and the flow-shape summaries sent for long-lived flows.
 */
#include "capture_internal.h"

/* Interval close visits 1/FLOW_SWEEP_INTERVALS of the flow table, so each flow is looked at every that many
 * intervals: idle and ended flows are forgotten, and summaries sent, that much later at most. */
#define FLOW_SWEEP_INTERVALS 8

/* Sends a tracked flow's summary, attributed to its client when the client is local, else to its server. */
static void report_shape(cs_capture *c, cs_flow_entry *flow, bool ended) {
    cs_flow_shape_state *shape = &flow->shape;
    cs_flow_shape_settle(shape);
    const cs_flow_key *key = &flow->key;
    int client = shape->client_direction; /* the low endpoint sends in direction 0 */
    bool low_is_client = client == 0;
    const cs_addr *client_addr = low_is_client ? &key->low_addr : &key->high_addr;
    int local_direction = is_local(c, client_addr) ? client : 1 - client;
    bool low_is_local = local_direction == 0;
    cs_record record;
    memset(&record, 0, sizeof(record));
    record.kind = CS_RECORD_FLOW_SHAPE;
    record.interval = c->current_interval;
    record.host = low_is_local ? key->low_addr : key->high_addr;
    cs_flow_shape_export(shape, local_direction, &record.flow_shape);
    record.flow_shape.remote = low_is_local ? key->high_addr : key->low_addr;
    record.flow_shape.remote_port = low_is_local ? key->high_port : key->low_port;
    record.flow_shape.local_port = low_is_local ? key->low_port : key->high_port;
    if (ended) record.flow_shape.ended = 1;
    shape->reported_interval = c->current_interval;
    shape->updated = 0;
    c->counters.shape_reports++;
    cs_push_record(c, &record);
}

static inline bool old_enough(const cs_capture *c, const cs_flow_entry *flow) {
    int64_t minimum = (int64_t)c->config.shape_min_intervals * (int64_t)c->config.interval_usec;
    return flow->tracked && flow->shape.last_usec - flow->shape.first_usec >= minimum;
}

/* Intervals between a live flow's summaries: shorter while it is young, so that a verdict on a young flow waits less
 * for its next summary. */
static inline int64_t report_every(const cs_capture *c, const cs_flow_entry *flow) {
    int64_t young = (int64_t)c->config.shape_young_intervals * (int64_t)c->config.interval_usec;
    bool is_young = flow->shape.last_usec - flow->shape.first_usec < young;
    return (int64_t)(is_young ? c->config.shape_young_report_intervals : c->config.shape_report_intervals);
}

/* Frees the flow at `position`, reporting what it still owes first (a pending session, an unsent summary). */
static void forget_flow(cs_capture *c, uint32_t position) {
    cs_flow_entry *flow = &c->flows.entries[position];
    if (flow->evidence_state == CS_FLOW_EVIDENCE_PENDING) cs_report_evidence(c, flow, NULL);
    if (old_enough(c, flow) && (flow->shape.updated || flow->shape.reported_interval == INT64_MIN)) {
        report_shape(c, flow, true);
    }
    cs_flow_table_remove_at(&c->flows, position);
}

/* Reports the sessions whose worker name did not come within a whole interval (those recognised in this interval
 * wait for the next); a flow forgotten meanwhile has reported its session already. */
static void report_pending_sessions(cs_capture *c, int64_t interval) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < c->pending_session_count; i++) {
        cs_flow_entry *flow = cs_flow_table_find(&c->flows, &c->pending_sessions[i]);
        if (flow == NULL || flow->evidence_state != CS_FLOW_EVIDENCE_PENDING) continue;
        if (c->finishing || flow->recognised_interval < interval) {
            cs_report_evidence(c, flow, NULL);
        } else {
            c->pending_sessions[kept++] = c->pending_sessions[i];
        }
    }
    c->pending_session_count = kept;
}

/* At interval close: report pending sessions, then sweep part of the flow table (all of it at the end of a capture):
 * send the summaries that are due, forget ended and idle flows. */
void cs_close_flows(cs_capture *c, int64_t interval) {
    report_pending_sessions(c, interval);
    cs_flow_table *table = &c->flows;
    uint32_t budget = (table->count + FLOW_SWEEP_INTERVALS - 1) / FLOW_SWEEP_INTERVALS;
    uint32_t position = c->flow_sweep_position;
    if (c->finishing) {
        budget = table->count;
        position = 0;
    }
    for (uint32_t examined = 0; examined < budget && position < table->count; examined++) {
        cs_flow_entry *flow = &table->entries[position];
        /* A session the pending list had no room for. */
        if (flow->evidence_state == CS_FLOW_EVIDENCE_PENDING &&
            (c->finishing || flow->recognised_interval < interval)) {
            cs_report_evidence(c, flow, NULL);
        }
        bool idle = interval - flow->last_interval >= (int64_t)c->config.flow_idle_intervals;
        if (flow->tracked && (flow->shape.ended || idle || c->finishing)) {
            forget_flow(c, position);
            if (idle) c->counters.flows_expired++;
            continue;
        }
        if (idle) {
            cs_flow_table_remove_at(table, position);
            c->counters.flows_expired++;
            continue;
        }
        bool due = flow->shape.reported_interval == INT64_MIN ||
                   interval - flow->shape.reported_interval >= report_every(c, flow);
        if (old_enough(c, flow) && flow->shape.updated && due) {
            report_shape(c, flow, false);
        }
        position++;
    }
    c->flow_sweep_position = position < table->count ? position : 0;
}

/* The flow's entry, made when absent: in a free slot, or (when `may_evict`) in the place of the least recently seen
 * of a few entries; NULL when the table is full and the flow may not push another out. */
cs_flow_entry *cs_flow_entry_for(cs_capture *c, const cs_flow_key *key, bool may_evict, bool *created) {
    cs_flow_table *table = &c->flows;
    cs_flow_entry *flow = cs_flow_table_find(table, key);
    *created = false;
    if (flow != NULL) return flow;
    if (table->count >= table->capacity) {
        if (!may_evict) return NULL;
        forget_flow(c, cs_flow_table_victim(table));
        c->counters.flows_evicted++;
    }
    *created = true;
    return cs_flow_table_insert(table, key, c->current_interval);
}
