/*
 * tests/unit/wsp/test_push_session.c - Push and Confirmed Push in the
 * WSP session core (WAP-230 S-Push, S-ConfirmedPush; wsp_srv_push): a session
 * is connected through the public API, then pushes are made and their
 * WTP transactions confirmed, aborted, or ended with the session
 * (Disconnect, Suspend, idle expiry); Push-MOR, facilities not
 * negotiated, no session, bad PDUs and the lookup by IP address.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"
#include "wsp_test.h"

/* Connect: Protocol Options Confirmed Push + Push + Resume (0xE0),
 * Push-MOR 2, no headers. */
#define CONNECT_PUSH "01 10 06 00 02 82 E0 02 84 02"
/* Connect proposing no option at all. */
#define CONNECT_NONE "01 10 03 00 02 82 00"
/* A session-mode Push PDU: Push, HeadersLen 1, Content-Type
 * application/vnd.wap.sic (0xAE), body "hi". */
#define PUSH_PDU "06 01 AE 'hi'"

static struct wsp_srv *srv;
static struct wsp_srv_config cfg;
static struct wspgw_addr peer_a, peer_a2, peer_b;
static uint64_t now;
static uint32_t handle_seq = 1;


static void
setup(void)
{
    static const uint8_t ip_a[4] = { 10, 0, 0, 1 }, ip_b[4] = { 10, 0, 0, 2 };

    wsp_srv_config_defaults(&cfg);
    cfg.push_mor = 2;
    wspgw_addr_init(&peer_a, WSPGW_AF_INET, ip_a, 2000);
    wspgw_addr_init(&peer_a2, WSPGW_AF_INET, ip_a, 0);
    wspgw_addr_init(&peer_b, WSPGW_AF_INET, ip_b, 3000);
    now = 1000;
    srv = NULL;
}


static void
teardown(void)
{
    wsp_srv_free(srv);
    srv = NULL;
}


/* Takes the next action, which must be of type t. */
static struct wsp_srv_action
take(enum wsp_srv_action_type t)
{
    struct wsp_srv_action a;

    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, t);
    return a;
}


static void
none(void)
{
    struct wsp_srv_action a;

    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 0);
}


/* Connects peer with the Connect hex; returns the session id. */
static uint32_t
connect_peer(const struct wspgw_addr *peer, const char *connect)
{
    uint8_t pdu[64];
    size_t n = hex_parse(connect, pdu, sizeof(pdu));
    uint32_t h = handle_seq++, id = 0;
    struct wsp_srv_action a;
    size_t i;

    ck_assert_int_eq(wsp_srv_invoke_ind(srv, h, peer, 2, pdu, n, now), 0);
    a = take(WSP_SRV_ACT_TR_RESULT);
    ck_assert_uint_eq(a.data[0], WSP_PDU_CONNECT_REPLY);
    for (i = 1; i < a.len && i < 6; i++) {
        id = id << 7 | (a.data[i] & 0x7f);
        if (!(a.data[i] & 0x80)) {
            break;
        }
    }
    none();
    ck_assert_int_eq(wsp_srv_result_cnf(srv, h, now), 0);
    none();
    return id;
}


/* A class 0 Disconnect or Suspend PDU for session sid from peer A. */
static void
session_pdu(uint8_t type, uint32_t sid)
{
    uint8_t pdu[8], tmp[5];
    size_t n = 0, k = 0;

    do {
        tmp[k++] = (uint8_t) (sid & 0x7f);
        sid >>= 7;
    } while (sid != 0);
    pdu[n++] = type;
    while (k > 0) {
        k--;
        pdu[n++] = (uint8_t) (tmp[k] | (k > 0 ? 0x80 : 0));
    }
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 200, &peer_a, 0, pdu, n, now),
        0);
}


static uint32_t
push(const struct wspgw_addr *peer, int confirmed, int want_rc)
{
    uint8_t pdu[64];
    size_t n = hex_parse(PUSH_PDU, pdu, sizeof(pdu));
    uint32_t id = 0;

    ck_assert_int_eq(wsp_srv_push(srv, peer, confirmed, pdu, n, now, &id),
        want_rc);
    if (want_rc == 0) {
        ck_assert_uint_ne(id, 0);
    }
    return id;
}


