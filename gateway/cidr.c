/*
 * gateway/cidr.c - address prefixes and capped prefix lists (cidr.h).
 *
 * Rules:
 *   - IPv4 literals are dotted quads only (inet_pton): "10.1" or
 *     "0x0a.0.0.1" are refused, so an entry means what it reads as.
 *   - IPv6 literals are written without brackets and without a zone id.
 *   - The prefix length is decimal, 0..32 (IPv4) or 0..128 (IPv6), no
 *     sign, no leading blanks, at most 3 digits.
 *   - Host bits below the prefix must be zero.
 *   - An IPv4-mapped IPv6 prefix (::ffff:0:0/96 and longer) is stored as
 *     the IPv4 prefix it covers; a shorter one that spans the mapped
 *     range is kept as IPv6 and then cannot match a mapped address,
 *     because matching turns mapped addresses into IPv4 first: the
 *     parser refuses such a prefix instead of silently never matching.
 *
 * Tests: tests/unit/gateway/test_cidr.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "wspgw/err.h"
#include "cidr.h"

static const uint8_t v4mapped[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};


int
gw_cidr_norm(const struct sockaddr *sa, int *family, uint8_t a[16])
{
    memset(a, 0, 16);
    if (sa == NULL) {
        return -1;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

        *family = AF_INET;
        memcpy(a, &in->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

        if (memcmp(in6->sin6_addr.s6_addr, v4mapped, 12) == 0) {
            *family = AF_INET;
            memcpy(a, in6->sin6_addr.s6_addr + 12, 4);
        } else {
            *family = AF_INET6;
            memcpy(a, in6->sin6_addr.s6_addr, 16);
        }
        return 0;
    }
    return -1;
}


/* Whether the first bits bits of x and y agree. */
static int
prefix_eq(const uint8_t *x, const uint8_t *y, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;
    uint8_t mask;

    if (memcmp(x, y, full) != 0) {
        return 0;
    }
    if (rest == 0) {
        return 1;
    }
    mask = (uint8_t) (0xff << (8 - rest));
    return (x[full] & mask) == (y[full] & mask);
}


/* Whether any bit of a[0..len) at or after bit position bits is set. */
static int
host_bits_set(const uint8_t *a, unsigned len, unsigned bits)
{
    unsigned i;

    for (i = 0; i < len * 8; i++) {
        if (i >= bits && (a[i / 8] & (0x80 >> (i % 8))) != 0) {
            return 1;
        }
    }
    return 0;
}


