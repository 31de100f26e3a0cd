/* log.c - diagnostics on stderr (see log.h). */
#include "base/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/json.h"

#define LINE_MAX_BYTES (1u << 16)   /* one JSON message, escapes included */
#define STREAM_MAX_BYTES (1u << 20) /* one multi-line report */
#define PREFIX "personaforge: "          /* of every text message */

static enum pf_log_level level = PF_LOG_INFO;
static enum pf_log_format format = PF_LOG_TEXT;

static const char *const level_names[] = {
	[PF_LOG_QUIET] = "quiet", [PF_LOG_ERROR] = "error",
	[PF_LOG_WARN] = "warning", [PF_LOG_INFO] = "info",
	[PF_LOG_DEBUG] = "debug",
};

/* The text form's tag after "personaforge: ". */
static const char *const level_tags[] = {
	[PF_LOG_ERROR] = "error: ", [PF_LOG_WARN] = "warning: ",
	[PF_LOG_DEBUG] = "debug: ",
};

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

void
log_set_format(enum pf_log_format f)
{
	format = f;
}

enum pf_log_format
log_get_format(void)
{
	return format;
}

int
log_format_parse(const char *s, enum pf_log_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = PF_LOG_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = PF_LOG_JSON;
	else
		return -1;
	return 0;
}

void
log_timestamp(char out[32])
{
	struct timespec ts;
	struct tm tm;
	char s[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.19s.%03dZ", s, (int)(ts.tv_nsec / 1000000) % 1000);
}

/* One JSON message line; falls back to the text when it cannot be
 * built (out of memory, or longer than LINE_MAX_BYTES). */
static void
put_json(enum pf_log_level lvl, const char *item, const char *msg, size_t n)
{
	char ts[32];
	struct buf b;
	int rc;

	log_timestamp(ts);
	buf_init(&b, LINE_MAX_BYTES);
	rc = buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\"", ts,
			level_names[lvl]);
	if (rc == 0 && item != NULL)
		rc = buf_puts(&b, ",\"item\":") ||
		     json_quote(&b, item, strlen(item));
	rc = rc || buf_puts(&b, ",\"msg\":") || json_quote(&b, msg, n) ||
	     buf_puts(&b, "}\n");
	if (rc == 0)
		fwrite(b.data, 1, b.len, stderr);
	else
		fprintf(stderr, PREFIX "%.*s\n", (int)n, msg);
	buf_free(&b);
}

/* Write one message: tag is the text form's (NULL: none). */
static void
put(enum pf_log_level lvl, const char *item, const char *tag,
    const char *fmt, va_list ap)
{
	char msg[4096];
	int n;

	if (format == PF_LOG_TEXT) {
		fputs(PREFIX, stderr);
		if (tag != NULL)
			fputs(tag, stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = 0;
	put_json(lvl, item, msg, (size_t)n < sizeof(msg) ? (size_t)n :
		 sizeof(msg) - 1);
}

static void
emit(enum pf_log_level lvl, const char *item, const char *fmt, va_list ap)
{
	if (lvl > level)
		return;
	put(lvl, item, level_tags[lvl], fmt, ap);
}

#define DEFINE_LOG(fn, lvl) \
	void fn(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		emit(lvl, NULL, fmt, ap); \
		va_end(ap); \
	}

DEFINE_LOG(log_error, PF_LOG_ERROR)
DEFINE_LOG(log_warn, PF_LOG_WARN)
DEFINE_LOG(log_info, PF_LOG_INFO)
DEFINE_LOG(log_debug, PF_LOG_DEBUG)

void
log_item(enum pf_log_level lvl, const char *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(lvl, item, fmt, ap);
	va_end(ap);
}

void
log_print(enum pf_log_level lvl, const char *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put(lvl, item, NULL, fmt, ap);
	va_end(ap);
}

/* The memory stream of log_stream_open (one report at a time). */
static char *stream_data;
static size_t stream_len;

FILE *
log_stream_open(void)
{
	if (format == PF_LOG_TEXT)
		return stderr;
	return open_memstream(&stream_data, &stream_len);
}

void
log_stream_close(FILE *f, enum pf_log_level lvl)
{
	const char *p, *q, *end, *nl;

	if (f == NULL || f == stderr) {
		fflush(stderr);
		return;
	}
	fclose(f);
	end = stream_data + (stream_len < STREAM_MAX_BYTES ? stream_len :
			     STREAM_MAX_BYTES);
	for (p = stream_data; p != NULL && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		q = p;
		if ((size_t)(nl - q) >= sizeof(PREFIX) - 1 &&
		    memcmp(q, PREFIX, sizeof(PREFIX) - 1) == 0)
			q += sizeof(PREFIX) - 1;
		if (nl > q)
			put_json(lvl, NULL, q, (size_t)(nl - q));
	}
	free(stream_data);
	stream_data = NULL;
	stream_len = 0;
}
