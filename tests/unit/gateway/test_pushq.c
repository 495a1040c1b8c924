/*
 * tests/unit/gateway/test_pushq.c - the durable push queue.
 *
 * Real SQLite files in /tmp (removed after each test).  The crash test
 * forks a child that commits pushes, takes some for sending and then
 * SIGKILLs itself without closing the database; the parent reopens the
 * file and checks that nothing was lost, that the pushes being sent are
 * pending again with their accepted parts and concatenation reference.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wspgw/err.h"
#include "pushq.h"

static char dbpath[64];
static struct gw_push_rec results[64];
static unsigned n_results;


static void
on_result(void *ctx, const struct gw_push_rec *r)
{
    (void) ctx;
    if (n_results < 64) {
        results[n_results] = *r;
    }
    n_results++;
}


static void
opts(struct gw_pushq_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_queued = 100;
    o->max_lifetime_ms = 86400000;
    o->keep_final_ms = 3600000;
    o->sync_full = 1;
}


static void
remove_db(void)
{
    char p[80];

    unlink(dbpath);
    snprintf(p, sizeof(p), "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", dbpath);
    unlink(p);
}


static struct gw_pushq *
open_q(void)
{
    struct gw_pushq_opts o;
    struct gw_pushq *q;
    char err[256];

    opts(&o);
    ck_assert_int_eq(gw_pushq_open(&q, dbpath, &o, err, sizeof(err)), 0);
    gw_pushq_set_result_fn(q, on_result, NULL);
    return q;
}


static void
setup(void)
{
    int fd;

    snprintf(dbpath, sizeof(dbpath), "/tmp/wspgw-pushq-XXXXXX");
    fd = mkstemp(dbpath);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(dbpath);
    n_results = 0;
}


static void
teardown(void)
{
    remove_db();
}


static void
msg(struct gw_push_msg *m, const char *push_id, const char *addr)
{
    static const uint8_t body[] = { 0x8c, 0x82, 0x98, 'x' };

    memset(m, 0, sizeof(*m));
    m->push_id = push_id;
    m->user = "mmsc";
    m->addr_type = GW_PUSH_PLMN;
    m->address = addr;
    m->content_type = "application/vnd.wap.mms-message";
    m->body = body;
    m->body_len = sizeof(body);
    m->app_id = "x-wap-application:mms.ua";
    m->notify_to = "http://127.0.0.1:9/notify";
}


START_TEST(add_lookup_dup)
{
    struct gw_pushq *q = open_q();
    struct gw_push_msg m;
    struct gw_push_rec r;
    int64_t id, id2;

    msg(&m, "p1", "+15550001");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id), 0);
    ck_assert_int_gt(id, 0);
    ck_assert_uint_eq(gw_pushq_live(q), 1);
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id2), WSPGW_EEXIST);
    ck_assert_uint_eq(gw_pushq_live(q), 1);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "p1", &r), 0);
    ck_assert_int_eq(r.id, id);
    ck_assert_str_eq(r.push_id, "p1");
    ck_assert_str_eq(r.address, "+15550001");
    ck_assert_str_eq(r.notify_to, "http://127.0.0.1:9/notify");
    ck_assert_int_eq(r.state, GW_PUSH_PENDING);
    ck_assert_uint_eq(r.created_ms, 1000);
    ck_assert_int_eq(gw_pushq_lookup(q, "other", "p1", &r), WSPGW_ENOENT);
    /* The same push id from another user is another push. */
    m.user = "other";
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id2), 0);
    ck_assert_int_ne(id, id2);
    /* Bad arguments. */
    m.push_id = "";
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id2), WSPGW_EINVAL);
    msg(&m, "p9", "+1");
    m.addr_type = (enum gw_push_addr_type) 9;
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id2), WSPGW_EINVAL);
    msg(&m, "p9", "+1");
    m.body_len = GW_PUSHQ_MAX_BODY + 1;
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id2), WSPGW_EMSGSIZE);
    gw_pushq_close(q);
}
END_TEST


