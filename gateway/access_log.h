/*
 * gateway/access_log.h - one line per request ([gateway] access-log).
 *
 * Line format (space-separated; URLs never hold raw spaces, so the line
 * splits on spaces safely):
 *   TIME CLIENT MODE METHOD URL STATUS BYTES DURATIONms [upstream=URL2]
 * e.g. 2026-11-25T21:00:00.123Z 127.0.0.1:40000 cl GET
 *      http://127.0.0.1:8081/a 200 1234 15ms
 * URL is what the handset asked for; when [mmsc] mapping sent the
 * request elsewhere, the trailing upstream=URL2 names where.
 * STATUS is the HTTP status the handset got; BYTES the Reply body size.
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
    const char *mode, const char *method, const char *url,
    const char *upstream_url, int status, size_t bytes,
    uint64_t duration_ms);

/* Formats peer as "addr:port" / "[v6]:port". */
void gw_format_addr(char *out, size_t outlen, const struct sockaddr *sa);

#endif /* WSPGW_GATEWAY_ACCESS_LOG_H */
