/*
 * tests/unit/wtp/test_concat.c - WTP concatenation out (WAP-224 8.5):
 * what the endpoint joins into one datagram, in which order, within
 * which size, and a simulated handset (sim.c) that separates it.
 * Split from test_scenarios.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wtp_int.h"
#include "wtp_test.h"
#include "sim.h"


static uint8_t *
pattern(size_t n, unsigned salt)
{
    uint8_t *p = malloc(n);
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = (uint8_t) ((i * 131 + salt + (i >> 8)) & 0xFF);
    }
    return p;
}


static void
cfg0(struct wtp_config *c)
{
    wtp_config_defaults(c);
    c->mpl_ms = 0;              /* no verification of unknown peers */
}


/* ---- Concatenation out (WAP-224 8.5) ----------------------------------- */

struct dgram {
    uint8_t d[2048];
    size_t len;
    struct wspgw_addr peer;
};

static struct wspgw_addr peer_x, peer_y;


/* Takes every action; copies the SENDs into out (at most max). */
static unsigned
take_sends(struct wtp_ep *ep, struct dgram *out, unsigned max,
    uint32_t *handles, unsigned *nh)
{
    struct wtp_action a;
    unsigned n = 0;

    while (wtp_next_action(ep, &a)) {
        if (a.type == WTP_ACT_SEND) {
            ck_assert_uint_lt(n, max);
            ck_assert_uint_le(a.len, sizeof(out[n].d));
            memcpy(out[n].d, a.data, a.len);
            out[n].len = a.len;
            out[n].peer = a.peer;
            n++;
        } else if (a.type == WTP_ACT_INVOKE_IND && handles != NULL) {
            handles[(*nh)++] = a.handle;
        }
    }
    return n;
}


/*
 * An endpoint with class 2 Invokes (no U/P, TIDs 1-3) from peer_x and
 * one (TID 1) from peer_y, all indicated; handles in h[0..3].
 */
static struct wtp_ep *
concat_ep(int on, unsigned max_datagram, uint32_t *h)
{
    static const uint8_t x[4] = { 10, 0, 0, 1 }, y[4] = { 10, 0, 0, 2 };
    struct wtp_config c;
    struct wtp_ep *ep;
    struct dgram d[4];
    unsigned i, nh = 0;

    wspgw_addr_init(&peer_x, WSPGW_AF_INET, x, 49152);
    wspgw_addr_init(&peer_y, WSPGW_AF_INET, y, 49152);
    cfg0(&c);
    c.concatenate = on;
    c.max_datagram = max_datagram;
    ep = wtp_ep_new(&c);
    ck_assert_ptr_nonnull(ep);
    for (i = 0; i < 4; i++) {
        uint8_t inv[7] = { 0x0E, 0x00, 0x01, 0x02, 0x60, 0x01, 0x02 };

        inv[2] = (uint8_t) (i < 3 ? i + 1 : 1);
        ck_assert_int_eq(wtp_input(ep, i < 3 ? &peer_x : &peer_y, inv,
            sizeof(inv), 1000), 0);
        ck_assert_uint_eq(take_sends(ep, d, 4, h, &nh), 0);
    }
    ck_assert_uint_eq(nh, 4);
    return ep;
}


/* Splits a datagram with the codec (wtp__concat_next) and decodes each
 * PDU; copies them into pdus (views), returns how many. */
static unsigned
split(const struct dgram *g, const uint8_t **pdus, size_t *lens,
    unsigned max)
{
    size_t off = 0;
    unsigned n = 0;
    int r;

    while ((r = wtp__concat_next(g->d, g->len, &off, &pdus[n], &lens[n]))
        == 1)
    {
        struct wtp_pdu p;

        ck_assert_int_eq(wtp__pdu_decode(pdus[n], lens[n], &p), 0);
        n++;
        ck_assert_uint_le(n, max);
    }
    ck_assert_int_eq(r, 0);
    return n;
}


/* Several Acks due at once: one datagram, byte for byte the three Acks
 * sent without concatenation, in order. */
