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

/* Most addresses a Redirect carries (from config). */
#define WSP_REDIRECT_MAX 8

struct wsp_srv_config {
    uint32_t server_sdu;        /* largest SDU we accept (Server-SDU-Size);
                                 * 0 = no limit of ours */
    uint32_t server_message;    /* Server-Message-Size; 0 = no limit */
    unsigned method_mor;        /* most outstanding methods we agree to
                                 * (1-255) */
    unsigned push_mor;          /* most outstanding pushes we agree to
                                 * (1-255) */
    unsigned max_sessions;
    size_t max_session_headers; /* octets of Connect headers kept */
    uint64_t idle_timeout_ms;   /* session without activity is dropped;
                                 * 0 = never */
    int resume;                 /* offer Session Resume (suspend/resume) */
    int push;                   /* offer the Push and Confirmed Push
                                 * facilities (server-initiated pushes
                                 * into the session, wsp_srv_push) */
    uint32_t id_seed;           /* mixes the session-id sequence (added) */
    /* Redirect (8.2.2.3): with n_redirect > 0 every Connect is answered
     * with a Redirect PDU to these addresses (IPv4 or IPv6, with port)
     * and no session is made. */
    struct wspgw_addr redirect[WSP_REDIRECT_MAX];
    unsigned n_redirect;
    int redirect_permanent;     /* flag 0x80: the client may keep using
                                 * the new addresses */
    int redirect_reuse_security;/* flag 0x40: reuse the security
                                 * session (WTLS) */
};

/*
 * Defaults: server_sdu = server_message = 1 MiB (an MMS upload of 300 KB
 * must fit one SDU: we do not offer Large Data Transfer), method_mor 4,
 * push_mor 1, max_sessions 10000, max_session_headers 2048, idle 10 min,
 * resume on, push on, id_seed 0, no redirect.
 */
void wsp_srv_config_defaults(struct wsp_srv_config *c);

/* ---- Capabilities (8.3, Table 37) ------------------------------------- */

#define WSP_CAP_MAP(XX)                                                    \
    XX(CLIENT_SDU_SIZE,     0x00, "Client-SDU-Size")                       \
    XX(SERVER_SDU_SIZE,     0x01, "Server-SDU-Size")                       \
    XX(PROTOCOL_OPTIONS,    0x02, "Protocol Options")                      \
    XX(METHOD_MOR,          0x03, "Method-MOR")                            \
    XX(PUSH_MOR,            0x04, "Push-MOR")                              \
    XX(EXTENDED_METHODS,    0x05, "Extended Methods")                      \
    XX(HEADER_CODE_PAGES,   0x06, "Header Code Pages")                     \
    XX(ALIASES,             0x07, "Aliases")                               \
    XX(CLIENT_MESSAGE_SIZE, 0x08, "Client-Message-Size")                   \
    XX(SERVER_MESSAGE_SIZE, 0x09, "Server-Message-Size")

enum wsp_cap_id {
#define XX(name, val, text) WSP_CAP_##name = (val),
    WSP_CAP_MAP(XX)
#undef XX
    WSP_CAP_COUNT
};

/* "Method-MOR", ... or "unknown(0x%02x)". */
const char *wsp_cap_name(unsigned id);

/* Protocol Options flag bits (8.3.2.3, Table 20). */
#define WSP_OPT_CONFIRMED_PUSH 0x80
#define WSP_OPT_PUSH 0x40
#define WSP_OPT_RESUME 0x20
#define WSP_OPT_ACK_HEADERS 0x10
#define WSP_OPT_LARGE_DATA 0x08

/* Capability defaults (8.3.3). */
#define WSP_CAP_DEFAULT_SDU 1400
#define WSP_CAP_DEFAULT_MESSAGE 1400
#define WSP_CAP_DEFAULT_MOR 1

/* Identifiers kept from one Capabilities field that this codec does not
 * understand (unassigned short ids, Token-text names): echoed empty. */
#define WSP_CAPS_UNKNOWN_MAX 8

/*
 * One set of capabilities, decoded or to encode.  present has bit
 * (1u << id) for each well-known capability in the set; refused has the
 * same bit for each one to be sent with no parameters ("refused").  The
 * first instance of a capability wins (8.3: alternatives come most
 * preferred first).  unknown[] are views into the decoded field.
 */
