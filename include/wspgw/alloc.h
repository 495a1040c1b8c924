/*
 * include/wspgw/alloc.h - allocation hooks.
 *
 * All project allocation goes through these wrappers so that tests can
 * make the Nth allocation fail (SQLite's fault-injection idea) and check
 * that every error path cleans up.  In a normal build the counter is off
 * and the wrappers cost one predictable branch.
 */
#ifndef WSPGW_ALLOC_H
#define WSPGW_ALLOC_H

#include <stddef.h>

void *wspgw_malloc(size_t n);
void *wspgw_calloc(size_t nmemb, size_t size);
void *wspgw_realloc(void *p, size_t n);
void wspgw_free(void *p);
char *wspgw_strndup(const char *s, size_t n);

/*
 * Test hook: after n more successful allocations, every allocation fails
 * until wspgw_alloc_fail_after(-1) turns injection off.  Process-wide; only
 * tests call it (each Check test runs in its own process).
 */
void wspgw_alloc_fail_after(long n);

#endif /* WSPGW_ALLOC_H */
