/*
 * gateway/smpp_pdu.c - SMPP 3.4 PDUs (see smpp_pdu.h for why building
 * goes through libsmpp34 and reading does not).
 *
 * libsmpp34 notes: its structs are typedef'd and filled field by field;
 * C-octet strings are fixed arrays (system_id[16], short_message[254]),
 * so every length is checked here before anything is copied into them;
 * smpp34_pack writes command_length itself.  It reports errors through
 * the globals smpp34_errno/smpp34_strerror, which is fine on our one
 * loop thread.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>

#include "wspgw/err.h"
#include "smpp_pdu.h"


static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16
        | (uint32_t) p[2] << 8 | p[3];
}


int
gw_smpp_frame(const uint8_t *buf, size_t len)
{
    uint32_t n;

    if (len < 4) {
        return 0;
    }
    n = get32(buf);
    if (n < GW_SMPP_HDR || n > GW_SMPP_PDU_MAX) {
        return WSPGW_EPROTO;
    }
    return len >= n ? (int) n : 0;
}


void
gw_smpp_hdr_read(const uint8_t *buf, struct gw_smpp_hdr *h)
{
    h->len = get32(buf);
    h->id = get32(buf + 4);
    h->status = get32(buf + 8);
    h->seq = get32(buf + 12);
}


/* Copies s into a C-octet field of size cap (NUL included). */
static int
put_field(uint8_t *dst, size_t cap, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;

    if (n >= cap) {
        return WSPGW_EINVAL;
    }
    memcpy(dst, s != NULL ? s : "", n);
    dst[n] = '\0';
    return 0;
}


static int
pack(uint32_t type, uint8_t *buf, size_t cap, void *pdu)
{
    int len = 0;

    if (cap > 65536) {
        cap = 65536;
    }
    if (smpp34_pack(type, buf, (int) cap, &len, pdu) != 0 || len <= 0) {
        return WSPGW_EMSGSIZE;
    }
    return len;
}


int
gw_smpp_build_bind(uint8_t *buf, size_t cap, uint32_t seq,
    const struct gw_smpp_bind *b)
{
    /* bind_transmitter_t and bind_transceiver_t have the same body. */
    bind_transmitter_t p;

    memset(&p, 0, sizeof(p));
    p.command_id = b->transceiver ? BIND_TRANSCEIVER : BIND_TRANSMITTER;
    p.sequence_number = seq;
    if (put_field(p.system_id, sizeof(p.system_id), b->system_id) != 0
        || put_field(p.password, sizeof(p.password), b->password) != 0
        || put_field(p.system_type, sizeof(p.system_type), b->system_type)
            != 0)
    {
        return WSPGW_EINVAL;
    }
    p.interface_version = SMPP_VERSION;
    return pack(p.command_id, buf, cap, &p);
}


int
gw_smpp_build_submit(uint8_t *buf, size_t cap, uint32_t seq,
    const struct gw_smpp_submit *s)
{
    submit_sm_t p;

    memset(&p, 0, sizeof(p));
    p.command_id = SUBMIT_SM;
    p.sequence_number = seq;
    if (put_field(p.service_type, sizeof(p.service_type), s->service_type)
        != 0
        || put_field(p.source_addr, sizeof(p.source_addr), s->src_addr)
            != 0
        || put_field(p.destination_addr, sizeof(p.destination_addr),
            s->dst_addr) != 0
        || s->sm_len > sizeof(p.short_message) || s->sm_len > 254)
    {
        return WSPGW_EINVAL;
    }
    p.source_addr_ton = s->src_ton;
    p.source_addr_npi = s->src_npi;
    p.dest_addr_ton = s->dst_ton;
    p.dest_addr_npi = s->dst_npi;
    p.esm_class = s->esm_class;
    p.protocol_id = s->protocol_id;
    p.registered_delivery = s->registered_delivery;
    p.data_coding = s->data_coding;
    p.sm_length = (uint8_t) s->sm_len;
    if (s->sm_len > 0) {
        memcpy(p.short_message, s->sm, s->sm_len);
    }
    return pack(SUBMIT_SM, buf, cap, &p);
}


int
gw_smpp_build_header(uint8_t *buf, size_t cap, uint32_t id, uint32_t status,
    uint32_t seq)
{
    /* All header-only PDUs share the layout of enquire_link. */
    enquire_link_t p;

    switch (id) {
    case ENQUIRE_LINK:
    case ENQUIRE_LINK_RESP:
    case UNBIND:
    case UNBIND_RESP:
    case GENERIC_NACK:
        break;
    default:
        return WSPGW_EINVAL;
    }
    memset(&p, 0, sizeof(p));
    p.command_id = id;
    p.command_status = status;
    p.sequence_number = seq;
    return pack(id, buf, cap, &p);
}


