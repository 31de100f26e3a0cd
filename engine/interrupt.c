/* interrupt.c - SIGINT/SIGTERM outside the runner's loop (see
 * interrupt.h). */
#include "engine/interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t caught;  /* first signal recorded, or 0 */
static int armed;                     /* interrupt_catch() was called */

static void
on_signal(int signum)
{
	if (caught == 0)
		caught = signum;
}

/* SA_RESETHAND: a second signal takes the default action; SA_RESTART:
 * the work under way (reading the config, a SQLite call) goes on, and the
 * runner stops the run when it starts its loop. */
static void
install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
interrupt_catch(void)
{
	armed = 1;
	install();
}

int
interrupt_caught(void)
{
	return caught;
}

void
interrupt_note(int signum)
{
	/* Only a command that asked keeps a signal beyond its loop. */
	if (armed && caught == 0)
		caught = signum;
}

void
interrupt_closed(const uv_signal_t *h, int signum)
{
	/* libuv's handler counts what it caught, the loop what it
	 * dispatched; a closed handle dispatches nothing more. */
	if (h->caught_signals != h->dispatched_signals)
		interrupt_note(signum);
	if (armed && caught == 0)
		install();
}
