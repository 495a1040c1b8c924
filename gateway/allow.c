/*
 * gateway/allow.c - the upstream allow list ([upstream] allow).
 *
 * Parses entries of the form "host:port", "1.2.3.4:port" and
 * "[v6]:port" and answers the two questions gateway/http.c asks (see
 * allow.h): may a URL's host:port be fetched at all, and may the socket
 * libcurl is about to open connect to this address.
 *
 * Pure code: no libuv, no curl, no resolver.  A host name is never
 * resolved here; http.c relies on libcurl resolving the URL's own name,
 * so a name entry allows exactly the answers for that name.
 *
 * Rules:
 *   - The port is mandatory, decimal, 1..65535.
 *   - An IPv6 literal must be in brackets (otherwise "::1:80" would be
 *     ambiguous); an IPv4 literal must not be.  Zone ids ("%eth0") are
 *     refused.
 *   - A host name is a DNS name (RFC 1123 2.1): labels of 1..63 letters,
 *     digits and hyphens, not starting or ending with a hyphen, at most
 *     GW_ALLOW_HOST_MAX octets in all.  One trailing dot (the root) is
 *     accepted and dropped.  A name whose last label is all digits is
 *     refused: no top-level domain is numeric (RFC 3696 2), and such text
 *     is a short IPv4 form ("127.1") that libcurl's URL parser rewrites
 *     to dotted quad, so the entry could never match as a name.
 *   - Names compare case-insensitively (and ignoring a trailing dot);
 *     IP literals compare as addresses, with an IPv4-mapped IPv6 address
 *     (::ffff:a.b.c.d) equal to the plain IPv4 address, because a
 *     dual-stack socket may report either form for the same peer.
 *   - A name never matches an IP literal and the other way round: the
 *     first check happens before any resolution.
 *
 * Invariants: a stored entry has a valid port; is_ip entries have addr
 * set (family AF_INET or AF_INET6, port in network order); host holds
 * the text without brackets, and for names without the trailing dot.
 *
 * Tests: tests/unit/gateway/test_allow.c.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "allow.h"
#include "cidr.h"

/* An address reduced to what matching compares: 4 or 16 octets. */
struct norm_addr {
    int family;                 /* AF_INET or AF_INET6 */
    uint8_t a[16];
    uint16_t port;              /* host order */
};


/*
 * Reduces sa to a norm_addr, turning an IPv4-mapped IPv6 address into
 * plain IPv4.  Returns 0, or -1 for other families.
 */
static int
normalize(const struct sockaddr *sa, struct norm_addr *out)
{
    static const uint8_t mapped[12] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
    };

    memset(out, 0, sizeof(*out));
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

        out->family = AF_INET;
        memcpy(out->a, &in->sin_addr, 4);
        out->port = ntohs(in->sin_port);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

        out->port = ntohs(in6->sin6_port);
        if (memcmp(in6->sin6_addr.s6_addr, mapped, sizeof(mapped)) == 0) {
            out->family = AF_INET;
            memcpy(out->a, in6->sin6_addr.s6_addr + 12, 4);
        } else {
            out->family = AF_INET6;
            memcpy(out->a, in6->sin6_addr.s6_addr, 16);
        }
        return 0;
    }
    return -1;
}


/*
 * Parses text (an IP literal without brackets, NUL-terminated) into a
 * sockaddr with the given port.  Returns 1 when text is an IPv4 or IPv6
 * literal, 0 otherwise.
 */
static int
parse_ip(const char *text, uint16_t port, struct sockaddr_storage *ss)
{
    struct sockaddr_in *in = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        return 1;
    }
    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        return 1;
    }
    memset(ss, 0, sizeof(*ss));
    return 0;
}


/*
 * Checks that name[0..len) is a DNS host name (see the file header).
 * Returns NULL when it is, else a static reason.
 */
static const char *
check_dns_name(const char *name, size_t len)
{
    size_t i, label = 0;
    int numeric = 1;

    if (len == 0) {
        return "empty host name";
    }
    if (len > GW_ALLOW_HOST_MAX) {
        return "host name too long";
    }
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) name[i];

        if (ch == '.') {
            if (label == 0) {
                return "empty label in host name";
            }
            if (name[i - 1] == '-') {
                return "host name label ends with '-'";
            }
            label = 0;
            numeric = 1;
            continue;
        }
        if (!isascii(ch) || !(isalnum(ch) || ch == '-')) {
            return "invalid character in host name";
        }
        if (ch == '-' && label == 0) {
            return "host name label starts with '-'";
        }
        if (!isdigit(ch)) {
            numeric = 0;
        }
        label++;
        if (label > 63) {
            return "host name label longer than 63 octets";
        }
    }
    if (label == 0) {
        return "empty label in host name";
    }
    if (name[len - 1] == '-') {
        return "host name label ends with '-'";
    }
    if (numeric) {
        return "numeric host name is not a dotted-quad IPv4 address";
    }
    return NULL;
}


/*
 * Parses the decimal port in p[0..len).  Returns 0 and sets *port, or
 * -1.
 */