int
gw_smpp_build_deliver_resp(uint8_t *buf, size_t cap, uint32_t status,
    uint32_t seq)
{
    deliver_sm_resp_t p;

    memset(&p, 0, sizeof(p));
    p.command_id = DELIVER_SM_RESP;
    p.command_status = status;
    p.sequence_number = seq;
    return pack(DELIVER_SM_RESP, buf, cap, &p);
}


/*
 * Reads a C-octet string of at most max octets (NUL included) at *off.
 * On success *off is past the NUL.
 */
static int
read_cstr(const uint8_t *pdu, size_t len, size_t *off, size_t max,
    char *out, size_t outlen)
{
    size_t i;

    for (i = *off; i < len && i - *off < max; i++) {
        if (pdu[i] == '\0') {
            size_t n = i - *off;

            if (out != NULL) {
                if (n >= outlen) {
                    n = outlen - 1;
                }
                memcpy(out, pdu + *off, n);
                out[n] = '\0';
            }
            *off = i + 1;
            return 0;
        }
    }
    return i >= len ? WSPGW_ETRUNC : WSPGW_EPROTO;
}


int
gw_smpp_read_cstr_body(const uint8_t *pdu, size_t len, char *out,
    size_t outlen)
{
    size_t off = GW_SMPP_HDR;

    out[0] = '\0';
    if (len <= GW_SMPP_HDR) {
        return 0;
    }
    return read_cstr(pdu, len, &off, 65, out, outlen) == 0 ? 0
        : WSPGW_EPROTO;
}


static int
read_u8(const uint8_t *pdu, size_t len, size_t *off, uint8_t *v)
{
    if (*off >= len) {
        return WSPGW_ETRUNC;
    }
    *v = pdu[(*off)++];
    return 0;
}


/* Receipt text "id:X sub:... stat:DELIVRD ..." (Appendix B). */
static void
receipt_text(const uint8_t *sm, size_t len, struct gw_smpp_deliver *d)
{
    static const struct {
        const char *text;
        int state;
    } stats[] = {
        { "DELIVRD", GW_SMPP_STATE_DELIVERED },
        { "EXPIRED", GW_SMPP_STATE_EXPIRED },
        { "DELETED", GW_SMPP_STATE_DELETED },
        { "UNDELIV", GW_SMPP_STATE_UNDELIVERABLE },
        { "ACCEPTD", GW_SMPP_STATE_ACCEPTED },
        { "UNKNOWN", GW_SMPP_STATE_UNKNOWN },
        { "REJECTD", GW_SMPP_STATE_REJECTED },
    };
    size_t i, j;

    for (i = 0; i + 3 <= len; i++) {
        if (i > 0 && sm[i - 1] != ' ') {
            continue;
        }
        if (d->msg_id[0] == '\0' && memcmp(sm + i, "id:", 3) == 0) {
            for (j = i + 3; j < len && sm[j] != ' '
                && j - (i + 3) < sizeof(d->msg_id) - 1; j++)
            {
                d->msg_id[j - (i + 3)] = (char) sm[j];
            }
            d->msg_id[j - (i + 3)] = '\0';
        }
        if (d->message_state == 0 && i + 12 <= len
            && memcmp(sm + i, "stat:", 5) == 0)
        {
            for (j = 0; j < sizeof(stats) / sizeof(stats[0]); j++) {
                if (memcmp(sm + i + 5, stats[j].text, 7) == 0) {
                    d->message_state = stats[j].state;
                }
            }
        }
    }
}


int
gw_smpp_read_deliver(const uint8_t *pdu, size_t len,
    struct gw_smpp_deliver *d)
{
    size_t off = GW_SMPP_HDR;
    uint8_t skip, sm_len;
    int rc = 0, i;

