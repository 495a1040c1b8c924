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
#include "enrich.h"
#include "http.h"
#include "logsink.h"
#include "mm1.h"

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
        "connectionless requests answered by the gateway itself")           \
    /* WML to WMLC (issue 4, gateway/wmlc.c) */                           \
    XX(wmlc_compiled, "wspgw_wmlc_compiled_total",                         \
        "WML decks compiled to WMLC for the handset")                      \
    XX(wmlc_failed, "wspgw_wmlc_failed_total",                             \
        "WML decks that did not compile (the handset got a 502)")          \
    /* cookie jar per WSP session (issue 4) */                             \
    XX(cookie_jars_created, "wspgw_cookie_jars_created_total",             \
        "session cookie jars created (jars alive = created - freed)")      \
    XX(cookie_jars_freed, "wspgw_cookie_jars_freed_total",                 \
        "session cookie jars freed (session ended or gateway stopped)")    \
    XX(cookie_jars_refused, "wspgw_cookie_jars_refused_total",             \
        "jars not created: max-sessions jars exist, or out of memory")     \
    XX(cookies_stored, "wspgw_cookies_stored_total",                       \
        "Set-Cookie headers filed in a session jar (stored or deleted)")   \
    XX(cookies_rejected, "wspgw_cookies_rejected_total",                   \
        "Set-Cookie headers refused (malformed, foreign domain, caps)")    \
    XX(cookies_evicted, "wspgw_cookies_evicted_total",                     \
        "cookies evicted from a full session jar")                         \
    XX(cookie_requests, "wspgw_cookie_requests_total",                     \
        "upstream requests (hops included) given cookies from a jar")      \
    /* routing (issue 5) */                                                \
    XX(clients_denied, "wspgw_clients_denied_total",                       \
        "datagrams dropped unanswered by allow-client/deny-client")        \
    XX(urls_mapped, "wspgw_urls_mapped_total",                             \
        "requests whose URL [mmsc] mapping rewrote")                       \
    XX(upstream_forbidden, "wspgw_upstream_forbidden_total",               \
        "requests refused by the upstream allow list (no connection)")     \
    /* ---- header enrichment and RADIUS accounting (issue 5) ---- */     \
    XX(radius_start, "wspgw_radius_acct_start_total",                      \
        "accepted RADIUS Accounting-Requests with Acct-Status-Type Start") \
    XX(radius_interim, "wspgw_radius_acct_interim_total",                  \
        "accepted RADIUS Accounting-Requests, Interim-Update")             \
    XX(radius_stop, "wspgw_radius_acct_stop_total",                        \
        "accepted RADIUS Accounting-Requests, Stop")                       \
    XX(radius_on_off, "wspgw_radius_acct_on_off_total",                    \
        "accepted RADIUS Accounting-On/Off (the NAS's mappings cleared)")  \
    XX(radius_other, "wspgw_radius_acct_other_total",                      \
        "accepted RADIUS Accounting-Requests of another status (ignored)") \
    XX(radius_bad_auth, "wspgw_radius_bad_authenticator_total",            \
        "RADIUS requests dropped: Request Authenticator wrong")            \
    XX(radius_malformed, "wspgw_radius_malformed_total",                   \
        "RADIUS datagrams dropped: malformed or not Accounting-Request")   \
    XX(radius_duplicates, "wspgw_radius_duplicates_total",                 \
        "RADIUS retransmissions answered again without side effects")      \
    XX(radius_responses, "wspgw_radius_responses_total",                   \
        "RADIUS Accounting-Responses sent")                                \
    XX(radius_unmapped, "wspgw_radius_unmapped_total",                     \
        "accepted Start/Interim/Stop that changed no mapping (no address " \
        "or MSISDN, or a Stop for another session)")                       \
    XX(radius_unrecorded, "wspgw_radius_unrecorded_total",                 \
        "RADIUS requests not answered: the change could not be recorded "  \
        "(table full, out of memory, state write failed)")                 \
    XX(radius_forwarded, "wspgw_radius_forwarded_total",                   \
        "accounting requests copied to radius-forward")                    \
    XX(radius_forward_answers, "wspgw_radius_forward_answers_total",       \
        "verified Accounting-Responses from radius-forward")               \
    XX(state_writes, "wspgw_radius_state_writes_total",                    \
        "changes written to the [enrichment] state file")                  \
    XX(state_write_us, "wspgw_radius_state_write_us_total",                \
        "microseconds spent in those writes (loop time)")                  \
    XX(map_reloads, "wspgw_enrich_map_loads_total",                        \
        "[enrichment] map files loaded (start and SIGHUP)")                \
    XX(map_reload_failures, "wspgw_enrich_map_load_failures_total",        \
        "[enrichment] map files refused on SIGHUP (old map kept)")         \
    XX(enrich_hits, "wspgw_enrich_subscriber_hits_total",                  \
        "upstream requests whose handset address has a subscriber")        \
    XX(enrich_misses, "wspgw_enrich_subscriber_misses_total",              \
        "upstream requests whose handset address has no subscriber")      \
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
    /* PPG front end (issue 6) */                                          \
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
    GW_STATS_MAP_MM1(XX)

