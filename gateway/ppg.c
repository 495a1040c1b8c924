/*
 * gateway/ppg.c - the push listener and result notifications (see ppg.h).
 *
 * Spec: WAP-247 PAP 2.0 (request/response over HTTP POST), WAP-249 PPG
 * Service; OMA-MMS-ENC 6.2 for the m-notification-ind that /mms-notify
 * builds.  Facts in ../shared/reference/push.md.
 *
 * One request per connection.  The order of checks for a request:
 *   1. size and time caps (413, 408), path (404), method (405);
 *   2. HTTP Basic credentials of a [push-user NAME] (401 with a
 *      WWW-Authenticate challenge), then its allow-ip (403);
 *   3. PAP: envelope and control entity (badmessage-response, HTTP 400),
 *      then per message kind; a push is checked against the user's
 *      allow-prefix (2001), its content compiled (SI, SL, WML to WBXML;
 *      a compile error is 3006 now, not a delivery failure later), and
 *      committed with gw_pushq_add: 1001 (HTTP 202) only when that
 *      returned 0.
 *
 * HTTP status of PAP answers: 202 for 1001, 400 for badmessage-response,
 * 500 for 3000, 503 for 4001, 200 for every other PAP answer (the result
 * is in the XML, as PAP intends).
 *
 * Ownership: each connection owns its handles, head fields and body
 * buffer, and is freed when both handles have closed (admin.c pattern).
 * Each notification owns its body and timer and is freed when the timer
 * has closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <http_parser.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wspgw/mms.h"
#include "pap.h"
#include "ppg.h"
#include "push_user.h"
#include "wbxml.h"

#define PPG_HEAD_MAX        8192
#define PPG_TIMEOUT_MS      30000
#define PPG_RESP_MAX        (64 * 1024)
#define PPG_NOTIFY_MAX      256         /* notifications waiting at once */
#define PPG_NOTIFY_TRIES    3
#define PPG_NOTIFY_RESP_MAX 16384       /* the PI's answer is not used */
#define PPG_SENDER_NAME     "wspgw"
#define PPG_MMS_EXPIRY_S    604800      /* /mms-notify without expiry */

enum hdr_kind {
    H_OTHER = 0,
    H_CONTENT_TYPE,
    H_AUTHORIZATION,
    H_APP_ID,
    H_EXPECT
};

struct ppg_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t wreq;
    struct gw_ppg *ppg;
    struct ppg_conn *next;
    http_parser parser;
    struct sockaddr_storage peer;
    char peer_text[64];
    char url[512];
    size_t url_len;
    int url_too_long;
    char hname[48];
    size_t hname_len;
    int in_value;
    enum hdr_kind cur;
    char content_type[256];
    char authorization[512];
    char app_id[128];
    char expect[32];
    uv_write_t cont_req;            /* the interim 100 Continue */
    int hdr_too_long;
    size_t head_seen;
    int head_done;
    int too_large;
    struct wspgw_buf body;
    int responded;
    int open_handles;
    uint64_t started_ms;
    char rbuf[8192];
    struct wspgw_buf resp;
};

struct ppg_notify {
    struct gw_ppg *ppg;
    struct ppg_notify *next;
    uv_timer_t timer;
    struct gw_http_xfer *xfer;
    char url[512];
    char push_id[128];
    struct wspgw_buf body;
    unsigned attempts;
    int closing;
};

struct gw_ppg {
    struct gw *g;
    uv_tcp_t listener;
    struct ppg_conn *conns;
    unsigned n_conns;
    struct ppg_notify *notes;
    unsigned n_notes;
    unsigned mms_seq;
    int closing;
    int listener_open;
};

static http_parser_settings settings;


static void
ppg_maybe_free(struct gw_ppg *p)
{
    if (p->closing && !p->listener_open && p->conns == NULL
        && p->notes == NULL)
    {
        wspgw_free(p);
    }
}


/* Wall clock in ms since the epoch (PAP times are wall-clock times). */
static uint64_t
wall_ms(void)
{
    uv_timeval64_t tv;

    if (uv_gettimeofday(&tv) != 0) {
        return 0;
    }
    return (uint64_t) tv.tv_sec * 1000 + (uint64_t) tv.tv_usec / 1000;
}


/* ==== connections ===================================================== */

static void
conn_handle_closed(uv_handle_t *h)
{
    struct ppg_conn *c = h->data;
    struct gw_ppg *p = c->ppg;
    struct ppg_conn **pp;

    if (--c->open_handles > 0) {
        return;
    }
    for (pp = &p->conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    p->n_conns--;
    wspgw_buf_free(&c->body);
    wspgw_buf_free(&c->resp);
    wspgw_free(c);
    ppg_maybe_free(p);
}


static void
conn_close(struct ppg_conn *c)
{
    if (!uv_is_closing((uv_handle_t *) &c->tcp)) {
        uv_close((uv_handle_t *) &c->tcp, conn_handle_closed);
    }
    if (!uv_is_closing((uv_handle_t *) &c->timer)) {
        uv_close((uv_handle_t *) &c->timer, conn_handle_closed);
    }
}


static void
write_done(uv_write_t *req, int status)
{
    struct ppg_conn *c = req->data;

    conn_close(c);
}


static const char *
reason_of(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}


/*
 * Sends one response and closes.  body (n octets) is copied after the
 * head into c->resp.  A response that cannot be built closes the
 * connection without an answer (only on out-of-memory).
 */
static void
respond(struct ppg_conn *c, int status, const char *ctype,
    const void *body, size_t n)
{
    struct gw *g = c->ppg->g;
    uv_buf_t buf;
    int rc;

    if (c->responded) {
        return;
    }
    c->responded = 1;
    uv_read_stop((uv_stream_t *) &c->tcp);
    wspgw_buf_init(&c->resp, PPG_RESP_MAX + 1024);
    rc = wspgw_buf_printf(&c->resp, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
        "Content-Length: %zu\r\n%sConnection: close\r\n\r\n", status,
        reason_of(status), ctype, n, status == 401
        ? "WWW-Authenticate: Basic realm=\"wspgw-ppg\"\r\n" : "");
    if (rc == 0) {
        rc = wspgw_buf_append(&c->resp, body, n);
    }
    gw_access_log_write(&g->alog, (const struct sockaddr *) &c->peer, "push",
        http_method_str((enum http_method) c->parser.method), c->url, status,
        n, uv_now(g->loop) - c->started_ms);
    if (rc != 0) {
        conn_close(c);
        return;
    }
    buf = uv_buf_init((char *) c->resp.data, (unsigned) c->resp.len);
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *) &c->tcp, &buf, 1, write_done)
        != 0)
    {
        conn_close(c);
    }
}