START_TEST(cap)
{
    struct gw_pushq_opts o;
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    int64_t id;

    opts(&o);
    o.max_queued = 2;
    gw_pushq_set_opts(q, &o);
    msg(&m, "a", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id), 0);
    msg(&m, "b", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id), 0);
    msg(&m, "c", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id), WSPGW_ENOSPC);
    /* A final push no longer counts. */
    ck_assert_int_eq(gw_pushq_take(q, 2, 0, &it), 0);
    ck_assert_int_eq(gw_pushq_sent(q, it.rec.id, 0, "ok", 3), 0);
    gw_push_item_free(&it);
    ck_assert_uint_eq(gw_pushq_live(q), 1);
    ck_assert_int_eq(gw_pushq_add(q, &m, 4, &id), 0);
    gw_pushq_close(q);
}
END_TEST


START_TEST(take_send_deliver)
{
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    struct gw_push_rec r;
    int64_t id;

    msg(&m, "p1", "+15550001");
    m.minimal_headers = 1;
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id), 0);
    /* Only IP pushes wanted: nothing. */
    ck_assert_int_eq(gw_pushq_take(q, 1000, 1u << GW_PUSH_IPV4, &it),
        WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_take(q, 1000, 1u << GW_PUSH_PLMN, &it), 0);
    ck_assert_int_eq(it.rec.id, id);
    ck_assert_str_eq(it.content_type, "application/vnd.wap.mms-message");
    ck_assert_str_eq(it.app_id, "x-wap-application:mms.ua");
    ck_assert_int_eq(it.minimal_headers, 1);
    ck_assert_uint_eq(it.body_len, 4);
    ck_assert_int_eq(it.body[0], 0x8c);
    ck_assert_uint_eq(it.concat_ref, (unsigned) id & 0xffff);
    ck_assert_uint_eq(it.deliver_before_ms, 1000 + 86400000ULL);
    ck_assert_uint_eq(it.rec.attempts, 1);
    /* Taken: not again, not cancellable, but still pending outside. */
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_take(q, 1000, 0, &it), WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_cancel(q, "mmsc", "p1", 1001), WSPGW_EBUSY);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "p1", &r), 0);
    ck_assert_int_eq(r.state, GW_PUSH_PENDING);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 1, "abc", 1002), 0);
    ck_assert_uint_eq(n_results, 0);
    ck_assert_int_eq(gw_pushq_sent(q, id, 0, "smsc id abc", 1003), 0);
    ck_assert_uint_eq(n_results, 1);
    ck_assert_int_eq(results[0].state, GW_PUSH_DELIVERED);
    ck_assert_str_eq(results[0].push_id, "p1");
    ck_assert_str_eq(results[0].detail, "smsc id abc");
    ck_assert_uint_eq(results[0].updated_ms, 1003);
    ck_assert_uint_eq(gw_pushq_live(q), 0);
    /* Final: a second outcome is refused. */
    ck_assert_int_eq(gw_pushq_finish(q, id, GW_PUSH_FAILED, "x", 1004),
        WSPGW_ENOENT);
    ck_assert_uint_eq(n_results, 1);
    gw_push_item_free(&it);
    gw_pushq_close(q);
}
END_TEST


START_TEST(cancel)
{
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    struct gw_push_rec r;
    int64_t id;

    msg(&m, "p1", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 10, &id), 0);
    ck_assert_int_eq(gw_pushq_cancel(q, "mmsc", "nope", 11), WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_cancel(q, "mmsc", "p1", 11), 0);
    ck_assert_uint_eq(n_results, 1);
    ck_assert_int_eq(results[0].state, GW_PUSH_CANCELLED);
    ck_assert_int_eq(gw_pushq_cancel(q, "mmsc", "p1", 12), WSPGW_EBUSY);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "p1", &r), 0);
    ck_assert_int_eq(r.state, GW_PUSH_CANCELLED);
    ck_assert_int_eq(gw_pushq_take(q, 100, 0, &it), WSPGW_ENOENT);
    ck_assert_uint_eq(gw_pushq_live(q), 0);
    gw_pushq_close(q);
}
END_TEST


