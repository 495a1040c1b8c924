/*
 * gateway/main.c - the wspgw daemon: options, configuration, signals,
 * and the one libuv loop that every I/O module runs on.
 *
 * Foreground only: logs go to stderr, SIGTERM/SIGINT stop cleanly (exit
 * 0), SIGHUP re-reads the configuration.  A reload applies what can
 * change at run time (allow list, timeouts, log level, access log,
 * max-requests) and logs the rest as needing a restart; an invalid file
 * is rejected with FILE:LINE and the running configuration stays.
 * Sockets are never closed by a reload.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build-config.h"
#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "admin.h"
#include "cl.h"
#include "co.h"
#include "config.h"
#include "gw.h"
#include "mm1_gw.h"
#include "ppg.h"
#include "push_deliver.h"
#include "pushq.h"

static uv_signal_t sig_term, sig_int, sig_hup;


static void
usage(FILE *out)
{
    fprintf(out,
        "Usage: wspgw -c FILE [--check-config]\n"
        "       wspgw --config-keys | --version | --help\n"
        "\n"
        "A WAP 1.x gateway: WSP over UDP (connectionless, port 9200) and\n"
        "WTP (port 9201) bridged to HTTP/1.1.\n"
        "\n"
        "  -c, --config FILE   configuration file (INI)\n"
        "  -t, --check-config  validate FILE and exit: 0 valid, 1 invalid\n"
        "                      (errors are printed as FILE:LINE: message)\n"
        "      --config-keys   print the table of configuration keys\n"
        "  -V, --version       print the version and exit\n"
        "  -h, --help          print this help and exit\n"
        "\n"
        "Runs in the foreground and logs to stderr.  SIGHUP reloads the\n"
        "configuration; SIGTERM and SIGINT stop the gateway.\n");
}


static void
on_rx(void *ctx, struct gw_udp_sock *s, const struct sockaddr *peer,
    const uint8_t *buf, size_t len)
{
    struct gw *g = ctx;
    uint64_t suppressed;

    /* Client access control first, before any parsing, on both ports.
     * A denied client gets no reply at all: a source address is easy to
     * spoof over UDP, and any answer (even an error) would let a denied
     * sender aim the gateway's datagrams at a victim. */
    if ((g->cfg->allow_client.n > 0 || g->cfg->deny_client.n > 0)
        && !gw_cidr_client_ok(&g->cfg->allow_client, &g->cfg->deny_client,
            peer))
    {
        g->stats.clients_denied++;
        return;
    }
    if (s->kind == GW_PORT_WSP) {
        gw_cl_input(g->cl, s, peer, buf, len);
        return;
    }
    if (s->user == NULL && g->n_co < GW_CO_MAX) {
        s->user = gw_co_new(g, s, &g->cfg->wtp, &g->cfg->wsp);
        if (s->user != NULL) {
            g->co[g->n_co++] = s->user;
        }
    }
    if (s->user == NULL) {
        g->stats.wtp_dropped++;
        if (gw_ratelimit_allow(&g->rl_wtp, uv_now(g->loop), &suppressed)) {
            wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_WTP, "%s: out of memory, "
                "datagram dropped (%llu more not logged)", s->name,
                (unsigned long long) suppressed);
        }
        return;
    }
    gw_co_input(s->user, peer, buf, len);
}


/* push delivery (h/deliver): the queue's options from the config. */
static void
push_opts(const struct gw_config *c, struct gw_pushq_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_queued = c->push_max_queued;
    o->max_lifetime_ms = (uint64_t) c->push_max_lifetime_s * 1000;
    o->keep_final_ms = (uint64_t) c->push_keep_final_s * 1000;
    o->sync_full = c->push_queue_sync_full;
}


/* push delivery (h/deliver): opens the queue and starts the engine when
 * [push] queue is set.  -1 when the queue cannot be opened. */
static int
push_start(struct gw *g)
{
    struct gw_pushq_opts o;
    char err[600];

    if (g->cfg->push_queue[0] == '\0') {
        if (g->cfg->smsc_host[0] != '\0') {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "[smsc] host is set "
                "but [push] queue is empty: push delivery is off");
        }
        return 0;
    }
    push_opts(g->cfg, &o);
    if (gw_pushq_open(&g->pushq, g->cfg->push_queue, &o, err, sizeof(err))
        != 0)
    {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_PUSH, "%s", err);
        return -1;
    }
    if (gw_push_deliver_start(&g->pushd, g, g->pushq) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_PUSH, "out of memory");
        return -1;
    }
    return 0;
}


static void
push_stop(struct gw *g)
{
    gw_push_deliver_stop(g->pushd);
    g->pushd = NULL;
    gw_pushq_close(g->pushq);
    g->pushq = NULL;
}


