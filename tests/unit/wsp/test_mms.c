/*
 * tests/unit/wsp/test_mms.c - MMS encapsulation headers (wsp/mms.c).
 *
 * Vectors from ../shared/reference/mms.md sections 4 and 7-9 (each
 * verified there with tshark 4.0.17), field by field; decode of encode
 * over many generated notifications; truncation at every offset (input
 * copied into an exact-size heap block, so ASan sees any over-read);
 * seeded garbage and mutated vectors; the encoders' refusals and their
 * behaviour when the buffer ceiling or an allocation fails.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/mms.h"
#include "wsp_test.h"

#define PLMN "+15551230000/TYPE=PLMN"

/* mms.md section 7: the minimal m-notification-ind, From present. */
static const char notif_hex[] =
    "8C 82 98 'T0001' 00 8D 92"
    "89 18 80 '" PLMN "' 00"
    "8A 80 8E 02 75 30 88 05 81 03 09 3A 80"
    "83 'http://mmsc.example.net/m/0001' 00";

/* mms.md section 8: m-send-conf. */
static const char send_conf_hex[] =
    "8C 81 98 'T0001' 00 8D 92 92 80 8B 'MSG0001' 00";

/* mms.md section 9, the other PDUs verified with tshark. */
static const char notifyresp_hex[] =
    "8C 83 98 'T0001' 00 8D 92 95 81 91 80";
static const char ack_hex[] = "8C 85 98 'T0001' 00 8D 92 91 81";
static const char delivery_hex[] =
    "8C 86 8D 92 8B 'MSG0001' 00 97 '+15559990000/TYPE=PLMN' 00"
    "85 04 65 53 F1 00 95 81";
static const char send_req_hex[] =
    "8C 80 98 'T0001' 00 8D 92 89 01 81 97 '+15559990000/TYPE=PLMN' 00"
    "84 83 'hello'";
static const char retrieve_conf_hex[] =
    "8C 84 98 'T0002' 00 8D 92 85 04 65 53 F1 00"
    "89 18 80 '" PLMN "' 00"
    "97 '+15559990000/TYPE=PLMN' 00 96 'Holiday' 00"
    "84 1B B3 89 'application/smil' 00 8A '<smil>' 00"
    "02 1C 1C 'multipart body, never parsed'";

static const char *const vectors[] = {
    notif_hex, send_conf_hex, notifyresp_hex, ack_hex, delivery_hex,
    send_req_hex, retrieve_conf_hex,
};
#define NVEC (sizeof(vectors) / sizeof(vectors[0]))


static size_t
vec(const char *hex, uint8_t *out, size_t max)
{
    return hex_parse(hex, out, max);
}


/* Decodes a heap copy of exactly len octets (ASan sees over-reads). */
static int
decode_exact(const uint8_t *p, size_t len, struct wsp_mms_info *mi)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    if (len > 0) {
        memcpy(copy, p, len);
    }
    rc = wsp_mms_decode(copy, len, mi);
    free(copy);
    return rc;
}


START_TEST(test_notification_vector)
{
    uint8_t b[256];
    size_t n = vec(notif_hex, b, sizeof(b));
    struct wsp_mms_info mi;

    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_NOTIFICATION_IND);
    ck_assert_str_eq(wsp_mms_type_name(mi.message_type),
        "m-notification-ind");
    ck_assert_str_eq(mi.transaction_id, "T0001");
    ck_assert_uint_eq(mi.version, 0x12);
    ck_assert_int_eq(mi.has_message_size, 1);
    ck_assert_uint_eq(mi.message_size, 30000);
    ck_assert_str_eq(mi.content_location, "http://mmsc.example.net/m/0001");
    ck_assert_uint_eq(mi.n_to, 0);
    ck_assert_str_eq(mi.to, "");
}
END_TEST


