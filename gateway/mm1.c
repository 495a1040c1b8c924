/*
 * gateway/mm1.c - MM1 awareness, the pure part (see mm1.h).
 *
 * Spec: OMA-MMS-ENC 1.0-1.3 (PDUs, Response-Status values; facts in
 * ../shared/reference/mms.md), WAP-230 8.4.2.24 (Content-type-value).
 *
 * No libuv, no clock, no globals.  The limiter's table is allocated once
 * at its full size (max_entries) and never grows: a flood of new keys
 * costs evictions, not memory.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "mm1.h"

/* One token in bucket units; a bucket gains rate_per_min units per ms. */
#define TOKEN_UNITS 60000ULL
#define NONE UINT32_MAX


int
gw_mm1_ctype_is_mms(const char *text)
{
    size_t n = sizeof(GW_MM1_CTYPE) - 1;

    if (text == NULL) {
        return 0;
    }
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    if (strncasecmp(text, GW_MM1_CTYPE, n) != 0) {
        return 0;
    }
    text += n;
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    return *text == '\0' || *text == ';';
}


int
gw_mm1_wsp_ctype_is_mms(const uint8_t *ct, size_t len)
{
    struct wspgw_buf text;
    int rc, yes;

    if (ct == NULL || len == 0) {
        return 0;
    }
    /* The common case: the well-known number 0x3E as a Short-integer. */
    if (len == 1) {
        return ct[0] == 0xBE;
    }
    wspgw_buf_init(&text, 1024);
    rc = wsp_ctype_decode(ct, len, &text);
    yes = rc > 0 && gw_mm1_ctype_is_mms(wspgw_buf_str(&text));
    wspgw_buf_free(&text);
    return yes;
}


void
gw_mm1_inspect(const uint8_t *body, size_t len, struct gw_mm1_pdu *out)
{
    int rc = wsp_mms_decode(body, len, &out->info);

    out->decoded = rc == 0;
    out->err = rc;
    out->len = len;
}


/* Appends s with every octet outside 0x21-0x7E and % ; = " as %XX. */
static int
put_escaped(struct wspgw_buf *out, const char *s)
{
    const unsigned char *p;
    int rc = 0;

    for (p = (const unsigned char *) s; *p != '\0' && rc == 0; p++) {
        if (*p < 0x21 || *p > 0x7e || *p == '%' || *p == ';' || *p == '='
            || *p == '"')
        {
            rc = wspgw_buf_printf(out, "%%%02X", *p);
        } else {
            rc = wspgw_buf_putc(out, *p);
        }
    }
    return rc;
}


/* A status part: the name, or 0xNN when the value has none. */
static int
put_status(struct wspgw_buf *out, const char *key, const char *name,
    unsigned v)
{
    if (strcmp(name, "unknown") == 0) {
        return wspgw_buf_printf(out, ";%s=0x%02X", key, v);
    }
    return wspgw_buf_printf(out, ";%s=%s", key, name);
}


int
gw_mm1_log_token(struct wspgw_buf *out, const char *name,
    const struct gw_mm1_pdu *p)
{
    const struct wsp_mms_info *mi = &p->info;
    size_t mark = out->len;
    int rc;

    if (!p->decoded) {
        rc = wspgw_buf_printf(out, " %s=undecodable;err=%s;len=%zu", name,
            wspgw_err_name(p->err), p->len);
        goto done;
    }
    rc = wspgw_buf_printf(out, " %s=%s", name,
        wsp_mms_type_name(mi->message_type));
    if (rc == 0 && strcmp(wsp_mms_type_name(mi->message_type), "unknown")
        == 0)
    {
        rc = wspgw_buf_printf(out, "(0x%02X)", mi->message_type);
    }
    if (rc == 0 && mi->transaction_id[0] != '\0') {
        rc = wspgw_buf_puts(out, ";tid=");
        if (rc == 0) {
            rc = put_escaped(out, mi->transaction_id);
        }
    }
    if (rc == 0 && mi->version != 0) {
        rc = wspgw_buf_printf(out, ";ver=%u.%u", mi->version >> 4,
            mi->version & 0x0f);
    }
    if (rc == 0 && mi->to[0] != '\0') {
        rc = wspgw_buf_puts(out, ";to=");
        if (rc == 0) {
            rc = put_escaped(out, mi->to);
        }
    }
    if (rc == 0 && mi->n_to > 0) {
        rc = wspgw_buf_printf(out, ";rcpt=%u", mi->n_to);
    }
    if (rc == 0 && mi->has_message_size) {
        rc = wspgw_buf_printf(out, ";size=%llu",
            (unsigned long long) mi->message_size);
    }
    if (rc == 0 && mi->response_status != 0) {
        rc = put_status(out, "rs",
            wsp_mms_response_status_name(mi->response_status),
            mi->response_status);
    }
    if (rc == 0 && mi->status != 0) {
        rc = put_status(out, "st", wsp_mms_status_name(mi->status),
            mi->status);
    }
    if (rc == 0) {
        rc = wspgw_buf_printf(out, ";len=%zu", p->len);
    }
done:
    if (rc != 0) {
        /* All or nothing: a half token would mislead whoever parses it. */
        out->len = mark;
        if (out->cap > 0) {
            out->data[mark] = '\0';
        }
    }
    return rc;
}


