/* sepqa.h - the SE-PQA / Sy-SE-PQA export of a dataset's community QA.
 *
 * Writes what the authors' code reads (github.com/pkasela/SY_SE-PQA:
 * join_data_new.py and train/dataloader/dataloader.py; SE-PQA's
 * answer_collection and train queries), from the cqa table:
 *
 *   DIR/<community>/<id>.json  one object per question: {"id":
 *       "<community>_<n>", "Title", "Body", "top5_tags": "t1, t2" (1-5
 *       tags), "answer_with_body_context", "answer_with_body_base"} plus
 *       "answer_only_title_pers" and "answer_with_body_pers" when both
 *       ran; every answer as [{"generated_text": "..."}];
 *   DIR/answer_collection.json  {answer_id: text} (answer ids are the cqa
 *       row ids, "p000042-c3");
 *   DIR/train/data_pers.jsonl   one line per question: {"id", "title",
 *       "text" (title + " " + body), "best_answer" (the candidate with
 *       the highest tag overlap, the first of equals), "rel_ids"
 *       ([best_answer]), "bm25_doc_ids"};
 *   DIR/train/bm25_run.json     {id: {answer_id: score}}: BM25 (k1 0.9,
 *       b 0.4; IDF over the whole collection) of the question's title and
 *       body against a pool of at most SEPQA_POOL answers of its
 *       community, its own candidates first, then those of the questions
 *       nearest it in export order; never empty, every id in the
 *       collection, best first.
 *
 * A question is exported when it has both base answers and at least one
 * top-5 tag; questions left out are counted. Rows follow the export rules
 * of output/export.h (quarantine, --partial, checksums). Every file is
 * written to a temporary name, fsynced and renamed whole; the three
 * SE-PQA files are renamed last.
 */
#ifndef PF_SEPQA_H
#define PF_SEPQA_H

#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"

#define SEPQA_POOL 100               /* answers in one question's run */
#define SEPQA_MAX_ANSWERS (1u << 22) /* answers held in memory */
#define SEPQA_MAX_BYTES ((size_t)1 << 30)  /* their text */

struct sepqa_counts {
	uint64_t questions;     /* question files written */
	uint64_t answers;       /* answers in the collection */
	uint64_t skipped;       /* questions without both base answers or
				 * without tags */
	int damaged;            /* the walk met a damaged row */
};

/* Write ds's cqa rows into dir (created when missing; its parent must
 * exist). opts are enum export_opt bits. Returns 0, or -1 with err
 * filled (an empty cqa table is an error: "no community QA"). */
int sepqa_export_write(struct dataset *ds, const char *dir, unsigned opts,
		       struct sepqa_counts *counts, struct pf_error *err);

#endif