static void
respond_text(struct ppg_conn *c, int status, const char *text)
{
    char line[600];
    int n = snprintf(line, sizeof(line), "%s\n", text);

    if (n < 0 || (size_t) n >= sizeof(line)) {
        n = (int) sizeof(line) - 1;
    }
    respond(c, status, "text/plain", line, (size_t) n);
}


/* Builds r and sends it with the HTTP status PAP answers get (above). */
static void
respond_pap(struct ppg_conn *c, const struct gw_pap_resp *r)
{
    struct wspgw_buf b;
    int status;

    if (r->kind == GW_PAP_BADMESSAGE_RESPONSE) {
        status = 400;
    } else if (r->code == GW_PAP_ACCEPTED) {
        status = 202;
    } else if (r->code == GW_PAP_INTERNAL_ERROR) {
        status = 500;
    } else if (r->code == GW_PAP_SERVICE_UNAVAILABLE) {
        status = 503;
    } else {
        status = 200;
    }
    wspgw_buf_init(&b, PPG_RESP_MAX);
    if (gw_pap_build(&b, r) != 0) {
        wspgw_buf_free(&b);
        respond_text(c, 500, "cannot build the PAP answer");
        return;
    }
    respond(c, status, "application/xml", b.data, b.len);
    wspgw_buf_free(&b);
}


static void
pap_refuse(struct ppg_conn *c, enum gw_pap_resp_kind kind,
    enum gw_pap_version v, const char *push_id, int code, const char *desc,
    const char *address)
{
    struct gw_pap_resp r;

    memset(&r, 0, sizeof(r));
    r.kind = kind;
    r.version = v;
    r.push_id = push_id;
    r.code = code;
    r.desc = desc;
    r.sender_name = PPG_SENDER_NAME;
    r.time_ms = wall_ms();
    r.address = address;
    r.state = GW_PAP_STATE_UNDELIVERABLE;
    if (kind == GW_PAP_BADMESSAGE_RESPONSE) {
        r.fragment = c->body.data;
        r.fragment_len = c->body.len < GW_PAP_FRAGMENT_MAX ? c->body.len
            : GW_PAP_FRAGMENT_MAX;
    }
    c->ppg->g->stats.ppg_refused++;
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: %s refused: %d %s",
        c->peer_text, push_id != NULL ? push_id : "request", code,
        desc != NULL ? desc : gw_pap_code_text(code));
    respond_pap(c, &r);
}


/* ==== authentication ================================================== */

/*
 * The [push-user] of the request, or NULL after answering 401/403.  pap:
 * the refusal carries a PAP badmessage-response body (code 2001).
 */
static const struct gw_push_user *
authenticate(struct ppg_conn *c, int pap)
{
    const struct gw_push_users *us = &c->ppg->g->cfg->push_users;
    const struct gw_push_user *u = NULL;
    struct wspgw_buf cred;
    const char *a = c->authorization, *colon;
    char name[64];
    int status = 401;
    const char *why = "credentials required (HTTP Basic)";

    wspgw_buf_init(&cred, 512);
    if (strncasecmp(a, "Basic ", 6) == 0) {
        a += 6;
        while (*a == ' ') {
            a++;
        }
        why = "wrong user name or password";
        if (gw_pap_base64_decode(a, strlen(a), &cred) == 0
            && wspgw_buf_putc(&cred, 0) == 0
            && memchr(cred.data, 0, cred.len - 1) == NULL)
        {
            colon = strchr((const char *) cred.data, ':');
            if (colon != NULL
                && (size_t) (colon - (const char *) cred.data) < sizeof(name))
            {
                memcpy(name, cred.data, (size_t) (colon -
                    (const char *) cred.data));
                name[colon - (const char *) cred.data] = '\0';
                u = gw_push_user_find(us, name);
                if (u == NULL) {
                    /* Compare anyway, so that the time taken does not
                     * tell whether the user name exists. */
                    static const struct gw_push_user nobody = {
                        .password = "-", .has_password = 1 };

                    (void) gw_push_user_password_ok(&nobody, colon + 1,
                        strlen(colon + 1));
                } else if (!gw_push_user_password_ok(u, colon + 1,
                    strlen(colon + 1)))
                {
                    u = NULL;
                }
            }
        }
    }
    wspgw_buf_free(&cred);
    if (u != NULL && !gw_push_user_ip_ok(u,
        (const struct sockaddr *) &c->peer))
    {
        status = 403;
        why = "this user may not connect from this address";
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "%s: push-user %s refused: "
            "source address not in allow-ip", c->peer_text, u->name);
        u = NULL;
    } else if (u == NULL) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: %s", c->peer_text,
            why);
    }
    if (u != NULL) {
        return u;
    }
    c->ppg->g->stats.ppg_auth_refused++;
    if (pap) {
        struct gw_pap_resp r;
        struct wspgw_buf b;

        memset(&r, 0, sizeof(r));
        r.kind = GW_PAP_BADMESSAGE_RESPONSE;
        r.code = GW_PAP_FORBIDDEN;
        r.desc = why;
        wspgw_buf_init(&b, PPG_RESP_MAX);
        if (gw_pap_build(&b, &r) == 0) {
            respond(c, status, "application/xml", b.data, b.len);
        } else {
            respond_text(c, status, why);
        }
        wspgw_buf_free(&b);
    } else {
        respond_text(c, status, why);
    }
    return NULL;
}