enum gw_mm1_kind
gw_mm1_kind_of(const struct gw_mm1_pdu *p)
{
    if (!p->decoded) {
        return GW_MM1_K_UNDECODABLE;
    }
    switch (p->info.message_type) {
    case WSP_MMS_SEND_REQ:
        return GW_MM1_K_SEND_REQ;
    case WSP_MMS_SEND_CONF:
        return GW_MM1_K_SEND_CONF;
    case WSP_MMS_NOTIFICATION_IND:
        return GW_MM1_K_NOTIFICATION_IND;
    case WSP_MMS_NOTIFYRESP_IND:
        return GW_MM1_K_NOTIFYRESP_IND;
    case WSP_MMS_RETRIEVE_CONF:
        return GW_MM1_K_RETRIEVE_CONF;
    case WSP_MMS_ACKNOWLEDGE_IND:
        return GW_MM1_K_ACKNOWLEDGE_IND;
    case WSP_MMS_DELIVERY_IND:
        return GW_MM1_K_DELIVERY_IND;
    default:
        return GW_MM1_K_OTHER;
    }
}


/* ---- limiter ------------------------------------------------------------ */

struct rl_entry {
    char key[GW_MM1_KEY_MAX];
    uint64_t units;             /* tokens x TOKEN_UNITS */
    uint64_t last_ms;           /* when units was last brought up to date */
    uint32_t hnext;             /* next in the hash chain, NONE at end */
    uint32_t newer, older;      /* LRU list neighbours, NONE at the ends */
};

struct gw_mm1_limiter {
    struct rl_entry *e;         /* cap entries; the first n are in use */
    uint32_t *bucket;           /* nbuckets chain heads */
    uint32_t nbuckets;
    uint32_t cap;
    uint32_t n;
    uint32_t newest, oldest;    /* LRU ends */
    uint64_t evictions;
};


struct gw_mm1_limiter *
gw_mm1_limiter_new(unsigned max_entries)
{
    struct gw_mm1_limiter *l;
    uint32_t i;

    if (max_entries == 0 || max_entries > (1U << 30)) {
        return NULL;
    }
    l = wspgw_calloc(1, sizeof(*l));
    if (l == NULL) {
        return NULL;
    }
    l->cap = max_entries;
    /* A power of two at least the capacity: chains stay short. */
    l->nbuckets = 1;
    while (l->nbuckets < l->cap) {
        l->nbuckets <<= 1;
    }
    l->e = wspgw_calloc(l->cap, sizeof(*l->e));
    l->bucket = wspgw_malloc(l->nbuckets * sizeof(*l->bucket));
    if (l->e == NULL || l->bucket == NULL) {
        gw_mm1_limiter_free(l);
        return NULL;
    }
    for (i = 0; i < l->nbuckets; i++) {
        l->bucket[i] = NONE;
    }
    l->newest = l->oldest = NONE;
    return l;
}


void
gw_mm1_limiter_free(struct gw_mm1_limiter *l)
{
    if (l == NULL) {
        return;
    }
    wspgw_free(l->e);
    wspgw_free(l->bucket);
    wspgw_free(l);
}


unsigned
gw_mm1_limiter_size(const struct gw_mm1_limiter *l)
{
    return l->n;
}


unsigned
gw_mm1_limiter_capacity(const struct gw_mm1_limiter *l)
{
    return l->cap;
}


uint64_t
gw_mm1_limiter_evictions(const struct gw_mm1_limiter *l)
{
    return l->evictions;
}


static uint32_t
key_hash(const char *key)
{
    uint32_t h = 2166136261u;

    for (; *key != '\0'; key++) {
        h = (h ^ (uint8_t) *key) * 16777619u;
    }
    return h;
}


static void
lru_unlink(struct gw_mm1_limiter *l, uint32_t i)
{
    struct rl_entry *x = &l->e[i];

    if (x->newer != NONE) {
        l->e[x->newer].older = x->older;
    } else {
        l->newest = x->older;
    }
    if (x->older != NONE) {
        l->e[x->older].newer = x->newer;
    } else {
        l->oldest = x->newer;
    }
    x->newer = x->older = NONE;
}


static void
lru_push_newest(struct gw_mm1_limiter *l, uint32_t i)
{
    struct rl_entry *x = &l->e[i];

    x->newer = NONE;
    x->older = l->newest;
    if (l->newest != NONE) {
        l->e[l->newest].newer = i;
    }
    l->newest = i;
    if (l->oldest == NONE) {
        l->oldest = i;
    }
}


