/*
 * gateway/bridge.c - WSP method <-> HTTP exchange translation (see .h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <nettle/base64.h>
#include <nettle/md5.h>

#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bridge.h"

/* RFC 7230 6.1 hop-by-hop headers, plus those a proxy recomputes. */
static const char *const hop_by_hop[] = {
    "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
    "Transfer-Encoding", "Upgrade", "Proxy-Authenticate", "Host",
    "Content-Length", "Expect",
};


int
gw_bridge_is_hop_by_hop(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(hop_by_hop) / sizeof(hop_by_hop[0]); i++) {
        if (strcasecmp(name, hop_by_hop[i]) == 0) {
            return 1;
        }
    }
    return 0;
}


int
gw_bridge_http_error(int err, const char *err_text, size_t max_octets,
    char *text, size_t textlen)
{
    switch (err) {
    case WSPGW_EACCES:
        snprintf(text, textlen, "wspgw: this upstream is not in the "
            "gateway's allow list\n");
        return 403;
    case WSPGW_ETIMEDOUT:
        snprintf(text, textlen, "wspgw: the upstream did not answer in "
            "time\n");
        return 504;
    case WSPGW_EINVAL:
        snprintf(text, textlen, "wspgw: bad request URL\n");
        return 400;
    case WSPGW_EMSGSIZE:
        snprintf(text, textlen, "wspgw: the response is larger than this "
            "path can carry (at most %zu octets)\n", max_octets);
        return 502;
    default:
        snprintf(text, textlen, "wspgw: upstream failed: %s\n",
            err_text != NULL ? err_text : wspgw_strerror(err));
        return 502;
    }
}


int
gw_bridge_url_ok(const uint8_t *uri, size_t len, size_t max)
{
    size_t i;

    if (len == 0 || len > max) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (uri[i] <= 0x20 || uri[i] >= 0x7f) {
            return 0;
        }
    }
    return 1;
}


/* "1.3" -> 0x13; anything else -> 0. */
static unsigned
parse_enc_version(const char *v)
{
    if (v[0] >= '1' && v[0] <= '7' && v[1] == '.' && v[2] >= '0'
        && v[2] <= '9' && (v[3] == '\0' || v[3] == ' '))
    {
        return (unsigned) ((v[0] - '0') << 4 | (v[2] - '0'));
    }
    return 0;
}


int
gw_bridge_request_headers(const struct wsp_pdu *pdu, struct wsp_hdrs *out,
    unsigned *enc_out, unsigned *skipped)
{
    struct wsp_hdrs all;
    unsigned i, enc = GW_DEFAULT_ENC;
    int rc;

    *enc_out = enc;
    if (pdu->ctype_len > 0) {
        struct wspgw_buf ct;

        wspgw_buf_init(&ct, 1024);
        rc = wsp_ctype_decode(pdu->ctype, pdu->ctype_len, &ct);
        if (rc >= 0) {
            rc = wsp_hdrs_add(out, "Content-Type", 12, wspgw_buf_str(&ct),
                ct.len);
        }
        wspgw_buf_free(&ct);
        if (rc < 0) {
            return rc;
        }
    }
    wsp_hdrs_init(&all, out->text.max);
    rc = wsp_hdrs_decode(pdu->headers, pdu->headers_len, &all, skipped);
    for (i = 0; rc == 0 && i < all.n; i++) {
        const char *name = wsp_hdrs_name(&all, i);
        const char *value = wsp_hdrs_value(&all, i);

        if (strcasecmp(name, "Encoding-Version") == 0) {
            unsigned v = parse_enc_version(value);

            if (v >= WSP_ENC_1_1) {
                enc = v > WSP_ENC_1_5 ? WSP_ENC_1_5 : v;
            }
            continue;
        }
        if (gw_bridge_is_hop_by_hop(name)
            || (pdu->ctype_len > 0 && strcasecmp(name, "Content-Type") == 0))
        {
            continue;
        }
        rc = wsp_hdrs_add(out, name, strlen(name), value, strlen(value));
    }
    wsp_hdrs_free(&all);
    *enc_out = enc;
    return rc;
}