/* ==== content for the air ============================================= */

/*
 * Turns the content entity into what goes on the air: the transfer
 * encoding undone, SI/SL/WML compiled to WBXML.  Sets *ctype to the air
 * content type (points into the part or a static string).  Returns 0 or
 * a PAP code with the reason in why.
 */
static int
air_content(const struct gw_pap_part *part, struct wspgw_buf *out,
    const char **ctype, char *why, size_t whylen)
{
    struct wspgw_buf raw;
    enum gw_wbxml_lang lang;
    int rc;

    if (part->content_type[0] == '\0') {
        snprintf(why, whylen, "content entity without Content-Type");
        return GW_PAP_BAD_REQUEST;
    }
    wspgw_buf_init(&raw, GW_PUSHQ_MAX_BODY * 2);
    rc = gw_pap_part_decode(part, &raw, why, whylen);
    if (rc != 0) {
        wspgw_buf_free(&raw);
        if (rc != WSPGW_EPROTO) {
            snprintf(why, whylen, "content entity too large");
        }
        return GW_PAP_BAD_REQUEST;
    }
    lang = gw_wbxml_lang_of(part->content_type);
    if (lang == 0) {
        *ctype = part->content_type;
        rc = wspgw_buf_append(out, raw.data, raw.len);
        wspgw_buf_free(&raw);
        if (rc != 0) {
            snprintf(why, whylen, "content larger than %d octets",
                GW_PUSHQ_MAX_BODY);
            return GW_PAP_BAD_REQUEST;
        }
        return 0;
    }
    rc = gw_wbxml_compile(lang, raw.data, raw.len, out, why, whylen);
    wspgw_buf_free(&raw);
    if (rc == WSPGW_EMSGSIZE) {
        snprintf(why, whylen, "compiled content larger than %d octets",
            GW_PUSHQ_MAX_BODY);
    }
    if (rc != 0) {
        return GW_PAP_TRANSFORMATION_FAILURE;
    }
    *ctype = gw_wbxml_content_type(lang);
    return 0;
}


/* The PAP code for a gw_pushq_add failure. */
static int
add_error_code(int rc, const char **desc)
{
    switch (rc) {
    case WSPGW_EEXIST:
        *desc = "a push with this push-id is already queued";
        return GW_PAP_DUPLICATE_PUSH_ID;
    case WSPGW_ENOSPC:
        *desc = "the push queue is full; try later";
        return GW_PAP_SERVICE_UNAVAILABLE;
    default:
        *desc = "the push could not be stored";
        return GW_PAP_INTERNAL_ERROR;
    }
}


/* ==== PAP ============================================================= */

static void
pap_push(struct ppg_conn *c, const struct gw_push_user *u,
    const struct gw_pap_msg *m, const struct gw_pap_mime *mm,
    uint64_t now_ms)
{
    struct gw *g = c->ppg->g;
    struct gw_push_msg pm;
    struct wspgw_buf air;
    struct gw_pap_resp r;
    const char *ctype = NULL, *desc = NULL;
    char why[300], app_id[128];
    const char *app_in;
    int64_t id;
    int rc;

    if (mm == NULL || mm->n_part < 2) {
        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id,
            GW_PAP_BAD_REQUEST, "push-message without a content entity "
            "(multipart/related: control, then content)", NULL);
        return;
    }
    if (!gw_push_user_dest_ok(u, m->addr.type, m->addr.value)) {
        snprintf(why, sizeof(why), "push-user %s may not push to %s",
            u->name, m->addr.value);
        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id,
            GW_PAP_FORBIDDEN, why, NULL);
        return;
    }
    app_in = mm->part[1].app_id[0] != '\0' ? mm->part[1].app_id : c->app_id;
    app_id[0] = '\0';
    if (app_in[0] != '\0'
        && gw_pap_app_id(app_in, app_id, sizeof(app_id)) != 0)
    {
        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id,
            GW_PAP_BAD_REQUEST, "malformed X-Wap-Application-Id", NULL);
        return;
    }
    wspgw_buf_init(&air, GW_PUSHQ_MAX_BODY);
    why[0] = '\0';
    rc = air_content(&mm->part[1], &air, &ctype, why, sizeof(why));
    if (rc != 0) {
        wspgw_buf_free(&air);
        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id, rc, why,
            NULL);
        return;
    }
    if (g->pushq == NULL) {
        wspgw_buf_free(&air);
        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id,
            GW_PAP_SERVICE_UNAVAILABLE, "no push queue", NULL);
        return;
    }
    memset(&pm, 0, sizeof(pm));
    pm.push_id = m->push_id;
    pm.user = u->name;
    pm.addr_type = m->addr.type;
    pm.address = m->addr.value;
    pm.content_type = ctype;
    pm.body = air.data;
    pm.body_len = air.len;
    pm.app_id = app_id;
    pm.minimal_headers = g->cfg->push_minimal_headers;
    pm.deliver_after_ms = m->deliver_after_ms;
    pm.deliver_before_ms = m->deliver_before_ms;
    pm.notify_to = m->notify_to[0] != '\0' ? m->notify_to : NULL;
    rc = gw_pushq_add(g->pushq, &pm, now_ms, &id);
    wspgw_buf_free(&air);
    if (rc != 0) {
        int code = add_error_code(rc, &desc);

        pap_refuse(c, GW_PAP_PUSH_RESPONSE, m->version, m->push_id, code,
            desc, NULL);
        return;
    }
    g->stats.ppg_accepted++;
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: push %s from %s to %s "
        "accepted (%s, %zu octets, queue id %lld)", c->peer_text, m->push_id,
        u->name, m->addr.value, ctype, pm.body_len, (long long) id);
    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_PUSH_RESPONSE;
    r.version = m->version;
    r.push_id = m->push_id;
    r.code = GW_PAP_ACCEPTED;
    r.sender_name = PPG_SENDER_NAME;
    r.time_ms = now_ms;
    respond_pap(c, &r);
}


