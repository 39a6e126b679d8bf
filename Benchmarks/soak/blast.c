/*
 * The soak and flood benchmarks' traffic: Ethernet frames written to an interface with an AF_PACKET socket
 * (sendmmsg, 64 frames a call) at a fixed rate, from a population of local hosts that changes as it runs.
 *
 * steady: HOSTS local hosts (10.0.0.0/8), each with one long-lived TCP connection to its own remote host
 *   (198.18.0.0/15, port 443) and a DNS query now and then; every second CHURN of them are replaced by new ones
 *   (the oldest go silent and expire in the sensor; new addresses appear). Sequence numbers advance with the data.
 * flood: every frame a SYN from a new source port, and every FLOOD_NEW_SOURCE-th frame from a source address never
 *   seen before: the worst case for the host and flow tables.
 *
 * One host, 10.255.0.1, speaks clear-text stratum to 198.18.255.1:3333 from second MINER_START on (a login, then a
 * share a second): the alert it raises measures alert latency under load.
 *
 * Written by hand because tcpreplay replays a file: it cannot change the host population while it runs, and a file
 * of thirty minutes at 100,000 packets/s would take 12 GB.
 *
 *   cc -O2 -o blast blast.c && blast IFACE PPS SECONDS [steady|flood] [HOSTS] [CHURN] [MINER_START]
 * Prints one line a second (frames sent, rate) and a summary line: "sent N frames in S s (R/s), ..."
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME_MAX 256
#define FLOOD_NEW_SOURCE 16

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint16_t checksum(const uint8_t *data, size_t length) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < length; i += 2) sum += (uint32_t)(data[i] << 8 | data[i + 1]);
    if (length & 1) sum += (uint32_t)data[length - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* One IPv4 frame: Ethernet, IP (checksummed), TCP or UDP header (ports, sequence, flags), payload. */
