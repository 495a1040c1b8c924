/*
 * tests/unit/wsp/test_session.c - the WSP server session layer in
 * virtual time (WAP-230 7.1): scripted sequences of WTP indications and
 * gateway answers, asserting the exact actions and PDU bytes; then a walk
 * of the state tables (every state ends with a default row, every
 * reachable row fires in some script).  Redirect: exact PDU bytes for
 * IPv4 and IPv6 (tshark-verified), TERMINATING ended by TR-Result.cnf,
 * TR-Abort.ind and idle expiry.
 *
 * Script lines:
 *   "> inv H P C HEX"   TR-Invoke.ind handle H, peer P (A or B), class C
 *   "> cnf H"           TR-Result.cnf
 *   "> abt H T RR"      TR-Abort.ind type T, reason RR (hex)
 *   "> rep Mn HEX"      wsp_srv_method_reply for the n-th method seen
 *   "> mab Mn"          wsp_srv_method_abort
 *   "> tmo MS"          wsp_srv_timeout at MS
 *   "= RC"              the last command returned RC
 *   "< RESULT H HEX"    next action: TR_RESULT
 *   "< ABORT H RR"      TR_ABORT
 *   "< FETCH H Mn P URI [HEX]"  FETCH; HEX = the session headers
 *   "< CANCEL Mn"       FETCH_CANCEL
 *   "< END Sn"          SESSION_END of the n-th session id
 * In HEX, Sn stands for the uintvar of the n-th session id seen in a
 * ConnectReply.  Every action must be expected before the next command.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"
#include "session_int.h"
#include "wsp_test.h"

/* The verified Connect of wsp.md 12 (Client/Server SDU 3000, options 0,
 * MOR 1/1, message sizes 307200), session headers User-Agent "UA" and
 * Encoding-Version 1.3. */
#define CAPS_HEAD "03 80 97 38 03 81 97 38 "
#define CAPS_TAIL "02 84 01 04 88 92 E0 00 04 89 92 E0 00 "
#define HDRS "A9 'UA' 00 C3 93"
#define CONNECT "01 10 1B 06 " CAPS_HEAD "02 82 00 02 83 01 " CAPS_TAIL HDRS
#define CREPLY(s) "02 " s " 1B 00 " CAPS_HEAD "02 82 00 02 83 01 " CAPS_TAIL
/* The same with Session Resume asked for and Method-MOR 2. */
#define CONNECT_R "01 10 1B 06 " CAPS_HEAD "02 82 20 02 83 02 " CAPS_TAIL HDRS
#define CREPLY_R(s) "02 " s " 1B 00 " CAPS_HEAD "02 82 20 02 83 02 " \
    CAPS_TAIL
#define GET_A "40 0A 'http://x/a'"
#define GET_B "40 0A 'http://x/b'"
#define GET_C "40 0A 'http://x/c'"
#define REPLY "04 20 01 83 'hi'"

struct act {
    struct wsp_srv_action a;
    uint8_t data[8192];
    uint8_t sh[512];
    char uri[128];
};

static struct wsp_srv *srv;
static struct wsp_srv_config cfg;
static struct act acts[64];
static size_t nacts, apos;
static uint32_t sids[8], mids[16];
static unsigned nsids, nmids;
static int last_rc;
static uint64_t now;
static uint64_t cov[2][256];

static struct wspgw_addr peer_a, peer_b;


static void
setup_cfg(void)
{
    static const uint8_t ip_a[4] = { 10, 0, 0, 1 }, ip_b[4] = { 10, 0, 0, 2 };

    wsp_srv_config_defaults(&cfg);
    wspgw_addr_init(&peer_a, WSPGW_AF_INET, ip_a, 2000);
    wspgw_addr_init(&peer_b, WSPGW_AF_INET, ip_b, 3000);
}


static void
start(void)
{
    srv = wsp_srv_new(&cfg);
    ck_assert_ptr_nonnull(srv);
    now = 0;
    nacts = apos = 0;
    nsids = nmids = 0;
}


/* Adds srv's row hits to cov and frees it. */
static void
finish(void)
{
    int m;

    for (m = 0; m < 2; m++) {
        size_t n, i;
        const uint32_t *h = wsp__srv_row_hits(srv, m, &n);

        for (i = 0; i < n; i++) {
            cov[m][i] += h[i];
        }
    }
    wsp_srv_free(srv);
    srv = NULL;
}


static const struct wspgw_addr *
peer_of(char c)
{
    return c == 'B' ? &peer_b : &peer_a;
}


static char
peer_name(const struct wspgw_addr *a)
{
    return wspgw_addr_eq(a, &peer_b) ? 'B' : 'A';
}


static unsigned
label(uint32_t *tab, unsigned *n, uint32_t v)
{
    unsigned i;

    for (i = 0; i < *n; i++) {
        if (tab[i] == v) {
            return i + 1;
        }
    }
    ck_assert(*n < 8 || tab == mids);
    tab[(*n)++] = v;
    return *n;
}


static void
drain(void)
{
    struct wsp_srv_action a;

    nacts = apos = 0;
    while (wsp_srv_next_action(srv, &a)) {
        struct act *x = &acts[nacts++];

        ck_assert(nacts < 64);
        memset(x, 0, sizeof(*x));
        x->a = a;
        if (a.type == WSP_SRV_ACT_TR_RESULT) {
            ck_assert(a.len <= sizeof(x->data));
            memcpy(x->data, a.data, a.len);
            if (a.len > 1 && a.data[0] == WSP_PDU_CONNECT_REPLY) {
                uint32_t id;

                ck_assert(wsp_uintvar_decode(a.data + 1, a.len - 1, &id)
                    > 0);
                label(sids, &nsids, id);
            }
        }
        if (a.type == WSP_SRV_ACT_FETCH) {
            label(mids, &nmids, a.method_id);
            ck_assert(a.pdu.uri_len < sizeof(x->uri));
            memcpy(x->uri, a.pdu.uri, a.pdu.uri_len);
            ck_assert(a.session_headers_len <= sizeof(x->sh));
            if (a.session_headers_len > 0) {
                memcpy(x->sh, a.session_headers, a.session_headers_len);
            }
        }
    }
}


/* Replaces Sn by the hex of the n-th session id's uintvar. */
static void
expand(const char *in, char *out, size_t max)
{
    size_t o = 0;

    while (*in != '\0' && o + 16 < max) {
        if (in[0] == 'S' && in[1] >= '1' && in[1] <= '8') {
            unsigned k = (unsigned) (in[1] - '1');
            uint8_t u[5];
            struct wspgw_buf b;
            size_t i;

            ck_assert_msg(k < nsids, "no session id %c yet", in[1]);
            wspgw_buf_init(&b, 5);
            ck_assert_int_eq(wsp_uintvar_encode(&b, sids[k]), 0);
            memcpy(u, b.data, b.len);
            for (i = 0; i < b.len; i++) {
                o += (size_t) snprintf(out + o, max - o, "%02X ", u[i]);
            }
            wspgw_buf_free(&b);
            in += 2;
            continue;
        }
        out[o++] = *in++;
    }
    out[o] = '\0';
}