    memset(d, 0, sizeof(*d));
    if (len < GW_SMPP_HDR) {
        return WSPGW_ETRUNC;
    }
    if (get32(pdu) != len) {
        return WSPGW_ETRUNC;    /* the PDU must be whole, as framed */
    }
    /* service_type, source TON/NPI/addr, dest TON/NPI/addr, esm_class,
     * protocol_id, priority, schedule time, validity, registered
     * delivery, replace flag, data_coding, default msg id, sm_length. */
    rc = read_cstr(pdu, len, &off, 6, NULL, 0);
    for (i = 0; rc == 0 && i < 2; i++) {
        rc = read_u8(pdu, len, &off, &skip);
    }
    if (rc == 0) {
        rc = read_cstr(pdu, len, &off, 21, d->source, sizeof(d->source));
    }
    for (i = 0; rc == 0 && i < 2; i++) {
        rc = read_u8(pdu, len, &off, &skip);
    }
    if (rc == 0) {
        rc = read_cstr(pdu, len, &off, 21, NULL, 0);
    }
    if (rc == 0) {
        rc = read_u8(pdu, len, &off, &d->esm_class);
    }
    for (i = 0; rc == 0 && i < 2; i++) {
        rc = read_u8(pdu, len, &off, &skip);
    }
    for (i = 0; rc == 0 && i < 2; i++) {
        rc = read_cstr(pdu, len, &off, 17, NULL, 0);
    }
    for (i = 0; rc == 0 && i < 2; i++) {
        rc = read_u8(pdu, len, &off, &skip);
    }
    if (rc == 0) {
        rc = read_u8(pdu, len, &off, &d->data_coding);
    }
    if (rc == 0) {
        rc = read_u8(pdu, len, &off, &skip);
    }
    if (rc == 0) {
        rc = read_u8(pdu, len, &off, &sm_len);
    }
    if (rc != 0) {
        return rc;
    }
    if (sm_len > len - off) {
        return WSPGW_ETRUNC;
    }
    d->sm = pdu + off;
    d->sm_len = sm_len;
    off += sm_len;
    /* TLVs: tag (2), length (2), value. */
    while (off < len) {
        unsigned tag, tlen;

        if (len - off < 4) {
            return WSPGW_ETRUNC;
        }
        tag = (unsigned) pdu[off] << 8 | pdu[off + 1];
        tlen = (unsigned) pdu[off + 2] << 8 | pdu[off + 3];
        off += 4;
        if (tlen > len - off) {
            return WSPGW_ETRUNC;
        }
        if (tag == TLVID_receipted_message_id && tlen > 0) {
            size_t n = tlen;

            /* A C-octet string; take it up to its NUL. */
            if (memchr(pdu + off, '\0', tlen) != NULL) {
                n = strlen((const char *) pdu + off);
            }
            if (n >= sizeof(d->msg_id)) {
                return WSPGW_EPROTO;
            }
            memcpy(d->msg_id, pdu + off, n);
            d->msg_id[n] = '\0';
        } else if (tag == TLVID_message_state && tlen == 1) {
            d->message_state = pdu[off];
        }
        off += tlen;
    }
    d->is_receipt = (d->esm_class & 0x3c) == GW_SMPP_ESM_RECEIPT;
    if (d->is_receipt) {
        receipt_text(d->sm, d->sm_len, d);
    }
    return 0;
}


int
gw_smpp_status_temporary(uint32_t status)
{
    switch (status) {
    case ESME_RINVBNDSTS:       /* not bound (yet): rebind, try again */
    case ESME_RSYSERR:
    case ESME_RMSGQFUL:
    case ESME_RTHROTTLED:
    case ESME_RX_T_APPN:
    case ESME_RSUBMITFAIL:
    case ESME_RUNKNOWNERR:
        return 1;
    default:
        return 0;
    }
}


const char *
gw_smpp_status_name(uint32_t status)
{
    static char buf[16];

    switch (status) {
#define ST(x) case x: return #x;
    ST(ESME_ROK)
    ST(ESME_RINVMSGLEN)
    ST(ESME_RINVCMDLEN)
    ST(ESME_RINVCMDID)
    ST(ESME_RINVBNDSTS)
    ST(ESME_RALYBND)
    ST(ESME_RSYSERR)
    ST(ESME_RINVSRCADR)
    ST(ESME_RINVDSTADR)
    ST(ESME_RBINDFAIL)
    ST(ESME_RINVPASWD)
    ST(ESME_RINVSYSID)
    ST(ESME_RMSGQFUL)
    ST(ESME_RINVESMCLASS)
    ST(ESME_RSUBMITFAIL)
    ST(ESME_RINVSRCTON)
    ST(ESME_RINVSRCNPI)
    ST(ESME_RINVDSTTON)
    ST(ESME_RINVDSTNPI)
    ST(ESME_RTHROTTLED)
    ST(ESME_RX_T_APPN)
    ST(ESME_RX_P_APPN)
    ST(ESME_RX_R_APPN)
    ST(ESME_RUNKNOWNERR)
#undef ST
    default:
        snprintf(buf, sizeof(buf), "0x%08x", (unsigned) status);
        return buf;
    }
}
