/*
 * tests/unit/wtp/test_sar.c - WTP SAR (WAP-224 7.14) and the TID cache
 * (7.8): holes, duplicates, reordering, caps, OOM; window and wrap.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wtp_int.h"
#include "wtp_test.h"

static uint8_t miss[WTP_MAX_PACKETS];
static unsigned nmiss, apsn;

static int
add(struct wtp__sar_rx *rx, unsigned psn, unsigned gtr, unsigned ttr)
{
    uint8_t d[3] = { (uint8_t) psn, (uint8_t) (psn + 1), (uint8_t) (psn + 2) };

    return wtp__sar_rx_add(rx, psn, gtr, ttr, d, sizeof(d), &apsn, miss,
        &nmiss);
}


static void
check_msg(struct wtp__sar_rx *rx, unsigned npk)
{
    struct wspgw_buf out;
    unsigned i;

    wspgw_buf_init(&out, 1 << 20);
    ck_assert_int_eq(wtp__sar_rx_take(rx, &out), 0);
    ck_assert_uint_eq(out.len, 3 * npk);
    for (i = 0; i < npk; i++) {
        ck_assert_uint_eq(out.data[3 * i], (uint8_t) i);
        ck_assert_uint_eq(out.data[3 * i + 2], (uint8_t) (i + 2));
    }
    wspgw_buf_free(&out);
}


/* Figure 10: 0,1,2(G) acked; 3,4(T) complete. */
START_TEST(test_in_order)
{
    struct wtp__sar_rx rx;

    wtp__sar_rx_init(&rx, 1000);
    ck_assert_int_eq(add(&rx, 0, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 1, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 2, 1, 0), WTP__SAR_GROUP);
    ck_assert_uint_eq(apsn, 2);
    ck_assert_int_eq(add(&rx, 3, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 4, 0, 1), WTP__SAR_DONE);
    ck_assert_uint_eq(apsn, 4);
    check_msg(&rx, 5);
    wtp__sar_rx_free(&rx);
}
END_TEST


/* 7.14.4's example: 2,3,5,7(G) held -> Nack 4, 6 (group from 2). */
START_TEST(test_holes_nack)
{
    struct wtp__sar_rx rx;

    wtp__sar_rx_init(&rx, 1000);
    ck_assert_int_eq(add(&rx, 0, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 1, 1, 0), WTP__SAR_GROUP);
    ck_assert_int_eq(add(&rx, 2, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 3, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 5, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 7, 1, 0), WTP__SAR_NACK);
    ck_assert_uint_eq(nmiss, 2);
    ck_assert_uint_eq(miss[0], 4);
    ck_assert_uint_eq(miss[1], 6);
    /* The GTR again (our Nack was lost): Nack again. */
    ck_assert_int_eq(add(&rx, 7, 1, 0), WTP__SAR_NACK);
    ck_assert_uint_eq(nmiss, 2);
    /* Filling one hole: wait; filling the last: ack the GTR (7.14.3). */
    ck_assert_int_eq(add(&rx, 6, 0, 0), WTP__SAR_MORE);
    ck_assert_uint_eq(nmiss, 0);
    ck_assert_int_eq(add(&rx, 4, 0, 0), WTP__SAR_GROUP);
    ck_assert_uint_eq(apsn, 7);
    /* A repeat of the acked GTR is re-acked; of others, ignored. */
    ck_assert_int_eq(add(&rx, 7, 1, 0), WTP__SAR_DUP_ACKED);
    ck_assert_int_eq(add(&rx, 6, 0, 0), WTP__SAR_DUP);
    ck_assert_int_eq(add(&rx, 1, 1, 0), WTP__SAR_DUP);
    ck_assert_int_eq(add(&rx, 8, 0, 1), WTP__SAR_DONE);
    check_msg(&rx, 9);
    wtp__sar_rx_free(&rx);
}
END_TEST


/* Packet 0 lost: the TTR shows the hole; nothing completes without it. */
START_TEST(test_first_lost)
{
    struct wtp__sar_rx rx;

    wtp__sar_rx_init(&rx, 1000);
    ck_assert_int_eq(add(&rx, 1, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 2, 0, 1), WTP__SAR_NACK);
    ck_assert_uint_eq(nmiss, 1);
    ck_assert_uint_eq(miss[0], 0);
    ck_assert_int_eq(add(&rx, 0, 0, 0), WTP__SAR_DONE);
    check_msg(&rx, 3);
    wtp__sar_rx_free(&rx);
}
END_TEST


