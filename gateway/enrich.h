/*
 * gateway/enrich.h - header enrichment on the loop (issue 5): owns the
 * subscriber tables (subs.c), the state file (subs_db.c) and the RADIUS
 * accounting listener (radius_srv.c), and gives cl.c and co.c what each
 * upstream request needs:
 *   - the names a handset may never send (gw_enrich_upstream, used by
 *     bridge.c's gw_bridge_upstream_headers);
 *   - the enrichment headers for the handset's address (gw_enrich_request),
 *     which gateway/http.c sends only to [enrichment] hosts.
 *
 * Reload (SIGHUP): the map file is read into a new table and swapped in
 * only when the whole file is good; otherwise the old map stays and the
 * log says FILE:LINE and why.  Requests in between use the old map: the
 * loop is single-threaded, so there is no moment without one.
 */
#ifndef WSPGW_GATEWAY_ENRICH_H
#define WSPGW_GATEWAY_ENRICH_H

#include <stddef.h>
#include <sys/socket.h>

#include "wspgw/wsp.h"
#include "bridge.h"
#include "config.h"
#include "subs.h"

struct gw;
struct gw_subs_db;
struct gw_radius_srv;

struct gw_enrich {
    struct gw_subs_tab *learned;    /* RADIUS mappings (owned) */
    struct gw_subs_tab *map;        /* [enrichment] map (owned), or NULL */
    struct gw_subs_db *db;          /* [enrichment] state, or NULL */
    struct gw_radius_srv *radius;   /* listener, or NULL */
    /* Names into g->cfg, rebuilt on reload. */
    const char *strip[GW_ENRICH_NAMES_MAX + 1];
    unsigned n_strip;
    const char *msisdn_names[GW_ENRICH_NAMES_MAX];
    unsigned n_msisdn_names;
};

/*
 * Loads the map, opens the state file and loads it, starts the RADIUS
 * listener, as g->cfg says.  Returns 0, or -1 with the reason in err
 * (a bad map is FILE:LINE: reason).
 */
int gw_enrich_open(struct gw *g, char *err, size_t errlen);

/* After g->cfg was replaced by a reload: re-reads the map (keeping the
 * old one when the new file is bad) and re-points the names. */
void gw_enrich_reload(struct gw *g);

/* Closes the listener and the state file, frees the tables. */
void gw_enrich_close(struct gw *g);

/* Sets u->strip/u->n_strip to the configured enrichment names. */
void gw_enrich_upstream(struct gw *g, struct gw_bridge_upstream *u);

/*
 * Fills out (initialised by the caller, reset here) with the enrichment
 * headers for the handset at peer, when a subscriber is known and names
 * are configured.  Returns 0 or a list error.
 */
int gw_enrich_request(struct gw *g, const struct sockaddr *peer,
    struct wsp_hdrs *out);

/* For --check-config: loads and drops the map file.  Returns 0, or -1
 * with FILE:LINE: reason in err. */
int gw_enrich_check(const struct gw_config *cfg, char *err, size_t errlen);

#endif /* WSPGW_GATEWAY_ENRICH_H */
