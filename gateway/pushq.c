/*
 * gateway/pushq.c - the durable push queue (see pushq.h for the states).
 *
 * One SQLite database, WAL journal, used from the loop thread only, with
 * every statement prepared at open.  Short transactions: an add is one
 * transaction; the delivery engine groups what one loop callback does
 * (takes, acks, receipts) into one batch, so under load one commit
 * covers many pushes.
 *
 * Durability.  journal_mode=WAL.  synchronous=FULL by default: the WAL
 * is fsync'ed at every commit, so a push for which gw_pushq_add returned
 * 0 survives kill -9 and also a power cut.  synchronous=NORMAL
 * ([push] queue-sync = normal) still survives kill -9 of the process --
 * a commit has written its frames to the WAL file with write(2) before
 * it returns, and the kernel keeps them when the process dies -- but the
 * last commits may be lost if the machine itself goes down before the
 * next checkpoint.  Never OFF.
 *
 * Duplicates.  A push is SENDING while its submit_sm(s) are out; the
 * state is committed before the first byte is written to the SMSC.
 * Each accepted SMS part is recorded (push_part) in the transaction that
 * handles its submit_sm_resp, and a push that is sent again skips parts
 * already accepted.  So after kill -9 only parts whose submit_sm was on
 * the wire without its response committed are sent twice: at most the
 * SMPP window.  A re-sent push keeps its concatenation reference (set at
 * add, column concat_ref), so a handset can never mix parts of two
 * sends.
 *
 * Caps: the number of non-final pushes (max_queued; an add beyond it is
 * ENOSPC), a push body (GW_PUSHQ_MAX_BODY), and final rows are deleted
 * keep_final after their last change, so the file cannot grow without
 * bound.
 *
 * Result callbacks run after the commit that made the state final, from
 * the call that committed (gw_pushq_cancel, gw_pushq_batch_end, or a
 * single engine call outside a batch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "pushq.h"

/* Internal states, stored beside the public ones. */
#define ST_SENDING 100
#define ST_SUBMITTED 101

