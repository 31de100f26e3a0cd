/* jsonl.h - the JSONL export: one file per record type in a directory.
 *
 * personas.jsonl (persona_id, every persona column, narrative object or
 * null), backstory_turns.jsonl, documents.jsonl, facts.jsonl, qa.jsonl
 * (evidence: array of doc ids), preference_pairs.jsonl, findings.jsonl,
 * and provenance.json (one object), and the dataset card README.md
 * (output/card.h). Every line of a file has the same keys
 * with the same JSON types, so datasets.load_dataset("json") and
 * pandas.read_json(lines=True) load each file as it is; child records
 * carry persona_id (the persona's text id) to join on. With
 * include_quarantined every record also has "quarantined": true/false.
 */
#ifndef PF_JSONL_H
#define PF_JSONL_H

#include <stdio.h>

#include "base/error.h"
#include "output/dataset.h"
#include "output/export.h"

/* Write ds as JSONL files into dir (created when missing; its parent must
 * exist). Each file goes to a temporary name, is fsynced, and is renamed
 * over its target only after every file was written. opts are enum
 * export_opt bits, as for xml_export_write; EXPORT_PARTIAL adds
 * "partial": true to provenance.json. counts (may be NULL) gets the
 * records written. Returns 0, or -1 with err filled; temporary files are
 * removed on failure. */
int jsonl_export_write(struct dataset *ds, const char *dir, unsigned opts,
		       struct export_counts *counts, struct pf_error *err);

/* Write ds to `out` as one JSON document: {"provenance": {...},
 * "personas": [persona objects as in personas.jsonl, each also holding
 * its lists under the names of their files ("backstory_turns": [...],
 * "documents": [...], "qa": [...], ...)], "findings": [...]}, a record a
 * line; `extra` (NULL: none) is more members as JSON text ("k": v, ...)
 * added before the closing brace. opts as for jsonl_export_write but
 * EXPORT_PARTIAL. Returns 0, or -1 with err filled. */
int jsonl_export_stream(struct dataset *ds, FILE *out, unsigned opts,
			const char *extra, struct pf_error *err);

#endif
