/* progress.c - progress reports on stderr (see progress.h).
 *
 * The rate counts items that went through the backend only (reused items
 * take no time and would make the ETA lie right after a resume), averaged
 * since the first report that saw one.
 */
#include "engine/progress.h"

#include "base/log.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct progress {
	uv_timer_t timer;
	uv_loop_t *loop;
	struct progress_opts o;
	uint64_t start_ms;
	int line_open;          /* a status line is on screen, no newline */
};

void
progress_duration(double s, char out[16])
{
	uint64_t n = s > 0 && s < 3.6e8 ? (uint64_t)(s + 0.5) : 0;

	if (n >= 3600)
		snprintf(out, 16, "%uh%02um", (unsigned)(n / 3600 % 100000),
			 (unsigned)(n / 60 % 60));
	else if (n >= 60)
		snprintf(out, 16, "%" PRIu64 "m%02" PRIu64 "s", n / 60, n % 60);
	else
		snprintf(out, 16, "%" PRIu64 "s", n);
}

/* Items per second through the backend, and the seconds left (-1 if not
 * known yet). */
static void
rates(const struct progress_sample *s, double secs, double *rate,
      double *eta)
{
	uint64_t sent = s->done > s->reused ? s->done - s->reused : 0;

	*rate = secs > 0 ? (double)sent / secs : 0;
	*eta = -1;
	if (s->total > s->done && *rate > 0)
		*eta = (double)(s->total - s->done) / *rate;
	else if (s->total > 0 && s->total <= s->done)
		*eta = 0;
}

static void
report_tty(struct progress *p, const struct progress_sample *s, double secs)
{
	char eta_s[16] = "?";
	double rate, eta;

	rates(s, secs, &rate, &eta);
	if (eta >= 0)
		progress_duration(eta, eta_s);
	fprintf(p->o.out, "\r%" PRIu64 "/%" PRIu64 " done, %.1f/s, ETA %s, "
		"%u in flight (limit %u), %" PRIu64 " 429s, %" PRIu64
		" retries, %" PRIu64 " failed, tok %" PRIu64 "/%" PRIu64
		", $%.4f\033[K", s->done, s->total, rate, eta_s,
		s->st.in_flight, s->st.concurrency, s->st.rate_limited,
		s->st.retries, s->failed, s->st.tokens_in, s->st.tokens_out,
		s->st.cost);
	fflush(p->o.out);
	p->line_open = 1;
}

static void
report_json(struct progress *p, const struct progress_sample *s, double secs)
{
	double rate, eta;
	char ts[32];

	rates(s, secs, &rate, &eta);
	/* --log-format json: a message like every other, with its time */
	if (log_get_format() == PF_LOG_JSON) {
		log_timestamp(ts);
		fprintf(p->o.out, "{\"ts\":\"%s\",\"level\":\"info\",", ts);
	} else {
		fputc('{', p->o.out);
	}
	fprintf(p->o.out, "\"progress\":{\"done\":%" PRIu64 ",\"total\":%"
		PRIu64 ",\"failed\":%" PRIu64 ",\"reused\":%" PRIu64
		",\"rate\":%.2f,\"eta_s\":%.0f,\"in_flight\":%u,"
		"\"concurrency\":%u,\"rate_limited\":%" PRIu64 ",\"retries\":%"
		PRIu64 ",\"tokens_in\":%" PRIu64 ",\"tokens_out\":%" PRIu64
		",\"cost\":%.6f,\"elapsed_s\":%.1f}}\n", s->done, s->total,
		s->failed, s->reused, rate, eta, s->st.in_flight,
		s->st.concurrency, s->st.rate_limited, s->st.retries,
		s->st.tokens_in, s->st.tokens_out, s->st.cost, secs);
	fflush(p->o.out);
}

static double
elapsed(struct progress *p)
{
	uv_update_time(p->loop);
	return (double)(uv_now(p->loop) - p->start_ms) / 1000.0;
}

static void
sample(struct progress *p, struct progress_sample *s)
{
	memset(s, 0, sizeof(*s));
	if (p->o.sample != NULL)
		p->o.sample(p->o.ud, s);
}

void
progress_report(struct progress *p)
{
	struct progress_sample s;

	sample(p, &s);
	if (p->o.tty)
		report_tty(p, &s, elapsed(p));
	else
		report_json(p, &s, elapsed(p));
}

static void
tick(uv_timer_t *t)
{
	progress_report(t->data);
}

int
progress_start(uv_loop_t *loop, const struct progress_opts *o,
	       struct progress **out)
{
	struct progress *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return -1;
	p->o = *o;
	if (p->o.out == NULL)
		p->o.out = stderr;
	/* JSON messages want JSON progress, on a terminal too */
	if (p->o.tty < 0)
		p->o.tty = log_get_format() == PF_LOG_TEXT &&
			   isatty(fileno(p->o.out));
	if (p->o.interval_ms == 0)
		p->o.interval_ms = p->o.tty ? 250 : 5000;
	p->loop = loop;
	if (uv_timer_init(loop, &p->timer) != 0) {
		free(p);
		return -1;
	}
	p->timer.data = p;
	uv_update_time(loop);
	p->start_ms = uv_now(loop);
	uv_timer_start(&p->timer, tick, p->o.interval_ms, p->o.interval_ms);
	*out = p;
	return 0;
}

static void
closed(uv_handle_t *h)
{
	free(h->data);
}

void
progress_line(FILE *out, const char *label, const char *what,
	      const struct progress_sample *s, double secs)
{
	double rate = secs > 0 ? (double)s->sent / secs : 0;

	fprintf(out, "personaforge %s: %s%s%" PRIu64 "/%" PRIu64
		" done (%" PRIu64 " sent, %" PRIu64 " reused from the journal, %"
		PRIu64 " failed) in %.2f s (%.1f/s); %" PRIu64 " requests, %"
		PRIu64 " retries, %" PRIu64 " 429s; tokens in %" PRIu64
		", out %" PRIu64 "; cost $%.4f\n", label ? label : "run",
		what ? what : "", what ? ": " : "", s->done, s->total, s->sent,
		s->reused, s->failed, secs, rate, s->st.sent, s->st.retries,
		s->st.rate_limited, s->st.tokens_in, s->st.tokens_out,
		s->st.cost);
	fflush(out);
}

void
progress_end(struct progress *p)
{
	if (p == NULL)
		return;
	uv_timer_stop(&p->timer);
	if (p->line_open)
		fputc('\n', p->o.out);
	fflush(p->o.out);
	uv_close((uv_handle_t *)&p->timer, closed);
}

void
progress_finish(struct progress *p, const char *what)
{
	struct progress_sample s;

	if (p == NULL)
		return;
	sample(p, &s);
	s.sent = s.done > s.reused ? s.done - s.reused : 0;
	progress_line(p->o.out, p->o.label, what, &s, elapsed(p));
	p->line_open = 0;
	progress_end(p);
}
