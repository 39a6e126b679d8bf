/* libsystemd for Swift: sd_notify (readiness, status, watchdog). Variadic and macro functions get static inline
 * wrappers here, since Swift cannot call them directly. Every symbol keeps its sd_ or cs_sd_ prefix. */
#ifndef CS_SYSTEMD_SHIM_H
#define CS_SYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>

#endif