START_TEST(test_concat_acks)
{
    struct dgram on[4], off[4];
    const uint8_t *pdus[8];
    size_t lens[8];
    uint8_t want[32];
    uint32_t h[4];
    struct wtp_ep *ep;
    unsigned n, i;

    ep = concat_ep(0, 1500, h);
    wtp_timeout(ep, 1000 + 2000);
    ck_assert_uint_eq(take_sends(ep, off, 4, NULL, NULL), 4);
    wtp_ep_free(ep);

    ep = concat_ep(1, 1500, h);
    wtp_timeout(ep, 1000 + 2000);
    /* Three Acks to x (one datagram), then one to y (its own). */
    ck_assert_uint_eq(take_sends(ep, on, 4, NULL, NULL), 2);
    n = wt_hex("00 03 18 80 01 03 18 80 02 03 18 80 03", want,
        sizeof(want));
    ck_assert_uint_eq(on[0].len, n);
    ck_assert_mem_eq(on[0].d, want, n);
    ck_assert(wspgw_addr_eq(&on[0].peer, &peer_x));
    ck_assert_uint_eq(split(&on[0], pdus, lens, 8), 3);
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(lens[i], off[i].len);
        ck_assert_mem_eq(pdus[i], off[i].d, lens[i]);
    }
    ck_assert_uint_eq(on[1].len, off[3].len);
    ck_assert_mem_eq(on[1].d, off[3].d, off[3].len);
    ck_assert(wspgw_addr_eq(&on[1].peer, &peer_y));
    ck_assert_uint_eq(wtp_ep_stats(ep)->tx_pdus, 4);
    ck_assert_uint_eq(wtp_ep_stats(ep)->tx_datagrams, 2);
    ck_assert_uint_eq(wtp_ep_stats(ep)->tx_concatenated, 2);
    wtp_ep_free(ep);
}
END_TEST


/* A Result, an Abort and an Ack queued together; the Abort for another
 * peer in between keeps its place (order is never changed). */
static unsigned
result_abort(int on, unsigned max_datagram, struct dgram *d)
{
    uint32_t h[4];
    struct wtp_ep *ep = concat_ep(on, max_datagram, h);
    unsigned n;

    ck_assert_int_eq(wtp_tr_result_req(ep, h[0], (const uint8_t *) "hello",
        5, 1100), 0);
    ck_assert_int_eq(wtp_tr_abort_req(ep, h[1], 0xE1, 1100), 0);
    ck_assert_int_eq(wtp_tr_abort_req(ep, h[3], 0xEA, 1100), 0);
    ck_assert_int_eq(wtp_tr_abort_req(ep, h[2], 0xE4, 1100), 0);
    n = take_sends(ep, d, 4, NULL, NULL);
    wtp_ep_free(ep);
    return n;
}


START_TEST(test_concat_result_abort)
{
    struct dgram on[4], off[4];
    const uint8_t *pdus[8];
    size_t lens[8];
    uint8_t want[32];
    size_t n;

    ck_assert_uint_eq(result_abort(0, 1500, off), 4);
    ck_assert_uint_eq(result_abort(1, 1500, on), 3);
    /* x: Result + Abort(E1); y: Abort(EA) alone; x: Abort(E4) alone. */
    n = wt_hex("00 08 16 80 01 68 65 6C 6C 6F 04 21 80 02 E1", want,
        sizeof(want));
    ck_assert_uint_eq(on[0].len, n);
    ck_assert_mem_eq(on[0].d, want, n);
    ck_assert_uint_eq(split(&on[0], pdus, lens, 8), 2);
    ck_assert_uint_eq(lens[0], off[0].len);
    ck_assert_mem_eq(pdus[0], off[0].d, lens[0]);
    ck_assert_uint_eq(lens[1], off[1].len);
    ck_assert_mem_eq(pdus[1], off[1].d, lens[1]);
    ck_assert(wspgw_addr_eq(&on[1].peer, &peer_y));
    ck_assert_mem_eq(on[1].d, off[2].d, off[2].len);
    ck_assert(wspgw_addr_eq(&on[2].peer, &peer_x));
    ck_assert_mem_eq(on[2].d, off[3].d, off[3].len);

    /* The size bound, both sides of it: 15 octets joined. */
    ck_assert_uint_eq(result_abort(1, 15, on), 3);
    ck_assert_uint_eq(on[0].len, 15);
    ck_assert_uint_eq(result_abort(1, 14, on), 4);
    ck_assert_uint_eq(on[0].len, off[0].len);
    ck_assert_mem_eq(on[0].d, off[0].d, off[0].len);
}
END_TEST


/* A PDU is never split: a Result larger than max_datagram goes alone,
 * and nothing joins it. */
