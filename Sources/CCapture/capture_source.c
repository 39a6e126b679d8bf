/*
 * Where packets come from, as Suricata's source-pcap.c and source-nfq.c: the live loop (pcap or a netfilter queue,
 * polled with a timeout that ends at the next interval boundary), the offline loop, and the offline pipeline whose
 * reader thread reads and classifies while the capture thread accounts.
 */
#include "capture_internal.h"
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <time.h>

#define DISPATCH_BATCH 512

static void finish(cs_capture *c, int error, const char *message) {
    c->finishing = true;
    if (c->interval_started) cs_close_interval(c);
    else cs_publish_stats(c);
    c->finish_error = error;
    if (message != NULL) snprintf(c->finish_message, sizeof(c->finish_message), "%s", message);
    atomic_store_explicit(&c->finished, 1, memory_order_release);
    cs_signal_fd(c->wake_fd);
}

/* Why a file's reading stopped: end of file, a stop, or an error libpcap reported (truncated files named). */
static int offline_status(cs_capture *c, int n, const char **message) {
    *message = NULL;
    if (n != PCAP_ERROR) return CS_OK;
    *message = pcap_geterr(c->pcap);
    return strstr(*message, "truncated") != NULL ? CS_ERR_TRUNCATED_FILE : CS_ERR_IO;
}

static void run_offline(cs_capture *c) {
    for (;;) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            finish(c, CS_OK, NULL);
            return;
        }
        int n = pcap_dispatch(c->pcap, DISPATCH_BATCH, cs_handle_packet, (u_char *)c);
        if (n == 0 || n == PCAP_ERROR || n == PCAP_ERROR_BREAK) {
            const char *message;
            int status = offline_status(c, n, &message);
            finish(c, status, message);
            return;
        }
    }
}

/* A wait of a thread of the offline pipeline for the other: the ring is full or empty. */
static void pipeline_pause(void) {
    struct timespec pause = {0, 20000};
    nanosleep(&pause, NULL);
}

/* Room for an entry in the reader's ring, waiting for the capture thread; NULL when a stop was asked. */
static cs_ring_entry *reader_reserve(cs_capture *c, uint32_t size) {
    cs_ring_entry *entry;
    while ((entry = cs_packet_ring_reserve(&c->packets, size)) == NULL) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) return NULL;
        pipeline_pause();
    }
    return entry;
}

/* The reader thread's pcap callback: classifies the frame and hands it over, with its bytes when a local host's
 * inspection may read them. */
static void read_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    cs_capture *c = (cs_capture *)user;
    /* Room for the whole frame, classified in place; the entry shrinks to its header when no local host needs it. */
    cs_ring_entry *entry = reader_reserve(c, cs_ring_entry_size(header->caplen));
    if (entry == NULL) {
        pcap_breakloop(c->pcap);
        return;
    }
    classify(c, bytes, header->caplen, header->len, &entry->packet);
    uint32_t frame_length = entry->packet.source_local || entry->packet.destination_local ? header->caplen : 0;
    entry->size = cs_ring_entry_size(frame_length);
    entry->kind = CS_ENTRY_PACKET;
    entry->usec = (int64_t)header->ts.tv_sec * 1000000 + (int64_t)header->ts.tv_usec;
    entry->frame_length = frame_length;
    memcpy(entry + 1, bytes, frame_length);
    cs_packet_ring_commit(&c->packets, entry);
}

static void *reader_main(void *argument) {
    cs_capture *c = argument;
    pthread_setname_np(pthread_self(), "cs-reader");  /* named before its first packet, for profiles and top -H */
    int n;
    do {
        n = pcap_dispatch(c->pcap, DISPATCH_BATCH, read_packet, (u_char *)c);
    } while (n > 0);
    const char *message;
    c->reader_error = offline_status(c, n, &message);
    if (message != NULL) snprintf(c->reader_message, sizeof(c->reader_message), "%s", message);
    cs_ring_entry *end = reader_reserve(c, cs_ring_entry_size(0));
    if (end != NULL) {
        end->size = cs_ring_entry_size(0);
        end->kind = CS_ENTRY_END;
        cs_packet_ring_commit(&c->packets, end);
    }
    return NULL;
}

/* Offline replay on two CPUs: the reader thread reads and classifies, this thread accounts in the file's order. */
/*
 * Puts the capture thread and the reader on two different CPUs of those the process may use (the capture thread on
 * its configured one, if any): left to the scheduler, the two sometimes shared one CPU for a whole replay, each
 * waiting for the other, and a replay took up to a third longer than when they ran side by side.
 */
