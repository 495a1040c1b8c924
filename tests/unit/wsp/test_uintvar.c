/*
 * tests/unit/wsp/test_uintvar.c - uintvar codec (WAP-230 8.1.2).
 * Vectors: reference/wsp.md section 8 (tshark-verified).
 */
#include <check.h>
#include <stdlib.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_test.h"

static const struct {
    uint32_t v;
    const char *hex;
} vectors[] = {
    { 0, "00" },
    { 127, "7F" },
    { 128, "81 00" },
    { 1000, "87 68" },
    { 3000, "97 38" },
    { 5000, "A7 08" },
    { 16383, "FF 7F" },
    { 16384, "81 80 00" },
    { 307200, "92 E0 00" },
    { 0x0FFFFFFF, "FF FF FF 7F" },
    { 0x10000000, "81 80 80 80 00" },
    { 0xFFFFFFFF, "8F FF FF FF 7F" },
};

#define NVEC (sizeof(vectors) / sizeof(vectors[0]))


START_TEST(test_decode_vectors)
{
    uint8_t in[8];
    size_t n = hex_parse(vectors[_i].hex, in, sizeof(in));
    uint32_t v = 0;

    ck_assert_int_eq(wsp_uintvar_decode(in, n, &v), (int) n);
    ck_assert_uint_eq(v, vectors[_i].v);
    /* Trailing octets are not consumed. */
    in[n] = 0x55;
    ck_assert_int_eq(wsp_uintvar_decode(in, n + 1, &v), (int) n);
}
END_TEST


START_TEST(test_encode_vectors)
{
    uint8_t want[8];
    size_t n = hex_parse(vectors[_i].hex, want, sizeof(want));
    struct wspgw_buf b;

    wspgw_buf_init(&b, 16);
    ck_assert_int_eq(wsp_uintvar_encode(&b, vectors[_i].v), 0);
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);
    ck_assert_uint_eq(wsp_uintvar_size(vectors[_i].v), n);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_truncated)
{
    uint8_t in[8];
    size_t n = hex_parse(vectors[_i].hex, in, sizeof(in)), k;
    uint32_t v;

    for (k = 0; k < n; k++) {
        ck_assert_int_eq(wsp_uintvar_decode(in, k, &v), WSPGW_ETRUNC);
    }
}
END_TEST


START_TEST(test_bad)
{
    uint8_t six[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    uint8_t over[] = { 0x90, 0x80, 0x80, 0x80, 0x00 };
    uint8_t cont5[] = { 0x81, 0x80, 0x80, 0x80, 0x80 };
    uint32_t v;

    ck_assert_int_eq(wsp_uintvar_decode(six, sizeof(six), &v), WSPGW_EPROTO);
    ck_assert_int_eq(wsp_uintvar_decode(over, sizeof(over), &v),
        WSPGW_EPROTO);
    ck_assert_int_eq(wsp_uintvar_decode(cont5, sizeof(cont5), &v),
        WSPGW_EPROTO);
    ck_assert_int_eq(wsp_uintvar_decode(NULL, 0, &v), WSPGW_ETRUNC);
}
END_TEST


START_TEST(test_cap)
{
    struct wspgw_buf b;

    wspgw_buf_init(&b, 2);
    ck_assert_int_eq(wsp_uintvar_encode(&b, 16384), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_round_trip_sweep)
{
    struct wspgw_buf b;
    uint32_t v, got, seed = 12345;
    int i;

    wspgw_buf_init(&b, 16);
    for (i = 0; i < 10000; i++) {
        v = xorshift32(&seed) >> (xorshift32(&seed) % 32);
        wspgw_buf_reset(&b);
        ck_assert_int_eq(wsp_uintvar_encode(&b, v), 0);
        ck_assert_int_eq(wsp_uintvar_decode(b.data, b.len, &got),
            (int) b.len);
        ck_assert_uint_eq(got, v);
    }
    wspgw_buf_free(&b);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_uintvar");
    TCase *tc = tcase_create("uintvar");

    tcase_add_loop_test(tc, test_decode_vectors, 0, NVEC);
    tcase_add_loop_test(tc, test_encode_vectors, 0, NVEC);
    tcase_add_loop_test(tc, test_truncated, 0, NVEC);
    tcase_add_test(tc, test_bad);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_round_trip_sweep);
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
