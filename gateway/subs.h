/*
 * gateway/subs.h - the subscriber table for header enrichment: which
 * MSISDN and IMSI sit behind a handset's IP address (v4 or v6).
 *
 * Two layers, looked up on every upstream request:
 *   - learned: from RADIUS accounting (radius_srv.c), changed one entry at
 *     a time, persisted by subs_db.c;
 *   - map: the static CSV file of [enrichment] map, built whole and
 *     swapped in on SIGHUP (a bad file keeps the old map).
 * A learned entry wins over a map entry for the same address.
 *
 * A key is a prefix: a host address (/32, /128) or, for IPv6, the prefix
 * RADIUS gives in Framed-IPv6-Prefix (a handset picks its address inside
 * its /64).  Lookup is a hash probe per prefix length in use, longest
 * first: one probe for a table of host addresses, two for a mix of /128
 * and /64 entries.  IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are
 * looked up as IPv4.
 *
 * Pure code: no libuv, no SQLite, no clock (callers pass "now" as Unix
 * seconds).  The CSV loader reads a file with stdio, like config.c.
 *
 * Caps: each table holds at most max entries (a put past it fails with
 * WSPGW_ENOSPC); texts are bounded (GW_SUBS_*_MAX) and validated: an
 * MSISDN is an optional "+" and 1-20 digits, an IMSI 6-15 digits, so
 * nothing that reaches an HTTP header can carry CR, LF or a comma.
 */
#ifndef WSPGW_GATEWAY_SUBS_H
#define WSPGW_GATEWAY_SUBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define GW_SUBS_MSISDN_MAX 21       /* "+" and 20 digits (E.164: 15) */
#define GW_SUBS_IMSI_MAX 15         /* TS 23.003 2.2: at most 15 digits */
#define GW_SUBS_SESSION_MAX 64      /* Acct-Session-Id as received */
#define GW_SUBS_KEY_TEXT_MAX 48     /* "ffff:...:ffff/128" */
#define GW_SUBS_CSV_LINE_MAX 512

enum gw_subs_source {
    GW_SUBS_SRC_MAP = 1,            /* [enrichment] map */
    GW_SUBS_SRC_RADIUS = 2          /* RADIUS accounting */
};

/* An IPv4 or IPv6 prefix; ip holds the address with the bits past plen
 * cleared (IPv4 in the first 4 octets, the rest zero). */
struct gw_subs_key {
    uint8_t family;                 /* 4 or 6 */
    uint8_t plen;                   /* 0..32 or 0..128 */
    uint8_t ip[16];
};

struct gw_subscriber {
    struct gw_subs_key key;
    char msisdn[GW_SUBS_MSISDN_MAX + 1];
    char imsi[GW_SUBS_IMSI_MAX + 1];        /* "" unknown */
    char session[GW_SUBS_SESSION_MAX + 1];  /* Acct-Session-Id, "" none */
    char nas[GW_SUBS_KEY_TEXT_MAX];         /* NAS address, "" none */
    int source;                             /* GW_SUBS_SRC_* */
    int64_t updated;                        /* Unix seconds */
};

struct gw_subs_tab;

/* A table of at most max entries (>= 1); seed varies the hash.  Returns
 * NULL on out-of-memory. */
struct gw_subs_tab *gw_subs_tab_new(unsigned max, uint32_t seed);
void gw_subs_tab_free(struct gw_subs_tab *t);
unsigned gw_subs_tab_count(const struct gw_subs_tab *t);

/*
 * Inserts s (copied) or replaces the entry with the same key.  *old (may
 * be NULL) receives the replaced entry and *replaced (may be NULL) says
 * whether there was one.  Returns 0, WSPGW_ENOSPC (table full: nothing
 * changed) or WSPGW_ENOMEM.
 */
int gw_subs_tab_put(struct gw_subs_tab *t, const struct gw_subscriber *s,
    struct gw_subscriber *old, int *replaced);

/* Removes the entry with exactly key k.  Returns 0 (the removed entry in
 * *old when not NULL) or WSPGW_ENOENT. */
int gw_subs_tab_del(struct gw_subs_tab *t, const struct gw_subs_key *k,
    struct gw_subscriber *old);

/* The entry with exactly key k, or NULL.  Valid until the next change. */
const struct gw_subscriber *gw_subs_tab_get(const struct gw_subs_tab *t,
    const struct gw_subs_key *k);

/* The longest-prefix entry covering the address (family 4 or 6, ip of 4
 * or 16 octets), or NULL.  Valid until the next change. */
const struct gw_subscriber *gw_subs_tab_lookup(const struct gw_subs_tab *t,
    int family, const uint8_t *ip);