static void separate_cpus(const cs_capture *c, pthread_attr_t *reader_attributes) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return;
    int capture_cpu = c->config.cpu, reader_cpu = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (capture_cpu < 0) capture_cpu = cpu;
        else if (cpu != capture_cpu) {
            reader_cpu = cpu;
            break;
        }
    }
    if (reader_cpu < 0) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(capture_cpu, &one);
    if (c->config.cpu < 0) pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
    CPU_ZERO(&one);
    CPU_SET(reader_cpu, &one);
    pthread_attr_setaffinity_np(reader_attributes, sizeof(one), &one);
}

static void run_offline_pipelined(cs_capture *c) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    separate_cpus(c, &attributes);
    int status = pthread_create(&c->reader, &attributes, reader_main, c);
    pthread_attr_destroy(&attributes);
    if (status != 0) {
        run_offline(c);
        return;
    }
    int error = CS_OK;
    const char *message = NULL;
    for (;;) {
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) break;
        const cs_ring_entry *entry = cs_packet_ring_peek(&c->packets);
        if (entry == NULL) {
            pipeline_pause();
            continue;
        }
        if (entry->kind == CS_ENTRY_END) {
            error = c->reader_error;
            message = c->reader_message[0] != '\0' ? c->reader_message : NULL;
            break;
        }
        cs_count_classified(c, entry->usec, &entry->packet, (const uint8_t *)(entry + 1), entry->frame_length, NULL);
        cs_packet_ring_release(&c->packets, entry);
    }
    /* After a stop the reader returns once the ring is full, or at cs_capture_stop's pcap_breakloop. */
    pthread_join(c->reader, NULL);
    finish(c, error, message);
}

int64_t cs_realtime_usec(const cs_capture *c) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000 + c->clock_offset;
}

/* Reads what is waiting on a live source; returns false after finishing the capture on a read error. */
typedef bool (*cs_read_ready)(cs_capture *c);

/* How long the live loop may wait before it must read again whatever the descriptor says, in milliseconds; -1 for no
 * limit. */
typedef int (*cs_required_wait)(cs_capture *c);

/*
 * After an ENETDOWN libpcap cannot yet tell an interface taken down from one deleted: the socket's error is consumed
 * by the first read, the deletion that follows wakes nothing, and libpcap learns it only when called again
 * (pcap_get_required_select_timeout). A loop that reads only when the descriptor wakes it missed a deletion whenever
 * the first read came before the interface was gone (or the interface was taken down before it was deleted), and
 * captured nothing from then on. libpcap asks to be called every 1 ms; every 20 ms notices a deletion within 20 ms and
 * keeps an interface that is merely down from waking the thread a thousand times a second.
 */
static int pcap_required_wait(cs_capture *c) {
    const struct timeval *required = pcap_get_required_select_timeout(c->pcap);
    if (required == NULL) return -1;
    int64_t ms = ((int64_t)required->tv_sec * 1000000 + required->tv_usec + 999) / 1000;
    return ms < 20 ? 20 : (int)ms;
}

static bool read_pcap(cs_capture *c) {
    int n;
    do {
        n = pcap_dispatch(c->pcap, DISPATCH_BATCH, cs_handle_packet, (u_char *)c);
    } while (n == DISPATCH_BATCH);
    if (n == PCAP_ERROR) {
        finish(c, CS_ERR_IO, pcap_geterr(c->pcap));
        return false;
    }
    return true;
}

static bool read_queue(cs_capture *c) {
    if (cs_queue_dispatch(c->queue) == CS_OK) return true;
    char message[128];
    snprintf(message, sizeof(message), "reading the netfilter queue failed: %s", strerror(errno));
    finish(c, CS_ERR_IO, message);
    return false;
}

/* The live loop for either source: poll its descriptor and the stop eventfd with a timeout that ends at the next
 * interval boundary of CLOCK_REALTIME, so intervals close on time even when nothing arrives. */