static size_t
parse_hex(const char *s, uint8_t *out, size_t max)
{
    char e[4096];

    expand(s, e, sizeof(e));
    return hex_parse(e, out, max);
}


static uint32_t
method_label(const char *s)
{
    unsigned k;

    ck_assert(s[0] == 'M');
    k = (unsigned) atoi(s + 1);
    ck_assert_msg(k >= 1 && k <= nmids, "no method %s yet", s);
    return mids[k - 1];
}


/* The TR-Invoke.res that follows every FETCH taken. */
static void
expect_invres(struct wsp_srv *server)
{
    struct wsp_srv_action r;

    ck_assert_int_eq(wsp_srv_next_action(server, &r), 1);
    ck_assert_int_eq(r.type, WSP_SRV_ACT_TR_INVOKE_RES);
}


static void
check_next(const char *line)
{
    const struct act *x;
    char s1[4096], s2[4096];
    uint8_t want[4096];
    unsigned h;
    size_t n;

    ck_assert_msg(apos < nacts, "expected '%s', no action left", line);
    x = &acts[apos++];
    if (strncmp(line, "RESULT ", 7) == 0) {
        h = (unsigned) strtoul(line + 7, NULL, 10);
        ck_assert_msg(x->a.type == WSP_SRV_ACT_TR_RESULT,
            "expected '%s', got type %d", line, x->a.type);
        ck_assert_uint_eq(x->a.wtp_handle, h);
        n = parse_hex(strchr(line + 7, ' ') + 1, want, sizeof(want));
        ck_assert_msg(n == x->a.len && memcmp(want, x->data, n) == 0,
            "%s\n got  %s\n want %s", line,
            hex_str(x->data, x->a.len, s1, sizeof(s1)),
            hex_str(want, n, s2, sizeof(s2)));
    } else if (strncmp(line, "ABORT ", 6) == 0) {
        unsigned r;

        ck_assert_msg(x->a.type == WSP_SRV_ACT_TR_ABORT,
            "expected '%s', got type %d (handle %u)", line, x->a.type,
            (unsigned) x->a.wtp_handle);
        ck_assert_int_eq(sscanf(line + 6, "%u %x", &h, &r), 2);
        ck_assert_uint_eq(x->a.wtp_handle, h);
        ck_assert_msg(x->a.reason == r, "%s: reason %02X", line,
            x->a.reason);
    } else if (strncmp(line, "FETCH ", 6) == 0) {
        char ml[8], pn[2], uri[128];
        int used = 0;

        ck_assert_msg(x->a.type == WSP_SRV_ACT_FETCH,
            "expected '%s', got type %d", line, x->a.type);
        ck_assert_int_eq(sscanf(line + 6, "%u %7s %1s %127s%n", &h, ml, pn,
            uri, &used), 4);
        ck_assert_uint_eq(x->a.wtp_handle, h);
        ck_assert_uint_eq(x->a.method_id, method_label(ml));
        ck_assert_int_eq(peer_name(&x->a.peer), pn[0]);
        ck_assert_str_eq(x->uri, uri);
        n = parse_hex(line + 6 + used, want, sizeof(want));
        ck_assert_msg(n == x->a.session_headers_len
            && memcmp(want, x->sh, n) == 0, "%s: session headers %s", line,
            hex_str(x->sh, x->a.session_headers_len, s1, sizeof(s1)));
    } else if (strncmp(line, "INVRES ", 7) == 0) {
        ck_assert_msg(x->a.type == WSP_SRV_ACT_TR_INVOKE_RES,
            "expected '%s', got type %d", line, x->a.type);
        ck_assert_uint_eq(x->a.wtp_handle,
            (unsigned) strtoul(line + 7, NULL, 10));
    } else if (strncmp(line, "END S", 5) == 0) {
        unsigned k = (unsigned) atoi(line + 5);

        ck_assert_msg(x->a.type == WSP_SRV_ACT_SESSION_END,
            "expected '%s', got type %d", line, x->a.type);
        ck_assert_msg(k >= 1 && k <= nsids, "no session id S%u yet", k);
        ck_assert_msg(x->a.session_id == sids[k - 1], "%s: session S%u "
            "ended", line, label(sids, &nsids, x->a.session_id));
        ck_assert_uint_eq(x->a.wtp_handle, 0);
    } else if (strncmp(line, "CANCEL ", 7) == 0) {
        ck_assert_msg(x->a.type == WSP_SRV_ACT_FETCH_CANCEL,
            "expected '%s', got type %d", line, x->a.type);
        ck_assert_uint_eq(x->a.method_id, method_label(line + 7));
    } else {
        ck_abort_msg("bad expectation '%s'", line);
    }
}


static void
command(const char *c)
{
    uint8_t pdu[4096];
    unsigned h, t, r, tcl;
    char p;
    int used = 0;

    ck_assert_msg(apos == nacts, "unexpected action %zu (type %d, handle "
        "%u) before '%s'", apos, acts[apos].a.type,
        (unsigned) acts[apos].a.wtp_handle, c);
    if (sscanf(c, "inv %u %c %u%n", &h, &p, &tcl, &used) == 3) {
        size_t n = parse_hex(c + used, pdu, sizeof(pdu));
        uint8_t *copy = malloc(n + 1);

        /* An exact-size copy, freed at once: ASan sees any view kept. */
        memcpy(copy, pdu, n);
        last_rc = wsp_srv_invoke_ind(srv, h, peer_of(p), tcl, copy, n, now);
        memset(copy, 0xEE, n);
        free(copy);
    } else if (sscanf(c, "cnf %u", &h) == 1) {
        last_rc = wsp_srv_result_cnf(srv, h, now);
    } else if (sscanf(c, "abt %u %u %x", &h, &t, &r) == 3) {
        last_rc = wsp_srv_abort_ind(srv, h, (uint8_t) t, (uint8_t) r, now);
    } else if (strncmp(c, "rep ", 4) == 0) {
        char ml[8];

        ck_assert_int_eq(sscanf(c + 4, "%7s%n", ml, &used), 1);
        {
            size_t n = parse_hex(c + 4 + used, pdu, sizeof(pdu));

            last_rc = wsp_srv_method_reply(srv, method_label(ml), pdu, n,
                now);
        }
    } else if (strncmp(c, "mab ", 4) == 0) {
        last_rc = wsp_srv_method_abort(srv, method_label(c + 4), now);
    } else if (sscanf(c, "tmo %u", &h) == 1) {
        now = h;
        wsp_srv_timeout(srv, now);
        last_rc = 0;
    } else {
        ck_abort_msg("bad command '%s'", c);
    }
    drain();
}


