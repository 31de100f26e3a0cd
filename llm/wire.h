/* wire.h - the structured-output part of a request as one server takes it.
 *
 * The engine renders one canonical request per work item: its
 * response_format carries the stage's full schema (json_schema, strict),
 * and the journal's req_hash is the hash of that canonical body. Our own
 * validator (base/schema.h) checks every reply against the full schema.
 * What goes over the wire is derived from the canonical body per endpoint,
 * at send time, by wire_body():
 *
 *   structured_output  json_schema (default): send the schema, with the
 *                      keywords the endpoint's profile cannot take dropped;
 *                      json_object: response_format {"type":"json_object"}
 *                      and the full schema described in the last user
 *                      message; none: no response_format, the schema in
 *                      the prompt.
 *   profile            generic (default: the schema as is), openai, vllm,
 *                      llama.cpp, ollama; the table in wire.c says what
 *                      each one drops and why.
 *
 * json_schema with the generic profile sends the canonical body byte for
 * byte, so default builds send exactly what they did before profiles.
 *
 * Owner: llm/ (the OpenAI-compatible backend calls wire_body() per
 * attempt; llm/endpoint.c parses the two settings).
 */
#ifndef PF_WIRE_H
#define PF_WIRE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/buf.h"

enum wire_mode {
	WIRE_MODE_UNSET = 0,     /* inherit ($.engine, then json_schema) */
	WIRE_JSON_SCHEMA,
	WIRE_JSON_OBJECT,
	WIRE_NONE,
};

enum wire_profile {
	WIRE_PROFILE_UNSET = 0,  /* inherit ($.engine, then generic) */
	WIRE_GENERIC,
	WIRE_OPENAI,
	WIRE_VLLM,
	WIRE_LLAMACPP,
	WIRE_OLLAMA,
};

struct wire_opts {
	enum wire_mode mode;
	enum wire_profile profile;
};

/* Parse a setting's value. Return the enum, or 0 (UNSET) for a name that
 * is not one; *allowed (if not NULL) gets the list of valid names for the
 * error message. */
enum wire_mode wire_mode_parse(const char *name, const char **allowed);

/* The valid names, NULL-terminated (for "did you mean"). */
extern const char *const wire_mode_list[];
extern const char *const wire_profile_list[];
enum wire_profile wire_profile_parse(const char *name, const char **allowed);
const char *wire_mode_name(enum wire_mode m);
const char *wire_profile_name(enum wire_profile p);

/* Fill the unset fields of `o` from `dflt`, then from the built-in
 * defaults (json_schema, generic). */
void wire_opts_resolve(struct wire_opts *o, const struct wire_opts *dflt);

/* True when bodies go out unchanged (json_schema + generic). */
int wire_is_identity(const struct wire_opts *o);

/* Rewrite the schema `schema` in place into the wire form of profile `p`:
 * drop (or relax) every keyword the profile's server cannot take, in
 * every subschema. Returns 0, or -1 if memory ran out. Sets *strict to 0
 * when the profile needs strict mode off for this schema, else 1. */
int wire_schema_derive(enum wire_profile p, cJSON *schema, int *strict);

/* The body to send for the canonical body `body` (len bytes): returns 1
 * when it goes out as is, 0 with the rewritten body in `out` (reset
 * first), or -1 when `body` is not a JSON object or memory ran out. */
int wire_body(const struct wire_opts *o, const char *body, size_t len,
	      struct buf *out);

#endif
