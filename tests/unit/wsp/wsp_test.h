/*
 * tests/unit/wsp/wsp_test.h - small helpers shared by the wsp/ unit
 * tests: hex vectors and a seeded PRNG.  Static inline so that a test
 * that does not use one gets no warning.
 */
#ifndef WSP_TEST_H
#define WSP_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Parses "03 83 81 EA" (spaces optional) into out; "..." in single
 * quotes inside the string inserts text, e.g. "A9 'UA' 00".
 */
static inline size_t
hex_parse(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;

    while (*s != '\0') {
        if (*s == ' ') {
            s++;
            continue;
        }
        if (*s == '\'') {
            s++;
            while (*s != '\0' && *s != '\'') {
                ck_assert(n < max);
                out[n++] = (uint8_t) *s++;
            }
            ck_assert(*s == '\'');
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


/* Lower-case hex with spaces, for readable failure messages. */
static inline const char *
hex_str(const uint8_t *p, size_t len, char *buf, size_t max)
{
    size_t i, o = 0;

    buf[0] = '\0';
    for (i = 0; i < len && o + 4 < max; i++) {
        o += (size_t) snprintf(buf + o, max - o, i ? " %02X" : "%02X", p[i]);
    }
    return buf;
}


/* xorshift32 with a fixed seed: the same garbage on every run. */
static inline uint32_t
xorshift32(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#endif /* WSP_TEST_H */
