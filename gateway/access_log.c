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
    const char *mode, const char *method, const char *url,
    const char *upstream_url, int status, size_t bytes,
    uint64_t duration_ms)
{
    char client[80], ts[32];
    struct timeval tv;
    struct tm tm;

    if (a->fp == NULL) {
        return;
    }
    gw_format_addr(client, sizeof(client), peer);
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(a->fp, "%s.%03ldZ %s %s %s %s %d %zu %llums%s%s\n", ts,
        (long) tv.tv_usec / 1000, client, mode, method, url, status, bytes,
        (unsigned long long) duration_ms,
        upstream_url != NULL ? " upstream=" : "",
        upstream_url != NULL ? upstream_url : "");
}
