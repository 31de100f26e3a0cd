/* offline.h - the offline backend: no network, no key.
 *
 * It answers each call with the reply the stage rendered from its offline
 * template (call->offline_reply), deterministically from the item's seed
 * and the persona's attributes, through the same asynchronous path as a
 * network backend: calls queue on submit and complete on a later loop
 * iteration, never from inside submit.
 */
#ifndef PF_OFFLINE_H
#define PF_OFFLINE_H

#include "llm/backend.h"

#define OFFLINE_MODEL "personaforge-offline-1"

/* Create an offline backend on `loop` that accepts up to `window` queued
 * calls. Returns 0, or -1 when memory runs out. */
int offline_backend_new(uv_loop_t *loop, unsigned window,
			struct backend **out);

#endif