static void
run(const char *const *lines)
{
    for (; *lines != NULL; lines++) {
        const char *l = *lines;

        if (l[0] == '>') {
            command(l + 2);
        } else if (l[0] == '<') {
            check_next(l + 2);
        } else if (l[0] == '=') {
            ck_assert_msg(last_rc == atoi(l + 2), "rc %d, want %s", last_rc,
                l + 2);
        } else {
            ck_abort_msg("bad line '%s'", l);
        }
    }
    ck_assert_msg(apos == nacts, "unexpected action type %d at the end",
        acts[apos].a.type);
}


/* ---- Scenarios (each also feeds the coverage walk) ---------------------- */

static void
sc_connect_get_reply(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " CREPLY("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> rep M1 " REPLY,
        "< RESULT 2 " REPLY,
        "> cnf 2",
        "= 0",
        "> rep M1 " REPLY,
        "= -9",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->replies, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->methods_active, 0);
}


static void
sc_mor_exceeded(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> inv 3 A 2 " GET_B,
        "< FETCH 3 M2 A http://x/b " HDRS,
        "< INVRES 3",
        "> inv 4 A 2 " GET_C,
        "< ABORT 4 E7",
        "> rep M1 " REPLY,
        "< RESULT 2 " REPLY,
        /* Still two outstanding until the Result is acknowledged. */
        "> inv 5 A 2 " GET_C,
        "< ABORT 5 E7",
        "> cnf 2",
        "> inv 6 A 2 " GET_C,
        "< FETCH 6 M3 A http://x/c " HDRS,
        "< INVRES 6",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->mor_exceeded, 2);
}


static void
sc_disconnect_cancels(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> inv 3 A 2 " GET_B,
        "< FETCH 3 M2 A http://x/b " HDRS,
        "< INVRES 3",
        "> rep M2 " REPLY,
        "< RESULT 3 " REPLY,
        /* A wrong id or the wrong peer: ignored (7.1.5, class 0). */
        "> inv 7 A 0 05 7F",
        "> inv 7 B 0 05 S1",
        "> inv 8 A 2 05 S1",
        "< ABORT 8 E0",
        /* fakewap reuses the Get's TID for its class 0 Disconnect. */
        "> inv 10 A 0 05 S1",
        "< ABORT 3 E1",
        "< ABORT 2 E1",
        "< CANCEL M1",
        "< END S1",
        "> inv 9 A 2 " GET_A,
        "< ABORT 9 E1",
        "> rep M1 " REPLY,
        "= -9",
        "> cnf 3",
        "= -9",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->session_bytes, 0);
}


static void
sc_suspend_resume_new_address(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> inv 3 A 0 08 S1",
        "< ABORT 2 E2",
        "< CANCEL M1",
        "> inv 4 A 2 " GET_B,
        "< ABORT 4 E2",
        /* Resume from a new address with new session headers. */
        "> inv 5 B 2 09 S1 00 A9 'UA2' 00",
        "< RESULT 5 04 20 00",
        "> inv 6 B 2 " GET_C,
        "< FETCH 6 M2 B http://x/c A9 'UA2' 00",
        "< INVRES 6",
        "> cnf 5",
        "> inv 7 A 2 " GET_A,
        "< ABORT 7 E1",
        "> inv 8 B 2 09 7F 00",
        "< ABORT 8 E1",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->suspends, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->resumes, 1);
}


static void
sc_resume_refused(void)
{
    static const char *const s[] = {
        /* Resume not negotiated: a Resume is aborted, a Suspend ignored,
         * the session stays. */
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " CREPLY("S1"),
        "> inv 2 B 2 09 S1 00",
        "< ABORT 2 E1",
        "> cnf 1",
        "> inv 3 B 2 09 S1 00",
        "< ABORT 3 E1",
        "> inv 4 A 0 08 S1",
        "> inv 5 A 2 " GET_A,
        "< FETCH 5 M1 A http://x/a " HDRS,
        "< INVRES 5",
        NULL
    };

    run(s);
}


static void
sc_idle_expiry(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " CREPLY("S1"),
        "> cnf 1",
        "> tmo 999",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        /* A method in flight keeps the session. */
        "> tmo 5000",
        "> rep M1 " REPLY,
        "< RESULT 2 " REPLY,
        "> cnf 2",
        "> tmo 5999",
        "> tmo 6000",
        "< END S1",
        "> inv 3 A 2 " GET_A,
        "< ABORT 3 E1",
        NULL
    };

    cfg.idle_timeout_ms = 1000;
    finish();
    start();
    ck_assert_uint_eq(wsp_srv_next_deadline(srv), UINT64_MAX);
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->expired, 1);
    ck_assert_uint_eq(wsp_srv_next_deadline(srv), UINT64_MAX);
}


static void
sc_unknown_session_and_bad_pdus(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " GET_A,
        "< ABORT 1 E1",
        "> inv 2 A 1 " GET_A,
        "< ABORT 2 E0",
        "> inv 3 A 0 " GET_A,
        "> inv 4 A 2 09 81 00 00",
        "< ABORT 4 E1",
        "> inv 5 A 0 05 01",
        "> inv 6 A 2 04 20 00",
        "< ABORT 6 E0",
        "> inv 7 A 2 ",
        "< ABORT 7 E0",
        "> inv 8 A 2 01 10 05",
        "< ABORT 8 E0",
        "> inv 9 A 2 01 20 00 00",
        "< ABORT 9 E5",
        "> inv 10 A 2 01 10 02 00 00",
        "< ABORT 10 E0",
        "> inv 11 A 0 " CONNECT,
        "> inv 12 A 1 " CONNECT,
        "< ABORT 12 E0",
        "> inv 13 A 2 01 10 00 00",
        "< RESULT 13 02 S1 00 00",
        /* An extended method (none negotiated), a broken Get. */
        "> inv 14 A 2 50 01 '/'",
        "< ABORT 14 E0",
        "> inv 15 A 2 40 09 '/'",
        "< ABORT 15 E0",
        "> cnf 99",
        "= -9",
        NULL
    };

    run(s);
}


static void
sc_max_sessions(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " CREPLY("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> inv 3 B 2 " CONNECT,
        "< ABORT 3 E4",
        /* A new Connect from A replaces its session. */
        "> inv 4 A 2 " CONNECT,
        "< ABORT 2 E1",
        "< CANCEL M1",
        "< END S1",
        "< RESULT 4 " CREPLY("S2"),
        NULL
    };

    cfg.max_sessions = 1;
    finish();
    start();
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 1);
    ck_assert(sids[0] != sids[1]);
}