int
gw_bridge_merge_session_headers(const uint8_t *bin, size_t len,
    struct wsp_hdrs *out)
{
    struct wsp_hdrs sess, merged;
    unsigned i, n_own = out->n, skipped = 0;
    int rc;

    if (len == 0) {
        return 0;
    }
    /*
     * The session's headers go first and the request's after them
     * (WAP-248 9.2.3.2 rule [18]): the order of Profile and Profile-Diff
     * references in x-wap-profile follows it.
     */
    wsp_hdrs_init(&sess, out->text.max);
    wsp_hdrs_init(&merged, out->text.max);
    rc = wsp_hdrs_decode(bin, len, &sess, &skipped);
    for (i = 0; rc == 0 && i < sess.n; i++) {
        const char *name = wsp_hdrs_name(&sess, i);
        const char *value = wsp_hdrs_value(&sess, i);
        unsigned j;
        int own = 0;

        for (j = 0; j < n_own; j++) {
            if (strcasecmp(wsp_hdrs_name(out, j), name) == 0) {
                own = 1;
                break;
            }
        }
        if (own || gw_bridge_is_hop_by_hop(name)
            || strcasecmp(name, "Encoding-Version") == 0)
        {
            continue;
        }
        rc = wsp_hdrs_add(&merged, name, strlen(name), value, strlen(value));
    }
    for (i = 0; rc == 0 && i < n_own; i++) {
        const char *name = wsp_hdrs_name(out, i);
        const char *value = wsp_hdrs_value(out, i);

        rc = wsp_hdrs_add(&merged, name, strlen(name), value, strlen(value));
    }
    wsp_hdrs_free(&sess);
    if (rc != 0) {
        wsp_hdrs_free(&merged);
        return rc;
    }
    wsp_hdrs_free(out);
    *out = merged;
    return 0;
}


/*
 * Identity headers a handset may forge; never passed upstream, whatever
 * the configuration (issue 5).  Client address: X-Forwarded-For,
 * Forwarded (RFC 7239), X-Real-IP, X-Client-IP, X-WAP-Network-Client-IP
 * (WAP-250 / OMA), X-WAP-Client-IP (NowWAP).  Subscriber identity, as
 * WAP gateways and GGSNs have added them: X-MSISDN, MSISDN,
 * X-WAP-Network-Client-MSISDN (OMA), X-Up-Calling-Line-Id and X-Up-Subno
 * (Openwave UP.Link), X-Nokia-MSISDN, X-Nokia-IMSI, X-Nokia-Alias (Nokia
 * Activ Server), X-Network-Info, X-H3G-MSISDN (Three), X-IMSI,
 * X-WAP-3GPP-IMSI, X-WAP-3GPP-SGSN-Address, X-WAP-3GPP-SGSN-MCC-MNC,
 * X-WAP-3GPP-RAT-Type (NowWAP's 3GPP set).  An origin that bills on one of them must only ever see
 * the gateway's own.
 */
static const char *const identity_headers[] = {
    "X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Client-IP",
    "X-WAP-Network-Client-IP", "X-WAP-Client-IP",
    "X-MSISDN", "MSISDN", "X-WAP-Network-Client-MSISDN",
    "X-Up-Calling-Line-Id", "X-Up-Subno", "X-Nokia-MSISDN", "X-Nokia-IMSI",
    "X-Nokia-Alias", "X-Network-Info", "X-H3G-MSISDN", "X-IMSI",
    "X-WAP-3GPP-IMSI", "X-WAP-3GPP-SGSN-Address", "X-WAP-3GPP-SGSN-MCC-MNC",
    "X-WAP-3GPP-RAT-Type",
};


/* Case-insensitive comparison in which "_" and "-" are the same. */
static int
name_eq(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        int ca = tolower((unsigned char) *a), cb = tolower((unsigned char) *b);

        if (ca == '_') {
            ca = '-';
        }
        if (cb == '_') {
            cb = '-';
        }
        if (ca != cb) {
            return 0;
        }
    }
    return *a == *b;
}


