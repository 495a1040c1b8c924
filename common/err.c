/*
 * common/err.c - names and descriptions of the WSPGW_E* codes.
 */
#include <stdio.h>

#include "wspgw/err.h"


const char *
wspgw_strerror(int err)
{
    switch (err) {
    case WSPGW_OK:
        return "success";
#define XX(name, val, text) case WSPGW_##name: return text;
    WSPGW_ERR_MAP(XX)
#undef XX
    default:
        return "unknown error";
    }
}


const char *
wspgw_err_name(int err)
{
    switch (err) {
    case WSPGW_OK:
        return "OK";
#define XX(name, val, text) case WSPGW_##name: return #name;
    WSPGW_ERR_MAP(XX)
#undef XX
    default:
        return "EUNKNOWN";
    }
}
