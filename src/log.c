/*
 * log.c - one-line messages on stderr (see log.h). Each message is formatted
 * into one buffer and written with one write(), so lines from parallel
 * instances sharing a terminal do not interleave mid-line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "banned.h"

const char *log_prog = "ferret";

static void emit(const char *kind, const char *fmt, va_list ap, int err)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s: %s", log_prog, kind);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m > 0)
		n += m;
	if ((size_t)n >= sizeof(line) - 64)
		n = (int)sizeof(line) - 64;
	if (err)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ": %s", strerror(err));
	line[n++] = '\n';
	(void)!write(2, line, (size_t)n);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("", fmt, ap, 0);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("warning: ", fmt, ap, 0);
	va_end(ap);
}

int log_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	emit("", fmt, ap, err);
	va_end(ap);
	return FERRET_EIO;
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("", fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	emit("", fmt, ap, err);
	va_end(ap);
	exit(1);
}
