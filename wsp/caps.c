/*
 * wsp/caps.c - WSP capabilities: decode a Connect's Capabilities field,
 * negotiate as the server, encode the ConnectReply's.
 *
 * Spec: WAP-230-WSP-20010705-a 6.3.2 (capability negotiation, defined
 * capabilities), 8.3 (capability encoding), 8.3.3 (defaults), Appendix A
 * Table 37 (capability assignments).  Facts: reference/wsp.md section 6.
 *
 * Encoding (8.3.1): each capability is Length (uintvar, of Identifier +
 * Parameters), Identifier (Short-integer 0x80|id for the assigned ids,
 * else Token-text), Parameters.  SDU and message sizes are uintvars
 * (0 = no limit), Protocol Options a flag octet (trailing octets and
 * undefined bits are ignored, 8.3.2.3), the MORs a uint8.
 *
 * Negotiation (6.3.2.1): the client proposes, the server answers and
 * must never answer a higher level of function than proposed.  A
 * positive integer ends as the minimum of the two sides; a set as the
 * intersection.  A capability the responder omits means "as proposed",
 * so every capability whose value we change must be answered; we answer
 * every well-known capability the client sent (explicit, as the verified
 * ConnectReply of wsp.md section 12), and a capability we do not accept
 * goes back with no parameters ("refused").  We offer only what wspgw
 * implements: Session Resume, Push and Confirmed Push when configured
 * (cfg->resume, cfg->push); no Acknowledgement Headers or Large Data
 * Transfer; no extended methods and
 * no header code pages.  Aliases are informational (class I) and
 * ignored.
 *
 * Does not: allocate, keep state, or decide anything about sessions.
 * Ownership: struct wsp_caps holds views into the decoded field.
 *
 * Tests: tests/unit/wsp/test_caps.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"
#include "session_int.h"
#include "wsp_int.h"

/* Options wspgw implements as a server (8.3.2.3); see the file header. */
#define OUR_OPTIONS_RESUME WSP_OPT_RESUME


const char *
wsp_cap_name(unsigned id)
{
    switch (id) {
#define XX(name, val, text) case (val): return text;
    WSP_CAP_MAP(XX)
#undef XX
    default:
        return wsp__unknown_name(id);
    }
}


/*
 * Decodes the parameters of the well-known capability id into out.
 * Returns 0, or WSPGW_EPROTO if they do not parse (the caller skips the
 * capability).  Only the first instance of a capability is kept.
 */
static int
decode_params(unsigned id, const uint8_t *p, size_t n, struct wsp_caps *out)
{
    uint32_t v = 0;
    int rc;

    if (out->present & (1u << id)) {
        return 0;               /* a less preferred alternative (8.3) */
    }
    switch (id) {
    case WSP_CAP_CLIENT_SDU_SIZE:
    case WSP_CAP_SERVER_SDU_SIZE:
    case WSP_CAP_CLIENT_MESSAGE_SIZE:
    case WSP_CAP_SERVER_MESSAGE_SIZE:
        rc = wsp_uintvar_decode(p, n, &v);
        if (rc < 0 || (size_t) rc != n) {
            return WSPGW_EPROTO;
        }
        if (id == WSP_CAP_CLIENT_SDU_SIZE) {
            out->client_sdu = v;
        } else if (id == WSP_CAP_SERVER_SDU_SIZE) {
            out->server_sdu = v;
        } else if (id == WSP_CAP_CLIENT_MESSAGE_SIZE) {
            out->client_message = v;
        } else {
            out->server_message = v;
        }
        break;
    case WSP_CAP_PROTOCOL_OPTIONS:
        /* Trailing octets are future flags: ignored (8.3.2.3). */
        if (n < 1) {
            return WSPGW_EPROTO;
        }
        out->options = p[0] & (WSP_OPT_CONFIRMED_PUSH | WSP_OPT_PUSH
            | WSP_OPT_RESUME | WSP_OPT_ACK_HEADERS | WSP_OPT_LARGE_DATA);
        break;
    case WSP_CAP_METHOD_MOR:
    case WSP_CAP_PUSH_MOR:
        /* A MOR is a positive integer in one uint8 (8.3.2.4). */
        if (n != 1 || p[0] == 0) {
            return WSPGW_EPROTO;
        }
        if (id == WSP_CAP_METHOD_MOR) {
            out->method_mor = p[0];
        } else {
            out->push_mor = p[0];
        }
        break;
    case WSP_CAP_EXTENDED_METHODS:
    case WSP_CAP_HEADER_CODE_PAGES:
        /* {code octet, NUL-terminated name}*: checked, not kept (we
         * accept none of them). */
        while (n > 0) {
            const uint8_t *nul;

            if (n < 2) {
                return WSPGW_EPROTO;
            }
            nul = memchr(p + 1, '\0', n - 1);
            if (nul == NULL) {
                return WSPGW_EPROTO;
            }
            n -= (size_t) (nul + 1 - p);
            p = nul + 1;
        }
        break;
    case WSP_CAP_ALIASES:
    default:
        break;                  /* informational: ignored */
    }
    out->present |= 1u << id;
    return 0;
}