START_TEST(schedule_retry_expire)
{
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    uint64_t when;
    int64_t id;

    ck_assert_int_eq(gw_pushq_next_due(q, &when), WSPGW_ENOENT);
    msg(&m, "later", "+1");
    m.deliver_after_ms = 5000;
    m.deliver_before_ms = 9000;
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id), 0);
    ck_assert_int_eq(gw_pushq_next_due(q, &when), 0);
    ck_assert_uint_eq(when, 5000);
    ck_assert_int_eq(gw_pushq_take(q, 4999, 0, &it), WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_take(q, 5000, 0, &it), 0);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_retry(q, id, 7000, "SMSC busy", 5001), 0);
    ck_assert_int_eq(gw_pushq_next_due(q, &when), 0);
    ck_assert_uint_eq(when, 7000);
    ck_assert_int_eq(gw_pushq_take(q, 6999, 0, &it), WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_take(q, 7000, 0, &it), 0);
    ck_assert_uint_eq(it.rec.attempts, 2);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_retry(q, id, 10000, "SMSC busy", 7001), 0);
    /* The retry would be after deliver-before: the push expires. */
    ck_assert_int_eq(gw_pushq_next_due(q, &when), 0);
    ck_assert_uint_eq(when, 9000);
    ck_assert_int_eq(gw_pushq_expire(q, 8999), 0);
    ck_assert_uint_eq(n_results, 0);
    ck_assert_int_eq(gw_pushq_expire(q, 9000), 1);
    ck_assert_uint_eq(n_results, 1);
    ck_assert_int_eq(results[0].state, GW_PUSH_EXPIRED);
    ck_assert_uint_eq(results[0].attempts, 2);
    ck_assert_int_eq(gw_pushq_next_due(q, &when), WSPGW_ENOENT);
    gw_pushq_close(q);
}
END_TEST


START_TEST(receipts)
{
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    struct gw_push_rec r;
    int64_t id, id2;

    msg(&m, "two-parts", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id), 0);
    msg(&m, "fails", "+2");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id2), 0);
    ck_assert_int_eq(gw_pushq_take(q, 2, 0, &it), 0);
    ck_assert_int_eq(it.rec.id, id);
    gw_push_item_free(&it);
    gw_pushq_batch_begin(q);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 1, "m1", 3), 0);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 2, "m2", 3), 0);
    ck_assert_int_eq(gw_pushq_sent(q, id, 1, "submitted", 3), 0);
    ck_assert_int_eq(gw_pushq_batch_end(q), 0);
    ck_assert_uint_eq(n_results, 0);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "two-parts", &r), 0);
    ck_assert_int_eq(r.state, GW_PUSH_PENDING);
    ck_assert_int_eq(gw_pushq_receipt(q, "zz", 1, GW_PUSH_FAILED, "", 4),
        WSPGW_ENOENT);
    ck_assert_int_eq(gw_pushq_receipt(q, "m2", 1, GW_PUSH_FAILED,
        "DELIVRD", 4), 0);
    ck_assert_uint_eq(n_results, 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "m1", 1, GW_PUSH_FAILED,
        "DELIVRD", 5), 0);
    ck_assert_uint_eq(n_results, 1);
    ck_assert_int_eq(results[0].state, GW_PUSH_DELIVERED);
    ck_assert_str_eq(results[0].push_id, "two-parts");

    ck_assert_int_eq(gw_pushq_take(q, 6, 0, &it), 0);
    ck_assert_int_eq(it.rec.id, id2);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_part_sent(q, id2, 1, "m3", 6), 0);
    ck_assert_int_eq(gw_pushq_sent(q, id2, 1, "submitted", 6), 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "m3", 0, GW_PUSH_FAILED,
        "UNDELIV", 7), 0);
    ck_assert_uint_eq(n_results, 2);
    ck_assert_int_eq(results[1].state, GW_PUSH_FAILED);
    ck_assert_str_eq(results[1].detail, "UNDELIV");
    ck_assert_uint_eq(gw_pushq_live(q), 0);

    /* Receipts that come before the last part's response (the same read
     * from the SMSC): recorded while SENDING, final at sent. */
    msg(&m, "early", "+3");
    ck_assert_int_eq(gw_pushq_add(q, &m, 8, &id), 0);
    ck_assert_int_eq(gw_pushq_take(q, 9, 0, &it), 0);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 1, "e1", 9), 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "e1", 1, GW_PUSH_FAILED,
        "DELIVRD", 9), 0);
    ck_assert_uint_eq(n_results, 2);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 2, "e2", 9), 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "e2", 1, GW_PUSH_FAILED,
        "DELIVRD", 9), 0);
    ck_assert_uint_eq(n_results, 2);
    ck_assert_int_eq(gw_pushq_sent(q, id, 1, "submitted", 10), 0);
    ck_assert_uint_eq(n_results, 3);
    ck_assert_int_eq(results[2].state, GW_PUSH_DELIVERED);

    /* Part 1 accepted, part 2 refused for now: the push is PENDING
     * again when part 1's receipt comes; then it is sent again (part 2
     * only) and delivered when part 2's receipt is in. */
    msg(&m, "late", "+4");
    ck_assert_int_eq(gw_pushq_add(q, &m, 11, &id), 0);
    ck_assert_int_eq(gw_pushq_take(q, 12, 0, &it), 0);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 1, "l1", 12), 0);
    ck_assert_int_eq(gw_pushq_retry(q, id, 13, "throttled", 12), 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "l1", 1, GW_PUSH_FAILED,
        "DELIVRD", 12), 0);
    ck_assert_int_eq(gw_pushq_take(q, 13, 0, &it), 0);
    ck_assert_int_eq(it.part_done[0], 0x01);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 2, "l2", 13), 0);
    ck_assert_int_eq(gw_pushq_sent(q, id, 1, "submitted", 13), 0);
    ck_assert_uint_eq(n_results, 3);
    ck_assert_int_eq(gw_pushq_receipt(q, "l2", 1, GW_PUSH_FAILED,
        "DELIVRD", 14), 0);
    ck_assert_uint_eq(n_results, 4);
    ck_assert_int_eq(results[3].state, GW_PUSH_DELIVERED);

    /* A failure receipt for a PENDING push ends it. */
    msg(&m, "late-fail", "+5");
    ck_assert_int_eq(gw_pushq_add(q, &m, 15, &id), 0);
    ck_assert_int_eq(gw_pushq_take(q, 16, 0, &it), 0);
    gw_push_item_free(&it);
    ck_assert_int_eq(gw_pushq_part_sent(q, id, 1, "f1", 16), 0);
    ck_assert_int_eq(gw_pushq_retry(q, id, 17, "throttled", 16), 0);
    ck_assert_int_eq(gw_pushq_receipt(q, "f1", 0, GW_PUSH_FAILED,
        "UNDELIV", 16), 0);
    ck_assert_uint_eq(n_results, 5);
    ck_assert_int_eq(results[4].state, GW_PUSH_FAILED);
    ck_assert_int_eq(gw_pushq_take(q, 18, 0, &it), WSPGW_ENOENT);
    gw_pushq_close(q);
}
END_TEST