static void
push_reload(struct gw *g, struct gw_config *next)
{
    struct gw_pushq_opts o;

    /* The queue file and the SMSC link keep running as they are. */
    memcpy(next->push_queue, g->cfg->push_queue, sizeof(next->push_queue));
    if (g->pushq != NULL) {
        push_opts(next, &o);
        gw_pushq_set_opts(g->pushq, &o);
    }
    if (g->pushd != NULL) {
        gw_push_deliver_set_config(g->pushd, next);
    }
}


static void
log_restart_key(void *ctx, const char *key)
{
    wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_CFG,
        "reload: %s changed; it takes effect after a restart", key);
}


/*
 * The PPG front end (h/pap): the PAP listener on [push] listen, which
 * needs the queue push_start opened, and hears the queue's final
 * outcomes for PAP result notifications.
 */
static int
ppg_start(struct gw *g, char *err, size_t errlen)
{
    if (g->cfg->push_listen[0] == '\0' || g->pushq == NULL) {
        return 0;
    }
    if (gw_ppg_open(&g->ppg, g, err, errlen) != 0) {
        return -1;
    }
    gw_pushq_set_result_fn(g->pushq, gw_ppg_on_result, g->ppg);
    return 0;
}


static void
ppg_stop(struct gw *g)
{
    if (g->pushq != NULL) {
        gw_pushq_set_result_fn(g->pushq, NULL, NULL);
    }
    gw_ppg_close(g->ppg);
    g->ppg = NULL;
}


static void
reload(struct gw *g)
{
    struct gw_config *next = wspgw_malloc(sizeof(*next));
    char err[600];
    unsigned i;

    if (next == NULL) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CFG, "reload: out of memory");
        return;
    }
    if (gw_config_load(g->config_path, next, err, sizeof(err)) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CFG,
            "reload rejected, running configuration kept: %s", err);
        wspgw_free(next);
        return;
    }
    next->wsp.id_seed = g->cfg->wsp.id_seed;
    gw_config_restart_needed(g->cfg, next, log_restart_key, NULL);
    /* Keep what needs a restart as it runs now. */
    memcpy(next->bind, g->cfg->bind, sizeof(next->bind));
    next->n_bind = g->cfg->n_bind;
    next->wsp_port = g->cfg->wsp_port;
    next->wtp_port = g->cfg->wtp_port;
    memcpy(next->admin_listen, g->cfg->admin_listen,
        sizeof(next->admin_listen));
    next->admin_addr = g->cfg->admin_addr;
    next->wsp = g->cfg->wsp;
    memcpy(next->push_listen, g->cfg->push_listen, sizeof(next->push_listen));
    next->push_addr = g->cfg->push_addr;

    wspgw_log_set_level(next->log_level);
    gw_http_set_allow(g->http, &next->allow);
    gw_http_set_timeout(g->http, next->timeout_s);
    for (i = 0; i < g->n_co; i++) {
        gw_co_set_config(g->co[i], &next->wtp);
    }
    push_reload(g, next);
    gw_access_log_close(&g->alog);
    if (gw_access_log_open(&g->alog, next->access_log) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CFG,
            "reload: cannot open access log %s; access log off",
            next->access_log);
    }
    /* [enrichment] (issue 5): what needs a restart stays as it runs. */
    memcpy(next->radius_acct, g->cfg->radius_acct,
        sizeof(next->radius_acct));
    next->radius_acct_addr = g->cfg->radius_acct_addr;
    memcpy(next->radius_forward, g->cfg->radius_forward,
        sizeof(next->radius_forward));
    next->radius_forward_addr = g->cfg->radius_forward_addr;
    memcpy(next->enrich_state, g->cfg->enrich_state,
        sizeof(next->enrich_state));
    next->max_subscribers = g->cfg->max_subscribers;
    if (next->radius_acct[0] != '\0' && next->radius_secret[0] == '\0') {
        memcpy(next->radius_secret, g->cfg->radius_secret,
            sizeof(next->radius_secret));
    }
    gw_http_set_enrich_hosts(g->http, &next->enrich_hosts);
    wspgw_free(g->cfg);
    g->cfg = next;
    gw_enrich_reload(g);
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CFG, "configuration reloaded from %s",
        g->config_path);
}


static void
close_co(struct gw *g)
{
    unsigned i;

    for (i = 0; i < g->n_co; i++) {
        gw_co_close(g->co[i]);
    }
    g->n_co = 0;
}


/* Session ids mix in a per-start seed so they differ between runs. */
static uint32_t
random_seed(void)
{
    uint32_t seed = 0;
    FILE *fp = fopen("/dev/urandom", "rb");

    if (fp != NULL) {
        if (fread(&seed, sizeof(seed), 1, fp) != 1) {
            seed = 0;
        }
        fclose(fp);
    }
    return seed ^ (uint32_t) getpid();
}