int
wsp_caps_decode(const uint8_t *buf, size_t len, struct wsp_caps *out)
{
    size_t off = 0;
    uint32_t clen;
    int n;

    memset(out, 0, sizeof(*out));
    while (off < len) {
        const uint8_t *c;
        size_t idlen;

        n = wsp_uintvar_decode(buf + off, len - off, &clen);
        if (n < 0) {
            return WSPGW_EPROTO;
        }
        off += (size_t) n;
        if (clen == 0 || clen > len - off) {
            return WSPGW_EPROTO;
        }
        c = buf + off;
        off += clen;
        if (c[0] >= 0x80) {
            idlen = 1;
            if ((c[0] & 0x7f) < WSP_CAP_COUNT) {
                if (decode_params(c[0] & 0x7fu, c + 1, clen - 1, out) != 0) {
                    out->bad++;
                }
                continue;
            }
        } else {
            const uint8_t *nul = memchr(c, '\0', clen);

            if (c[0] < 0x20 || nul == NULL) {
                return WSPGW_EPROTO;    /* not a Token-text identifier */
            }
            idlen = (size_t) (nul - c) + 1;
        }
        /* Unassigned id or a named capability: echoed empty. */
        if (out->n_unknown < WSP_CAPS_UNKNOWN_MAX) {
            out->unknown[out->n_unknown].id = c;
            out->unknown[out->n_unknown].len = idlen;
            out->n_unknown++;
        }
    }
    return 0;
}


/* Appends one capability: Length, Identifier, Parameters. */
static int
put_cap(struct wspgw_buf *out, const uint8_t *id, size_t idlen,
    const uint8_t *par, size_t parlen)
{
    int rc = wsp_uintvar_encode(out, (uint32_t) (idlen + parlen));

    if (rc == 0) {
        rc = wspgw_buf_append(out, id, idlen);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, par, parlen);
    }
    return rc;
}


size_t
wsp__uintvar_put(uint8_t *p, uint32_t v)
{
    unsigned n = wsp_uintvar_size(v), i;

    for (i = 0; i < n; i++) {
        p[n - 1 - i] = (uint8_t) ((v & 0x7f) | (i == 0 ? 0 : 0x80));
        v >>= 7;
    }
    return n;
}


