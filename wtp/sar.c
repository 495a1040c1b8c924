/*
 * wtp/sar.c - segmentation and re-assembly (WAP-224 7.14, SIN 002).
 *
 * A message is packet 0 (the Invoke or Result PDU, PSN implicit) plus
 * Segmented Invoke/Result PDUs with an 8-bit PSN: at most 256 packets.
 * Packets go in groups, stop-and-wait; GTR ends a group, TTR ends the
 * message (and then GTR is ignored, SIN 002 3.3).  GTR=TTR=1 on packet 0
 * says the sender does no SAR; TTR=1, GTR=0 on packet 0 is a complete
 * one-packet message from a SAR-capable sender.  Neither reaches here:
 * ep.c hands this file only messages whose packet 0 had TTR=0.
 *
 * Receiving (struct wtp__sar_rx):
 *   - packets are copied, in arrival order, into 64 KiB chunks (one
 *     exact chunk when the Total Message Size TPI is known), with an
 *     index by PSN; memory follows what arrived (no doubling); the
 *     message is copied out once, in PSN order, when complete;
 *   - when the GTR/TTR packet of the open group is present and the group
 *     has holes: NACK listing them (one Nack per GTR/TTR arrival, so a
 *     retransmitted GTR is answered once and nothing is amplified);
 *   - when the last hole of a group whose GTR/TTR was seen is filled, or
 *     the GTR/TTR arrives to a full group: the group is acked (GROUP), or
 *     the message is complete (DONE) if it was the TTR group;
 *   - a repeat of the last acked GTR packet (the sender lost our Ack) is
 *     re-acked; other repeats are ignored;
 *   - a message is never complete until packets 0..TTR are all present.
 *
 * Sending (struct wtp__sar_tx): the group in flight is [gfirst, glast];
 *   the next group goes only when the Ack carrying glast's PSN arrives
 *   (an Ack for an older group is stale and ignored: a late or duplicated
 *   Ack never sends anything); a Nack is answered by resending exactly
 *   the listed packets, and only once per GTR/TTR transmission; the
 *   retransmission timer (ep.c) resends only the GTR/TTR packet.
 *
 * Invariants: rx->bytes <= the cap given at init; each PSN is held
 * at most once; tx never has more than one group in flight.
 *
 * Ownership: rx copies payloads into its chunks; tx copies the message.
 * No I/O, no clock, no logging: callers decide what to send.
 */
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wtp_int.h"


static int
has_psn(const struct wtp__sar_rx *rx, unsigned psn)
{
    return (rx->have[psn >> 3] >> (psn & 7)) & 1;
}


void
wtp__sar_rx_init(struct wtp__sar_rx *rx, size_t max_bytes)
{
    memset(rx, 0, sizeof(*rx));
    rx->max_bytes = max_bytes;
    rx->gend = -1;
    rx->last_acked = -1;
    rx->ttr = -1;
}


static void
free_chunks(struct wtp__sar_rx *rx)
{
    unsigned i;

    for (i = 0; i < rx->nchunks; i++) {
        wspgw_free(rx->chunks[i]);
    }
    wspgw_free(rx->chunks);
    rx->chunks = NULL;
    rx->nchunks = rx->chunks_cap = 0;
    rx->chunk_size = rx->chunk_used = 0;
}


void
wtp__sar_rx_free(struct wtp__sar_rx *rx)
{
    free_chunks(rx);
}


void
wtp__sar_rx_hint(struct wtp__sar_rx *rx, size_t total)
{
    if (total <= rx->max_bytes) {
        rx->hint = total;
    }
}


size_t
wtp__sar_rx_bytes(const struct wtp__sar_rx *rx)
{
    return rx->bytes;
}


/* Room for len more octets in the last chunk, opening one if needed. */
static uint8_t *
room(struct wtp__sar_rx *rx, size_t len)
{
    uint8_t **nc, *c;
    size_t size;
    unsigned ncap;

    if (rx->nchunks > 0 && rx->chunk_size - rx->chunk_used >= len) {
        return rx->chunks[rx->nchunks - 1] + rx->chunk_used;
    }
    if (rx->nchunks == rx->chunks_cap) {
        ncap = rx->chunks_cap == 0 ? 4 : rx->chunks_cap * 2;
        nc = wspgw_realloc(rx->chunks, ncap * sizeof(*nc));
        if (nc == NULL) {
            return NULL;
        }
        rx->chunks = nc;
        rx->chunks_cap = ncap;
    }
    size = rx->nchunks == 0 && rx->hint > 0 ? rx->hint : WTP_SAR_CHUNK;
    if (size < len) {
        size = len;
    }
    c = wspgw_malloc(size);
    if (c == NULL) {
        return NULL;
    }
    rx->chunks[rx->nchunks++] = c;
    rx->chunk_size = size;
    rx->chunk_used = 0;
    return c;
}


