/*
 * tests/unit/gateway/test_radius.c - the RADIUS accounting codec
 * (gateway/radius.c): vectors whose authenticators were computed
 * independently with Python's hashlib (radius_vectors.py), malformed
 * packets by name, truncation at every offset (each copy in a buffer of
 * exactly its length, so ASan sees any over-read), garbage input.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "radius.h"
#include "radius_vectors.h"

#define SECRET_LEN (sizeof(RV_SECRET) - 1)

struct vec {
    const char *name;
    const uint8_t *pkt;
    size_t len;
    const uint8_t *resp;
    unsigned status;
};

#define V(n, st) { #n, rv_##n, sizeof(rv_##n), rv_##n##_resp, st }
static const struct vec vecs[] = {
    V(start_v4, GW_RADIUS_STATUS_START),
    V(interim_v4, GW_RADIUS_STATUS_INTERIM_UPDATE),
    V(stop_v4, GW_RADIUS_STATUS_STOP),
    V(start_v6, GW_RADIUS_STATUS_START),
    V(accounting_on, GW_RADIUS_STATUS_ACCOUNTING_ON),
    V(with_msgauth, GW_RADIUS_STATUS_START),
};
#undef V
#define NVECS ((int) (sizeof(vecs) / sizeof(vecs[0])))


/* A heap copy of exactly n octets (ASan catches reads past it). */
static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n > 0 ? n : 1);

    ck_assert_ptr_nonnull(q);
    memcpy(q, p, n);
    return q;
}


START_TEST(test_vector_parse_verify_respond)
{
    const struct vec *v = &vecs[_i];
    struct gw_radius_acct a;
    uint8_t resp[GW_RADIUS_HDR_LEN];
    const char *why = NULL;
    size_t where = 0;
    uint8_t *p = dup_exact(v->pkt, v->len);

    ck_assert_msg(gw_radius_parse(p, v->len, &a, &why, &where) == 0,
        "%s: %s at %zu", v->name, why, where);
    ck_assert_uint_eq(a.status, v->status);
    ck_assert_uint_eq(a.code, GW_RADIUS_ACCOUNTING_REQUEST);
    ck_assert_uint_eq(a.length, v->len);
    ck_assert_int_eq(gw_radius_verify_request(p, v->len, RV_SECRET,
        SECRET_LEN), 1);
    ck_assert_int_eq(gw_radius_verify_request(p, v->len, "testing123",
        10), 0);
    ck_assert_uint_eq(gw_radius_response(resp, a.id, a.auth, RV_SECRET,
        SECRET_LEN), GW_RADIUS_HDR_LEN);
    ck_assert_mem_eq(resp, v->resp, GW_RADIUS_HDR_LEN);
    ck_assert_int_eq(gw_radius_response_ok(resp, sizeof(resp), a.id, a.auth,
        RV_SECRET, SECRET_LEN), 1);
    ck_assert_int_eq(gw_radius_response_ok(resp, sizeof(resp),
        (uint8_t) (a.id + 1), a.auth, RV_SECRET, SECRET_LEN), 0);
    free(p);
}
END_TEST


START_TEST(test_vector_fields)
{
    struct gw_radius_acct a;
    static const uint8_t ip[4] = { 10, 1, 2, 3 };
    static const uint8_t sgsn[4] = { 192, 0, 2, 77 };
    static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2 };

    ck_assert_int_eq(gw_radius_parse(rv_start_v4, sizeof(rv_start_v4), &a,
        NULL, NULL), 0);
    ck_assert_uint_eq(a.id, 1);
    ck_assert_int_eq(a.has_framed_ip, 1);
    ck_assert_mem_eq(a.framed_ip, ip, 4);
    ck_assert_str_eq(a.calling_station_id, "358401234567");
    ck_assert_str_eq(a.user_name, "user@apn");
    ck_assert_str_eq(a.session_id, "sess-0001");
    ck_assert_str_eq(a.called_station_id, "mms.example");
    ck_assert_str_eq(a.imsi, "244051234567890");
    ck_assert_str_eq(a.imsi_mcc_mnc, "24405");
    ck_assert_int_eq(a.has_sgsn, 1);
    ck_assert_mem_eq(a.sgsn, sgsn, 4);
    ck_assert_int_eq(a.rat_type, 1);
    ck_assert_int_eq(a.has_nas_ip, 1);
    ck_assert_int_eq(a.has_message_authenticator, 0);

    ck_assert_int_eq(gw_radius_parse(rv_start_v6, sizeof(rv_start_v6), &a,
        NULL, NULL), 0);
    ck_assert_int_eq(a.has_framed_ip, 0);
    ck_assert_int_eq(a.has_framed_ipv6, 1);
    ck_assert_uint_eq(a.framed_ipv6_plen, 64);
    ck_assert_mem_eq(a.framed_ipv6, v6, 16);
    ck_assert_str_eq(a.imsi, "");   /* another vendor's VSA is skipped */
    ck_assert_int_eq(a.rat_type, -1);

    ck_assert_int_eq(gw_radius_parse(rv_with_msgauth, sizeof(rv_with_msgauth),
        &a, NULL, NULL), 0);
    ck_assert_int_eq(a.has_message_authenticator, 1);
}
END_TEST


