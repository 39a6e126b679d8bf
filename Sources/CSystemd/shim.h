// libsystemd (libsystemd-dev) for the Alerting module's journald sink; wrapped by Sources/Alerting/Journal.swift.
//
// Swift cannot call `sd_journal_send` (variadic), and without SD_JOURNAL_SUPPRESS_LOCATION `sd_journal_sendv` is a
// macro that adds CODE_FILE/CODE_LINE of this header. The wrapper below is a plain function over an iovec array; the
// caller passes every field itself.
#ifndef COINSENTRY_CSYSTEMD_SHIM_H
#define COINSENTRY_CSYSTEMD_SHIM_H

#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <sys/uio.h>
#include <systemd/sd-journal.h>

/// Sends one entry of `count` `FIELD=value` items to journald; 0 or a negative errno.
static inline int coinsentry_sd_journal_sendv(const struct iovec *fields, int count) {
    return sd_journal_sendv(fields, count);
}

#endif
