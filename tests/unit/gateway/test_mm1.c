/*
 * tests/unit/gateway/test_mm1.c - MM1 awareness, pure part
 * (gateway/mm1.c): content-type recognition, access-log tokens (exact
 * text, escaping, all-or-nothing), counters by message type, the
 * m-send-req token bucket under a fake clock (refill, burst, retry time,
 * LRU eviction, a reference model over random traffic, allocation
 * failures) and the gateway's own refusals.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/mms.h"
#include "mm1.h"

/* m-send-req from reference/mms.md section 9 (abridged). */
static const uint8_t send_req[] = {
    0x8C, 0x80, 0x98, 'T', '0', '0', '0', '1', 0x00, 0x8D, 0x92,
    0x89, 0x01, 0x81,
    0x97, '+', '1', '5', '5', '5', '9', '9', '9', '0', '0', '0', '0',
    '/', 'T', 'Y', 'P', 'E', '=', 'P', 'L', 'M', 'N', 0x00,
    0x84, 0x83, 'h', 'e', 'l', 'l', 'o'
};

/* m-send-conf from reference/mms.md section 8. */
static const uint8_t send_conf[] = {
    0x8C, 0x81, 0x98, 'T', '0', '0', '0', '1', 0x00, 0x8D, 0x92,
    0x92, 0x80, 0x8B, 'M', 'S', 'G', '0', '0', '0', '1', 0x00
};


START_TEST(test_ctype_text)
{
    ck_assert(gw_mm1_ctype_is_mms("application/vnd.wap.mms-message"));
    ck_assert(gw_mm1_ctype_is_mms("Application/VND.WAP.MMS-Message"));
    ck_assert(gw_mm1_ctype_is_mms(" application/vnd.wap.mms-message ; "
        "charset=utf-8"));
    ck_assert(gw_mm1_ctype_is_mms("application/vnd.wap.mms-message;x=1"));
    ck_assert(!gw_mm1_ctype_is_mms("application/vnd.wap.mms-messages"));
    ck_assert(!gw_mm1_ctype_is_mms("application/vnd.wap.mms"));
    ck_assert(!gw_mm1_ctype_is_mms("text/plain"));
    ck_assert(!gw_mm1_ctype_is_mms(""));
    ck_assert(!gw_mm1_ctype_is_mms(NULL));
}
END_TEST


START_TEST(test_ctype_wsp)
{
    static const uint8_t wk[] = { 0xBE };
    static const uint8_t plain[] = { 0x83 };
    static const char text[] = "application/vnd.wap.mms-message";
    uint8_t b[80];
    size_t n = sizeof(text);

    ck_assert(gw_mm1_wsp_ctype_is_mms(wk, 1));
    ck_assert(!gw_mm1_wsp_ctype_is_mms(plain, 1));
    ck_assert(!gw_mm1_wsp_ctype_is_mms(wk, 0));
    ck_assert(!gw_mm1_wsp_ctype_is_mms(NULL, 0));
    /* Extension-media text, as Kannel's fakewap sends it. */
    memcpy(b, text, n);
    ck_assert(gw_mm1_wsp_ctype_is_mms(b, n));
    /* General form: Value-length (31 + uintvar: more than 30 octets),
     * the text, a charset parameter. */
    b[0] = 0x1F;
    b[1] = (uint8_t) (n + 2);
    memcpy(b + 2, text, n);
    b[2 + n] = 0x81;
    b[3 + n] = 0xEA;
    ck_assert(gw_mm1_wsp_ctype_is_mms(b, n + 4));
    /* Well-known 0xBE in the general form with a parameter. */
    b[0] = 3;
    b[1] = 0xBE;
    b[2] = 0x81;
    b[3] = 0xEA;
    ck_assert(gw_mm1_wsp_ctype_is_mms(b, 4));
    /* Truncated general form: not MMS, no over-read. */
    ck_assert(!gw_mm1_wsp_ctype_is_mms(b, 2));
    memcpy(b, "text/plain", 11);
    ck_assert(!gw_mm1_wsp_ctype_is_mms(b, 11));
}
END_TEST


