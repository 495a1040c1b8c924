/*
 * include/wspgw/addr.h - a peer address as plain data.
 *
 * The cores key transactions and sessions by the peer's address and port
 * without knowing about sockets: gateway/ converts struct sockaddr to and
 * from this form.  Comparable with memcmp after wspgw_addr_init (padding
 * and unused address octets are zero).
 */
#ifndef WSPGW_ADDR_H
#define WSPGW_ADDR_H

#include <stdint.h>
#include <string.h>

#define WSPGW_AF_INET 4
#define WSPGW_AF_INET6 6

struct wspgw_addr {
    uint8_t family;     /* WSPGW_AF_INET or WSPGW_AF_INET6 */
    uint8_t pad;
    uint16_t port;      /* host order */
    uint8_t ip[16];     /* IPv4 in the first 4 octets, rest zero */
};

static inline void
wspgw_addr_init(struct wspgw_addr *a, int family, const void *ip,
    uint16_t port)
{
    memset(a, 0, sizeof(*a));
    a->family = (uint8_t) family;
    a->port = port;
    memcpy(a->ip, ip, family == WSPGW_AF_INET6 ? 16 : 4);
}

static inline int
wspgw_addr_eq(const struct wspgw_addr *a, const struct wspgw_addr *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

/* FNV-1a over the address; for hash tables in the cores. */
static inline uint32_t
wspgw_addr_hash(const struct wspgw_addr *a, uint32_t seed)
{
    const uint8_t *p = (const uint8_t *) a;
    uint32_t h = 2166136261u ^ seed;
    size_t i;

    for (i = 0; i < sizeof(*a); i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

#endif /* WSPGW_ADDR_H */