/* Removes entry i from its hash chain. */
static void
hash_unlink(struct gw_mm1_limiter *l, uint32_t i)
{
    uint32_t *pp = &l->bucket[key_hash(l->e[i].key) & (l->nbuckets - 1)];

    while (*pp != NONE) {
        if (*pp == i) {
            *pp = l->e[i].hnext;
            return;
        }
        pp = &l->e[*pp].hnext;
    }
}


/* The entry for key, made (full bucket) when missing; NONE never. */
static uint32_t
lookup(struct gw_mm1_limiter *l, const char *key, uint64_t full,
    uint64_t now_ms)
{
    uint32_t b = key_hash(key) & (l->nbuckets - 1);
    uint32_t i;

    for (i = l->bucket[b]; i != NONE; i = l->e[i].hnext) {
        if (strcmp(l->e[i].key, key) == 0) {
            lru_unlink(l, i);
            lru_push_newest(l, i);
            return i;
        }
    }
    if (l->n < l->cap) {
        i = l->n++;
    } else {
        i = l->oldest;
        lru_unlink(l, i);
        hash_unlink(l, i);
        l->evictions++;
    }
    snprintf(l->e[i].key, sizeof(l->e[i].key), "%s", key);
    l->e[i].units = full;
    l->e[i].last_ms = now_ms;
    l->e[i].hnext = l->bucket[b];
    l->bucket[b] = i;
    lru_push_newest(l, i);
    return i;
}


int
gw_mm1_limiter_take(struct gw_mm1_limiter *l, const char *key,
    unsigned rate_per_min, unsigned burst, uint64_t now_ms,
    uint64_t *retry_ms)
{
    char k[GW_MM1_KEY_MAX];
    struct rl_entry *x;
    uint64_t full, elapsed, room;

    *retry_ms = 0;
    if (rate_per_min == 0) {
        return 1;
    }
    if (burst == 0) {
        burst = 1;
    }
    snprintf(k, sizeof(k), "%s", key);
    full = (uint64_t) burst * TOKEN_UNITS;
    x = &l->e[lookup(l, k, full, now_ms)];
    if (now_ms > x->last_ms) {
        elapsed = now_ms - x->last_ms;
        room = full > x->units ? full - x->units : 0;
        /* elapsed x rate could overflow; compare by division first. */
        if (elapsed >= (room + rate_per_min - 1) / rate_per_min) {
            x->units = full;
        } else {
            x->units += elapsed * rate_per_min;
        }
        x->last_ms = now_ms;
    }
    if (x->units > full) {
        /* The burst was lowered by a reload. */
        x->units = full;
    }
    if (x->units >= TOKEN_UNITS) {
        x->units -= TOKEN_UNITS;
        return 1;
    }
    *retry_ms = (TOKEN_UNITS - x->units + rate_per_min - 1) / rate_per_min;
    return 0;
}


/* ---- refusals ------------------------------------------------------------- */

int
gw_mm1_refusal(const struct gw_mm1_pdu *req, enum gw_mm1_refuse why,
    uint64_t limit, struct wspgw_buf *body, int *http_status,
    const char **ctype)
{
    char text[160];
    int rc;

    wspgw_buf_reset(body);
    if (why == GW_MM1_TOO_LARGE) {
        snprintf(text, sizeof(text), "wspgw: message too large (%zu "
            "octets; at most %llu)", req->len, (unsigned long long) limit);
    } else {
        snprintf(text, sizeof(text), "wspgw: too many messages; try again "
            "in %llu s", (unsigned long long) limit);
    }
    if (req->decoded && req->info.message_type == WSP_MMS_SEND_REQ
        && req->info.transaction_id[0] != '\0')
    {
        rc = wsp_mms_send_conf_encode(req->info.transaction_id,
            req->info.version != 0 ? req->info.version : 0x10,
            why == GW_MM1_TOO_LARGE
                ? WSP_MMS_RS_PERMANENT_CONTENT_NOT_ACCEPTED
                : WSP_MMS_RS_TRANSIENT_FAILURE, text, body);
        if (rc == 0) {
            *http_status = 200;
            *ctype = GW_MM1_CTYPE;
            return 0;
        }
        if (rc != WSPGW_EINVAL) {
            return rc;
        }
        /* A Transaction-Id that cannot be echoed (control octets): the
         * handset would drop the send-conf anyway; answer in HTTP. */
        wspgw_buf_reset(body);
    }
    *http_status = why == GW_MM1_TOO_LARGE ? 413 : 503;
    *ctype = "text/plain";
    rc = wspgw_buf_puts(body, text);
    if (rc == 0) {
        rc = wspgw_buf_putc(body, '\n');
    }
    return rc;
}
