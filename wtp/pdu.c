/*
 * wtp/pdu.c - WTP PDU codec and concatenation (WAP-224 section 8).
 *
 * Decoding gives a view (struct wtp_pdu) into the caller's datagram: no
 * allocation, no copies, every read bounds-checked.  Encoding writes the
 * header only; the caller appends the user data, so a segment is built
 * with one memcpy of its payload.
 *
 * Layout facts (reference/wtp.md sections 1-5, 10):
 *   octet 1: CON (0x80), PDU type (0x78), three type-specific bits;
 *   octets 2-3: TID, bit 15 = direction;
 *   Invoke octet 4: version (0xC0), TIDnew (0x20), U/P (0x10), TCL (0x03);
 *   Abort octet 4: reason; Seg Invoke/Result octet 4: PSN;
 *   Nack octet 4: N, then N PSNs.
 *   TPI: CON (0x80), identity (0x78), long flag (0x04), short length
 *   (0x03) or, when long, a length octet.
 *   Concatenation (8.5): 0x00, then per PDU a 1-octet (bit 7 clear) or
 *   2-octet (bit 7 set, 15 bits) length.  Not a uintvar.
 *
 * Not here: what a PDU means for a transaction (resp_table.c, ep.c).
 */
#include <string.h>

#include "wspgw/err.h"
#include "wtp_int.h"