START_TEST(test_log_token_send_req)
{
    struct gw_mm1_pdu p;
    struct wspgw_buf out;
    char want[200];

    gw_mm1_inspect(send_req, sizeof(send_req), &p);
    ck_assert_int_eq(p.decoded, 1);
    ck_assert_int_eq(gw_mm1_kind_of(&p), GW_MM1_K_SEND_REQ);
    wspgw_buf_init(&out, 1024);
    ck_assert_int_eq(gw_mm1_log_token(&out, "mms", &p), 0);
    snprintf(want, sizeof(want), " mms=m-send-req;tid=T0001;ver=1.2;"
        "to=+15559990000/TYPE%%3DPLMN;rcpt=1;len=%zu", sizeof(send_req));
    ck_assert_str_eq(wspgw_buf_str(&out), want);

    wspgw_buf_reset(&out);
    gw_mm1_inspect(send_conf, sizeof(send_conf), &p);
    ck_assert_int_eq(gw_mm1_kind_of(&p), GW_MM1_K_SEND_CONF);
    ck_assert_int_eq(gw_mm1_log_token(&out, "mms-reply", &p), 0);
    ck_assert_str_eq(wspgw_buf_str(&out), " mms-reply=m-send-conf;tid=T0001;"
        "ver=1.2;rs=ok;len=22");
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_log_token_escaping_and_fields)
{
    static const uint8_t pdu[] = {
        0x8C, 0x82, 0x98, 'a', ' ', 'b', ';', 'c', '=', '%', '"', 0x7e,
        0xC3, 0xA9, 0x01, 0x00,
        0x8D, 0x90, 0x8E, 0x02, 0x75, 0x30, 0x95, 0x81, 0x92, 0x90,
    };
    struct gw_mm1_pdu p;
    struct wspgw_buf out;
    const char *s;

    gw_mm1_inspect(pdu, sizeof(pdu), &p);
    ck_assert_int_eq(p.decoded, 1);
    wspgw_buf_init(&out, 1024);
    ck_assert_int_eq(gw_mm1_log_token(&out, "mms", &p), 0);
    s = wspgw_buf_str(&out);
    ck_assert_str_eq(s, " mms=m-notification-ind;tid=a%20b%3Bc%3D%25%22~"
        "%C3%A9%01;ver=1.0;size=30000;rs=0x90;st=retrieved;len=26");
    /* No raw space or control octet past the leading space. */
    ck_assert_ptr_null(strchr(s + 1, ' '));
    ck_assert_ptr_null(strchr(s, '\n'));
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_log_token_undecodable_and_ceiling)
{
    static const uint8_t junk[] = { 0x01, 0x02, 0x03 };
    static const uint8_t cut[] = { 0x8C, 0x80, 0x98, 'T' };
    struct gw_mm1_pdu p;
    struct wspgw_buf out;
    size_t max, full;

    gw_mm1_inspect(junk, sizeof(junk), &p);
    ck_assert_int_eq(p.decoded, 0);
    ck_assert_int_eq(p.err, WSPGW_EPROTO);
    ck_assert_int_eq(gw_mm1_kind_of(&p), GW_MM1_K_UNDECODABLE);
    wspgw_buf_init(&out, 1024);
    ck_assert_int_eq(gw_mm1_log_token(&out, "mms", &p), 0);
    ck_assert_str_eq(wspgw_buf_str(&out), " mms=undecodable;err=EPROTO;len=3");
    wspgw_buf_free(&out);
    gw_mm1_inspect(cut, sizeof(cut), &p);
    ck_assert_int_eq(p.err, WSPGW_ETRUNC);

    /* Every ceiling below the full token: nothing appended. */
    gw_mm1_inspect(send_req, sizeof(send_req), &p);
    wspgw_buf_init(&out, 1024);
    ck_assert_int_eq(gw_mm1_log_token(&out, "mms", &p), 0);
    full = out.len;
    wspgw_buf_free(&out);
    for (max = 0; max < full; max++) {
        wspgw_buf_init(&out, max);
        ck_assert_int_ne(gw_mm1_log_token(&out, "mms", &p), 0);
        ck_assert_uint_eq(out.len, 0);
        ck_assert_str_eq(wspgw_buf_str(&out), "");
        wspgw_buf_free(&out);
    }
}
END_TEST


START_TEST(test_kinds)
{
    static const struct {
        uint8_t type;
        enum gw_mm1_kind kind;
    } t[] = {
        { 0x80, GW_MM1_K_SEND_REQ }, { 0x81, GW_MM1_K_SEND_CONF },
        { 0x82, GW_MM1_K_NOTIFICATION_IND },
        { 0x83, GW_MM1_K_NOTIFYRESP_IND }, { 0x84, GW_MM1_K_RETRIEVE_CONF },
        { 0x85, GW_MM1_K_ACKNOWLEDGE_IND }, { 0x86, GW_MM1_K_DELIVERY_IND },
        { 0x87, GW_MM1_K_OTHER }, { 0x97, GW_MM1_K_OTHER },
    };
    struct gw_mm1_pdu p;
    uint8_t b[2] = { 0x8C, 0 };
    size_t i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        b[1] = t[i].type;
        gw_mm1_inspect(b, 2, &p);
        ck_assert_int_eq(gw_mm1_kind_of(&p), t[i].kind);
    }
}
END_TEST


