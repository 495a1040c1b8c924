/*
 * tests/unit/wsp/test_session_enc.c - the session's encoding version
 * from the Connect's Encoding-Version header (WAP-230 8.4.2.70):
 * Encoding-version-value = Version-value | Value-length Code-page
 * [Version-value].  Only a version stated for code page 1 (the WAP Forum
 * headers) counts; it reaches the gateway as the FETCH's enc.
 *
 * Each vector is a Connect (the verified Connect of wsp.md 12 with other
 * session headers), then a Get in the new session; the FETCH's enc is
 * checked.  Malformed headers never crash (exact-size copies, ASan).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"
#include "wsp_test.h"

#define CAPS "03 80 97 38 03 81 97 38 02 82 00 02 83 01 " \
    "02 84 01 04 88 92 E0 00 04 89 92 E0 00 "
#define GET_A "40 0A 'http://x/a'"

struct vec {
    const char *name;
    const char *hdrs;           /* session headers */
    unsigned enc;               /* FETCH enc expected; 0: none */
};

static const struct vec vecs[] = {
    { "none", "A9 'UA' 00", 0 },
    { "short 1.3", "A9 'UA' 00 C3 93", 0x13 },
    { "short 1.5", "C3 95", 0x15 },
    { "text 1.2", "C3 '1.2' 00", 0x12 },
    { "code page 1, version 1.4", "C3 02 81 94", 0x14 },
    { "code page 1, long Value-length", "C3 1F 02 81 95", 0x15 },
    { "code page 1, text version", "C3 05 81 '1.4' 00", 0x14 },
    { "code page 1 without version", "C3 01 81", 0 },
    { "other code page", "C3 02 85 91", 0 },
    { "other page after page 1", "C3 02 81 94 C3 02 82 91", 0x14 },
    { "page 1 after other page", "C3 02 82 91 C3 93", 0x13 },
    { "header on page 2 is not Encoding-Version", "7F 02 C3 94", 0 },
    { "back to page 1 by short-cut shift", "7F 02 C3 94 01 C3 92", 0x12 },
    { "version below 1.1", "C3 02 81 90", 0 },
    { "version not a Short-integer", "C3 02 81 14", 0 },
    { "text version not d.d", "C3 05 81 '1.x' 00", 0 },
    { "trailing octet in the code-page form", "C3 03 81 94 94", 0 },
    { "Value-length past the end", "A9 'UA' 00 C3 03 81 94", 0 },
};

#define NVEC (sizeof(vecs) / sizeof(vecs[0]))


/* Runs Connect + Get; returns the FETCH's enc. */
static unsigned
fetch_enc(const uint8_t *hdrs, size_t hlen)
{
    static const uint8_t ip[4] = { 10, 0, 0, 1 };
    struct wsp_srv_config cfg;
    struct wsp_srv_action a;
    struct wspgw_addr peer;
    struct wsp_srv *srv;
    uint8_t con[256], get[32], *copy;
    size_t n = 0, gn;
    unsigned enc = 0;
    int fetched = 0;

    wsp_srv_config_defaults(&cfg);
    wspgw_addr_init(&peer, WSPGW_AF_INET, ip, 2000);
    srv = wsp_srv_new(&cfg);
    ck_assert_ptr_nonnull(srv);
    con[n++] = 0x01;                    /* Connect */
    con[n++] = 0x10;                    /* version 1.0 */
    con[n++] = 0x1B;                    /* CapabilitiesLen 27 */
    ck_assert(hlen < 128);
    con[n++] = (uint8_t) hlen;          /* HeadersLen (uintvar) */
    n += hex_parse(CAPS, con + n, sizeof(con) - n);
    memcpy(con + n, hdrs, hlen);
    n += hlen;
    copy = malloc(n);
    memcpy(copy, con, n);
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 1, &peer, 2, copy, n, 0), 0);
    free(copy);
    ck_assert_int_eq(wsp_srv_next_action(srv, &a), 1);
    ck_assert_int_eq(a.type, WSP_SRV_ACT_TR_RESULT);
    ck_assert_uint_eq(a.data[0], 0x02);             /* ConnectReply */
    ck_assert_int_eq(wsp_srv_result_cnf(srv, 1, 0), 0);
    while (wsp_srv_next_action(srv, &a) == 1) {
    }
    gn = hex_parse(GET_A, get, sizeof(get));
    ck_assert_int_eq(wsp_srv_invoke_ind(srv, 2, &peer, 2, get, gn, 0), 0);
    while (wsp_srv_next_action(srv, &a) == 1) {
        if (a.type == WSP_SRV_ACT_FETCH) {
            enc = a.enc;
            fetched = 1;
        }
    }
    ck_assert(fetched);
    wsp_srv_free(srv);
    return enc;
}


START_TEST(test_fetch_enc)
{
    const struct vec *v = &vecs[_i];
    uint8_t h[128];
    size_t n = hex_parse(v->hdrs, h, sizeof(h));
    unsigned enc = fetch_enc(h, n);

    ck_assert_msg(enc == v->enc, "%s: enc 0x%02x want 0x%02x", v->name, enc,
        v->enc);
}
END_TEST


/* Every prefix and every one-octet change of the code-page forms. */
START_TEST(test_garbage)
{
    uint8_t h[128];
    size_t i, n, k;
    unsigned b;

    for (i = 0; i < NVEC; i++) {
        n = hex_parse(vecs[i].hdrs, h, sizeof(h));
        for (k = 0; k < n; k++) {
            (void) fetch_enc(h, k);
        }
        for (k = 0; k < n; k++) {
            uint8_t keep = h[k];

            for (b = 0; b < 256; b += 29) {
                h[k] = (uint8_t) b;
                (void) fetch_enc(h, n);
            }
            h[k] = keep;
        }
    }
}
END_TEST


int
main(void)
{
    Suite *s = suite_create("wsp_session_enc");
    TCase *tc = tcase_create("enc");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_fetch_enc, 0, NVEC);
    tcase_add_test(tc, test_garbage);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
