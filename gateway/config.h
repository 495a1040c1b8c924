/*
 * gateway/config.h - the configuration file: keys, defaults, validation.
 *
 * The file is INI (Debian's libinih parses the syntax); this module owns
 * the meaning.  Every key is a row of one table in config.c, which is
 * also the source of the README's config reference and of
 * `wspgw --config-keys`.  Unknown sections and keys are errors, reported
 * as FILE:LINE: message, like every bad value.
 *
 * A list key (bind, allow) takes comma-separated values and may also be
 * repeated: libinih caps a line at 200 characters, and the values add up.
 * [mmsc] map-url is repeated too, one rule per line (URLs may hold
 * commas).
 *
 * Pure code: no libuv.  Parsing a file never changes a running gateway;
 * main.c decides what a reload applies.
 */
#ifndef WSPGW_GATEWAY_CONFIG_H
#define WSPGW_GATEWAY_CONFIG_H

#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "wspgw/wsp_session.h"
#include "wspgw/wtp.h"
#include "allow.h"
#include "cidr.h"
#include "urlmap.h"
#include "push_user.h"

#define GW_BIND_MAX 16
#define GW_PATH_MAX 1024

/* [enrichment] caps. */
#define GW_ENRICH_SECRET_MAX 128    /* RADIUS shared secret octets */
#define GW_ENRICH_NAMES_MAX 8       /* msisdn-header names */
#define GW_ENRICH_NAME_LEN 64       /* one header name, with the NUL */

struct gw_bind_addr {
    char text[64];                  /* as written, without brackets */
    struct sockaddr_storage addr;   /* port 0 */
};

