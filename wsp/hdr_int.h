/*
 * wsp/hdr_int.h - private declarations shared by the three files of the
 * binary header codec (WSP header blocks <-> HTTP text headers).
 *
 * Spec: WAP-230-WSP-20010705-a 8.4 (header encoding).  Facts in
 * shared/reference/wsp-headers.md.
 *
 * The codec is split by direction around one table:
 *   hdr_value.c   primitives both sides build on (reading, rendering and
 *                 writing the basic value types, scanning HTTP text) and
 *                 codecs[], one decode/encode pair per value grammar;
 *   hdr_decode.c  the decoders and wsp_hdrs_decode, wsp_ctype_decode;
 *   hdr_encode.c  the encoders and wsp_hdr_encode, wsp_ctype_encode;
 *   hdr_ext.c     decoder and encoder of the Value-length grammars (Range,
 *                 Content-Range, Retry-After, auth, Warning, Content-MD5,
 *                 TE, Expect, Profile-Warning);
 *   hdr_cookie.c  Set-Cookie, Cookie, Encoding-Version (code-page form);
 *   hdr_wbxml.c   Profile-Diff: WBXML UAProf <-> one line of XML text.
 * The public entry points are documented in include/wspgw/wsp.h; the
 * functions below keep their comments at their definitions.
 *
 * Nothing here is for other files of wsp/: they reach the codec through
 * the public entry points.  No globals: codecs[] is static const.
 */
#ifndef WSP_HDR_INT_H
#define WSP_HDR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "wsp_int.h"

struct wsp__codec;

/*
 * Renders the value (v, len) - exactly one value as delimited by the
 * generic rule - as text appended to out.  0, or WSPGW_EPROTO/ETRUNC/
 * ENOTSUP when it cannot (caller skips the header), or a buffer error.
 */
typedef int (*wsp__dec_fn)(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);

/*
 * Encodes one text value (s, len), already trimmed, at encoding version
 * enc.  0, WSPGW_EINVAL when the text does not fit the grammar (caller
 * falls back to text), or a buffer error.
 */
typedef int (*wsp__enc_fn)(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);

struct wsp__codec {
    wsp__dec_fn dec;
    wsp__enc_fn enc;
    int list;                       /* split text at commas on encode */
    const char *const *words;       /* Short-integer keywords 0x80... */
    unsigned nwords;
};

/* One "; name[=value]" parameter of the HTTP text. */
struct wsp__hparam {
    const char *name;
    size_t nlen;
    const char *val;                /* without quotes */
    size_t vlen;
    int has_val;
    int quoted;
};

/* ---- hdr_value.c: reading and rendering WSP values ------------------- */

int wsp__hdr_value_span(const uint8_t *p, size_t len, size_t *span);
int wsp__hdr_get_value_length(const uint8_t *p, size_t len, size_t *vl,
    size_t *used);
int wsp__hdr_get_integer(const uint8_t *p, size_t len, uint64_t *v,
    size_t *used);
int wsp__hdr_get_text(const uint8_t *p, size_t len, const uint8_t **s,
    size_t *slen, int *quoted, size_t *used);
int wsp__hdr_get_q(const uint8_t *p, size_t len, unsigned *milli,
    size_t *used);
int wsp__hdr_is_token(const uint8_t *s, size_t len);
int wsp__hdr_put_checked(struct wspgw_buf *out, const uint8_t *s,
    size_t len);
int wsp__hdr_put_text(struct wspgw_buf *out, const uint8_t *s, size_t len,
    int quoted);
int wsp__hdr_put_param_text(struct wspgw_buf *out, const uint8_t *s,
    size_t len);
int wsp__hdr_put_q(struct wspgw_buf *out, unsigned milli);
int wsp__hdr_put_trailing_q(const uint8_t *p, size_t len,
    struct wspgw_buf *out);
const char *wsp__hdr_tab_name(enum wsp__table_id id, uint64_t num);
int wsp__hdr_put_version(struct wspgw_buf *out, unsigned v);

/* ---- hdr_value.c: writing WSP values --------------------------------- */