enum stmt_id {
    S_ADD,
    S_SET_REF,
    S_LOOKUP,
    S_CANCEL,
    S_TAKE_LIST,
    S_TAKE_SET,
    S_TAKE_GET,
    S_PARTS_GET,
    S_PART_ADD,
    S_SET_STATE,
    S_RETRY,
    S_NEXT_DUE,
    S_EXPIRE_LIST,
    S_PURGE_PARTS,
    S_PURGE,
    S_RECEIPT_FIND,
    S_RECEIPT_SET,
    S_RECEIPT_LEFT,
    S_GET_REC,
    S_EXPIRE_ONE,
    S_FAIL_ANY,
    S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_ADD] = "INSERT INTO push (push_id, user, addr_type, address, "
        "content_type, body, app_id, minimal_headers, deliver_after, "
        "deliver_before, state, attempts, next_try, created, updated, "
        "concat_ref, notify_to, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, 1, 0, ?9, ?11, ?11, 0, ?12, '')",
    [S_SET_REF] = "UPDATE push SET concat_ref = (id & 65535) WHERE id = ?1",
    [S_LOOKUP] = "SELECT id FROM push WHERE user = ?1 AND push_id = ?2",
    [S_CANCEL] = "UPDATE push SET state = 5, updated = ?2, "
        "detail = 'cancelled' WHERE id = ?1 AND state = 1",
    [S_TAKE_LIST] = "SELECT id FROM push WHERE state = 1 "
        "AND next_try <= ?1 AND deliver_before > ?1 "
        "AND ((?2 >> addr_type) & 1) ORDER BY next_try, id LIMIT 1",
    [S_TAKE_SET] = "UPDATE push SET state = 100, attempts = attempts + 1, "
        "updated = ?2 WHERE id = ?1 AND state = 1",
    [S_TAKE_GET] = "SELECT content_type, app_id, minimal_headers, body, "
        "deliver_after, deliver_before, concat_ref FROM push WHERE id = ?1",
    [S_PARTS_GET] = "SELECT part FROM push_part WHERE push = ?1",
    [S_PART_ADD] = "INSERT OR REPLACE INTO push_part (push, part, msg_id, "
        "done) VALUES (?1, ?2, ?3, 0)",
    [S_SET_STATE] = "UPDATE push SET state = ?2, updated = ?3, "
        "detail = ?4 WHERE id = ?1 AND state IN (100, 101)",
    [S_RETRY] = "UPDATE push SET state = 1, next_try = ?2, updated = ?3, "
        "detail = ?4 WHERE id = ?1 AND state = 100",
    [S_NEXT_DUE] = "SELECT MIN(CASE WHEN state = 1 THEN "
        "MIN(next_try, deliver_before) ELSE deliver_before END) FROM push "
        "WHERE state IN (1, 101)",
    [S_EXPIRE_LIST] = "SELECT id FROM push WHERE state IN (1, 101) AND "
        "deliver_before <= ?1 LIMIT 256",
    [S_PURGE_PARTS] = "DELETE FROM push_part WHERE push IN (SELECT id FROM "
        "push WHERE state IN (2, 3, 4, 5) AND updated < ?1)",
    [S_PURGE] = "DELETE FROM push WHERE state IN (2, 3, 4, 5) AND "
        "updated < ?1",
    [S_RECEIPT_FIND] = "SELECT p.push, p.part FROM push_part p JOIN push "
        "s ON s.id = p.push WHERE p.msg_id = ?1 AND s.state IN (1, 100, 101) "
        "LIMIT 1",
    [S_RECEIPT_SET] = "UPDATE push_part SET done = 1 WHERE push = ?1 AND "
        "part = ?2",
    [S_RECEIPT_LEFT] = "SELECT COUNT(*) FROM push_part WHERE push = ?1 AND "
        "done = 0",
    [S_GET_REC] = "SELECT id, push_id, user, addr_type, address, state, "
        "created, updated, attempts, notify_to, detail FROM push "
        "WHERE id = ?1",
    [S_FAIL_ANY] = "UPDATE push SET state = ?2, updated = ?3, detail = ?4 "
        "WHERE id = ?1 AND state IN (1, 100, 101)",
    [S_EXPIRE_ONE] = "UPDATE push SET state = 3, updated = ?2, detail = "
        "CASE state WHEN 101 THEN 'no delivery receipt before "
        "deliver-before' ELSE ?3 END WHERE id = ?1 AND state IN (1, 101)",
};

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS push ("
    " id INTEGER PRIMARY KEY,"
    " push_id TEXT NOT NULL,"
    " user TEXT NOT NULL,"
    " addr_type INTEGER NOT NULL,"
    " address TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " body BLOB NOT NULL,"
    " app_id TEXT NOT NULL,"
    " minimal_headers INTEGER NOT NULL,"
    " deliver_after INTEGER NOT NULL,"
    " deliver_before INTEGER NOT NULL,"
    " state INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_try INTEGER NOT NULL,"
    " created INTEGER NOT NULL,"
    " updated INTEGER NOT NULL,"
    " concat_ref INTEGER NOT NULL,"
    " notify_to TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " UNIQUE (user, push_id));"
    "CREATE INDEX IF NOT EXISTS push_due ON push (state, next_try);"
    "CREATE TABLE IF NOT EXISTS push_part ("
    " push INTEGER NOT NULL,"
    " part INTEGER NOT NULL,"
    " msg_id TEXT NOT NULL,"
    " done INTEGER NOT NULL,"
    " PRIMARY KEY (push, part));"
    "CREATE INDEX IF NOT EXISTS push_part_msg ON push_part (msg_id);"
    "PRAGMA user_version = 1;";

struct gw_pushq {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    struct gw_pushq_opts o;
    unsigned live;
    unsigned recovered;
    gw_push_result_fn result_fn;
    void *result_ctx;
    gw_push_result_fn observer_fn;
    void *observer_ctx;
    void (*wake_fn)(void *ctx);
    void *wake_ctx;
    unsigned depth;             /* batch nesting */
    int failed;                 /* a statement in the batch failed */
    int64_t *done;              /* pushes finished in this batch */
    unsigned n_done, cap_done;
    int live_delta;             /* applied at commit */
};


static int
db_error(struct gw_pushq *q, const char *what)
{
    wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_DB, "push queue: %s: %s", what,
        sqlite3_errmsg(q->db));
    return WSPGW_EIO;
}


