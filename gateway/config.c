/*
 * gateway/config.c - the configuration key table, parsing and validation.
 *
 * One row per key.  The row's parser turns text into the field, and the
 * same parser applied to the row's default text gives the defaults, so a
 * default is written down exactly once.  gw_config_print_keys() prints
 * the table the README quotes; tests/unit/gateway/test_config.c checks
 * the README against it.
 *
 * libinih (Debian 12's build) does not pass line numbers to the handler
 * (INI_HANDLER_LINENO is 0), so the file is fed through a reader that
 * counts lines itself; the handler runs right after its line was read.
 * The reader also rejects lines longer than libinih's 200-character
 * buffer instead of letting libinih split them silently.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "wspgw/err.h"
#include "wspgw/log.h"
#include "config.h"
#include "wmlc.h"

/* libinih's line buffer (INI_MAX_LINE in the Debian build). */
#define INI_LINE_MAX 200

struct key_row;

typedef int (*parse_fn)(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen);

struct key_row {
    const char *section;
    const char *key;
    const char *type;
    const char *def;        /* default as text; parsed at startup */
    const char *unit;
    const char *empty;      /* what an empty value means */
    int reload;             /* 1: takes effect on SIGHUP */
    int list;               /* 1: comma list, may repeat */
    parse_fn parse;
    const char *doc;
    /* For the generic number parsers: where, and the allowed range. */
    size_t off;
    unsigned long lo, hi;
};

