/*
 * include/wspgw/wsp_session.h - the sans-I/O WSP server session layer
 * (WAP-230-WSP-20010705-a section 7: connection-mode session service;
 * 8.2.2 Connect/ConnectReply/Redirect/Disconnect/Suspend/Resume; 8.3
 * capabilities).
 *
 * It sits on top of WTP: the gateway feeds it the WTP indications
 * (TR-Invoke.ind, TR-Result.cnf, TR-Abort.ind) and carries out its
 * actions (TR-Result.req, TR-Abort.req toward wtp/, FETCH toward the HTTP
 * client).  It never sees HTTP: a method becomes a FETCH action with the
 * decoded PDU and the session's headers; the gateway answers with the
 * encoded Reply PDU (wsp_srv_method_reply).
 *
 * No I/O, no clock, no globals.  Every table has a cap from
 * struct wsp_srv_config.
 */
#ifndef WSPGW_WSP_SESSION_H
#define WSPGW_WSP_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"
#include "wspgw/wsp.h"

struct wsp_srv_config {
    uint32_t server_sdu;        /* largest SDU we accept (Server-SDU-Size) */
    uint32_t server_message;    /* Server-Message-Size */
    unsigned method_mor;        /* most outstanding methods we agree to */
    unsigned push_mor;          /* most outstanding pushes we agree to */
    unsigned max_sessions;
    size_t max_session_headers; /* octets of Connect headers kept */
    uint64_t idle_timeout_ms;   /* session without activity is dropped */
    int resume;                 /* offer Session Resume (suspend/resume) */
};

void wsp_srv_config_defaults(struct wsp_srv_config *c);

struct wsp_srv;

struct wsp_srv *wsp_srv_new(const struct wsp_srv_config *cfg);
void wsp_srv_free(struct wsp_srv *s);

/* ---- Events in ---------------------------------------------------------- */

/* TR-Invoke.ind from wtp/ (pdu borrowed, valid during the call). */
int wsp_srv_invoke_ind(struct wsp_srv *s, uint32_t wtp_handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now_ms);

/* TR-Result.cnf: the Reply/ConnectReply of wtp_handle was acknowledged. */
int wsp_srv_result_cnf(struct wsp_srv *s, uint32_t wtp_handle,
    uint64_t now_ms);

/* TR-Abort.ind for wtp_handle (either side's abort). */
int wsp_srv_abort_ind(struct wsp_srv *s, uint32_t wtp_handle,
    uint8_t abort_type, uint8_t reason, uint64_t now_ms);

/*
 * The gateway's answer to a FETCH: reply is a complete Reply PDU
 * (connection-mode: no TID octet), borrowed.  If it is larger than the
 * client's SDU, the session sends a short error Reply instead (unless
 * Large Data Transfer was negotiated).  An unknown or cancelled
 * method_id is ignored (returns WSPGW_ENOENT).
 */
int wsp_srv_method_reply(struct wsp_srv *s, uint32_t method_id,
    const uint8_t *reply, size_t len, uint64_t now_ms);

void wsp_srv_timeout(struct wsp_srv *s, uint64_t now_ms);
uint64_t wsp_srv_next_deadline(const struct wsp_srv *s);

/* ---- Actions out ------------------------------------------------------- */

enum wsp_srv_action_type {
    WSP_SRV_ACT_NONE = 0,
    WSP_SRV_ACT_TR_RESULT,      /* wtp_tr_result_req(wtp_handle, data) */
    WSP_SRV_ACT_TR_ABORT,       /* wtp_tr_abort_req(wtp_handle, reason) */
    WSP_SRV_ACT_FETCH,          /* start an upstream request */
    WSP_SRV_ACT_FETCH_CANCEL    /* the method was aborted: cancel it */
};

struct wsp_srv_action {
    enum wsp_srv_action_type type;
    uint32_t wtp_handle;
    uint8_t reason;                 /* TR_ABORT */
    const uint8_t *data;            /* TR_RESULT */
    size_t len;
    /* FETCH / FETCH_CANCEL */
    uint32_t method_id;
    uint32_t session_id;
    struct wspgw_addr peer;
    unsigned enc;                   /* encoding version to answer in */
    uint32_t client_sdu;            /* 0 = no limit */
    struct wsp_pdu pdu;             /* the Get/Post, views */
    const uint8_t *session_headers; /* binary Connect headers, merged */
    size_t session_headers_len;     /* under the request's own */
};

/* Takes the next action: 1, or 0 when none.  Views stay valid until the
 * next call into s. */
int wsp_srv_next_action(struct wsp_srv *s, struct wsp_srv_action *out);

struct wsp_srv_stats {
    uint64_t connects, disconnects, suspends, resumes;
    uint64_t methods, replies, oversize_replies, aborted_methods;
    uint64_t refused;           /* caps, unknown session, bad PDU */
    unsigned sessions;          /* current */
};

const struct wsp_srv_stats *wsp_srv_stats(const struct wsp_srv *s);

#endif /* WSPGW_WSP_SESSION_H */
