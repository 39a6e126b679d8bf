/*
 * libnetfilter_queue (Debian: libnetfilter-queue-dev), for the capture engine's NFQUEUE source in CCapture. Only C
 * code uses it; this target exists so SwiftPM finds the library through pkg-config and names the package to install.
 */
#ifndef CS_NETFILTER_QUEUE_SHIM_H
#define CS_NETFILTER_QUEUE_SHIM_H

#include <stdint.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#endif