static enum gw_pap_state
state_of(enum gw_push_state s)
{
    switch (s) {
    case GW_PUSH_PENDING:
        return GW_PAP_STATE_PENDING;
    case GW_PUSH_DELIVERED:
        return GW_PAP_STATE_DELIVERED;
    case GW_PUSH_EXPIRED:
        return GW_PAP_STATE_EXPIRED;
    case GW_PUSH_CANCELLED:
        return GW_PAP_STATE_CANCELLED;
    default:
        return GW_PAP_STATE_UNDELIVERABLE;
    }
}


static void
pap_statusquery(struct ppg_conn *c, const struct gw_push_user *u,
    const struct gw_pap_msg *m)
{
    struct gw *g = c->ppg->g;
    struct gw_push_rec rec;
    struct gw_pap_resp r;
    char addr[128];
    int rc = g->pushq != NULL ? gw_pushq_lookup(g->pushq, u->name,
        m->push_id, &rec) : WSPGW_EIO;

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_STATUSQUERY_RESPONSE;
    r.version = m->version;
    r.push_id = m->push_id;
    if (rc == 0) {
        r.code = GW_PAP_OK;
        r.state = state_of(rec.state);
        r.time_ms = rec.updated_ms;
        r.desc = rec.detail[0] != '\0' ? rec.detail : NULL;
        if (gw_pap_addr_format(rec.addr_type, rec.address, addr,
            sizeof(addr)) == 0)
        {
            r.address = addr;
        }
    } else if (rc == WSPGW_ENOENT) {
        r.code = GW_PAP_PUSH_ID_NOT_FOUND;
        r.state = GW_PAP_STATE_UNKNOWN;
        r.address = m->n_addr > 0 ? m->addr_text : NULL;
    } else {
        r.code = GW_PAP_INTERNAL_ERROR;
        r.state = GW_PAP_STATE_UNKNOWN;
    }
    respond_pap(c, &r);
}


static void
pap_cancel(struct ppg_conn *c, const struct gw_push_user *u,
    const struct gw_pap_msg *m, uint64_t now_ms)
{
    struct gw *g = c->ppg->g;
    struct gw_pap_resp r;
    int rc = g->pushq != NULL ? gw_pushq_cancel(g->pushq, u->name,
        m->push_id, now_ms) : WSPGW_EIO;

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_CANCEL_RESPONSE;
    r.version = m->version;
    r.push_id = m->push_id;
    r.address = m->n_addr > 0 ? m->addr_text : NULL;
    switch (rc) {
    case 0:
        r.code = GW_PAP_OK;
        r.desc = "cancelled";
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: push %s of %s "
            "cancelled", c->peer_text, m->push_id, u->name);
        break;
    case WSPGW_ENOENT:
        r.code = GW_PAP_PUSH_ID_NOT_FOUND;
        break;
    case WSPGW_EBUSY:
        r.code = GW_PAP_CANCEL_NOT_POSSIBLE;
        r.desc = "the push is already delivered, being sent, or final";
        break;
    default:
        r.code = GW_PAP_INTERNAL_ERROR;
        break;
    }
    respond_pap(c, &r);
}