int
gw_bridge_is_identity_header(const char *name,
    const struct gw_bridge_upstream *u)
{
    size_t i;

    for (i = 0; i < sizeof(identity_headers) / sizeof(identity_headers[0]);
        i++)
    {
        if (name_eq(name, identity_headers[i])) {
            return 1;
        }
    }
    if (u->client_ip_header != NULL && u->client_ip_header[0] != '\0'
        && name_eq(name, u->client_ip_header))
    {
        return 1;
    }
    for (i = 0; i < u->n_strip; i++) {
        if (u->strip[i] != NULL && u->strip[i][0] != '\0'
            && name_eq(name, u->strip[i]))
        {
            return 1;
        }
    }
    return 0;
}


int
gw_bridge_enrich_headers(struct wsp_hdrs *out,
    const char *const *msisdn_names, unsigned n_names, const char *msisdn,
    const char *imsi_name, const char *imsi)
{
    unsigned i;
    int rc = 0;

    for (i = 0; rc == 0 && msisdn != NULL && msisdn[0] != '\0'
        && i < n_names; i++)
    {
        if (msisdn_names[i] != NULL && msisdn_names[i][0] != '\0') {
            rc = wsp_hdrs_add(out, msisdn_names[i], strlen(msisdn_names[i]),
                msisdn, strlen(msisdn));
        }
    }
    if (rc == 0 && imsi_name != NULL && imsi_name[0] != '\0' && imsi != NULL
        && imsi[0] != '\0')
    {
        rc = wsp_hdrs_add(out, imsi_name, strlen(imsi_name), imsi,
            strlen(imsi));
    }
    return rc;
}


static int
add_str(struct wsp_hdrs *h, const char *name, const char *value)
{
    return wsp_hdrs_add(h, name, strlen(name), value, strlen(value));
}


/*
 * Appends one x-wap-profile reference to refs (WAP-248 9.1.1.1:
 * reference = <"> ( absoluteURI | profile-diff-name ) <">, listed with
 * ", "): a URI is quoted unless the handset quoted it already; one with a
 * quote or backslash inside (no URI has either) goes as it came rather
 * than escaped.
 */
static int
add_profile_ref(struct wspgw_buf *refs, const char *value)
{
    size_t n = strlen(value);
    int quote, rc = 0;

    quote = !(n >= 2 && value[0] == '"' && value[n - 1] == '"')
        && memchr(value, '"', n) == NULL && memchr(value, '\\', n) == NULL;
    if (refs->len > 0) {
        rc = wspgw_buf_append(refs, ", ", 2);
    }
    if (rc == 0 && quote) {
        rc = wspgw_buf_putc(refs, '"');
    }
    if (rc == 0) {
        rc = wspgw_buf_append(refs, value, n);
    }
    if (rc == 0 && quote) {
        rc = wspgw_buf_putc(refs, '"');
    }
    return rc;
}


/*
 * One decoded Profile-Diff (the codec renders the WBXML as one line of
 * normalised XML, wsp/hdr_wbxml.c) as "x-wap-profile-diff: N;<xml>", and
 * its reference "N-<digest>" in refs: the base64 MD5 of the profile
 * description (WAP-248 9.1.1.2, 9.1.2.2).  The codec's text is already
 * normalised as 9.1.1.1 asks before digesting (no leading or trailing
 * white space, every run one SP), so the digest is over it as it is.
 */
static int
add_profile_diff(struct wsp_hdrs *out, struct wspgw_buf *refs,
    unsigned seq, const char *xml)
{
    char digest[BASE64_ENCODE_RAW_LENGTH(MD5_DIGEST_SIZE) + 1], ref[48];
    uint8_t md5[MD5_DIGEST_SIZE];
    struct md5_ctx ctx;
    struct wspgw_buf v;
    int rc;

    /* MD5 as WAP-248 fixes it (a content fingerprint, not security);
     * nettle's, as for the RADIUS authenticators. */
    md5_init(&ctx);
    md5_update(&ctx, strlen(xml), (const uint8_t *) xml);
    md5_digest(&ctx, sizeof(md5), md5);
    base64_encode_raw(digest, sizeof(md5), md5);
    digest[sizeof(digest) - 1] = '\0';
    snprintf(ref, sizeof(ref), "%u-%s", seq, digest);
    wspgw_buf_init(&v, out->text.max);
    rc = wspgw_buf_printf(&v, "%u;", seq);
    if (rc == 0) {
        rc = wspgw_buf_append(&v, xml, strlen(xml));
    }
    if (rc == 0) {
        rc = wsp_hdrs_add(out, "x-wap-profile-diff", 18,
            (const char *) v.data, v.len);
    }
    wspgw_buf_free(&v);
    return rc != 0 ? rc : add_profile_ref(refs, ref);
}


