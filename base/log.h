/* log.h - diagnostics on stderr.
 *
 * Messages go to stderr prefixed with "personaforge: ", or, with the JSON
 * format (`--log-format json`, for cron and systemd), as one JSON object
 * per line: {"ts":"2026-12-06T21:30:00.123Z","level":"warning",
 * "item":"p000042/qa/0","msg":"..."} ("item" only where there is one).
 * Secrets never reach this module: callers pass key names, never key
 * values.
 */
#ifndef PF_LOG_H
#define PF_LOG_H

#include <stdio.h>

enum pf_log_level {
	PF_LOG_QUIET = 0, PF_LOG_ERROR, PF_LOG_WARN, PF_LOG_INFO, PF_LOG_DEBUG
};

enum pf_log_format { PF_LOG_TEXT = 0, PF_LOG_JSON };

/* Messages above this level are dropped (default PF_LOG_INFO). */
void log_set_level(enum pf_log_level lvl);
enum pf_log_level log_get_level(void);

/* The format of every message from now on (default PF_LOG_TEXT). */
void log_set_format(enum pf_log_format f);
enum pf_log_format log_get_format(void);

/* Parse "text" or "json" into *out; returns 0, or -1 for anything else. */
int log_format_parse(const char *s, enum pf_log_format *out);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ", the "ts" of JSON
 * messages. */
void log_timestamp(char out[32]);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, about work item `item` (its id, named in the text too; the
 * JSON form also carries it as "item"). */
void log_item(enum pf_log_level lvl, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A message printed whatever the level ("personaforge: " + text, with no
 * level tag, as errors and summaries are written), or its JSON form at
 * level lvl; item may be NULL. */
void log_print(enum pf_log_level lvl, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Where a multi-line report goes: stderr in the text format; in the JSON
 * format a memory stream whose lines log_stream_close() writes as one
 * JSON object each (the line as "msg", at level lvl). NULL when out of
 * memory. */
FILE *log_stream_open(void);
void log_stream_close(FILE *f, enum pf_log_level lvl);

#endif
