/* log.c - diagnostics on stderr (see log.h). */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum pf_log_level level = PF_LOG_INFO;

void
log_set_level(enum pf_log_level lvl)
{
	level = lvl;
}

enum pf_log_level
log_get_level(void)
{
	return level;
}

static void
emit(enum pf_log_level lvl, const char *tag, const char *fmt, va_list ap)
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

DEFINE_LOG(log_error, PF_LOG_ERROR, "error: ")
DEFINE_LOG(log_warn, PF_LOG_WARN, "warning: ")
DEFINE_LOG(log_info, PF_LOG_INFO, NULL)
DEFINE_LOG(log_debug, PF_LOG_DEBUG, "debug: ")
