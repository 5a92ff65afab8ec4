/*
 * log.h - the engine's only way to talk to the user: one line per message on
 * stderr, prefixed "ferret: ". Core code never calls these (it returns
 * codes); the I/O layer logs with context, and only the top level dies.
 */
#ifndef FERRET_LOG_H
#define FERRET_LOG_H

#define FERRET_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* "ferret: <message>" */
void log_info(const char *fmt, ...) FERRET_PRINTF(1, 2);
/* "ferret: warning: <message>" */
void log_warn(const char *fmt, ...) FERRET_PRINTF(1, 2);
/* "ferret: <message>: <strerror(errno)>"; returns FERRET_EIO for chaining */
int log_errno(const char *fmt, ...) FERRET_PRINTF(1, 2);
/* "ferret: <message>" and exit(1): for the CLI and setup only */
void die(const char *fmt, ...) FERRET_PRINTF(1, 2) __attribute__((noreturn));
/* die() with ": <strerror(errno)>" */
void die_errno(const char *fmt, ...) FERRET_PRINTF(1, 2) __attribute__((noreturn));

/* Programs set this once ("ferret", "ferret-cc"); default "ferret". */
extern const char *log_prog;

#endif
