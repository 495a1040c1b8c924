/*
 * wsp/uintvar.c - the WSP variable-length unsigned integer.
 *
 * Spec: WAP-230-WSP-20010705-a 8.1.2 "Variable Length Unsigned Integers":
 * 7 data bits per octet, most significant group first, bit 7 set on every
 * octet but the last.  wspgw limits values to 32 bits, hence at most 5
 * octets, the first of which then carries at most 4 data bits.
 *
 * Does not: accept non-minimal encodings' overflow; leading 0x80 octets
 * are accepted (the spec does not forbid them) as long as the total stays
 * within 5 octets.
 */
#include <stddef.h>
#include <stdint.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"


int
wsp_uintvar_decode(const uint8_t *buf, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;

    for (i = 0; i < 5; i++) {
        if (i >= len) {
            return WSPGW_ETRUNC;
        }
        /* A fifth octet may only add 4 bits to the 28 already there. */
        if (i == 4 && (v >> 25) != 0) {
            return WSPGW_EPROTO;
        }
        v = (v << 7) | (buf[i] & 0x7f);
        if ((buf[i] & 0x80) == 0) {
            *out = v;
            return (int) (i + 1);
        }
    }
    return WSPGW_EPROTO;
}


unsigned
wsp_uintvar_size(uint32_t v)
{
    unsigned n = 1;

    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}


int
wsp_uintvar_encode(struct wspgw_buf *out, uint32_t v)
{
    uint8_t tmp[5];
    unsigned n = wsp_uintvar_size(v);
    unsigned i;

    for (i = 0; i < n; i++) {
        tmp[n - 1 - i] = (uint8_t) ((v & 0x7f) | (i == 0 ? 0 : 0x80));
        v >>= 7;
    }
    return wspgw_buf_append(out, tmp, n);
}