static void
handle_pap(struct ppg_conn *c)
{
    const struct gw_push_user *u = authenticate(c, 1);
    struct gw_pap_mime mm;
    const struct gw_pap_mime *mmp = NULL;
    struct gw_pap_msg m;
    struct gw_pap_error e;
    const uint8_t *ctl;
    size_t ctl_len;
    uint64_t now_ms = wall_ms();
    char why[200];
    int rc;

    if (u == NULL) {
        return;
    }
    c->ppg->g->stats.ppg_requests++;
    if (strncasecmp(c->content_type, "application/xml", 15) == 0
        || strncasecmp(c->content_type, "text/xml", 8) == 0)
    {
        /* Control-only messages (cancel, statusquery) may come bare. */
        ctl = c->body.data;
        ctl_len = c->body.len;
    } else {
        if (gw_pap_mime_split(c->content_type, c->body.data, c->body.len,
            &mm, why, sizeof(why)) != 0)
        {
            pap_refuse(c, GW_PAP_BADMESSAGE_RESPONSE, GW_PAP_V20, NULL,
                GW_PAP_BAD_REQUEST, why, NULL);
            return;
        }
        mmp = &mm;
        ctl = mm.part[0].data;
        ctl_len = mm.part[0].len;
    }
    rc = gw_pap_parse(ctl, ctl_len, now_ms, &m, &e);
    if (rc != 0 && e.bad_message) {
        struct gw_pap_resp r;

        memset(&r, 0, sizeof(r));
        r.kind = GW_PAP_BADMESSAGE_RESPONSE;
        r.version = m.version;
        r.code = e.code;
        r.desc = e.desc;
        r.fragment = e.fragment;
        r.fragment_len = e.fragment_len;
        c->ppg->g->stats.ppg_refused++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: bad PAP message from "
            "%s: %d %s", c->peer_text, u->name, e.code, e.desc);
        respond_pap(c, &r);
        return;
    }
    if (rc != 0) {
        pap_refuse(c, m.kind == GW_PAP_CANCEL ? GW_PAP_CANCEL_RESPONSE
            : m.kind == GW_PAP_STATUSQUERY ? GW_PAP_STATUSQUERY_RESPONSE
            : GW_PAP_PUSH_RESPONSE, m.version, m.push_id, e.code, e.desc,
            NULL);
        return;
    }
    switch (m.kind) {
    case GW_PAP_PUSH:
        pap_push(c, u, &m, mmp, now_ms);
        break;
    case GW_PAP_CANCEL:
        pap_cancel(c, u, &m, now_ms);
        break;
    default:
        pap_statusquery(c, u, &m);
        break;
    }
}


/* ==== POST /mms-notify ================================================ */

/* One form field; answers 400 and returns -1 when it is malformed. */
static int
form(struct ppg_conn *c, const char *name, char *out, size_t outlen,
    int required)
{
    char msg[120];
    int rc = gw_pap_form_field(c->body.data, c->body.len, name, out, outlen);

    if (rc == 1 && (out[0] != '\0' || !required)) {
        return 1;
    }
    if (rc == 0 && !required) {
        out[0] = '\0';
        return 0;
    }
    snprintf(msg, sizeof(msg), "field %s %s", name, rc == 0 || rc == 1
        ? "is required" : rc == WSPGW_ENOSPC ? "is too long"
        : "is malformed or repeated");
    respond_text(c, 400, msg);
    return -1;
}


static int
parse_u64(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long x;

    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    x = strtoull(s, &end, 10);
    if (*end != '\0' || x > 0xFFFFFFFFULL * 16) {
        return -1;
    }
    *v = x;
    return 0;
}


static void
handle_mms_notify(struct ppg_conn *c)
{
    struct gw *g = c->ppg->g;
    const struct gw_push_user *u = authenticate(c, 0);
    char to[256], location[512], size[24], expiry[24], from[256];
    char subject[256], tid[128], push_id[160], why[200], msg[300];
    struct wsp_mms_notification n;
    struct gw_pap_addr addr;
    struct wspgw_buf air;
    struct gw_push_msg pm;
    uint64_t now_ms = wall_ms();
    int64_t id;
    int rc;

    if (u == NULL) {
        return;
    }
    g->stats.ppg_requests++;
    if (c->content_type[0] != '\0' && strncasecmp(c->content_type,
        "application/x-www-form-urlencoded", 33) != 0)
    {
        respond_text(c, 415, "send application/x-www-form-urlencoded");
        return;
    }
    if (form(c, "to", to, sizeof(to), 1) < 0
        || form(c, "location", location, sizeof(location), 1) < 0
        || form(c, "size", size, sizeof(size), 0) < 0
        || form(c, "expiry", expiry, sizeof(expiry), 0) < 0
        || form(c, "from", from, sizeof(from), 0) < 0
        || form(c, "subject", subject, sizeof(subject), 0) < 0
        || form(c, "transaction-id", tid, sizeof(tid), 0) < 0)
    {
        g->stats.ppg_refused++;
        return;
    }
    memset(&n, 0, sizeof(n));
    n.size = 0;
    n.expiry_s = PPG_MMS_EXPIRY_S;
    if ((size[0] != '\0' && parse_u64(size, &n.size) != 0)
        || (expiry[0] != '\0' && (parse_u64(expiry, &n.expiry_s) != 0
        || n.expiry_s == 0)))
    {
        g->stats.ppg_refused++;
        respond_text(c, 400, "size and expiry are decimal numbers (octets, "
            "seconds > 0)");
        return;
    }
    if (strncasecmp(location, "http://", 7) != 0
        && strncasecmp(location, "https://", 8) != 0)
    {
        g->stats.ppg_refused++;
        respond_text(c, 400, "location must be an http(s) URL");
        return;
    }
    /* to: a number, an IP address, or a PAP address. */
    if (strncasecmp(to, "WAPPUSH=", 8) == 0) {
        rc = gw_pap_addr_parse(to, &addr, why, sizeof(why));
    } else {
        snprintf(msg, sizeof(msg), "WAPPUSH=%s/TYPE=%s", to,
            strchr(to, ':') != NULL ? "IPv6" : strchr(to, '.') != NULL
            ? "IPv4" : "PLMN");
        rc = gw_pap_addr_parse(msg, &addr, why, sizeof(why));
    }
    if (rc != 0) {
        g->stats.ppg_refused++;
        snprintf(msg, sizeof(msg), "bad to: %s", why);
        respond_text(c, 400, msg);
        return;
    }
    if (!gw_push_user_dest_ok(u, addr.type, addr.value)) {
        g->stats.ppg_refused++;
        snprintf(msg, sizeof(msg), "push-user %s may not push to %s",
            u->name, addr.value);
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: %s", c->peer_text,
            msg);
        respond_text(c, 403, msg);
        return;
    }
    if (tid[0] == '\0') {
        snprintf(tid, sizeof(tid), "wspgw-%llu-%u",
            (unsigned long long) now_ms, ++c->ppg->mms_seq);
    }
    n.transaction_id = tid;
    n.from = from[0] != '\0' ? from : NULL;
    n.subject = subject[0] != '\0' ? subject : NULL;
    n.location = location;
    wspgw_buf_init(&air, GW_PUSHQ_MAX_BODY);
    rc = wsp_mms_notification_ind_encode(&n, &air);
    if (rc != 0) {
        wspgw_buf_free(&air);
        g->stats.ppg_refused++;
        snprintf(msg, sizeof(msg), "cannot encode m-notification-ind: %s",
            wspgw_strerror(rc));
        respond_text(c, 400, msg);
        return;
    }
    snprintf(push_id, sizeof(push_id), "mms-notify:%s", tid);
    memset(&pm, 0, sizeof(pm));
    pm.push_id = push_id;
    pm.user = u->name;
    pm.addr_type = addr.type;
    pm.address = addr.value;
    pm.content_type = "application/vnd.wap.mms-message";
    pm.body = air.data;
    pm.body_len = air.len;
    pm.app_id = "x-wap-application:mms.ua";
    pm.minimal_headers = g->cfg->push_minimal_headers;
    rc = g->pushq != NULL ? gw_pushq_add(g->pushq, &pm, now_ms, &id)
        : WSPGW_EIO;
    wspgw_buf_free(&air);
    if (rc != 0) {
        const char *desc;
        int code = add_error_code(rc, &desc);

        g->stats.ppg_refused++;
        respond_text(c, code == GW_PAP_DUPLICATE_PUSH_ID ? 409
            : code == GW_PAP_SERVICE_UNAVAILABLE ? 503 : 500, desc);
        return;
    }
    g->stats.ppg_accepted++;
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "%s: mms-notify %s from %s to "
        "%s accepted (queue id %lld)", c->peer_text, tid, u->name,
        addr.value, (long long) id);
    snprintf(msg, sizeof(msg), "accepted push-id=%s", push_id);
    respond_text(c, 202, msg);
}