static int
exec_sql(struct gw_pushq *q, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(q->db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_DB, "push queue: %s: %s", sql,
            msg != NULL ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return WSPGW_EIO;
    }
    return 0;
}


static sqlite3_stmt *
stmt(struct gw_pushq *q, enum stmt_id id)
{
    sqlite3_reset(q->st[id]);
    sqlite3_clear_bindings(q->st[id]);
    return q->st[id];
}


/* Runs a statement that returns no rows.  0 or WSPGW_EIO. */
static int
run(struct gw_pushq *q, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        return db_error(q, what);
    }
    return 0;
}


static void
copy_text(char *dst, size_t cap, const unsigned char *src)
{
    snprintf(dst, cap, "%s", src != NULL ? (const char *) src : "");
}


static int
is_final(int st)
{
    return st == GW_PUSH_DELIVERED || st == GW_PUSH_EXPIRED
        || st == GW_PUSH_FAILED || st == GW_PUSH_CANCELLED;
}


/* Reads a push's record.  0, WSPGW_ENOENT or WSPGW_EIO. */
static int
get_rec(struct gw_pushq *q, int64_t id, struct gw_push_rec *r)
{
    sqlite3_stmt *s = stmt(q, S_GET_REC);
    int rc, st;

    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return WSPGW_ENOENT;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_error(q, "reading a push");
    }
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    copy_text(r->push_id, sizeof(r->push_id), sqlite3_column_text(s, 1));
    copy_text(r->user, sizeof(r->user), sqlite3_column_text(s, 2));
    r->addr_type = (enum gw_push_addr_type) sqlite3_column_int(s, 3);
    copy_text(r->address, sizeof(r->address), sqlite3_column_text(s, 4));
    st = sqlite3_column_int(s, 5);
    /* The front end sees the internal states as still pending. */
    r->state = is_final(st) ? (enum gw_push_state) st : GW_PUSH_PENDING;
    r->created_ms = (uint64_t) sqlite3_column_int64(s, 6);
    r->updated_ms = (uint64_t) sqlite3_column_int64(s, 7);
    r->attempts = (unsigned) sqlite3_column_int(s, 8);
    copy_text(r->notify_to, sizeof(r->notify_to), sqlite3_column_text(s, 9));
    copy_text(r->detail, sizeof(r->detail), sqlite3_column_text(s, 10));
    sqlite3_reset(s);
    return 0;
}


/* The stored state of a push, or -1. */
static int
push_state(struct gw_pushq *q, int64_t id)
{
    sqlite3_stmt *s = stmt(q, S_GET_REC);
    int st = -1;

    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        st = sqlite3_column_int(s, 5);
    }
    sqlite3_reset(s);
    return st;
}


static void
fire_results(struct gw_pushq *q, const int64_t *ids, unsigned n)
{
    struct gw_push_rec r;
    unsigned i;

    for (i = 0; i < n; i++) {
        if ((q->result_fn == NULL && q->observer_fn == NULL)
            || get_rec(q, ids[i], &r) != 0)
        {
            continue;
        }
        if (q->observer_fn != NULL) {
            q->observer_fn(q->observer_ctx, &r);
        }
        if (q->result_fn != NULL) {
            q->result_fn(q->result_ctx, &r);
        }
    }
}


void
gw_pushq_batch_begin(struct gw_pushq *q)
{
    if (q->depth++ > 0) {
        return;
    }
    q->failed = exec_sql(q, "BEGIN IMMEDIATE") != 0;
    q->n_done = 0;
    q->live_delta = 0;
}


int
gw_pushq_batch_end(struct gw_pushq *q)
{
    int64_t *ids;
    unsigned n;

    if (q->depth == 0 || --q->depth > 0) {
        return 0;
    }
    if (q->failed || exec_sql(q, "COMMIT") != 0) {
        (void) exec_sql(q, "ROLLBACK");
        q->n_done = 0;
        q->failed = 0;
        return WSPGW_EIO;
    }
    if ((int) q->live + q->live_delta < 0) {
        q->live = 0;
    } else {
        q->live = (unsigned) ((int) q->live + q->live_delta);
    }
    q->live_delta = 0;
    /* Callbacks may start a new batch: hand them a private list. */
    ids = q->done;
    n = q->n_done;
    q->done = NULL;
    q->n_done = q->cap_done = 0;
    fire_results(q, ids, n);
    wspgw_free(ids);
    return 0;
}