struct gw_config {
    /* [gateway] */
    struct gw_bind_addr bind[GW_BIND_MAX];
    unsigned n_bind;                /* 0: the default (0.0.0.0 and ::) */
    uint16_t wsp_port;
    uint16_t wtp_port;
    char access_log[GW_PATH_MAX];   /* "" off, "-" stderr */
    int log_level;                  /* WSPGW_LOG_* */
    unsigned max_requests;          /* connectionless requests in flight */
    /* [upstream] */
    struct gw_allow allow;
    unsigned timeout_s;
    int via;                        /* add Via: 1.1 wspgw */
    char client_ip_header[64];      /* "" none */
    int follow_redirects;           /* follow 3xx within the allow list */
    unsigned max_redirects;         /* hops when following */
    /* WML to WMLC (issue 4) */
    int compile_wml;                /* enum gw_wmlc_mode (wmlc.h) */
    /* Routing (issue 5): client access control on the UDP bearer
     * ([gateway] allow-client, deny-client) and [mmsc] URL mapping. */
    struct gw_cidr_list allow_client;   /* empty: every client */
    struct gw_cidr_list deny_client;    /* wins over allow_client */
    struct gw_urlmap mmsc;              /* url, short-url, map-url */
    char mmsc_proxy[300];               /* "http://host:port", "" none */
    /* [wtp] and [wsp]: handed to the cores as they are */
    struct wtp_config wtp;
    struct wsp_srv_config wsp;
    /* [wsp] cookie jar per WSP session (issue 4; not in struct
     * wsp_srv_config: the core never sees it) */
    int cookie_jar;                 /* keep a jar per session */
    unsigned cookie_jar_max_cookies;
    size_t cookie_jar_max_bytes;
    /* [admin] */
    char admin_listen[300];         /* "" off */
    struct sockaddr_storage admin_addr;
    /* [mmsc], MM1 awareness (issue 5): gateway/mm1_gw.c */
    size_t mms_max_size;            /* octets; 0: no MMS-specific limit */
    unsigned mms_send_rate;         /* m-send-req per minute; 0: off */
    unsigned mms_send_burst;        /* bucket size */
    unsigned mms_rate_entries;      /* rate-limit table cap */
    /* [enrichment]: header enrichment (issue 5; subs.c, radius*.c) */
    char enrich_map[GW_PATH_MAX];   /* CSV ip,msisdn,imsi; "" none */
    char radius_acct[64];           /* listener "IP:port"; "" off */
    struct sockaddr_storage radius_acct_addr;
    char radius_secret[GW_ENRICH_SECRET_MAX + 1];
    char msisdn_headers[GW_ENRICH_NAMES_MAX][GW_ENRICH_NAME_LEN];
    unsigned n_msisdn_headers;      /* 0: no MSISDN header */
    char imsi_header[GW_ENRICH_NAME_LEN];   /* "" none */
    struct gw_allow enrich_hosts;   /* upstream host:port that get them */
    char enrich_state[GW_PATH_MAX]; /* SQLite file; "" memory only */
    char radius_forward[64];        /* operator's server "IP:port"; "" */
    struct sockaddr_storage radius_forward_addr;
    char radius_forward_secret[GW_ENRICH_SECRET_MAX + 1]; /* "" same */
    unsigned max_subscribers;       /* cap of each subscriber table */
    /* [push] and [push-user NAME]: the PPG front end (issue 6, h/pap) */
    char push_listen[300];          /* "" off */
    struct sockaddr_storage push_addr;
    size_t push_max_request;        /* octets of one request */
    unsigned push_max_conns;        /* connections at once */
    int push_minimal_headers;       /* pushes carry only type + app id */
    struct gw_push_users push_users;
    /* [push] queue and delivery, [smsc] (issue 6, h/deliver) */
    char push_queue[GW_PATH_MAX];   /* "" push delivery off */
    unsigned push_max_lifetime_s;
    unsigned push_max_queued;
    int push_queue_sync_full;       /* synchronous=FULL, else NORMAL */
    unsigned push_keep_final_s;
    unsigned push_retry_min_s;
    unsigned push_retry_max_s;
    int smsc_type;                  /* GW_SMSC_SMPP or GW_SMSC_HTTP */
    char smsc_host[256];            /* "" no SMSC: SMS pushes fail */
    unsigned smsc_port;
    char smsc_system_id[16];
    char smsc_password[9];
    char smsc_system_type[13];
    int smsc_transceiver;           /* bind_transceiver, else transmitter */
    char smsc_source_addr[21];
    unsigned smsc_source_ton;
    unsigned smsc_source_npi;
    unsigned smsc_window;
    unsigned smsc_throughput;       /* submit_sm per second, 0 unlimited */
    unsigned smsc_enquire_link_s;
    unsigned smsc_response_timeout_s;
    unsigned smsc_reconnect_max_s;
    unsigned smsc_data_coding;      /* 0x04 or 0xF5 */
    int smsc_receipts;              /* ask for delivery receipts */
    unsigned smsc_concat_ref_bits;  /* 8 or 16 */
    char smsc_path[256];            /* type http: sendsms path */
};

#define GW_SMSC_SMPP 1
#define GW_SMSC_HTTP 2

/* Fills c with the defaults of every key. */
void gw_config_defaults(struct gw_config *c);

/*
 * Reads and validates path into c (which it first fills with defaults).
 * Returns 0, or -1 with "FILE:LINE: message" in err (size errlen); the
 * first error is reported.  A file that cannot be opened reports line 0.
 */
int gw_config_load(const char *path, struct gw_config *c, char *err,
    size_t errlen);

/*
 * Names, for a reload, the first setting that differs between a and b
 * and cannot change at run time ("gateway.bind", ...), or NULL.
 * Calls fn for each such setting (fn may be NULL).
 */
void gw_config_restart_needed(const struct gw_config *a,
    const struct gw_config *b, void (*fn)(void *ctx, const char *key),
    void *ctx);

/* push delivery (h/deliver): 1 if any [smsc] setting differs (they all
 * need a restart). */
int gw_config_smsc_differs(const struct gw_config *a,
    const struct gw_config *b);

/* Prints the key table (section, key, type, default, unit, empty,
 * reload, description) as a Markdown table: the README's reference. */
void gw_config_print_keys(FILE *out);

#endif /* WSPGW_GATEWAY_CONFIG_H */
