/*
 * gateway/access_log.h - one line per request ([gateway] access-log).
 *
 * Line format (space-separated, URL last-but-two so it may be split on
 * spaces safely because URLs are sent without raw spaces):
 *   TIME CLIENT MODE METHOD URL STATUS BYTES DURATIONms
 * e.g. 2026-11-25T21:00:00.123Z 127.0.0.1:40000 cl GET
 *      http://127.0.0.1:8081/a 200 1234 15ms
 * STATUS is the HTTP status the handset got; BYTES the Reply body size.
 * Optional tokens may follow DURATION (after the redirect fields
 * below, when there are any), each " name=value" with no space
 * inside (gw_access_log_write_ex): MMS summaries (gateway/mm1.h,
 * "mms=...", "mms-reply=...", "mms-refused=...").  Parsers should ignore
 * tokens they do not know.
 *
 * When [upstream] follow-redirects followed redirects for the request,
 * two fields follow: "redirects=N final=URL", N the hops followed and
 * URL the one that gave the response (so URL stays the one the handset
 * asked for), e.g.
 *   ... GET http://127.0.0.1:8081/login 200 1234 15ms redirects=2
 *       final=http://127.0.0.1:8081/home
 * Lines without redirects are unchanged.
 */
#ifndef WSPGW_GATEWAY_ACCESS_LOG_H
#define WSPGW_GATEWAY_ACCESS_LOG_H

#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

struct gw_access_log {
    FILE *fp;           /* NULL: off */
    int is_stderr;
    char path[1024];
};

/* Opens path ("" off, "-" stderr) for appending.  0 or -1 (errno). */
int gw_access_log_open(struct gw_access_log *a, const char *path);
void gw_access_log_close(struct gw_access_log *a);

void gw_access_log_write(struct gw_access_log *a, const struct sockaddr *peer,
    const char *mode, const char *method, const char *url, int status,
    size_t bytes, uint64_t duration_ms);

/* As gw_access_log_write, then extra (NULL or "": nothing) appended as
 * it is: the caller makes it " token token..." with a leading space and
 * no newline, control octet or other raw space. */
void gw_access_log_write_ex(struct gw_access_log *a,
    const struct sockaddr *peer, const char *mode, const char *method,
    const char *url, int status, size_t bytes, uint64_t duration_ms,
    const char *extra);
/* The same, with the redirects followed and the final URL (both fields
 * are written only when redirects > 0 and final_url is not NULL). */
void gw_access_log_write_hops(struct gw_access_log *a,
    const struct sockaddr *peer, const char *mode, const char *method,
    const char *url, int status, size_t bytes, uint64_t duration_ms,
    unsigned redirects, const char *final_url);

/* Both: the redirect fields, then the extra tokens. */
void gw_access_log_write_full(struct gw_access_log *a,
    const struct sockaddr *peer, const char *mode, const char *method,
    const char *url, int status, size_t bytes, uint64_t duration_ms,
    unsigned redirects, const char *final_url, const char *extra);

/* Formats peer as "addr:port" / "[v6]:port". */
void gw_format_addr(char *out, size_t outlen, const struct sockaddr *sa);

#endif /* WSPGW_GATEWAY_ACCESS_LOG_H */
