/*
 * common/md5.c - MD5 (RFC 1321) and its base64 form.
 *
 * Spec: RFC 1321 section 3 (padding to 448 mod 512 bits, the 64-bit
 * little-endian length, four rounds of 16 operations over a 4-word
 * state), section A.5 test suite (tests/unit/common/test_md5.c); RFC
 * 2045 6.8 (base64).  Written from the RFC's description: the round
 * constants are floor(abs(sin(i + 1)) * 2^32), kept as a table so no
 * floating point runs.
 *
 * Does not: stream (one call hashes one buffer, which is all the UAProf
 * digest needs); claim any security.
 *
 * Ownership: inputs are borrowed; results go to the caller's arrays.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/md5.h"

/* T[i] = floor(abs(sin(i + 1)) * 2^32), RFC 1321 3.4. */
static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left-rotation amounts per round, four per round (RFC 1321 3.4). */
static const uint8_t md5_s[4][4] = {
    { 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};


static uint32_t
rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}


/* One 64-octet block into the state (RFC 1321 3.4). */
static void
md5_block(uint32_t st[4], const uint8_t blk[64])
{
    uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3], f, tmp;
    unsigned i, g;

    for (i = 0; i < 16; i++) {
        x[i] = (uint32_t) blk[4 * i] | (uint32_t) blk[4 * i + 1] << 8
            | (uint32_t) blk[4 * i + 2] << 16
            | (uint32_t) blk[4 * i + 3] << 24;
    }
    for (i = 0; i < 64; i++) {
        switch (i / 16) {
        case 0:
            f = (b & c) | (~b & d);         /* F */
            g = i;
            break;
        case 1:
            f = (b & d) | (c & ~d);         /* G */
            g = (5 * i + 1) % 16;
            break;
        case 2:
            f = b ^ c ^ d;                  /* H */
            g = (3 * i + 5) % 16;
            break;
        default:
            f = c ^ (b | ~d);               /* I */
            g = (7 * i) % 16;
            break;
        }
        tmp = d;
        d = c;
        c = b;
        b = b + rotl(a + f + md5_t[i] + x[g], md5_s[i / 16][i % 4]);
        a = tmp;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
}


void
wspgw_md5(const void *p, size_t len, uint8_t out[WSPGW_MD5_LEN])
{
    uint32_t st[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
    const uint8_t *m = p;
    uint8_t tail[128];
    uint64_t bits = (uint64_t) len * 8;
    size_t off, rest, tlen, i;

    for (off = 0; len - off >= 64; off += 64) {
        md5_block(st, m + off);
    }
    /* Padding: 0x80, zeros to 56 mod 64, then the bit length (3.1-3.2). */
    rest = len - off;
    memset(tail, 0, sizeof(tail));
    if (rest > 0) {
        memcpy(tail, m + off, rest);
    }
    tail[rest] = 0x80;
    tlen = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++) {
        tail[tlen - 8 + i] = (uint8_t) (bits >> (8 * i));
    }
    md5_block(st, tail);
    if (tlen == 128) {
        md5_block(st, tail + 64);
    }
    for (i = 0; i < 16; i++) {
        out[i] = (uint8_t) (st[i / 4] >> (8 * (i % 4)));
    }
}


void
wspgw_md5_base64(const void *p, size_t len, char out[WSPGW_MD5_B64_LEN + 1])
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t d[WSPGW_MD5_LEN + 2];
    size_t i, o = 0;

    wspgw_md5(p, len, d);
    d[16] = 0;
    d[17] = 0;
    for (i = 0; i < WSPGW_MD5_LEN; i += 3) {
        uint32_t w = (uint32_t) d[i] << 16 | (uint32_t) d[i + 1] << 8
            | d[i + 2];

        out[o++] = b64[(w >> 18) & 63];
        out[o++] = b64[(w >> 12) & 63];
        out[o++] = i + 1 < WSPGW_MD5_LEN ? b64[(w >> 6) & 63] : '=';
        out[o++] = i + 2 < WSPGW_MD5_LEN ? b64[w & 63] : '=';
    }
    out[o] = '\0';
}