/* MM1 awareness (issue 5): MMS PDUs seen in request and response bodies,
 * by message type, and the uploads the gateway refused itself. */
#define GW_STATS_MAP_MM1(XX)                                               \
    XX(mms_send_req, "wspgw_mms_send_req_total",                           \
        "m-send-req PDUs seen (handset uploads)")                          \
    XX(mms_send_conf, "wspgw_mms_send_conf_total",                         \
        "m-send-conf PDUs from the MMSC (the gateway's own are not here)") \
    XX(mms_notification_ind, "wspgw_mms_notification_ind_total",           \
        "m-notification-ind PDUs seen")                                    \
    XX(mms_notifyresp_ind, "wspgw_mms_notifyresp_ind_total",               \
        "m-notifyresp-ind PDUs seen")                                      \
    XX(mms_retrieve_conf, "wspgw_mms_retrieve_conf_total",                 \
        "m-retrieve-conf PDUs seen (downloads)")                           \
    XX(mms_acknowledge_ind, "wspgw_mms_acknowledge_ind_total",             \
        "m-acknowledge-ind PDUs seen")                                     \
    XX(mms_delivery_ind, "wspgw_mms_delivery_ind_total",                   \
        "m-delivery-ind PDUs seen")                                        \
    XX(mms_other, "wspgw_mms_other_total",                                 \
        "MMS PDUs of other message types seen")                            \
    XX(mms_undecodable, "wspgw_mms_undecodable_total",                     \
        "MMS bodies whose headers did not decode (passed on unchanged)")   \
    XX(mms_too_large, "wspgw_mms_too_large_total",                         \
        "MMS uploads refused for [mmsc] max-message-size")                 \
    XX(mms_rate_limited, "wspgw_mms_rate_limited_total",                   \
        "m-send-req refused by the per-subscriber rate limit")             \
    XX(mms_rate_evictions, "wspgw_mms_rate_evictions_total",               \
        "rate-limit entries evicted to make room (table too small?)")      \
    /* confirmed push into WSP sessions (issue 6) */                       \
    XX(push_confirmed_sent, "wspgw_push_confirmed_sent_total",             \
        "ConfirmedPush invokes (WTP class 1) sent into WSP sessions")      \
    XX(push_confirmed_acked, "wspgw_push_confirmed_acked_total",           \
        "confirmed pushes the handset acknowledged (delivered)")           \
    XX(push_confirmed_aborted, "wspgw_push_confirmed_aborted_total",       \
        "confirmed pushes aborted (no ack, session ended or suspended)")   \
    XX(push_confirmed_fallback, "wspgw_push_confirmed_fallback_total",     \
        "IP pushes sent connectionless although the handset had a "        \
        "session: too large for one WTP PDU, Push-MOR reached")

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
    struct gw_access_log alog;
    struct gw_stats stats;
    struct gw_ratelimit rl_wtp;
    uint64_t started_ms;
    /* MM1 awareness (issue 5, gateway/mm1_gw.c). */
    struct gw_mm1_limiter *mm1_rl;  /* made on first use; NULL when off */
    gw_mm1_key_fn mm1_key;          /* subscriber key hook; NULL: by IP */
    void *mm1_key_ctx;
    struct gw_ratelimit rl_mm1;     /* debug lines about bad MMS bodies */
    struct gw_enrich enrich;        /* header enrichment (issue 5) */
    /* push delivery (issue 6, h/deliver): NULL when [push] queue is "" */
    struct gw_pushq *pushq;         /* the front end adds pushes here */
    struct gw_push_deliver *pushd;
    struct gw_ppg *ppg;             /* [push] listen, NULL when off */
};

#endif /* WSPGW_GATEWAY_GW_H */