static void
sc_method_aborts(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        /* The handset aborts a method being fetched. */
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> abt 2 1 EA",
        "< CANCEL M1",
        "> rep M1 " REPLY,
        "= -9",
        /* ... or while its Result is on the way (nothing to cancel). */
        "> inv 3 A 2 " GET_B,
        "< FETCH 3 M2 A http://x/b " HDRS,
        "< INVRES 3",
        "> rep M2 " REPLY,
        "< RESULT 3 " REPLY,
        "> abt 3 0 08",
        /* The gateway gives up on one it is fetching, and on one it has
         * answered. */
        "> inv 4 A 2 " GET_C,
        "< FETCH 4 M3 A http://x/c " HDRS,
        "< INVRES 4",
        "> mab M3",
        "< ABORT 4 E8",
        "> inv 5 A 2 " GET_C,
        "< FETCH 5 M4 A http://x/c " HDRS,
        "< INVRES 5",
        "> rep M4 " REPLY,
        "< RESULT 5 " REPLY,
        "> mab M4",
        "< ABORT 5 E8",
        "> mab M4",
        "= -9",
        "> rep M4 04",
        "= -9",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->methods_active, 0);
}


static void
sc_abort_before_fetch_taken(void)
{
    uint8_t get[32], con[128], disc[8];
    size_t n = hex_parse(GET_A, get, sizeof(get)), cn, dn;
    struct wsp_srv_action a;
    uint32_t sid;

    cn = hex_parse(CONNECT_R, con, sizeof(con));
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 1, 0), 0);
    /* Two Gets, the first aborted by the handset, the second by the
     * gateway, before the gateway took any FETCH: both are withdrawn. */
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer_a, 2, get, n, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 3, &peer_a, 2, get, n, 0), 0);
    ck_assert_int_eq(wsp_srv_abort_ind(srv, 2, 1, 0xEA, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    disc[0] = WSP_PDU_DISCONNECT;
    dn = 1 + (size_t) wsp_uintvar_decode(a.data + 1, a.len - 1, &sid);
    memcpy(disc + 1, a.data + 1, dn - 1);
    ck_assert_int_eq(wsp_srv_method_abort(srv, 2, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_ABORT);
    ck_assert_uint_eq(a.wtp_handle, 3);
    ck_assert_uint_eq(a.reason, 0xE8);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_int_eq(wsp_srv_method_abort(srv, 2, 0), WSPGW_ENOENT);
    ck_assert_uint_eq(wsp_srv_stats(srv)->methods_active, 0);
    /* A third, aborted by a Disconnect before it is taken. */
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 4, &peer_a, 2, get, n, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 5, &peer_a, 0, disc, dn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_ABORT);
    ck_assert_uint_eq(a.wtp_handle, 4);
    ck_assert_uint_eq(a.reason, 0xE1);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_SESSION_END);
    ck_assert_uint_eq(a.session_id, sid);
    ck_assert(wspgw_addr_eq(&a.peer, &peer_a));
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
}


static void
sc_abort_disconnect_reason(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> inv 3 A 2 " GET_B,
        "< FETCH 3 M2 A http://x/b " HDRS,
        "< INVRES 3",
        /* A method aborted with DISCONNECT disconnects the session. */
        "> abt 2 1 E1",
        "< ABORT 3 E1",
        "< CANCEL M2",
        "< CANCEL M1",
        "< END S1",
        "> inv 4 A 2 " GET_A,
        "< ABORT 4 E1",
        /* ... and with SUSPEND suspends it (Resume negotiated). */
        "> inv 5 A 2 " CONNECT_R,
        "< RESULT 5 " CREPLY_R("S2"),
        "> cnf 5",
        "> inv 6 A 2 " GET_A,
        "< FETCH 6 M3 A http://x/a " HDRS,
        "< INVRES 6",
        "> rep M3 " REPLY,
        "< RESULT 6 " REPLY,
        "> abt 6 1 E2",
        "> inv 7 A 2 " GET_A,
        "< ABORT 7 E2",
        "> inv 8 A 0 05 S2",
        "< END S2",
        "> inv 9 A 2 " GET_A,
        "< ABORT 9 E1",
        /* Without Resume, SUSPEND disconnects. */
        "> inv 10 A 2 " CONNECT,
        "< RESULT 10 " CREPLY("S3"),
        "> cnf 10",
        "> inv 11 A 2 " GET_A,
        "< FETCH 11 M4 A http://x/a " HDRS,
        "< INVRES 11",
        "> abt 11 1 E2",
        "< CANCEL M4",
        "< END S3",
        "> inv 12 A 2 " GET_A,
        "< ABORT 12 E1",
        NULL
    };

    run(s);
}


/* TR-Abort.ind with DISCONNECT / SUSPEND while the FETCH is still
 * queued (REQUESTING) and after the Reply went (REPLYING). */
static void
sc_abort_reasons_queued(void)
{
    uint8_t con[128], get[32], rep[16];
    size_t cn = hex_parse(CONNECT_R, con, sizeof(con));
    size_t gn = hex_parse(GET_A, get, sizeof(get));
    size_t rn = hex_parse(REPLY, rep, sizeof(rep));
    struct wsp_srv_action a;

    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 1, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer_a, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_abort_ind(srv, 2, 1, 0xE1, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);  /* ConnectReply */
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_SESSION_END);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);

    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 3, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 3, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 4, &peer_a, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_abort_ind(srv, 4, 1, 0xE2, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->suspends, 1);

    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 5, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 5, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 6, &peer_a, 2, get, gn, 0), 0);
    /* The suspended session of the same peer was replaced. */
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_SESSION_END);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_FETCH);
    expect_invres(srv);
    ck_assert_int_eq(wsp_srv_method_reply(srv, a.method_id, rep, rn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert_int_eq(wsp_srv_abort_ind(srv, 6, 1, 0xE1, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_SESSION_END);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->session_bytes, 0);
}


/* Everything that can happen before the ConnectReply is acknowledged. */
static void
sc_connecting_2(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> rep M1 " REPLY,
        "< RESULT 2 " REPLY,
        "> cnf 2",
        "> inv 3 A 2 " GET_B,
        "< FETCH 3 M2 A http://x/b " HDRS,
        "< INVRES 3",
        "> abt 3 0 01",
        "< CANCEL M2",
        /* The handset aborts the ConnectReply: session gone. */
        "> inv 4 A 2 " GET_C,
        "< FETCH 4 M3 A http://x/c " HDRS,
        "< INVRES 4",
        "> abt 1 0 08",
        "< ABORT 4 E1",
        "< CANCEL M3",
        "< END S1",
        "> inv 5 A 2 " GET_A,
        "< ABORT 5 E1",
        /* Disconnect before the ack. */
        "> inv 6 A 2 " CONNECT_R,
        "< RESULT 6 " CREPLY_R("S2"),
        "> inv 7 A 0 05 S2",
        "< ABORT 6 E1",
        "< END S2",
        /* Suspend before the ack, then Resume. */
        "> inv 8 A 2 " CONNECT_R,
        "< RESULT 8 " CREPLY_R("S3"),
        "> inv 9 A 0 08 S3",
        "< ABORT 8 E2",
        "> inv 10 A 2 09 S3 00",
        "< RESULT 10 04 20 00",
        "> cnf 10",
        /* Resume before the ack (from B), then a second Connect from B
         * replaces the resumed one before its ack. */
        "> inv 11 A 2 " CONNECT_R,
        "< END S3",
        "< RESULT 11 " CREPLY_R("S4"),
        "> inv 12 B 2 09 S4 00",
        "< ABORT 11 E3",
        "< RESULT 12 04 20 00",
        "> inv 13 B 2 " CONNECT_R,
        "< ABORT 12 E1",
        "< END S4",
        "< RESULT 13 " CREPLY_R("S5"),
        /* Replaced before the ack by a new Connect from the same peer. */
        "> inv 14 B 2 " CONNECT_R,
        "< ABORT 13 E1",
        "< END S5",
        "< RESULT 14 " CREPLY_R("S6"),
        /* A method aborted with SUSPEND before the ack. */
        "> inv 15 B 2 " GET_A,
        "< FETCH 15 M4 B http://x/a " HDRS,
        "< INVRES 15",
        "> abt 15 1 E2",
        "< ABORT 14 E2",
        "< CANCEL M4",
        NULL
    };

    run(s);
}


