/*
 * common/alloc.c - allocation wrappers with test-time fault injection.
 *
 * The only process-wide state in the sans-I/O layers: a countdown used by
 * tests (wspgw_alloc_fail_after).  Production never sets it.
 */
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"

static long fail_countdown = -1;


static int
should_fail(void)
{
    if (fail_countdown < 0) {
        return 0;
    }
    if (fail_countdown == 0) {
        return 1;
    }
    fail_countdown--;
    return 0;
}


void
wspgw_alloc_fail_after(long n)
{
    fail_countdown = n;
}


void *
wspgw_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n == 0 ? 1 : n);
}


void *
wspgw_calloc(size_t nmemb, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);
}


void *
wspgw_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n == 0 ? 1 : n);
}


void
wspgw_free(void *p)
{
    free(p);
}


char *
wspgw_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *r = wspgw_malloc(len + 1);

    if (r == NULL) {
        return NULL;
    }
    memcpy(r, s, len);
    r[len] = '\0';
    return r;
}
