/*
 * common/buf.c - growable byte buffer with a hard ceiling (see buf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/buf.h"
#include "wspgw/err.h"


void
wspgw_buf_init(struct wspgw_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}


void
wspgw_buf_free(struct wspgw_buf *b)
{
    wspgw_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}


void
wspgw_buf_reset(struct wspgw_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}


int
wspgw_buf_reserve(struct wspgw_buf *b, size_t n)
{
    size_t need, ncap;
    uint8_t *p;

    if (n > b->max || b->len > b->max - n) {
        return WSPGW_EMSGSIZE;
    }
    need = b->len + n + 1;          /* room for the trailing NUL */
    if (need <= b->cap) {
        return 0;
    }
    ncap = b->cap < 64 ? 64 : b->cap;
    while (ncap < need) {
        ncap *= 2;
    }
    if (ncap > b->max + 1) {
        ncap = b->max + 1;
    }
    p = wspgw_realloc(b->data, ncap);
    if (p == NULL) {
        return WSPGW_ENOMEM;
    }
    b->data = p;
    b->cap = ncap;
    return 0;
}


int
wspgw_buf_append(struct wspgw_buf *b, const void *p, size_t n)
{
    int rc = wspgw_buf_reserve(b, n);

    if (rc != 0) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}


int
wspgw_buf_putc(struct wspgw_buf *b, uint8_t c)
{
    return wspgw_buf_append(b, &c, 1);
}


int
wspgw_buf_puts(struct wspgw_buf *b, const char *s)
{
    return wspgw_buf_append(b, s, strlen(s));
}


int
wspgw_buf_put_xml(struct wspgw_buf *b, const uint8_t *s, size_t n,
    unsigned flags)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && rc == 0; i++) {
        uint8_t c = s[i];

        switch (c) {
        case '&':
            rc = wspgw_buf_puts(b, "&amp;");
            break;
        case '<':
            rc = wspgw_buf_puts(b, "&lt;");
            break;
        case '>':
            rc = wspgw_buf_puts(b, "&gt;");
            break;
        case '"':
            rc = wspgw_buf_puts(b, "&quot;");
            break;
        case '\'':
            rc = wspgw_buf_puts(b, "&apos;");
            break;
        case '\t':
        case '\n':
        case '\r':
            rc = wspgw_buf_printf(b, "&#%u;", c);
            break;
        case '$':
            rc = wspgw_buf_puts(b, (flags & WSPGW_XML_WML_DOLLAR) ? "$$" : "$");
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                break;      /* not allowed in XML 1.0: dropped */
            }
            if (c > 0x7F && (flags & WSPGW_XML_ASCII_ONLY)) {
                c = '?';
            }
            rc = wspgw_buf_putc(b, c);
            break;
        }
    }
    return rc;
}


int
wspgw_buf_printf(struct wspgw_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return WSPGW_EINVAL;
    }
    if ((size_t) n < sizeof(small)) {
        return wspgw_buf_append(b, small, (size_t) n);
    }
    rc = wspgw_buf_reserve(b, (size_t) n);
    if (rc != 0) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf((char *) b->data + b->len, (size_t) n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t) n;
    return 0;
}


const char *
wspgw_buf_str(const struct wspgw_buf *b)
{
    return b->data != NULL ? (const char *) b->data : "";
}