/* ---- limiter ------------------------------------------------------------ */

START_TEST(test_limiter_off)
{
    struct gw_mm1_limiter *l = gw_mm1_limiter_new(16);
    uint64_t r = 7;
    int i;

    ck_assert_ptr_nonnull(l);
    for (i = 0; i < 1000; i++) {
        ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:1", 0, 1, 0, &r), 1);
        ck_assert(r == 0);
    }
    ck_assert_uint_eq(gw_mm1_limiter_size(l), 0);
    gw_mm1_limiter_free(l);
    ck_assert_ptr_null(gw_mm1_limiter_new(0));
    gw_mm1_limiter_free(NULL);
}
END_TEST


START_TEST(test_limiter_bucket)
{
    struct gw_mm1_limiter *l = gw_mm1_limiter_new(16);
    uint64_t r;
    int i;

    /* 60 a minute = one a second, burst 3. */
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 1000, &r), 1);
    }
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 1000, &r), 0);
    ck_assert(r == 1000);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 1999, &r), 0);
    ck_assert(r == 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 2000, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 2000, &r), 0);
    /* Another key has its own bucket. */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:b", 60, 3, 2000, &r), 1);
    /* A long idle refills to the burst, not beyond. */
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 100000, &r),
            1);
    }
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 100000, &r), 0);
    /* Time going backwards adds nothing. */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, 5000, &r), 0);
    /* A huge jump does not overflow: the bucket is simply full. */
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, UINT64_MAX,
            &r), 1);
    }
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:a", 60, 3, UINT64_MAX, &r),
        0);
    /* One a minute, burst 0 taken as 1. */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:c", 1, 0, 0, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:c", 1, 0, 0, &r), 0);
    ck_assert(r == 60000);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:c", 1, 0, 59999, &r), 0);
    ck_assert(r == 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:c", 1, 0, 60000, &r), 1);
    /* A lowered burst (reload) caps a fuller bucket at once. */
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:d", 6000, 10, 0, &r), 1);
    }
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:d", 6000, 1, 0, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:d", 6000, 1, 0, &r), 0);
    ck_assert(r == 10);
    ck_assert_uint_eq(gw_mm1_limiter_size(l), 4);
    ck_assert(gw_mm1_limiter_evictions(l) == 0);
    gw_mm1_limiter_free(l);
}
END_TEST


START_TEST(test_limiter_lru_eviction)
{
    struct gw_mm1_limiter *l = gw_mm1_limiter_new(16);
    uint64_t r;
    char k[32];
    int i;

    ck_assert_uint_eq(gw_mm1_limiter_capacity(l), 16);
    for (i = 0; i < 16; i++) {
        snprintf(k, sizeof(k), "ip:%d", i);
        ck_assert_int_eq(gw_mm1_limiter_take(l, k, 1, 1, 0, &r), 1);
    }
    ck_assert_uint_eq(gw_mm1_limiter_size(l), 16);
    /* ip:0 is used again, so ip:1 is now the least recently used. */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:0", 1, 1, 0, &r), 0);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:new", 1, 1, 0, &r), 1);
    ck_assert(gw_mm1_limiter_evictions(l) == 1);
    ck_assert_uint_eq(gw_mm1_limiter_size(l), 16);
    /* ip:0 kept its empty bucket; ip:1 was forgotten (full again). */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:0", 1, 1, 0, &r), 0);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:1", 1, 1, 0, &r), 1);
    ck_assert(gw_mm1_limiter_evictions(l) == 2);
    /* ip:2 went to make room for ip:1. */
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:2", 1, 1, 0, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:3", 1, 1, 0, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, "ip:15", 1, 1, 0, &r), 0);
    gw_mm1_limiter_free(l);
}
END_TEST