static void
sc_connecting_2_no_resume(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " CREPLY("S1"),
        "> inv 2 A 2 " GET_A,
        "< FETCH 2 M1 A http://x/a " HDRS,
        "< INVRES 2",
        "> abt 2 1 E2",
        "< ABORT 1 E1",
        "< CANCEL M1",
        "< END S1",
        "> inv 3 A 2 " GET_A,
        "< ABORT 3 E1",
        NULL
    };

    run(s);
}


/* Everything around a Resume before its Reply is acknowledged. */
static void
sc_resuming_2(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 0 08 S1",
        "> inv 3 B 2 09 S1 00",
        "< RESULT 3 04 20 00",
        "> inv 4 B 2 " GET_A,
        "< FETCH 4 M1 B http://x/a " HDRS,
        "< INVRES 4",
        "> rep M1 " REPLY,
        "< RESULT 4 " REPLY,
        "> cnf 4",
        "> inv 5 B 2 " GET_B,
        "< FETCH 5 M2 B http://x/b " HDRS,
        "< INVRES 5",
        "> abt 5 0 01",
        "< CANCEL M2",
        /* A second Resume replaces the first. */
        "> inv 6 A 2 09 S1 00",
        "< ABORT 3 E3",
        "< RESULT 6 04 20 00",
        /* Suspend PDU in RESUMING_2. */
        "> inv 7 A 0 08 S1",
        "< ABORT 6 E2",
        "> inv 8 A 2 09 S1 00",
        "< RESULT 8 04 20 00",
        /* The Resume's Result aborted by the handset: suspended. */
        "> abt 8 0 08",
        "> inv 9 A 2 09 S1 00",
        "< RESULT 9 04 20 00",
        /* ... aborted with DISCONNECT: gone. */
        "> abt 9 1 E1",
        "< END S1",
        "> inv 10 A 2 09 S1 00",
        "< ABORT 10 E1",
        NULL
    };

    run(s);
}


static void
sc_resuming_2_more(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 2 09 S1 00",
        "< RESULT 2 04 20 00",
        /* A method aborted with SUSPEND in RESUMING_2. */
        "> inv 3 A 2 " GET_A,
        "< FETCH 3 M1 A http://x/a " HDRS,
        "< INVRES 3",
        "> abt 3 1 E2",
        "< ABORT 2 E2",
        "< CANCEL M1",
        "> inv 4 A 2 09 S1 00",
        "< RESULT 4 04 20 00",
        /* Disconnect PDU in RESUMING_2. */
        "> inv 5 A 0 05 S1",
        "< ABORT 4 E1",
        "< END S1",
        /* Idle expiry in RESUMING_2 and in SUSPENDED. */
        "> inv 6 A 2 " CONNECT_R,
        "< RESULT 6 " CREPLY_R("S2"),
        "> cnf 6",
        "> inv 7 A 2 09 S2 00",
        "< RESULT 7 04 20 00",
        "> tmo 700000",
        "< ABORT 7 E1",
        "< END S2",
        "> inv 8 A 2 " CONNECT_R,
        "< RESULT 8 " CREPLY_R("S3"),
        "> cnf 8",
        "> inv 9 A 0 08 S3",
        "> tmo 1400000",
        "< END S3",
        "> inv 10 A 2 09 S3 00",
        "< ABORT 10 E1",
        /* Disconnect PDU while SUSPENDED. */
        "> inv 11 A 2 " CONNECT_R,
        "< RESULT 11 " CREPLY_R("S4"),
        "> cnf 11",
        "> inv 12 A 0 08 S4",
        "> inv 13 A 0 05 S4",
        "< END S4",
        "> inv 14 A 2 09 S4 00",
        "< ABORT 14 E1",
        NULL
    };

    now = 0;
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->expired, 2);
}


/* A Connect replacing a suspended session of the same peer. */
static void
sc_replace_suspended(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT_R,
        "< RESULT 1 " CREPLY_R("S1"),
        "> cnf 1",
        "> inv 2 A 0 08 S1",
        "> inv 3 A 2 " CONNECT_R,
        "< END S1",
        "< RESULT 3 " CREPLY_R("S2"),
        "> inv 4 A 2 09 S1 00",
        "< ABORT 4 E1",
        NULL
    };

    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 1);
}


static void
sc_oversize_reply(void)
{
    static uint8_t big[4000];
    uint8_t con[128], get[32];
    size_t cn, gn;
    struct wsp_srv_action a;
    uint32_t mid;

    /* Client-SDU-Size 3000 (the verified Connect). */
    cn = hex_parse(CONNECT, con, sizeof(con));
    gn = hex_parse(GET_A, get, sizeof(get));
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer_a, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_FETCH);
    ck_assert_uint_eq(a.client_sdu, 3000);
    ck_assert_uint_eq(a.enc, 0x13);
    mid = a.method_id;
    big[0] = 0x04;
    big[1] = 0x20;
    big[2] = 0x01;
    big[3] = 0x83;
    expect_invres(srv);
    ck_assert_int_eq(wsp_srv_method_reply(srv, mid, big, sizeof(big), 0),
        0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert_uint_eq(a.wtp_handle, 2);
    ck_assert(a.len <= 3000);
    ck_assert_uint_eq(a.data[0], 0x04);
    ck_assert_uint_eq(a.data[1], 0x62);     /* 502 */
    ck_assert_uint_eq(a.data[2], 0x01);
    ck_assert_uint_eq(a.data[3], 0x83);     /* text/plain */
    ck_assert_ptr_nonnull(memmem(a.data, a.len, "4000 octets", 11));
    ck_assert_ptr_nonnull(memmem(a.data, a.len, "3000", 4));
    ck_assert_uint_eq(wsp_srv_stats(srv)->oversize_replies, 1);
}