START_TEST(batch_callbacks_after_commit)
{
    struct gw_pushq *q = open_q();
    struct gw_push_item it;
    struct gw_push_msg m;
    int64_t id;
    char name[16];
    int i;

    for (i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "b%d", i);
        msg(&m, name, "+1");
        ck_assert_int_eq(gw_pushq_add(q, &m, 1, &id), 0);
    }
    gw_pushq_batch_begin(q);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(gw_pushq_take(q, 2, 0, &it), 0);
        ck_assert_int_eq(gw_pushq_sent(q, it.rec.id, 0, "ok", 3), 0);
        gw_push_item_free(&it);
    }
    ck_assert_uint_eq(n_results, 0);
    ck_assert_int_eq(gw_pushq_batch_end(q), 0);
    ck_assert_uint_eq(n_results, 5);
    ck_assert_uint_eq(gw_pushq_live(q), 0);
    gw_pushq_close(q);
}
END_TEST


START_TEST(purge_final)
{
    struct gw_pushq *q = open_q();
    struct gw_push_msg m;
    struct gw_push_rec r;
    int64_t id;

    msg(&m, "old", "+1");
    ck_assert_int_eq(gw_pushq_add(q, &m, 1000, &id), 0);
    ck_assert_int_eq(gw_pushq_cancel(q, "mmsc", "old", 1000), 0);
    ck_assert_int_eq(gw_pushq_expire(q, 1000 + 3600000), 0);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "old", &r), 0);
    ck_assert_int_eq(gw_pushq_expire(q, 1001 + 3600000), 0);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "old", &r), WSPGW_ENOENT);
    /* Once purged, the push id may be used again. */
    ck_assert_int_eq(gw_pushq_add(q, &m, 5000000, &id), 0);
    gw_pushq_close(q);
}
END_TEST


/*
 * The child adds 20 pushes, takes 3 (one of them with its first SMS part
 * accepted), finishes 1, and is killed with SIGKILL holding the database
 * open, as kill -9 of the gateway would.
 */