START_TEST(test_limiter_long_key)
{
    struct gw_mm1_limiter *l = gw_mm1_limiter_new(16);
    char a[200], b[200];
    uint64_t r;

    /* Keys are cut at GW_MM1_KEY_MAX - 1: two that differ only after
     * that share a bucket (the gateway's keys are far shorter). */
    memset(a, 'x', sizeof(a) - 1);
    a[sizeof(a) - 1] = '\0';
    memcpy(b, a, sizeof(b));
    b[150] = 'y';
    ck_assert_int_eq(gw_mm1_limiter_take(l, a, 1, 1, 0, &r), 1);
    ck_assert_int_eq(gw_mm1_limiter_take(l, b, 1, 1, 0, &r), 0);
    ck_assert_uint_eq(gw_mm1_limiter_size(l), 1);
    gw_mm1_limiter_free(l);
}
END_TEST


/* A reference model: linear search, LRU by a use counter. */
struct model_entry {
    char key[GW_MM1_KEY_MAX];
    uint64_t units, last, used;
};


static int
model_take(struct model_entry *m, unsigned cap, unsigned *n,
    uint64_t *stamp, uint64_t *evicted, const char *key, unsigned rate,
    unsigned burst, uint64_t now)
{
    uint64_t full = (uint64_t) burst * 60000, add;
    unsigned i, j;

    for (i = 0; i < *n; i++) {
        if (strcmp(m[i].key, key) == 0) {
            break;
        }
    }
    if (i == *n) {
        if (*n < cap) {
            (*n)++;
        } else {
            i = 0;
            for (j = 1; j < cap; j++) {
                if (m[j].used < m[i].used) {
                    i = j;
                }
            }
            (*evicted)++;
        }
        snprintf(m[i].key, sizeof(m[i].key), "%s", key);
        m[i].units = full;
        m[i].last = now;
    }
    m[i].used = ++*stamp;
    if (now > m[i].last) {
        add = (now - m[i].last) * rate;
        m[i].units = m[i].units + add > full ? full : m[i].units + add;
        m[i].last = now;
    }
    if (m[i].units >= 60000) {
        m[i].units -= 60000;
        return 1;
    }
    return 0;
}


START_TEST(test_limiter_against_model)
{
    enum { CAP = 64, KEYS = 200, OPS = 200000 };
    struct gw_mm1_limiter *l = gw_mm1_limiter_new(CAP);
    struct model_entry *m = calloc(CAP, sizeof(*m));
    uint64_t seed = 0x5eed, now = 0, stamp = 0, evicted = 0, r;
    unsigned n = 0, i, allowed = 0;

    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(m);
    for (i = 0; i < OPS; i++) {
        char key[32];
        unsigned kid;
        int got, want;

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        /* Mostly a hot set of 40 keys, sometimes one of 200. */
        kid = (unsigned) (seed >> 33) % (((seed >> 20) & 7) == 0 ? KEYS
            : 40);
        now += (seed >> 40) % 50;
        snprintf(key, sizeof(key), "ip:10.0.%u.%u", kid / 256, kid % 256);
        got = gw_mm1_limiter_take(l, key, 30, 4, now, &r);
        want = model_take(m, CAP, &n, &stamp, &evicted, key, 30, 4, now);
        ck_assert_msg(got == want, "op %u key %s: limiter %d, model %d", i,
            key, got, want);
        if (got == 0) {
            ck_assert(r > 0 && r <= 2000);
        }
        allowed += (unsigned) got;
        ck_assert_uint_le(gw_mm1_limiter_size(l), CAP);
    }
    ck_assert_uint_eq(gw_mm1_limiter_size(l), n);
    ck_assert(gw_mm1_limiter_evictions(l) == evicted);
    ck_assert(evicted > 0);
    ck_assert(allowed > 0 && allowed < OPS);
    free(m);
    gw_mm1_limiter_free(l);
}
END_TEST


START_TEST(test_limiter_oom)
{
    long k;

    for (k = 0; k < 3; k++) {
        wspgw_alloc_fail_after(k);
        ck_assert_ptr_null(gw_mm1_limiter_new(100));
        wspgw_alloc_fail_after(-1);
    }
    wspgw_alloc_fail_after(3);
    {
        struct gw_mm1_limiter *l = gw_mm1_limiter_new(100);

        wspgw_alloc_fail_after(-1);
        ck_assert_ptr_nonnull(l);
        gw_mm1_limiter_free(l);
    }
}
END_TEST


/* ---- refusals ------------------------------------------------------------ */

