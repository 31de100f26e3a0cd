/* preview.h - what `build --preview N` needs besides a build: a scratch
 * directory for the dataset it shows and then removes, and, with
 * --show-prompts, the rendered requests collected from the scheduler
 * (engine/scheduler.h, sched_opts.on_request) and printed in item order.
 */
#ifndef PF_SRC_PREVIEW_H
#define PF_SRC_PREVIEW_H

#include <stddef.h>
#include <stdint.h>

/* The most personas a preview builds. */
#define PREVIEW_MAX 1000

/* At most this many bytes of requests are kept; past it the preview
 * fails rather than grow without bound. */
#define PREVIEW_REQ_MAX_BYTES ((size_t)64 << 20)

struct preview_reqs;

/* A new, empty collection. Returns 0, or -1 when out of memory. */
int preview_reqs_new(struct preview_reqs **out);

/* The scheduler's on_request callback (ud is the collection): keep a
 * copy of the item's id and request body. On running out of memory or
 * past PREVIEW_REQ_MAX_BYTES the collection is marked failed and
 * preview_reqs_json says so. */
void preview_reqs_add(void *ud, int64_t unit, int stage, uint32_t idx,
		      const char *item_id, const char *body, size_t len);

/* `"requests":[{"item_id": ..., "request": BODY}, ...]` in item order
 * (unit, stage table order, item index), as a string the caller frees.
 * NULL when out of memory or when collecting failed. */
char *preview_reqs_json(struct preview_reqs *r);

void preview_reqs_free(struct preview_reqs *r);   /* accepts NULL */

/* Create a private scratch directory under $TMPDIR (else /tmp); *dir is
 * its path, which the caller frees. Returns 0, or -1 after logging why. */
int preview_dir_make(char **dir);

/* Remove every file in dir, then dir (the scratch directory of
 * preview_dir_make; it holds no subdirectories). Accepts NULL. */
void preview_dir_remove(const char *dir);

#endif
