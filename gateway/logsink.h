/*
 * gateway/logsink.h - where log lines go, and rate limiting.
 *
 * The daemon logs to stderr in the foreground (one line per event, UTC
 * timestamp, level, subsystem).  gw_ratelimit caps how often a class of
 * line (a malformed datagram from a hostile peer, say) can be written:
 * N lines per window, then one summary of what was suppressed.
 */
#ifndef WSPGW_GATEWAY_LOGSINK_H
#define WSPGW_GATEWAY_LOGSINK_H

#include <stdint.h>

/* Installs the stderr sink into the wspgw_log hook. */
void gw_logsink_install(int level);

struct gw_ratelimit {
    uint64_t window_start_ms;
    unsigned window_ms;
    unsigned burst;
    unsigned used;
    uint64_t suppressed;
};

void gw_ratelimit_init(struct gw_ratelimit *r, unsigned burst,
    unsigned window_ms);

/*
 * Returns 1 if a line may be written now.  When a new window opens after
 * suppression, *suppressed_out receives how many lines were dropped in
 * the previous windows (so the caller can say so), else 0.
 */
int gw_ratelimit_allow(struct gw_ratelimit *r, uint64_t now_ms,
    uint64_t *suppressed_out);

#endif /* WSPGW_GATEWAY_LOGSINK_H */