START_TEST(test_send_conf_vector)
{
    uint8_t b[128];
    size_t n = vec(send_conf_hex, b, sizeof(b));
    struct wsp_mms_info mi;

    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_SEND_CONF);
    ck_assert_str_eq(mi.transaction_id, "T0001");
    ck_assert_uint_eq(mi.response_status, 0x80);
    ck_assert_str_eq(wsp_mms_response_status_name(mi.response_status),
        "ok");
    ck_assert_str_eq(mi.message_id, "MSG0001");
    ck_assert_int_eq(mi.has_message_size, 0);
}
END_TEST


START_TEST(test_other_vectors)
{
    uint8_t b[256];
    size_t n;
    struct wsp_mms_info mi;

    n = vec(notifyresp_hex, b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_NOTIFYRESP_IND);
    ck_assert_uint_eq(mi.status, 0x81);
    ck_assert_str_eq(wsp_mms_status_name(mi.status), "retrieved");
    ck_assert_str_eq(mi.transaction_id, "T0001");

    n = vec(ack_hex, b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_ACKNOWLEDGE_IND);
    ck_assert_str_eq(mi.transaction_id, "T0001");
    ck_assert_uint_eq(mi.status, 0);

    n = vec(delivery_hex, b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_DELIVERY_IND);
    ck_assert_str_eq(mi.transaction_id, "");
    ck_assert_str_eq(mi.message_id, "MSG0001");
    ck_assert_str_eq(mi.to, "+15559990000/TYPE=PLMN");
    ck_assert_uint_eq(mi.n_to, 1);
    ck_assert_uint_eq(mi.status, 0x81);

    n = vec(send_req_hex, b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_SEND_REQ);
    ck_assert_str_eq(mi.to, "+15559990000/TYPE=PLMN");
    ck_assert_uint_eq(mi.n_to, 1);
    ck_assert_uint_eq(mi.version, 0x12);

    /* Stops at Content-Type: the multipart body is never looked at. */
    n = vec(retrieve_conf_hex, b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_RETRIEVE_CONF);
    ck_assert_str_eq(mi.transaction_id, "T0002");
    ck_assert_str_eq(mi.to, "+15559990000/TYPE=PLMN");
}
END_TEST


START_TEST(test_recipients)
{
    uint8_t b[512];
    size_t n;
    struct wsp_mms_info mi;

    /* First To is in the charset form (utf-8), then Cc, To, Bcc, and an
     * application header between them. */
    n = vec("8C 80 98 'X' 00 8D 90"
        "97 07 EA 'a@b.c' 00 82 'cc@x' 00 'X-Foo' 00 'bar' 00"
        "97 '+1/TYPE=PLMN' 00 81 1F 22 EA 'bcc-with-long-address-0123456789'"
        " 00 84 A3", b, sizeof(b));
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_str_eq(mi.to, "a@b.c");
    ck_assert_uint_eq(mi.n_to, 4);
    ck_assert_uint_eq(mi.version, 0x10);
}
END_TEST


START_TEST(test_long_texts_truncated)
{
    uint8_t b[1024];
    char want[128];
    size_t n = 0, i;
    struct wsp_mms_info mi;

    b[n++] = 0x8C;
    b[n++] = 0x80;
    b[n++] = 0x98;
    for (i = 0; i < 300; i++) {
        b[n++] = (uint8_t) ('a' + i % 26);
    }
    b[n++] = 0;
    b[n++] = 0x97;
    for (i = 0; i < 400; i++) {
        b[n++] = '9';
    }
    b[n++] = 0;
    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_uint_eq(strlen(mi.transaction_id), sizeof(mi.transaction_id)
        - 1);
    memcpy(want, b + 3, sizeof(want) - 1);
    want[sizeof(want) - 1] = '\0';
    ck_assert_str_eq(mi.transaction_id, want);
    ck_assert_uint_eq(strlen(mi.to), sizeof(mi.to) - 1);
    ck_assert_uint_eq(mi.n_to, 1);
}
END_TEST


