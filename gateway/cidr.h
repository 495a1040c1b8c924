/*
 * gateway/cidr.h - IPv4/IPv6 address prefixes ("10.0.0.0/8",
 * "2001:db8::/32", a bare address is a /32 or /128) and capped lists of
 * them.  Used by the client access control on the UDP bearer
 * ([gateway] allow-client, deny-client) and by the upstream allow list's
 * table of special address ranges (allow.c).
 *
 * Pure code: no libuv, no resolver, no allocation.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address
 * a.b.c.d everywhere here, both in a prefix written that way and in an
 * address matched: a dual-stack socket reports IPv4 peers in that form,
 * and a rule for 10.0.0.0/8 must cover them.
 */
#ifndef WSPGW_GATEWAY_CIDR_H
#define WSPGW_GATEWAY_CIDR_H

#include <stdint.h>
#include <sys/socket.h>

/* Entries in one list (allow-client or deny-client): every datagram is
 * matched against the list, so it stays short. */
#define GW_CIDR_LIST_MAX 64

struct gw_cidr {
    int family;                 /* AF_INET or AF_INET6 */
    uint8_t a[16];              /* network address, host bits zero */
    unsigned bits;              /* prefix length: 0..32 or 0..128 */
};

struct gw_cidr_list {
    struct gw_cidr e[GW_CIDR_LIST_MAX];
    unsigned n;
};

/*
 * Parses "ADDR" or "ADDR/BITS" (IPv6 without brackets, no zone id;
 * surrounding blanks ignored).  Host bits set under the mask are an
 * error ("10.1.2.3/8" is refused: the operator meant something else).
 * Returns 0 or WSPGW_EINVAL with a static reason in *why.
 */
int gw_cidr_parse(const char *text, struct gw_cidr *out, const char **why);

/*
 * Reduces sa (AF_INET or AF_INET6) to family + 4 or 16 octets, turning
 * an IPv4-mapped IPv6 address into IPv4.  Returns 0, or -1 for another
 * family.
 */
int gw_cidr_norm(const struct sockaddr *sa, int *family, uint8_t a[16]);

/* Whether address (family, a) lies inside prefix p.  1 or 0. */
int gw_cidr_contains(const struct gw_cidr *p, int family, const uint8_t *a);

/* Whether sa lies inside prefix p.  1 or 0 (0 for other families). */
int gw_cidr_match(const struct gw_cidr *p, const struct sockaddr *sa);

/* Appends p; a duplicate is accepted and not stored twice.  0 or
 * WSPGW_ENOSPC past GW_CIDR_LIST_MAX. */
int gw_cidr_list_add(struct gw_cidr_list *l, const struct gw_cidr *p);

/* Whether sa lies inside any prefix of l: O(l->n).  1 or 0. */
int gw_cidr_list_match(const struct gw_cidr_list *l,
    const struct sockaddr *sa);

/*
 * The client access decision for the UDP bearer: a peer in deny is
 * refused; else a peer is accepted when allow is empty or the peer is
 * in allow.  Returns 1 (accept) or 0 (refuse).
 */
int gw_cidr_client_ok(const struct gw_cidr_list *allow,
    const struct gw_cidr_list *deny, const struct sockaddr *sa);

#endif /* WSPGW_GATEWAY_CIDR_H */