/* Calls fn for each entry (in no order); fn must not change t. */
void gw_subs_tab_foreach(const struct gw_subs_tab *t,
    void (*fn)(void *ctx, const struct gw_subscriber *s), void *ctx);

/* Removes every entry whose nas equals nas (Accounting-On/Off from that
 * NAS), or every entry when nas is NULL.  Returns how many went. */
unsigned gw_subs_tab_clear_nas(struct gw_subs_tab *t, const char *nas);

/* ---- Keys and values -------------------------------------------------- */

/*
 * Parses "192.0.2.1", "2001:db8::1", "2001:db8:1:2::/64" or
 * "192.0.2.0/24" into k (host bits must be zero in a prefix).  Returns 0
 * or WSPGW_EINVAL.
 */
int gw_subs_key_parse(const char *text, struct gw_subs_key *k);

/* Makes a key from an address (a host key: /32 or /128; v4-mapped IPv6
 * becomes IPv4) or from an IPv6 prefix. */
void gw_subs_key_from_ip(struct gw_subs_key *k, int family,
    const uint8_t *ip);
void gw_subs_key_from_prefix(struct gw_subs_key *k, const uint8_t ip[16],
    unsigned plen);

/* Writes "192.0.2.1" for a host key, "2001:db8::/64" for a prefix. */
void gw_subs_key_text(const struct gw_subs_key *k, char *out, size_t outlen);

/* Whether the text is an acceptable MSISDN / IMSI (see the top). */
int gw_subs_msisdn_ok(const char *s);
int gw_subs_imsi_ok(const char *s);

/* ---- The static map ----------------------------------------------------- */

/*
 * Parses one CSV line "ip,msisdn,imsi" (the imsi field may be empty or
 * missing; blanks around fields are ignored) into out.  Returns 0 or
 * WSPGW_EINVAL with a static reason in *why.
 */
int gw_subs_csv_line(const char *line, struct gw_subscriber *out,
    const char **why);

/*
 * Reads the map file into a new table (at most max entries).  Lines:
 * "ip,msisdn,imsi"; blank lines and lines starting with # or ; are
 * ignored, and so is a first line "ip,msisdn,imsi" (a header).  The file
 * is refused as a whole at the first bad line, a duplicate address, a
 * line over GW_SUBS_CSV_LINE_MAX or more than max entries: *out stays
 * NULL and err gets "FILE:LINE: reason".  now stamps the entries.
 * Returns 0, -1 (err set) or WSPGW_ENOMEM.
 */
int gw_subs_load_csv(const char *path, unsigned max, uint32_t seed,
    int64_t now, struct gw_subs_tab **out, char *err, size_t errlen);

/* ---- Applying RADIUS accounting ---------------------------------------- */

enum gw_subs_op {
    GW_SUBS_OP_NONE = 0,    /* nothing changed */
    GW_SUBS_OP_PUT,         /* s was inserted or replaced */
    GW_SUBS_OP_DEL,         /* the entry s was removed */
    GW_SUBS_OP_CLEAR_NAS    /* every entry of NAS s.nas was removed */
};

struct gw_subs_change {
    enum gw_subs_op op;
    struct gw_subscriber s;
    int replaced;           /* PUT over an entry of another MSISDN */
    unsigned cleared;       /* CLEAR_NAS: entries removed */
    const char *why;        /* NONE: the reason, static text */
};

/*
 * Applies one accounting record to the learned table t (RFC 2866 5.1):
 *   Start: maps key to s (a reused address is taken over);
 *   Interim-Update: the same (Starts get lost; an unknown address is
 *     mapped from the interim);
 *   Stop: removes the entry of key only when it still belongs to that
 *     session (same Acct-Session-Id, or same MSISDN when either side has
 *     no session id);
 *   Accounting-On/Off: the NAS restarted: its entries go (s->nas).
 * s carries key, msisdn, imsi, session, nas and updated; its source is
 * set here.  *chg says what happened, for persistence and counters.
 * Returns 0, WSPGW_EINVAL (bad MSISDN/IMSI or an unknown status:
 * nothing changed), WSPGW_ENOSPC or WSPGW_ENOMEM.
 */
int gw_subs_apply_acct(struct gw_subs_tab *t, unsigned status,
    const struct gw_subscriber *s, struct gw_subs_change *chg);

/* ---- Both layers ----------------------------------------------------- */

/*
 * The subscriber behind address sa (its port is ignored): the learned
 * entry if any, else the map's.  Either table may be NULL.  Returns NULL
 * when nobody is known.
 */
const struct gw_subscriber *gw_subs_lookup(const struct gw_subs_tab *learned,
    const struct gw_subs_tab *map, const struct sockaddr *sa);

#endif /* WSPGW_GATEWAY_SUBS_H */
