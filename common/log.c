/*
 * common/log.c - the logging hook (see log.h).
 *
 * Formats into a fixed stack buffer (lines are cut at 1 KiB) and hands the
 * text to the installed sink.  No allocation, no I/O here.
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/log.h"

static wspgw_log_sink_fn sink_fn;
static void *sink_ctx;
static int log_level = WSPGW_LOG_INFO;
static unsigned debug_mask = ~0u;


void
wspgw_log_set_sink(wspgw_log_sink_fn fn, void *ctx)
{
    sink_fn = fn;
    sink_ctx = ctx;
}


void
wspgw_log_set_level(int level)
{
    log_level = level;
}


void
wspgw_log_set_debug_mask(unsigned mask)
{
    debug_mask = mask;
}


int
wspgw_log_enabled(int level, int subsys)
{
    if (sink_fn == NULL || level > log_level) {
        return 0;
    }
    if (level == WSPGW_LOG_DEBUG && subsys >= 0 && subsys < 32
        && (debug_mask & (1u << subsys)) == 0)
    {
        return 0;
    }
    return 1;
}


void
wspgw_vlog(int level, int subsys, const char *fmt, va_list ap)
{
    char line[1024];

    if (!wspgw_log_enabled(level, subsys)) {
        return;
    }
    vsnprintf(line, sizeof(line), fmt, ap);
    sink_fn(sink_ctx, level, subsys, line);
}


void
wspgw_log(int level, int subsys, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    wspgw_vlog(level, subsys, fmt, ap);
    va_end(ap);
}


const char *
wspgw_log_level_name(int level)
{
    static const char *const names[] = { "error", "warn", "info", "debug" };

    if (level < 0 || level > WSPGW_LOG_DEBUG) {
        return "?";
    }
    return names[level];
}


const char *
wspgw_log_subsys_name(int subsys)
{
    switch (subsys) {
#define XX(name, val, text) case WSPGW_SUB_##name: return text;
    WSPGW_LOG_SUBSYS_MAP(XX)
#undef XX
    default:
        return "?";
    }
}


void
wspgw_hex_sample(char *out, unsigned outlen, const void *buf,
    unsigned long len, unsigned max)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = buf;
    unsigned long i, n = len < max ? len : max;
    unsigned o = 0;

    if (outlen == 0) {
        return;
    }
    for (i = 0; i < n && o + 4 < outlen; i++) {
        if (i > 0) {
            out[o++] = ' ';
        }
        out[o++] = hex[p[i] >> 4];
        out[o++] = hex[p[i] & 0x0f];
    }
    if (n < len && o + 4 < outlen) {
        memcpy(out + o, " ...", 4);
        o += 4;
    }
    out[o] = '\0';
}
