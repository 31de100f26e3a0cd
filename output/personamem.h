/* personamem.h - the PersonaMem export of a dataset's sessions and
 * multiple-choice items, and the token count it measures with.
 *
 * Writes what the authors' inference script reads unchanged
 * (github.com/bowen-upenn/PersonaMem: inference_standalone_openai.py
 * loads the CSV with csv.DictReader and the contexts by their single
 * key, cuts each context at end_index_in_shared_context and scores the
 * letter; baselines/data_loader.py reads all_options with
 * ast.literal_eval):
 *
 *   DIR/questions_<tag>.csv  a header and one row per mcq item, columns
 *       persona_id, question_id, question_type, topic, stereotypical,
 *       context_length_in_tokens, context_length_in_letters,
 *       distance_to_ref_in_blocks, distance_to_ref_in_tokens,
 *       num_irrelevant_tokens, distance_to_ref_proportion_in_context,
 *       user_question_or_message, correct_answer, all_options,
 *       shared_context_id, end_index_in_shared_context (RFC 4180, CRLF
 *       line ends, a field quoted when it holds a comma, quote or line
 *       break); correct_answer "(c)"; all_options a Python list literal
 *       of four strings "(a) ...".."(d) ..." (quoted as Python's repr
 *       quotes them); stereotypical "No" (personaforge plants no
 *       stereotypical preference); the proportion "99.56%";
 *   DIR/shared_contexts_<tag>.jsonl  one line per persona with items,
 *       {"<shared_context_id>": [{"role", "content"}, ...]}: per session
 *       in time order a system message marking the block ("Session 3
 *       (email, 2024-03-02 14:05): Reunion?"), then its text: a
 *       user-AI chat as its user and assistant turns, any other session
 *       as one user message (the persona shares the document).
 *
 * The shared context id is the persona id ("p000042"), question_id the
 * mcq_id; every question comes after the persona's last session, so
 * end_index_in_shared_context is the context's length; distances count
 * from the supporting session's system message to the question;
 * num_irrelevant_tokens are the tokens of filler sessions. tag is
 * PersonaMem's context size the longest exported context fits: "32k"
 * (up to 32,768 tokens), "128k" (131,072) or "1M". An item whose
 * supporting session is not exported (quarantined) is left out
 * (counted). Rows follow output/export.h (quarantine, --partial,
 * checksums); both files are written to temporary names, fsynced and
 * renamed together.
 *
 * Tokens: PersonaMem measures with its model's tokenizer. We have none
 * to share with every model, so a token here is a run of ASCII letters,
 * digits and inner apostrophes, or any other non-blank character (a
 * UTF-8 character counts once): about what a BPE tokenizer gives for
 * English prose, and the same count wherever personaforge reports one
 * (the mcq table's distance_tokens, this export's lengths).
 */
#ifndef PF_PERSONAMEM_H
#define PF_PERSONAMEM_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"

#define PM_MAX_DOCS 256          /* sessions of one persona */

struct pm_counts {
	uint64_t personas;       /* contexts written */
	uint64_t questions;      /* CSV rows */
	uint64_t messages;       /* context messages */
	uint64_t left_out;       /* items whose session is not exported */
	int64_t max_tokens;      /* the longest context */
	char tag[8];             /* "32k", "128k" or "1M" */
	int damaged;             /* the walk met a damaged row */
};

/* The tokens of NUL-terminated text s (NULL: 0). Never fails. */
size_t personamem_tokens(const char *s);

/* Write ds's mcq items and their personas' sessions into dir (created
 * when missing; its parent must exist). opts are enum export_opt bits.
 * Returns 0, or -1 with err filled (no item at all is an error). */
int personamem_export_write(struct dataset *ds, const char *dir,
			    unsigned opts, struct pm_counts *counts,
			    struct pf_error *err);

#endif