static int
parse_port(const char *p, size_t len, uint16_t *port)
{
    unsigned long v = 0;
    size_t i;

    if (len == 0 || len > 5) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return -1;
        }
        v = v * 10 + (unsigned long) (p[i] - '0');
    }
    if (v < 1 || v > 65535) {
        return -1;
    }
    *port = (uint16_t) v;
    return 0;
}


int
gw_allow_parse_entry(const char *text, struct gw_allow_entry *out,
    const char **why)
{
    const char *start, *end, *host, *colon;
    size_t host_len;
    char tmp[GW_ALLOW_HOST_MAX + 2];
    const char *reason;
    const char *dummy;

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

    if (*start == '[') {
        const char *close = memchr(start, ']', (size_t) (end - start));

        if (close == NULL) {
            *why = "missing ']' after IPv6 address";
            return WSPGW_EINVAL;
        }
        host = start + 1;
        host_len = (size_t) (close - host);
        if (close + 1 == end || close[1] != ':') {
            *why = "missing port (write [addr]:port)";
            return WSPGW_EINVAL;
        }
        colon = close + 1;
        if (host_len == 0 || host_len > GW_ALLOW_HOST_MAX) {
            *why = "bad IPv6 address";
            return WSPGW_EINVAL;
        }
        memcpy(tmp, host, host_len);
        tmp[host_len] = '\0';
        if (parse_port(colon + 1, (size_t) (end - colon - 1),
                &out->port) != 0)
        {
            *why = "port must be a number from 1 to 65535";
            return WSPGW_EINVAL;
        }
        if (!parse_ip(tmp, out->port, &out->addr)
            || out->addr.ss_family != AF_INET6)
        {
            *why = "bad IPv6 address in brackets";
            return WSPGW_EINVAL;
        }
        memcpy(out->host, tmp, host_len + 1);
        out->is_ip = 1;
        return 0;
    }

    if ((size_t) (end - start) >= 3
        && memmem(start, (size_t) (end - start), "://", 3) != NULL)
    {
        *why = "write host:port, not a URL";
        return WSPGW_EINVAL;
    }
    colon = memchr(start, ':', (size_t) (end - start));
    if (colon == NULL) {
        *why = "missing port (write host:port)";
        return WSPGW_EINVAL;
    }
    if (memchr(colon + 1, ':', (size_t) (end - colon - 1)) != NULL) {
        *why = "IPv6 address must be in brackets ([addr]:port)";
        return WSPGW_EINVAL;
    }
    host = start;
    host_len = (size_t) (colon - start);
    if (parse_port(colon + 1, (size_t) (end - colon - 1), &out->port) != 0) {
        *why = "port must be a number from 1 to 65535";
        return WSPGW_EINVAL;
    }
    if (host_len == 0) {
        *why = "empty host name";
        return WSPGW_EINVAL;
    }
    if (host_len > GW_ALLOW_HOST_MAX + 1) {
        *why = "host name too long";
        return WSPGW_EINVAL;
    }
    memcpy(tmp, host, host_len);
    tmp[host_len] = '\0';

    if (parse_ip(tmp, out->port, &out->addr)) {
        /* Only AF_INET can get here: an IPv6 text has colons. */
        memcpy(out->host, tmp, host_len + 1);
        out->is_ip = 1;
        return 0;
    }

    /* A name: drop one trailing dot (the DNS root), then validate. */
    if (host_len > 1 && tmp[host_len - 1] == '.') {
        host_len--;
        tmp[host_len] = '\0';
    }
    reason = check_dns_name(tmp, host_len);
    if (reason != NULL) {
        *why = reason;
        return WSPGW_EINVAL;
    }
    memcpy(out->host, tmp, host_len + 1);
    out->is_ip = 0;
    return 0;
}


/*
 * Whether two entries allow the same thing (same port, and the same name
 * ignoring case, or the same address).
 */
static int
same_entry(const struct gw_allow_entry *a, const struct gw_allow_entry *b)
{
    struct norm_addr na, nb;

    if (a->port != b->port || a->is_ip != b->is_ip) {
        return 0;
    }
    if (!a->is_ip) {
        return strcasecmp(a->host, b->host) == 0;
    }
    if (normalize((const struct sockaddr *) &a->addr, &na) != 0
        || normalize((const struct sockaddr *) &b->addr, &nb) != 0)
    {
        return 0;
    }
    return na.family == nb.family && memcmp(na.a, nb.a, 16) == 0;
}


int
gw_allow_add(struct gw_allow *a, const struct gw_allow_entry *entry)
{
    unsigned i;

    for (i = 0; i < a->n; i++) {
        if (same_entry(&a->entry[i], entry)) {
            return 0;
        }
    }
    if (a->n >= GW_ALLOW_MAX) {
        return WSPGW_ENOSPC;
    }
    a->entry[a->n++] = *entry;
    return 0;
}