static void
sc_oversize_tiny_sdu(void)
{
    static uint8_t big[200];
    uint8_t con[64], get[32];
    size_t cn, gn;
    struct wsp_srv_action a;

    /* Client-SDU-Size 40: the explanation is cut to fit exactly. */
    cn = hex_parse("01 10 03 00 02 80 28", con, sizeof(con));
    gn = hex_parse(GET_A, get, sizeof(get));
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer_a, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    big[0] = 0x04;
    big[1] = 0x20;
    big[2] = 0x00;
    expect_invres(srv);
    ck_assert_int_eq(wsp_srv_method_reply(srv, a.method_id, big, 200, 0),
        0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_uint_eq(a.len, 40);
    ck_assert_uint_eq(a.data[1], 0x62);
    ck_assert_int_eq(memcmp(a.data + 4, "wspgw: the response", 19), 0);
    /* A reply that fits goes as it is. */
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 2, 0), 0);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 3, &peer_a, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    expect_invres(srv);
    ck_assert_int_eq(wsp_srv_method_reply(srv, a.method_id, big, 40, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_uint_eq(a.len, 40);
    ck_assert_uint_eq(a.data[1], 0x20);
}


static void
sc_mru_and_header_cap(void)
{
    static const char *const s[] = {
        /* Server-SDU-Size 100; headers cut to the cap of 5 octets. */
        "> inv 1 A 2 01 10 03 06 02 81 64 " HDRS,
        "< RESULT 1 02 S1 03 00 02 81 64",
        "> inv 2 A 2 40 7F '0123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789"
        "01234567890123456789012345678901234567890123456'",
        "< ABORT 2 E6",
        "> inv 3 A 2 " GET_A,
        "< FETCH 3 M1 A http://x/a A9 'UA' 00",
        "< INVRES 3",
        NULL
    };

    cfg.max_session_headers = 5;
    finish();
    start();
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->headers_truncated, 1);
}


static void
sc_session_ids(void)
{
    struct wsp_srv_config c2 = cfg;
    struct wsp_srv *s2;
    uint8_t con[128];
    size_t cn = hex_parse(CONNECT, con, sizeof(con));
    struct wsp_srv_action a;
    uint32_t id1, id2, prev = 0;
    int i;

    /* Distinct, not sequential, under 2^28; another seed, other ids. */
    for (i = 0; i < 50; i++) {
        struct wspgw_addr p = peer_a;

        p.port = (uint16_t) (5000 + i);
        ck_assert_int_eq(wsp_srv_invoke_ind(srv, (uint32_t) i + 1, &p, 2,
            con, cn, 0), 0);
        ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
        ck_assert(wsp_uintvar_decode(a.data + 1, a.len - 1, &id1) > 0);
        ck_assert(id1 != 0 && id1 < (1u << 28));
        ck_assert(id1 != prev && id1 != prev + 1);
        prev = id1;
    }
    c2.id_seed = 12345;
    s2 = wsp_srv_new(&c2);
    ck_assert_int_eq(wsp_srv_invoke_ind(s2, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(s2, &a), 1);
    ck_assert(wsp_uintvar_decode(a.data + 1, a.len - 1, &id2) > 0);
    ck_assert(id2 != sids[0]);
    wsp_srv_free(s2);
}


/* ---- Redirect (8.2.2.3; 7.1.6.4 CONNECTING S-Disconnect.req and
 * TERMINATING) ------------------------------------------------------------ */

/* The Redirect of wsp.md 10 (tshark-verified): permanent, to
 * 192.0.2.1:9201 over IPv4. */
#define REDIRECT_V4 "03 80 C4 00 23 F1 C0 00 02 01"
/* Temporary, reuse security, to [2001:db8::1]:9201 then 192.0.2.1:9201
 * (checked with text2pcap + tshark: two address records, no expert
 * items). */
#define REDIRECT_V6 "03 40 D0 01 23 F1 20 01 0D B8 00 00 00 00 00 00 00 " \
    "00 00 00 00 01 C4 00 23 F1 C0 00 02 01"

static void
redirect_cfg(int v6)
{
    static const uint8_t v4a[4] = { 192, 0, 2, 1 };
    static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 1 };

    if (v6) {
        wspgw_addr_init(&cfg.redirect[0], WSPGW_AF_INET6, v6a, 9201);
        wspgw_addr_init(&cfg.redirect[1], WSPGW_AF_INET, v4a, 9201);
        cfg.n_redirect = 2;
        cfg.redirect_permanent = 0;
        cfg.redirect_reuse_security = 1;
    } else {
        wspgw_addr_init(&cfg.redirect[0], WSPGW_AF_INET, v4a, 9201);
        cfg.n_redirect = 1;
        cfg.redirect_permanent = 1;
    }
    finish();
    start();
}


static void
sc_redirect_v4(void)
{
    static const char *const s[] = {
        /* A malformed Connect is still refused as such. */
        "> inv 1 A 2 01 10 05",
        "< ABORT 1 E0",
        "> inv 2 A 2 " CONNECT,
        "< RESULT 2 " REDIRECT_V4,
        /* No session: a method is refused, a Disconnect ignored. */
        "> inv 3 A 2 " GET_A,
        "< ABORT 3 E1",
        "> inv 4 A 0 05 00",
        /* TERMINATING, TR-Result.cnf: the proto-session ends. */
        "> cnf 2",
        "= 0",
        "> cnf 2",
        "= -9",
        /* Every Connect is redirected, again and again. */
        "> inv 5 A 2 " CONNECT_R,
        "< RESULT 5 " REDIRECT_V4,
        "> cnf 5",
        NULL
    };

    redirect_cfg(0);
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->connects, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->redirects, 2);
    ck_assert_uint_eq(wsp_srv_stats(srv)->disconnects, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->session_bytes, 0);
    ck_assert_uint_eq(wsp_srv_next_deadline(srv), UINT64_MAX);
}


static void
sc_redirect_v6(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " REDIRECT_V6,
        /* max_sessions (1) proto-sessions wait for their Result. */
        "> inv 2 B 2 " CONNECT,
        "< ABORT 2 E4",
        /* TERMINATING, TR-Abort.ind: ignored, the proto-session ends. */
        "> abt 1 0 08",
        "= 0",
        "> inv 3 B 2 " CONNECT,
        "< RESULT 3 " REDIRECT_V6,
        /* Left in TERMINATING: wsp_srv_free frees it (ASan). */
        NULL
    };

    cfg.max_sessions = 1;
    redirect_cfg(1);
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
    ck_assert_uint_eq(wsp_srv_stats(srv)->redirects, 2);
    ck_assert_uint_eq(wsp_srv_stats(srv)->refused, 1);
}