int
wsp_caps_encode(const struct wsp_caps *c, struct wspgw_buf *out)
{
    size_t start = out->len;
    unsigned id, i;
    int rc = 0;

    for (id = 0; id < WSP_CAP_COUNT && rc == 0; id++) {
        uint8_t ident = (uint8_t) (0x80 | id), par[5];
        size_t parlen = 0;

        if (!(c->present & (1u << id)) || id == WSP_CAP_ALIASES) {
            continue;
        }
        if (!(c->refused & (1u << id))) {
            switch (id) {
            case WSP_CAP_CLIENT_SDU_SIZE:
                parlen = wsp__uintvar_put(par, c->client_sdu);
                break;
            case WSP_CAP_SERVER_SDU_SIZE:
                parlen = wsp__uintvar_put(par, c->server_sdu);
                break;
            case WSP_CAP_CLIENT_MESSAGE_SIZE:
                parlen = wsp__uintvar_put(par, c->client_message);
                break;
            case WSP_CAP_SERVER_MESSAGE_SIZE:
                parlen = wsp__uintvar_put(par, c->server_message);
                break;
            case WSP_CAP_PROTOCOL_OPTIONS:
                par[0] = c->options;
                parlen = 1;
                break;
            case WSP_CAP_METHOD_MOR:
                par[0] = c->method_mor;
                parlen = 1;
                break;
            case WSP_CAP_PUSH_MOR:
                par[0] = c->push_mor;
                parlen = 1;
                break;
            default:
                break;          /* sets we never fill: sent empty */
            }
        }
        rc = put_cap(out, &ident, 1, par, parlen);
    }
    for (i = 0; i < c->n_unknown && rc == 0; i++) {
        rc = put_cap(out, c->unknown[i].id, c->unknown[i].len, NULL, 0);
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}


/* min of two limits where 0 means "no limit". */
static uint32_t
min_limit(uint32_t a, uint32_t b)
{
    if (a == 0) {
        return b;
    }
    if (b == 0) {
        return a;
    }
    return a < b ? a : b;
}


/* min of a proposed MOR and ours, kept within 1..255. */
static uint8_t
min_mor(uint8_t proposed, unsigned ours)
{
    unsigned v = proposed;

    if (ours < v) {
        v = ours;
    }
    return (uint8_t) (v < 1 ? 1 : v);
}


void
wsp_caps_negotiate(const struct wsp_caps *req,
    const struct wsp_srv_config *cfg, struct wsp_caps *reply,
    struct wsp_caps *agreed)
{
    uint32_t sent = req->present;
    uint8_t ours = cfg->resume ? OUR_OPTIONS_RESUME : 0;

    /* Push and Confirmed Push: offered when configured (wsp_srv_push);
     * agreed only when the client proposes them too (one-way: never
     * more than proposed). */
    if (cfg->push) {
        ours |= WSP_OPT_PUSH | WSP_OPT_CONFIRMED_PUSH;
    }

    memset(agreed, 0, sizeof(*agreed));
    /* Client-SDU-Size: we can send any size wtp/ can segment, so the
     * client's limit stands as proposed (it caps our Replies). */
    agreed->client_sdu = (sent & (1u << WSP_CAP_CLIENT_SDU_SIZE))
        ? req->client_sdu : WSP_CAP_DEFAULT_SDU;
    agreed->server_sdu = min_limit((sent & (1u << WSP_CAP_SERVER_SDU_SIZE))
        ? req->server_sdu : WSP_CAP_DEFAULT_SDU, cfg->server_sdu);
    agreed->client_message =
        (sent & (1u << WSP_CAP_CLIENT_MESSAGE_SIZE))
        ? req->client_message : WSP_CAP_DEFAULT_MESSAGE;
    agreed->server_message = min_limit(
        (sent & (1u << WSP_CAP_SERVER_MESSAGE_SIZE))
        ? req->server_message : WSP_CAP_DEFAULT_MESSAGE,
        cfg->server_message);
    agreed->options = (sent & (1u << WSP_CAP_PROTOCOL_OPTIONS))
        ? (uint8_t) (req->options & ours) : 0;
    agreed->method_mor = min_mor((sent & (1u << WSP_CAP_METHOD_MOR))
        ? req->method_mor : WSP_CAP_DEFAULT_MOR, cfg->method_mor);
    agreed->push_mor = min_mor((sent & (1u << WSP_CAP_PUSH_MOR))
        ? req->push_mor : WSP_CAP_DEFAULT_MOR, cfg->push_mor);
    agreed->present = (1u << WSP_CAP_COUNT) - 1;
    /* Sets: we accept no extended method and no code page. */
    agreed->refused = (1u << WSP_CAP_EXTENDED_METHODS)
        | (1u << WSP_CAP_HEADER_CODE_PAGES);

    *reply = *agreed;
    reply->present = sent & ~(1u << WSP_CAP_ALIASES);
    reply->refused = agreed->refused & sent;
    reply->n_unknown = req->n_unknown;
    memcpy(reply->unknown, req->unknown, sizeof(reply->unknown));
    reply->bad = 0;
}
