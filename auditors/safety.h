/* safety.h - the personalized-safety auditor (PENGUIN, issue 18),
 * offline part.
 *
 * It judges every user-facing reply with its persona and its query
 * (auditors/saferules.h): preference pairs' chosen and rejected replies
 * (query: question), community answers (table cqa, for the asker;
 * query: the question's title), the assistant turns of chat documents
 * ("Assistant:" turns of a document's content; query: the "User:" turn
 * before), and a scanned line's text field (query: its --query-field,
 * persona: its --persona-field object). Each risk is a finding whose
 * kind is the PENGUIN domain's slug ("financial_crisis",
 * or "unclassified"), whose masked text names the sub-area and the
 * matched words, and whose reason names the rule and the persona
 * attribute that made it apply. A preference pair whose chosen reply is
 * less safe than its rejected one (a higher maximum severity) gets one
 * more finding, kind "unsafe_chosen", critical: the pair is quarantined
 * (the auditor's quarantine severity is critical) with both replies'
 * findings beside it. Ties are not quarantined.
 *
 * With `$.audit.safety.mode` "llm" the PENGUIN judge also scores every
 * reply through the config's endpoints (output/safetyllm.h), `samples`
 * times each (default 2).
 *
 * The rules and the rubric are data files compiled in
 * (auditors/data/safety-lexicon.tsv, safety-rubric.jsonl); the config
 * keys `$.audit.safety.lexicon` and `.rubric` name files of the same
 * formats to use instead (read when the config is loaded; a bad line is
 * an error with its file and line).
 */
#ifndef PF_SAFETY_H
#define PF_SAFETY_H

#include "auditors/auditor.h"
#include "auditors/rubric.h"
#include "auditors/saferules.h"

#define SAFETY_MAX_REPLIES 4   /* reply columns of one table */

/* The built-in rules and rubric, parsed once for the process (thread
 * safe). Returns 0 with both set (never freed), or -1 with err filled
 * when the compiled-in files do not parse. */
int safety_builtin(const struct saferules **rules,
		   const struct rubric **rubric, struct pf_error *err);

/* Score the replies of row with the offline rubric of cfg (an
 * audit_instance's cfg of this auditor; NULL: the built-in lexicon and
 * rubric), adding to t[RUBRIC_NCRITERIA] and to *replies. Returns 0, or
 * -1 with err filled when the built-in files do not parse. */
int safety_rubric_row(const void *cfg, const struct audit_row *row,
		      struct rubric_tally *t, long *replies,
		      struct pf_error *err);

/* One user-facing reply of a row: its column, its byte offset there
 * (a chat turn's start; 0 for a whole column), the query it answers and
 * its text (NUL-terminated, living only during the call), and for a
 * preference pair its side (0 chosen, 1 rejected; -1 otherwise). */
struct safety_reply {
	const char *field, *query, *text;
	size_t offset;
	int side;
};

typedef void (*safety_reply_fn)(void *ud, const struct safety_reply *r);

/* Call fn for every user-facing reply of row, the ones the auditor
 * judges (none without a persona). */
void safety_each_reply(const struct audit_row *row, safety_reply_fn fn,
		       void *ud);

/* The LLM mode of cfg (`$.audit.safety.mode` "llm"): the judge samples
 * per reply (`samples`), or 0 in the offline mode (and for NULL). */
int safety_llm_samples(const void *cfg);

/* The LLM mode's pairwise certainty floor (`abstain_below`, default 81
 * as the preference judge's): a pair whose mean certainty is below it
 * abstains. */
int safety_llm_abstain_below(const void *cfg);

/* The PENGUIN domain (penguin_domains index) the rules of cfg classify
 * a reply into for persona p, or -1 (none, or the rules failed to
 * load); *rubric gets the rubric in force. */
int safety_reply_domain(const void *cfg, const struct penguin_profile *p,
			const char *query, const char *text,
			const struct rubric **rubric);

#endif
