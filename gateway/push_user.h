/*
 * gateway/push_user.h - push initiators ([push-user NAME] sections): who
 * may push, from where, to which destinations.
 *
 * Pure code (no libuv): the key parsers config.c calls for a named
 * section, and the three checks the PPG front end makes on a request
 * (credentials, source address, destination).  Kept out of config.c so
 * that the named-section support stays in one place.
 */
#ifndef WSPGW_GATEWAY_PUSH_USER_H
#define WSPGW_GATEWAY_PUSH_USER_H

#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "cidr.h"
#include "pushq.h"

#define GW_PUSH_USERS_MAX       64
#define GW_PUSH_USER_CIDRS_MAX  32
#define GW_PUSH_USER_PREFIX_MAX 32

struct gw_push_user {
    char name[64];
    char password[128];
    int has_password;
    struct gw_cidr allow_ip[GW_PUSH_USER_CIDRS_MAX];
    unsigned n_allow_ip;
    int has_allow_ip;
    /* allow-prefix: number prefixes ("+1555") and CIDRs for IP
     * destinations; none at all means any destination. */
    char prefix[GW_PUSH_USER_PREFIX_MAX][24];
    unsigned n_prefix;
    struct gw_cidr dest_ip[GW_PUSH_USER_PREFIX_MAX];
    unsigned n_dest_ip;
};

struct gw_push_users {
    struct gw_push_user u[GW_PUSH_USERS_MAX];
    unsigned n;
};

/*
 * A section name "push-user NAME": returns 1 and the user's name in
 * name (size namelen), 0 when section is not a push-user section, -1
 * when it is one with a bad name (reason in why).  A name is 1-63
 * printable characters without blanks or ':' (HTTP Basic splits there).
 */
int gw_push_user_section(const char *section, char *name, size_t namelen,
    char *why, size_t whylen);

/*
 * Applies "key = value" of [push-user NAME] to u.  Returns 0, or -1 with
 * the reason in why (unknown key, bad value).  List keys (allow-ip,
 * allow-prefix) may repeat.
 */
int gw_push_user_set(struct gw_push_user *u, const char *key,
    const char *value, char *why, size_t whylen);

/* What a finished section still lacks ("password", "allow-ip"), or
 * NULL. */
const char *gw_push_user_missing(const struct gw_push_user *u);

/* Prints the rows of the per-user keys for the README's table. */
void gw_push_user_print_keys(FILE *out);

/* Finds a user by name, or NULL. */
const struct gw_push_user *gw_push_user_find(const struct gw_push_users *us,
    const char *name);

/* Does password (n octets) equal the user's?  Compares in time that
 * depends only on n, not on where the strings differ. */
int gw_push_user_password_ok(const struct gw_push_user *u,
    const char *password, size_t n);

/* Is the source address sa (IPv4, IPv6 or IPv4-mapped IPv6) in one of
 * the user's allow-ip CIDRs? */
int gw_push_user_ip_ok(const struct gw_push_user *u,
    const struct sockaddr *sa);

/* May the user push to this destination (allow-prefix)? */
int gw_push_user_dest_ok(const struct gw_push_user *u,
    enum gw_push_addr_type type, const char *address);

#endif /* WSPGW_GATEWAY_PUSH_USER_H */
