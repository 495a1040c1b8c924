/*
 * gateway/access_log.c - the access log (see access_log.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "access_log.h"


int
gw_access_log_open(struct gw_access_log *a, const char *path)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->path, sizeof(a->path), "%s", path);
    if (path[0] == '\0') {
        return 0;
    }
    if (strcmp(path, "-") == 0) {
        a->fp = stderr;
        a->is_stderr = 1;
        return 0;
    }
    a->fp = fopen(path, "a");
    if (a->fp == NULL) {
        return -1;
    }
    setvbuf(a->fp, NULL, _IOLBF, 0);
    return 0;
}


void
gw_access_log_close(struct gw_access_log *a)
{
    if (a->fp != NULL && !a->is_stderr) {
        fclose(a->fp);
    }
    a->fp = NULL;
}


void
gw_format_addr(char *out, size_t outlen, const struct sockaddr *sa)
{
    char host[INET6_ADDRSTRLEN];

    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *) sa;

        inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
        snprintf(out, outlen, "[%s]:%u", host, ntohs(s6->sin6_port));
    } else if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *) sa;

        inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
        snprintf(out, outlen, "%s:%u", host, ntohs(s4->sin_port));
    } else {
        snprintf(out, outlen, "?");
    }
}


void
gw_access_log_write(struct gw_access_log *a, const struct sockaddr *peer,
    const char *mode, const char *method, const char *url, int status,
    size_t bytes, uint64_t duration_ms)
{
    gw_access_log_write_ex(a, peer, mode, method, url, status, bytes,
        duration_ms, NULL);
}


void
gw_access_log_write_ex(struct gw_access_log *a, const struct sockaddr *peer,
    const char *mode, const char *method, const char *url, int status,
    size_t bytes, uint64_t duration_ms, const char *extra)
{
    struct gw_access_rec r;

    memset(&r, 0, sizeof(r));
    r.peer = peer;
    r.mode = mode;
    r.method = method;
    r.url = url;
    r.status = status;
    r.bytes = bytes;
    r.duration_ms = duration_ms;
    r.extra = extra;
    gw_access_log_put(a, &r);
}


void
gw_access_log_put(struct gw_access_log *a, const struct gw_access_rec *r)
{
    char client[80], ts[32], hops[40];
    struct timeval tv;
    struct tm tm;
    int has_hops = r->redirects > 0 && r->final_url != NULL;

    if (a->fp == NULL) {
        return;
    }
    gw_format_addr(client, sizeof(client), r->peer);
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    hops[0] = '\0';
    if (has_hops) {
        snprintf(hops, sizeof(hops), " redirects=%u final=", r->redirects);
    }
    fprintf(a->fp, "%s.%03ldZ %s %s %s %s %d %zu %llums%s%s%s%s%s\n", ts,
        (long) tv.tv_usec / 1000, client, r->mode, r->method, r->url,
        r->status, r->bytes, (unsigned long long) r->duration_ms,
        r->upstream_url != NULL ? " upstream=" : "",
        r->upstream_url != NULL ? r->upstream_url : "",
        hops, has_hops ? r->final_url : "",
        r->extra != NULL ? r->extra : "");
}