struct wsp_caps {
    uint32_t present;
    uint32_t refused;
    uint32_t client_sdu, server_sdu;        /* 0 = no limit */
    uint32_t client_message, server_message;
    uint8_t options;
    uint8_t method_mor, push_mor;
    unsigned n_unknown;
    struct {
        const uint8_t *id;      /* Short-integer octet or Token-text+NUL */
        size_t len;
    } unknown[WSP_CAPS_UNKNOWN_MAX];
    unsigned bad;               /* capabilities skipped: bad parameters */
};

/*
 * Decodes a Capabilities field (8.3.1: repeated Length(uintvar)
 * Identifier Parameters) into out (views into buf, borrowed).  A
 * capability whose parameters do not parse is skipped and counted in
 * out->bad; aliases are informational and only marked present.
 * Returns 0, or WSPGW_EPROTO when the framing is broken (a Length past
 * the end, an empty capability, an identifier that does not fit).
 */
int wsp_caps_decode(const uint8_t *buf, size_t len, struct wsp_caps *out);

/*
 * Appends the capabilities of c: in id order, each present one with its
 * parameters (refused ones and Extended Methods / Header Code Pages with
 * none: we never assign either), then the unknown ones empty.  Aliases
 * are never encoded.  Returns 0 or a buffer error; on error out is left
 * as it was.
 */
int wsp_caps_encode(const struct wsp_caps *c, struct wspgw_buf *out);

/*
 * Server side of the one-way negotiation (6.3.2.1, 8.3.2): from the
 * client's proposal req and our limits cfg, fills reply (what the
 * ConnectReply carries: an answer to every capability the client sent
 * whose value we change or refuse, never a higher level of function
 * than proposed) and agreed (the settings in effect, defaults filled in
 * for what neither side sent).  Never fails.
 */
void wsp_caps_negotiate(const struct wsp_caps *req,
    const struct wsp_srv_config *cfg, struct wsp_caps *reply,
    struct wsp_caps *agreed);

struct wsp_srv;

struct wsp_srv *wsp_srv_new(const struct wsp_srv_config *cfg);
void wsp_srv_free(struct wsp_srv *s);

/* ---- Events in ---------------------------------------------------------- */

/*
 * TR-Invoke.ind from wtp/ (pdu borrowed, valid during the call; what
 * outlives it is copied).  Connect, Disconnect, Suspend, Resume and the
 * Get/Post families; a refused invoke is answered with a TR_ABORT action
 * (7.1.5): no session DISCONNECT, over max_sessions CONGESTION, over the
 * MRU MRUEXCEEDED, over the MOR MOREXCEEDED, malformed PROTOERR.  With
 * redirect addresses configured a Connect gets a TR_RESULT carrying a
 * Redirect PDU instead of a ConnectReply, and no session.
 * Returns 0 (also for refusals) or WSPGW_ENOMEM (nothing changed).
 */
int wsp_srv_invoke_ind(struct wsp_srv *s, uint32_t wtp_handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now_ms);

/* TR-Result.cnf: the Reply/ConnectReply of wtp_handle was acknowledged.
 * WSPGW_ENOENT for a handle the layer does not wait on. */
int wsp_srv_result_cnf(struct wsp_srv *s, uint32_t wtp_handle,
    uint64_t now_ms);

/* TR-Abort.ind for wtp_handle (either side's abort). */
int wsp_srv_abort_ind(struct wsp_srv *s, uint32_t wtp_handle,
    uint8_t abort_type, uint8_t reason, uint64_t now_ms);

/*
 * The gateway's answer to a FETCH: reply is a complete Reply PDU
 * (connection-mode: no TID octet), borrowed.  If it is larger than the
 * client's SDU, the session sends a short error Reply instead (unless
 * Large Data Transfer was negotiated: never, we do not offer it).  An
 * unknown or cancelled method_id is ignored (returns WSPGW_ENOENT);
 * WSPGW_EINVAL if reply is not a Reply PDU or the method was already
 * answered; WSPGW_ENOMEM leaves the method waiting (retry or abort).
 */
int wsp_srv_method_reply(struct wsp_srv *s, uint32_t method_id,
    const uint8_t *reply, size_t len, uint64_t now_ms);

/*
 * S-MethodAbort.req (added): the gateway gives up on a method (e.g. it
 * is shutting down).  The transaction is aborted with PEERREQ; no
 * FETCH_CANCEL follows.  0, or WSPGW_ENOENT for an unknown method.
 */