START_TEST(test_concat_never_split)
{
    uint8_t body[100];
    struct dgram d[4];
    uint32_t h[4];
    struct wtp_ep *ep = concat_ep(1, 64, h);

    memset(body, 7, sizeof(body));
    ck_assert_int_eq(wtp_tr_result_req(ep, h[0], body, sizeof(body), 1100),
        0);
    ck_assert_int_eq(wtp_tr_abort_req(ep, h[1], 0xE1, 1100), 0);
    ck_assert_int_eq(wtp_tr_abort_req(ep, h[2], 0xE1, 1100), 0);
    ck_assert_uint_eq(take_sends(ep, d, 4, NULL, NULL), 2);
    ck_assert_uint_eq(d[0].len, 3 + sizeof(body));
    ck_assert_uint_eq(d[0].d[0], 0x16);
    /* The two Aborts share the next datagram. */
    ck_assert_uint_eq(d[1].len, 1 + 2 * 5);
    ck_assert_uint_eq(d[1].d[0], 0x00);
    wtp_ep_free(ep);
}
END_TEST


/* Over the simulated bearer: small segments make each Result group one
 * datagram; the handset (its own separator) reassembles byte-exact, also
 * under 10% loss with duplication; with 1400-octet segments nothing
 * fits twice, so nothing is concatenated. */
static void
concat_transfer(unsigned seg, unsigned loss, uint64_t seed,
    unsigned *concat, unsigned *down)
{
    struct wtp_config c;
    struct sim s;
    uint8_t *req = pattern(300, 1), *reply = pattern(20000, 2);
    const struct wtp_stats *st;

    cfg0(&c);
    c.concatenate = 1;
    c.segment_size = seg;
    sim_init(&s, &c, seed);
    s.link[SIM_UP].loss_pct = s.link[SIM_DOWN].loss_pct = loss;
    s.link[SIM_DOWN].dup_pct = loss;
    s.reply = reply;
    s.reply_len = 20000;
    s.reply_delay_ms = 200;
    (void) sim_hs_start(&s, 100, 2, req, 300, 1400, 3, 1);
    sim_run(&s, 3600 * 1000);
    ck_assert_uint_eq(s.hs[0].state, HS_DONE);
    ck_assert_uint_eq(s.ind_count, 1);
    ck_assert_uint_eq(s.hs[0].result_len, 20000);
    ck_assert_mem_eq(s.hs[0].result, reply, 20000);
    ck_assert_uint_eq(wtp_ep_stats(s.ep)->txn_active, 0);
    st = wtp_ep_stats(s.ep);
    ck_assert_uint_eq(st->tx_pdus, st->tx_datagrams + st->tx_concatenated);
    ck_assert_uint_eq(s.link[SIM_DOWN].sent, st->tx_datagrams);
    *concat = s.hs_rx_concat;
    *down = (unsigned) s.link[SIM_DOWN].sent;
    sim_free(&s);
    free(req);
    free(reply);
}


START_TEST(test_concat_sim)
{
    unsigned concat, down;

    concat_transfer(200, 0, 1, &concat, &down);
    /* 100 segments in groups of 3: 34 datagrams, each a concatenation
     * but the last group's (one packet). */
    ck_assert_uint_eq(concat, 33);
    ck_assert_uint_eq(down, 34);
    concat_transfer(200, 10, 7, &concat, &down);
    ck_assert_uint_gt(concat, 0);
    concat_transfer(1400, 0, 1, &concat, &down);
    ck_assert_uint_eq(concat, 0);
}
END_TEST


/* Three methods of one handset wait on a slow upstream: their hold-on
 * Acks leave in one datagram and the handset takes all three. */
START_TEST(test_concat_holdon)
{
    struct wtp_config c;
    struct sim s;
    uint8_t req[30], reply[40];
    unsigned i;

    memset(req, 1, sizeof(req));
    memset(reply, 2, sizeof(reply));
    cfg0(&c);
    c.concatenate = 1;
    sim_init(&s, &c, 1);
    s.reply_never = 1;
    for (i = 0; i < 3; i++) {
        (void) sim_hs_start(&s, 10 + i, 2, req, sizeof(req), 1400, 3, 1);
    }
    /* Invokes in at +300 ms, timer A at +2300, the Acks in at +2600. */
    sim_run(&s, s.now + 3000);
    ck_assert_uint_eq(s.ind_count, 3);
    ck_assert_uint_eq(s.link[SIM_DOWN].sent, 1);
    ck_assert_uint_eq(s.hs_rx_concat, 1);
    ck_assert_uint_eq(s.hs_rx_pdus, 3);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(s.hs[i].state, HS_WAITING);
        ck_assert_uint_eq(s.hs[i].rcr, 0);
    }
    sim_free(&s);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wtp_concat");
    TCase *tc = tcase_create("concat");

    tcase_add_test(tc, test_concat_acks);
    tcase_add_test(tc, test_concat_result_abort);
    tcase_add_test(tc, test_concat_never_split);
    tcase_add_test(tc, test_concat_sim);
    tcase_add_test(tc, test_concat_holdon);
    tcase_set_timeout(tc, 60);
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
