/*
 * include/wspgw/md5.h - MD5 message digest (RFC 1321), for the UAProf
 * profile-diff digest (WAP-248 9.1.2.2: MD5 of the profile description,
 * in base64, names each x-wap-profile-diff in x-wap-profile).
 *
 * Not for security: MD5 is what the UAProf specification fixes, used
 * here as a content fingerprint only.  Pure code, no I/O, no globals.
 */
#ifndef WSPGW_MD5_H
#define WSPGW_MD5_H

#include <stddef.h>
#include <stdint.h>

#define WSPGW_MD5_LEN 16

/* Length of the padded base64 text of a digest, without the NUL. */
#define WSPGW_MD5_B64_LEN 24

/* The 16-octet digest of (p, len) into out.  p is borrowed. */
void wspgw_md5(const void *p, size_t len, uint8_t out[WSPGW_MD5_LEN]);

/*
 * The digest of (p, len) as padded base64 (RFC 2045 6.8), NUL-terminated,
 * into out (WSPGW_MD5_B64_LEN + 1 octets).
 */
void wspgw_md5_base64(const void *p, size_t len,
    char out[WSPGW_MD5_B64_LEN + 1]);

#endif /* WSPGW_MD5_H */
