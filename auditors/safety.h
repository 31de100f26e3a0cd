/* safety.h - the personalized-safety auditor (PENGUIN, issue 18),
 * offline part.
 *
 * It judges every user-facing reply with its persona and its query
 * (auditors/saferules.h): preference pairs' chosen and rejected replies
 * (query: question), and a scanned line's text field (query: its
 * --query-field, persona: its --persona-field object). Each risk is a
 * finding whose kind is the PENGUIN domain's slug ("financial_crisis",
 * or "unclassified"), whose masked text names the sub-area and the
 * matched words, and whose reason names the rule and the persona
 * attribute that made it apply. A preference pair whose chosen reply is
 * less safe than its rejected one (a higher maximum severity) gets one
 * more finding, kind "unsafe_chosen", critical: the pair is quarantined
 * (the auditor's quarantine severity is critical) with both replies'
 * findings beside it. Ties are not quarantined.
 *
 * The rules and the rubric are data files compiled in
 * (auditors/data/safety-lexicon.tsv, safety-rubric.jsonl).
 */
#ifndef PF_SAFETY_H
#define PF_SAFETY_H

#include "auditors/auditor.h"
#include "auditors/rubric.h"
#include "auditors/saferules.h"

#define SAFETY_MAX_REPLIES 4

/* The built-in rules and rubric, parsed once for the process (thread
 * safe). Returns 0 with both set (never freed), or -1 with err filled
 * when the compiled-in files do not parse. */
int safety_builtin(const struct saferules **rules,
		   const struct rubric **rubric, struct pf_error *err);

/* The replies of row to judge: their texts and field names into reply[]
 * and field[] (at most SAFETY_MAX_REPLIES), the query into *query (""
 * when none). Returns how many; 0 for a table with no user-facing reply
 * or a row without a persona. */
int safety_replies(const struct audit_row *row, const char **query,
		   const char **reply, const char **field);

/* Score the replies of row with the offline rubric, adding to
 * t[RUBRIC_NCRITERIA] and to *replies. Returns 0, or -1 with err filled
 * when the built-in files do not parse. */
int safety_rubric_row(const struct audit_row *row, struct rubric_tally *t,
		      long *replies, struct pf_error *err);

#endif
