/* progress.h - progress reports of a long run on stderr.
 *
 * On a terminal, a live status line redrawn a few times a second: done /
 * total, rate, ETA, calls in flight, current concurrency, 429s, retries,
 * tokens in/out and cost so far. Otherwise (a log file, cron, Slurm) one
 * JSON object per line every few seconds, {"progress":{...}}. At the end,
 * one summary line either way.
 *
 * The figures come from a sampler the caller gives: it fills a struct
 * progress_sample when a report is due (the engine part straight from
 * the backend's stats op). The module owns one uv_timer on the caller's
 * loop; progress_close() closes it and frees the object from the close
 * callback, so the loop closes clean once it has run.
 *
 * No secret ever passes through here: only counts.
 */
#ifndef PF_PROGRESS_H
#define PF_PROGRESS_H

#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "llm/backend.h"

/* One reading of the run's counters. */
struct progress_sample {
	uint64_t done;          /* items finished (ok, failed or reused) */
	uint64_t total;         /* items in the run; 0 if unknown */
	uint64_t failed;        /* items that failed after their retries */
	uint64_t reused;        /* items taken from the journal, not sent */
	uint64_t sent;          /* items that went through the backend;
				 * the summary line only (progress_line) */
	struct llm_stats st; /* the backend's counters (zeros if none) */
};

typedef void (*progress_sample_fn)(void *ud, struct progress_sample *s);

struct progress_opts {
	FILE *out;              /* stderr when NULL */
	int tty;                /* 1 status line, 0 JSON lines, -1 detect */
	uint64_t interval_ms;   /* 0: 250 on a terminal, 5000 otherwise */
	const char *label;      /* "batch", ...: leads the summary line */
	progress_sample_fn sample;
	void *ud;
};

struct progress;

/* Start reporting on `loop`. Returns 0 with *out set, or -1 (out of
 * memory or libuv refused the timer); nothing is started then. */
int progress_start(uv_loop_t *loop, const struct progress_opts *o,
		   struct progress **out);

/* Print one report now (the timer does this on its own). */
void progress_report(struct progress *p);

/* Stop the timer, end the status line and print the summary: what was
 * done, how fast, tokens and cost; `what` (may be NULL) names the output.
 * Then close: the object is freed once the loop runs the close callback.
 * Accepts NULL. */
void progress_finish(struct progress *p, const char *what);

/* Stop the timer and end the status line without a summary (the caller
 * prints its own, progress_line), then close as progress_finish does.
 * Accepts NULL. */
void progress_end(struct progress *p);

/* The summary line: "personaforge LABEL: WHAT: done/total done (sent
 * sent, reused reused from the journal, failed failed) in S s (rate/s);
 * requests, retries, 429s, tokens and cost" from s, over `secs`. */
void progress_line(FILE *out, const char *label, const char *what,
		   const struct progress_sample *s, double secs);

/* Format a duration of `s` seconds as "1h02m", "3m05s" or "42s" into
 * out[16] (exposed for tests). */
void progress_duration(double s, char out[16]);

#endif