int
gw_bridge_upstream_headers(struct wsp_hdrs *h,
    const struct gw_bridge_upstream *u)
{
    struct wsp_hdrs out;
    struct wspgw_buf refs;
    unsigned i, seq = 0;
    int rc = 0, last_via = -1, has_profile, has_diff;

    for (i = 0; i < h->n; i++) {
        if (strcasecmp(wsp_hdrs_name(h, i), "Via") == 0) {
            last_via = (int) i;
        }
    }
    has_profile = wsp_hdrs_find(h, "x-wap-profile") >= 0;
    has_diff = wsp_hdrs_find(h, "x-wap-profile-diff") >= 0;
    wsp_hdrs_init(&out, h->text.max);
    wspgw_buf_init(&refs, h->text.max);
    for (i = 0; rc == 0 && i < h->n; i++) {
        const char *name = wsp_hdrs_name(h, i);
        const char *value = wsp_hdrs_value(h, i);

        if (gw_bridge_is_identity_header(name, u)) {
            continue;
        }
        /*
         * UAProf 9.2.3.3 [19], [20]: every Profile and Profile-Diff, in
         * list order, becomes one reference of a single x-wap-profile;
         * every Profile-Diff also its own x-wap-profile-diff.  A handset
         * that sent x-wap-profile (or x-wap-profile-diff) as text keeps
         * its own: numbering next to its references could collide.
         */
        if (strcasecmp(name, "Profile") == 0) {
            rc = has_profile ? 0 : add_profile_ref(&refs, value);
            continue;
        }
        if (strcasecmp(name, "Profile-Diff") == 0) {
            if (!has_profile && !has_diff) {
                rc = add_profile_diff(&out, &refs, ++seq, value);
            }
            continue;
        }
        if (u->via && (int) i == last_via) {
            struct wspgw_buf v;

            wspgw_buf_init(&v, h->text.max);
            rc = wspgw_buf_append(&v, value, strlen(value));
            if (rc == 0) {
                rc = wspgw_buf_append(&v, ", " GW_BRIDGE_VIA,
                    sizeof(", " GW_BRIDGE_VIA) - 1);
            }
            if (rc == 0) {
                rc = wsp_hdrs_add(&out, name, strlen(name),
                    (const char *) v.data, v.len);
            }
            wspgw_buf_free(&v);
            continue;
        }
        rc = add_str(&out, name, value);
    }
    if (rc == 0 && refs.len > 0) {
        rc = wsp_hdrs_add(&out, "x-wap-profile", 13, (const char *) refs.data,
            refs.len);
    }
    wspgw_buf_free(&refs);
    if (rc == 0 && u->via && last_via < 0) {
        rc = add_str(&out, "Via", GW_BRIDGE_VIA);
    }
    if (rc == 0 && u->client_ip_header != NULL
        && u->client_ip_header[0] != '\0' && u->client_ip != NULL
        && u->client_ip[0] != '\0')
    {
        rc = add_str(&out, u->client_ip_header, u->client_ip);
    }
    if (rc != 0) {
        wsp_hdrs_free(&out);
        return rc;
    }
    wsp_hdrs_free(h);
    *h = out;
    return 0;
}


void
gw_bridge_ip_text(const struct sockaddr *sa, char *out, size_t outlen)
{
    const void *ip = NULL;

    if (sa->sa_family == AF_INET) {
        ip = &((const struct sockaddr_in *) sa)->sin_addr;
    } else if (sa->sa_family == AF_INET6) {
        ip = &((const struct sockaddr_in6 *) sa)->sin6_addr;
    }
    if (outlen == 0) {
        return;
    }
    out[0] = '\0';
    if (ip != NULL && inet_ntop(sa->sa_family, ip, out,
        (socklen_t) outlen) == NULL)
    {
        out[0] = '\0';
    }
}