int wsp__hdr_put_short(struct wspgw_buf *out, unsigned n);
int wsp__hdr_put_long(struct wspgw_buf *out, uint64_t v);
int wsp__hdr_put_integer(struct wspgw_buf *out, uint64_t v);
int wsp__hdr_put_text_string(struct wspgw_buf *out, const char *s,
    size_t len);
int wsp__hdr_put_token_text(struct wspgw_buf *out, const char *s,
    size_t len);
int wsp__hdr_put_qvalue(struct wspgw_buf *out, unsigned milli);
int wsp__hdr_close_value_length(struct wspgw_buf *out, size_t mark);

/* ---- hdr_value.c: scanning the HTTP text side ------------------------ */

void wsp__hdr_trim(const char **s, size_t *len);
int wsp__hdr_next_element(const char **p, const char *end, const char **s,
    size_t *len);
int wsp__hdr_next_param(const char **p, const char *end,
    struct wsp__hparam *hp);
int wsp__hdr_parse_uint(const char *s, size_t len, uint64_t *v);
int wsp__hdr_parse_q(const char *s, size_t len, unsigned *milli);
int wsp__hdr_split_item_q(const char *s, size_t len, const char **item,
    size_t *ilen, unsigned *milli);

/* ---- hdr_value.c: the grammar table ---------------------------------- */

/* Codec of a grammar (enum wsp__grammar), or NULL if none renders it. */
const struct wsp__codec *wsp__hdr_codec_of(unsigned grammar);

/* ---- hdr_decode.c: one wsp__dec_fn per grammar in codecs[] ----------- */

int wsp__hdr_dec_text(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_int(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_short(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_date(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_date_or_text(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_media(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_charset(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_accept_lang(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_accept_enc(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_content_lang(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_keyword(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_method(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_pragma(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_version(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_field_name(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_cache_control(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_app_id(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_disposition(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);

/* ---- hdr_encode.c: one wsp__enc_fn per grammar in codecs[] ----------- */

int wsp__hdr_enc_text(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_int(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_short(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_date(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_date_or_text(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_media(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_charset(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_accept_lang(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_accept_enc(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_content_lang(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_keyword(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_word_only(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_method(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_pragma(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_version(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_field_name(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_cache_control(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_app_id(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_enc_disposition(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);

/* ---- hdr_decode.c / hdr_encode.c: parameters, for hdr_ext.c, cookies -- */

int wsp__hdr_dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out);
int wsp__hdr_dec_typed_param(const uint8_t *p, size_t len,
    struct wspgw_buf *out, size_t *used);
int wsp__hdr_enc_param(const struct wsp__hparam *hp, unsigned enc,
    struct wspgw_buf *out);
int wsp__hdr_enc_typed_param(const struct wsp__hparam *hp, unsigned enc,
    struct wspgw_buf *out);

/* ---- hdr_ext.c: helpers shared with hdr_cookie.c --------------------- */

int wsp__hdr_vl_body(const uint8_t *v, size_t len, const uint8_t **b,
    size_t *blen);
int wsp__hdr_take_uintvar(const uint8_t **p, size_t *len, uint32_t *v);
int wsp__hdr_take_text(const uint8_t **p, size_t *len, const uint8_t **s,
    size_t *slen);
int wsp__hdr_has_prefix(const char *s, size_t len, const char *lit);
size_t wsp__hdr_index_of(const char *s, size_t len, char c);
int wsp__hdr_close_vl(struct wspgw_buf *out, size_t mark, int rc);
int wsp__hdr_put_plain_text(struct wspgw_buf *out, const char *s,
    size_t len);

/* ---- hdr_ext.c, hdr_cookie.c: the Value-length grammars ------------- */

int wsp__hdr_dec_range(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_range(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_content_range(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_content_range(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_retry_after(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_retry_after(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_credentials(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_credentials(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_challenge(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_challenge(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_warning(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_warning(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_md5(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_md5(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_te(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_te(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_expect(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_expect(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_profile_warning(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_profile_warning(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_set_cookie(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_set_cookie(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_cookie(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_cookie(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);
int wsp__hdr_dec_enc_version(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_enc_version(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);

/* ---- hdr_wbxml.c: Profile-Diff (WBXML UAProf) ----------------------- */

int wsp__hdr_dec_profile_diff(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out);
int wsp__hdr_enc_profile_diff(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out);

#endif /* WSP_HDR_INT_H */