/* Named malformed inputs: the error each must give. */
static const struct {
    const char *name;
    const char *hex;
    int rc;
} bad[] = {
    { "empty", "", WSPGW_ETRUNC },
    { "type field only", "8C", WSPGW_ETRUNC },
    { "first header not Message-Type", "98 'T' 00 8C 80", WSPGW_EPROTO },
    { "WSP PDU, not MMS", "01 04 20 01 BE", WSPGW_EPROTO },
    { "type value below 0x80", "8C 05", WSPGW_EPROTO },
    { "type value past 0x97", "8C 98", WSPGW_EPROTO },
    { "Message-Type repeated", "8C 80 8C 81", WSPGW_EPROTO },
    { "control octet as header", "8C 80 05 41", WSPGW_EPROTO },
    { "DEL octet as header", "8C 80 7F 41 00", WSPGW_EPROTO },
    { "Response-Status not an octet value", "8C 81 92 05", WSPGW_EPROTO },
    { "Status not an octet value", "8C 83 95 'x' 00", WSPGW_EPROTO },
    { "Version as text", "8C 80 8D '1.2' 00", WSPGW_EPROTO },
    { "Transaction-Id without NUL", "8C 80 98 'T0001'", WSPGW_ETRUNC },
    { "To text past its Value-length", "8C 80 97 03 EA 'abc' 00",
      WSPGW_EPROTO },
    { "To Value-length past the end", "8C 80 97 09 EA 'ab' 00",
      WSPGW_ETRUNC },
    { "To charset Long-integer too wide", "8C 80 97 0B 09 01 02 03 04 05 06"
      " 07 08 09 00", WSPGW_EPROTO },
    { "To Value-length with slack", "8C 80 97 05 EA 'ab' 00 00",
      WSPGW_EPROTO },
    { "Message-Size Long-integer truncated", "8C 82 8E 04 01 02",
      WSPGW_ETRUNC },
    { "Message-Size 9 octets", "8C 82 8E 09 01 02 03 04 05 06 07 08 09",
      WSPGW_EPROTO },
    { "Message-Size length 31", "8C 82 8E 1F 01 00", WSPGW_EPROTO },
    { "unknown field Value-length past end", "8C 80 A8 1E 01 02",
      WSPGW_ETRUNC },
    { "application header name not a token", "8C 80 'a b' 00 'v' 00",
      WSPGW_EPROTO },
    { "application header without value", "8C 80 'X-A' 00", WSPGW_ETRUNC },
    { "Content-Location index form with slack", "8C 95 83 05 80 'ab' 00 00",
      WSPGW_EPROTO },
};


START_TEST(test_malformed)
{
    uint8_t b[256];
    size_t n;
    struct wsp_mms_info mi;

    n = vec(bad[_i].hex, b, sizeof(b));
    ck_assert_msg(decode_exact(b, n, &mi) == bad[_i].rc,
        "%s: got %d, want %d", bad[_i].name, decode_exact(b, n, &mi),
        bad[_i].rc);
}
END_TEST


START_TEST(test_content_location_index_form)
{
    uint8_t b[128];
    size_t n = vec("8C 95 98 'D1' 00 8D 93 83 05 80 'a/b' 00 92 80", b,
        sizeof(b));
    struct wsp_mms_info mi;

    ck_assert_int_eq(decode_exact(b, n, &mi), 0);
    ck_assert_str_eq(mi.content_location, "a/b");
    ck_assert_uint_eq(mi.response_status, 0x80);
    ck_assert_uint_eq(mi.version, 0x13);
}
END_TEST


/*
 * Every proper prefix of every vector: 0 (cut at a header boundary) or
 * WSPGW_ETRUNC, never EPROTO, never an over-read.  For the notification
 * the prefixes that decode are exactly its header boundaries.
 */