START_TEST(test_protocol_errors)
{
    struct wtp__sar_rx rx;

    wtp__sar_rx_init(&rx, 1000);
    ck_assert_int_eq(add(&rx, 0, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 3, 0, 1), WTP__SAR_NACK);
    ck_assert_int_eq(add(&rx, 4, 0, 0), WSPGW_EPROTO);  /* past TTR */
    ck_assert_int_eq(add(&rx, 2, 0, 1), WSPGW_EPROTO);  /* second TTR */
    ck_assert_int_eq(add(&rx, 300, 0, 0), WSPGW_EPROTO);
    wtp__sar_rx_free(&rx);
}
END_TEST


START_TEST(test_cap)
{
    struct wtp__sar_rx rx;

    wtp__sar_rx_init(&rx, 7);
    ck_assert_int_eq(add(&rx, 0, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 1, 0, 0), WTP__SAR_MORE);
    ck_assert_int_eq(add(&rx, 2, 1, 0), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(wtp__sar_rx_bytes(&rx), 6);
    ck_assert_int_eq(wtp__sar_rx_has(&rx, 2), 0);
    wtp__sar_rx_free(&rx);
}
END_TEST


/* Random order and duplicates of a 256-packet message in groups of 5:
 * always byte-exact, never complete early. */
START_TEST(test_shuffle)
{
    struct wtp__sar_rx rx;
    uint64_t seed = 1000 + (uint64_t) _i;
    unsigned g, psn, last, k, n = 256, gs = 5, order[8];
    int v;

    wtp__sar_rx_init(&rx, 1 << 20);
    for (g = 0; g * gs < n; g++) {
        last = g * gs + gs - 1 < n - 1 ? g * gs + gs - 1 : n - 1;
        for (k = 0; k <= last - g * gs; k++) {
            order[k] = g * gs + k;
        }
        for (k = last - g * gs; k > 0; k--) {
            unsigned j = (unsigned) (wt_rand(&seed) % (k + 1)), tmp;

            tmp = order[k];
            order[k] = order[j];
            order[j] = tmp;
        }
        v = WTP__SAR_MORE;
        for (k = 0; k <= last - g * gs; k++) {
            psn = order[k];
            v = add(&rx, psn, psn == last && last != n - 1, psn == n - 1);
            ck_assert_int_ge(v, 0);
            if (k < last - g * gs) {
                ck_assert(v != WTP__SAR_DONE && v != WTP__SAR_GROUP);
                if (wt_rand(&seed) % 4 == 0) {
                    ck_assert_int_ge(add(&rx, psn, psn == last
                        && last != n - 1, psn == n - 1), 0);
                }
            }
        }
        ck_assert_int_eq(v, last == n - 1 ? WTP__SAR_DONE : WTP__SAR_GROUP);
    }
    check_msg(&rx, n);
    wtp__sar_rx_free(&rx);
}
END_TEST


START_TEST(test_oom)
{
    struct wtp__sar_rx rx;
    struct wspgw_buf out;
    long n;
    int v, ok = 0;

    for (n = 0; n < 20 && !ok; n++) {
        wtp__sar_rx_init(&rx, 1000);
        wspgw_buf_init(&out, 1000);
        wspgw_alloc_fail_after(n);
        v = add(&rx, 1, 0, 0);
        if (v >= 0) {
            v = add(&rx, 0, 0, 0);
        }
        if (v >= 0) {
            v = add(&rx, 2, 0, 1);
        }
        if (v == WTP__SAR_DONE) {
            v = wtp__sar_rx_take(&rx, &out);
            ok = v == 0;
        }
        ck_assert(v >= 0 || v == WSPGW_ENOMEM);
        wspgw_alloc_fail_after(-1);
        wtp__sar_rx_free(&rx);
        wspgw_buf_free(&out);
    }
    ck_assert(ok);
}
END_TEST


/* Sending: groups, stale Acks, Nack credit (no amplification). */
START_TEST(test_tx)
{
    struct wtp__sar_tx tx;
    uint8_t msg[1000], resend[256], list[3] = { 1, 2, 9 };
    const uint8_t *d;
    size_t len;
    unsigned gtr, ttr;

    memset(msg, 7, sizeof(msg));
    ck_assert_int_eq(wtp__sar_tx_init(&tx, msg, 1000, 100, 3, 1), 0);
    ck_assert_uint_eq(tx.npk, 10);
    wtp__sar_tx_packet(&tx, 2, &d, &len, &gtr, &ttr);
    ck_assert_uint_eq(gtr, 1);
    ck_assert_uint_eq(ttr, 0);
    ck_assert_uint_eq(len, 100);
    /* Nothing sent yet: a Nack or Ack is stale. */
    ck_assert_uint_eq(wtp__sar_tx_on_nack(&tx, 0, NULL, resend), 0);
    tx.gtr_sends = 1;
    ck_assert_uint_eq(wtp__sar_tx_on_nack(&tx, 3, list, resend), 2);
    ck_assert_uint_eq(resend[0], 1);
    ck_assert_uint_eq(resend[1], 2);
    /* The same Nack again (duplicated): nothing. */
    ck_assert_uint_eq(wtp__sar_tx_on_nack(&tx, 3, list, resend), 0);
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 1, 1), WTP__SAR_ACK_STALE);
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 0, 0), WTP__SAR_ACK_STALE);
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 1, 2), WTP__SAR_ACK_NEXT);
    ck_assert_uint_eq(tx.gfirst, 3);
    /* A late duplicate of that Ack changes nothing. */
    tx.gtr_sends = 1;
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 1, 2), WTP__SAR_ACK_STALE);
    ck_assert_uint_eq(tx.gfirst, 3);
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 1, 5), WTP__SAR_ACK_NEXT);
    tx.gtr_sends = 1;
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 1, 8), WTP__SAR_ACK_NEXT);
    ck_assert_uint_eq(tx.gfirst, 9);
    ck_assert_uint_eq(tx.glast, 9);
    wtp__sar_tx_packet(&tx, 9, &d, &len, &gtr, &ttr);
    ck_assert_uint_eq(ttr, 1);
    ck_assert_uint_eq(gtr, 0);
    tx.gtr_sends = 1;
    ck_assert_int_eq(wtp__sar_tx_on_ack(&tx, 0, 0), WTP__SAR_ACK_LAST);
    wtp__sar_tx_free(&tx);
    /* 257 packets do not fit the 8-bit PSN. */
    ck_assert_int_eq(wtp__sar_tx_init(&tx, msg, 257, 1, 3, 1),
        WSPGW_EMSGSIZE);
    /* Unsegmented: one packet, GTR=TTR=1. */
    ck_assert_int_eq(wtp__sar_tx_init(&tx, msg, 1000, 100, 3, 0), 0);
    ck_assert_uint_eq(tx.npk, 1);
    wtp__sar_tx_packet(&tx, 0, &d, &len, &gtr, &ttr);
    ck_assert_uint_eq(len, 1000);
    ck_assert_uint_eq(gtr & ttr, 1);
    wtp__sar_tx_free(&tx);
}
END_TEST