/* Notes a push that became final in this batch (for its callback). */
static int
note_final(struct gw_pushq *q, int64_t id)
{
    if (q->n_done == q->cap_done) {
        unsigned cap = q->cap_done != 0 ? q->cap_done * 2 : 16;
        int64_t *p = wspgw_realloc(q->done, cap * sizeof(*p));

        if (p == NULL) {
            q->failed = 1;
            return WSPGW_ENOMEM;
        }
        q->done = p;
        q->cap_done = cap;
    }
    q->done[q->n_done++] = id;
    q->live_delta--;
    return 0;
}


/* Marks the batch failed when rc is an error; returns rc. */
static int
track(struct gw_pushq *q, int rc)
{
    if (rc != 0 && rc != WSPGW_ENOENT && q->depth > 0) {
        q->failed = 1;
    }
    return rc;
}


int
gw_pushq_open(struct gw_pushq **out, const char *path,
    const struct gw_pushq_opts *o, char *err, size_t errlen)
{
    struct gw_pushq *q;
    sqlite3_stmt *s;
    int i, rc;
    const char *file = path != NULL && path[0] != '\0' ? path : ":memory:";

    *out = NULL;
    q = wspgw_calloc(1, sizeof(*q));
    if (q == NULL) {
        snprintf(err, errlen, "out of memory");
        return WSPGW_ENOMEM;
    }
    q->o = *o;
    rc = sqlite3_open_v2(file, &q->db, SQLITE_OPEN_READWRITE
        | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "push queue %s: %s", file,
            q->db != NULL ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        goto fail;
    }
    /* Another process holding the file (a second gateway) must not make
     * the loop wait long: fail fast instead. */
    sqlite3_busy_timeout(q->db, 2000);
    if (exec_sql(q, "PRAGMA journal_mode = WAL") != 0
        || exec_sql(q, o->sync_full ? "PRAGMA synchronous = FULL"
            : "PRAGMA synchronous = NORMAL") != 0
        || exec_sql(q, "PRAGMA foreign_keys = OFF") != 0
        || exec_sql(q, schema_sql) != 0)
    {
        snprintf(err, errlen, "push queue %s: cannot set up the database: "
            "%s", file, sqlite3_errmsg(q->db));
        goto fail;
    }
    for (i = 0; i < S_COUNT; i++) {
        rc = sqlite3_prepare_v3(q->db, stmt_sql[i], -1,
            SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "push queue %s: %s (statement %d; a file "
                "of another program?)", file, sqlite3_errmsg(q->db), i);
            goto fail;
        }
    }
    /* Recovery: what was being sent when the process died is pending
     * again; its accepted parts (push_part) are not sent twice. */
    if (exec_sql(q, "BEGIN IMMEDIATE") != 0
        || exec_sql(q, "UPDATE push SET state = 1, detail = "
            "'recovered after a restart' WHERE state = 100") != 0)
    {
        snprintf(err, errlen, "push queue %s: recovery failed: %s", file,
            sqlite3_errmsg(q->db));
        goto fail;
    }
    q->recovered = (unsigned) sqlite3_changes(q->db);
    if (exec_sql(q, "COMMIT") != 0) {
        snprintf(err, errlen, "push queue %s: recovery failed: %s", file,
            sqlite3_errmsg(q->db));
        goto fail;
    }
    rc = sqlite3_prepare_v2(q->db, "SELECT COUNT(*) FROM push WHERE state "
        "IN (1, 100, 101)", -1, &s, NULL);
    if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, "push queue %s: %s", file,
            sqlite3_errmsg(q->db));
        sqlite3_finalize(s);
        goto fail;
    }
    q->live = (unsigned) sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (q->recovered > 0) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "push queue %s: %u pushes "
            "were being sent when the gateway stopped; they are sent again",
            file, q->recovered);
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push queue %s: %u pushes "
        "waiting", file, q->live);
    *out = q;
    return 0;
fail:
    gw_pushq_close(q);
    return WSPGW_EIO;
}


void
gw_pushq_close(struct gw_pushq *q)
{
    int i;

    if (q == NULL) {
        return;
    }
    for (i = 0; i < S_COUNT; i++) {
        sqlite3_finalize(q->st[i]);
    }
    sqlite3_close(q->db);
    wspgw_free(q->done);
    wspgw_free(q);
}