int wsp_srv_method_abort(struct wsp_srv *s, uint32_t method_id,
    uint64_t now_ms);

/*
 * S-Push.req / S-ConfirmedPush.req (WAP-230 7.1: the server's push and
 * confirmed push transactions; the machine is described in session.c):
 * pushes pdu, a WSP Push PDU (type 0x06 or 0x07, no TID octet:
 * connection mode; its type octet is rewritten to ConfirmedPush
 * 0x07 or Push 0x06 after confirmed), into the session bound to peer
 * (the handset's address and port, as for methods).  The session must
 * be CONNECTED and have negotiated the facility (WSP_OPT_CONFIRMED_PUSH
 * or WSP_OPT_PUSH).  Queues a TR_INVOKE action (class 1 for a confirmed
 * push, class 0 otherwise) whose push_id names the push; the gateway
 * answers it with wsp_srv_invoke_req_done.  A confirmed push then ends
 * with exactly one PUSH_CNF or PUSH_ABORT action; an unconfirmed one
 * has no outcome (class 0: the handset does not answer).
 * *push_id gets the id (never 0).  Returns 0; WSPGW_ENOENT (no session
 * bound to peer, or it is not CONNECTED: suspended, connecting);
 * WSPGW_ENOTSUP (the facility was not negotiated); WSPGW_EBUSY (Push-MOR
 * confirmed pushes of the session are outstanding); WSPGW_EINVAL (not a
 * Push PDU); WSPGW_EMSGSIZE (larger than the client's SDU);
 * WSPGW_ENOMEM.
 */
int wsp_srv_push(struct wsp_srv *s, const struct wspgw_addr *peer,
    int confirmed, const uint8_t *pdu, size_t len, uint64_t now_ms,
    uint32_t *push_id);

/*
 * Finds the session to push to for a handset known by its IP address
 * only (a PAP TYPE=IPv4/IPv6 address: no port): the most recently
 * active CONNECTED session whose peer has ip's family and address (the
 * port of ip is ignored).  *peer gets that session's peer.  Returns 0;
 * WSPGW_ENOENT (none); WSPGW_ENOTSUP (there is one, but it did not agree
 * the facility: confirmed ? Confirmed Push : Push).  A linear walk of
 * the sessions (at most max_sessions): pushes are rare next to methods.
 */
int wsp_srv_find_by_ip(const struct wsp_srv *s, const struct wspgw_addr *ip,
    int confirmed, struct wspgw_addr *peer);

/*
 * The gateway's answer to a TR_INVOKE action: rc is what
 * wtp_tr_invoke_req returned, wtp_handle the transaction it made (rc 0).
 * A confirmed push waits on that transaction (wsp_srv_invoke_cnf,
 * wsp_srv_abort_ind); a failed one ends with PUSH_ABORT (reason
 * 0xE9 NETERR).  WSPGW_ENOENT for an unknown or already ended push (its
 * session went away meanwhile: then the gateway aborts the transaction
 * it just made itself, a TR_ABORT was not queued for it).
 */
int wsp_srv_invoke_req_done(struct wsp_srv *s, uint32_t push_id, int rc,
    uint32_t wtp_handle, uint64_t now_ms);

/* TR-Invoke.cnf: the handset acknowledged the class 1 invoke of a
 * confirmed push: S-ConfirmedPush.cnf, a PUSH_CNF action.  WSPGW_ENOENT
 * for a handle the layer does not wait on.  A TR-Abort.ind of a push's
 * transaction (wsp_srv_abort_ind) gives S-PushAbort.ind: PUSH_ABORT with
 * the reason. */
int wsp_srv_invoke_cnf(struct wsp_srv *s, uint32_t wtp_handle,
    uint64_t now_ms);

void wsp_srv_timeout(struct wsp_srv *s, uint64_t now_ms);
uint64_t wsp_srv_next_deadline(const struct wsp_srv *s);

/* ---- Actions out ------------------------------------------------------- */