/* Every single-bit change of a signed packet breaks the authenticator. */
START_TEST(test_verify_bit_flips)
{
    uint8_t *p = dup_exact(rv_start_v4, sizeof(rv_start_v4));
    size_t i;
    unsigned b;

    for (i = 0; i < sizeof(rv_start_v4); i++) {
        for (b = 0; b < 8; b++) {
            if (i == 2 || i == 3) {
                continue;   /* Length: checked separately below */
            }
            p[i] ^= (uint8_t) (1u << b);
            ck_assert_msg(gw_radius_verify_request(p, sizeof(rv_start_v4),
                RV_SECRET, SECRET_LEN) == 0, "flip at %zu bit %u", i, b);
            p[i] ^= (uint8_t) (1u << b);
        }
    }
    /* A Length that claims fewer octets is a different packet. */
    p[3]--;
    ck_assert_int_eq(gw_radius_verify_request(p, sizeof(rv_start_v4),
        RV_SECRET, SECRET_LEN), 0);
    free(p);
}
END_TEST


/* The datagram cut short at every offset: always refused (ETRUNC), and
 * nothing is read past the cut. */
START_TEST(test_truncated_datagram)
{
    const struct vec *v = &vecs[_i];
    struct gw_radius_acct a;
    size_t n;

    for (n = 0; n < v->len; n++) {
        uint8_t *p = dup_exact(v->pkt, n);
        int rc = gw_radius_parse(p, n, &a, NULL, NULL);

        ck_assert_msg(rc == WSPGW_ETRUNC, "%s cut at %zu: %d", v->name, n,
            rc);
        ck_assert_int_eq(gw_radius_verify_request(p, n, RV_SECRET,
            SECRET_LEN), 0);
        free(p);
    }
}
END_TEST


/* The packet cut at every offset with its Length field made to agree:
 * a cut inside an attribute is EPROTO; a cut between attributes parses
 * (or lacks Acct-Status-Type: EPROTO).  Never a crash or over-read. */
START_TEST(test_truncated_attributes)
{
    const struct vec *v = &vecs[_i];
    struct gw_radius_acct a;
    unsigned char boundary[GW_RADIUS_MAX_LEN + 1];
    size_t n, off;

    memset(boundary, 0, sizeof(boundary));
    for (off = GW_RADIUS_HDR_LEN; off < v->len; off += v->pkt[off + 1]) {
        boundary[off] = 1;
    }
    boundary[v->len] = 1;
    for (n = GW_RADIUS_HDR_LEN; n < v->len; n++) {
        uint8_t *p = dup_exact(v->pkt, n);
        const char *why = NULL;
        size_t where = 0;
        int rc;

        p[2] = (uint8_t) (n >> 8);
        p[3] = (uint8_t) n;
        rc = gw_radius_parse(p, n, &a, &why, &where);
        if (!boundary[n]) {
            ck_assert_msg(rc == WSPGW_EPROTO, "%s cut at %zu: %d", v->name,
                n, rc);
            ck_assert_ptr_nonnull(why);
            ck_assert_uint_lt(where, n);
        } else {
            ck_assert_msg(rc == 0 || rc == WSPGW_EPROTO, "%s at %zu: %d",
                v->name, n, rc);
        }
        free(p);
    }
}
END_TEST


struct bad_vec {
    const char *name;
    const char *hex;        /* the whole datagram */
    int rc;
};

/* Header: 04 01 LL LL + 16 octets of authenticator (zeros: these are
 * parse tests, the authenticator is not checked by the parser). */
#define H(len) "0401" len "00000000000000000000000000000000"
#define ST "2806" "00000001"    /* Acct-Status-Type Start */