int
wtp__sar_rx_has(const struct wtp__sar_rx *rx, unsigned psn)
{
    return psn < WTP_MAX_PACKETS && has_psn(rx, psn);
}


/* Lists the holes of [gstart, gend]; returns how many (capped at 255). */
static unsigned
holes(const struct wtp__sar_rx *rx, uint8_t *missing)
{
    unsigned psn, n = 0;

    for (psn = rx->gstart; psn <= (unsigned) rx->gend && n < 255; psn++) {
        if (!has_psn(rx, psn)) {
            missing[n++] = (uint8_t) psn;
        }
    }
    return n;
}


/* The open group's GTR/TTR is present and the group is full: close it. */
static int
close_group(struct wtp__sar_rx *rx, unsigned *out_psn)
{
    *out_psn = (unsigned) rx->gend;
    rx->last_acked = rx->gend;
    rx->gstart = (unsigned) rx->gend + 1;
    rx->gend = -1;
    return rx->ttr == rx->last_acked ? WTP__SAR_DONE : WTP__SAR_GROUP;
}


int
wtp__sar_rx_add(struct wtp__sar_rx *rx, unsigned psn, unsigned gtr,
    unsigned ttr, const uint8_t *data, size_t len, unsigned *out_psn,
    uint8_t *missing, unsigned *nmissing)
{
    unsigned trailer = gtr || ttr;
    uint8_t *dst;

    *nmissing = 0;
    *out_psn = 0;
    if (psn >= WTP_MAX_PACKETS) {
        return WSPGW_EPROTO;
    }
    if (rx->ttr >= 0 && psn > (unsigned) rx->ttr) {
        return WSPGW_EPROTO;            /* past the end of the message */
    }
    if (ttr && rx->npk > 0 && psn < rx->max_psn) {
        return WSPGW_EPROTO;            /* TTR before packets we hold */
    }
    if (ttr && rx->ttr >= 0 && psn != (unsigned) rx->ttr) {
        return WSPGW_EPROTO;
    }
    if (has_psn(rx, psn)) {
        if (trailer && (int) psn == rx->last_acked) {
            *out_psn = psn;
            return WTP__SAR_DUP_ACKED;
        }
        if (trailer && (int) psn == rx->gend) {
            *nmissing = holes(rx, missing);
            return WTP__SAR_NACK;       /* the sender lost our Nack */
        }
        return WTP__SAR_DUP;
    }
    if (psn < rx->gstart) {
        return WTP__SAR_DUP;            /* a late packet of an acked group */
    }
    if (len > rx->max_bytes - rx->bytes) {
        return WSPGW_EMSGSIZE;
    }
    dst = room(rx, len);
    if (dst == NULL) {
        return WSPGW_ENOMEM;
    }
    if (len > 0) {
        memcpy(dst, data, len);
    }
    rx->chunk_used += len;
    rx->bytes += len;
    rx->pkt[psn] = dst;
    rx->plen[psn] = (uint32_t) len;
    rx->have[psn >> 3] |= (uint8_t) (1u << (psn & 7));
    rx->npk++;
    if (psn > rx->max_psn) {
        rx->max_psn = psn;
    }
    if (ttr) {
        rx->ttr = (int) psn;
    }
    if (trailer && (rx->gend < 0 || (int) psn > rx->gend)) {
        rx->gend = (int) psn;
    }
    if (rx->gend < 0) {
        return WTP__SAR_MORE;
    }
    *nmissing = holes(rx, missing);
    if (*nmissing == 0) {
        return close_group(rx, out_psn);
    }
    if (trailer) {
        return WTP__SAR_NACK;
    }
    *nmissing = 0;
    return WTP__SAR_MORE;               /* a hole filled, others remain */
}


int
wtp__sar_rx_take(struct wtp__sar_rx *rx, struct wspgw_buf *out)
{
    struct wspgw_buf b;
    unsigned psn, n;

    if (rx->ttr < 0) {
        return WSPGW_EINVAL;
    }
    n = (unsigned) rx->ttr + 1;
    /* Exactly sized (wspgw_buf_reserve would round up to a power of
     * two: 512 KiB for a 300 KB message).  Keeps buf.h's invariants:
     * len < cap <= max + 1, NUL after len. */
    wspgw_buf_init(&b, rx->max_bytes);
    b.data = wspgw_malloc(rx->bytes + 1);
    if (b.data == NULL) {
        return WSPGW_ENOMEM;
    }
    b.cap = rx->bytes + 1;
    for (psn = 0; psn < n; psn++) {
        memcpy(b.data + b.len, rx->pkt[psn], rx->plen[psn]);
        b.len += rx->plen[psn];
    }
    b.data[b.len] = '\0';
    wspgw_buf_free(out);
    *out = b;
    free_chunks(rx);
    return 0;
}


