/* log.c - diagnostics on stderr (see log.h). */
#include "engine/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level level = LOG_INFO;

void
log_set_level(enum log_level lvl)
{
	level = lvl;
}

enum log_level
log_get_level(void)
{
	return level;
}

static void
emit(enum log_level lvl, const char *tag, const char *fmt, va_list ap)
{
	if (lvl > level)
		return;
	fputs("personaforge: ", stderr);
	if (tag != NULL)
		fputs(tag, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define DEFINE_LOG(fn, lvl, tag) \
	void fn(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		emit(lvl, tag, fmt, ap); \
		va_end(ap); \
	}

DEFINE_LOG(log_error, LOG_ERROR, "error: ")
DEFINE_LOG(log_warn, LOG_WARN, "warning: ")
DEFINE_LOG(log_info, LOG_INFO, NULL)
DEFINE_LOG(log_debug, LOG_DEBUG, "debug: ")
