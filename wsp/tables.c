/*
 * wsp/tables.c - assigned-number tables of WAP-230 Appendix A and their
 * lookups.
 *
 * Spec: WAP-230-WSP-20010705-a Appendix A (Tables 38-42), plus the OMNA
 * registries for content types and push application ids.  The lists
 * themselves are in wsp_int.h (X-macros, one per table); this file
 * expands them into static const arrays and searches them.
 *
 * Does not: know any value grammar (hdr_*.c), allocate, or keep state.
 * Lookups are linear: the largest table has ~110 rows and the codec looks
 * up a handful of names per header, so a hash would buy nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "wsp_int.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const struct wsp__entry field_tab[] = {
#define XX(name, code, text, ver, g) { (code), (text), (ver), WSP_G_##g },
    WSP_FIELD_MAP(XX)
#undef XX
};

static const struct wsp__entry param_tab[] = {
#define XX(name, code, text, ver, g) { (code), (text), (ver), WSP_G_##g },
    WSP_PARAM_MAP(XX)
#undef XX
};

static const struct wsp__entry ctype_tab[] = {
#define XX(code, text, ver) { (code), (text), (ver), WSP_G_NONE },
    WSP_CTYPE_MAP(XX)
#undef XX
};

static const struct wsp__entry charset_tab[] = {
#define XX(code, text) { (code), (text), 0x11, WSP_G_NONE },
    WSP_CHARSET_MAP(XX)
#undef XX
};

static const struct wsp__entry language_tab[] = {
#define XX(code, text) { (code), (text), 0x11, WSP_G_NONE },
    WSP_LANGUAGE_MAP(XX)
#undef XX
};

static const struct wsp__entry cache_tab[] = {
#define XX(name, code, text, ver) { (code), (text), (ver), WSP_G_NONE },
    WSP_CACHE_MAP(XX)
#undef XX
};

static const struct wsp__entry method_tab[] = {
#define XX(name, code, text) { (code), (text), 0x11, WSP_G_NONE },
    WSP_METHOD_MAP(XX)
#undef XX
};

static const struct wsp__entry appid_tab[] = {
#define XX(code, text) { (code), (text), 0x12, WSP_G_NONE },
    WSP_APPID_MAP(XX)
#undef XX
};


const struct wsp__entry *
wsp__table(enum wsp__table_id id, size_t *n)
{
    switch (id) {
    case WSP_TAB_FIELD:
        *n = ROWS(field_tab);
        return field_tab;
    case WSP_TAB_PARAM:
        *n = ROWS(param_tab);
        return param_tab;
    case WSP_TAB_CTYPE:
        *n = ROWS(ctype_tab);
        return ctype_tab;
    case WSP_TAB_CHARSET:
        *n = ROWS(charset_tab);
        return charset_tab;
    case WSP_TAB_LANGUAGE:
        *n = ROWS(language_tab);
        return language_tab;
    case WSP_TAB_CACHE:
        *n = ROWS(cache_tab);
        return cache_tab;
    case WSP_TAB_METHOD:
        *n = ROWS(method_tab);
        return method_tab;
    case WSP_TAB_APPID:
        *n = ROWS(appid_tab);
        return appid_tab;
    }
    *n = 0;
    return NULL;
}


const struct wsp__entry *
wsp__by_num(enum wsp__table_id id, uint32_t num)
{
    size_t i, n;
    const struct wsp__entry *t = wsp__table(id, &n);

    for (i = 0; i < n; i++) {
        if (t[i].num == num) {
            return &t[i];
        }
    }
    return NULL;
}


const struct wsp__entry *
wsp__by_name(enum wsp__table_id id, const char *name, size_t len,
    unsigned enc)
{
    size_t i, n;
    const struct wsp__entry *t = wsp__table(id, &n);
    const struct wsp__entry *best = NULL;

    for (i = 0; i < n; i++) {
        if (t[i].ver > enc) {
            continue;
        }
        if (strlen(t[i].name) != len
            || strncasecmp(t[i].name, name, len) != 0)
        {
            continue;
        }
        if (best == NULL || t[i].ver > best->ver) {
            best = &t[i];
        }
    }
    return best;
}


/*
 * "unknown(0x00)" ... "unknown(0xff)" as one static const table, so that
 * name lookups never need a mutable buffer (no globals in the cores).
 */
#define UNK(hi, lo) "unknown(0x" #hi #lo ")",
#define UNK16(hi)                                                          \
    UNK(hi, 0) UNK(hi, 1) UNK(hi, 2) UNK(hi, 3) UNK(hi, 4) UNK(hi, 5)      \
    UNK(hi, 6) UNK(hi, 7) UNK(hi, 8) UNK(hi, 9) UNK(hi, a) UNK(hi, b)      \
    UNK(hi, c) UNK(hi, d) UNK(hi, e) UNK(hi, f)

static const char *const unknown_names[256] = {
    UNK16(0) UNK16(1) UNK16(2) UNK16(3) UNK16(4) UNK16(5) UNK16(6)
    UNK16(7) UNK16(8) UNK16(9) UNK16(a) UNK16(b) UNK16(c) UNK16(d)
    UNK16(e) UNK16(f)
};

#undef UNK16
#undef UNK


const char *
wsp__unknown_name(unsigned v)
{
    return unknown_names[v & 0xff];
}