/* Takes the TR_INVOKE of push id and binds it to WTP handle h. */
static void
invoke(uint32_t id, unsigned tcl, uint32_t h)
{
    struct wsp_srv_action a = take(WSP_SRV_ACT_TR_INVOKE);

    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.tcl, tcl);
    ck_assert(wspgw_addr_eq(&a.peer, &peer_a));
    ck_assert_uint_eq(a.len, 5);
    ck_assert_uint_eq(a.data[0], tcl ? 0x07 : 0x06);
    ck_assert(memcmp(a.data + 1, "\x01\xAE" "hi", 4) == 0);
    if (tcl) {
        ck_assert_int_eq(wsp_srv_invoke_req_done(srv, id, 0, h, now), 0);
    }
}


START_TEST(confirmed_push_acked)
{
    struct wsp_srv_action a;
    uint32_t sid, id;

    srv = wsp_srv_new(&cfg);
    sid = connect_peer(&peer_a, CONNECT_PUSH);
    id = push(&peer_a, 1, 0);
    invoke(id, 1, 100);
    none();
    ck_assert_uint_eq(wsp_srv_stats(srv)->pushes_active, 1);
    /* TR-Result.cnf is no answer to a push. */
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 100, now), WSPGW_ENOENT);
    ck_assert_int_eq(wsp_srv_invoke_cnf(srv, 100, now), 0);
    a = take(WSP_SRV_ACT_PUSH_CNF);
    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.session_id, sid);
    none();
    /* Once only. */
    ck_assert_int_eq(wsp_srv_invoke_cnf(srv, 100, now), WSPGW_ENOENT);
    ck_assert_int_eq(wsp_srv_invoke_req_done(srv, id, 0, 101, now),
        WSPGW_ENOENT);
    ck_assert_uint_eq(wsp_srv_stats(srv)->pushes_confirmed, 1);
    ck_assert_uint_eq(wsp_srv_stats(srv)->pushes_active, 0);
}
END_TEST


START_TEST(confirmed_push_aborted)
{
    struct wsp_srv_action a;
    uint32_t id;

    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    id = push(&peer_a, 1, 0);
    invoke(id, 1, 100);
    /* The handset never acked: WTP provider abort NORESPONSE. */
    ck_assert_int_eq(wsp_srv_abort_ind(srv, 100, 0, 0x08, now), 0);
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.reason, 0x08);
    none();
    ck_assert_uint_eq(wsp_srv_stats(srv)->pushes_aborted, 1);
    /* The session is still there and takes the next push. */
    id = push(&peer_a, 1, 0);
    invoke(id, 1, 101);
    /* The invoke could not be made at all: NETERR. */
    id = push(&peer_a, 1, 0);
    take(WSP_SRV_ACT_TR_INVOKE);
    ck_assert_int_eq(wsp_srv_invoke_req_done(srv, id, WSPGW_ENOSPC, 0,
        now), 0);
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.reason, 0xE9);
    none();
}
END_TEST


START_TEST(session_end_fails_pushes)
{
    struct wsp_srv_action a;
    uint32_t sid, id1, id2;

    srv = wsp_srv_new(&cfg);
    sid = connect_peer(&peer_a, CONNECT_PUSH);
    id1 = push(&peer_a, 1, 0);
    invoke(id1, 1, 100);
    /* The second one's invoke is not taken before the session goes: it
     * is withdrawn, only its outcome is reported. */
    id2 = push(&peer_a, 1, 0);
    session_pdu(WSP_PDU_DISCONNECT, sid);
    /* Newest push first: the withdrawn one has no transaction to abort;
     * its TR_INVOKE is skipped. */
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id2);
    ck_assert_uint_eq(a.reason, 0xE1);
    a = take(WSP_SRV_ACT_TR_ABORT);
    ck_assert_uint_eq(a.wtp_handle, 100);
    ck_assert_uint_eq(a.reason, 0xE1);
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id1);
    ck_assert_uint_eq(a.reason, 0xE1);
    take(WSP_SRV_ACT_SESSION_END);
    none();
    /* The late answer for the second push finds nothing. */
    ck_assert_int_eq(wsp_srv_invoke_req_done(srv, id2, 0, 101, now),
        WSPGW_ENOENT);
    push(&peer_a, 1, WSPGW_ENOENT);
    ck_assert_uint_eq(wsp_srv_stats(srv)->pushes_active, 0);
}
END_TEST