int
gw_bridge_reply(struct wspgw_buf *out, int connectionless, uint8_t tid,
    int http_status, const struct wsp_hdrs *headers,
    const uint8_t *body, size_t body_len, unsigned enc, unsigned *dropped)
{
    struct wspgw_buf ct, hb;
    char len_text[24];
    unsigned i;
    int ct_idx, rc;

    *dropped = 0;
    wspgw_buf_init(&ct, 2048);
    wspgw_buf_init(&hb, out->max);
    ct_idx = headers != NULL ? wsp_hdrs_find(headers, "Content-Type") : -1;
    rc = -1;
    if (ct_idx >= 0) {
        rc = wsp_ctype_encode(wsp_hdrs_value(headers, (unsigned) ct_idx),
            enc, &ct);
        if (rc == WSPGW_EINVAL) {
            (*dropped)++;
        } else if (rc < 0) {
            goto done;
        }
    }
    if (rc != 0) {
        wspgw_buf_reset(&ct);
        rc = wsp_ctype_encode("application/octet-stream", enc, &ct);
        if (rc < 0) {
            goto done;
        }
    }
    rc = 0;
    for (i = 0; headers != NULL && i < headers->n; i++) {
        const char *name = wsp_hdrs_name(headers, i);
        size_t before = hb.len;
        int hrc;

        if (gw_bridge_is_hop_by_hop(name)
            || strcasecmp(name, "Content-Type") == 0)
        {
            continue;
        }
        if (strcasecmp(name, "x-wap-profile-warning") == 0) {
            /* UAProf 9.1.3: the HTTP name of WSP's Profile-Warning. */
            hrc = wsp_hdr_encode("Profile-Warning",
                wsp_hdrs_value(headers, i), enc, &hb);
            if (hrc == WSPGW_EINVAL) {
                hb.len = before;
                hrc = wsp_hdr_encode(name, wsp_hdrs_value(headers, i), enc,
                    &hb);
            }
        } else {
            hrc = wsp_hdr_encode(name, wsp_hdrs_value(headers, i), enc,
                &hb);
        }
        if (hrc == WSPGW_EINVAL) {
            hb.len = before;
            (*dropped)++;
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP,
                "reply header %s not encodable, left out", name);
            continue;
        }
        if (hrc < 0) {
            rc = hrc;
            goto done;
        }
    }
    /*
     * Content-Length describes the body actually sent, except for a
     * response that has none by definition (HEAD, 304): there the
     * upstream's value is the size of the entity, which a handset may use
     * to decide whether to download it.
     */
    snprintf(len_text, sizeof(len_text), "%zu", body_len);
    if (body_len == 0 && headers != NULL) {
        int cl = wsp_hdrs_find(headers, "Content-Length");

        if (cl >= 0) {
            const char *v = wsp_hdrs_value(headers, (unsigned) cl);
            size_t n = strspn(v, "0123456789");

            /* Digits only, and small enough for a Long-integer. */
            if (n > 0 && n <= 15 && v[n] == '\0') {
                snprintf(len_text, sizeof(len_text), "%s", v);
            }
        }
    }
    rc = wsp_hdr_encode("Content-Length", len_text, enc, &hb);
    if (rc < 0) {
        goto done;
    }
    rc = wsp_reply_encode(out, connectionless, tid,
        wsp_status_from_http(http_status), ct.data, ct.len, hb.data, hb.len,
        body, body_len);
done:
    wspgw_buf_free(&ct);
    wspgw_buf_free(&hb);
    return rc;
}


int
gw_bridge_error_reply(struct wspgw_buf *out, int connectionless, uint8_t tid,
    int http_status, const char *text)
{
    struct wsp_hdrs h;
    int rc;
    unsigned dropped;

    wsp_hdrs_init(&h, 256);
    rc = wsp_hdrs_add(&h, "Content-Type", 12, "text/plain", 10);
    if (rc == 0) {
        rc = gw_bridge_reply(out, connectionless, tid, http_status, &h,
            (const uint8_t *) text, strlen(text), WSP_ENC_1_1, &dropped);
    }
    wsp_hdrs_free(&h);
    return rc;
}
