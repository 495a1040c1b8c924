/*
 * tests/unit/wtp/wtp_test.h - helpers shared by the wtp/ unit tests:
 * hex vectors and a seeded PRNG.  Static inline so unused ones cost
 * nothing.
 */
#ifndef WTP_TEST_H
#define WTP_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Parses "0E 00 01" (spaces optional) into out; returns the length. */
static inline size_t
wt_hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;

    while (*s != '\0') {
        if (*s == ' ') {
            s++;
            continue;
        }
        ck_assert_msg(sscanf(s, "%2x", &v) == 1, "bad hex at %s", s);
        ck_assert(n < max);
        out[n++] = (uint8_t) v;
        s += 2;
    }
    return n;
}


/* xorshift64*: deterministic, seedable.  Only the high 32 bits of the
 * product are good (the low ones are linear in the state: "% 100" on
 * them made losses come in long correlated runs). */
static inline uint64_t
wt_rand(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return (x * 2685821657736338717ull) >> 32;
}

#endif /* WTP_TEST_H */