START_TEST(test_truncation_every_offset)
{
    static const size_t notif_bounds[] = { 2, 9, 11, 37, 39, 43, 50 };
    uint8_t b[512];
    size_t n, i, k, ok;
    struct wsp_mms_info mi;

    for (k = 0; k < NVEC; k++) {
        n = vec(vectors[k], b, sizeof(b));
        ok = 0;
        for (i = 0; i < n; i++) {
            int rc = decode_exact(b, i, &mi);

            ck_assert_msg(rc == 0 || rc == WSPGW_ETRUNC,
                "vector %zu cut at %zu: rc %d", k, i, rc);
            if (rc == 0) {
                ok++;
                if (k == 0) {
                    size_t j, found = 0;

                    for (j = 0; j < 7; j++) {
                        found |= notif_bounds[j] == i;
                    }
                    ck_assert_msg(found, "notification decodes at %zu", i);
                }
            }
        }
        ck_assert_int_eq(decode_exact(b, n, &mi), 0);
        if (k == 0) {
            ck_assert_uint_eq(ok, 7);
        }
    }
}
END_TEST


static uint32_t
rng(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t) (*s >> 33);
}


static void
check_info_sane(const struct wsp_mms_info *mi)
{
    ck_assert_uint_lt(strlen(mi->transaction_id), sizeof(mi->transaction_id));
    ck_assert_uint_lt(strlen(mi->to), sizeof(mi->to));
    ck_assert_uint_lt(strlen(mi->content_location),
        sizeof(mi->content_location));
    ck_assert_uint_lt(strlen(mi->message_id), sizeof(mi->message_id));
}


/* Random octets (often led by 8C 80 so the decoder gets past the first
 * header) and randomly mutated vectors. */
START_TEST(test_garbage)
{
    uint64_t seed = 0x6d6d73;
    uint8_t b[600], v[512];
    unsigned iter;
    struct wsp_mms_info mi;

    for (iter = 0; iter < 200000; iter++) {
        size_t n, i;
        int rc;

        if (iter % 2 == 0) {
            n = rng(&seed) % 80;
            for (i = 0; i < n; i++) {
                b[i] = (uint8_t) rng(&seed);
            }
            if (n >= 2 && iter % 4 == 0) {
                b[0] = 0x8C;
                b[1] = 0x80 | (rng(&seed) % 0x18);
            }
        } else {
            size_t k = rng(&seed) % NVEC, m;

            n = vec(vectors[k], v, sizeof(v));
            memcpy(b, v, n);
            for (m = 1 + rng(&seed) % 4; m > 0; m--) {
                b[rng(&seed) % n] = (uint8_t) rng(&seed);
            }
        }
        rc = decode_exact(b, n, &mi);
        ck_assert(rc == 0 || rc == WSPGW_EPROTO || rc == WSPGW_ETRUNC);
        check_info_sane(&mi);
    }
}
END_TEST


/* ---- encoders ------------------------------------------------------------ */

