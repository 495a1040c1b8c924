/*
 * include/wspgw/buf.h - growable byte buffer with a hard ceiling.
 *
 * curl's dynbuf idea: the maximum size is fixed at init, and growing past
 * it fails with WSPGW_EMSGSIZE, so hostile input can never make a buffer
 * grow without bound.  The buffer keeps its memory across wspgw_buf_reset()
 * so a hot path that reuses one buffer does not allocate per packet.
 *
 * Invariant: len <= cap <= max (cap may be 0 with data NULL).
 * data is always NUL-terminated past len when cap > 0, so text built in a
 * buffer can be used as a C string (the NUL is not counted in len).
 */
#ifndef WSPGW_BUF_H
#define WSPGW_BUF_H

#include <stddef.h>
#include <stdint.h>

struct wspgw_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max;
};

/* Starts an empty buffer that may hold at most max octets. */
void wspgw_buf_init(struct wspgw_buf *b, size_t max);

/* Frees the memory; the buffer is empty and may be reused. */
void wspgw_buf_free(struct wspgw_buf *b);

/* Empties the buffer, keeping its memory. */
void wspgw_buf_reset(struct wspgw_buf *b);

/* Makes room for n more octets.  0, WSPGW_EMSGSIZE or WSPGW_ENOMEM. */
int wspgw_buf_reserve(struct wspgw_buf *b, size_t n);

/* Appends n octets (copies).  0, WSPGW_EMSGSIZE or WSPGW_ENOMEM; on error
 * the buffer is unchanged. */
int wspgw_buf_append(struct wspgw_buf *b, const void *p, size_t n);

/* Appends one octet. */
int wspgw_buf_putc(struct wspgw_buf *b, uint8_t c);

/* Appends a C string without its NUL. */
int wspgw_buf_puts(struct wspgw_buf *b, const char *s);

/* Appends printf-formatted text (without NUL). */
int wspgw_buf_printf(struct wspgw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Flags of wspgw_buf_put_xml. */
#define WSPGW_XML_WML_DOLLAR  0x01  /* "$" as "$$" (WML variable syntax) */
#define WSPGW_XML_ASCII_ONLY  0x02  /* octets >= 0x7F as "?" */

/*
 * Appends (s, n) escaped as XML 1.0 character data or attribute value:
 * & < > " ' as entities, TAB LF CR as character references, other C0
 * controls and DEL dropped (XML 1.0 does not allow them); with flags,
 * also the WML "$" and non-ASCII rules above.  Returns 0 or a buffer
 * error (the buffer may then hold part of the text).
 */
int wspgw_buf_put_xml(struct wspgw_buf *b, const uint8_t *s, size_t n,
    unsigned flags);

/* Returns the content as a C string ("" when empty, never NULL). */
const char *wspgw_buf_str(const struct wspgw_buf *b);

#endif /* WSPGW_BUF_H */