static void
shutdown_gw(struct gw *g)
{
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "stopping");
    uv_close((uv_handle_t *) &sig_term, NULL);
    uv_close((uv_handle_t *) &sig_int, NULL);
    uv_close((uv_handle_t *) &sig_hup, NULL);
    ppg_stop(g);
    push_stop(g);
    gw_cl_free(g->cl);
    g->cl = NULL;
    close_co(g);
    gw_bearer_close(g->bearer);
    g->bearer = NULL;
    gw_admin_close(g->admin);
    g->admin = NULL;
    gw_enrich_close(g);
    gw_http_close(g->http);
    g->http = NULL;
}


static void
on_signal(uv_signal_t *h, int signum)
{
    struct gw *g = h->data;

    if (signum == SIGHUP) {
        reload(g);
        return;
    }
    shutdown_gw(g);
}


int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "check-config", no_argument, NULL, 't' },
        { "config-keys", no_argument, NULL, 'K' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct gw g;
    const char *path = NULL;
    int check_only = 0, opt, rc;
    char err[600];
    uv_loop_t loop;

    while ((opt = getopt_long(argc, argv, "c:tVh", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            path = optarg;
            break;
        case 't':
            check_only = 1;
            break;
        case 'K':
            gw_config_print_keys(stdout);
            return 0;
        case 'V':
            printf("wspgw %s\n", PACKAGE_VERSION);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (path == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    memset(&g, 0, sizeof(g));
    gw_mm1_gw_init(&g);
    g.config_path = path;
    g.cfg = wspgw_malloc(sizeof(*g.cfg));
    if (g.cfg == NULL) {
        fprintf(stderr, "wspgw: out of memory\n");
        return 1;
    }
    if (gw_config_load(path, g.cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        wspgw_free(g.cfg);
        return 1;
    }
    if (check_only && gw_enrich_check(g.cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        wspgw_free(g.cfg);
        return 1;
    }
    if (check_only) {
        printf("%s: configuration is valid\n", path);
        wspgw_free(g.cfg);
        return 0;
    }
    g.cfg->wsp.id_seed = random_seed();
    gw_logsink_install(g.cfg->log_level);
    signal(SIGPIPE, SIG_IGN);
    uv_loop_init(&loop);
    g.loop = &loop;
    g.started_ms = uv_now(&loop);
    gw_ratelimit_init(&g.rl_wtp, 5, 1000);
    rc = 1;
    if (gw_access_log_open(&g.alog, g.cfg->access_log) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CORE,
            "cannot open access log %s", g.cfg->access_log);
        goto out;
    }
    g.http = gw_http_new(&loop, &g.cfg->allow, g.cfg->timeout_s);
    g.cl = g.http != NULL ? gw_cl_new(&g) : NULL;
    if (g.cl == NULL) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CORE, "out of memory");
        goto fail;
    }
    gw_http_set_enrich_hosts(g.http, &g.cfg->enrich_hosts);
    if (gw_enrich_open(&g, err, sizeof(err)) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CFG, "%s", err);
        goto fail;
    }
    if (gw_bearer_open(&g.bearer, &loop, g.cfg, on_rx, &g, err,
            sizeof(err)) != 0)
    {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_UDP, "%s", err);
        goto fail;
    }
    if (g.cfg->admin_listen[0] != '\0'
        && gw_admin_open(&g.admin, &g, err, sizeof(err)) != 0)
    {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_ADMIN, "%s", err);
        goto fail;
    }
    if (push_start(&g) != 0) {
        goto fail;
    }
    if (ppg_start(&g, err, sizeof(err)) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_PUSH, "%s", err);
        goto fail;
    }
    uv_signal_init(&loop, &sig_term);
    uv_signal_init(&loop, &sig_int);
    uv_signal_init(&loop, &sig_hup);
    sig_term.data = sig_int.data = sig_hup.data = &g;
    uv_signal_start(&sig_term, on_signal, SIGTERM);
    uv_signal_start(&sig_int, on_signal, SIGINT);
    uv_signal_start(&sig_hup, on_signal, SIGHUP);
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "wspgw %s started (%s)",
        PACKAGE_VERSION, path);
    uv_run(&loop, UV_RUN_DEFAULT);
    rc = 0;
    goto out;
fail:
    ppg_stop(&g);
    push_stop(&g);
    gw_cl_free(g.cl);
    close_co(&g);
    gw_bearer_close(g.bearer);
    gw_admin_close(g.admin);
    gw_enrich_close(&g);
    if (g.http != NULL) {
        gw_http_close(g.http);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
out:
    gw_mm1_gw_close(&g);
    gw_access_log_close(&g.alog);
    if (uv_loop_close(&loop) != 0) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_CORE,
            "loop closed with handles still open");
    }
    wspgw_free(g.cfg);
    if (rc == 0) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "stopped");
    }
    return rc;
}
