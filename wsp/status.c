/*
 * wsp/status.c - WSP status octet <-> HTTP status code.
 *
 * Spec: WAP-230-WSP-20010705-a Appendix A Table 36 "Status Code
 * Assignments" (the 40 codes Wireshark also lists).  Rule of the table:
 * hundreds x 0x10 + rest, with 5xx moved up one row (500 -> 0x60).
 *
 * HTTP codes with no WSP code (429, 451, 507, ...) map to their class
 * base (reference/wsp-headers.md section 10, recommendation): the handset
 * still sees the right class.  Computing them by the formula would give
 * octets that mean nothing (429 -> 0x5D).
 */
#include <stdint.h>

#include "wspgw/wsp.h"

/* WAP-230 Table 36.  XX(wsp octet, http code). */
#define WSP_STATUS_MAP(XX)                                                 \
    XX(0x10, 100) XX(0x11, 101)                                            \
    XX(0x20, 200) XX(0x21, 201) XX(0x22, 202) XX(0x23, 203) XX(0x24, 204)  \
    XX(0x25, 205) XX(0x26, 206)                                            \
    XX(0x30, 300) XX(0x31, 301) XX(0x32, 302) XX(0x33, 303) XX(0x34, 304)  \
    XX(0x35, 305) XX(0x37, 307)                                            \
    XX(0x40, 400) XX(0x41, 401) XX(0x42, 402) XX(0x43, 403) XX(0x44, 404)  \
    XX(0x45, 405) XX(0x46, 406) XX(0x47, 407) XX(0x48, 408) XX(0x49, 409)  \
    XX(0x4A, 410) XX(0x4B, 411) XX(0x4C, 412) XX(0x4D, 413) XX(0x4E, 414)  \
    XX(0x4F, 415) XX(0x50, 416) XX(0x51, 417)                              \
    XX(0x60, 500) XX(0x61, 501) XX(0x62, 502) XX(0x63, 503) XX(0x64, 504)  \
    XX(0x65, 505)


uint8_t
wsp_status_from_http(int http_status)
{
    switch (http_status) {
#define XX(wsp, http) case (http): return (wsp);
    WSP_STATUS_MAP(XX)
#undef XX
    default:
        break;
    }
    if (http_status >= 100 && http_status < 200) {
        return 0x10;
    }
    if (http_status >= 200 && http_status < 300) {
        return 0x20;
    }
    if (http_status >= 300 && http_status < 400) {
        return 0x30;
    }
    if (http_status >= 400 && http_status < 500) {
        return 0x40;
    }
    return 0x60;
}


int
wsp_status_to_http(uint8_t wsp_status)
{
    switch (wsp_status) {
#define XX(wsp, http) case (wsp): return (http);
    WSP_STATUS_MAP(XX)
#undef XX
    default:
        return 0;
    }
}
