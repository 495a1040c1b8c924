/*
 * include/wspgw/err.h - project-wide error codes.
 *
 * One list, two uses (libuv's UV_ERRNO_MAP idea): WSPGW_ERR_MAP expands
 * into the enum and into wspgw_strerror()/wspgw_err_name().  Functions
 * return 0 (or a count of bytes) on success and one of these negative
 * codes on failure.  A peer's protocol error is reported as WSPGW_EPROTO
 * or WSPGW_ETRUNC, never as a crash.
 */
#ifndef WSPGW_ERR_H
#define WSPGW_ERR_H

#define WSPGW_ERR_MAP(XX)                                                  \
    XX(EPROTO,    -1, "protocol error")                                    \
    XX(ETRUNC,    -2, "truncated input")                                   \
    XX(EMSGSIZE,  -3, "message too large")                                 \
    XX(ENOMEM,    -4, "out of memory")                                     \
    XX(EINVAL,    -5, "invalid argument")                                  \
    XX(ENOSPC,    -6, "no space left in table or buffer")                  \
    XX(ENOTSUP,   -7, "not supported")                                     \
    XX(ECANCELED, -8, "operation canceled")                                \
    XX(ENOENT,    -9, "not found")                                         \
    XX(EACCES,   -10, "not allowed")                                       \
    XX(EIO,      -11, "input/output error")                                \
    XX(ETIMEDOUT,-12, "timed out")                                         \
    XX(EEXIST,   -13, "already exists")                                    \
    XX(EBUSY,    -14, "busy or already final")                             \
    XX(ELIMIT,   -15, "rate limit exceeded")

enum wspgw_err {
    WSPGW_OK = 0,
#define XX(name, val, text) WSPGW_##name = (val),
    WSPGW_ERR_MAP(XX)
#undef XX
};

/* Returns a static description of err ("unknown error -N" for others). */
const char *wspgw_strerror(int err);

/* Returns the symbolic name of err, e.g. "EPROTO". */
const char *wspgw_err_name(int err);

#endif /* WSPGW_ERR_H */
