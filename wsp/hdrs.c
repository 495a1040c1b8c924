/*
 * wsp/hdrs.c - a list of text headers (the HTTP side of the bridge).
 *
 * Layout: all names and values live in one capped buffer as
 * "name\0value\0name\0value\0..."; off[i] is where the i-th name starts
 * and its value follows the name's NUL.  So a list costs one allocation
 * that is reused across wsp_hdrs_reset(), and its size is bounded by
 * the ceiling given at init plus WSP_HDRS_MAX entries.
 *
 * Invariants: n <= WSP_HDRS_MAX; every off[i] < text.len; text.len only
 * grows by whole entries (an entry is added completely or not at all).
 *
 * Ownership: names and values are copied in; pointers returned by
 * wsp_hdrs_name/value are valid until the next add, reset or free.
 */
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_int.h"


void
wsp_hdrs_init(struct wsp_hdrs *h, size_t max_text)
{
    /* off[] is 32-bit: keep every offset representable. */
    if (max_text > UINT32_MAX - 1) {
        max_text = UINT32_MAX - 1;
    }
    wspgw_buf_init(&h->text, max_text);
    h->n = 0;
}


void
wsp_hdrs_free(struct wsp_hdrs *h)
{
    wspgw_buf_free(&h->text);
    h->n = 0;
}


void
wsp_hdrs_reset(struct wsp_hdrs *h)
{
    wspgw_buf_reset(&h->text);
    h->n = 0;
}


void
wsp__buf_truncate(struct wspgw_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}


int
wsp__hdrs_open(struct wsp_hdrs *h, const char *name, size_t name_len,
    size_t *mark)
{
    size_t start = h->text.len;
    int rc;

    if (h->n >= WSP_HDRS_MAX) {
        return WSPGW_ENOSPC;
    }
    rc = wspgw_buf_append(&h->text, name, name_len);
    if (rc == 0) {
        rc = wspgw_buf_putc(&h->text, '\0');
    }
    if (rc != 0) {
        wsp__buf_truncate(&h->text, start);
        return rc;
    }
    *mark = start;
    return 0;
}


int
wsp__hdrs_commit(struct wsp_hdrs *h, size_t mark)
{
    int rc = wspgw_buf_putc(&h->text, '\0');

    if (rc != 0) {
        wsp__buf_truncate(&h->text, mark);
        return rc;
    }
    h->off[h->n++] = (uint32_t) mark;
    return 0;
}


void
wsp__hdrs_rollback(struct wsp_hdrs *h, size_t mark)
{
    wsp__buf_truncate(&h->text, mark);
}


/*
 * Also returns WSPGW_EINVAL when name or value contains a NUL, which the
 * storage format could not represent.
 */
int
wsp_hdrs_add(struct wsp_hdrs *h, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
    size_t mark;
    int rc;

    if (memchr(name, '\0', name_len) != NULL
        || memchr(value, '\0', value_len) != NULL)
    {
        return WSPGW_EINVAL;
    }
    if (h->n >= WSP_HDRS_MAX) {
        return WSPGW_ENOSPC;
    }
    /* Reserve once so that the entry is added whole or not at all. */
    rc = wspgw_buf_reserve(&h->text, name_len + value_len + 2);
    if (rc != 0) {
        return rc;
    }
    rc = wsp__hdrs_open(h, name, name_len, &mark);
    if (rc != 0) {
        return rc;
    }
    rc = wspgw_buf_append(&h->text, value, value_len);
    if (rc != 0) {
        wsp__hdrs_rollback(h, mark);
        return rc;
    }
    return wsp__hdrs_commit(h, mark);
}


const char *
wsp_hdrs_name(const struct wsp_hdrs *h, unsigned i)
{
    if (i >= h->n) {
        return NULL;
    }
    return (const char *) h->text.data + h->off[i];
}


const char *
wsp_hdrs_value(const struct wsp_hdrs *h, unsigned i)
{
    const char *name = wsp_hdrs_name(h, i);

    if (name == NULL) {
        return NULL;
    }
    return name + strlen(name) + 1;
}


int
wsp_hdrs_find(const struct wsp_hdrs *h, const char *name)
{
    unsigned i;

    for (i = 0; i < h->n; i++) {
        if (strcasecmp(wsp_hdrs_name(h, i), name) == 0) {
            return (int) i;
        }
    }
    return -1;
}