/* ==== HTTP parsing ==================================================== */

static int
on_url(http_parser *hp, const char *at, size_t len)
{
    struct ppg_conn *c = hp->data;

    if (c->url_len + len >= sizeof(c->url)) {
        c->url_too_long = 1;
        return 0;
    }
    memcpy(c->url + c->url_len, at, len);
    c->url_len += len;
    c->url[c->url_len] = '\0';
    return 0;
}


static int
on_header_field(http_parser *hp, const char *at, size_t len)
{
    struct ppg_conn *c = hp->data;

    if (c->in_value) {
        c->in_value = 0;
        c->hname_len = 0;
    }
    if (c->hname_len + len < sizeof(c->hname)) {
        memcpy(c->hname + c->hname_len, at, len);
        c->hname_len += len;
    } else {
        c->hname_len = sizeof(c->hname);    /* too long: no header we use */
    }
    return 0;
}


/* Appends to a NUL-terminated header field of size cap. */
static void
hdr_append(struct ppg_conn *c, char *dst, size_t cap, const char *at,
    size_t len)
{
    size_t have = strlen(dst);

    if (have + len >= cap) {
        c->hdr_too_long = 1;
        return;
    }
    memcpy(dst + have, at, len);
    dst[have + len] = '\0';
}


static int
on_header_value(http_parser *hp, const char *at, size_t len)
{
    struct ppg_conn *c = hp->data;

    if (!c->in_value) {
        c->in_value = 1;
        c->cur = H_OTHER;
        if (c->hname_len < sizeof(c->hname)) {
            c->hname[c->hname_len] = '\0';
            if (strcasecmp(c->hname, "Content-Type") == 0) {
                c->cur = H_CONTENT_TYPE;
            } else if (strcasecmp(c->hname, "Authorization") == 0) {
                c->cur = H_AUTHORIZATION;
            } else if (strcasecmp(c->hname, "X-Wap-Application-Id") == 0) {
                c->cur = H_APP_ID;
            } else if (strcasecmp(c->hname, "Expect") == 0) {
                c->cur = H_EXPECT;
            }
        }
    }
    switch (c->cur) {
    case H_CONTENT_TYPE:
        hdr_append(c, c->content_type, sizeof(c->content_type), at, len);
        break;
    case H_AUTHORIZATION:
        hdr_append(c, c->authorization, sizeof(c->authorization), at, len);
        break;
    case H_APP_ID:
        hdr_append(c, c->app_id, sizeof(c->app_id), at, len);
        break;
    case H_EXPECT:
        hdr_append(c, c->expect, sizeof(c->expect), at, len);
        break;
    default:
        break;
    }
    return 0;
}


static int
on_headers_complete(http_parser *hp)
{
    struct ppg_conn *c = hp->data;

    c->head_done = 1;
    if ((hp->flags & F_CONTENTLENGTH) != 0
        && hp->content_length > c->ppg->g->cfg->push_max_request)
    {
        c->too_large = 1;
    } else if (strcasecmp(c->expect, "100-continue") == 0) {
        /* curl waits for this before it sends a larger body (RFC 9110
         * 10.1.1); the final answer comes after the body. */
        static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        uv_buf_t b = uv_buf_init(cont, sizeof(cont) - 1);

        c->cont_req.data = c;
        (void) uv_write(&c->cont_req, (uv_stream_t *) &c->tcp, &b, 1, NULL);
    }
    return 0;
}


static int
on_body(http_parser *hp, const char *at, size_t len)
{
    struct ppg_conn *c = hp->data;

    if (c->too_large) {
        return 0;
    }
    if (wspgw_buf_append(&c->body, at, len) != 0) {
        c->too_large = 1;
    }
    return 0;
}