void
gw_pushq_set_opts(struct gw_pushq *q, const struct gw_pushq_opts *o)
{
    if (o->sync_full != q->o.sync_full) {
        (void) exec_sql(q, o->sync_full ? "PRAGMA synchronous = FULL"
            : "PRAGMA synchronous = NORMAL");
    }
    q->o = *o;
}


void
gw_pushq_set_result_fn(struct gw_pushq *q, gw_push_result_fn fn, void *ctx)
{
    q->result_fn = fn;
    q->result_ctx = ctx;
}


void
gw_pushq_set_observer_fn(struct gw_pushq *q, gw_push_result_fn fn,
    void *ctx)
{
    q->observer_fn = fn;
    q->observer_ctx = ctx;
}


void
gw_pushq_set_wake_fn(struct gw_pushq *q, void (*fn)(void *ctx), void *ctx)
{
    q->wake_fn = fn;
    q->wake_ctx = ctx;
}


unsigned
gw_pushq_live(const struct gw_pushq *q)
{
    return q->live;
}


unsigned
gw_pushq_recovered(const struct gw_pushq *q)
{
    return q->recovered;
}


static void
bind_text(sqlite3_stmt *s, int i, const char *t)
{
    sqlite3_bind_text(s, i, t != NULL ? t : "", -1, SQLITE_TRANSIENT);
}


int
gw_pushq_add(struct gw_pushq *q, const struct gw_push_msg *m,
    uint64_t now_ms, int64_t *id)
{
    struct gw_push_rec dummy;
    sqlite3_stmt *s;
    uint64_t before;
    int rc;

    if (m->push_id == NULL || m->push_id[0] == '\0' || m->user == NULL
        || m->address == NULL || m->address[0] == '\0'
        || m->content_type == NULL || m->content_type[0] == '\0'
        || strlen(m->push_id) >= sizeof(dummy.push_id)
        || strlen(m->user) >= sizeof(dummy.user)
        || strlen(m->address) >= sizeof(dummy.address)
        || (m->notify_to != NULL
            && strlen(m->notify_to) >= sizeof(dummy.notify_to))
        || m->addr_type < GW_PUSH_PLMN || m->addr_type > GW_PUSH_IPV6)
    {
        return WSPGW_EINVAL;
    }
    if (m->body_len > GW_PUSHQ_MAX_BODY) {
        return WSPGW_EMSGSIZE;
    }
    if (q->live >= q->o.max_queued) {
        return WSPGW_ENOSPC;
    }
    before = m->deliver_before_ms != 0 ? m->deliver_before_ms
        : now_ms + q->o.max_lifetime_ms;
    gw_pushq_batch_begin(q);
    s = stmt(q, S_ADD);
    bind_text(s, 1, m->push_id);
    bind_text(s, 2, m->user);
    sqlite3_bind_int(s, 3, (int) m->addr_type);
    bind_text(s, 4, m->address);
    bind_text(s, 5, m->content_type);
    sqlite3_bind_blob(s, 6, m->body_len > 0 ? (const void *) m->body : "",
        (int) m->body_len, SQLITE_STATIC);
    bind_text(s, 7, m->app_id);
    sqlite3_bind_int(s, 8, m->minimal_headers != 0);
    sqlite3_bind_int64(s, 9, (sqlite3_int64) m->deliver_after_ms);
    sqlite3_bind_int64(s, 10, (sqlite3_int64) before);
    sqlite3_bind_int64(s, 11, (sqlite3_int64) now_ms);
    bind_text(s, 12, m->notify_to);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_CONSTRAINT) {
        /* Only the statement failed; the transaction (and any batch it
         * is part of) goes on. */
        (void) gw_pushq_batch_end(q);
        return WSPGW_EEXIST;
    }
    if (rc != SQLITE_DONE) {
        q->failed = 1;
        db_error(q, "adding a push");
        (void) gw_pushq_batch_end(q);
        return WSPGW_EIO;
    }
    *id = sqlite3_last_insert_rowid(q->db);
    /* The concatenation reference is fixed now, for every send of this
     * push: consecutive pushes get consecutive references. */
    s = stmt(q, S_SET_REF);
    sqlite3_bind_int64(s, 1, *id);
    if (run(q, s, "setting the concatenation reference") != 0) {
        q->failed = 1;
    }
    q->live_delta++;
    if (gw_pushq_batch_end(q) != 0) {
        return WSPGW_EIO;
    }
    if (q->wake_fn != NULL) {
        q->wake_fn(q->wake_ctx);
    }
    return 0;
}


