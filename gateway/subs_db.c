/*
 * gateway/subs_db.c - SQLite persistence of RADIUS-learned mappings (see
 * subs_db.h for the contract and the durability trade-off).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "wspgw/alloc.h"
#include "wspgw/log.h"
#include "subs_db.h"

struct gw_subs_db {
    sqlite3 *db;
    sqlite3_stmt *put;
    sqlite3_stmt *del;
    sqlite3_stmt *clear_nas;
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS learned ("
    " prefix TEXT PRIMARY KEY,"
    " msisdn TEXT NOT NULL,"
    " imsi TEXT NOT NULL,"
    " session TEXT NOT NULL,"
    " nas TEXT NOT NULL,"
    " updated INTEGER NOT NULL);";


static void
set_err(char *err, size_t errlen, const char *what, sqlite3 *db)
{
    snprintf(err, errlen, "%s: %s", what,
        db != NULL ? sqlite3_errmsg(db) : "out of memory");
}


void
gw_subs_db_close(struct gw_subs_db *d)
{
    if (d == NULL) {
        return;
    }
    sqlite3_finalize(d->put);
    sqlite3_finalize(d->del);
    sqlite3_finalize(d->clear_nas);
    sqlite3_close(d->db);
    wspgw_free(d);
}


int
gw_subs_db_open(const char *path, struct gw_subs_db **out, char *err,
    size_t errlen)
{
    struct gw_subs_db *d;
    char *msg = NULL;
    char what[64];

    *out = NULL;
    d = wspgw_calloc(1, sizeof(*d));
    if (d == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE
        | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
        snprintf(what, sizeof(what), "cannot open");
        set_err(err, errlen, what, d->db);
        gw_subs_db_close(d);
        return -1;
    }
    if (sqlite3_exec(d->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot set up the schema: %s",
            msg != NULL ? msg : "?");
        sqlite3_free(msg);
        gw_subs_db_close(d);
        return -1;
    }
    if (sqlite3_prepare_v2(d->db, "INSERT OR REPLACE INTO learned (prefix, "
            "msisdn, imsi, session, nas, updated) VALUES (?, ?, ?, ?, ?, ?)",
            -1, &d->put, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(d->db, "DELETE FROM learned WHERE prefix = ?",
            -1, &d->del, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(d->db, "DELETE FROM learned WHERE nas = ?",
            -1, &d->clear_nas, NULL) != SQLITE_OK)
    {
        set_err(err, errlen, "cannot prepare statements", d->db);
        gw_subs_db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}


/* Copies column i (text) into dst of cap octets; "" for NULL. */
static void
col_text(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    snprintf(dst, cap, "%s", t != NULL ? (const char *) t : "");
}


int
gw_subs_db_load(struct gw_subs_db *d, struct gw_subs_tab *t,
    unsigned *loaded, unsigned *skipped, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *loaded = 0;
    *skipped = 0;
    if (sqlite3_prepare_v2(d->db, "SELECT prefix, msisdn, imsi, session, "
        "nas, updated FROM learned", -1, &st, NULL) != SQLITE_OK)
    {
        set_err(err, errlen, "cannot read", d->db);
        return -1;
    }
    for (;;) {
        struct gw_subscriber s;
        char key[GW_SUBS_KEY_TEXT_MAX];

        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            break;
        }
        memset(&s, 0, sizeof(s));
        col_text(st, 0, key, sizeof(key));
        col_text(st, 1, s.msisdn, sizeof(s.msisdn));
        col_text(st, 2, s.imsi, sizeof(s.imsi));
        col_text(st, 3, s.session, sizeof(s.session));
        col_text(st, 4, s.nas, sizeof(s.nas));
        s.updated = sqlite3_column_int64(st, 5);
        s.source = GW_SUBS_SRC_RADIUS;
        if (gw_subs_key_parse(key, &s.key) != 0
            || !gw_subs_msisdn_ok(s.msisdn)
            || (s.imsi[0] != '\0' && !gw_subs_imsi_ok(s.imsi)))
        {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_DB, "state: skipping a row "
                "that does not validate (prefix \"%.48s\")", key);
            (*skipped)++;
            continue;
        }
        if (gw_subs_tab_put(t, &s, NULL, NULL) != 0) {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_DB, "state: table full or "
                "out of memory; %s and later rows not loaded", key);
            (*skipped)++;
            continue;
        }
        (*loaded)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "cannot read", d->db);
        return -1;
    }
    return 0;
}


static int
run(struct gw_subs_db *d, sqlite3_stmt *st, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "cannot write", d->db);
        return -1;
    }
    return 0;
}


int
gw_subs_db_apply(struct gw_subs_db *d, const struct gw_subs_change *c,
    char *err, size_t errlen)
{
    char key[GW_SUBS_KEY_TEXT_MAX];

    gw_subs_key_text(&c->s.key, key, sizeof(key));
    switch (c->op) {
    case GW_SUBS_OP_PUT:
        sqlite3_bind_text(d->put, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(d->put, 2, c->s.msisdn, -1, SQLITE_STATIC);
        sqlite3_bind_text(d->put, 3, c->s.imsi, -1, SQLITE_STATIC);
        sqlite3_bind_text(d->put, 4, c->s.session, -1, SQLITE_STATIC);
        sqlite3_bind_text(d->put, 5, c->s.nas, -1, SQLITE_STATIC);
        sqlite3_bind_int64(d->put, 6, c->s.updated);
        return run(d, d->put, err, errlen);
    case GW_SUBS_OP_DEL:
        sqlite3_bind_text(d->del, 1, key, -1, SQLITE_TRANSIENT);
        return run(d, d->del, err, errlen);
    case GW_SUBS_OP_CLEAR_NAS:
        sqlite3_bind_text(d->clear_nas, 1, c->s.nas, -1, SQLITE_STATIC);
        return run(d, d->clear_nas, err, errlen);
    default:
        return 0;
    }
}