/* 7.8.2.3 Tables 7 and 8, W = 2^14 on 15-bit TIDs. */
START_TEST(test_tid_window)
{
    ck_assert_int_eq(wtp__tid_window_ok(5, 5), 0);
    ck_assert_int_eq(wtp__tid_window_ok(5, 6), 1);
    ck_assert_int_eq(wtp__tid_window_ok(5, 5 + 0x4000), 1);
    ck_assert_int_eq(wtp__tid_window_ok(5, 6 + 0x4000), 0);
    ck_assert_int_eq(wtp__tid_window_ok(6, 5), 0);
    ck_assert_int_eq(wtp__tid_window_ok(0x7FFF, 0), 1);       /* wrap */
    ck_assert_int_eq(wtp__tid_window_ok(0x7FFF, 0x3FFE), 1);
    ck_assert_int_eq(wtp__tid_window_ok(0x7FFF, 0x3FFF), 1);
    ck_assert_int_eq(wtp__tid_window_ok(0x7FFF, 0x4000), 0);
    ck_assert_int_eq(wtp__tid_window_ok(0x4000, 0), 1);
    ck_assert_int_eq(wtp__tid_window_ok(0x3FFF, 0), 0);
}
END_TEST


START_TEST(test_tid_cache)
{
    struct wtp__tidc tc;
    struct wspgw_addr a, b, c;
    struct wtp__peer *p;
    uint8_t ip[4] = { 10, 0, 0, 1 };
    int created, err;

    wspgw_addr_init(&a, WSPGW_AF_INET, ip, 1000);
    wspgw_addr_init(&b, WSPGW_AF_INET, ip, 1001);
    wspgw_addr_init(&c, WSPGW_AF_INET, ip, 1002);
    ck_assert_int_eq(wtp__tidc_init(&tc, 2, 1), 0);
    /* Within MPL of the start: an unknown peer is verified. */
    p = wtp__tidc_get(&tc, &a, 0, 1000, &created, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(created, 1);
    ck_assert_int_eq(wtp__tid_check(&tc, p, created, 7, 0, 0),
        WTP__TID_VERIFY);
    wtp__tid_verified(p, 7, 0);
    ck_assert_uint_eq(p->last_tid, 7);
    ck_assert_int_eq(wtp__tid_check(&tc, p, 0, 8, 0, 10), WTP__TID_OK);
    ck_assert_int_eq(wtp__tid_check(&tc, p, 0, 8, 0, 10), WTP__TID_VERIFY);
    ck_assert_int_eq(wtp__tid_check(&tc, p, 0, 7, 0, 10), WTP__TID_VERIFY);
    /* TIDnew: LastTID = 0, verify; on Tok LastTID = RcvTID. */
    ck_assert_int_eq(wtp__tid_check(&tc, p, 0, 3, 1, 10), WTP__TID_VERIFY);
    ck_assert_uint_eq(p->last_tid, 0);
    wtp__tid_verified(p, 3, 1);
    ck_assert_uint_eq(p->last_tid, 3);
    /* After MPL an unknown peer is accepted at once. */
    p = wtp__tidc_get(&tc, &b, 2000, 1000, &created, &err);
    ck_assert_int_eq(wtp__tid_check(&tc, p, created, 9, 0, 2000),
        WTP__TID_OK);
    /* Full (2): c evicts the LRU (a); the eviction reopens the window. */
    p->ntxn = 1;                        /* b is pinned */
    p = wtp__tidc_get(&tc, &c, 3000, 1000, &created, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(wtp__tidc_find(&tc, &a));
    ck_assert_int_eq(wtp__tid_check(&tc, p, created, 9, 0, 3000),
        WTP__TID_VERIFY);
    /* Both pinned: no room. */
    p->ntxn = 1;
    ck_assert_ptr_null(wtp__tidc_get(&tc, &a, 5000, 1000, &created, &err));
    ck_assert_int_eq(err, WSPGW_ENOSPC);
    wtp__tidc_free(&tc);
}
END_TEST


START_TEST(test_rto)
{
    struct wtp_config c;
    struct wtp__peer p;
    int i;

    wtp_config_defaults(&c);
    memset(&p, 0, sizeof(p));
    ck_assert_uint_eq(wtp__rto(&p, &c, 0), c.retry_init_ms);
    ck_assert_uint_eq(wtp__rto(&p, &c, 1), 2 * c.retry_init_ms);
    ck_assert_uint_eq(wtp__rto(&p, &c, 10), c.retry_max_ms);
    for (i = 0; i < 20; i++) {
        wtp__rtt_sample(&p, &c, 100);
    }
    ck_assert_uint_eq(wtp__rto(&p, &c, 0), c.retry_min_ms);
    for (i = 0; i < 50; i++) {
        wtp__rtt_sample(&p, &c, 1200);
    }
    ck_assert_uint_ge(wtp__rto(&p, &c, 0), 1200);
    ck_assert_uint_le(wtp__rto(&p, &c, 0), 1400);
    /* Back-off persists (RFC 6298 5.7) until a new sample. */
    wtp__rto_backoff(&p, &c);
    ck_assert_uint_ge(wtp__rto(&p, &c, 0), 2400);
    wtp__rtt_sample(&p, &c, 1200);
    ck_assert_uint_le(wtp__rto(&p, &c, 0), 1400);
    wtp__rtt_sample(&p, &c, 60000);
    ck_assert_uint_eq(wtp__rto(&p, &c, 0), c.retry_max_ms);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wtp_sar");
    TCase *tc = tcase_create("sar");

    tcase_add_test(tc, test_in_order);
    tcase_add_test(tc, test_holes_nack);
    tcase_add_test(tc, test_first_lost);
    tcase_add_test(tc, test_protocol_errors);
    tcase_add_test(tc, test_cap);
    tcase_add_loop_test(tc, test_shuffle, 0, 20);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_tx);
    tcase_add_test(tc, test_tid_window);
    tcase_add_test(tc, test_tid_cache);
    tcase_add_test(tc, test_rto);
    tcase_set_timeout(tc, 30);
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