START_TEST(withdrawn_invoke)
{
    struct wsp_srv_action a;
    uint32_t id;

    cfg.idle_timeout_ms = 1000;
    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    id = push(&peer_a, 1, 0);
    /* Idle expiry before the gateway took the TR_INVOKE: it never goes
     * out, the push is reported aborted. */
    wsp_srv_timeout(srv, now + 5000);
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.reason, 0xE1);
    take(WSP_SRV_ACT_SESSION_END);
    none();
}
END_TEST


START_TEST(suspend_fails_pushes)
{
    struct wsp_srv_action a;
    uint32_t sid, id;

    srv = wsp_srv_new(&cfg);
    sid = connect_peer(&peer_a, CONNECT_PUSH);
    id = push(&peer_a, 1, 0);
    invoke(id, 1, 100);
    session_pdu(WSP_PDU_SUSPEND, sid);
    a = take(WSP_SRV_ACT_TR_ABORT);
    ck_assert_uint_eq(a.wtp_handle, 100);
    ck_assert_uint_eq(a.reason, 0xE2);
    a = take(WSP_SRV_ACT_PUSH_ABORT);
    ck_assert_uint_eq(a.push_id, id);
    ck_assert_uint_eq(a.reason, 0xE2);
    none();
    /* Suspended: no push. */
    push(&peer_a, 1, WSPGW_ENOENT);
}
END_TEST


START_TEST(push_mor)
{
    uint32_t id1, id2, id3;

    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    id1 = push(&peer_a, 1, 0);
    id2 = push(&peer_a, 1, 0);
    push(&peer_a, 1, WSPGW_EBUSY);
    /* Unconfirmed pushes are not outstanding: not capped by MOR. */
    id3 = push(&peer_a, 0, 0);
    invoke(id1, 1, 100);
    invoke(id2, 1, 101);
    invoke(id3, 0, 0);
    none();
    ck_assert_int_eq(wsp_srv_invoke_cnf(srv, 101, now), 0);
    take(WSP_SRV_ACT_PUSH_CNF);
    id3 = push(&peer_a, 1, 0);
    ck_assert_uint_ne(id3, id1);
    push(&peer_a, 1, WSPGW_EBUSY);
    /* Our push-mor 1 wins over the client's 2. */
    wsp_srv_free(srv);
    cfg.push_mor = 1;
    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    push(&peer_a, 1, 0);
    push(&peer_a, 1, WSPGW_EBUSY);
}
END_TEST


START_TEST(not_negotiated)
{
    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_NONE);
    push(&peer_a, 1, WSPGW_ENOTSUP);
    push(&peer_a, 0, WSPGW_ENOTSUP);
    ck_assert_int_eq(wsp_srv_find_by_ip(srv, &peer_a2, 1, &peer_b),
        WSPGW_ENOTSUP);
    none();
    /* [wsp] push = no: the client's proposal is refused. */
    wsp_srv_free(srv);
    cfg.push = 0;
    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    push(&peer_a, 1, WSPGW_ENOTSUP);
    none();
}
END_TEST


START_TEST(no_session_and_bad_pdu)
{
    uint8_t pdu[64];
    uint32_t id = 0;
    size_t n;

    srv = wsp_srv_new(&cfg);
    push(&peer_a, 1, WSPGW_ENOENT);
    ck_assert_int_eq(wsp_srv_find_by_ip(srv, &peer_a2, 1, &peer_b),
        WSPGW_ENOENT);
    connect_peer(&peer_a, CONNECT_PUSH);
    push(&peer_b, 1, WSPGW_ENOENT);
    n = hex_parse("40 0A 'http://x/a'", pdu, sizeof(pdu));
    ck_assert_int_eq(wsp_srv_push(srv, &peer_a, 1, pdu, n, now, &id),
        WSPGW_EINVAL);
    ck_assert_int_eq(wsp_srv_push(srv, &peer_a, 1, pdu, 2, now, &id),
        WSPGW_EINVAL);
    /* The lookup ignores the port. */
    ck_assert_int_eq(wsp_srv_find_by_ip(srv, &peer_a2, 1, &peer_b), 0);
    ck_assert(wspgw_addr_eq(&peer_b, &peer_a));
    none();
    ck_assert_int_eq(wsp_srv_invoke_cnf(srv, 12345, now), WSPGW_ENOENT);
    ck_assert_int_eq(wsp_srv_invoke_req_done(srv, 999, 0, 1, now),
        WSPGW_ENOENT);
}
END_TEST