static int
on_message_complete(http_parser *hp)
{
    struct ppg_conn *c = hp->data;
    char path[512];
    char *q;

    snprintf(path, sizeof(path), "%s", c->url);
    q = strchr(path, '?');
    if (q != NULL) {
        *q = '\0';
    }
    if (c->url_too_long) {
        respond_text(c, 404, "no such path");
    } else if (c->hdr_too_long) {
        respond_text(c, 431, "a request header is too long");
    } else if (c->too_large) {
        respond_text(c, 413, "request body too large ([push] max-request)");
    } else if (strcmp(path, "/wappush") != 0
        && strcmp(path, "/mms-notify") != 0)
    {
        respond_text(c, 404, "no such path; POST /wappush (PAP) or "
            "/mms-notify");
    } else if (hp->method != HTTP_POST) {
        respond_text(c, 405, "only POST");
    } else if (strcmp(path, "/wappush") == 0) {
        handle_pap(c);
    } else {
        handle_mms_notify(c);
    }
    return 1;   /* one request per connection */
}


static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct ppg_conn *c = h->data;

    buf->base = c->rbuf;
    buf->len = sizeof(c->rbuf);
}


static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct ppg_conn *c = s->data;
    size_t done;

    if (nread < 0) {
        conn_close(c);
        return;
    }
    if (nread == 0 || c->responded) {
        return;
    }
    if (!c->head_done) {
        c->head_seen += (size_t) nread;
    }
    done = http_parser_execute(&c->parser, &settings, buf->base,
        (size_t) nread);
    if (c->responded) {
        return;
    }
    if (HTTP_PARSER_ERRNO(&c->parser) != HPE_OK || done != (size_t) nread) {
        respond_text(c, 400, "malformed HTTP request");
    } else if (!c->head_done && c->head_seen > PPG_HEAD_MAX) {
        respond_text(c, 431, "request head too large");
    } else if (c->head_done && c->too_large) {
        /* Do not read a body we will refuse; answer now. */
        respond_text(c, 413, "request body too large ([push] max-request)");
    }
}


static void
conn_timeout(uv_timer_t *t)
{
    struct ppg_conn *c = t->data;

    if (!c->responded && c->head_seen > 0) {
        respond_text(c, 408, "request not received in time");
        return;
    }
    conn_close(c);
}


static void
on_connection(uv_stream_t *server, int status)
{
    struct gw_ppg *p = server->data;
    struct ppg_conn *c;
    int len = (int) sizeof(struct sockaddr_storage);

    if (status != 0) {
        return;
    }
    c = wspgw_calloc(1, sizeof(*c));
    if (c == NULL) {
        return;
    }
    c->ppg = p;
    uv_tcp_init(p->g->loop, &c->tcp);
    uv_timer_init(p->g->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->open_handles = 2;
    c->next = p->conns;
    p->conns = c;
    p->n_conns++;
    wspgw_buf_init(&c->body, p->g->cfg->push_max_request);
    if (uv_accept(server, (uv_stream_t *) &c->tcp) != 0) {
        conn_close(c);
        return;
    }
    if (p->n_conns > p->g->cfg->push_max_conns) {
        p->g->stats.ppg_conn_refused++;
        conn_close(c);
        return;
    }
    uv_tcp_getpeername(&c->tcp, (struct sockaddr *) &c->peer, &len);
    gw_format_addr(c->peer_text, sizeof(c->peer_text),
        (const struct sockaddr *) &c->peer);
    c->started_ms = uv_now(p->g->loop);
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    uv_timer_start(&c->timer, conn_timeout, PPG_TIMEOUT_MS, 0);
    uv_read_start((uv_stream_t *) &c->tcp, conn_alloc, conn_read);
}


/* ==== result notifications ============================================ */

static void
note_closed(uv_handle_t *h)
{
    struct ppg_notify *n = h->data;
    struct gw_ppg *p = n->ppg;
    struct ppg_notify **pp;

    for (pp = &p->notes; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            break;
        }
    }
    p->n_notes--;
    wspgw_buf_free(&n->body);
    wspgw_free(n);
    ppg_maybe_free(p);
}


static void
note_finish(struct ppg_notify *n)
{
    if (n->closing) {
        return;
    }
    n->closing = 1;
    uv_close((uv_handle_t *) &n->timer, note_closed);
}


static void note_send(struct ppg_notify *n);


static void
note_timer(uv_timer_t *t)
{
    note_send(t->data);
}


static void
note_done(void *ctx, struct gw_http_resp *resp)
{
    static const uint64_t backoff_ms[] = { 10000, 60000 };
    struct ppg_notify *n = ctx;
    struct gw *g = n->ppg->g;

    n->xfer = NULL;
    if (resp->err == 0 && resp->status >= 200 && resp->status < 300) {
        g->stats.ppg_notify_sent++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "result notification for "
            "%s sent to %s (HTTP %d)", n->push_id, n->url, resp->status);
        note_finish(n);
        return;
    }
    if (resp->err == WSPGW_EACCES || resp->err == WSPGW_EINVAL
        || n->attempts >= PPG_NOTIFY_TRIES || n->ppg->closing)
    {
        g->stats.ppg_notify_failed++;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "result notification for "
            "%s to %s not sent: %s%s", n->push_id, n->url,
            resp->err == WSPGW_EACCES ? "host:port not in [upstream] allow"
            : resp->err != 0 ? resp->err_text : "HTTP error status",
            resp->err == WSPGW_EACCES ? "" : " (no more tries)");
        note_finish(n);
        return;
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "result notification for %s "
        "to %s failed (%s); trying again", n->push_id, n->url,
        resp->err != 0 ? resp->err_text : "HTTP error status");
    uv_timer_start(&n->timer, note_timer, backoff_ms[n->attempts - 1], 0);
}