const char *
wtp_pdu_type_name(unsigned type)
{
    switch (type) {
#define XX(name, val, text) case (val): return (text);
    WTP_PDU_TYPE_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


const char *
wtp_abort_reason_name(unsigned reason)
{
    switch (reason) {
#define XX(name, val, text) case (val): return (text);
    WTP_ABORT_REASON_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


size_t
wtp__pdu_fixed_len(unsigned type)
{
    switch (type) {
    case WTP_PDU_INVOKE:
    case WTP_PDU_ABORT:
    case WTP_PDU_SEG_INVOKE:
    case WTP_PDU_SEG_RESULT:
    case WTP_PDU_NACK:
        return 4;
    case WTP_PDU_RESULT:
    case WTP_PDU_ACK:
        return 3;
    default:
        return 0;
    }
}


static uint32_t
get_be(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    size_t i;

    for (i = 0; i < n && i < 4; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}


/*
 * Parses the TPI chain at buf[*off..len) (8.4.1): each TPI's bit 7 says
 * whether another follows.  Records the TPIs we use and skips the rest.
 */
static int
decode_tpis(const uint8_t *buf, size_t len, size_t *off, struct wtp_pdu *p)
{
    size_t o = *off;
    unsigned more = 1;

    while (more) {
        unsigned h, id, tlen;
        const uint8_t *d;

        if (o >= len) {
            return WSPGW_ETRUNC;
        }
        h = buf[o++];
        more = (h & 0x80) != 0;
        id = (h >> 3) & 0x0F;
        if (h & 0x04) {
            if (o >= len) {
                return WSPGW_ETRUNC;
            }
            tlen = buf[o++];
        } else {
            tlen = h & 0x03;
        }
        if (tlen > len - o) {
            return WSPGW_ETRUNC;
        }
        d = buf + o;
        o += tlen;
        switch (id) {
        case WTP_TPI_PSN:
            if (tlen < 1 || tlen > 3) {
                return WSPGW_EPROTO;
            }
            p->has_psn = 1;
            p->psn_tpi = get_be(d, tlen);
            p->psn_tpi_len = tlen;
            break;
        case WTP_TPI_INFO:
            p->info = d;
            p->info_len = tlen;
            break;
        case WTP_TPI_OPTION:
            if (tlen < 1) {
                return WSPGW_EPROTO;
            }
            if (d[0] == WTP_OPT_MAX_GROUP && tlen >= 2) {
                p->has_max_group = 1;
                p->max_group = get_be(d + 1, tlen - 1);
            } else if (d[0] == WTP_OPT_TOTAL_MESSAGE_SIZE && tlen >= 2) {
                p->has_total_size = 1;
                p->total_size = get_be(d + 1, tlen - 1);
            } else if (d[0] == WTP_OPT_NUM_GROUPS) {
                p->has_num_groups = 1;
            }
            break;
        default:
            /* Error, SDU/Frame boundary and unknown TPIs: skipped. */
            break;
        }
    }
    *off = o;
    return 0;
}


int
wtp__pdu_decode(const uint8_t *buf, size_t len, struct wtp_pdu *p)
{
    size_t fixed, off;
    int rc;

    memset(p, 0, sizeof(*p));
    if (len < 1) {
        return WSPGW_ETRUNC;
    }
    p->type = (buf[0] >> 3) & 0x0F;
    p->con = (buf[0] & 0x80) != 0;
    fixed = wtp__pdu_fixed_len(p->type);
    if (fixed == 0) {
        return WSPGW_EPROTO;
    }
    if (len < fixed) {
        return WSPGW_ETRUNC;
    }
    p->tid = ((unsigned) buf[1] << 8) | buf[2];
    switch (p->type) {
    case WTP_PDU_INVOKE:
        p->gtr = (buf[0] >> 2) & 1;
        p->ttr = (buf[0] >> 1) & 1;
        p->rid = buf[0] & 1;
        p->version = (buf[3] >> 6) & 3;
        p->tidnew = (buf[3] >> 5) & 1;
        p->up = (buf[3] >> 4) & 1;
        p->tcl = buf[3] & 3;
        break;
    case WTP_PDU_RESULT:
        p->gtr = (buf[0] >> 2) & 1;
        p->ttr = (buf[0] >> 1) & 1;
        p->rid = buf[0] & 1;
        break;
    case WTP_PDU_ACK:
        p->tve_tok = (buf[0] >> 2) & 1;
        p->rid = buf[0] & 1;
        break;
    case WTP_PDU_ABORT:
        p->abort_type = buf[0] & 7;
        p->abort_reason = buf[3];
        if (p->abort_type > WTP_ABORT_USER) {
            return WSPGW_EPROTO;
        }
        break;
    case WTP_PDU_SEG_INVOKE:
    case WTP_PDU_SEG_RESULT:
        p->gtr = (buf[0] >> 2) & 1;
        p->ttr = (buf[0] >> 1) & 1;
        p->rid = buf[0] & 1;
        p->psn = buf[3];
        break;
    case WTP_PDU_NACK:
        p->rid = buf[0] & 1;
        p->nmissing = buf[3];
        if (len - fixed < p->nmissing) {
            return WSPGW_ETRUNC;
        }
        p->missing = buf + fixed;
        fixed += p->nmissing;
        break;
    default:
        return WSPGW_EPROTO;
    }
    off = fixed;
    if (p->con) {
        rc = decode_tpis(buf, len, &off, p);
        if (rc != 0) {
            return rc;
        }
    }
    p->data = buf + off;
    p->len = len - off;
    return 0;
}


/* Writes one TPI; returns its length or WSPGW_ENOSPC. */
static int
put_tpi(uint8_t *out, size_t cap, unsigned id, const uint8_t *d,
    unsigned n)
{
    size_t need = n <= 3 ? 1 + n : 2 + n;

    if (need > cap || n > 255) {
        return WSPGW_ENOSPC;
    }
    if (n <= 3) {
        out[0] = (uint8_t) ((id << 3) | n);
        memcpy(out + 1, d, n);
    } else {
        out[0] = (uint8_t) ((id << 3) | 0x04);
        out[1] = (uint8_t) n;
        memcpy(out + 2, d, n);
    }
    return (int) need;
}


/* Minimal big-endian encoding of v (at least one octet). */
static unsigned
put_be_min(uint8_t *d, uint32_t v)
{
    unsigned n = v > 0xFFFFFF ? 4 : v > 0xFFFF ? 3 : v > 0xFF ? 2 : 1;
    unsigned i;

    for (i = 0; i < n; i++) {
        d[i] = (uint8_t) (v >> (8 * (n - 1 - i)));
    }
    return n;
}


int
wtp__pdu_encode_hdr(const struct wtp_pdu *p, uint8_t *out, size_t cap)
{
    size_t fixed = wtp__pdu_fixed_len(p->type), o;
    size_t tpi_at[4];
    unsigned ntpi = 0, i;
    uint8_t d[8];
    int n;

    if (fixed == 0 || p->type == WTP_PDU_NACK) {
        if (p->type != WTP_PDU_NACK) {
            return WSPGW_EINVAL;
        }
        fixed = 4 + p->nmissing;
    }
    if (cap < fixed) {
        return WSPGW_ENOSPC;
    }
    out[0] = (uint8_t) (p->type << 3);
    out[1] = (uint8_t) (p->tid >> 8);
    out[2] = (uint8_t) p->tid;
    switch (p->type) {
    case WTP_PDU_INVOKE:
        out[0] |= (uint8_t) ((p->gtr << 2) | (p->ttr << 1) | p->rid);
        out[3] = (uint8_t) (((p->version & 3) << 6) | (p->tidnew << 5)
            | (p->up << 4) | (p->tcl & 3));
        break;
    case WTP_PDU_RESULT:
        out[0] |= (uint8_t) ((p->gtr << 2) | (p->ttr << 1) | p->rid);
        break;
    case WTP_PDU_ACK:
        out[0] |= (uint8_t) ((p->tve_tok << 2) | p->rid);
        break;
    case WTP_PDU_ABORT:
        out[0] |= (uint8_t) (p->abort_type & 7);
        out[3] = (uint8_t) p->abort_reason;
        break;
    case WTP_PDU_SEG_INVOKE:
    case WTP_PDU_SEG_RESULT:
        out[0] |= (uint8_t) ((p->gtr << 2) | (p->ttr << 1) | p->rid);
        out[3] = (uint8_t) p->psn;
        break;
    case WTP_PDU_NACK:
        out[0] |= (uint8_t) p->rid;
        out[3] = (uint8_t) p->nmissing;
        if (p->nmissing > 0) {
            memcpy(out + 4, p->missing, p->nmissing);
        }
        break;
    default:
        return WSPGW_EINVAL;
    }
    o = fixed;
    if (p->has_psn) {
        d[0] = (uint8_t) p->psn_tpi;
        tpi_at[ntpi++] = o;
        n = put_tpi(out + o, cap - o, WTP_TPI_PSN, d, 1);
        if (n < 0) {
            return n;
        }
        o += (size_t) n;
    }
    if (p->has_total_size) {
        d[0] = WTP_OPT_TOTAL_MESSAGE_SIZE;
        tpi_at[ntpi++] = o;
        n = put_tpi(out + o, cap - o, WTP_TPI_OPTION, d,
            1 + put_be_min(d + 1, p->total_size));
        if (n < 0) {
            return n;
        }
        o += (size_t) n;
    }
    if (p->has_max_group) {
        d[0] = WTP_OPT_MAX_GROUP;
        tpi_at[ntpi++] = o;
        n = put_tpi(out + o, cap - o, WTP_TPI_OPTION, d,
            1 + put_be_min(d + 1, p->max_group));
        if (n < 0) {
            return n;
        }
        o += (size_t) n;
    }
    if (p->info != NULL && p->info_len > 0) {
        tpi_at[ntpi++] = o;
        n = put_tpi(out + o, cap - o, WTP_TPI_INFO, p->info,
            (unsigned) p->info_len);
        if (n < 0) {
            return n;
        }
        o += (size_t) n;
    }
    if (ntpi > 0) {
        out[0] |= 0x80;
        for (i = 0; i + 1 < ntpi; i++) {
            out[tpi_at[i]] |= 0x80;     /* another TPI follows */
        }
    }
    return (int) o;
}


int
wtp__concat_next(const uint8_t *buf, size_t len, size_t *off,
    const uint8_t **pdu, size_t *pdu_len)
{
    size_t o = *off, n;

    if (len == 0) {
        return *off == 0 ? WSPGW_ETRUNC : 0;
    }
    if (buf[0] != 0x00) {
        /* A plain datagram: one PDU. */
        if (o != 0) {
            return 0;
        }
        *pdu = buf;
        *pdu_len = len;
        *off = len;
        return 1;
    }
    if (o == 0) {
        o = 1;                          /* skip the 0x00 marker */
    }
    if (o >= len) {
        return o == 1 && *off == 0 ? WSPGW_ETRUNC : 0;
    }
    if (buf[o] & 0x80) {
        if (len - o < 2) {
            return WSPGW_ETRUNC;
        }
        n = ((size_t) (buf[o] & 0x7F) << 8) | buf[o + 1];
        o += 2;
    } else {
        n = buf[o];
        o += 1;
    }
    if (n == 0) {
        return WSPGW_EPROTO;
    }
    if (n > len - o) {
        return WSPGW_ETRUNC;
    }
    *pdu = buf + o;
    *pdu_len = n;
    *off = o + n;
    return 1;
}


size_t
wtp__concat_len_put(uint8_t *out, size_t len)
{
    if (len < 0x80) {
        out[0] = (uint8_t) len;
        return 1;
    }
    out[0] = (uint8_t) (0x80 | (len >> 8));
    out[1] = (uint8_t) len;
    return 2;
}


int
wtp__concat_put(struct wspgw_buf *b, const uint8_t *pdu, size_t len)
{
    uint8_t l[2];
    int rc;

    if (len == 0 || len > WTP_CONCAT_PDU_MAX) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_reserve(b, len + 2);
    if (rc != 0) {
        return rc;
    }
    (void) wspgw_buf_append(b, l, wtp__concat_len_put(l, len));
    return wspgw_buf_append(b, pdu, len);
}
