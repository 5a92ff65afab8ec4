/*
 * errors.c - ferret_strerror() over common/errors.def. The only table of
 * error messages; every layer returns these codes and the CLI prints them.
 */
#include "errors.h"
#include "banned.h"

const char *ferret_strerror(int err)
{
	switch (err) {
	case FERRET_OK:
		return "success";
#define ERR(name, msg)                                                                             \
	case FERRET_E##name:                                                                       \
		return msg;
#include "errors.def"
#undef ERR
	default:
		return "unknown error";
	}
}
