/*
 * Time in intervals: closing one (a record per active host, idle hosts expired, the flow sweep) and moving to a
 * later one, or recording a discontinuity when the clock jumps.
 */
#include "capture_internal.h"

/* Emits one record per host with traffic in the current interval, expires idle hosts, then marks the interval
 * closed and wakes the consumer. */
void cs_close_interval(cs_capture *c) {
    cs_host_table *table = &c->hosts;
    int64_t interval = c->current_interval;
    for (uint32_t i = 0; i < table->active_count; i++) {
        uint32_t position = table->active[i];
        cs_host_entry *host = &table->entries[position];
        cs_record *record = cs_reserve_record(c);
        if (record != NULL) {
            record->kind = CS_RECORD_HOST;
            record->endpoint_count = 0;
            record->interval = interval;
            record->previous_interval = 0;
            record->host = host->addr;
            record->bytes_received = host->bytes_received;
            record->bytes_sent = host->bytes_sent;
            record->packets_received = host->packets_received;
            record->packets_sent = host->packets_sent;
            if (host->endpoints_changed || c->finishing ||
                interval - host->endpoints_reported_interval >= CS_ENDPOINT_REPORT_INTERVALS) {
                record->endpoint_count = host->endpoint_count;
                memcpy(record->endpoints, host->endpoints, sizeof(record->endpoints));
                host->endpoints_changed = 0;
                host->endpoints_reported_interval = interval;
            }
            cs_ring_commit(&c->ring);
        }
        host->bytes_received = host->bytes_sent = host->packets_received = host->packets_sent = 0;
        table->last_active[position] = interval;
    }
    table->active_count = 0;
    for (uint32_t position = 0; position < table->count;) {
        if (interval - table->last_active[position] >= (int64_t)c->config.host_idle_intervals) {
            cs_host_table_remove_at(table, position);
            c->counters.hosts_expired++;
        } else {
            position++;
        }
    }
    cs_close_flows(c, interval);
    c->name_reports_in_interval = 0;
    cs_pool_domains(c);
    cs_mark_closed(c, interval);
}

/* Moves time to `interval`: closes the intervals in between (each empty one only marked closed), or records a
 * discontinuity when the jump is larger than the configured gap in either direction. */
void cs_advance_to(cs_capture *c, int64_t interval) {
    int64_t gap = interval - c->current_interval;
    int64_t max_gap = (int64_t)c->config.max_gap_intervals;
    if (gap > max_gap || gap < -max_gap) {
        cs_close_interval(c);
        cs_record jump;
        memset(&jump, 0, sizeof(jump));
        jump.kind = CS_RECORD_DISCONTINUITY;
        jump.previous_interval = c->current_interval;
        jump.interval = interval;
        cs_push_record(c, &jump);
        c->counters.discontinuities++;
        c->current_interval = interval;
        return;
    }
    if (gap <= 0) return;
    /* Only the current interval has traffic; the silent ones after it are marked closed without a walk of the
     * host table, and the walk at the end of the silence expires whoever went idle. */
    cs_close_interval(c);
    for (int64_t silent = c->current_interval + 1; silent < interval; silent++) cs_mark_closed(c, silent);
    c->current_interval = interval;
}
