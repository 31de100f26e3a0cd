/* log.h - diagnostics on stderr.
 *
 * Messages go to stderr prefixed with "personaforge: ". Secrets never reach
 * this module: callers pass key names, never key values.
 */
#ifndef PF_LOG_H
#define PF_LOG_H

enum pf_log_level {
	PF_LOG_QUIET = 0, PF_LOG_ERROR, PF_LOG_WARN, PF_LOG_INFO, PF_LOG_DEBUG
};

/* Messages above this level are dropped (default PF_LOG_INFO). */
void log_set_level(enum pf_log_level lvl);
enum pf_log_level log_get_level(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
