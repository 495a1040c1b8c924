/*
 * include/wspgw/log.h - logging hook shared by the cores and gateway/.
 *
 * The cores never print: they call wspgw_log(), which forwards to the sink
 * that gateway/ installs (stderr in the foreground).  With no sink
 * installed, messages are dropped, which is what unit tests want.
 *
 * Levels follow nginx: error, warn, info, debug; debug lines are further
 * filtered by a per-subsystem mask.
 */
#ifndef WSPGW_LOG_H
#define WSPGW_LOG_H

#include <stdarg.h>

enum wspgw_log_level {
    WSPGW_LOG_ERROR = 0,
    WSPGW_LOG_WARN = 1,
    WSPGW_LOG_INFO = 2,
    WSPGW_LOG_DEBUG = 3
};

/* Subsystems for the debug mask. */
#define WSPGW_LOG_SUBSYS_MAP(XX)                                           \
    XX(CORE, 0, "core")                                                    \
    XX(WTP,  1, "wtp")                                                     \
    XX(WSP,  2, "wsp")                                                     \
    XX(HTTP, 3, "http")                                                    \
    XX(PUSH, 4, "push")                                                    \
    XX(SMS,  5, "sms")                                                     \
    XX(DB,   6, "db")                                                      \
    XX(CFG,  7, "cfg")                                                     \
    XX(UDP,  8, "udp")                                                     \
    XX(ADMIN, 9, "admin")

enum wspgw_log_subsys {
#define XX(name, val, text) WSPGW_SUB_##name = (val),
    WSPGW_LOG_SUBSYS_MAP(XX)
#undef XX
    WSPGW_SUB_COUNT
};

typedef void (*wspgw_log_sink_fn)(void *ctx, int level, int subsys,
    const char *msg);

/* Installs the sink (NULL to drop everything) and the thresholds. */
void wspgw_log_set_sink(wspgw_log_sink_fn fn, void *ctx);
void wspgw_log_set_level(int level);
void wspgw_log_set_debug_mask(unsigned mask);

/* Whether a line at this level and subsystem would be written. */
int wspgw_log_enabled(int level, int subsys);

void wspgw_log(int level, int subsys, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void wspgw_vlog(int level, int subsys, const char *fmt, va_list ap);

const char *wspgw_log_level_name(int level);
const char *wspgw_log_subsys_name(int subsys);

/*
 * Writes at most max octets of buf as hex ("0a 1b ...") into out (size
 * outlen, NUL-terminated, "..." appended when cut).  For bounded samples
 * of bad input in log lines (Redis' setProtocolError idea).
 */
void wspgw_hex_sample(char *out, unsigned outlen, const void *buf,
    unsigned long len, unsigned max);

#endif /* WSPGW_LOG_H */