START_TEST(test_notification_encode_vector)
{
    uint8_t want[256];
    size_t wn = vec(notif_hex, want, sizeof(want));
    struct wsp_mms_notification nt;
    struct wspgw_buf out;
    char a[800], b[800];

    memset(&nt, 0, sizeof(nt));
    nt.transaction_id = "T0001";
    nt.from = PLMN;
    nt.size = 30000;
    nt.expiry_s = 604800;
    nt.location = "http://mmsc.example.net/m/0001";
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    ck_assert_msg(out.len == wn && memcmp(out.data, want, wn) == 0,
        "got %s\nwant %s", hex_str(out.data, out.len, a, sizeof(a)),
        hex_str(want, wn, b, sizeof(b)));
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_notification_encode_insert_subject)
{
    uint8_t want[256];
    size_t wn;
    struct wsp_mms_notification nt;
    struct wspgw_buf out;
    char a[800], b[800];

    /* From NULL: insert-address-token; UTF-8 Subject "Grüße" as in
     * mms.md section 4; class informational; size 0 (one octet). */
    wn = vec("8C 82 98 'T9' 00 8D 91 89 01 81"
        "96 09 EA 47 72 C3 BC C3 9F 65 00 8A 82 8E 01 00"
        "88 04 81 02 0E 10 83 'http://m/1' 00", want, sizeof(want));
    memset(&nt, 0, sizeof(nt));
    nt.transaction_id = "T9";
    nt.version = 0x11;
    nt.subject = "Gr\xc3\xbc\xc3\x9f" "e";
    nt.message_class = 0x82;
    nt.size = 0;
    nt.expiry_s = 3600;
    nt.location = "http://m/1";
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    ck_assert_msg(out.len == wn && memcmp(out.data, want, wn) == 0,
        "got %s\nwant %s", hex_str(out.data, out.len, a, sizeof(a)),
        hex_str(want, wn, b, sizeof(b)));

    /* ASCII subject: plain Text-string; subject starting with a UTF-8
     * octet: charset form with the Quote inside the text. */
    wspgw_buf_reset(&out);
    nt.subject = "Hi";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    wn = vec("96 'Hi' 00", want, sizeof(want));
    ck_assert_int_eq(memcmp(out.data + 11, want, wn), 0);
    wspgw_buf_reset(&out);
    nt.subject = "\xc3\xa9t\xc3\xa9";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    wn = vec("96 08 EA 7F C3 A9 74 C3 A9 00", want, sizeof(want));
    ck_assert_int_eq(memcmp(out.data + 11, want, wn), 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_notification_encode_long_from)
{
    struct wsp_mms_notification nt;
    struct wspgw_buf out;
    struct wsp_mms_info mi;
    char from[200];

    /* A From longer than 30 octets needs the 0x1F + uintvar length. */
    memset(from, 'x', sizeof(from) - 1);
    from[sizeof(from) - 1] = '\0';
    memset(&nt, 0, sizeof(nt));
    nt.transaction_id = "T";
    nt.from = from;
    nt.size = 0x0102030405060708ULL;
    nt.expiry_s = UINT64_MAX;
    nt.location = "l";
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    ck_assert_uint_eq(out.data[7], 0x89);
    ck_assert_uint_eq(out.data[8], 0x1F);
    ck_assert_uint_eq(out.data[9], 0x81);      /* uintvar 201 = 81 49 */
    ck_assert_uint_eq(out.data[10], 0x49);
    ck_assert_uint_eq(out.data[11], 0x80);
    ck_assert_int_eq(wsp_mms_decode(out.data, out.len, &mi), 0);
    ck_assert_uint_eq(mi.message_size, 0x0102030405060708ULL);
    ck_assert_str_eq(mi.content_location, "l");
    wspgw_buf_free(&out);
}
END_TEST


/* Generated notifications decode back to what was encoded. */
START_TEST(test_decode_of_encode)
{
    static const char alpha[] = "abcXYZ019-./:_@+%=";
    uint64_t seed = 42;
    unsigned iter;

    for (iter = 0; iter < 5000; iter++) {
        struct wsp_mms_notification nt;
        struct wsp_mms_info mi;
        struct wspgw_buf out;
        char tid[100], loc[300], from[60], subj[60];
        size_t i, n;

        n = 1 + rng(&seed) % (sizeof(tid) - 1);
        for (i = 0; i < n; i++) {
            tid[i] = alpha[rng(&seed) % (sizeof(alpha) - 1)];
        }
        tid[n] = '\0';
        n = 1 + rng(&seed) % (sizeof(loc) - 1);
        for (i = 0; i < n; i++) {
            loc[i] = alpha[rng(&seed) % (sizeof(alpha) - 1)];
        }
        loc[n] = '\0';
        n = 1 + rng(&seed) % (sizeof(from) - 1);
        for (i = 0; i < n; i++) {
            from[i] = alpha[rng(&seed) % (sizeof(alpha) - 1)];
        }
        from[n] = '\0';
        n = rng(&seed) % 20;
        for (i = 0; i + 2 <= n; i += 2) {
            subj[i] = (char) 0xc3;
            subj[i + 1] = (char) (0xa0 + rng(&seed) % 16);
        }
        subj[i] = '\0';
        memset(&nt, 0, sizeof(nt));
        nt.transaction_id = tid;
        nt.version = 0x10 + rng(&seed) % 4;
        nt.from = rng(&seed) % 2 ? from : NULL;
        nt.subject = rng(&seed) % 2 ? subj : NULL;
        nt.message_class = 0x80 + rng(&seed) % 4;
        nt.size = ((uint64_t) rng(&seed) << (rng(&seed) % 32)) | rng(&seed);
        nt.expiry_s = 1 + rng(&seed);
        nt.location = loc;
        wspgw_buf_init(&out, 4096);
        ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
        ck_assert_int_eq(decode_exact(out.data, out.len, &mi), 0);
        ck_assert_uint_eq(mi.message_type, WSP_MMS_NOTIFICATION_IND);
        ck_assert_str_eq(mi.transaction_id, tid);
        ck_assert_uint_eq(mi.version, nt.version);
        ck_assert_str_eq(mi.content_location, loc);
        ck_assert_int_eq(mi.has_message_size, 1);
        ck_assert(mi.message_size == nt.size);
        ck_assert_uint_eq(mi.n_to, 0);
        /* The first three headers, in order. */
        ck_assert_uint_eq(out.data[0], 0x8C);
        ck_assert_uint_eq(out.data[2], 0x98);
        ck_assert_uint_eq(out.data[3 + strlen(tid) + 1], 0x8D);
        wspgw_buf_free(&out);
    }
}
END_TEST


START_TEST(test_notification_encode_refusals)
{
    struct wsp_mms_notification ok, nt;
    struct wspgw_buf out;

    memset(&ok, 0, sizeof(ok));
    ok.transaction_id = "T";
    ok.expiry_s = 1;
    ok.location = "http://m/1";
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wspgw_buf_puts(&out, "keep"), 0);

    nt = ok;
    nt.transaction_id = NULL;
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.transaction_id = "";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.location = NULL;
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.expiry_s = 0;
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.message_class = 0x84;
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.version = 0x80;
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.subject = "a\r\nb";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.from = "";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    nt = ok;
    nt.location = "http://x/\ty";
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out),
        WSPGW_EINVAL);
    ck_assert_uint_eq(out.len, 4);
    ck_assert_str_eq(wspgw_buf_str(&out), "keep");
    wspgw_buf_free(&out);
}
END_TEST