int
gw_pushq_lookup(struct gw_pushq *q, const char *user, const char *push_id,
    struct gw_push_rec *out)
{
    sqlite3_stmt *s = stmt(q, S_LOOKUP);
    int64_t id;
    int rc;

    bind_text(s, 1, user);
    bind_text(s, 2, push_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return WSPGW_ENOENT;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_error(q, "looking a push up");
    }
    id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return get_rec(q, id, out);
}


int
gw_pushq_cancel(struct gw_pushq *q, const char *user, const char *push_id,
    uint64_t now_ms)
{
    struct gw_push_rec r;
    sqlite3_stmt *s;
    int rc;

    rc = gw_pushq_lookup(q, user, push_id, &r);
    if (rc != 0) {
        return rc;
    }
    gw_pushq_batch_begin(q);
    s = stmt(q, S_CANCEL);
    sqlite3_bind_int64(s, 1, r.id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64) now_ms);
    rc = track(q, run(q, s, "cancelling a push"));
    if (rc == 0 && sqlite3_changes(q->db) == 0) {
        /* Delivered, being sent, submitted or final already. */
        (void) gw_pushq_batch_end(q);
        return WSPGW_EBUSY;
    }
    if (rc == 0) {
        rc = note_final(q, r.id);
    }
    if (gw_pushq_batch_end(q) != 0) {
        return WSPGW_EIO;
    }
    return rc;
}


void
gw_push_item_free(struct gw_push_item *it)
{
    wspgw_free(it->body);
    it->body = NULL;
    it->body_len = 0;
}


/* Fills the delivery fields of it from the row of it->rec.id. */
static int
load_item(struct gw_pushq *q, struct gw_push_item *it)
{
    sqlite3_stmt *s = stmt(q, S_TAKE_GET);
    const void *body;
    int rc, n;

    sqlite3_bind_int64(s, 1, it->rec.id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? WSPGW_ENOENT : db_error(q, "loading");
    }
    copy_text(it->content_type, sizeof(it->content_type),
        sqlite3_column_text(s, 0));
    copy_text(it->app_id, sizeof(it->app_id), sqlite3_column_text(s, 1));
    it->minimal_headers = sqlite3_column_int(s, 2);
    body = sqlite3_column_blob(s, 3);
    n = sqlite3_column_bytes(s, 3);
    it->body = wspgw_malloc(n > 0 ? (size_t) n : 1);
    if (it->body == NULL) {
        sqlite3_reset(s);
        return WSPGW_ENOMEM;
    }
    if (n > 0) {
        memcpy(it->body, body, (size_t) n);
    }
    it->body_len = (size_t) n;
    it->deliver_after_ms = (uint64_t) sqlite3_column_int64(s, 4);
    it->deliver_before_ms = (uint64_t) sqlite3_column_int64(s, 5);
    it->concat_ref = (unsigned) sqlite3_column_int(s, 6) & 0xffff;
    sqlite3_reset(s);

    memset(it->part_done, 0, sizeof(it->part_done));
    s = stmt(q, S_PARTS_GET);
    sqlite3_bind_int64(s, 1, it->rec.id);
    for (;;) {
        int part;

        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            break;
        }
        part = sqlite3_column_int(s, 0);

        if (part >= 1 && part <= GW_PUSHQ_MAX_PARTS) {
            it->part_done[(part - 1) / 8] |= (uint8_t) (1u << ((part - 1)
                % 8));
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        gw_push_item_free(it);
        return db_error(q, "loading the parts sent");
    }
    return 0;
}


int
gw_pushq_take(struct gw_pushq *q, uint64_t now_ms, unsigned kinds,
    struct gw_push_item *out)
{
    sqlite3_stmt *s;
    int64_t id = -1;
    int rc;