START_TEST(test_refusal_send_conf)
{
    struct gw_mm1_pdu req, conf;
    struct wspgw_buf body;
    const char *ct = NULL;
    int st = 0;

    gw_mm1_inspect(send_req, sizeof(send_req), &req);
    wspgw_buf_init(&body, 1024);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_TOO_LARGE, 30, &body, &st,
        &ct), 0);
    ck_assert_int_eq(st, 200);
    ck_assert_str_eq(ct, GW_MM1_CTYPE);
    gw_mm1_inspect(body.data, body.len, &conf);
    ck_assert_int_eq(conf.decoded, 1);
    ck_assert_uint_eq(conf.info.message_type, WSP_MMS_SEND_CONF);
    ck_assert_str_eq(conf.info.transaction_id, "T0001");
    ck_assert_uint_eq(conf.info.version, 0x12);
    ck_assert_uint_eq(conf.info.response_status,
        WSP_MMS_RS_PERMANENT_CONTENT_NOT_ACCEPTED);
    ck_assert_ptr_nonnull(memmem(body.data, body.len,
        "message too large (45 octets; at most 30)", 41));

    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_RATE_LIMITED, 42, &body,
        &st, &ct), 0);
    ck_assert_int_eq(st, 200);
    gw_mm1_inspect(body.data, body.len, &conf);
    ck_assert_uint_eq(conf.info.response_status,
        WSP_MMS_RS_TRANSIENT_FAILURE);
    ck_assert_ptr_nonnull(memmem(body.data, body.len, "try again in 42 s",
        17));
    wspgw_buf_free(&body);
}
END_TEST


START_TEST(test_refusal_plain)
{
    static const uint8_t notifyresp[] = {
        0x8C, 0x83, 0x98, 'T', 0x00, 0x8D, 0x92, 0x95, 0x81
    };
    static const uint8_t no_tid[] = { 0x8C, 0x80, 0x8D, 0x92 };
    static const uint8_t bad_tid[] = { 0x8C, 0x80, 0x98, 'a', 0x01, 0x00 };
    static const uint8_t junk[] = { 0x00, 0x01 };
    struct gw_mm1_pdu req;
    struct wspgw_buf body;
    const char *ct = NULL;
    int st = 0;

    wspgw_buf_init(&body, 1024);
    gw_mm1_inspect(notifyresp, sizeof(notifyresp), &req);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_TOO_LARGE, 5, &body, &st,
        &ct), 0);
    ck_assert_int_eq(st, 413);
    ck_assert_str_eq(ct, "text/plain");
    ck_assert_str_eq(wspgw_buf_str(&body), "wspgw: message too large (9 "
        "octets; at most 5)\n");
    gw_mm1_inspect(no_tid, sizeof(no_tid), &req);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_RATE_LIMITED, 3, &body, &st,
        &ct), 0);
    ck_assert_int_eq(st, 503);
    ck_assert_str_eq(wspgw_buf_str(&body), "wspgw: too many messages; try "
        "again in 3 s\n");
    gw_mm1_inspect(bad_tid, sizeof(bad_tid), &req);
    ck_assert_int_eq(req.decoded, 1);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_TOO_LARGE, 1, &body, &st,
        &ct), 0);
    ck_assert_int_eq(st, 413);
    gw_mm1_inspect(junk, sizeof(junk), &req);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_TOO_LARGE, 1, &body, &st,
        &ct), 0);
    ck_assert_int_eq(st, 413);
    wspgw_buf_free(&body);
    /* A body buffer too small: the buffer error comes back. */
    wspgw_buf_init(&body, 8);
    gw_mm1_inspect(send_req, sizeof(send_req), &req);
    ck_assert_int_eq(gw_mm1_refusal(&req, GW_MM1_TOO_LARGE, 1, &body, &st,
        &ct), WSPGW_EMSGSIZE);
    wspgw_buf_free(&body);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gw_mm1");
    TCase *tc = tcase_create("mm1");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ctype_text);
    tcase_add_test(tc, test_ctype_wsp);
    tcase_add_test(tc, test_log_token_send_req);
    tcase_add_test(tc, test_log_token_escaping_and_fields);
    tcase_add_test(tc, test_log_token_undecodable_and_ceiling);
    tcase_add_test(tc, test_kinds);
    tcase_add_test(tc, test_limiter_off);
    tcase_add_test(tc, test_limiter_bucket);
    tcase_add_test(tc, test_limiter_lru_eviction);
    tcase_add_test(tc, test_limiter_long_key);
    tcase_add_test(tc, test_limiter_against_model);
    tcase_add_test(tc, test_limiter_oom);
    tcase_add_test(tc, test_refusal_send_conf);
    tcase_add_test(tc, test_refusal_plain);
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
