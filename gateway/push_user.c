/*
 * gateway/push_user.c - push initiators: [push-user NAME] keys and the
 * checks on a PAP or /mms-notify request (see push_user.h).
 *
 * Keys (a contract, see the issue): password (HTTP Basic), allow-ip
 * (source CIDRs, required: an initiator is always tied to addresses),
 * allow-prefix (destination number prefixes; a CIDR entry admits IP
 * destinations; empty: any destination).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push_user.h"

struct user_key {
    const char *key;
    const char *type;
    const char *empty;
    const char *doc;
};

static const struct user_key user_keys[] = {
    { "password", "string", "required",
      "HTTP Basic password of the push initiator NAME (its user name is "
      "NAME); for PAP (/wappush) and /mms-notify" },
    { "allow-ip", "CIDR list", "required (0.0.0.0/0, ::/0 for any)",
      "source addresses the initiator may connect from (a.b.c.d/n, "
      "v6/n or a bare address), comma-separated; the key may repeat" },
    { "allow-prefix", "prefix list", "any destination",
      "destination number prefixes (+1555), comma-separated; a CIDR entry "
      "(192.0.2.0/24) admits IPv4/IPv6 destinations, which are refused "
      "otherwise unless the list is empty; the key may repeat" },
};

#define N_USER_KEYS (sizeof(user_keys) / sizeof(user_keys[0]))


static void
set_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}


int
gw_push_user_section(const char *section, char *name, size_t namelen,
    char *why, size_t whylen)
{
    static const char pfx[] = "push-user";
    const char *p;
    size_t n;

    if (strncmp(section, pfx, sizeof(pfx) - 1) != 0
        || (section[sizeof(pfx) - 1] != '\0'
        && section[sizeof(pfx) - 1] != ' '
        && section[sizeof(pfx) - 1] != '\t'))
    {
        return 0;
    }
    p = section + sizeof(pfx) - 1;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    n = strlen(p);
    if (n == 0) {
        set_why(why, whylen, "[push-user] needs a name: [push-user NAME]");
        return -1;
    }
    if (n >= namelen || n > 63) {
        set_why(why, whylen, "push-user name too long (at most 63)");
        return -1;
    }
    if (strpbrk(p, " \t:") != NULL) {
        set_why(why, whylen, "push-user name \"%s\" may not contain blanks "
            "or ':'", p);
        return -1;
    }
    memcpy(name, p, n + 1);
    return 1;
}


/* Parses "addr[/bits]" into c (gateway/cidr.c: host bits under the
 * mask are refused).  Returns 0 or -1 with the reason in why. */
static int
parse_cidr(const char *item, struct gw_cidr *c, char *why, size_t whylen)
{
    const char *reason = "invalid prefix";

    if (gw_cidr_parse(item, c, &reason) != 0) {
        set_why(why, whylen, "not an address or CIDR: \"%s\" (%s)", item,
            reason);
        return -1;
    }
    return 0;
}


/* Calls fn for each trimmed, non-empty item of a comma list. */
static int
each(const char *value, struct gw_push_user *u,
    int (*fn)(struct gw_push_user *, const char *, char *, size_t),
    char *why, size_t whylen)
{
    const char *p = value;

    while (*p != '\0') {
        const char *s, *e;
        char item[128];

        while (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        s = p;
        while (*p != '\0' && *p != ',') {
            p++;
        }
        e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
            e--;
        }
        if ((size_t) (e - s) >= sizeof(item)) {
            set_why(why, whylen, "list item too long: %.40s...", s);
            return -1;
        }
        memcpy(item, s, (size_t) (e - s));
        item[e - s] = '\0';
        if (fn(u, item, why, whylen) != 0) {
            return -1;
        }
    }
    return 0;
}


static int
add_allow_ip(struct gw_push_user *u, const char *item, char *why,
    size_t whylen)
{
    struct gw_cidr c;

    if (parse_cidr(item, &c, why, whylen) != 0) {
        return -1;
    }
    if (u->n_allow_ip >= GW_PUSH_USER_CIDRS_MAX) {
        set_why(why, whylen, "too many allow-ip entries (at most %d)",
            GW_PUSH_USER_CIDRS_MAX);
        return -1;
    }
    u->allow_ip[u->n_allow_ip++] = c;
    return 0;
}


