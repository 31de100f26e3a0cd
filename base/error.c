/* error.c - bad-input error descriptions (see error.h). */
#include "base/error.h"

#include "base/log.h"

#include <stdarg.h>
#include <string.h>

void
pf_error_clear(struct pf_error *e)
{
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

int
pf_error_set(struct pf_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
pf_error_format(const struct pf_error *e, char *out, size_t n)
{
	size_t used = 0;
	int k;

	out[0] = '\0';
#define ADD(...) do { \
		k = snprintf(out + used, n - used, __VA_ARGS__); \
		if (k > 0) \
			used += (size_t)k < n - used ? (size_t)k : n - used - 1; \
	} while (0)
	if (e->file[0] != '\0') {
		ADD("%s:", e->file);
		if (e->line > 0)
			ADD("%d:", e->line);
		if (e->line > 0 && e->col > 0)
			ADD("%d:", e->col);
		ADD(" ");
	}
	if (e->where[0] != '\0')
		ADD("%s: ", e->where);
	ADD("%s", e->msg[0] ? e->msg : "error");
#undef ADD
}

void
pf_error_print(const struct pf_error *e)
{
	char line[1400];

	pf_error_format(e, line, sizeof(line));
	/* `where` is a JSON path ("$.stages...") or an item id */
	log_print(PF_LOG_ERROR, e->where[0] != '\0' && e->where[0] != '$' ?
		  e->where : NULL, "%s", line);
}
