/* interrupt.h - SIGINT/SIGTERM outside the runner's loop.
 *
 * The runner hears signals through libuv handles, which exist only while
 * its loop runs. Before that (loading the config, opening the dataset,
 * building the persona tables) a signal had the disposition the process
 * started with: a job started in the background by a non-interactive
 * shell ignores SIGINT, so a SIGINT in a build's first moments was lost
 * and the build ran to the end with exit 0. When libuv's last signal
 * handle closes it leaves the default action behind, so between two
 * runner loops (the build's loop and the safety judge's) a signal killed
 * the process instead of stopping it.
 *
 * interrupt_catch() records the first SIGINT/SIGTERM from then on; the
 * runner stops a loop it starts after such a signal before it sends
 * anything (as for a signal during the loop), records the signals its
 * loop heard, and re-installs the recorder when its handles close.
 * A second signal outside a loop has the default action (the process
 * ends), as a second signal in a loop stops at once. The caller merges
 * PF_EXIT_INTERRUPTED into its exit status when interrupt_caught() says
 * so. Process-wide state: one command a process.
 */
#ifndef PF_INTERRUPT_H
#define PF_INTERRUPT_H

#include <uv.h>

/* Record SIGINT and SIGTERM from now on (sigaction; cannot fail on a
 * valid signal number). */
void interrupt_catch(void);

/* The first signal recorded (SIGINT or SIGTERM), 0 if none. */
int interrupt_caught(void);

/* Runner: note a signal its loop heard (nothing unless
 * interrupt_catch() was called: a process that runs several loops without
 * it, like the unit tests, sees each loop's signals in that loop only). */
void interrupt_note(int signum);

/* Runner: handle h (for signum) was just closed. Records a signal libuv
 * caught but had not dispatched yet, and re-installs the recorder if
 * interrupt_catch() was called and nothing was recorded. */
void interrupt_closed(const uv_signal_t *h, int signum);

#endif
