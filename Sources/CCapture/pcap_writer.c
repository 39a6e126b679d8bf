/* Writing frames to a pcap file through libpcap's own dumper (pcap_open_dead + pcap_dump). */
#include "ccapture.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

struct cs_writer {
    pcap_t *dead;
    pcap_dumper_t *dumper;
};

int cs_writer_open(const char *path, int linktype, int32_t snaplen, cs_writer **out, char *errbuf,
                   size_t errbuf_size) {
    *out = NULL;
    cs_writer *writer = calloc(1, sizeof(*writer));
    if (writer == NULL) return CS_ERR_NO_MEMORY;
    writer->dead = pcap_open_dead_with_tstamp_precision(linktype, snaplen, PCAP_TSTAMP_PRECISION_MICRO);
    if (writer->dead == NULL) {
        free(writer);
        return CS_ERR_NO_MEMORY;
    }
    writer->dumper = pcap_dump_open(writer->dead, path);
    if (writer->dumper == NULL) {
        snprintf(errbuf, errbuf_size, "cannot write %s: %s", path, pcap_geterr(writer->dead));
        pcap_close(writer->dead);
        free(writer);
        return CS_ERR_IO;
    }
    *out = writer;
    return CS_OK;
}

void cs_writer_write(cs_writer *writer, int64_t usec_since_epoch, const uint8_t *frame, uint32_t caplen,
                     uint32_t wirelen) {
    struct pcap_pkthdr header;
    header.ts.tv_sec = usec_since_epoch / 1000000;
    header.ts.tv_usec = usec_since_epoch % 1000000;
    header.caplen = caplen;
    header.len = wirelen;
    pcap_dump((u_char *)writer->dumper, &header, frame);
}

int cs_writer_close(cs_writer *writer, char *errbuf, size_t errbuf_size) {
    int status = CS_OK;
    if (pcap_dump_flush(writer->dumper) != 0) {
        snprintf(errbuf, errbuf_size, "cannot flush the capture file");
        status = CS_ERR_IO;
    }
    pcap_dump_close(writer->dumper);
    pcap_close(writer->dead);
    free(writer);
    return status;
}