static void
sc_redirect_idle(void)
{
    static const char *const s[] = {
        "> inv 1 A 2 " CONNECT,
        "< RESULT 1 " REDIRECT_V4,
        /* TERMINATING, Disconnect (idle expiry: WTP never ended the
         * transaction): TR-Abort.req(DISCONNECT) the remaining one. */
        "> tmo 1000",
        "< ABORT 1 E1",
        "> cnf 1",
        "= -9",
        NULL
    };

    cfg.idle_timeout_ms = 1000;
    redirect_cfg(0);
    run(s);
    ck_assert_uint_eq(wsp_srv_stats(srv)->expired, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->session_bytes, 0);
}


/* OOM on a redirected Connect: CONNECTERR or the Redirect, never a
 * crash or a leak (ASan). */
START_TEST(t_redirect_oom)
{
    uint8_t con[128];
    size_t cn = hex_parse(CONNECT, con, sizeof(con));
    long k;
    int done = 0;

    setup_cfg();
    cfg.n_redirect = 1;
    wspgw_addr_init(&cfg.redirect[0], WSPGW_AF_INET, "\xC0\x00\x02\x01",
        9201);
    for (k = 0; !done && k < 100; k++) {
        struct wsp_srv *s;
        struct wsp_srv_action a;

        wspgw_alloc_fail_after(k);
        s = wsp_srv_new(&cfg);
        if (s == NULL) {
            wspgw_alloc_fail_after(-1);
            continue;
        }
        (void) wsp_srv_invoke_ind(s, 1, &peer_a, 2, con, cn, 0);
        while (wsp_srv_next_action(s, &a)) {
            if (a.type == WSP_SRV_ACT_TR_RESULT) {
                ck_assert_uint_eq(a.len, 10);
                ck_assert_uint_eq(a.data[0], WSP_PDU_REDIRECT);
                done = 1;
            } else {
                ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_ABORT);
                ck_assert_uint_eq(a.reason, 0xE5);
            }
        }
        wspgw_alloc_fail_after(-1);
        if (k % 2 == 0) {
            (void) wsp_srv_result_cnf(s, 1, 0);
        }
        wsp_srv_free(s);
    }
    ck_assert_msg(done, "never redirected");
}
END_TEST


/* ---- Tests ------------------------------------------------------------ */

#define SCENARIO(fn)                                                       \
    START_TEST(t_##fn)                                                     \
    {                                                                      \
        setup_cfg();                                                       \
        start();                                                           \
        fn();                                                              \
        finish();                                                          \
    }                                                                      \
    END_TEST

SCENARIO(sc_connect_get_reply)
SCENARIO(sc_mor_exceeded)
SCENARIO(sc_disconnect_cancels)
SCENARIO(sc_suspend_resume_new_address)
SCENARIO(sc_resume_refused)
SCENARIO(sc_idle_expiry)
SCENARIO(sc_unknown_session_and_bad_pdus)
SCENARIO(sc_max_sessions)
SCENARIO(sc_method_aborts)
SCENARIO(sc_abort_before_fetch_taken)
SCENARIO(sc_abort_disconnect_reason)
SCENARIO(sc_abort_reasons_queued)
SCENARIO(sc_connecting_2)
SCENARIO(sc_connecting_2_no_resume)
SCENARIO(sc_resuming_2)
SCENARIO(sc_resuming_2_more)
SCENARIO(sc_replace_suspended)
SCENARIO(sc_oversize_reply)
SCENARIO(sc_oversize_tiny_sdu)
SCENARIO(sc_mru_and_header_cap)
SCENARIO(sc_redirect_v4)
SCENARIO(sc_redirect_v6)
SCENARIO(sc_redirect_idle)

/*
 * SESSION_END (added for the gateway's per-session state): a Suspend is
 * not an end, a Resume from a new address keeps the session (the end
 * then names the new peer), a Disconnect ends it once, after its
 * cancellations; wsp_srv_free queues nothing.
 */
START_TEST(t_session_end)
{
    uint8_t con[128], get[32], pdu[16];
    size_t cn, gn, n;
    struct wsp_srv_action a;
    uint32_t sid, mid;
    int ends = 0;

    setup_cfg();
    start();
    cn = hex_parse(CONNECT_R, con, sizeof(con));
    gn = hex_parse(GET_A, get, sizeof(get));
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert(wsp_uintvar_decode(a.data + 1, a.len - 1, &sid) > 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 1, 0), 0);
    /* Suspend (class 0), then Resume from peer B: no end. */
    pdu[0] = WSP_PDU_SUSPEND;
    n = 1 + wsp__uintvar_put(pdu + 1, sid);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer_a, 0, pdu, n, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    pdu[0] = WSP_PDU_RESUME;
    pdu[n] = 0x00;      /* no capabilities */
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 3, &peer_b, 2, pdu, n + 1, 0),
        0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 3, 0), 0);
    /* A method in flight, then the Disconnect from B. */
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 4, &peer_b, 2, get, gn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_FETCH);
    ck_assert_uint_eq(a.session_id, sid);
    mid = a.method_id;
    expect_invres(srv);
    pdu[0] = WSP_PDU_DISCONNECT;
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 5, &peer_b, 0, pdu, n, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_ABORT);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_FETCH_CANCEL);
    ck_assert_uint_eq(a.method_id, mid);
    while (wsp_srv_next_action(srv, &a)) {
        ck_assert_int_eq(a.type, WSP_SRV_ACT_SESSION_END);
        ck_assert_uint_eq(a.session_id, sid);
        ck_assert(wspgw_addr_eq(&a.peer, &peer_b));
        ends++;
    }
    ck_assert_int_eq(ends, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->sessions, 0);
    /* A live session at wsp_srv_free: freed without an action (ASan
     * checks nothing leaks). */
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 6, &peer_a, 2, con, cn, 0), 0);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
    finish();
}
END_TEST


START_TEST(t_session_ids)
{
    setup_cfg();
    start();
    {
        uint8_t con[128];
        size_t cn = hex_parse(CONNECT, con, sizeof(con));

        ck_assert_int_eq(wsp_srv_invoke_ind(srv, 99, &peer_b, 2, con, cn, 0),
            0);
        drain();
        apos = nacts;
    }
    sc_session_ids();
    finish();
}
END_TEST

static void (*const all_scenarios[])(void) = {
    sc_connect_get_reply, sc_mor_exceeded, sc_disconnect_cancels,
    sc_suspend_resume_new_address, sc_resume_refused, sc_idle_expiry,
    sc_unknown_session_and_bad_pdus, sc_max_sessions, sc_method_aborts,
    sc_abort_before_fetch_taken, sc_abort_disconnect_reason,
    sc_abort_reasons_queued,
    sc_connecting_2, sc_connecting_2_no_resume, sc_resuming_2,
    sc_resuming_2_more, sc_replace_suspended, sc_oversize_reply,
    sc_oversize_tiny_sdu, sc_mru_and_header_cap,
    sc_redirect_v4, sc_redirect_v6, sc_redirect_idle,
};


