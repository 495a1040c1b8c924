/*
 * gateway/access_log.h - one line per request ([gateway] access-log).
 *
 * Line format (space-separated; URLs never hold raw spaces, so the line
 * splits on spaces safely):
 *   TIME CLIENT MODE METHOD URL STATUS BYTES DURATIONms [name=value ...]
 * e.g. 2026-11-25T21:00:00.123Z 127.0.0.1:40000 cl GET
 *      http://127.0.0.1:8081/a 200 1234 15ms
 * URL is what the handset asked for; STATUS the HTTP status the handset
 * got; BYTES the Reply body size.  Optional fields follow DURATION, each
 * " name=value" with no space inside, in this order:
 *   upstream=URL2      [mmsc] mapping sent the request to URL2;
 *   redirects=N final=URL3   [upstream] follow-redirects followed N hops
 *                      and URL3 gave the response;
 *   tokens of the MMS summary (gateway/mm1.h: "mms=...", "mms-reply=...",
 *                      "mms-refused=...").
 * Lines without any of these end with the duration.  Parsers should
 * ignore names they do not know.
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

/* One line's fields; NULL / 0 optional fields are left out. */
struct gw_access_rec {
    const struct sockaddr *peer;
    const char *mode;           /* "cl" or "co" */
    const char *method;
    const char *url;            /* as the handset sent it */
    int status;
    size_t bytes;
    uint64_t duration_ms;
    const char *upstream_url;   /* after [mmsc] mapping, NULL: same */
    unsigned redirects;         /* hops followed ... */
    const char *final_url;      /* ... and the URL that answered */
    const char *extra;          /* " token token...": a leading space, no
                                   newline, control octet or raw space */
};

/* Writes one line (nothing when the log is off). */
void gw_access_log_put(struct gw_access_log *a,
    const struct gw_access_rec *r);

/* The basic line, without optional fields. */
void gw_access_log_write(struct gw_access_log *a, const struct sockaddr *peer,
    const char *mode, const char *method, const char *url, int status,
    size_t bytes, uint64_t duration_ms);

/* The basic line plus extra tokens (see struct gw_access_rec). */
void gw_access_log_write_ex(struct gw_access_log *a,
    const struct sockaddr *peer, const char *mode, const char *method,
    const char *url, int status, size_t bytes, uint64_t duration_ms,
    const char *extra);

/* Formats peer as "addr:port" / "[v6]:port". */
void gw_format_addr(char *out, size_t outlen, const struct sockaddr *sa);

#endif /* WSPGW_GATEWAY_ACCESS_LOG_H */
