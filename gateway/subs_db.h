/*
 * gateway/subs_db.h - where RADIUS-learned subscriber mappings persist
 * ([enrichment] state): one SQLite file, so that a restart keeps the
 * mappings of sessions that are still up (their Starts will not come
 * again).
 *
 * Runs on the loop thread (STYLE.md 3.1): WAL journal, synchronous=NORMAL
 * (a commit is a WAL append, no fsync; durable across a crash of the
 * gateway, and at worst the last commits are lost on a power failure,
 * which the next Interim-Update repairs), one prepared statement per
 * change, each in its own implicit transaction.  The cost per change is
 * measured by radius_srv.c (wspgw_radius_state_write_us_total); 2000
 * Starts in a row cost 0.11 ms of loop time each on average on the
 * shared 2-CPU build machine at load 50, so it stays on the loop (a
 * write over 50 ms is logged; WAL checkpoints are SQLite's automatic
 * ones, every 1000 pages).
 *
 * Schema (table "learned"): prefix TEXT PRIMARY KEY ("192.0.2.1" or
 * "2001:db8::/64"), msisdn, imsi, session, nas TEXT, updated INTEGER
 * (Unix seconds).  Rows that no longer validate are skipped at load.
 */
#ifndef WSPGW_GATEWAY_SUBS_DB_H
#define WSPGW_GATEWAY_SUBS_DB_H

#include <stddef.h>

#include "subs.h"

struct gw_subs_db;

/* Opens (creating when missing) the file at path.  Returns 0, or -1 with
 * a message in err. */
int gw_subs_db_open(const char *path, struct gw_subs_db **out, char *err,
    size_t errlen);

/* Loads every row into t (as RADIUS entries).  *loaded and *skipped
 * count them.  Returns 0, or -1 with a message in err. */
int gw_subs_db_load(struct gw_subs_db *db, struct gw_subs_tab *t,
    unsigned *loaded, unsigned *skipped, char *err, size_t errlen);

/* Writes one change (subs.h) through.  Returns 0, or -1 with the SQLite
 * message in err. */
int gw_subs_db_apply(struct gw_subs_db *db, const struct gw_subs_change *c,
    char *err, size_t errlen);

void gw_subs_db_close(struct gw_subs_db *db);

#endif /* WSPGW_GATEWAY_SUBS_DB_H */