static void
crash_child(void)
{
    struct gw_pushq_opts o;
    struct gw_pushq *q;
    struct gw_push_item it;
    struct gw_push_msg m;
    char err[256], name[16], addr[16];
    int64_t id;
    int i;

    opts(&o);
    if (gw_pushq_open(&q, dbpath, &o, err, sizeof(err)) != 0) {
        _exit(2);
    }
    for (i = 0; i < 20; i++) {
        snprintf(name, sizeof(name), "c%02d", i);
        snprintf(addr, sizeof(addr), "+1555%04d", i);
        msg(&m, name, addr);
        if (gw_pushq_add(q, &m, 100, &id) != 0) {
            _exit(3);
        }
    }
    for (i = 0; i < 4; i++) {
        if (gw_pushq_take(q, 200, 0, &it) != 0) {
            _exit(4);
        }
        if (i == 0 && gw_pushq_part_sent(q, it.rec.id, 1, "part1", 201)
            != 0)
        {
            _exit(5);
        }
        if (i == 3 && gw_pushq_sent(q, it.rec.id, 0, "ok", 202) != 0) {
            _exit(6);
        }
        gw_push_item_free(&it);
    }
    kill(getpid(), SIGKILL);
    _exit(7);
}


START_TEST(reopen_after_kill)
{
    struct gw_pushq *q;
    struct gw_push_item it;
    struct gw_push_rec r;
    int status, i, taken = 0, with_part = 0;
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        crash_child();
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(WTERMSIG(status), SIGKILL);

    q = open_q();
    ck_assert_uint_eq(gw_pushq_recovered(q), 3);
    ck_assert_uint_eq(gw_pushq_live(q), 19);
    ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", "c03", &r), 0);
    ck_assert_int_eq(r.state, GW_PUSH_DELIVERED);
    for (;;) {
        if (gw_pushq_take(q, 300, 0, &it) != 0) {
            break;
        }
        taken++;
        ck_assert_uint_eq(it.concat_ref, (unsigned) it.rec.id & 0xffff);
        if (strcmp(it.rec.push_id, "c00") == 0) {
            /* Part 1 was accepted before the crash: not sent again. */
            ck_assert_int_eq(it.part_done[0], 0x01);
            ck_assert_uint_eq(it.rec.attempts, 2);
            with_part++;
        } else {
            ck_assert_int_eq(it.part_done[0], 0);
        }
        ck_assert_int_eq(gw_pushq_sent(q, it.rec.id, 0, "ok", 301), 0);
        gw_push_item_free(&it);
    }
    ck_assert_int_eq(taken, 19);
    ck_assert_int_eq(with_part, 1);
    for (i = 0; i < 20; i++) {
        char name[16];

        snprintf(name, sizeof(name), "c%02d", i);
        ck_assert_int_eq(gw_pushq_lookup(q, "mmsc", name, &r), 0);
        ck_assert_int_eq(r.state, GW_PUSH_DELIVERED);
    }
    gw_pushq_close(q);
}
END_TEST


START_TEST(bad_file)
{
    struct gw_pushq_opts o;
    struct gw_pushq *q;
    char err[256];
    FILE *fp;

    opts(&o);
    ck_assert_int_eq(gw_pushq_open(&q, "/nonexistent-dir/x.db", &o, err,
        sizeof(err)), WSPGW_EIO);
    ck_assert_ptr_null(q);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.db"));
    fp = fopen(dbpath, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("this is not a database, but it is long enough to look like one "
        "to somebody who does not check the header at all...........", fp);
    fclose(fp);
    ck_assert_int_eq(gw_pushq_open(&q, dbpath, &o, err, sizeof(err)),
        WSPGW_EIO);
    ck_assert_ptr_null(q);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("pushq");
    TCase *tc = tcase_create("pushq");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, add_lookup_dup);
    tcase_add_test(tc, cap);
    tcase_add_test(tc, take_send_deliver);
    tcase_add_test(tc, cancel);
    tcase_add_test(tc, schedule_retry_expire);
    tcase_add_test(tc, receipts);
    tcase_add_test(tc, batch_callbacks_after_commit);
    tcase_add_test(tc, purge_final);
    tcase_add_test(tc, reopen_after_kill);
    tcase_add_test(tc, bad_file);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
