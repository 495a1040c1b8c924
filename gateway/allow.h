/*
 * gateway/allow.h - the upstream allow list ([upstream] allow).
 *
 * The gateway is never an open proxy: a request may reach only a
 * host:port named here.  Pure code (no libuv, no curl) so it is
 * unit-tested on its own.
 *
 * Matching happens twice (see gateway/http.c):
 *   1. before any connection, on the URL's host and port: no entry, no
 *      connection, the handset gets 403;
 *   2. on the address libcurl is about to connect to (its open-socket
 *      callback): an IP-literal entry allows exactly that address and
 *      port; a host-name entry allows the addresses that name resolved to
 *      for this very request (a name allows only its own answers).
 *
 * Host names compare case-insensitively; IP literals compare as
 * addresses (so "::1" and "0:0::1" are the same entry).
 *
 * Special addresses (gw_allow_special: loopback, "this network",
 * link-local, cloud metadata, multicast, reserved; see allow.c for the
 * table).  A name entry allows the addresses its name resolves to,
 * except these: a special address is connected to only when the allow
 * list also has an IP-literal entry for exactly that address and port.
 * So "allow = mmsc.example:80" can never reach 127.0.0.1:80 or
 * 169.254.169.254:80 by DNS (a poisoned record, a name the operator did
 * not control, "localhost"), while "allow = localhost:8081,
 * 127.0.0.1:8081" states on purpose that it may.  An IP-literal entry
 * is explicit by itself.  Private ranges (10/8, 172.16/12, 192.168/16,
 * fc00::/7 but the metadata address) are not special: that is where
 * MMSCs live.
 */
#ifndef WSPGW_GATEWAY_ALLOW_H
#define WSPGW_GATEWAY_ALLOW_H

#include <stdint.h>
#include <sys/socket.h>

#define GW_ALLOW_HOST_MAX 255
#define GW_ALLOW_MAX 256

struct gw_allow_entry {
    char host[GW_ALLOW_HOST_MAX + 1];   /* name or literal, no brackets */
    uint16_t port;
    int is_ip;                          /* host is an IP literal */
    struct sockaddr_storage addr;       /* when is_ip: the address */
};

struct gw_allow {
    struct gw_allow_entry entry[GW_ALLOW_MAX];
    unsigned n;
};

/*
 * Parses "host:port", "1.2.3.4:port" or "[v6]:port" (surrounding blanks
 * ignored).  Returns 0 or WSPGW_EINVAL with a reason in *why (static).
 */
int gw_allow_parse_entry(const char *text, struct gw_allow_entry *out,
    const char **why);

/* Appends entry.  0 or WSPGW_ENOSPC past GW_ALLOW_MAX; a duplicate is
 * accepted silently (and not stored twice). */
int gw_allow_add(struct gw_allow *a, const struct gw_allow_entry *entry);

/*
 * Finds the entry for a URL's host (as libcurl's URL parser gives it:
 * brackets stripped for IPv6) and port.  Returns the entry or NULL.
 */
const struct gw_allow_entry *gw_allow_match_host(const struct gw_allow *a,
    const char *host, unsigned port);

/*
 * Whether connecting to sa is allowed for a request that matched entry e:
 * for an IP-literal entry, sa must be that address and port; for a name
 * entry, sa's port must be the entry's port (the address is the one the
 * resolver gave for that name).  Returns 1 or 0.
 */
int gw_allow_match_addr(const struct gw_allow_entry *e,
    const struct sockaddr *sa);

/*
 * Names the special range sa lies in ("loopback", "link-local",
 * "cloud metadata", ...), or NULL for an ordinary address.  An
 * IPv4-mapped address is judged as IPv4, a NAT64 address
 * (64:ff9b::/96) by the IPv4 address it embeds.
 */
const char *gw_allow_special(const struct sockaddr *sa);

/*
 * The check on the address actually connected to, for a request whose
 * URL matched entry e (gw_allow_match_host on a):
 *   gw_allow_match_addr(e, sa), and, when sa is special, an IP-literal
 *   entry of a for exactly sa's address and port.
 * Returns 1 (connect) or 0, with a static reason in *why.
 */
int gw_allow_connect_ok(const struct gw_allow *a,
    const struct gw_allow_entry *e, const struct sockaddr *sa,
    const char **why);

#endif /* WSPGW_GATEWAY_ALLOW_H */