/* Every ceiling from 0 up: EMSGSIZE with the buffer untouched, until it
 * fits; every failed allocation likewise ENOMEM. */
START_TEST(test_encode_ceiling_and_oom)
{
    struct wsp_mms_notification nt;
    struct wspgw_buf out;
    size_t max, full;
    long k;
    int rc;

    memset(&nt, 0, sizeof(nt));
    nt.transaction_id = "T0001";
    nt.from = PLMN;
    nt.subject = "Gr\xc3\xbc\xc3\x9f" "e";
    nt.size = 30000;
    nt.expiry_s = 604800;
    nt.location = "http://mmsc.example.net/m/0001";
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wsp_mms_notification_ind_encode(&nt, &out), 0);
    full = out.len;
    wspgw_buf_free(&out);
    for (max = 0; max <= full; max++) {
        wspgw_buf_init(&out, max);
        rc = wsp_mms_notification_ind_encode(&nt, &out);
        if (max < full) {
            ck_assert_int_eq(rc, WSPGW_EMSGSIZE);
            ck_assert_uint_eq(out.len, 0);
        } else {
            ck_assert_int_eq(rc, 0);
        }
        wspgw_buf_free(&out);
    }
    for (k = 0; k < 10; k++) {
        wspgw_buf_init(&out, 4096);
        wspgw_alloc_fail_after(k);
        rc = wsp_mms_notification_ind_encode(&nt, &out);
        wspgw_alloc_fail_after(-1);
        ck_assert(rc == 0 || rc == WSPGW_ENOMEM);
        if (rc != 0) {
            ck_assert_uint_eq(out.len, 0);
        }
        wspgw_buf_free(&out);
        rc = 0;
    }
}
END_TEST