int
gw_cidr_parse(const char *text, struct gw_cidr *out, const char **why)
{
    const char *start, *end, *slash;
    char tmp[INET6_ADDRSTRLEN + 1];
    const char *dummy;
    unsigned long bits = 0;
    unsigned max, len;
    size_t n;
    int have_bits = 0;

    if (why == NULL) {
        why = &dummy;
    }
    memset(out, 0, sizeof(*out));
    if (text == NULL) {
        *why = "empty entry";
        return WSPGW_EINVAL;
    }
    start = text;
    while (*start == ' ' || *start == '\t') {
        start++;
    }
    end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    if (end == start) {
        *why = "empty entry";
        return WSPGW_EINVAL;
    }
    slash = memchr(start, '/', (size_t) (end - start));
    n = (size_t) ((slash != NULL ? slash : end) - start);
    if (slash != NULL) {
        const char *p = slash + 1;

        if (p == end || end - p > 3) {
            *why = "prefix length must be 0-32 (IPv4) or 0-128 (IPv6)";
            return WSPGW_EINVAL;
        }
        for (; p < end; p++) {
            if (*p < '0' || *p > '9') {
                *why = "prefix length must be 0-32 (IPv4) or 0-128 (IPv6)";
                return WSPGW_EINVAL;
            }
            bits = bits * 10 + (unsigned long) (*p - '0');
        }
        have_bits = 1;
    }
    if (n == 0 || n >= sizeof(tmp)) {
        *why = "not an IPv4 or IPv6 address";
        return WSPGW_EINVAL;
    }
    memcpy(tmp, start, n);
    tmp[n] = '\0';
    if (tmp[0] == '[') {
        *why = "write IPv6 prefixes without brackets";
        return WSPGW_EINVAL;
    }
    if (inet_pton(AF_INET, tmp, out->a) == 1) {
        out->family = AF_INET;
        max = 32;
        len = 4;
    } else if (inet_pton(AF_INET6, tmp, out->a) == 1) {
        out->family = AF_INET6;
        max = 128;
        len = 16;
    } else {
        memset(out, 0, sizeof(*out));
        *why = "not an IPv4 or IPv6 address (host names are not allowed)";
        return WSPGW_EINVAL;
    }
    if (!have_bits) {
        bits = max;
    }
    if (bits > max) {
        memset(out, 0, sizeof(*out));
        *why = "prefix length must be 0-32 (IPv4) or 0-128 (IPv6)";
        return WSPGW_EINVAL;
    }
    if (host_bits_set(out->a, len, (unsigned) bits)) {
        memset(out, 0, sizeof(*out));
        *why = "address has bits set below the prefix length";
        return WSPGW_EINVAL;
    }
    out->bits = (unsigned) bits;
    if (out->family == AF_INET6 && memcmp(out->a, v4mapped, 12) == 0
        && bits >= 96)
    {
        memmove(out->a, out->a + 12, 4);
        memset(out->a + 4, 0, 12);
        out->family = AF_INET;
        out->bits = (unsigned) bits - 96;
    } else if (out->family == AF_INET6 && bits < 96
        && prefix_eq(out->a, v4mapped, (unsigned) bits) && bits > 0)
    {
        /* It spans the mapped range, which matching treats as IPv4. */
        memset(out, 0, sizeof(*out));
        *why = "an IPv6 prefix covering ::ffff:0:0/96 cannot be matched; "
            "write the IPv4 prefix as well";
        return WSPGW_EINVAL;
    }
    return 0;
}


int
gw_cidr_contains(const struct gw_cidr *p, int family, const uint8_t *a)
{
    if (p == NULL || a == NULL || p->family != family) {
        return 0;
    }
    return prefix_eq(p->a, a, p->bits);
}


int
gw_cidr_match(const struct gw_cidr *p, const struct sockaddr *sa)
{
    uint8_t a[16];
    int family;

    if (gw_cidr_norm(sa, &family, a) != 0) {
        return 0;
    }
    return gw_cidr_contains(p, family, a);
}


int
gw_cidr_list_add(struct gw_cidr_list *l, const struct gw_cidr *p)
{
    unsigned i;

    for (i = 0; i < l->n; i++) {
        if (l->e[i].family == p->family && l->e[i].bits == p->bits
            && memcmp(l->e[i].a, p->a, 16) == 0)
        {
            return 0;
        }
    }
    if (l->n >= GW_CIDR_LIST_MAX) {
        return WSPGW_ENOSPC;
    }
    l->e[l->n++] = *p;
    return 0;
}


int
gw_cidr_list_match(const struct gw_cidr_list *l, const struct sockaddr *sa)
{
    uint8_t a[16];
    unsigned i;
    int family;

    if (l == NULL || gw_cidr_norm(sa, &family, a) != 0) {
        return 0;
    }
    for (i = 0; i < l->n; i++) {
        if (gw_cidr_contains(&l->e[i], family, a)) {
            return 1;
        }
    }
    return 0;
}


int
gw_cidr_client_ok(const struct gw_cidr_list *allow,
    const struct gw_cidr_list *deny, const struct sockaddr *sa)
{
    uint8_t a[16];
    int family;

    if (gw_cidr_norm(sa, &family, a) != 0) {
        return 0;
    }
    if (deny != NULL && deny->n > 0 && gw_cidr_list_match(deny, sa)) {
        return 0;
    }
    if (allow == NULL || allow->n == 0) {
        return 1;
    }
    return gw_cidr_list_match(allow, sa);
}