enum wsp_srv_action_type {
    WSP_SRV_ACT_NONE = 0,
    WSP_SRV_ACT_TR_RESULT,      /* wtp_tr_result_req(wtp_handle, data) */
    WSP_SRV_ACT_TR_ABORT,       /* wtp_tr_abort_req(wtp_handle, reason) */
    WSP_SRV_ACT_FETCH,          /* start an upstream request */
    WSP_SRV_ACT_FETCH_CANCEL,   /* the method was aborted: cancel it */
    WSP_SRV_ACT_TR_INVOKE_RES,  /* wtp_tr_invoke_res(wtp_handle): the
                                   method was accepted (S-MethodInvoke.res);
                                   lets WTP send hold-on Acks when the
                                   handset asked for a user ack (U/P) */
    WSP_SRV_ACT_SESSION_END,    /* session_id (and its last peer) is gone
                                   for good: Disconnect PDU, idle expiry,
                                   an abort that disconnects, replacement
                                   by a new Connect from the same peer.
                                   Queued after the FETCH_CANCELs of its
                                   methods; never for a proto-session
                                   answered with a Redirect (it has no
                                   id), nor from wsp_srv_free.  Lets the
                                   gateway free what it keeps per session
                                   (the cookie jar).  A Suspend is not an
                                   end: the session may be resumed. */
    WSP_SRV_ACT_TR_INVOKE,      /* wtp_tr_invoke_req(peer, tcl, data) for
                                   push push_id (session_id); answer with
                                   wsp_srv_invoke_req_done */
    WSP_SRV_ACT_PUSH_CNF,       /* S-ConfirmedPush.cnf: push_id was
                                   acknowledged by the handset */
    WSP_SRV_ACT_PUSH_ABORT      /* S-PushAbort.ind: push_id failed;
                                   reason is the WTP/WSP abort reason
                                   (0xE1 DISCONNECT, 0xE2 SUSPEND, 0xE3
                                   RESUME when its session went; a WTP
                                   provider reason such as 0x08
                                   NORESPONSE; 0xE9 NETERR when the
                                   invoke could not be sent) */
};

struct wsp_srv_action {
    enum wsp_srv_action_type type;
    uint32_t wtp_handle;
    uint8_t reason;                 /* TR_ABORT, PUSH_ABORT */
    const uint8_t *data;            /* TR_RESULT, TR_INVOKE */
    size_t len;
    /* FETCH / FETCH_CANCEL; SESSION_END: session_id and peer */
    uint32_t method_id;
    uint32_t session_id;
    struct wspgw_addr peer;
    unsigned enc;                   /* encoding version to answer in */
    uint32_t client_sdu;            /* 0 = no limit */
    struct wsp_pdu pdu;             /* the Get/Post, views */
    const uint8_t *session_headers; /* binary Connect headers, merged */
    size_t session_headers_len;     /* under the request's own */
    /* TR_INVOKE, PUSH_CNF, PUSH_ABORT (also session_id and peer) */
    uint32_t push_id;
    unsigned tcl;                   /* TR_INVOKE: 1 confirmed, 0 not */
};

/*
 * Takes the next action: 1, or 0 when none.  Views (data, pdu,
 * session_headers) stay valid until the next call into s.  Taking a
 * FETCH is the gateway's S-MethodInvoke.res; a FETCH whose method was
 * aborted before it was taken is withdrawn, not delivered.  FETCH: enc is
 * the Encoding-Version of the session headers (0: none, use the
 * request's); client_sdu caps the Reply (0: no limit).
 */
int wsp_srv_next_action(struct wsp_srv *s, struct wsp_srv_action *out);

struct wsp_srv_stats {
    uint64_t connects, disconnects, suspends, resumes;
    uint64_t methods, replies, oversize_replies, aborted_methods;
    uint64_t refused;           /* caps, unknown session, bad PDU */
    uint64_t expired;           /* idle sessions dropped (added) */
    uint64_t mor_exceeded;      /* methods refused with MOREXCEEDED */
    uint64_t headers_truncated; /* Connect/Resume headers cut to the cap */
    uint64_t redirects;         /* Connects answered with a Redirect */
    uint64_t pushes, pushes_confirmed, pushes_aborted;
    unsigned pushes_active;     /* confirmed pushes outstanding */
    unsigned sessions;          /* current */
    unsigned methods_active;    /* current (added) */
    size_t session_bytes;       /* current heap of sessions + methods */
};

const struct wsp_srv_stats *wsp_srv_stats(const struct wsp_srv *s);

#endif /* WSPGW_WSP_SESSION_H */