START_TEST(connecting_is_not_live)
{
    uint8_t pdu[64];
    size_t n = hex_parse(CONNECT_PUSH, pdu, sizeof(pdu));

    srv = wsp_srv_new(&cfg);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer_a, 2, pdu, n, now),
        0);
    take(WSP_SRV_ACT_TR_RESULT);
    /* ConnectReply not yet acknowledged: CONNECTING_2. */
    push(&peer_a, 1, WSPGW_ENOENT);
    ck_assert_int_eq(wsp_srv_find_by_ip(srv, &peer_a2, 1, &peer_b),
        WSPGW_ENOENT);
}
END_TEST


START_TEST(free_with_pushes_outstanding)
{
    srv = wsp_srv_new(&cfg);
    connect_peer(&peer_a, CONNECT_PUSH);
    push(&peer_a, 1, 0);
    invoke(1, 1, 100);
    push(&peer_a, 0, 0);
    /* wsp_srv_free with a live push and a queued TR_INVOKE: no leak
     * (ASan). */
}
END_TEST


/* OOM: every allocation of a push scenario fails in turn; the layer
 * reports ENOMEM, never crashes or leaks (ASan), every confirmed push
 * that was accepted gets exactly one outcome, and it completes once
 * memory is back. */
START_TEST(oom_loop)
{
    uint8_t con[32], pp[16];
    size_t cn = hex_parse(CONNECT_PUSH, con, sizeof(con));
    size_t pn = hex_parse(PUSH_PDU, pp, sizeof(pp));
    long k;
    int done = 0;

    for (k = 0; !done && k < 200; k++) {
        struct wsp_srv *s;
        struct wsp_srv_action a;
        uint32_t id = 0, h = 50;
        int accepted = 0, outcomes = 0, cnf = 0;

        wspgw_alloc_fail_after(k);
        s = wsp_srv_new(&cfg);
        if (s == NULL) {
            wspgw_alloc_fail_after(-1);
            continue;
        }
        (void) wsp_srv_invoke_ind(s, 1, &peer_a, 2, con, cn, 0);
        while (wsp_srv_next_action(s, &a)) {
        }
        (void) wsp_srv_result_cnf(s, 1, 0);
        accepted += wsp_srv_push(s, &peer_a, 1, pp, pn, 0, &id) == 0;
        accepted += wsp_srv_push(s, &peer_a, 1, pp, pn, 0, &id) == 0;
        while (wsp_srv_next_action(s, &a)) {
            if (a.type == WSP_SRV_ACT_TR_INVOKE) {
                h++;
                (void) wsp_srv_invoke_req_done(s, a.push_id, 0, h, 0);
                (void) wsp_srv_invoke_cnf(s, h, 0);
            } else if (a.type == WSP_SRV_ACT_PUSH_CNF) {
                outcomes++;
                cnf++;
            } else if (a.type == WSP_SRV_ACT_PUSH_ABORT) {
                outcomes++;
            }
        }
        /* Whatever is still outstanding ends with the session. */
        (void) wsp_srv_invoke_ind(s, 4, &peer_a, 0, (const uint8_t *)
            "\x05\x00", 2, 0);
        wsp_srv_timeout(s, 1u << 30);
        while (wsp_srv_next_action(s, &a)) {
            outcomes += a.type == WSP_SRV_ACT_PUSH_CNF
                || a.type == WSP_SRV_ACT_PUSH_ABORT;
        }
        wspgw_alloc_fail_after(-1);
        if (wsp_srv_stats(s)->sessions == 0) {
            ck_assert_int_eq(outcomes, accepted);
        }
        done = cnf == 2;
        wsp_srv_free(s);
    }
    ck_assert_msg(done, "never completed");
    ck_assert(k > 3);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("push_session");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, confirmed_push_acked);
    tcase_add_test(tc, confirmed_push_aborted);
    tcase_add_test(tc, session_end_fails_pushes);
    tcase_add_test(tc, withdrawn_invoke);
    tcase_add_test(tc, suspend_fails_pushes);
    tcase_add_test(tc, push_mor);
    tcase_add_test(tc, not_negotiated);
    tcase_add_test(tc, no_session_and_bad_pdu);
    tcase_add_test(tc, connecting_is_not_live);
    tcase_add_test(tc, free_with_pushes_outstanding);
    tcase_add_test(tc, oom_loop);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
