/* personabench.h - the PersonaBench export of a dataset's private
 * documents and grounded QA.
 *
 * Writes what the authors' evaluation reads (github.com/
 * SalesforceAIResearch/personabench: scripts/evaluation/
 * retrieval_and_generation.py loads it, scripts/evaluation/eval.py scores
 * it), per community of up to 10 personas (the persona's `community`):
 *
 *   DIR/synthetic_data/community_<k>/eval_info/eval_info_all.json
 *       [{"Name", "Eval_Info": {"qa": [{"q_id", "question", "answer",
 *       "type", "difficulty", "outdated_value"}]}}], q_id a 9-digit
 *       string (the persona's 6-digit index, then the QA number), unique
 *       in the export; answer a string, a number or, for a list, the list;
 *       outdated_value a list or null; a persona without exported QA is
 *       not listed (the authors' retrieval cannot run on one);
 *   DIR/synthetic_data/community_<k>/eval_info/qa_gt_context_all_noise_<r>.json
 *       [{"q_id", "question", "answer", "segment_id": {"<answer item>":
 *       [segment ids, the main session first]}}], one per exported QA;
 *   DIR/synthetic_data/community_<k>/private_data/noise_<r>/
 *       {conversation,user_ai_interaction,purchase_history}_data_all.json
 *       [{"Name", "Data"}] with every persona of the community in each
 *       ("Data": [] when it has none): conversations grouped per contact
 *       ({"Target_name", "Conversations": [{"session", "time",
 *       "target_name", "conversation": [{"role": full name, "content"}],
 *       "segment_id"}]}), user-AI sessions {"session", "time",
 *       "user_ai_interaction": [{"role", "content"}], "segment_id"},
 *       purchases {"session", "time", "purchase_history": [{"title",
 *       "description", "brand", "categories"}], "segment_id"}.
 *
 * r is the build's $.stages.documents.noise_ratio written "%.1f" (0.0,
 * 0.3, ...), time "2024/Oct/14/09:14 AM" as the authors write it. Other
 * document types (emails, notes, ...) are not exported: an answer item's
 * sessions of those types are dropped from its evidence, and a QA with an
 * item left with none is left out (counted). Names must be unique within
 * a community (the world guarantees it; an export that finds two equal
 * names fails). Rows follow output/export.h (quarantine, --partial,
 * checksums); each community's files are written to temporary names,
 * fsynced and renamed together.
 */
#ifndef PF_PERSONABENCH_H
#define PF_PERSONABENCH_H

#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"

#define PB_MAX_DOCS 256          /* documents of one persona */
#define PB_MAX_CONTACTS 64       /* contacts of one persona */

struct pb_counts {
	uint64_t communities;    /* community directories written */
	uint64_t personas;
	uint64_t sessions;       /* documents exported */
	uint64_t qa;             /* QA exported */
	uint64_t qa_left_out;    /* QA whose evidence lies only in other
				  * document types */
	uint64_t docs_left_out;  /* documents of other types */
	double noise;            /* the r of the file names */
	int damaged;             /* the walk met a damaged row */
};

/* Write ds as PersonaBench's layout into dir (created when missing; its
 * parent must exist). opts are enum export_opt bits. Returns 0, or -1
 * with err filled (no QA at all is an error: "no QA"). */
int personabench_export_write(struct dataset *ds, const char *dir,
			      unsigned opts, struct pb_counts *counts,
			      struct pf_error *err);

#endif