    memset(out, 0, sizeof(*out));
    s = stmt(q, S_TAKE_LIST);
    sqlite3_bind_int64(s, 1, (sqlite3_int64) now_ms);
    sqlite3_bind_int(s, 2, kinds != 0 ? (int) kinds : 0xff);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return track(q, db_error(q, "finding due pushes"));
    }
    if (id < 0) {
        return WSPGW_ENOENT;
    }
    gw_pushq_batch_begin(q);
    s = stmt(q, S_TAKE_SET);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64) now_ms);
    rc = track(q, run(q, s, "taking a push"));
    if (rc == 0) {
        rc = track(q, get_rec(q, id, &out->rec));
    }
    if (rc == 0) {
        rc = track(q, load_item(q, out));
    }
    if (gw_pushq_batch_end(q) != 0 && rc == 0) {
        rc = WSPGW_EIO;
    }
    if (rc != 0) {
        gw_push_item_free(out);
    }
    return rc;
}


int
gw_pushq_next_due(struct gw_pushq *q, uint64_t *when_ms)
{
    sqlite3_stmt *s = stmt(q, S_NEXT_DUE);
    int rc = sqlite3_step(s);

    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_error(q, "finding the next due push");
    }
    if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
        sqlite3_reset(s);
        return WSPGW_ENOENT;
    }
    *when_ms = (uint64_t) sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}


int
gw_pushq_part_sent(struct gw_pushq *q, int64_t id, unsigned part,
    const char *msg_id, uint64_t now_ms)
{
    sqlite3_stmt *s;
    int rc;

    (void) now_ms;
    if (part < 1 || part > GW_PUSHQ_MAX_PARTS) {
        return WSPGW_EINVAL;
    }
    gw_pushq_batch_begin(q);
    s = stmt(q, S_PART_ADD);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, (int) part);
    bind_text(s, 3, msg_id);
    rc = track(q, run(q, s, "recording an SMS part"));
    if (gw_pushq_batch_end(q) != 0) {
        rc = WSPGW_EIO;
    }
    return rc;
}


/* SENDING/SUBMITTED -> st, inside a batch. */
static int
set_state(struct gw_pushq *q, int64_t id, int st, const char *detail,
    uint64_t now_ms)
{
    sqlite3_stmt *s = stmt(q, S_SET_STATE);
    int rc;

    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, st);
    sqlite3_bind_int64(s, 3, (sqlite3_int64) now_ms);
    bind_text(s, 4, detail);
    rc = track(q, run(q, s, "changing a push's state"));
    if (rc == 0 && sqlite3_changes(q->db) == 0) {
        return WSPGW_ENOENT;
    }
    if (rc == 0 && is_final(st)) {
        rc = note_final(q, id);
    }
    return rc;
}


int
gw_pushq_sent(struct gw_pushq *q, int64_t id, int await_receipt,
    const char *detail, uint64_t now_ms)
{
    sqlite3_stmt *s;
    int rc, left = 1;

    gw_pushq_batch_begin(q);
    if (await_receipt) {
        /* Receipts may come before the last part's response: when every
         * part has its receipt already, the push is delivered now. */
        s = stmt(q, S_RECEIPT_LEFT);
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) == SQLITE_ROW) {
            left = sqlite3_column_int(s, 0);
        }
        sqlite3_reset(s);
    }
    rc = set_state(q, id, await_receipt && left > 0 ? ST_SUBMITTED
        : GW_PUSH_DELIVERED, await_receipt && left == 0
        ? "delivered (SMSC receipt)" : detail, now_ms);
    if (gw_pushq_batch_end(q) != 0) {
        rc = WSPGW_EIO;
    }
    return rc;
}


int
gw_pushq_finish(struct gw_pushq *q, int64_t id, enum gw_push_state st,
    const char *detail, uint64_t now_ms)
{
    int rc;

    if (st != GW_PUSH_DELIVERED && st != GW_PUSH_FAILED
        && st != GW_PUSH_EXPIRED)
    {
        return WSPGW_EINVAL;
    }
    gw_pushq_batch_begin(q);
    rc = set_state(q, id, (int) st, detail, now_ms);
    if (gw_pushq_batch_end(q) != 0) {
        rc = WSPGW_EIO;
    }
    return rc;
}