static int parse_bind(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_port(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_path(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_level(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_uint(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_size(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_ms64(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_bool(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);

#define OFF(field) offsetof(struct gw_config, field)

static void derive(struct gw_config *c);
static int parse_allow(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_listen(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_redirect(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_header_name(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_push_listen(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
/* WML to WMLC (issue 4) */
static int parse_compile_wml(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_client_acl(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_mmsc_url(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_short_url(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_map_url(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_mmsc_proxy(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
/* [enrichment] parsers (issue 5). */
static int parse_enrich_str(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_enrich_addr(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_enrich_names(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_enrich_name(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_enrich_hosts(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
/* push delivery (h/deliver) */
static int parse_text(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);
static int parse_push_enum(struct gw_config *, const struct key_row *,
    const char *, char *, size_t);

/*
 * The key table.  Keep it in README order.  Names are a contract with
 * operators' files and outside tools: never rename a key.
 */
static const struct key_row keys[] = {
    { "gateway", "bind", "address list", "", "",
      "all addresses of both families (0.0.0.0 and ::)", 0, 1, parse_bind,
      "IPv4/IPv6 literals to listen on, comma-separated; the key may "
      "repeat", 0, 0, 0 },
    { "gateway", "wsp-port", "port", "9200", "",
      "not allowed", 0, 0, parse_port,
      "UDP port for connectionless WSP", 0, 0, 0 },
    { "gateway", "wtp-port", "port", "9201", "",
      "not allowed", 0, 0, parse_port,
      "UDP port for WTP and connection-oriented WSP", 0, 0, 0 },
    { "gateway", "access-log", "path", "", "",
      "off", 1, 0, parse_path,
      "one line per request (client, method, URL, status, bytes, "
      "duration); \"-\" writes to stderr; reopened on SIGHUP", 0, 0, 0 },
    { "gateway", "log-level", "enum", "info", "",
      "not allowed", 1, 0, parse_level,
      "error, warn, info or debug", 0, 0, 0 },
    { "gateway", "max-requests", "integer", "1024", "requests",
      "not allowed", 1, 0, parse_uint,
      "connectionless requests in flight at once (1-65536); beyond it "
      "new requests get 503", OFF(max_requests), 1, 65536 },
    { "upstream", "allow", "host:port list", "", "",
      "no upstream is reachable", 1, 1, parse_allow,
      "the only host:port pairs the gateway may connect to ([v6]:port "
      "for IPv6), checked after [mmsc] mapping, on every redirect hop "
      "and on the address connected to; a host name's addresses may not "
      "be loopback, link-local, cloud metadata, multicast or reserved "
      "unless an IP entry names that address and port too "
      "(localhost:8081 needs 127.0.0.1:8081); comma-separated, the key "
      "may repeat", 0, 0, 0 },
    { "upstream", "timeout", "integer", "30", "seconds",
      "not allowed", 1, 0, parse_uint,
      "limit on a whole upstream HTTP exchange (1-3600); past it the "
      "handset gets 504", OFF(timeout_s), 1, 3600 },
    { "upstream", "follow-redirects", "boolean", "no", "",
      "not allowed", 1, 0, parse_bool,
      "follow an upstream 301, 302, 303, 307 or 308 to its Location when "
      "that is in the allow list too (each hop checked like a new "
      "request; 303, and a POST on 301/302, become a GET without the "
      "body); no: the handset gets the 3xx with its Location. A Location "
      "outside the allow list, or past max-redirects, always reaches the "
      "handset as the 3xx", OFF(follow_redirects), 0, 1 },
    { "upstream", "max-redirects", "integer", "5", "hops",
      "not allowed", 1, 0, parse_uint,
      "redirects followed for one request when follow-redirects is on "
      "(1-20); the 3xx after the last is handed to the handset",
      OFF(max_redirects), 1, 20 },
    { "upstream", "via", "boolean", "yes", "",
      "not allowed", 1, 0, parse_bool,
      "add \"1.1 wspgw\" to the Via header of every upstream request "
      "(RFC 9110 7.6.3), after the handset's own Via if it sent one",
      OFF(via), 0, 1 },
    { "upstream", "client-ip-header", "header name",
      "X-WAP-Network-Client-IP", "",
      "no client address is sent", 1, 0, parse_header_name,
      "request header that carries the handset's IP address upstream "
      "(X-WAP-Network-Client-IP or X-Forwarded-For, as the origin "
      "expects); a handset's own header of this name, X-Forwarded-For "
      "and X-WAP-Network-Client-IP are always removed first",
      0, 0, 0 },
    /* WML to WMLC (issue 4) */
    { "upstream", "compile-wml", "enum", "auto", "",
      "not allowed", 1, 0, parse_compile_wml,
      "compile text/vnd.wap.wml responses to application/vnd.wap.wmlc: "
      "auto for handsets whose Accept lists WMLC but not WML (nor `text/*` "
      "or `*/*`) with q>0, and for handsets that send no Accept at all; "
      "always for every handset; never passes WML unchanged. A deck that "
      "does not compile reaches the handset as a 502 with a WMLC error "
      "deck saying why", 0, 0, 0 },
    /* ---- routing (issue 5): client ACL and [mmsc] mapping ---- */
    { "gateway", "allow-client", "prefix list", "", "",
      "every client", 1, 1, parse_client_acl,
      "IPv4/IPv6 addresses or CIDR prefixes (10.0.0.0/8, 2001:db8::/32) "
      "whose datagrams are served on both UDP ports; others are dropped "
      "unanswered before any parsing and counted "
      "(wspgw_clients_denied_total). At most 64; comma-separated, the "
      "key may repeat", 0, 0, 0 },
    { "gateway", "deny-client", "prefix list", "", "",
      "nobody is denied", 1, 1, parse_client_acl,
      "addresses or CIDR prefixes whose datagrams are dropped unanswered "
      "(no reply, so a spoofed source cannot turn the gateway into an "
      "amplifier); wins over allow-client. At most 64; comma-separated, "
      "the key may repeat", 0, 0, 0 },
    { "mmsc", "url", "URL", "", "",
      "no MMSC: short-url and the proxy are unused", 1, 0, parse_mmsc_url,
      "the MMSC URL handsets are provisioned with (http:// or https://); "
      "requests to its scheme and host are MMSC traffic (they use "
      "[mmsc] proxy), and short URLs (short-url) become this URL; "
      "map-url says where it really goes", 0, 0, 0 },
    { "mmsc", "short-url", "name list", "", "",
      "only url's own host", 1, 1, parse_short_url,
      "host names handsets were provisioned with instead of a URL "
      "(mms, mms.operator): a request for exactly NAME or http://NAME "
      "(nothing after it) goes to url; url's own host counts too. At "
      "most 16; comma-separated, the key may repeat", 0, 0, 0 },
    { "mmsc", "map-url", "rule", "", "",
      "no rewriting", 1, 1, parse_map_url,
      "\"SOURCE DESTINATION\" (Kannel's map-url): a request URL equal to "
      "SOURCE is fetched from DESTINATION; SOURCE ending in `*` is a "
      "prefix, and a DESTINATION ending in `*` gets what followed the "
      "prefix appended verbatim (`http://mms/* http://10.1.1.1:8002/mms/*`). "
      "Scheme and host compare case-insensitively, the path exactly (a "
      "trailing / matters). One rule per line, the key repeats, first "
      "match wins, at most 32; the result must pass [upstream] allow",
      0, 0, 0 },
    { "mmsc", "proxy", "host:port", "", "",
      "MMSC traffic goes direct", 1, 0, parse_mmsc_proxy,
      "HTTP proxy for MMSC traffic (see url). The gateway first checks "
      "the request's host:port against [upstream] allow and resolves the "
      "host itself, refusing special addresses as on a direct "
      "connection; only then is the request handed to the proxy", 0, 0,
      0 },
    /* ---- end routing ---- */
    { "wtp", "ack-interval", "integer", "2000", "ms",
      "not allowed", 1, 0, parse_uint,
      "timer A: how long a class 2 result may take before a hold-on Ack; also the delay before acking a class 1 invoke", OFF(wtp.ack_interval_ms), 100, 60000UL },
    { "wtp", "retry-initial", "integer", "2000", "ms",
      "not allowed", 1, 0, parse_uint,
      "retransmission timeout toward a peer before its round trip was measured", OFF(wtp.retry_init_ms), 100, 60000UL },
    { "wtp", "retry-min", "integer", "1000", "ms",
      "not allowed", 1, 0, parse_uint,
      "floor of the adaptive retransmission timeout (RFC 6298 style, per peer)", OFF(wtp.retry_min_ms), 50, 60000UL },
    { "wtp", "retry-max", "integer", "8000", "ms",
      "not allowed", 1, 0, parse_uint,
      "ceiling of the adaptive retransmission timeout", OFF(wtp.retry_max_ms), 100, 120000UL },
    { "wtp", "wait-timeout", "integer", "30000", "ms",
      "not allowed", 1, 0, parse_uint,
      "timer W: how long a finished transaction is remembered for retransmissions, and how long an incomplete segmented message waits for its missing packets", OFF(wtp.wait_timeout_ms), 1000, 600000UL },
    { "wtp", "max-retransmissions", "integer", "12", "count",
      "not allowed", 1, 0, parse_uint,
      "retransmissions of a Result or Invoke before Abort NORESPONSE", OFF(wtp.max_retransmissions), 1, 100UL },
    { "wtp", "max-ack-expirations", "integer", "", "count",
      "derived: enough to outlast upstream.timeout + 5 s", 1, 0, parse_uint,
      "hold-on Acks before a class 2 transaction is aborted; ack-interval x max-ack-expirations must exceed the upstream timeout so the handset gets the 504 rather than an abort", OFF(wtp.max_ack_expirations), 1, 1000UL },
    { "wtp", "segment-size", "integer", "1400", "octets",
      "not allowed", 1, 0, parse_uint,
      "user data per outgoing WTP packet when a Result is segmented (Kannel's fakewap refuses more than 1500)", OFF(wtp.segment_size), 128, 32000UL },
    { "wtp", "group-size", "integer", "3", "packets",
      "not allowed", 1, 0, parse_uint,
      "outgoing packets per SAR group (a smaller Maximum Group from the peer wins)", OFF(wtp.group_size), 1, 255UL },
    { "wtp", "max-message", "integer", "1048576", "octets",
      "not allowed", 1, 0, parse_size,
      "largest message one WTP transaction may carry either way (Invoke reassembled, or Result); larger gets Abort MESSAGETOOLARGE, or a 502 Reply for a response", OFF(wtp.max_message), 1024, 16777216UL },
    { "wtp", "max-reassembly-per-peer", "integer", "2097152", "octets",
      "not allowed", 1, 0, parse_size,
      "octets being reassembled for one peer at once", OFF(wtp.max_reassembly_per_peer), 1024, 268435456UL },
    { "wtp", "max-reassembly", "integer", "67108864", "octets",
      "not allowed", 1, 0, parse_size,
      "octets being reassembled for all peers at once", OFF(wtp.max_reassembly_total), 1024, 4294967295UL },
    { "wtp", "max-transactions-per-peer", "integer", "32", "transactions",
      "not allowed", 1, 0, parse_uint,
      "open transactions per peer; more get Abort CAPTEMPEXCEEDED", OFF(wtp.max_txn_per_peer), 1, 65536UL },
    { "wtp", "max-transactions", "integer", "20000", "transactions",
      "not allowed", 1, 0, parse_uint,
      "open transactions in all; more get Abort CAPTEMPEXCEEDED", OFF(wtp.max_txn_total), 1, 1000000UL },
    { "wtp", "max-peers", "integer", "65536", "peers",
      "not allowed", 1, 0, parse_uint,
      "TID cache entries (least recently used evicted)", OFF(wtp.max_peers), 16, 4000000UL },
    { "wtp", "max-packet-lifetime", "integer", "30000", "ms",
      "not allowed", 1, 0, parse_uint,
      "for this long after the first datagram on the WTP port (the core has no clock until then), and after a TID cache entry was evicted, invokes from unknown peers are TID-verified (WAP-224 7.8.2.2)", OFF(wtp.mpl_ms), 0, 600000UL },
    { "wtp", "concatenate", "boolean", "no", "",
      "not allowed", 1, 0, parse_bool,
      "send PDUs due for one handset at the same moment (hold-on Acks of several requests, an Ack and an Abort, a group of small segments) in one datagram (WAP-224 8.5). Off by default: separating them is mandatory for every WTP receiver, but Kannel never sends them, so old handsets rarely had that code exercised and a bug there loses whole transactions, for the saving of a few datagrams", OFF(wtp.concatenate), 0, 1 },
    { "wtp", "max-datagram", "integer", "1500", "octets",
      "not allowed", 1, 0, parse_uint,
      "largest datagram that concatenation builds; a single PDU is never split and may be larger (segment-size plus its header)", OFF(wtp.max_datagram), 128, 65507UL },
    { "wsp", "server-sdu", "integer", "1048576", "octets",
      "not allowed", 0, 0, parse_uint,
      "Server-SDU-Size offered at Connect: the largest request accepted", OFF(wsp.server_sdu), 1400, 16777216UL },
    { "wsp", "method-mor", "integer", "4", "requests",
      "not allowed", 0, 0, parse_uint,
      "outstanding methods per session offered at Connect", OFF(wsp.method_mor), 1, 255UL },
    { "wsp", "push-mor", "integer", "1", "pushes",
      "not allowed", 0, 0, parse_uint,
      "outstanding pushes per session offered at Connect", OFF(wsp.push_mor), 1, 255UL },
    { "wsp", "max-sessions", "integer", "10000", "sessions",
      "not allowed", 0, 0, parse_uint,
      "sessions at once; one more Connect gets Abort CONGESTION", OFF(wsp.max_sessions), 1, 1000000UL },
    { "wsp", "session-headers-max", "integer", "2048", "octets",
      "not allowed", 0, 0, parse_size,
      "Connect headers kept per session and added to each request", OFF(wsp.max_session_headers), 0, 65536UL },
    { "wsp", "session-idle-timeout", "integer", "600000", "ms",
      "not allowed", 0, 0, parse_ms64,
      "a session with no activity for this long is forgotten", OFF(wsp.idle_timeout_ms), 1000, 86400000UL },
    { "wsp", "resume", "boolean", "yes", "",
      "not allowed", 0, 0, parse_bool,
      "offer Session Resume (Suspend/Resume, also from a new address)",
      OFF(wsp.resume), 0, 1 },
    { "wsp", "redirect", "address list", "", "",
      "no redirect: Connects get a session", 0, 1, parse_redirect,
      "answer every WSP Connect with a Redirect PDU (WAP-230 8.2.2.3) "
      "listing these IP:port or [IPv6]:port addresses, in order (at most "
      "8, IP literals only); no session is made; comma-separated, the key "
      "may repeat", 0, 0, 0 },
    { "wsp", "redirect-permanent", "boolean", "no", "",
      "not allowed", 0, 0, parse_bool,
      "mark the Redirect permanent (the phone may use the new address "
      "from then on) rather than for this session only",
      OFF(wsp.redirect_permanent), 0, 1 },
    /* ---- confirmed push into WSP sessions (issue 6) ---- */
    { "wsp", "push", "boolean", "yes", "",
      "not allowed", 0, 0, parse_bool,
      "offer the Push and Confirmed Push facilities at Connect (agreed "
      "only when the phone proposes them); a PAP push to the IP address "
      "of a phone whose session agreed Confirmed Push is then delivered "
      "into that session and counts as delivered only when the phone "
      "acknowledges it; push-mor caps the pushes outstanding",
      OFF(wsp.push), 0, 1 },
    /* ---- cookie jar per WSP session (issue 4) ---- */
    { "wsp", "cookie-jar", "boolean", "no", "",
      "not allowed", 1, 0, parse_bool,
      "keep the cookies upstreams set (Set-Cookie, also on followed "
      "redirects) in a jar per WSP session and send them with the "
      "session's later requests, for handsets without cookie support; the "
      "handset's own Cookie header wins by name, and Set-Cookie still "
      "reaches the handset unchanged. Sessions only (port 9201): "
      "connectionless requests have no session and get no jar. The jar "
      "is freed when the session ends (Disconnect, abort, idle timeout). "
      "Turned off by a reload: jars stop being used and go with their "
      "sessions",
      OFF(cookie_jar), 0, 1 },
    { "wsp", "cookie-jar-max-cookies", "integer", "32", "cookies",
      "not allowed", 1, 0, parse_uint,
      "cookies kept per session (1-1000); a new one evicts expired "
      "cookies first, then the least recently set. A reload applies to "
      "jars made afterwards",
      OFF(cookie_jar_max_cookies), 1, 1000UL },
    { "wsp", "cookie-jar-max-bytes", "integer", "8192", "octets",
      "not allowed", 1, 0, parse_size,
      "octets of cookies (names, values, domains, paths) kept per session "
      "(512-1048576); one cookie's name and value may take at most 4096 "
      "of them. Worst case memory: max-sessions times this. A reload "
      "applies to jars made afterwards",
      OFF(cookie_jar_max_bytes), 512, 1048576UL },
    /* ---- end cookie jar ---- */
    { "admin", "listen", "host:port", "127.0.0.1:13000", "",
      "admin HTTP off", 0, 0, parse_listen,
      "admin HTTP listener (GET /health, /metrics)", 0, 0, 0 },
    /* [mmsc], MM1 awareness (issue 5): limits on MMS uploads. */
    { "mmsc", "max-message-size", "integer", "0", "octets",
      "not allowed", 1, 0, parse_size,
      "largest MMS upload (a Post with Content-Type application/vnd.wap."
      "mms-message, measured after WTP reassembly) sent on to the MMSC; a "
      "larger m-send-req is answered at once with an m-send-conf "
      "error-permanent-content-not-accepted (other MMS PDUs: 413), no "
      "upstream connection is made. 0: no MMS-specific limit (wtp."
      "max-message and wsp.server-sdu still apply); 307200 is the OMA "
      "content-rich limit", OFF(mms_max_size), 0, 16777216UL },
    { "mmsc", "send-rate", "integer", "0", "messages per minute",
      "not allowed", 1, 0, parse_uint,
      "per-subscriber limit on m-send-req (token bucket by MSISDN when the "
      "gateway knows it, else by the handset's IP address): tokens gained "
      "a minute (0-6000); past it the handset gets an m-send-conf "
      "error-transient-failure saying when to try again. 0: off",
      OFF(mms_send_rate), 0, 6000UL },
    { "mmsc", "send-burst", "integer", "5", "messages",
      "not allowed", 1, 0, parse_uint,
      "m-send-req a subscriber may send at once before send-rate applies "
      "(1-1000)", OFF(mms_send_burst), 1, 1000UL },
    { "mmsc", "rate-limit-entries", "integer", "65536", "subscribers",
      "not allowed", 1, 0, parse_uint,
      "subscribers the rate limit remembers (16-4000000, about 100 octets "
      "each); a new one beyond it evicts the least recently seen (counted "
      "in wspgw_mms_rate_evictions_total). A changed value starts an empty "
      "table", OFF(mms_rate_entries), 16, 4000000UL },
    /* ---- [enrichment]: header enrichment (issue 5) ----
     * For the string parsers of this block, hi is the field's size. */
    { "enrichment", "map", "path", "", "",
      "no static map", 1, 0, parse_enrich_str,
      "CSV file of ip,msisdn,imsi lines (ip may be an IPv6 prefix such as "
      "2001:db8:1:2::/64; imsi may be empty; # and ; start comment "
      "lines): the subscribers behind handset addresses. Re-read on every "
      "SIGHUP and swapped in whole; a bad line refuses the file "
      "(FILE:LINE in the log) and the previous map stays",
      OFF(enrich_map), 0, sizeof(((struct gw_config *) 0)->enrich_map) },
    { "enrichment", "radius-acct", "host:port", "", "",
      "no RADIUS listener", 0, 0, parse_enrich_addr,
      "UDP address (IP literal) of the RADIUS accounting listener (RFC "
      "2866): Start and Interim-Update map Framed-IP-Address (or "
      "Framed-IPv6-Prefix) to Calling-Station-Id and 3GPP-IMSI, Stop "
      "removes the mapping; these win over the map; needs radius-secret",
      OFF(radius_acct), 0, 0 },
    { "enrichment", "radius-secret", "string", "", "",
      "none (required with radius-acct)", 1, 0, parse_enrich_str,
      "RADIUS shared secret (at most 128 octets); requests whose "
      "authenticator does not verify are dropped and counted",
      OFF(radius_secret), 0,
      sizeof(((struct gw_config *) 0)->radius_secret) },
    { "enrichment", "msisdn-header", "header name list", "X-MSISDN", "",
      "no MSISDN header", 1, 0, parse_enrich_names,
      "request headers that carry the subscriber's MSISDN to the hosts "
      "below, comma-separated (at most 8; e.g. X-MSISDN, "
      "X-WAP-Network-Client-MSISDN, X-Up-Calling-Line-Id); a handset's own "
      "headers of these names are always removed", 0, 0, 0 },
    { "enrichment", "imsi-header", "header name", "X-IMSI", "",
      "no IMSI header", 1, 0, parse_enrich_name,
      "request header that carries the subscriber's IMSI (when known) to "
      "the hosts below; a handset's own header of this name is always "
      "removed", OFF(imsi_header), 0,
      sizeof(((struct gw_config *) 0)->imsi_header) },
    { "enrichment", "hosts", "host:port list", "", "",
      "no host gets enrichment headers", 1, 1, parse_enrich_hosts,
      "the upstream host:port pairs (as in the URL actually fetched, "
      "checked again on every redirect hop) that receive the MSISDN and "
      "IMSI headers; comma-separated, the key may repeat", 0, 0, 0 },
    { "enrichment", "state", "path", "", "",
      "RADIUS mappings are kept in memory only", 0, 0, parse_enrich_str,
      "SQLite file (WAL mode) where RADIUS-learned mappings persist: "
      "loaded at start, written through on every change",
      OFF(enrich_state), 0,
      sizeof(((struct gw_config *) 0)->enrich_state) },
    { "enrichment", "radius-forward", "host:port", "", "",
      "no forwarding", 0, 0, parse_enrich_addr,
      "operator RADIUS accounting server (IP literal:port) that gets a "
      "copy of every accepted accounting request (best effort: one "
      "datagram, no retransmission; the gateway answers the NAS itself)",
      OFF(radius_forward), 0, 0 },
    { "enrichment", "radius-forward-secret", "string", "", "",
      "the same secret as radius-secret (forwarded unchanged)", 1, 0,
      parse_enrich_str,
      "shared secret with the radius-forward server; when it differs "
      "from radius-secret the copy is re-signed (new Request "
      "Authenticator, Message-Authenticator removed)",
      OFF(radius_forward_secret), 0,
      sizeof(((struct gw_config *) 0)->radius_forward_secret) },
    { "enrichment", "max-subscribers", "integer", "1000000", "entries",
      "not allowed", 0, 0, parse_uint,
      "cap on the map's entries and, separately, on RADIUS-learned "
      "mappings (1-10000000); past it a new mapping is refused and "
      "logged", OFF(max_subscribers), 1, 10000000UL },
    /* ---- end [enrichment] ---- */
    /* ---- push delivery: [push] queue, [smsc] (issue 6, h/deliver) ---- */
    { "push", "queue", "path", "", "",
      "push delivery off (no queue, no SMSC connection)", 0, 0, parse_text,
      "the durable push queue: an SQLite file (WAL) created if missing. "
      "A push is committed here before it is accepted; after a crash "
      "every accepted push is still delivered or reported failed",
      OFF(push_queue), 0, sizeof(((struct gw_config *) 0)->push_queue) },
    { "push", "max-lifetime", "integer", "86400", "seconds",
      "not allowed", 1, 0, parse_uint,
      "how long a push without deliver-before is retried before it "
      "expires (60-2592000)", OFF(push_max_lifetime_s), 60, 2592000UL },
    { "push", "max-queued", "integer", "100000", "pushes",
      "not allowed", 1, 0, parse_uint,
      "pushes waiting or being delivered at once (1-10000000); more are "
      "refused (PAP 4001)", OFF(push_max_queued), 1, 10000000UL },
    { "push", "queue-sync", "enum", "full", "",
      "not allowed", 1, 0, parse_push_enum,
      "full: every commit is fsync'ed (an accepted push survives kill -9 "
      "and a power cut); normal: survives kill -9 of the gateway, but the "
      "last pushes may be lost if the machine goes down",
      OFF(push_queue_sync_full), 0, 0 },
    { "push", "keep-final", "integer", "86400", "seconds",
      "not allowed", 1, 0, parse_uint,
      "how long a delivered, expired, failed or cancelled push stays in "
      "the queue for status queries (60-2592000)",
      OFF(push_keep_final_s), 60, 2592000UL },
    { "push", "retry-min", "integer", "10", "seconds",
      "not allowed", 1, 0, parse_uint,
      "delay before the first retry of a push the SMSC refused for the "
      "time being; doubled at each attempt (1-3600)",
      OFF(push_retry_min_s), 1, 3600UL },
    { "push", "retry-max", "integer", "600", "seconds",
      "not allowed", 1, 0, parse_uint,
      "longest delay between two attempts of one push (1-86400)",
      OFF(push_retry_max_s), 1, 86400UL },
    /* ---- [push]: the PPG front end (issue 6, h/pap) ---- */
    { "push", "listen", "host:port", "", "",
      "no push listener", 0, 0, parse_push_listen,
      "Push Proxy Gateway HTTP listener: PAP on POST /wappush, the simple "
      "MMS notification on POST /mms-notify; users are the [push-user "
      "NAME] sections (needs push.queue)", 0, 0, 0 },
    { "push", "max-request", "integer", "262144", "octets",
      "not allowed", 1, 0, parse_size,
      "largest PAP or /mms-notify request body; larger gets 413",
      OFF(push_max_request), 1024, 16777216UL },
    { "push", "max-connections", "integer", "64", "connections",
      "not allowed", 1, 0, parse_uint,
      "push listener connections at once; more are closed at once",
      OFF(push_max_conns), 1, 4096 },
    { "push", "minimal-headers", "boolean", "no", "",
      "not allowed", 1, 0, parse_bool,
      "push PDUs carry only Content-Type and X-Wap-Application-Id (some "
      "handsets reject other push headers)", OFF(push_minimal_headers),
      0, 1 },
    /* ---- end PPG front end; push delivery continues ---- */
    { "smsc", "type", "enum", "smpp", "",
      "not allowed", 0, 0, parse_push_enum,
      "smpp: SMPP 3.4 over TCP; http: a Kannel-compatible sendsms URL "
      "(http://host:port/path?username=&password=&to=&udh=&text=&coding=1)",
      OFF(smsc_type), 0, 0 },
    { "smsc", "host", "host", "", "",
      "no SMSC: pushes to phone numbers fail", 0, 0, parse_text,
      "the SMSC's address (IP literal or host name)",
      OFF(smsc_host), 0, sizeof(((struct gw_config *) 0)->smsc_host) },
    { "smsc", "port", "integer", "2775", "-",
      "not allowed", 0, 0, parse_uint,
      "the SMSC's TCP port (1-65535)", OFF(smsc_port), 1, 65535UL },
    { "smsc", "system-id", "text", "", "",
      "empty system_id", 0, 0, parse_text,
      "SMPP system_id (at most 15 characters); the username for type http",
      OFF(smsc_system_id), 0,
      sizeof(((struct gw_config *) 0)->smsc_system_id) },
    { "smsc", "password", "text", "", "",
      "empty password", 0, 0, parse_text,
      "SMPP password (at most 8 characters); the password for type http",
      OFF(smsc_password), 0,
      sizeof(((struct gw_config *) 0)->smsc_password) },
    { "smsc", "system-type", "text", "", "",
      "empty system_type", 0, 0, parse_text,
      "SMPP system_type sent in the bind (at most 12 characters)",
      OFF(smsc_system_type), 0,
      sizeof(((struct gw_config *) 0)->smsc_system_type) },
    { "smsc", "bind", "enum", "transceiver", "",
      "not allowed", 0, 0, parse_push_enum,
      "transceiver (bind_transceiver: delivery receipts come back on the "
      "same connection) or transmitter (bind_transmitter: no receipts)",
      OFF(smsc_transceiver), 0, 0 },
    { "smsc", "source-addr", "text", "", "",
      "the SMSC chooses", 0, 0, parse_text,
      "source_addr of every submit_sm (at most 20 characters)",
      OFF(smsc_source_addr), 0,
      sizeof(((struct gw_config *) 0)->smsc_source_addr) },
    { "smsc", "source-ton", "integer", "0", "-",
      "not allowed", 0, 0, parse_uint,
      "source_addr_ton (0 unknown, 1 international, 5 alphanumeric, ...)",
      OFF(smsc_source_ton), 0, 6UL },
    { "smsc", "source-npi", "integer", "0", "-",
      "not allowed", 0, 0, parse_uint,
      "source_addr_npi (0 unknown, 1 E.164, ...)",
      OFF(smsc_source_npi), 0, 18UL },
    { "smsc", "window", "integer", "10", "submit_sm",
      "not allowed", 0, 0, parse_uint,
      "submit_sm sent and not yet answered at once (1-255); also the most "
      "SMS a crash can send twice", OFF(smsc_window), 1, 255UL },
    { "smsc", "throughput", "integer", "0", "SMS/second",
      "no limit", 0, 0, parse_uint,
      "most submit_sm per second (0-100000; 0: as fast as the window "
      "allows)", OFF(smsc_throughput), 0, 100000UL },
    { "smsc", "enquire-link", "integer", "30", "seconds",
      "not allowed", 0, 0, parse_uint,
      "enquire_link interval on an idle bound connection (5-3600)",
      OFF(smsc_enquire_link_s), 5, 3600UL },
    { "smsc", "response-timeout", "integer", "30", "seconds",
      "not allowed", 0, 0, parse_uint,
      "a request the SMSC has not answered for this long means the "
      "connection is dead: it is closed and the SMS are sent again "
      "(1-600)", OFF(smsc_response_timeout_s), 1, 600UL },
    { "smsc", "reconnect-max", "integer", "60", "seconds",
      "not allowed", 0, 0, parse_uint,
      "longest wait between two connection attempts (reconnects back off "
      "from 1 s, doubling; 1-3600)", OFF(smsc_reconnect_max_s), 1, 3600UL },
    { "smsc", "data-coding", "enum", "0x04", "",
      "not allowed", 0, 0, parse_push_enum,
      "data_coding of WAP push SMS: 0x04 (8-bit data, no message class; "
      "what most handsets expect) or 0xF5 (8-bit data, class 1, for "
      "handsets or SMSCs that want a message class)",
      OFF(smsc_data_coding), 0, 0 },
    { "smsc", "delivery-receipts", "boolean", "no", "",
      "not allowed", 0, 0, parse_bool,
      "ask for SMSC delivery receipts (registered_delivery 1) and report "
      "a push delivered only when every part's receipt says so; no: a "
      "push is delivered when the SMSC accepted every part",
      OFF(smsc_receipts), 0, 1 },
    { "smsc", "concat-ref-bits", "integer", "8", "bits",
      "not allowed", 0, 0, parse_uint,
      "concatenation reference of multi-part pushes: 8 (IE 0x00, 128 "
      "octets per part) or 16 (IE 0x08, 127 octets per part)",
      OFF(smsc_concat_ref_bits), 8, 16UL },
    { "smsc", "path", "text", "/cgi-bin/sendsms", "",
      "not allowed", 0, 0, parse_text,
      "type http: the sendsms path on host:port",
      OFF(smsc_path), 0, sizeof(((struct gw_config *) 0)->smsc_path) },
    /* ---- end push delivery ---- */
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))


static void set_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


static void
set_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}


/* push delivery (h/deliver): a text value into a char array of row->hi
 * octets (NUL included). */
static int
parse_text(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    size_t n = strlen(value);

    if (n >= row->hi) {
        set_why(why, whylen, "too long (at most %lu characters)",
            row->hi - 1);
        return -1;
    }
    memcpy((char *) c + row->off, value, n + 1);
    return 0;
}


/* push delivery (h/deliver): the enums of [push] and [smsc]. */
static int
parse_push_enum(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    static const struct {
        const char *key, *text;
        int v;
    } vals[] = {
        { "queue-sync", "full", 1 },
        { "queue-sync", "normal", 0 },
        { "type", "smpp", GW_SMSC_SMPP },
        { "type", "http", GW_SMSC_HTTP },
        { "bind", "transceiver", 1 },
        { "bind", "transmitter", 0 },
        { "data-coding", "0x04", 0x04 },
        { "data-coding", "4", 0x04 },
        { "data-coding", "0xf5", 0xf5 },
        { "data-coding", "245", 0xf5 },
    };
    unsigned i;

    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        if (strcmp(vals[i].key, row->key) == 0
            && strcasecmp(vals[i].text, value) == 0)
        {
            *(int *) ((char *) c + row->off) = vals[i].v;
            return 0;
        }
    }
    set_why(why, whylen, "unknown value \"%s\"", value);
    return -1;
}


static int
parse_ip_literal(const char *text, struct sockaddr_storage *ss)
{
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        return 0;
    }
    return -1;
}


/*
 * Splits a comma list in place-free fashion: calls fn for each trimmed,
 * non-empty item.  Stops at the first error.
 */
static int
each_item(const char *value, int (*fn)(struct gw_config *, const char *,
    char *, size_t), struct gw_config *c, char *why, size_t whylen)
{
    const char *p = value;

    while (*p != '\0') {
        const char *start, *end;
        char item[300];
        size_t n;
        int rc;

        while (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        start = p;
        while (*p != '\0' && *p != ',') {
            p++;
        }
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
        n = (size_t) (end - start);
        if (n >= sizeof(item)) {
            set_why(why, whylen, "list item too long: %.40s...", start);
            return -1;
        }
        memcpy(item, start, n);
        item[n] = '\0';
        rc = fn(c, item, why, whylen);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}


static int
add_bind(struct gw_config *c, const char *item, char *why, size_t whylen)
{
    char text[64];
    size_t n = strlen(item);
    unsigned i;
    struct gw_bind_addr *b;

    if (item[0] == '[' && n >= 2 && item[n - 1] == ']') {
        item++;
        n -= 2;
    }
    if (n >= sizeof(text)) {
        set_why(why, whylen, "not an IP address: %s", item);
        return -1;
    }
    memcpy(text, item, n);
    text[n] = '\0';
    if (c->n_bind >= GW_BIND_MAX) {
        snprintf(why, whylen, "too many bind addresses (at most %d)",
            GW_BIND_MAX);
        return -1;
    }
    b = &c->bind[c->n_bind];
    if (parse_ip_literal(text, &b->addr) != 0) {
        set_why(why, whylen,
            "not an IPv4 or IPv6 address (host names are not allowed "
            "here): %s", text);
        return -1;
    }
    for (i = 0; i < c->n_bind; i++) {
        if (strcmp(c->bind[i].text, text) == 0) {
            return 0;
        }
    }
    memcpy(b->text, text, n + 1);
    c->n_bind++;
    return 0;
}


static int
parse_bind(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    return each_item(value, add_bind, c, why, whylen);
}


static int
parse_number(const char *value, unsigned long lo, unsigned long hi,
    unsigned long *out, char *why, size_t whylen)
{
    char *end;
    unsigned long v;

    if (value[0] < '0' || value[0] > '9') {
        set_why(why, whylen, "not a number: \"%s\"", value);
        return -1;
    }
    errno = 0;
    v = strtoul(value, &end, 10);
    if (errno != 0 || *end != '\0') {
        set_why(why, whylen, "not a number: \"%s\"", value);
        return -1;
    }
    if (v < lo || v > hi) {
        snprintf(why, whylen, "%lu is out of range (%lu-%lu)", v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}


static int
parse_port(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    unsigned long v;

    if (parse_number(value, 1, 65535, &v, why, whylen) != 0) {
        return -1;
    }
    if (strcmp(row->key, "wsp-port") == 0) {
        c->wsp_port = (uint16_t) v;
    } else {
        c->wtp_port = (uint16_t) v;
    }
    return 0;
}


static int
parse_uint(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    unsigned long v;

    if (value[0] == '\0') {
        /* Only rows whose "empty" is meaningful get here (handler). */
        *(unsigned *) ((char *) c + row->off) = 0;
        return 0;
    }

    if (parse_number(value, row->lo, row->hi, &v, why, whylen) != 0) {
        return -1;
    }
    *(unsigned *) ((char *) c + row->off) = (unsigned) v;
    return 0;
}


static int
parse_size(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    unsigned long v;

    if (parse_number(value, row->lo, row->hi, &v, why, whylen) != 0) {
        return -1;
    }
    *(size_t *) ((char *) c + row->off) = (size_t) v;
    return 0;
}


static int
parse_ms64(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    unsigned long v;

    if (parse_number(value, row->lo, row->hi, &v, why, whylen) != 0) {
        return -1;
    }
    *(uint64_t *) ((char *) c + row->off) = (uint64_t) v;
    return 0;
}


static int
parse_bool(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    int v;

    if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0
        || strcmp(value, "1") == 0 || strcasecmp(value, "on") == 0)
    {
        v = 1;
    } else if (strcasecmp(value, "no") == 0
        || strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0
        || strcasecmp(value, "off") == 0)
    {
        v = 0;
    } else {
        set_why(why, whylen, "not a boolean: \"%s\" (yes or no)", value);
        return -1;
    }
    *(int *) ((char *) c + row->off) = v;
    return 0;
}


static int
parse_path(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    size_t n = strlen(value);

    if (n >= sizeof(c->access_log)) {
        set_why(why, whylen, "path too long: %.40s...", value);
        return -1;
    }
    memcpy(c->access_log, value, n + 1);
    return 0;
}


static int
parse_level(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    static const char *const names[] = { "error", "warn", "info", "debug" };
    int i;

    for (i = 0; i < 4; i++) {
        if (strcasecmp(value, names[i]) == 0) {
            c->log_level = i;
            return 0;
        }
    }
    set_why(why, whylen,
        "unknown log level \"%s\" (error, warn, info or debug)", value);
    return -1;
}


static int
add_allow(struct gw_config *c, const char *item, char *why, size_t whylen)
{
    struct gw_allow_entry e;
    const char *reason = "invalid entry";

    if (gw_allow_parse_entry(item, &e, &reason) != 0) {
        snprintf(why, whylen, "bad allow entry \"%s\": %s", item, reason);
        return -1;
    }
    if (gw_allow_add(&c->allow, &e) != 0) {
        snprintf(why, whylen, "too many allow entries (at most %d)",
            GW_ALLOW_MAX);
        return -1;
    }
    return 0;
}


static int
parse_allow(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    return each_item(value, add_allow, c, why, whylen);
}


/* An HTTP header name (RFC 9110 token), or empty for none. */
static int
parse_header_name(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    size_t i, n = strlen(value);

    if (n >= sizeof(c->client_ip_header)) {
        set_why(why, whylen, "header name too long: %.40s...", value);
        return -1;
    }
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char) value[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (ch >= '0' && ch <= '9') || strchr(tchar, ch) != NULL))
        {
            set_why(why, whylen, "not a header name: \"%s\"", value);
            return -1;
        }
    }
    memcpy(c->client_ip_header, value, n + 1);
    return 0;
}


/* One [wsp] redirect entry: allow-entry syntax, but an IP literal. */
static int
add_redirect(struct gw_config *c, const char *item, char *why, size_t whylen)
{
    const struct sockaddr_in *sin;
    const struct sockaddr_in6 *sin6;
    struct gw_allow_entry e;
    struct wspgw_addr a;
    const char *reason = "invalid address";
    unsigned i;

    if (gw_allow_parse_entry(item, &e, &reason) != 0 || !e.is_ip) {
        /* A host name parses as an allow entry; here it is refused. */
        snprintf(why, whylen, "bad redirect address \"%s\": %s (want "
            "IP:port or [IPv6]:port)", item,
            gw_allow_parse_entry(item, &e, NULL) != 0 ? reason
            : "not an IP literal");
        return -1;
    }
    if (e.addr.ss_family == AF_INET6) {
        sin6 = (const struct sockaddr_in6 *) &e.addr;
        wspgw_addr_init(&a, WSPGW_AF_INET6, &sin6->sin6_addr, e.port);
    } else {
        sin = (const struct sockaddr_in *) &e.addr;
        wspgw_addr_init(&a, WSPGW_AF_INET, &sin->sin_addr, e.port);
    }
    for (i = 0; i < c->wsp.n_redirect; i++) {
        if (wspgw_addr_eq(&c->wsp.redirect[i], &a)) {
            return 0;
        }
    }
    if (c->wsp.n_redirect >= WSP_REDIRECT_MAX) {
        snprintf(why, whylen, "too many redirect addresses (at most %d)",
            WSP_REDIRECT_MAX);
        return -1;
    }
    c->wsp.redirect[c->wsp.n_redirect++] = a;
    return 0;
}


static int
parse_redirect(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    return each_item(value, add_redirect, c, why, whylen);
}


/* An IP:port or [IPv6]:port listener address into text and addr. */
static int
listen_into(const char *value, char *text, size_t textlen,
    struct sockaddr_storage *addr, char *why, size_t whylen)
{
    struct gw_allow_entry e;
    const char *reason = "invalid address";
    struct sockaddr_in *sin = (struct sockaddr_in *) addr;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) addr;
    size_t n = strlen(value);

    if (n == 0) {
        text[0] = '\0';
        return 0;
    }
    /* Same syntax as an allow entry, but it must be an IP literal. */
    if (gw_allow_parse_entry(value, &e, &reason) != 0 || !e.is_ip) {
        snprintf(why, whylen, "bad listen address \"%s\": %s (want "
            "IP:port or [IPv6]:port)", value,
            e.is_ip ? reason : "not an IP literal");
        return -1;
    }
    if (n >= textlen) {
        set_why(why, whylen, "listen address too long: %.40s", value);
        return -1;
    }
    memcpy(text, value, n + 1);
    *addr = e.addr;
    if (addr->ss_family == AF_INET) {
        sin->sin_port = htons(e.port);
    } else {
        sin6->sin6_port = htons(e.port);
    }
    return 0;
}


static int
parse_listen(struct gw_config *c, const struct key_row *row, const char *value,
    char *why, size_t whylen)
{
    return listen_into(value, c->admin_listen, sizeof(c->admin_listen),
        &c->admin_addr, why, whylen);
}


static int
parse_push_listen(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    return listen_into(value, c->push_listen, sizeof(c->push_listen),
        &c->push_addr, why, whylen);
}


/* ---- routing (issue 5) ---------------------------------------------- */


static int
add_client_prefix(struct gw_config *c, struct gw_cidr_list *l,
    const char *item, char *why, size_t whylen)
{
    struct gw_cidr p;
    const char *reason = "invalid prefix";

    if (gw_cidr_parse(item, &p, &reason) != 0) {
        snprintf(why, whylen, "bad address or prefix \"%s\": %s", item,
            reason);
        return -1;
    }
    if (gw_cidr_list_add(l, &p) != 0) {
        snprintf(why, whylen, "too many prefixes (at most %d)",
            GW_CIDR_LIST_MAX);
        return -1;
    }
    return 0;
}


/* ---- [enrichment] parsers (issue 5) ---------------------------------- */


/* A string key stored at row->off, a field of row->hi octets. */
static int
parse_enrich_str(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    size_t n = strlen(value);

    if (n >= row->hi) {
        set_why(why, whylen, "too long (at most %lu characters)",
            row->hi - 1);
        return -1;
    }
    memcpy((char *) c + row->off, value, n + 1);
    return 0;
}


static int
add_allow_client(struct gw_config *c, const char *item, char *why,
    size_t whylen)
{
    return add_client_prefix(c, &c->allow_client, item, why, whylen);
}


static int
add_deny_client(struct gw_config *c, const char *item, char *why,
    size_t whylen)
{
    return add_client_prefix(c, &c->deny_client, item, why, whylen);
}


static int
parse_client_acl(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    if (strcmp(row->key, "allow-client") == 0) {
        return each_item(value, add_allow_client, c, why, whylen);
    }
    return each_item(value, add_deny_client, c, why, whylen);
}


static int
parse_mmsc_url(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    const char *reason = "invalid URL";

    if (gw_urlmap_set_url(&c->mmsc, value, &reason) != 0) {
        snprintf(why, whylen, "bad URL \"%.120s\": %s", value, reason);
        return -1;
    }
    return 0;
}


static int
add_short_url(struct gw_config *c, const char *item, char *why,
    size_t whylen)
{
    const char *reason = "invalid name";
    int rc = gw_urlmap_add_short(&c->mmsc, item, &reason);

    if (rc == WSPGW_ENOSPC) {
        snprintf(why, whylen, "too many short URLs (at most %d)",
            GW_URLMAP_SHORT_MAX);
        return -1;
    }
    if (rc != 0) {
        snprintf(why, whylen, "bad short URL \"%s\": %s", item, reason);
        return -1;
    }
    return 0;
}


static int
parse_short_url(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    return each_item(value, add_short_url, c, why, whylen);
}


/* One rule per line: URLs may contain commas, so no list splitting. */
static int
parse_map_url(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    struct gw_urlmap_rule r;
    const char *reason = "invalid rule";

    if (value[0] == '\0') {
        return 0;
    }
    if (gw_urlmap_parse_rule(value, &r, &reason) != 0) {
        snprintf(why, whylen, "bad rule \"%.150s\": %s", value, reason);
        return -1;
    }
    if (gw_urlmap_add_rule(&c->mmsc, &r) != 0) {
        snprintf(why, whylen, "too many map-url rules (at most %d)",
            GW_URLMAP_RULES_MAX);
        return -1;
    }
    return 0;
}


static int
parse_mmsc_proxy(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    struct gw_allow_entry e;
    const char *reason = "invalid address";

    if (value[0] == '\0') {
        c->mmsc_proxy[0] = '\0';
        return 0;
    }
    if (gw_allow_parse_entry(value, &e, &reason) != 0) {
        snprintf(why, whylen, "bad proxy \"%.120s\": %s", value, reason);
        return -1;
    }
    snprintf(c->mmsc_proxy, sizeof(c->mmsc_proxy),
        e.addr.ss_family == AF_INET6 ? "http://[%s]:%u" : "http://%s:%u",
        e.host, (unsigned) e.port);
    return 0;
}


/* radius-acct / radius-forward: "IP:port" or "[IPv6]:port", or empty. */
static int
parse_enrich_addr(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    int fwd = strcmp(row->key, "radius-forward") == 0;
    char *text = fwd ? c->radius_forward : c->radius_acct;
    struct sockaddr_storage *ss = fwd ? &c->radius_forward_addr
        : &c->radius_acct_addr;
    struct gw_allow_entry e;
    const char *reason = "invalid address";
    size_t n = strlen(value);

    if (n == 0) {
        text[0] = '\0';
        memset(ss, 0, sizeof(*ss));
        return 0;
    }
    if (gw_allow_parse_entry(value, &e, &reason) != 0 || !e.is_ip) {
        set_why(why, whylen, "bad address \"%s\": %s (want IP:port or "
            "[IPv6]:port)", value, e.is_ip ? reason : "not an IP literal");
        return -1;
    }
    if (n >= sizeof(c->radius_acct)) {
        set_why(why, whylen, "address too long: %.40s", value);
        return -1;
    }
    memcpy(text, value, n + 1);
    *ss = e.addr;
    if (ss->ss_family == AF_INET) {
        ((struct sockaddr_in *) ss)->sin_port = htons(e.port);
    } else {
        ((struct sockaddr_in6 *) ss)->sin6_port = htons(e.port);
    }
    return 0;
}


/* ---- end routing ------------------------------------------------------ */
/* Whether value is an RFC 9110 token of fewer than GW_ENRICH_NAME_LEN
 * characters. */
static int
enrich_name_ok(const char *value, char *why, size_t whylen)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    size_t i, n = strlen(value);

    if (n >= GW_ENRICH_NAME_LEN) {
        set_why(why, whylen, "header name too long: %.40s...", value);
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char) value[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (ch >= '0' && ch <= '9') || strchr(tchar, ch) != NULL))
        {
            set_why(why, whylen, "not a header name: \"%s\"", value);
            return 0;
        }
    }
    return 1;
}


static int
parse_enrich_name(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    if (!enrich_name_ok(value, why, whylen)) {
        return -1;
    }
    memcpy((char *) c + row->off, value, strlen(value) + 1);
    return 0;
}


static int
add_msisdn_name(struct gw_config *c, const char *item, char *why,
    size_t whylen)
{
    unsigned i;

    if (!enrich_name_ok(item, why, whylen)) {
        return -1;
    }
    for (i = 0; i < c->n_msisdn_headers; i++) {
        if (strcasecmp(c->msisdn_headers[i], item) == 0) {
            return 0;
        }
    }
    if (c->n_msisdn_headers >= GW_ENRICH_NAMES_MAX) {
        set_why(why, whylen, "too many header names (at most %d)",
            GW_ENRICH_NAMES_MAX);
        return -1;
    }
    memcpy(c->msisdn_headers[c->n_msisdn_headers++], item,
        strlen(item) + 1);
    return 0;
}


/* msisdn-header: a comma list that replaces the default (the key does not
 * repeat, so the file's value is the whole list). */
static int
parse_enrich_names(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    c->n_msisdn_headers = 0;
    return each_item(value, add_msisdn_name, c, why, whylen);
}


static int
add_enrich_host(struct gw_config *c, const char *item, char *why,
    size_t whylen)
{
    struct gw_allow_entry e;
    const char *reason = "invalid entry";

    if (gw_allow_parse_entry(item, &e, &reason) != 0) {
        snprintf(why, whylen, "bad host \"%s\": %s", item, reason);
        return -1;
    }
    if (gw_allow_add(&c->enrich_hosts, &e) != 0) {
        snprintf(why, whylen, "too many hosts (at most %d)", GW_ALLOW_MAX);
        return -1;
    }
    return 0;
}


static int
parse_enrich_hosts(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    return each_item(value, add_enrich_host, c, why, whylen);
}


static void
apply_defaults(struct gw_config *c)
{
    unsigned i;
    char why[256];

    memset(c, 0, sizeof(*c));
    /* The cores' own defaults first, for settings that have no key. */
    wtp_config_defaults(&c->wtp);
    wsp_srv_config_defaults(&c->wsp);
    for (i = 0; i < NKEYS; i++) {
        /* A default that does not parse is a bug caught by the tests. */
        if (keys[i].def[0] != '\0' || !keys[i].list) {
            (void) keys[i].parse(c, &keys[i], keys[i].def, why, sizeof(why));
        }
    }
}


void
gw_config_defaults(struct gw_config *c)
{
    apply_defaults(c);
    derive(c);
}


struct load_ctx {
    struct gw_config *c;
    const char *path;
    FILE *fp;
    unsigned line;
    unsigned err_line;
    char err[GW_PATH_MAX + 200];
    unsigned char seen[NKEYS];
    unsigned seen_line[NKEYS];
    char *linebuf;
    size_t linecap;
    /* [push-user NAME]: the section being read and where each began */
    char user_section[96];
    struct gw_push_user *user;
    unsigned user_line[GW_PUSH_USERS_MAX];
};


static void
load_error(struct load_ctx *lc, const char *msg)
{
    if (lc->err_line == 0 && lc->err[0] == '\0') {
        lc->err_line = lc->line;
        snprintf(lc->err, sizeof(lc->err), "%s", msg);
    }
}


/*
 * libinih's reader: one whole line per call, counted.  A line longer than
 * libinih's buffer is an error here, and libinih is handed an empty line.
 */
static char *
reader(char *str, int num, void *stream)
{
    struct load_ctx *lc = stream;
    ssize_t n = getline(&lc->linebuf, &lc->linecap, lc->fp);

    if (n < 0) {
        return NULL;
    }
    lc->line++;
    if (n > num - 1) {
        char msg[128];

        snprintf(msg, sizeof(msg), "line longer than %d characters; split "
            "a list over repeated keys", num - 2);
        load_error(lc, msg);
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    memcpy(str, lc->linebuf, (size_t) n + 1);
    return str;
}


/*
 * Named sections: [push-user NAME] (issue 6).  Each NAME becomes one
 * entry of c->push_users; push_user.c owns its keys.  A NAME may appear
 * once.  Returns 1 when the line belonged to such a section (handled,
 * maybe with an error), 0 otherwise.
 */
static int
push_user_line(struct load_ctx *lc, const char *section, const char *name,
    const char *value)
{
    struct gw_push_users *us = &lc->c->push_users;
    char uname[64], why[300], msg[512];
    int rc;

    rc = gw_push_user_section(section, uname, sizeof(uname), why,
        sizeof(why));
    if (rc == 0) {
        lc->user_section[0] = '\0';
        return 0;
    }
    if (rc < 0) {
        snprintf(msg, sizeof(msg), "[%.60s]: %s", section, why);
        load_error(lc, msg);
        return 1;
    }
    if (strcmp(lc->user_section, section) != 0) {
        snprintf(lc->user_section, sizeof(lc->user_section), "%s", section);
        lc->user = NULL;
        if (gw_push_user_find(us, uname) != NULL) {
            snprintf(msg, sizeof(msg), "duplicate section [push-user %s]",
                uname);
            load_error(lc, msg);
            return 1;
        }
        if (us->n >= GW_PUSH_USERS_MAX) {
            snprintf(msg, sizeof(msg), "too many [push-user] sections (at "
                "most %d)", GW_PUSH_USERS_MAX);
            load_error(lc, msg);
            return 1;
        }
        lc->user = &us->u[us->n];
        memset(lc->user, 0, sizeof(*lc->user));
        memcpy(lc->user->name, uname, strlen(uname) + 1);
        lc->user_line[us->n] = lc->line;
        us->n++;
    }
    if (lc->user != NULL
        && gw_push_user_set(lc->user, name, value, why, sizeof(why)) != 0)
    {
        snprintf(msg, sizeof(msg), "push-user %s: %s", lc->user->name, why);
        load_error(lc, msg);
    }
    return 1;
}


static int
handler(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *lc = user;
    char why[400], msg[512];
    unsigned i;

    if (push_user_line(lc, section, name, value)) {
        return 1;
    }

    for (i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, section) == 0
            && strcmp(keys[i].key, name) == 0)
        {
            break;
        }
    }
    if (i == NKEYS) {
        int known_section = 0;
        unsigned j;

        for (j = 0; j < NKEYS; j++) {
            if (strcmp(keys[j].section, section) == 0) {
                known_section = 1;
            }
        }
        if (section[0] == '\0') {
            snprintf(msg, sizeof(msg), "key \"%s\" outside any section",
                name);
        } else if (!known_section) {
            snprintf(msg, sizeof(msg), "unknown section [%s]", section);
        } else {
            snprintf(msg, sizeof(msg), "unknown key \"%s\" in [%s]", name,
                section);
        }
        load_error(lc, msg);
        return 1;
    }
    if (lc->seen[i] && !keys[i].list) {
        snprintf(msg, sizeof(msg), "duplicate key \"%s\" in [%s]", name,
            section);
        load_error(lc, msg);
        return 1;
    }
    lc->seen[i] = 1;
    lc->seen_line[i] = lc->line;
    if (value[0] == '\0' && strcmp(keys[i].empty, "not allowed") == 0) {
        snprintf(msg, sizeof(msg), "%s.%s may not be empty", section, name);
        load_error(lc, msg);
        return 1;
    }
    why[0] = '\0';
    if (keys[i].parse(lc->c, &keys[i], value, why, sizeof(why)) != 0) {
        snprintf(msg, sizeof(msg), "%s.%s: %s", section, name, why);
        load_error(lc, msg);
    }
    return 1;
}


static unsigned
key_index(const char *section, const char *key)
{
    unsigned i;

    for (i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, section) == 0
            && strcmp(keys[i].key, key) == 0)
        {
            return i;
        }
    }
    return 0;
}


/* Checks between [enrichment] keys (called from cross_checks). */
static void
enrich_cross_checks(struct load_ctx *lc)
{
    struct gw_config *c = lc->c;
    char msg[GW_PATH_MAX + 100];

    if (c->radius_acct[0] != '\0' && c->radius_secret[0] == '\0') {
        lc->line = lc->seen_line[key_index("enrichment", "radius-acct")];
        snprintf(msg, sizeof(msg), "enrichment.radius-acct needs "
            "enrichment.radius-secret (requests cannot be verified "
            "without it)");
        load_error(lc, msg);
        return;
    }
    if (c->radius_forward[0] != '\0' && c->radius_acct[0] == '\0') {
        lc->line = lc->seen_line[key_index("enrichment", "radius-forward")];
        snprintf(msg, sizeof(msg), "enrichment.radius-forward needs "
            "enrichment.radius-acct (there is nothing to forward)");
        load_error(lc, msg);
        return;
    }
    if (c->enrich_map[0] != '\0' && access(c->enrich_map, R_OK) != 0) {
        lc->line = lc->seen_line[key_index("enrichment", "map")];
        snprintf(msg, sizeof(msg), "enrichment.map: cannot read %s: %s",
            c->enrich_map, strerror(errno));
        load_error(lc, msg);
    }
}

/*
 * Settings computed from others when left empty.  wtp.max-ack-expirations:
 * hold-on Acks until 5 s past upstream.timeout, so a slow upstream ends
 * in the gateway's 504 Reply rather than a WTP abort.
 */
static void
derive(struct gw_config *c)
{
    if (c->wtp.max_ack_expirations == 0) {
        c->wtp.max_ack_expirations = (unsigned) (((uint64_t) c->timeout_s
            * 1000 + 5000 + c->wtp.ack_interval_ms - 1)
            / c->wtp.ack_interval_ms);
    }
}


/* push delivery (h/deliver): the file exists and is writable, or its
 * directory is (SQLite also writes FILE-wal and FILE-shm beside it). */
static int
writable_path(const char *path)
{
    char dir[GW_PATH_MAX];
    const char *slash = strrchr(path, '/');

    if (access(path, F_OK) == 0 && access(path, W_OK) != 0) {
        return 0;
    }
    if (slash == NULL) {
        return access(".", W_OK) == 0;
    }
    snprintf(dir, sizeof(dir), "%.*s",
        (int) (slash == path ? 1 : slash - path), path);
    return access(dir, W_OK) == 0;
}


/*
 * Checks that need more than one key or the file system, so that
 * --check-config catches what would stop the daemon at start.
 */
/* [push] and [push-user NAME] checks that need the whole file. */
static int
push_cross_checks(struct load_ctx *lc)
{
    const struct gw_config *c = lc->c;
    char msg[200];
    unsigned i;

    for (i = 0; i < c->push_users.n; i++) {
        const char *missing = gw_push_user_missing(&c->push_users.u[i]);

        if (missing != NULL) {
            lc->line = lc->user_line[i];
            snprintf(msg, sizeof(msg), "[push-user %s] needs %s",
                c->push_users.u[i].name, missing);
            load_error(lc, msg);
            return -1;
        }
    }
    if (c->push_listen[0] != '\0' && c->push_queue[0] == '\0') {
        lc->line = lc->seen_line[key_index("push", "listen")];
        load_error(lc, "push.listen needs push.queue (pushes are committed "
            "to the queue before they are accepted)");
        return -1;
    }
    return 0;
}


static void
cross_checks(struct load_ctx *lc)
{
    struct gw_config *c = lc->c;
    unsigned wsp = key_index("gateway", "wsp-port");
    unsigned wtp = key_index("gateway", "wtp-port");
    unsigned alog = key_index("gateway", "access-log");
    char msg[GW_PATH_MAX + 100];

    if (c->wsp_port == c->wtp_port) {
        lc->line = lc->seen_line[wtp] > lc->seen_line[wsp]
            ? lc->seen_line[wtp] : lc->seen_line[wsp];
        snprintf(msg, sizeof(msg), "gateway.wsp-port and gateway.wtp-port "
            "are both %u; they must differ", c->wsp_port);
        load_error(lc, msg);
        return;
    }
    if (c->wtp.max_ack_expirations == 0) {
        derive(c);
    } else if ((uint64_t) c->wtp.ack_interval_ms * c->wtp.max_ack_expirations
        <= (uint64_t) c->timeout_s * 1000)
    {
        unsigned a = key_index("wtp", "max-ack-expirations");

        lc->line = lc->seen_line[a] != 0 ? lc->seen_line[a]
            : lc->seen_line[key_index("upstream", "timeout")];
        snprintf(msg, sizeof(msg), "wtp.ack-interval x "
            "wtp.max-ack-expirations (%llu ms) must exceed upstream.timeout "
            "(%u s), or a slow upstream ends in a WTP abort instead of a "
            "504 Reply", (unsigned long long) c->wtp.ack_interval_ms
            * c->wtp.max_ack_expirations, c->timeout_s);
        load_error(lc, msg);
        return;
    }
    if (c->wtp.retry_min_ms > c->wtp.retry_max_ms) {
        lc->line = lc->seen_line[key_index("wtp", "retry-min")];
        snprintf(msg, sizeof(msg), "wtp.retry-min (%u) is above "
            "wtp.retry-max (%u)", c->wtp.retry_min_ms, c->wtp.retry_max_ms);
        load_error(lc, msg);
        return;
    }
    if (c->smsc_concat_ref_bits != 8 && c->smsc_concat_ref_bits != 16) {
        lc->line = lc->seen_line[key_index("smsc", "concat-ref-bits")];
        snprintf(msg, sizeof(msg), "smsc.concat-ref-bits must be 8 or 16");
        load_error(lc, msg);
        return;
    }
    if (c->push_queue[0] != '\0' && !writable_path(c->push_queue)) {
        lc->line = lc->seen_line[key_index("push", "queue")];
        snprintf(msg, sizeof(msg), "push.queue: cannot write %s: %s",
            c->push_queue, strerror(errno));
        load_error(lc, msg);
        return;
    }
    if (c->push_retry_min_s > c->push_retry_max_s) {
        lc->line = lc->seen_line[key_index("push", "retry-min")];
        snprintf(msg, sizeof(msg), "push.retry-min (%u) is above "
            "push.retry-max (%u)", c->push_retry_min_s, c->push_retry_max_s);
        load_error(lc, msg);
        return;
    }
    c->wsp.server_message = c->wsp.server_sdu;
    if (push_cross_checks(lc) != 0) {
        return;
    }
    if (c->access_log[0] != '\0' && strcmp(c->access_log, "-") != 0) {
        char dir[GW_PATH_MAX];
        const char *slash = strrchr(c->access_log, '/');
        int ok;

        if (access(c->access_log, F_OK) == 0) {
            ok = access(c->access_log, W_OK) == 0;
        } else if (slash == NULL) {
            ok = access(".", W_OK) == 0;
        } else {
            snprintf(dir, sizeof(dir), "%.*s",
                (int) (slash == c->access_log ? 1 : slash - c->access_log),
                c->access_log);
            ok = access(dir, W_OK) == 0;
        }
        if (!ok) {
            lc->line = lc->seen_line[alog];
            snprintf(msg, sizeof(msg), "gateway.access-log: cannot write "
                "%s: %s", c->access_log, strerror(errno));
            load_error(lc, msg);
        }
    }
    if (lc->err[0] == '\0') {
        enrich_cross_checks(lc);
    }
}


int
gw_config_load(const char *path, struct gw_config *c, char *err,
    size_t errlen)
{
    struct load_ctx lc;
    int rc;

    apply_defaults(c);
    memset(&lc, 0, sizeof(lc));
    lc.c = c;
    lc.path = path;
    lc.fp = fopen(path, "r");
    if (lc.fp == NULL) {
        snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
        return -1;
    }
    rc = ini_parse_stream(reader, &lc, handler, &lc);
    free(lc.linebuf);
    fclose(lc.fp);
    if (rc > 0 && (lc.err[0] == '\0' || (unsigned) rc < lc.err_line)) {
        lc.err_line = (unsigned) rc;
        snprintf(lc.err, sizeof(lc.err), "syntax error (want [section], "
            "key = value or a ; comment)");
    } else if (rc < 0 && lc.err[0] == '\0') {
        snprintf(lc.err, sizeof(lc.err), "cannot parse (out of memory)");
    }
    if (lc.err[0] == '\0') {
        cross_checks(&lc);
    }
    if (lc.err[0] != '\0') {
        snprintf(err, errlen, "%s:%u: %s", path, lc.err_line, lc.err);
        return -1;
    }
    return 0;
}


void
gw_config_restart_needed(const struct gw_config *a, const struct gw_config *b,
    void (*fn)(void *ctx, const char *key), void *ctx)
{
    int bind_differs = a->n_bind != b->n_bind;
    unsigned i;

    for (i = 0; !bind_differs && i < a->n_bind; i++) {
        bind_differs = strcmp(a->bind[i].text, b->bind[i].text) != 0;
    }
    if (bind_differs && fn != NULL) {
        fn(ctx, "gateway.bind");
    }
    if (a->wsp_port != b->wsp_port && fn != NULL) {
        fn(ctx, "gateway.wsp-port");
    }
    if (a->wtp_port != b->wtp_port && fn != NULL) {
        fn(ctx, "gateway.wtp-port");
    }
    if (memcmp(&a->wsp, &b->wsp, sizeof(a->wsp)) != 0 && fn != NULL) {
        fn(ctx, "wsp.*");
    }
    if (strcmp(a->admin_listen, b->admin_listen) != 0 && fn != NULL) {
        fn(ctx, "admin.listen");
    }
    /* [enrichment] (issue 5): sockets, the state file and the caps. */
    if (strcmp(a->radius_acct, b->radius_acct) != 0 && fn != NULL) {
        fn(ctx, "enrichment.radius-acct");
    }
    if (strcmp(a->radius_forward, b->radius_forward) != 0 && fn != NULL) {
        fn(ctx, "enrichment.radius-forward");
    }
    if (strcmp(a->enrich_state, b->enrich_state) != 0 && fn != NULL) {
        fn(ctx, "enrichment.state");
    }
    if (a->max_subscribers != b->max_subscribers && fn != NULL) {
        fn(ctx, "enrichment.max-subscribers");
    }
    if (strcmp(a->push_listen, b->push_listen) != 0 && fn != NULL) {
        fn(ctx, "push.listen");
    }
    if (strcmp(a->push_queue, b->push_queue) != 0 && fn != NULL) {
        fn(ctx, "push.queue");
    }
    if (gw_config_smsc_differs(a, b) && fn != NULL) {
        fn(ctx, "smsc.*");
    }
}


/* push delivery (h/deliver): whether any [smsc] setting differs. */
int
gw_config_smsc_differs(const struct gw_config *a, const struct gw_config *b)
{
    return a->smsc_type != b->smsc_type
        || strcmp(a->smsc_host, b->smsc_host) != 0
        || a->smsc_port != b->smsc_port
        || strcmp(a->smsc_system_id, b->smsc_system_id) != 0
        || strcmp(a->smsc_password, b->smsc_password) != 0
        || strcmp(a->smsc_system_type, b->smsc_system_type) != 0
        || a->smsc_transceiver != b->smsc_transceiver
        || strcmp(a->smsc_source_addr, b->smsc_source_addr) != 0
        || a->smsc_source_ton != b->smsc_source_ton
        || a->smsc_source_npi != b->smsc_source_npi
        || a->smsc_window != b->smsc_window
        || a->smsc_throughput != b->smsc_throughput
        || a->smsc_enquire_link_s != b->smsc_enquire_link_s
        || a->smsc_response_timeout_s != b->smsc_response_timeout_s
        || a->smsc_reconnect_max_s != b->smsc_reconnect_max_s
        || a->smsc_data_coding != b->smsc_data_coding
        || a->smsc_receipts != b->smsc_receipts
        || a->smsc_concat_ref_bits != b->smsc_concat_ref_bits
        || strcmp(a->smsc_path, b->smsc_path) != 0;
}


void
gw_config_print_keys(FILE *out)
{
    unsigned i;

    fprintf(out, "| section | key | type | default | unit | empty means "
        "| on SIGHUP | what it does |\n");
    fprintf(out, "|---|---|---|---|---|---|---|---|\n");
    for (i = 0; i < NKEYS; i++) {
        const struct key_row *k = &keys[i];

        fprintf(out, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
            k->section, k->key, k->type,
            k->def[0] != '\0' ? k->def : "(empty)",
            k->unit[0] != '\0' ? k->unit : "-", k->empty,
            k->reload ? "applied" : "restart", k->doc);
    }
    gw_push_user_print_keys(out);
}


/* [upstream] compile-wml (WML to WMLC, issue 4): auto, always, never. */
static int
parse_compile_wml(struct gw_config *c, const struct key_row *row,
    const char *value, char *why, size_t whylen)
{
    int m = gw_wmlc_mode_parse(value);

    (void) row;
    if (m < 0) {
        set_why(why, whylen,
            "unknown compile-wml value \"%s\" (auto, always or never)",
            value);
        return -1;
    }
    c->compile_wml = m;
    return 0;
}