/* ---- sending --------------------------------------------------------- */

static void
plan_group(struct wtp__sar_tx *tx, unsigned first)
{
    tx->gfirst = first;
    tx->glast = first + tx->gsize - 1;
    if (tx->glast >= tx->npk) {
        tx->glast = tx->npk - 1;
    }
    tx->gtr_sends = 0;
    tx->nacks_done = 0;
    tx->retx = 0;
    tx->sent_at = 0;
}


int
wtp__sar_tx_init(struct wtp__sar_tx *tx, const uint8_t *data, size_t len,
    unsigned seg, unsigned gsize, unsigned sar)
{
    size_t npk;

    memset(tx, 0, sizeof(*tx));
    if (seg == 0) {
        seg = 1;
    }
    if (gsize == 0) {
        gsize = 1;
    }
    npk = sar && len > seg ? (len + seg - 1) / seg : 1;
    if (npk > WTP_MAX_PACKETS) {
        return WSPGW_EMSGSIZE;
    }
    tx->msg = wspgw_malloc(len);
    if (tx->msg == NULL) {
        return WSPGW_ENOMEM;
    }
    if (len > 0) {
        memcpy(tx->msg, data, len);
    }
    tx->len = len;
    tx->seg = seg;
    tx->npk = (unsigned) npk;
    tx->gsize = gsize;
    tx->sar = sar;
    plan_group(tx, 0);
    return 0;
}


void
wtp__sar_tx_free(struct wtp__sar_tx *tx)
{
    wspgw_free(tx->msg);
    tx->msg = NULL;
}


void
wtp__sar_tx_packet(const struct wtp__sar_tx *tx, unsigned psn,
    const uint8_t **data, size_t *len, unsigned *gtr, unsigned *ttr)
{
    size_t off;

    if (tx->npk == 1) {
        *data = tx->msg;
        *len = tx->len;
        /* Unsegmented: GTR=TTR=1, as Kannel and the SIN's default. */
        *gtr = 1;
        *ttr = 1;
        return;
    }
    off = (size_t) psn * tx->seg;
    *data = tx->msg + off;
    *len = tx->len - off < tx->seg ? tx->len - off : tx->seg;
    *ttr = psn == tx->npk - 1;
    *gtr = !*ttr && psn == tx->glast;
}


int
wtp__sar_tx_last_group(const struct wtp__sar_tx *tx)
{
    return tx->glast == tx->npk - 1;
}


enum wtp__sar_ack
wtp__sar_tx_on_ack(struct wtp__sar_tx *tx, unsigned has, unsigned psn)
{
    if (tx->gtr_sends == 0) {
        return WTP__SAR_ACK_STALE;      /* nothing of this group sent */
    }
    if (!has) {
        /* A plain Ack acknowledges only the whole message. */
        return wtp__sar_tx_last_group(tx) ? WTP__SAR_ACK_LAST
            : WTP__SAR_ACK_STALE;
    }
    if (psn != tx->glast) {
        return WTP__SAR_ACK_STALE;
    }
    if (wtp__sar_tx_last_group(tx)) {
        return WTP__SAR_ACK_LAST;
    }
    plan_group(tx, tx->glast + 1);
    return WTP__SAR_ACK_NEXT;
}


unsigned
wtp__sar_tx_on_nack(struct wtp__sar_tx *tx, unsigned n, const uint8_t *list,
    uint8_t *resend)
{
    unsigned i, k = 0, psn;

    if (tx->nacks_done >= tx->gtr_sends) {
        return 0;                       /* duplicated or late Nack */
    }
    tx->nacks_done++;
    if (n == 0) {
        for (psn = tx->gfirst; psn <= tx->glast; psn++) {
            resend[k++] = (uint8_t) psn;
        }
    } else {
        for (i = 0; i < n; i++) {
            psn = list[i];
            if (psn >= tx->gfirst && psn <= tx->glast) {
                resend[k++] = (uint8_t) psn;
            }
        }
    }
    if (k > 0) {
        tx->retx = 1;
    }
    return k;
}