static int
add_prefix(struct gw_push_user *u, const char *item, char *why,
    size_t whylen)
{
    size_t n = strlen(item), i;

    if (strchr(item, '/') != NULL) {
        struct gw_cidr c;

        if (parse_cidr(item, &c, why, whylen) != 0) {
            return -1;
        }
        if (u->n_dest_ip >= GW_PUSH_USER_PREFIX_MAX) {
            set_why(why, whylen, "too many allow-prefix CIDRs (at most %d)",
                GW_PUSH_USER_PREFIX_MAX);
            return -1;
        }
        u->dest_ip[u->n_dest_ip++] = c;
        return 0;
    }
    for (i = item[0] == '+' ? 1 : 0; i < n; i++) {
        if (item[i] < '0' || item[i] > '9') {
            set_why(why, whylen, "not a number prefix (+ and digits) or a "
                "CIDR: \"%s\"", item);
            return -1;
        }
    }
    if (n == 0 || n >= sizeof(u->prefix[0]) || (n == 1 && item[0] == '+')) {
        set_why(why, whylen, "bad number prefix \"%s\"", item);
        return -1;
    }
    if (u->n_prefix >= GW_PUSH_USER_PREFIX_MAX) {
        set_why(why, whylen, "too many allow-prefix entries (at most %d)",
            GW_PUSH_USER_PREFIX_MAX);
        return -1;
    }
    memcpy(u->prefix[u->n_prefix++], item, n + 1);
    return 0;
}


int
gw_push_user_set(struct gw_push_user *u, const char *key, const char *value,
    char *why, size_t whylen)
{
    size_t n = strlen(value);

    if (strcmp(key, "password") == 0) {
        if (u->has_password) {
            set_why(why, whylen, "duplicate key \"password\"");
            return -1;
        }
        if (n == 0 || n >= sizeof(u->password)) {
            set_why(why, whylen, "password must have 1 to %zu characters",
                sizeof(u->password) - 1);
            return -1;
        }
        memcpy(u->password, value, n + 1);
        u->has_password = 1;
        return 0;
    }
    if (strcmp(key, "allow-ip") == 0) {
        u->has_allow_ip = 1;
        return each(value, u, add_allow_ip, why, whylen);
    }
    if (strcmp(key, "allow-prefix") == 0) {
        return each(value, u, add_prefix, why, whylen);
    }
    set_why(why, whylen, "unknown key \"%s\" in [push-user %s] (password, "
        "allow-ip, allow-prefix)", key, u->name);
    return -1;
}


const char *
gw_push_user_missing(const struct gw_push_user *u)
{
    if (!u->has_password) {
        return "password";
    }
    if (u->n_allow_ip == 0) {
        return "allow-ip";
    }
    return NULL;
}


void
gw_push_user_print_keys(FILE *out)
{
    size_t i;

    for (i = 0; i < N_USER_KEYS; i++) {
        fprintf(out, "| push-user NAME | %s | %s | (empty) | - | %s | "
            "applied | %s |\n", user_keys[i].key, user_keys[i].type,
            user_keys[i].empty, user_keys[i].doc);
    }
}


const struct gw_push_user *
gw_push_user_find(const struct gw_push_users *us, const char *name)
{
    unsigned i;

    for (i = 0; i < us->n; i++) {
        if (strcmp(us->u[i].name, name) == 0) {
            return &us->u[i];
        }
    }
    return NULL;
}


int
gw_push_user_password_ok(const struct gw_push_user *u, const char *password,
    size_t n)
{
    size_t have = strlen(u->password), i;
    unsigned diff = (unsigned) (have ^ n);

    /* Walk the offered password whole; index the stored one modulo its
     * length so the time does not reveal where they differ. */
    for (i = 0; i < n; i++) {
        diff |= (unsigned char) password[i]
            ^ (unsigned char) u->password[have != 0 ? i % have : 0];
    }
    return u->has_password && diff == 0;
}


int
gw_push_user_ip_ok(const struct gw_push_user *u, const struct sockaddr *sa)
{
    const uint8_t *addr;
    int family;
    unsigned i;

    if (sa->sa_family == AF_INET) {
        family = AF_INET;
        addr = (const uint8_t *) &((const struct sockaddr_in *) sa)->sin_addr;
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *) sa)
            ->sin6_addr;

        family = AF_INET6;
        addr = a6->s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a6)) {
            family = AF_INET;
            addr = a6->s6_addr + 12;
        }
    } else {
        return 0;
    }
    for (i = 0; i < u->n_allow_ip; i++) {
        if (gw_cidr_contains(&u->allow_ip[i], family, addr)) {
            return 1;
        }
    }
    return 0;
}


int
gw_push_user_dest_ok(const struct gw_push_user *u,
    enum gw_push_addr_type type, const char *address)
{
    uint8_t a[16];
    unsigned i;

    if (u->n_prefix == 0 && u->n_dest_ip == 0) {
        return 1;
    }
    if (type == GW_PUSH_PLMN) {
        for (i = 0; i < u->n_prefix; i++) {
            if (strncmp(address, u->prefix[i], strlen(u->prefix[i])) == 0) {
                return 1;
            }
        }
        return 0;
    }
    if (inet_pton(type == GW_PUSH_IPV4 ? AF_INET : AF_INET6, address, a)
        != 1)
    {
        return 0;
    }
    for (i = 0; i < u->n_dest_ip; i++) {
        if (gw_cidr_contains(&u->dest_ip[i], type == GW_PUSH_IPV4 ? AF_INET
            : AF_INET6, a))
        {
            return 1;
        }
    }
    return 0;
}