static const struct bad_vec bad[] = {
    { "empty", "", WSPGW_ETRUNC },
    { "19 octets", "04010014000000000000000000000000000000", WSPGW_ETRUNC },
    { "Length 19", H("0013") ST, WSPGW_EPROTO },
    { "Length 4097", H("1001") ST, WSPGW_EPROTO },
    { "Length past datagram", H("001b") ST, WSPGW_ETRUNC },
    { "attribute length 0", H("001c") ST "0100", WSPGW_EPROTO },
    { "attribute length 1", H("001c") ST "0101", WSPGW_EPROTO },
    { "attribute overruns Length", H("001d") ST "1f0533", WSPGW_EPROTO },
    { "one stray octet", H("001b") ST "1f", WSPGW_EPROTO },
    { "no Acct-Status-Type", H("0018") "1f043333", WSPGW_EPROTO },
    { "Acct-Status-Type 3 octets", H("0019") "2805000001", WSPGW_EPROTO },
    { "Acct-Status-Type 5 octets", H("001b") "28070000000101",
      WSPGW_EPROTO },
    { "Framed-IP-Address 3 octets", H("001f") ST "08050a0102",
      WSPGW_EPROTO },
    { "Framed-IP-Address 5 octets", H("0021") ST "08070a01020304",
      WSPGW_EPROTO },
    { "NAS-IP-Address 2 octets", H("001e") ST "04040a01", WSPGW_EPROTO },
    { "empty Calling-Station-Id", H("001c") ST "1f02", WSPGW_EPROTO },
    { "NUL in Calling-Station-Id", H("001e") ST "1f043300",
      WSPGW_EPROTO },
    { "Calling-Station-Id over 64", H("005d") ST "1f43"
      "3131313131313131313131313131313131313131313131313131313131313131"
      "3131313131313131313131313131313131313131313131313131313131313131"
      "31", WSPGW_EPROTO },
    { "IPv6 prefix length 129", H("0026") ST "610c0081"
      "2001db8000010002", WSPGW_EPROTO },
    { "IPv6 prefix shorter than its length", H("0022") ST "61080040"
      "2001db80", WSPGW_EPROTO },
    { "IPv6 prefix attribute 19 octets", H("002f") ST "6115004020010db8"
      "000100020000000000000000aa", WSPGW_EPROTO },
    { "Vendor-Specific under 4 octets", H("001f") ST "1a05000028",
      WSPGW_EPROTO },
    { "3GPP sub-attribute length 1", H("0024") ST "1a0a000028af01013131",
      WSPGW_EPROTO },
    { "3GPP sub-attribute overruns", H("0024") ST "1a0a000028af01053131",
      WSPGW_EPROTO },
    { "3GPP stray octet", H("0021") ST "1a07000028af01", WSPGW_EPROTO },
    { "3GPP-IMSI 17 digits", H("0033") ST "1a19000028af0113"
      "3131313131313131313131313131313131", WSPGW_EPROTO },
    { "3GPP-SGSN-Address 3 octets", H("0025") ST "1a0b000028af0605c00002",
      WSPGW_EPROTO },
    { "3GPP-RAT-Type 2 octets", H("0024") ST "1a0a000028af15040101",
      WSPGW_EPROTO },
    { "Message-Authenticator 4 octets", H("0020") ST "500600000000",
      WSPGW_EPROTO },
    { "Access-Request (code 1)", "0101001e" "000000000000000000000000"
      "00000000" ST "1f043333", WSPGW_ENOTSUP },
    { "Accounting-Response (code 5)", "05010014"
      "00000000000000000000000000000000", WSPGW_ENOTSUP },
};

#undef H
#undef ST


static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2, i;

    ck_assert_uint_le(n, cap);
    for (i = 0; i < n; i++) {
        unsigned v;

        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t) v;
    }
    return n;
}


START_TEST(test_bad)
{
    const struct bad_vec *v = &bad[_i];
    uint8_t buf[512], *p;
    struct gw_radius_acct a;
    const char *why = NULL;
    size_t n = unhex(v->hex, buf, sizeof(buf));
    int rc;

    p = dup_exact(buf, n);
    rc = gw_radius_parse(p, n, &a, &why, NULL);
    ck_assert_msg(rc == v->rc, "%s: got %d (%s), want %d", v->name, rc,
        why != NULL ? why : "-", v->rc);
    ck_assert_ptr_nonnull(why);
    free(p);
}
END_TEST


/* Octets past the Length field are padding (RFC 2865 3), ignored also by
 * the authenticator. */
