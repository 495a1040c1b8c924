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
struct gw_ppg;
struct gw_pushq;
struct gw_push_deliver;

#define GW_CO_MAX 40    /* >= the bearer's socket cap */

/*
 * The gateway's counters, one table (libuv's XX-map habit): each row is
 * (field, Prometheus name, help).  The struct and the admin /metrics
 * output are both generated from it, so a counter added here is exported.
 * Feature blocks keep their rows together.
 */
#define GW_STATS_MAP(XX)                                                   \
    XX(wsp_malformed, "wspgw_wsp_malformed_total",                         \
        "undecodable datagrams on the WSP port")                           \
    XX(wsp_unexpected, "wspgw_wsp_unexpected_total",                       \
        "decodable datagrams that are not a request")                      \
    XX(wsp_duplicates, "wspgw_wsp_duplicates_total",                       \
        "retransmitted connectionless requests still pending")             \
    XX(wtp_dropped, "wspgw_wtp_dropped_total",                             \
        "WTP datagrams dropped for lack of memory")                        \
    XX(cl_requests, "wspgw_cl_requests_total",                             \
        "connectionless requests started upstream")                        \
    XX(cl_replies, "wspgw_cl_replies_total",                               \
        "connectionless replies sent")                                     \
    XX(cl_refused, "wspgw_cl_refused_total",                               \
        "connectionless requests answered by the gateway itself")        \
    /* push delivery (issue 6, h/deliver) */                               \
    XX(push_delivered, "wspgw_push_delivered_total",                       \
        "pushes delivered (accepted by the SMSC, receipted, or sent by UDP)") \
    XX(push_failed, "wspgw_push_failed_total",                             \
        "pushes failed for good")                                          \
    XX(push_expired, "wspgw_push_expired_total",                           \
        "pushes expired (deliver-before or max-lifetime passed)")          \
    XX(push_cancelled, "wspgw_push_cancelled_total",                       \
        "pushes cancelled")                                                \
    XX(push_retries, "wspgw_push_retries_total",                           \
        "push attempts rescheduled after a temporary failure")             \
    XX(push_recovered, "wspgw_push_recovered_total",                       \
        "pushes in flight at the last stop, made pending at start")        \
    XX(push_ip_sent, "wspgw_push_ip_sent_total",                           \
        "connectionless pushes sent by UDP to port 2948")                  \
    XX(push_sms_submitted, "wspgw_push_sms_submitted_total",               \
        "SMS (push parts) handed to the SMSC link")                        \
    XX(push_sms_accepted, "wspgw_push_sms_accepted_total",                 \
        "SMS accepted by the SMSC")                                        \
    XX(push_sms_temp_errors, "wspgw_push_sms_temp_errors_total",           \
        "SMS not accepted for the time being (retried)")                   \
    XX(push_sms_perm_errors, "wspgw_push_sms_perm_errors_total",           \
        "SMS refused for good")                                            \
    XX(push_receipts, "wspgw_push_receipts_total",                         \
        "SMSC delivery receipts matched to a push")                        \
    XX(smsc_binds, "wspgw_smsc_binds_total",                               \
        "successful binds (or sendsms links started)")                     \
    XX(smsc_disconnects, "wspgw_smsc_disconnects_total",                   \
        "SMSC connections lost")                                           \
    /* PPG front end (issue 6, h/pap) */                                   \
    XX(ppg_requests, "wspgw_ppg_requests_total",                           \
        "authenticated PAP and /mms-notify requests")                      \
    XX(ppg_accepted, "wspgw_ppg_accepted_total",                           \
        "pushes committed to the queue (1001 / 202 answered)")             \
    XX(ppg_refused, "wspgw_ppg_refused_total",                             \
        "PAP and /mms-notify requests refused after authentication")       \
    XX(ppg_auth_refused, "wspgw_ppg_auth_refused_total",                   \
        "push requests refused for credentials or source address")         \
    XX(ppg_conn_refused, "wspgw_ppg_conn_refused_total",                   \
        "push connections closed at push.max-connections")                 \
    XX(ppg_notify_sent, "wspgw_ppg_notify_sent_total",                     \
        "PAP result notifications delivered to the push initiator")        \
    XX(ppg_notify_failed, "wspgw_ppg_notify_failed_total",                 \
        "PAP result notifications given up (refused, failed, dropped)")    \
    /* WML to WMLC (issue 4, gateway/wmlc.c) */                           \
    XX(wmlc_compiled, "wspgw_wmlc_compiled_total",                         \
        "WML decks compiled to WMLC for the handset")                      \
    XX(wmlc_failed, "wspgw_wmlc_failed_total",                             \
        "WML decks that did not compile (the handset got a 502)")

struct gw_stats {
#define XX(field, name, help) uint64_t field;
    GW_STATS_MAP(XX)
#undef XX
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
    struct gw_ppg *ppg;             /* [push] listen, NULL when off */
    struct gw_access_log alog;
    struct gw_stats stats;
    struct gw_ratelimit rl_wtp;
    uint64_t started_ms;
    /* push delivery (issue 6, h/deliver): NULL when [push] queue is "" */
    struct gw_pushq *pushq;         /* the front end adds pushes here */
    struct gw_push_deliver *pushd;
};

#endif /* WSPGW_GATEWAY_GW_H */