const struct gw_allow_entry *
gw_allow_match_host(const struct gw_allow *a, const char *host,
    unsigned port)
{
    struct sockaddr_storage ss;
    struct norm_addr want, have;
    char name[GW_ALLOW_HOST_MAX + 2];
    size_t len;
    unsigned i;
    int is_ip;

    if (a == NULL || host == NULL || port < 1 || port > 65535) {
        return NULL;
    }
    len = strlen(host);
    if (len == 0 || len > GW_ALLOW_HOST_MAX + 1) {
        return NULL;
    }
    memcpy(name, host, len + 1);
    /* Tolerate brackets in case a caller passes them through. */
    if (name[0] == '[' && len >= 2 && name[len - 1] == ']') {
        memmove(name, name + 1, len - 2);
        len -= 2;
        name[len] = '\0';
    }

    is_ip = parse_ip(name, (uint16_t) port, &ss);
    if (is_ip) {
        if (normalize((const struct sockaddr *) &ss, &want) != 0) {
            return NULL;
        }
    } else if (len > 1 && name[len - 1] == '.') {
        name[--len] = '\0';
    }

    for (i = 0; i < a->n; i++) {
        const struct gw_allow_entry *e = &a->entry[i];

        if (e->port != port || e->is_ip != is_ip) {
            continue;
        }
        if (!is_ip) {
            if (strcasecmp(e->host, name) == 0) {
                return e;
            }
            continue;
        }
        if (normalize((const struct sockaddr *) &e->addr, &have) == 0
            && have.family == want.family
            && memcmp(have.a, want.a, 16) == 0)
        {
            return e;
        }
    }
    return NULL;
}


int
gw_allow_match_addr(const struct gw_allow_entry *e,
    const struct sockaddr *sa)
{
    struct norm_addr got, have;

    if (e == NULL || sa == NULL || normalize(sa, &got) != 0) {
        return 0;
    }
    if (got.port != e->port) {
        return 0;
    }
    if (!e->is_ip) {
        /* The address came from resolving this entry's own name. */
        return 1;
    }
    if (normalize((const struct sockaddr *) &e->addr, &have) != 0) {
        return 0;
    }
    return have.family == got.family && memcmp(have.a, got.a, 16) == 0;
}


/*
 * Special address ranges (see allow.h): a name entry's answers may not
 * lie here unless an IP-literal entry names the address.  Sources:
 * RFC 6890 (special-purpose registries), RFC 3927 and RFC 4291 2.5.6
 * (link-local), the cloud providers' documented metadata endpoints
 * (169.254.169.254 is inside the link-local /16 anyway; AWS's IPv6
 * fd00:ec2::254; Alibaba's 100.100.100.200).
 */
static const struct {
    const char *prefix;
    const char *name;
} special_ranges[] = {
    { "0.0.0.0/8", "this network" },
    { "127.0.0.0/8", "loopback" },
    { "169.254.169.254/32", "cloud metadata" },
    { "169.254.0.0/16", "link-local" },
    { "100.100.100.200/32", "cloud metadata" },
    { "224.0.0.0/4", "multicast" },
    { "240.0.0.0/4", "reserved" },
    { "::/128", "unspecified" },
    { "::1/128", "loopback" },
    { "::/96", "IPv4-compatible" },
    { "fe80::/10", "link-local" },
    { "fd00:ec2::254/128", "cloud metadata" },
    { "ff00::/8", "multicast" },
};

#define N_SPECIAL (sizeof(special_ranges) / sizeof(special_ranges[0]))


/* Looks (family, a) up in special_ranges: the name or NULL. */
static const char *
special_lookup(int family, const uint8_t *a)
{
    struct gw_cidr p;
    unsigned i;

    for (i = 0; i < N_SPECIAL; i++) {
        /* The table is constant and tested; a parse failure is a bug
         * that tests/unit/gateway/test_allow.c catches. */
        if (gw_cidr_parse(special_ranges[i].prefix, &p, NULL) == 0
            && gw_cidr_contains(&p, family, a))
        {
            return special_ranges[i].name;
        }
    }
    return NULL;
}


const char *
gw_allow_special(const struct sockaddr *sa)
{
    static const uint8_t nat64[12] = {
        0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0
    };
    uint8_t a[16];
    int family;

    if (gw_cidr_norm(sa, &family, a) != 0) {
        return "not an IP address";
    }
    if (family == AF_INET6 && memcmp(a, nat64, 12) == 0) {
        /* 64:ff9b::a.b.c.d reaches a.b.c.d through a NAT64. */
        memmove(a, a + 12, 4);
        memset(a + 4, 0, 12);
        family = AF_INET;
    }
    return special_lookup(family, a);
}


int
gw_allow_connect_ok(const struct gw_allow *a, const struct gw_allow_entry *e,
    const struct sockaddr *sa, const char **why)
{
    const char *dummy, *special;
    unsigned i;

    if (why == NULL) {
        why = &dummy;
    }
    if (!gw_allow_match_addr(e, sa)) {
        *why = "address not allowed for this host";
        return 0;
    }
    special = gw_allow_special(sa);
    if (special == NULL || e->is_ip) {
        /* An IP-literal entry names this very address (match_addr). */
        return 1;
    }
    for (i = 0; a != NULL && i < a->n; i++) {
        if (a->entry[i].is_ip && gw_allow_match_addr(&a->entry[i], sa)) {
            return 1;
        }
    }
    *why = special;
    return 0;
}