START_TEST(test_padding_ignored)
{
    uint8_t buf[sizeof(rv_stop_v4) + 7];
    struct gw_radius_acct a;

    memcpy(buf, rv_stop_v4, sizeof(rv_stop_v4));
    memset(buf + sizeof(rv_stop_v4), 0xee, 7);
    ck_assert_int_eq(gw_radius_parse(buf, sizeof(buf), &a, NULL, NULL), 0);
    ck_assert_uint_eq(a.length, sizeof(rv_stop_v4));
    ck_assert_int_eq(gw_radius_verify_request(buf, sizeof(buf), RV_SECRET,
        SECRET_LEN), 1);
}
END_TEST


START_TEST(test_resign)
{
    uint8_t out[GW_RADIUS_MAX_LEN];
    int n;

    n = gw_radius_resign(rv_with_msgauth, sizeof(rv_with_msgauth), out,
        sizeof(out), RV_OTHER_SECRET, sizeof(RV_OTHER_SECRET) - 1);
    ck_assert_int_eq(n, (int) sizeof(rv_with_msgauth_resigned));
    ck_assert_mem_eq(out, rv_with_msgauth_resigned, (size_t) n);
    ck_assert_int_eq(gw_radius_verify_request(out, (size_t) n,
        RV_OTHER_SECRET, sizeof(RV_OTHER_SECRET) - 1), 1);
    /* Too small an output, and a packet that does not parse. */
    ck_assert_int_eq(gw_radius_resign(rv_with_msgauth,
        sizeof(rv_with_msgauth), out, 20, RV_OTHER_SECRET, 5),
        WSPGW_ENOSPC);
    ck_assert_int_eq(gw_radius_resign(rv_with_msgauth, 19, out,
        sizeof(out), RV_OTHER_SECRET, 5), WSPGW_EPROTO);
    /* sign_request gives the same as the Python signer. */
    memcpy(out, rv_interim_v4, sizeof(rv_interim_v4));
    memset(out + 4, 0, 16);
    gw_radius_sign_request(out, sizeof(rv_interim_v4), RV_SECRET,
        SECRET_LEN);
    ck_assert_mem_eq(out, rv_interim_v4, sizeof(rv_interim_v4));
}
END_TEST


/* Random datagrams and random mutations of a good one: any result but a
 * crash or an over-read. */
START_TEST(test_garbage)
{
    struct gw_radius_acct a;
    unsigned seed = 12345, i;

    for (i = 0; i < 20000; i++) {
        size_t n, k;
        uint8_t *p;

        seed = seed * 1103515245u + 12345u;
        if (i % 2 == 0) {
            n = (seed >> 8) % 300;
            p = malloc(n > 0 ? n : 1);
            ck_assert_ptr_nonnull(p);
            for (k = 0; k < n; k++) {
                seed = seed * 1103515245u + 12345u;
                p[k] = (uint8_t) (seed >> 16);
            }
            if (n >= 4 && (seed & 1)) {
                p[0] = 4;
                p[2] = (uint8_t) (n >> 8);
                p[3] = (uint8_t) n;
            }
        } else {
            n = sizeof(rv_start_v4);
            p = dup_exact(rv_start_v4, n);
            for (k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                p[20 + (seed >> 8) % (n - 20)] = (uint8_t) (seed >> 20);
            }
        }
        (void) gw_radius_parse(p, n, &a, NULL, NULL);
        (void) gw_radius_verify_request(p, n, RV_SECRET, SECRET_LEN);
        free(p);
    }
}
END_TEST


START_TEST(test_status_names)
{
    char buf[24];

    ck_assert_str_eq(gw_radius_status_name(1, buf, sizeof(buf)), "Start");
    ck_assert_str_eq(gw_radius_status_name(3, buf, sizeof(buf)),
        "Interim-Update");
    ck_assert_str_eq(gw_radius_status_name(8, buf, sizeof(buf)),
        "Accounting-Off");
    ck_assert_str_eq(gw_radius_status_name(99, buf, sizeof(buf)),
        "unknown(99)");
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/radius");
    TCase *tc = tcase_create("radius");

    tcase_add_loop_test(tc, test_vector_parse_verify_respond, 0, NVECS);
    tcase_add_test(tc, test_vector_fields);
    tcase_add_test(tc, test_verify_bit_flips);
    tcase_add_loop_test(tc, test_truncated_datagram, 0, NVECS);
    tcase_add_loop_test(tc, test_truncated_attributes, 0, NVECS);
    tcase_add_loop_test(tc, test_bad, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_padding_ignored);
    tcase_add_test(tc, test_resign);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