int
gw_pushq_retry(struct gw_pushq *q, int64_t id, uint64_t next_try_ms,
    const char *detail, uint64_t now_ms)
{
    sqlite3_stmt *s;
    int rc;

    gw_pushq_batch_begin(q);
    s = stmt(q, S_RETRY);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64) next_try_ms);
    sqlite3_bind_int64(s, 3, (sqlite3_int64) now_ms);
    bind_text(s, 4, detail);
    rc = track(q, run(q, s, "rescheduling a push"));
    if (rc == 0 && sqlite3_changes(q->db) == 0) {
        rc = WSPGW_ENOENT;
    }
    if (gw_pushq_batch_end(q) != 0) {
        rc = WSPGW_EIO;
    }
    return rc;
}


int
gw_pushq_expire(struct gw_pushq *q, uint64_t now_ms)
{
    int64_t ids[256];
    unsigned n = 0, i;
    sqlite3_stmt *s;
    int rc, expired = 0;

    s = stmt(q, S_EXPIRE_LIST);
    sqlite3_bind_int64(s, 1, (sqlite3_int64) now_ms);
    for (;;) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW || n == 256) {
            break;
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return db_error(q, "finding expired pushes");
    }
    gw_pushq_batch_begin(q);
    for (i = 0; i < n; i++) {
        s = stmt(q, S_EXPIRE_ONE);
        sqlite3_bind_int64(s, 1, ids[i]);
        sqlite3_bind_int64(s, 2, (sqlite3_int64) now_ms);
        bind_text(s, 3, "deliver-before passed");
        if (track(q, run(q, s, "expiring a push")) == 0
            && sqlite3_changes(q->db) > 0)
        {
            (void) note_final(q, ids[i]);
            expired++;
        }
    }
    if (q->o.keep_final_ms > 0 && now_ms > q->o.keep_final_ms) {
        s = stmt(q, S_PURGE_PARTS);
        sqlite3_bind_int64(s, 1, (sqlite3_int64) (now_ms
            - q->o.keep_final_ms));
        (void) track(q, run(q, s, "purging parts"));
        s = stmt(q, S_PURGE);
        sqlite3_bind_int64(s, 1, (sqlite3_int64) (now_ms
            - q->o.keep_final_ms));
        (void) track(q, run(q, s, "purging final pushes"));
    }
    if (gw_pushq_batch_end(q) != 0) {
        return WSPGW_EIO;
    }
    return expired;
}


int
gw_pushq_receipt(struct gw_pushq *q, const char *msg_id, int delivered,
    enum gw_push_state final, const char *detail, uint64_t now_ms)
{
    sqlite3_stmt *s;
    int64_t id;
    int part, rc, left;

    if (msg_id == NULL || msg_id[0] == '\0') {
        return WSPGW_ENOENT;
    }
    s = stmt(q, S_RECEIPT_FIND);
    bind_text(s, 1, msg_id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? WSPGW_ENOENT
            : db_error(q, "finding a receipt's push");
    }
    id = sqlite3_column_int64(s, 0);
    part = sqlite3_column_int(s, 1);
    sqlite3_reset(s);
    gw_pushq_batch_begin(q);
    if (!delivered) {
        /* Also a push waiting to send its other parts again (PENDING):
         * this part will not reach the handset, so neither will the
         * push. */
        s = stmt(q, S_FAIL_ANY);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, final == GW_PUSH_EXPIRED ? GW_PUSH_EXPIRED
            : GW_PUSH_FAILED);
        sqlite3_bind_int64(s, 3, (sqlite3_int64) now_ms);
        bind_text(s, 4, detail);
        rc = track(q, run(q, s, "failing a push by receipt"));
        if (rc == 0 && sqlite3_changes(q->db) > 0) {
            rc = note_final(q, id);
        }
        goto done;
    }
    s = stmt(q, S_RECEIPT_SET);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, part);
    rc = track(q, run(q, s, "recording a receipt"));
    if (rc != 0) {
        goto done;
    }
    s = stmt(q, S_RECEIPT_LEFT);
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        rc = track(q, db_error(q, "counting receipts"));
        goto done;
    }
    left = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (left == 0 && push_state(q, id) == ST_SUBMITTED) {
        /* While SENDING, more parts may follow: gw_pushq_sent decides. */
        rc = set_state(q, id, GW_PUSH_DELIVERED, detail, now_ms);
    }
done:
    if (gw_pushq_batch_end(q) != 0) {
        rc = WSPGW_EIO;
    }
    return rc;
}