static void run_clocked(cs_capture *c, int descriptor, cs_read_ready read_ready, cs_required_wait required_wait) {
    c->current_interval = interval_of(c, cs_realtime_usec(c));
    c->interval_started = true;
    for (;;) {
        c->clock_offset = atomic_load_explicit(&c->pending_clock_offset, memory_order_relaxed);
        int64_t now = cs_realtime_usec(c);
        int64_t now_interval = interval_of(c, now);
        if (now_interval > c->current_interval) cs_advance_to(c, now_interval);
        if (atomic_load_explicit(&c->stop_requested, memory_order_relaxed)) {
            finish(c, CS_OK, NULL);
            return;
        }
        int64_t next_boundary = (c->current_interval + 1) * (int64_t)c->config.interval_usec;
        int timeout_ms = (int)((next_boundary - now + 999) / 1000);
        if (timeout_ms < 1) timeout_ms = 1;
        int required_ms = required_wait != NULL ? required_wait(c) : -1;
        if (required_ms >= 0 && required_ms < timeout_ms) timeout_ms = required_ms;
        struct pollfd fds[2] = {{.fd = descriptor, .events = POLLIN}, {.fd = c->stop_fd, .events = POLLIN}};
        int ready = poll(fds, 2, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            char message[128];
            snprintf(message, sizeof(message), "poll on the capture descriptor failed: %s", strerror(errno));
            finish(c, CS_ERR_IO, message);
            return;
        }
        bool readable = ready > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP));
        if ((readable || (ready == 0 && required_ms >= 0)) && !read_ready(c)) return;
    }
}

void *cs_capture_main(void *argument) {
    cs_capture *c = argument;
    pthread_setname_np(pthread_self(), "cs-capture");
    if (c->queue != NULL) run_clocked(c, cs_queue_fd(c->queue), read_queue, NULL);
    else if (c->live) run_clocked(c, pcap_get_selectable_fd(c->pcap), read_pcap, pcap_required_wait);
    else if (c->pipelined) run_offline_pipelined(c);
    else run_offline(c);
    return NULL;
}

int cs_open_live(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size) {
    char pcap_error[PCAP_ERRBUF_SIZE] = "";
    c->pcap = pcap_create(config->device, pcap_error);
    if (c->pcap == NULL) {
        cs_set_error(errbuf, size, "cannot open %s: %s", config->device, pcap_error);
        return CS_ERR_IO;
    }
    pcap_set_snaplen(c->pcap, config->snaplen);
    pcap_set_promisc(c->pcap, config->promiscuous ? 1 : 0);
    pcap_set_immediate_mode(c->pcap, config->immediate ? 1 : 0);
    pcap_set_timeout(c->pcap, 100);
    pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_MICRO);
    if (config->buffer_size > 0) pcap_set_buffer_size(c->pcap, config->buffer_size);
    int status = pcap_activate(c->pcap);
    if (status < 0) {
        const char *detail = pcap_geterr(c->pcap);
        switch (status) {
        case PCAP_ERROR_PERM_DENIED:
            cs_set_error(errbuf, size, "capture on %s needs CAP_NET_RAW (run as root or grant the capability): %s",
                      config->device, detail);
            return CS_ERR_PERMISSION;
        case PCAP_ERROR_NO_SUCH_DEVICE:
            cs_set_error(errbuf, size, "no such interface %s (see `ip link`): %s", config->device, detail);
            return CS_ERR_NO_SUCH_DEVICE;
        case PCAP_ERROR_IFACE_NOT_UP:
            cs_set_error(errbuf, size, "interface %s is down (`ip link set %s up`)", config->device, config->device);
            return CS_ERR_INTERFACE_DOWN;
        default:
            cs_set_error(errbuf, size, "cannot capture on %s: %s", config->device,
                      detail[0] ? detail : pcap_statustostr(status));
            return CS_ERR_IO;
        }
    }
    if (pcap_setnonblock(c->pcap, 1, pcap_error) != 0) {
        cs_set_error(errbuf, size, "cannot make capture on %s non-blocking: %s", config->device, pcap_error);
        return CS_ERR_IO;
    }
    return CS_OK;
}

int cs_open_file(cs_capture *c, const cs_capture_config *config, char *errbuf, size_t size) {
    char pcap_error[PCAP_ERRBUF_SIZE] = "";
    FILE *file = fopen(config->file, "rb");
    if (file == NULL) {
        cs_set_error(errbuf, size, "cannot read %s: %s", config->file, strerror(errno));
        return CS_ERR_IO;
    }
    enum { READ_BUFFER_SIZE = 1 << 20 };
    c->read_buffer = malloc(READ_BUFFER_SIZE);
    if (c->read_buffer != NULL) setvbuf(file, c->read_buffer, _IOFBF, READ_BUFFER_SIZE);
    /* One thread at a time reads the file (this one opens it, the capture thread reads it after pthread_create), so
     * libpcap's two freads per packet need not take the stream's lock. */
    __fsetlocking(file, FSETLOCKING_BYCALLER);
    c->pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, pcap_error);
    if (c->pcap == NULL) {
        fclose(file);
        cs_set_error(errbuf, size, "%s is not a pcap or pcapng capture file (%s)", config->file, pcap_error);
        return CS_ERR_NOT_CAPTURE_FILE;
    }
    return CS_OK;
}
