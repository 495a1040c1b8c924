/*
 * tests/integration/push_inject.c - TEST ONLY: puts pushes into a push
 * queue file through the queue's own API (gw_pushq_add), the same call
 * the PAP front end makes, so the delivery engine can be tested before
 * and without the PAP listener.  Not installed.
 *
 *   push_inject DB COUNT [options]
 *     --prefix +1555     destination prefix; the push number (6 digits)
 *                        is appended, so every push has its own marker
 *     --start N          first push number (default 0)
 *     --size N           content-location padding: the m-notification-
 *                        ind grows by about N octets (default 0)
 *     --ip ADDR          IPv4/IPv6 pushes to ADDR instead of SMS
 *     --before-ms N      deliver-before = now + N ms
 *     --user NAME        push user (default "test")
 *
 * The gateway may be running on the same file: SQLite's WAL allows a
 * second writer process; the gateway sees the rows at its next wake-up
 * (at most 1 s).  Exit 0 when all were added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wspgw/buf.h"
#include "wspgw/err.h"
#include "pushq.h"


static uint64_t
wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}


/* A minimal m-notification-ind (shared/reference/mms.md 7) carrying the
 * marker in its transaction id and content location. */
static void
notification(struct wspgw_buf *b, const char *marker, unsigned pad)
{
    static const uint8_t head[] = { 0x8c, 0x82, 0x98 };
    static const uint8_t mid[] = { 0x8d, 0x92, 0x8a, 0x80, 0x8e, 0x02, 0x75,
        0x30, 0x88, 0x05, 0x81, 0x03, 0x09, 0x3a, 0x80, 0x83 };
    unsigned i;

    wspgw_buf_append(b, head, sizeof(head));
    wspgw_buf_printf(b, "T%s", marker);
    wspgw_buf_putc(b, 0);
    wspgw_buf_append(b, mid, sizeof(mid));
    wspgw_buf_printf(b, "http://mmsc.example.net/m/%s/", marker);
    for (i = 0; i < pad; i++) {
        wspgw_buf_putc(b, (uint8_t) ('a' + i % 26));
    }
    wspgw_buf_putc(b, 0);
}


int
main(int argc, char **argv)
{
    const char *prefix = "+1555", *ip = NULL, *user = "test";
    unsigned count, start = 0, pad = 0, i, added = 0;
    uint64_t before_ms = 0, now;
    struct gw_pushq_opts o;
    struct gw_pushq *q;
    char err[512];
    int a;

    if (argc < 3) {
        fprintf(stderr, "usage: push_inject DB COUNT [--prefix P] [--start "
            "N] [--size N] [--ip ADDR] [--before-ms N] [--user U]\n");
        return 2;
    }
    count = (unsigned) strtoul(argv[2], NULL, 10);
    for (a = 3; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--prefix") == 0) {
            prefix = argv[a + 1];
        } else if (strcmp(argv[a], "--start") == 0) {
            start = (unsigned) strtoul(argv[a + 1], NULL, 10);
        } else if (strcmp(argv[a], "--size") == 0) {
            pad = (unsigned) strtoul(argv[a + 1], NULL, 10);
        } else if (strcmp(argv[a], "--ip") == 0) {
            ip = argv[a + 1];
        } else if (strcmp(argv[a], "--before-ms") == 0) {
            before_ms = strtoull(argv[a + 1], NULL, 10);
        } else if (strcmp(argv[a], "--user") == 0) {
            user = argv[a + 1];
        } else {
            fprintf(stderr, "push_inject: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    memset(&o, 0, sizeof(o));
    o.max_queued = 10000000;
    o.max_lifetime_ms = 86400000;
    o.keep_final_ms = 86400000;
    o.sync_full = 0;
    if (gw_pushq_open(&q, argv[1], &o, err, sizeof(err)) != 0) {
        fprintf(stderr, "push_inject: %s\n", err);
        return 1;
    }
    now = wall_ms();
    gw_pushq_batch_begin(q);
    for (i = start; i < start + count; i++) {
        struct gw_push_msg m;
        struct wspgw_buf body;
        char marker[32], addr[64], push_id[64];
        int64_t id;
        int rc;

        snprintf(marker, sizeof(marker), "%06u", i);
        snprintf(push_id, sizeof(push_id), "inj-%06u@test", i);
        if (ip != NULL) {
            snprintf(addr, sizeof(addr), "%s", ip);
        } else {
            snprintf(addr, sizeof(addr), "%s%s", prefix, marker);
        }
        wspgw_buf_init(&body, 70000);
        notification(&body, marker, pad);
        memset(&m, 0, sizeof(m));
        m.push_id = push_id;
        m.user = user;
        m.addr_type = ip == NULL ? GW_PUSH_PLMN
            : strchr(ip, ':') != NULL ? GW_PUSH_IPV6 : GW_PUSH_IPV4;
        m.address = addr;
        m.content_type = "application/vnd.wap.mms-message";
        m.body = body.data;
        m.body_len = body.len;
        m.app_id = "x-wap-application:mms.ua";
        m.minimal_headers = 1;
        m.deliver_before_ms = before_ms != 0 ? now + before_ms : 0;
        rc = gw_pushq_add(q, &m, now, &id);
        wspgw_buf_free(&body);
        if (rc != 0) {
            fprintf(stderr, "push_inject: push %u: %s\n", i,
                wspgw_strerror(rc));
            break;
        }
        added++;
    }
    if (gw_pushq_batch_end(q) != 0) {
        fprintf(stderr, "push_inject: commit failed\n");
        added = 0;
    }
    gw_pushq_close(q);
    printf("%u\n", added);
    return added == count ? 0 : 1;
}