/*
 * The table walk (STYLE.md 3.6): every state of both machines ends with
 * an unguarded default row, so every (state, event) pair matches a row;
 * rows name valid states; and every transcribed row that can fire
 * (not WSP_ROW_SYNC or WSP_ROW_UNUSED, not a 7.1.5 default) fires in
 * some scenario.
 */
START_TEST(t_table_walk)
{
    char missing[2048];
    size_t i, o = 0;
    int m;

    for (i = 0; i < sizeof(all_scenarios) / sizeof(all_scenarios[0]); i++) {
        setup_cfg();
        start();
        all_scenarios[i]();
        finish();
    }
    for (m = 0; m < 2; m++) {
        size_t n;
        const struct wsp__row *rows = wsp__table_rows(m, &n);
        unsigned nstates = m == 0 ? WSP_SS_COUNT : WSP_MS_COUNT;
        unsigned nevents = m == 0 ? WSP_SE_COUNT : WSP_ME_COUNT;
        unsigned any = m == 0 ? WSP_SE_ANY : WSP_ME_ANY;
        unsigned same = m == 0 ? WSP_SS_SAME : WSP_MS_SAME;
        unsigned st, ev;

        ck_assert(n <= 256);
        for (i = 0; i < n; i++) {
            ck_assert(rows[i].state < nstates);
            ck_assert(rows[i].event < nevents || rows[i].event == any);
            ck_assert(rows[i].next < nstates || rows[i].next == same);
            ck_assert_ptr_nonnull(rows[i].action);
            ck_assert_ptr_nonnull(rows[i].ref);
        }
        for (st = 0; st < nstates; st++) {
            /* Session NULL only exists as the proto-session. */
            int has_default = 0;

            for (i = 0; i < n; i++) {
                if (rows[i].state == st && rows[i].event == any
                    && rows[i].guard == NULL)
                {
                    has_default = 1;
                }
            }
            ck_assert_msg(has_default, "machine %d state %u: no default",
                m, st);
            for (ev = 0; ev < nevents; ev++) {
                int found = 0;

                for (i = 0; i < n && !found; i++) {
                    found = rows[i].state == st
                        && (rows[i].event == ev || rows[i].event == any);
                }
                ck_assert(found);
            }
        }
        for (i = 0; i < n; i++) {
            if ((rows[i].flags & (WSP_ROW_SYNC | WSP_ROW_UNUSED))
                || strncmp(rows[i].ref, "7.1.5", 5) == 0
                || strncmp(rows[i].ref, "no row", 6) == 0)
            {
                continue;
            }
            if (cov[m][i] == 0 && o + 100 < sizeof(missing)) {
                o += (size_t) snprintf(missing + o, sizeof(missing) - o,
                    "\n  machine %d row %zu: %s", m, i, rows[i].ref);
            }
        }
    }
    ck_assert_msg(o == 0, "rows that never fired:%s", missing);
}
END_TEST


/* OOM: every allocation of a full scenario fails in turn; the layer
 * reports ENOMEM or refuses with an abort, never crashes or leaks
 * (ASan), and works again once memory is back. */
START_TEST(t_oom_loop)
{
    uint8_t con[128], get[32], rep[16];
    size_t cn = hex_parse(CONNECT_R, con, sizeof(con));
    size_t gn = hex_parse(GET_A, get, sizeof(get));
    size_t rn = hex_parse(REPLY, rep, sizeof(rep));
    long k;
    int done = 0;

    setup_cfg();
    for (k = 0; !done && k < 200; k++) {
        struct wsp_srv *s;
        struct wsp_srv_action a;
        int fetched = 0, results = 0;

        wspgw_alloc_fail_after(k);
        s = wsp_srv_new(&cfg);
        if (s == NULL) {
            wspgw_alloc_fail_after(-1);
            continue;
        }
        (void) wsp_srv_invoke_ind(s, 1, &peer_a, 2, con, cn, 0);
        (void) wsp_srv_result_cnf(s, 1, 0);
        (void) wsp_srv_invoke_ind(s, 2, &peer_a, 2, get, gn, 0);
        (void) wsp_srv_invoke_ind(s, 3, &peer_a, 2, get, gn, 0);
        while (wsp_srv_next_action(s, &a)) {
            if (a.type == WSP_SRV_ACT_FETCH) {
                fetched++;
                if (wsp_srv_method_reply(s, a.method_id, rep, rn, 0) != 0) {
                    (void) wsp_srv_method_abort(s, a.method_id, 0);
                }
            } else if (a.type == WSP_SRV_ACT_TR_RESULT) {
                results++;
            }
        }
        (void) wsp_srv_invoke_ind(s, 4, &peer_a, 0, (const uint8_t *)
            "\x05\x00", 2, 0);
        wsp_srv_timeout(s, 1u << 30);
        wspgw_alloc_fail_after(-1);
        done = fetched == 2 && results == 3;
        wsp_srv_free(s);
    }
    ck_assert_msg(done, "never completed");
    ck_assert(k > 3);
}
END_TEST


static Suite *
session_suite(void)
{
    Suite *s = suite_create("wsp_session");
    TCase *tc = tcase_create("session");

    tcase_add_test(tc, t_sc_connect_get_reply);
    tcase_add_test(tc, t_sc_mor_exceeded);
    tcase_add_test(tc, t_sc_disconnect_cancels);
    tcase_add_test(tc, t_sc_suspend_resume_new_address);
    tcase_add_test(tc, t_sc_resume_refused);
    tcase_add_test(tc, t_sc_idle_expiry);
    tcase_add_test(tc, t_sc_unknown_session_and_bad_pdus);
    tcase_add_test(tc, t_sc_max_sessions);
    tcase_add_test(tc, t_sc_method_aborts);
    tcase_add_test(tc, t_sc_abort_before_fetch_taken);
    tcase_add_test(tc, t_sc_abort_disconnect_reason);
    tcase_add_test(tc, t_sc_abort_reasons_queued);
    tcase_add_test(tc, t_sc_connecting_2);
    tcase_add_test(tc, t_sc_connecting_2_no_resume);
    tcase_add_test(tc, t_sc_resuming_2);
    tcase_add_test(tc, t_sc_resuming_2_more);
    tcase_add_test(tc, t_sc_replace_suspended);
    tcase_add_test(tc, t_sc_oversize_reply);
    tcase_add_test(tc, t_sc_oversize_tiny_sdu);
    tcase_add_test(tc, t_sc_mru_and_header_cap);
    tcase_add_test(tc, t_sc_redirect_v4);
    tcase_add_test(tc, t_sc_redirect_v6);
    tcase_add_test(tc, t_sc_redirect_idle);
    tcase_add_test(tc, t_redirect_oom);
    tcase_add_test(tc, t_session_ids);
    tcase_add_test(tc, t_session_end);
    tcase_add_test(tc, t_table_walk);
    tcase_add_test(tc, t_oom_loop);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(session_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
