/*
 * gateway/gw.h - the daemon's context: one per loop (one worker today).
 *
 * Owns the running configuration and every I/O module.  Only gateway/
 * sees this struct; the cores get bytes and "now" through their APIs.
 */
#ifndef WSPGW_GATEWAY_GW_H
#define WSPGW_GATEWAY_GW_H

#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "access_log.h"
#include "bearer.h"
#include "config.h"
#include "http.h"
#include "logsink.h"

struct gw_cl;
struct gw_co;
struct gw_admin;

#define GW_CO_MAX 40    /* >= the bearer's socket cap */

struct gw_stats {
    uint64_t wsp_malformed;     /* undecodable datagrams on the WSP port */
    uint64_t wsp_unexpected;    /* decodable but not a request */
    uint64_t wsp_duplicates;    /* retransmitted request still pending */
    uint64_t wtp_dropped;       /* WTP datagrams dropped (out of memory) */
    uint64_t cl_requests;       /* requests started upstream */
    uint64_t cl_replies;        /* replies sent */
    uint64_t cl_refused;        /* answered by the gateway itself */
};

struct gw {
    uv_loop_t *loop;
    const char *config_path;
    struct gw_config *cfg;          /* running configuration (owned) */
    struct gw_bearer *bearer;
    struct gw_http *http;
    struct gw_cl *cl;
    struct gw_co *co[GW_CO_MAX];    /* one per WTP socket, made on demand */
    unsigned n_co;
    struct gw_admin *admin;
    struct gw_access_log alog;
    struct gw_stats stats;
    struct gw_ratelimit rl_wtp;
    uint64_t started_ms;
};

#endif /* WSPGW_GATEWAY_GW_H */
