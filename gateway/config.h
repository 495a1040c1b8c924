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
#include "push_user.h"

#define GW_BIND_MAX 16
#define GW_PATH_MAX 1024

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
    /* [wtp] and [wsp]: handed to the cores as they are */
    struct wtp_config wtp;
    struct wsp_srv_config wsp;
    /* [admin] */
    char admin_listen[300];         /* "" off */
    struct sockaddr_storage admin_addr;
    /* [push] and [push-user NAME]: the PPG front end (issue 6, h/pap) */
    char push_listen[300];          /* "" off */
    struct sockaddr_storage push_addr;
    size_t push_max_request;        /* octets of one request */
    unsigned push_max_conns;        /* connections at once */
    int push_minimal_headers;       /* pushes carry only type + app id */
    struct gw_push_users push_users;
    /* [push] queue and max-lifetime: the push queue (shared with
     * h/deliver; whichever branch lands first defines them) */
    char push_queue[GW_PATH_MAX];   /* "" none */
    unsigned push_max_lifetime_s;
};

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

/* Prints the key table (section, key, type, default, unit, empty,
 * reload, description) as a Markdown table: the README's reference. */
void gw_config_print_keys(FILE *out);

#endif /* WSPGW_GATEWAY_CONFIG_H */
