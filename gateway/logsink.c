/*
 * gateway/logsink.c - the stderr log sink and the rate limiter.
 */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "wspgw/log.h"
#include "logsink.h"


static void
stderr_sink(void *ctx, int level, int subsys, const char *msg)
{
    struct timeval tv;
    struct tm tm;
    char ts[32];

    /* Wall-clock time is for people reading the log; protocol timing
     * uses uv_now() and never this. */
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ [%s] %s: %s\n", ts, (long) tv.tv_usec / 1000,
        wspgw_log_level_name(level), wspgw_log_subsys_name(subsys), msg);
}


void
gw_logsink_install(int level)
{
    setvbuf(stderr, NULL, _IOLBF, 0);
    wspgw_log_set_sink(stderr_sink, NULL);
    wspgw_log_set_level(level);
}


void
gw_ratelimit_init(struct gw_ratelimit *r, unsigned burst, unsigned window_ms)
{
    r->window_start_ms = 0;
    r->window_ms = window_ms;
    r->burst = burst;
    r->used = 0;
    r->suppressed = 0;
}


int
gw_ratelimit_allow(struct gw_ratelimit *r, uint64_t now_ms,
    uint64_t *suppressed_out)
{
    *suppressed_out = 0;
    if (r->used == 0 || now_ms - r->window_start_ms >= r->window_ms) {
        r->window_start_ms = now_ms;
        r->used = 0;
        *suppressed_out = r->suppressed;
        r->suppressed = 0;
    }
    if (r->used < r->burst) {
        r->used++;
        return 1;
    }
    r->suppressed++;
    return 0;
}
