/*
 * gateway/admin.h - the admin HTTP listener ([admin] listen).
 *
 * GET /health answers 200 "ok" while the loop runs; /status and
 * /metrics come later.  Requests are parsed with Debian's libhttp-parser
 * on the loop; one request per connection (Connection: close), at most
 * 64 connections, 10 s to send a request, 8 KiB of request head.
 */
#ifndef WSPGW_GATEWAY_ADMIN_H
#define WSPGW_GATEWAY_ADMIN_H

#include "gw.h"

/* Starts listening on cfg->admin_addr.  0, or -1 with err filled. */
int gw_admin_open(struct gw_admin **out, struct gw *g, char *err,
    size_t errlen);

/* Closes the listener and every connection; frees asynchronously. */
void gw_admin_close(struct gw_admin *a);

#endif /* WSPGW_GATEWAY_ADMIN_H */
