/*
 * tests/unit/wtp/test_pdu.c - WTP PDU codec and concatenation
 * (WAP-224 section 8).  Vectors: reference/wtp.md section 11
 * (tshark-verified), plus truncation at every offset and garbage.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "wtp_int.h"
#include "wtp_test.h"

/* Named vectors: hex, then the fields a decode must give. */
static const struct {
    const char *name;
    const char *hex;
    unsigned type, gtr, ttr, rid, tid, tcl, up, tidnew, psn, tve;
    unsigned has_psn, psn_tpi, nmissing, abort_type, abort_reason;
    size_t data_len;
} vec[] = {
    { "Invoke c2 U/P GTR=TTR=1 (Post)", "0E 00 01 12 60 AA BB",
      WTP_PDU_INVOKE, 1, 1, 0, 0x0001, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3 },
    { "Result GTR=TTR=1 TID response", "16 80 01 04 20 01 BE",
      WTP_PDU_RESULT, 1, 1, 0, 0x8001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4 },
    { "Ack from initiator", "18 00 01",
      WTP_PDU_ACK, 0, 0, 0, 0x0001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "Invoke PSN0 not last", "08 00 02 12 11",
      WTP_PDU_INVOKE, 0, 0, 0, 0x0002, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
    { "Seg Invoke PSN1", "28 00 02 01 22",
      WTP_PDU_SEG_INVOKE, 0, 0, 0, 0x0002, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 },
    { "Seg Invoke PSN2 GTR", "2C 00 02 02 33",
      WTP_PDU_SEG_INVOKE, 1, 0, 0, 0x0002, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1 },
    { "Seg Invoke PSN3 TTR", "2A 00 02 03 44",
      WTP_PDU_SEG_INVOKE, 0, 1, 0, 0x0002, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 1 },
    { "Ack with PSN TPI 2", "98 80 02 19 02",
      WTP_PDU_ACK, 0, 0, 0, 0x8002, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0 },
    { "Nack 1 missing PSN 1", "38 80 02 01 01",
      WTP_PDU_NACK, 0, 0, 0, 0x8002, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 },
    { "Seg Invoke PSN1 RID", "29 00 02 01 55",
      WTP_PDU_SEG_INVOKE, 0, 0, 1, 0x0002, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 },
    { "Ack Tve/Tok", "1C 80 02",
      WTP_PDU_ACK, 0, 0, 0, 0x8002, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
    { "Abort user 0xEA", "21 80 02 EA",
      WTP_PDU_ABORT, 0, 0, 0, 0x8002, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xEA, 0 },
    { "Abort provider INVALIDTID", "20 80 02 02",
      WTP_PDU_ABORT, 0, 0, 0, 0x8002, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0 },
    { "Invoke TIDnew class 1", "0E 12 34 21",
      WTP_PDU_INVOKE, 1, 1, 0, 0x1234, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
};

#define NVEC (sizeof(vec) / sizeof(vec[0]))


START_TEST(test_decode_vectors)
{
    uint8_t in[64];
    size_t n = wt_hex(vec[_i].hex, in, sizeof(in));
    struct wtp_pdu p;

    ck_assert_msg(wtp__pdu_decode(in, n, &p) == 0, "%s", vec[_i].name);
    ck_assert_uint_eq(p.type, vec[_i].type);
    ck_assert_uint_eq(p.gtr, vec[_i].gtr);
    ck_assert_uint_eq(p.ttr, vec[_i].ttr);
    ck_assert_uint_eq(p.rid, vec[_i].rid);
    ck_assert_uint_eq(p.tid, vec[_i].tid);
    ck_assert_uint_eq(p.tcl, vec[_i].tcl);
    ck_assert_uint_eq(p.up, vec[_i].up);
    ck_assert_uint_eq(p.tidnew, vec[_i].tidnew);
    ck_assert_uint_eq(p.psn, vec[_i].psn);
    ck_assert_uint_eq(p.tve_tok, vec[_i].tve);
    ck_assert_uint_eq(p.has_psn, vec[_i].has_psn);
    ck_assert_uint_eq(p.psn_tpi, vec[_i].psn_tpi);
    ck_assert_uint_eq(p.nmissing, vec[_i].nmissing);
    ck_assert_uint_eq(p.abort_type, vec[_i].abort_type);
    ck_assert_uint_eq(p.abort_reason, vec[_i].abort_reason);
    ck_assert_uint_eq(p.len, vec[_i].data_len);
}
END_TEST


/* Encoding the decoded header gives the same octets back. */
START_TEST(test_encode_vectors)
{
    uint8_t in[64], out[64];
    size_t n = wt_hex(vec[_i].hex, in, sizeof(in));
    struct wtp_pdu p;
    int h;

    ck_assert_int_eq(wtp__pdu_decode(in, n, &p), 0);
    h = wtp__pdu_encode_hdr(&p, out, sizeof(out));
    ck_assert_int_ge(h, 3);
    ck_assert_uint_eq((size_t) h + p.len, n);
    ck_assert_mem_eq(out, in, (size_t) h);
}
END_TEST


/* Every proper prefix of a fixed header or TPI chain is an error, never
 * a crash; the copy on the heap puts ASan right past the end. */
START_TEST(test_truncated)
{
    uint8_t in[64];
    size_t n = wt_hex(vec[_i].hex, in, sizeof(in)), k, fixed;
    struct wtp_pdu p;
    uint8_t *heap;
    int rc;

    ck_assert_int_eq(wtp__pdu_decode(in, n, &p), 0);
    fixed = n - p.len;
    for (k = 0; k < fixed; k++) {
        heap = malloc(k + 1);
        memcpy(heap, in, k);
        rc = wtp__pdu_decode(heap, k, &p);
        ck_assert_msg(rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO,
            "%s: prefix %zu gave %d", vec[_i].name, k, rc);
        free(heap);
    }
}
END_TEST


START_TEST(test_bad)
{
    static const char *const bad[] = {
        "00 00 01",                 /* type 0 outside a concatenation */
        "40 00 01 00",              /* type 8 */
        "78 00 01 00",              /* type 15 */
        "22 80 02 01",              /* abort type 2 */
        "38 80 02 03 01 02",        /* Nack: 3 listed, 2 present */
        "98 80 02",                 /* CON without a TPI */
        "98 80 02 1C",              /* long TPI without its length */
        "98 80 02 1C 05 01",        /* long TPI cut short */
        "98 80 02 18",              /* PSN TPI of length 0 */
        "98 80 02 99 02",           /* TPI chain says more, ends */
    };
    uint8_t in[64];
    struct wtp_pdu p;
    size_t i, n;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        n = wt_hex(bad[i], in, sizeof(in));
        ck_assert_msg(wtp__pdu_decode(in, n, &p) < 0, "accepted %s", bad[i]);
    }
}
END_TEST


START_TEST(test_garbage)
{
    uint64_t seed = 12345;
    uint8_t buf[40];
    struct wtp_pdu p;
    size_t n, j, k, off;
    const uint8_t *pdu;
    size_t plen;
    int i, r;

    for (i = 0; i < 200000; i++) {
        n = wt_rand(&seed) % sizeof(buf);
        for (j = 0; j < n; j++) {
            buf[j] = (uint8_t) wt_rand(&seed);
        }
        if (wtp__pdu_decode(buf, n, &p) == 0) {
            ck_assert(p.data + p.len == buf + n);
            ck_assert(p.nmissing == 0 || p.missing + p.nmissing <= buf + n);
        }
        off = 0;
        k = 0;
        do {
            r = wtp__concat_next(buf, n, &off, &pdu, &plen);
            if (r == 1) {
                ck_assert(pdu >= buf && pdu + plen <= buf + n);
            }
        } while (r == 1 && ++k < 64);
    }
}
END_TEST


START_TEST(test_concat_vector)
{
    /* reference/wtp.md section 10: Ack, Abort(user 0xE1), Invoke. */
    uint8_t in[200], inv[157];
    size_t n = wt_hex("00 03 18 00 02 04 21 00 02 E1 80 9D", in, 20);
    size_t off = 0, plen;
    const uint8_t *pdu;
    struct wtp_pdu p;

    memset(inv, 0, sizeof(inv));
    inv[0] = 0x0E;
    inv[2] = 0x03;
    inv[3] = 0x02;
    memcpy(in + n, inv, sizeof(inv));
    n += sizeof(inv);
    ck_assert_int_eq(wtp__concat_next(in, n, &off, &pdu, &plen), 1);
    ck_assert_uint_eq(plen, 3);
    ck_assert_int_eq(wtp__pdu_decode(pdu, plen, &p), 0);
    ck_assert_uint_eq(p.type, WTP_PDU_ACK);
    ck_assert_int_eq(wtp__concat_next(in, n, &off, &pdu, &plen), 1);
    ck_assert_int_eq(wtp__pdu_decode(pdu, plen, &p), 0);
    ck_assert_uint_eq(p.type, WTP_PDU_ABORT);
    ck_assert_uint_eq(p.abort_reason, 0xE1);
    ck_assert_int_eq(wtp__concat_next(in, n, &off, &pdu, &plen), 1);
    ck_assert_uint_eq(plen, 157);
    ck_assert_int_eq(wtp__pdu_decode(pdu, plen, &p), 0);
    ck_assert_uint_eq(p.type, WTP_PDU_INVOKE);
    ck_assert_uint_eq(p.len, 153);
    ck_assert_int_eq(wtp__concat_next(in, n, &off, &pdu, &plen), 0);
    /* Cut anywhere inside: an error or a shorter walk, never a crash. */
    for (size_t k = 1; k < n; k++) {
        int r;

        off = 0;
        do {
            r = wtp__concat_next(in, k, &off, &pdu, &plen);
        } while (r == 1);
        ck_assert_int_le(r, 0);
    }
}
END_TEST


START_TEST(test_concat_put_roundtrip)
{
    struct wspgw_buf b;
    uint8_t small[5] = { 0x18, 0, 1, 0, 0 }, big[300];
    size_t off = 0, plen;
    const uint8_t *pdu;

    memset(big, 0x0E, sizeof(big));
    wspgw_buf_init(&b, 4096);
    ck_assert_int_eq(wspgw_buf_putc(&b, 0), 0);
    ck_assert_int_eq(wtp__concat_put(&b, small, 3), 0);
    ck_assert_int_eq(wtp__concat_put(&b, big, sizeof(big)), 0);
    ck_assert_int_eq(wtp__concat_put(&b, big, 0), WSPGW_EINVAL);
    ck_assert_uint_eq(b.data[1], 3);
    ck_assert_uint_eq(b.data[5], 0x81);     /* 300 = 0x12C, long form */
    ck_assert_uint_eq(b.data[6], 0x2C);
    ck_assert_int_eq(wtp__concat_next(b.data, b.len, &off, &pdu, &plen), 1);
    ck_assert_uint_eq(plen, 3);
    ck_assert_int_eq(wtp__concat_next(b.data, b.len, &off, &pdu, &plen), 1);
    ck_assert_uint_eq(plen, 300);
    ck_assert_int_eq(wtp__concat_next(b.data, b.len, &off, &pdu, &plen), 0);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_encode_tpis)
{
    struct wtp_pdu p = { 0 }, q;
    uint8_t out[64];
    int h;

    p.type = WTP_PDU_INVOKE;
    p.tid = 7;
    p.tcl = 2;
    p.has_total_size = 1;
    p.total_size = 307200;
    p.has_max_group = 1;
    p.max_group = 4200;
    h = wtp__pdu_encode_hdr(&p, out, sizeof(out));
    ck_assert_int_gt(h, 4);
    ck_assert_uint_eq(out[0] & 0x80, 0x80);
    ck_assert_int_eq(wtp__pdu_decode(out, (size_t) h, &q), 0);
    ck_assert_uint_eq(q.has_total_size, 1);
    ck_assert_uint_eq(q.total_size, 307200);
    ck_assert_uint_eq(q.has_max_group, 1);
    ck_assert_uint_eq(q.max_group, 4200);
    ck_assert_uint_eq(q.len, 0);
    ck_assert_int_eq(wtp__pdu_encode_hdr(&p, out, 5), WSPGW_ENOSPC);
}
END_TEST


START_TEST(test_names)
{
    ck_assert_str_eq(wtp_pdu_type_name(WTP_PDU_NACK), "Negative Ack");
    ck_assert_str_eq(wtp_pdu_type_name(9), "unknown");
    ck_assert_str_eq(wtp_abort_reason_name(WTP_ABORT_MESSAGETOOLARGE),
        "message too large");
    ck_assert_str_eq(wtp_abort_reason_name(0x77), "unknown");
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wtp_pdu");
    TCase *tc = tcase_create("pdu");

    tcase_add_loop_test(tc, test_decode_vectors, 0, NVEC);
    tcase_add_loop_test(tc, test_encode_vectors, 0, NVEC);
    tcase_add_loop_test(tc, test_truncated, 0, NVEC);
    tcase_add_test(tc, test_bad);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_concat_vector);
    tcase_add_test(tc, test_concat_put_roundtrip);
    tcase_add_test(tc, test_encode_tpis);
    tcase_add_test(tc, test_names);
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
