/* libsystemd for Swift: sd_notify (readiness, status, watchdog; wrapped by Sources/Appliance/SystemdNotifier.swift)
 * and sd_journal_sendv (structured alerts; wrapped by Sources/Alerting/Journal.swift). Variadic and macro functions
 * get static inline wrappers here, since Swift cannot call them directly. Every symbol keeps its sd_ or cs_sd_
 * prefix. */
#ifndef CS_SYSTEMD_SHIM_H
#define CS_SYSTEMD_SHIM_H

/* Without this, sd_journal_sendv is a macro that adds CODE_FILE/CODE_LINE of this header to every entry. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1

#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

/* Sends one journal entry of `count` FIELD=value items (sd_journal_send is variadic); 0 or a negative errno. */
static inline int cs_sd_journal_sendv(const struct iovec *fields, int count) {
    return sd_journal_sendv(fields, count);
}

#endif