START_TEST(test_send_conf_encode)
{
    uint8_t want[128];
    size_t wn;
    struct wspgw_buf out;
    struct wsp_mms_info mi;
    char a[400], b[400];

    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wsp_mms_send_conf_encode("T0001", 0x12,
        WSP_MMS_RS_PERMANENT_CONTENT_NOT_ACCEPTED, "too large", &out), 0);
    wn = vec("8C 81 98 'T0001' 00 8D 92 92 E5 93 'too large' 00", want,
        sizeof(want));
    ck_assert_msg(out.len == wn && memcmp(out.data, want, wn) == 0,
        "got %s\nwant %s", hex_str(out.data, out.len, a, sizeof(a)),
        hex_str(want, wn, b, sizeof(b)));
    ck_assert_int_eq(wsp_mms_decode(out.data, out.len, &mi), 0);
    ck_assert_uint_eq(mi.message_type, WSP_MMS_SEND_CONF);
    ck_assert_uint_eq(mi.response_status, 0xE5);
    ck_assert_str_eq(wsp_mms_response_status_name(0xE5),
        "error-permanent-content-not-accepted");
    ck_assert_str_eq(wsp_mms_response_status_name(0xC0),
        "error-transient-failure");
    ck_assert_str_eq(wsp_mms_response_status_name(0x10), "unknown");

    /* No text, version 0 = 1.0. */
    wspgw_buf_reset(&out);
    ck_assert_int_eq(wsp_mms_send_conf_encode("x", 0, 0xC0, NULL, &out), 0);
    wn = vec("8C 81 98 'x' 00 8D 90 92 C0", want, sizeof(want));
    ck_assert_uint_eq(out.len, wn);
    ck_assert_int_eq(memcmp(out.data, want, wn), 0);

    wspgw_buf_reset(&out);
    ck_assert_int_eq(wsp_mms_send_conf_encode("", 0, 0xC0, NULL, &out),
        WSPGW_EINVAL);
    ck_assert_int_eq(wsp_mms_send_conf_encode(NULL, 0, 0xC0, NULL, &out),
        WSPGW_EINVAL);
    ck_assert_int_eq(wsp_mms_send_conf_encode("x", 0, 0x20, NULL, &out),
        WSPGW_EINVAL);
    ck_assert_int_eq(wsp_mms_send_conf_encode("x\n", 0, 0xC0, NULL, &out),
        WSPGW_EINVAL);
    ck_assert_int_eq(wsp_mms_send_conf_encode("x", 0, 0xC0, "\xc3\xa9",
        &out), WSPGW_EINVAL);
    ck_assert_uint_eq(out.len, 0);
    wspgw_buf_free(&out);
    wspgw_buf_init(&out, 5);
    ck_assert_int_eq(wsp_mms_send_conf_encode("T0001", 0, 0xC0, NULL, &out),
        WSPGW_EMSGSIZE);
    ck_assert_uint_eq(out.len, 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_names)
{
    unsigned v, named = 0;

    for (v = 0; v < 256; v++) {
        if (strcmp(wsp_mms_type_name(v), "unknown") != 0) {
            named++;
        }
    }
    ck_assert_uint_eq(named, 0x18);
    ck_assert_str_eq(wsp_mms_type_name(0x80), "m-send-req");
    ck_assert_str_eq(wsp_mms_type_name(0x97), "m-cancel-conf");
    ck_assert_str_eq(wsp_mms_status_name(0x87), "unreachable");
    ck_assert_str_eq(wsp_mms_status_name(0x88), "unknown");
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_mms");
    TCase *tc = tcase_create("mms");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_notification_vector);
    tcase_add_test(tc, test_send_conf_vector);
    tcase_add_test(tc, test_other_vectors);
    tcase_add_test(tc, test_recipients);
    tcase_add_test(tc, test_long_texts_truncated);
    tcase_add_loop_test(tc, test_malformed, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_content_location_index_form);
    tcase_add_test(tc, test_truncation_every_offset);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_notification_encode_vector);
    tcase_add_test(tc, test_notification_encode_insert_subject);
    tcase_add_test(tc, test_notification_encode_long_from);
    tcase_add_test(tc, test_decode_of_encode);
    tcase_add_test(tc, test_notification_encode_refusals);
    tcase_add_test(tc, test_encode_ceiling_and_oom);
    tcase_add_test(tc, test_send_conf_encode);
    tcase_add_test(tc, test_names);
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
