/*
 * gateway/enrich.c - header enrichment on the loop (see enrich.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wspgw/err.h"
#include "wspgw/log.h"
#include "enrich.h"
#include "gw.h"
#include "radius_srv.h"
#include "subs_db.h"

/* Seed for the tables' hashes: not secret (the keys come from the
 * operator's files and RADIUS, not from handsets), just per-process. */
static uint32_t
seed(const struct gw *g)
{
    return g->cfg->wsp.id_seed ^ 0x9e3779b9u;
}


static void
point_names(struct gw *g)
{
    struct gw_enrich *e = &g->enrich;
    const struct gw_config *c = g->cfg;
    unsigned i;

    e->n_strip = 0;
    e->n_msisdn_names = 0;
    for (i = 0; i < c->n_msisdn_headers; i++) {
        e->msisdn_names[e->n_msisdn_names++] = c->msisdn_headers[i];
        e->strip[e->n_strip++] = c->msisdn_headers[i];
    }
    if (c->imsi_header[0] != '\0') {
        e->strip[e->n_strip++] = c->imsi_header;
    }
}


static int
load_map(struct gw *g, const struct gw_config *c, struct gw_subs_tab **out,
    char *err, size_t errlen)
{
    int rc;

    *out = NULL;
    if (c->enrich_map[0] == '\0') {
        return 0;
    }
    rc = gw_subs_load_csv(c->enrich_map, c->max_subscribers, seed(g),
        (int64_t) time(NULL), out, err, errlen);
    if (rc == WSPGW_ENOMEM) {
        snprintf(err, errlen, "%s: out of memory", c->enrich_map);
    }
    return rc == 0 ? 0 : -1;
}


int
gw_enrich_check(const struct gw_config *cfg, char *err, size_t errlen)
{
    struct gw_subs_tab *t = NULL;
    int rc;

    if (cfg->enrich_map[0] == '\0') {
        return 0;
    }
    rc = gw_subs_load_csv(cfg->enrich_map, cfg->max_subscribers, 0, 0, &t,
        err, errlen);
    gw_subs_tab_free(t);
    if (rc == WSPGW_ENOMEM) {
        snprintf(err, errlen, "%s: out of memory", cfg->enrich_map);
    }
    return rc == 0 ? 0 : -1;
}


/*
 * The MM1 rate-limit key hook (gateway/mm1.h): the subscriber's MSISDN
 * when the table knows the handset's address, so a subscriber who moves
 * to a new address keeps its bucket.
 */
static int
mm1_key(void *ctx, const struct sockaddr *peer, char *key, size_t keylen)
{
    struct gw *g = ctx;
    const struct gw_subscriber *s;
    int n;

    s = gw_subs_lookup(g->enrich.learned, g->enrich.map, peer);
    if (s == NULL || s->msisdn[0] == '\0') {
        return WSPGW_ENOENT;
    }
    n = snprintf(key, keylen, "msisdn:%s", s->msisdn);
    return n > 0 && (size_t) n < keylen ? 0 : WSPGW_ENOSPC;
}


int
gw_enrich_open(struct gw *g, char *err, size_t errlen)
{
    struct gw_enrich *e = &g->enrich;
    const struct gw_config *c = g->cfg;
    char why[512];
    unsigned loaded, skipped;

    memset(e, 0, sizeof(*e));
    point_names(g);
    g->mm1_key = mm1_key;
    g->mm1_key_ctx = g;
    e->learned = gw_subs_tab_new(c->max_subscribers, seed(g));
    if (e->learned == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (load_map(g, c, &e->map, err, errlen) != 0) {
        return -1;
    }
    if (e->map != NULL) {
        g->stats.map_reloads++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CFG, "enrichment map %s: %u "
            "entries", c->enrich_map, gw_subs_tab_count(e->map));
    }
    if (c->enrich_state[0] != '\0') {
        if (gw_subs_db_open(c->enrich_state, &e->db, why, sizeof(why)) != 0
            || gw_subs_db_load(e->db, e->learned, &loaded, &skipped, why,
                sizeof(why)) != 0)
        {
            snprintf(err, errlen, "enrichment.state %s: %s", c->enrich_state,
                why);
            return -1;
        }
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_DB, "enrichment state %s: %u "
            "RADIUS mappings restored (%u skipped)", c->enrich_state, loaded,
            skipped);
    }
    if (c->radius_acct[0] != '\0'
        && gw_radius_srv_open(&e->radius, g, err, errlen) != 0)
    {
        return -1;
    }
    return 0;
}


void
gw_enrich_reload(struct gw *g)
{
    struct gw_enrich *e = &g->enrich;
    struct gw_subs_tab *t = NULL;
    char err[1200];

    point_names(g);
    if (g->cfg->enrich_map[0] == '\0') {
        if (e->map != NULL) {
            wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CFG, "enrichment map "
                "removed");
        }
        gw_subs_tab_free(e->map);
        e->map = NULL;
        return;
    }
    if (load_map(g, g->cfg, &t, err, sizeof(err)) != 0) {
        g->stats.map_reload_failures++;
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CFG, "enrichment map refused, "
            "the previous one stays (%u entries): %s",
            gw_subs_tab_count(e->map), err);
        return;
    }
    gw_subs_tab_free(e->map);
    e->map = t;
    g->stats.map_reloads++;
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CFG, "enrichment map %s reloaded: %u "
        "entries", g->cfg->enrich_map, gw_subs_tab_count(t));
}


void
gw_enrich_close(struct gw *g)
{
    struct gw_enrich *e = &g->enrich;

    if (g->mm1_key == mm1_key) {
        g->mm1_key = NULL;
        g->mm1_key_ctx = NULL;
    }
    gw_radius_srv_close(e->radius);
    e->radius = NULL;
    gw_subs_db_close(e->db);
    e->db = NULL;
    gw_subs_tab_free(e->learned);
    e->learned = NULL;
    gw_subs_tab_free(e->map);
    e->map = NULL;
}


void
gw_enrich_upstream(struct gw *g, struct gw_bridge_upstream *u)
{
    u->strip = g->enrich.strip;
    u->n_strip = g->enrich.n_strip;
}


int
gw_enrich_request(struct gw *g, const struct sockaddr *peer,
    struct wsp_hdrs *out)
{
    struct gw_enrich *e = &g->enrich;
    const struct gw_subscriber *s;

    wsp_hdrs_reset(out);
    if (e->n_strip == 0 || g->cfg->enrich_hosts.n == 0) {
        return 0;
    }
    s = gw_subs_lookup(e->learned, e->map, peer);
    if (s == NULL) {
        g->stats.enrich_misses++;
        return 0;
    }
    g->stats.enrich_hits++;
    return gw_bridge_enrich_headers(out, e->msisdn_names, e->n_msisdn_names,
        s->msisdn, g->cfg->imsi_header, s->imsi);
}
