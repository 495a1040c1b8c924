/*
 * wsp/date.c - RFC 1123 (IMF-fixdate) dates <-> seconds since the epoch.
 *
 * Spec: WAP-230 8.4.2.3 Date-value is a Long-integer of seconds since
 * 1970-01-01T00:00:00Z; HTTP shows it as an IMF-fixdate (RFC 7231
 * 7.1.1.1).  Civil-date arithmetic is the days-from-civil method (proleptic
 * Gregorian, 400-year eras), so nothing depends on timegm, the locale or
 * TZ, and nothing reads the clock.
 *
 * Does not: parse the obsolete RFC 850 or asctime forms (a sender of
 * those gets its header passed through as text), or handle leap seconds.
 */
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "wsp_int.h"

static const char day_names[7][4] = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"   /* day 0 = Thu */
};

static const char month_names[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};


/* Days since 1970-01-01 of y-m-d (m 1-12, d 1-31), for y >= 0. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}


/* Inverse of days_from_civil for z >= 0. */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned) (doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned) (mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}


int
wsp__date_format(uint64_t secs, struct wspgw_buf *out)
{
    int64_t days, y;
    unsigned m, d, rem;

    if (secs > WSP_DATE_MAX) {
        return WSPGW_EINVAL;
    }
    days = (int64_t) (secs / 86400);
    rem = (unsigned) (secs % 86400);
    civil_from_days(days, &y, &m, &d);
    return wspgw_buf_printf(out, "%s, %02u %s %04d %02u:%02u:%02u GMT",
        day_names[days % 7], d, month_names[m - 1], (int) y,
        rem / 3600, rem / 60 % 60, rem % 60);
}


/* n decimal digits at s into *v; 0 or -1. */
static int
digits(const char *s, unsigned n, unsigned *v)
{
    unsigned i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        *v = *v * 10 + (unsigned) (s[i] - '0');
    }
    return 0;
}


int
wsp__date_parse(const char *s, size_t len, uint64_t *secs)
{
    static const unsigned mdays[12] = {
        31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    unsigned wd, mon, d, y, hh, mm, ss;
    int64_t days;
    int leap;

    /* "Sun, 06 Nov 1994 08:49:37 GMT" is always 29 octets. */
    if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' '
        || s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':'
        || s[25] != ' ' || memcmp(s + 26, "GMT", 3) != 0)
    {
        return WSPGW_EINVAL;
    }
    for (wd = 0; wd < 7; wd++) {
        if (memcmp(s, day_names[wd], 3) == 0) {
            break;
        }
    }
    for (mon = 0; mon < 12; mon++) {
        if (memcmp(s + 8, month_names[mon], 3) == 0) {
            break;
        }
    }
    if (wd == 7 || mon == 12 || digits(s + 5, 2, &d) != 0
        || digits(s + 12, 4, &y) != 0 || digits(s + 17, 2, &hh) != 0
        || digits(s + 20, 2, &mm) != 0 || digits(s + 23, 2, &ss) != 0)
    {
        return WSPGW_EINVAL;
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || d < 1 || d > mdays[mon] || (mon == 1 && d == 29 && !leap)
        || hh > 23 || mm > 59 || ss > 59)
    {
        return WSPGW_EINVAL;
    }
    /*
     * A wrong day name is tolerated (the date is what counts; origin
     * servers with broken weekday tables exist), so it is not compared.
     */
    days = days_from_civil(y, mon + 1, d);
    *secs = (uint64_t) days * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}