static void
note_send(struct ppg_notify *n)
{
    struct gw *g = n->ppg->g;
    struct wsp_hdrs h;
    struct gw_http_req req;
    int rc;

    wsp_hdrs_init(&h, 256);
    wsp_hdrs_add(&h, "Content-Type", 12, "application/xml", 15);
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.url = n->url;
    req.headers = &h;
    req.body = n->body.data;
    req.body_len = n->body.len;
    req.max_response = PPG_NOTIFY_RESP_MAX;
    req.done = note_done;
    req.ctx = n;
    n->attempts++;
    rc = g->http != NULL ? gw_http_fetch(g->http, &req, &n->xfer)
        : WSPGW_ECANCELED;
    wsp_hdrs_free(&h);
    if (rc != 0) {
        g->stats.ppg_notify_failed++;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "result notification for "
            "%s not sent: %s", n->push_id, wspgw_strerror(rc));
        note_finish(n);
    }
}


void
gw_ppg_on_result(void *ctx, const struct gw_push_rec *rec)
{
    struct gw_ppg *p = ctx;
    struct ppg_notify *n;
    struct gw_pap_resp r;
    char addr[128];

    if (p == NULL || p->closing || rec->notify_to[0] == '\0') {
        return;
    }
    if (p->n_notes >= PPG_NOTIFY_MAX) {
        p->g->stats.ppg_notify_failed++;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "result notification for "
            "%s dropped: %d already waiting", rec->push_id, PPG_NOTIFY_MAX);
        return;
    }
    n = wspgw_calloc(1, sizeof(*n));
    if (n == NULL) {
        return;
    }
    n->ppg = p;
    snprintf(n->url, sizeof(n->url), "%s", rec->notify_to);
    snprintf(n->push_id, sizeof(n->push_id), "%s", rec->push_id);
    wspgw_buf_init(&n->body, PPG_RESP_MAX);
    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_RESULTNOTIFICATION;
    r.version = GW_PAP_V20;
    r.push_id = rec->push_id;
    r.sender_name = PPG_SENDER_NAME;
    r.received_ms = rec->created_ms;
    r.time_ms = rec->updated_ms;
    r.state = state_of(rec->state);
    switch (rec->state) {
    case GW_PUSH_DELIVERED:
        r.code = GW_PAP_OK;
        break;
    case GW_PUSH_CANCELLED:
        r.code = GW_PAP_OK;
        r.desc = "cancelled by the push initiator";
        break;
    case GW_PUSH_EXPIRED:
        r.code = GW_PAP_SERVICE_FAILURE;
        r.desc = "not delivered before deliver-before-timestamp or "
            "[push] max-lifetime";
        break;
    default:
        r.code = GW_PAP_SERVICE_FAILURE;
        break;
    }
    if (rec->detail[0] != '\0' && rec->state != GW_PUSH_CANCELLED) {
        r.desc = rec->detail;
    }
    gw_pap_addr_format(rec->addr_type, rec->address, addr, sizeof(addr));
    r.address = addr;
    if (gw_pap_build(&n->body, &r) != 0) {
        wspgw_buf_free(&n->body);
        wspgw_free(n);
        return;
    }
    uv_timer_init(p->g->loop, &n->timer);
    n->timer.data = n;
    n->next = p->notes;
    p->notes = n;
    p->n_notes++;
    note_send(n);
}


/* ==== open and close ================================================== */

static void
listener_closed(uv_handle_t *h)
{
    struct gw_ppg *p = h->data;

    p->listener_open = 0;
    ppg_maybe_free(p);
}


int
gw_ppg_open(struct gw_ppg **out, struct gw *g, char *err, size_t errlen)
{
    struct gw_ppg *p;
    int rc;

    *out = NULL;
    memset(&settings, 0, sizeof(settings));
    settings.on_url = on_url;
    settings.on_header_field = on_header_field;
    settings.on_header_value = on_header_value;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;
    p = wspgw_calloc(1, sizeof(*p));
    if (p == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p->g = g;
    uv_tcp_init(g->loop, &p->listener);
    p->listener.data = p;
    p->listener_open = 1;
    rc = uv_tcp_bind(&p->listener, (struct sockaddr *) &g->cfg->push_addr,
        0);
    if (rc == 0) {
        rc = uv_listen((uv_stream_t *) &p->listener, 128, on_connection);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot listen on push %s: %s",
            g->cfg->push_listen, uv_strerror(rc));
        p->closing = 1;
        uv_close((uv_handle_t *) &p->listener, listener_closed);
        return -1;
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push (PAP) HTTP on %s, %u "
        "push users", g->cfg->push_listen, g->cfg->push_users.n);
    *out = p;
    return 0;
}


void
gw_ppg_close(struct gw_ppg *p)
{
    struct ppg_conn *c;
    struct ppg_notify *n;

    if (p == NULL) {
        return;
    }
    p->closing = 1;
    for (c = p->conns; c != NULL; c = c->next) {
        conn_close(c);
    }
    for (n = p->notes; n != NULL; n = n->next) {
        if (n->xfer != NULL && p->g->http != NULL) {
            gw_http_cancel(p->g->http, n->xfer);
            n->xfer = NULL;
        }
        note_finish(n);
    }
    uv_close((uv_handle_t *) &p->listener, listener_closed);
}
