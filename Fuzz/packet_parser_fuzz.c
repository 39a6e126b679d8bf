/*
 * libFuzzer entry for the capture thread's packet parser: any bytes, under every supported link type, must parse to
 * a status without reading outside the frame (AddressSanitizer) or undefined behaviour (UBSan).
 *
 * Input layout: byte 0 picks the link type, bytes 1-2 shorten or lengthen the wire length relative to the captured
 * length (exercising snap-length truncation and lying lengths), the rest is the frame.
 */
#include "ccapture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const int link_types[] = {1, 113, 276, 12, 228, 229, 0, 108};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    int linktype = link_types[data[0] % (sizeof(link_types) / sizeof(link_types[0]))];
    uint32_t extra = ((uint32_t)data[1] << 8) | data[2];
    uint32_t caplen = (uint32_t)(size - 3);
    /* A private copy sized exactly to caplen, so any overread is caught. */
    uint8_t *frame = caplen ? malloc(caplen) : NULL;
    if (caplen) memcpy(frame, data + 3, caplen);
    cs_packet_info info;
    cs_parse_packet(linktype, frame, caplen, caplen + extra, &info);
    if (info.payload_offset != 0 && info.payload_offset > caplen + extra) abort();
    free(frame);
    return 0;
}