static size_t frame(uint8_t *out, uint32_t src, uint32_t dst, uint8_t protocol, uint16_t sport, uint16_t dport,
                    uint32_t seq, uint8_t flags, const void *payload, size_t payload_length) {
    static const uint8_t macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    memcpy(out, macs, 12);
    out[12] = 0x08; out[13] = 0x00;
    uint8_t *ip = out + 14;
    size_t l4 = protocol == 6 ? 20 : 8;
    size_t total = 20 + l4 + payload_length;
    memset(ip, 0, 20);
    ip[0] = 0x45; ip[2] = (uint8_t)(total >> 8); ip[3] = (uint8_t)total; ip[6] = 0x40; ip[8] = 64; ip[9] = protocol;
    uint32_t s = htonl(src), d = htonl(dst);
    memcpy(ip + 12, &s, 4); memcpy(ip + 16, &d, 4);
    uint16_t sum = checksum(ip, 20);
    ip[10] = (uint8_t)(sum >> 8); ip[11] = (uint8_t)sum;
    uint8_t *h = ip + 20;
    memset(h, 0, l4);
    h[0] = (uint8_t)(sport >> 8); h[1] = (uint8_t)sport; h[2] = (uint8_t)(dport >> 8); h[3] = (uint8_t)dport;
    if (protocol == 6) {
        h[4] = (uint8_t)(seq >> 24); h[5] = (uint8_t)(seq >> 16); h[6] = (uint8_t)(seq >> 8); h[7] = (uint8_t)seq;
        h[12] = 0x50; h[13] = flags; h[14] = 0xff; h[15] = 0xff;
    } else {
        h[4] = (uint8_t)((8 + payload_length) >> 8); h[5] = (uint8_t)(8 + payload_length);
    }
    memcpy(h + l4, payload, payload_length);
    return 14 + total;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s IFACE PPS SECONDS [steady|flood] [HOSTS] [CHURN] [MINER_START]\n", argv[0]);
        return 2;
    }
    const char *interface = argv[1];
    double pps = atof(argv[2]), seconds = atof(argv[3]);
    int flood = argc > 4 && strcmp(argv[4], "flood") == 0;
    uint32_t hosts = argc > 5 ? (uint32_t)atoi(argv[5]) : 10000;
    double churn = argc > 6 ? atof(argv[6]) : 10;
    double miner_start = argc > 7 ? atof(argv[7]) : -1;
    if (pps <= 0 || seconds <= 0 || hosts == 0 || hosts > 1000000) {
        fprintf(stderr, "blast: PPS and SECONDS must be positive and HOSTS between 1 and 1000000\n");
        return 2;
    }
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("blast: socket(AF_PACKET) (needs CAP_NET_RAW)"); return 1; }
    struct sockaddr_ll link = {.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(interface)};
    if (link.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&link, sizeof link) < 0) {
        fprintf(stderr, "blast: interface %s: %s\n", interface, strerror(errno));
        return 1;
    }
    /* slot -> host number; host number n is 10.(n / 65536 % 256).(n / 256 % 256).(n % 256 + ...) in 10.0.0.0/8,
     * skipping 10.255.0.0/16 (the miner's). */
    uint32_t *slot = malloc(sizeof(uint32_t) * hosts);
    uint32_t *sequence = calloc(hosts, sizeof(uint32_t));
    if (!slot || !sequence) { fprintf(stderr, "blast: out of memory\n"); return 1; }
    for (uint32_t i = 0; i < hosts; i++) slot[i] = i + 1;
    uint32_t next_host = hosts + 1, oldest = 0, flood_source = 0x0a000001;
    uint8_t frames[BATCH][FRAME_MAX];
    struct iovec vectors[BATCH];
    struct mmsghdr messages[BATCH];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < BATCH; i++) {
        vectors[i].iov_base = frames[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    static const char stratum_login[] =
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"soakwallet\",\"pass\":\"x\","
        "\"agent\":\"XMRig/6.21.0\"}}\n";
    static const char stratum_submit[] =
        "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"1\",\"job_id\":\"7\","
        "\"nonce\":\"0badf00d\",\"result\":\"00\"}}\n";
    static const uint8_t payload[64] = {0x17, 0x03, 0x03, 0x00, 0x3b}; /* a TLS application-data record */
    uint64_t start = now_ns(), total = 0, failed = 0, last_report = start, reported = 0;
    uint64_t interval_ns = (uint64_t)(1e9 * BATCH / pps), next_batch = start;
    double churn_owed = 0, last_churn = 0;
    uint32_t miner_seq = 1, miner_sent = 0, rng = 2463534242u;
    uint64_t replaced = 0;
    for (;;) {
        uint64_t now = now_ns();
        double elapsed = (double)(now - start) / 1e9;
        if (elapsed >= seconds) break;
        if (!flood) {
            churn_owed += (elapsed - last_churn) * churn;
            last_churn = elapsed;
            while (churn_owed >= 1) {
                slot[oldest] = next_host++;
                sequence[oldest] = 0;
                oldest = (oldest + 1) % hosts;
                churn_owed -= 1;
                replaced++;
            }
        }
        for (int i = 0; i < BATCH; i++) {
            size_t length;
            rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
            if (miner_start >= 0 && elapsed >= miner_start && i == 0 && miner_sent < (uint32_t)(elapsed - miner_start) + 1) {
                const char *message = miner_sent == 0 ? stratum_login : stratum_submit;
                size_t message_length = strlen(message);
                length = frame(frames[i], 0x0aff0001, 0xc612ff01, 6, 40000, 3333, miner_seq, 0x18, message,
                               message_length);
                miner_seq += (uint32_t)message_length;
                miner_sent++;
            } else if (flood) {
                if (total % FLOOD_NEW_SOURCE == 0) flood_source = 0x0a000001 + (uint32_t)(total / FLOOD_NEW_SOURCE % 0xfeffff);
                length = frame(frames[i], flood_source, 0xc6120000 | (rng & 0xffff), 6,
                               (uint16_t)(1024 + (total + (uint64_t)i) % 60000), 443, rng, 0x02, NULL, 0);
            } else {
                uint32_t s = rng % hosts, n = slot[s];
                uint32_t local = 0x0a000000 | (n % 0xfeffff + 1);
                uint32_t remote = 0xc6120000 | (n % 0x1ffff);
                if ((rng >> 20) % 64 == 0) {
                    static const uint8_t query[] = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x', 'a', 'm',
                                                    'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
                    length = frame(frames[i], local, 0xc612fffe, 17, (uint16_t)(20000 + n % 40000), 53, 0, 0, query,
                                   sizeof query);
                } else {
                    size_t size = 5 + (rng >> 8) % 59;
                    length = frame(frames[i], local, remote, 6, (uint16_t)(20000 + n % 40000), 443, sequence[s],
                                   0x18, payload, size);
                    sequence[s] += (uint32_t)size;
                }
            }
            vectors[i].iov_len = length;
        }
        int sent = sendmmsg(fd, messages, BATCH, 0);
        if (sent < 0) { failed += BATCH; if (errno != ENOBUFS && errno != EAGAIN) { perror("blast: sendmmsg"); return 1; } }
        else { total += (uint64_t)sent; failed += (uint64_t)(BATCH - sent); }
        if (now - last_report >= 1000000000ull) {
            fprintf(stderr, "blast: %.0f s, %llu frames, %.0f/s\n", elapsed, (unsigned long long)total,
                    (double)(total - reported) * 1e9 / (double)(now - last_report));
            last_report = now;
            reported = total;
        }
        next_batch += interval_ns;
        uint64_t after = now_ns();
        if (next_batch > after) {
            struct timespec pause = {.tv_sec = (time_t)((next_batch - after) / 1000000000ull),
                                     .tv_nsec = (long)((next_batch - after) % 1000000000ull)};
            nanosleep(&pause, NULL);
        }
    }
    double elapsed = (double)(now_ns() - start) / 1e9;
    printf("sent %llu frames in %.1f s (%.0f/s), %llu not sent, %llu hosts replaced, %u miner messages\n",
           (unsigned long long)total, elapsed, (double)total / elapsed, (unsigned long long)failed,
           (unsigned long long)replaced, miner_sent);
    return 0;
}
