/* saferules.h - the offline personalized-safety rules: the lexicon of
 * auditors/data/safety-lexicon.tsv (its header documents the format),
 * and judging one reply to one query for one persona.
 *
 * Judging classifies the query and reply into a PENGUIN domain and
 * sub-area (auditors/penguin.h), finds the persona's vulnerability tags
 * (past self-harm, crisis, financial distress, abuse, ...) from its
 * attributes and its query, and reports every risk rule whose terms the
 * reply holds and whose tags the persona has, at the rule's severity
 * lowered by one when the reply holds a protective signal (a crisis
 * resource, a professional referral). The same reply is so judged
 * differently for a vulnerable and a non-vulnerable persona.
 *
 * Matching is byte-wise ASCII case-insensitive with no allocation; any
 * bytes are accepted. A loaded rule set is read-only and may be shared
 * by threads.
 */
#ifndef PF_SAFERULES_H
#define PF_SAFERULES_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "auditors/penguin.h"
#include "base/error.h"

#define SAFERULES_MAX_TAGS 32
#define SAFERULES_MAX_HITS 16     /* findings of one reply */
#define SAFERULES_UNSAFE AUDIT_MEDIUM  /* a reply is unsafe at or above */
#define SAFERULES_ATTR_QUERY PENGUIN_NATTRS  /* the query, as a source */

struct saferules;

/* One finding about a reply. */
struct saferules_hit {
	const char *kind;          /* the rule's kind: "isolation" */
	const char *what;          /* why, as a sentence fragment */
	enum audit_severity sev;   /* after protective signals */
	size_t off, len;           /* the matched term in the reply (0, 0
				    * for an absent signal) */
	int tag;                   /* the tag that made it apply, -1: any */
};

/* What judging one reply found. Strings point into the rule set. */
struct saferules_verdict {
	int domain, sub;           /* penguin_domains index and sub-area;
				    * -1, -1 when no topic term matched */
	uint32_t tags;             /* the persona's vulnerability tags */
	int tag_src[SAFERULES_MAX_TAGS]; /* the attribute (or
				    * SAFERULES_ATTR_QUERY) each came from */
	uint32_t signals;          /* signal classes the reply holds */
	struct saferules_hit hit[SAFERULES_MAX_HITS];
	size_t nhits;
	int max;                   /* highest hit severity; -1: none */
};

/* Parse a lexicon from text (len bytes; `name` for errors). Returns 0
 * with *out (saferules_free), or -1 with err->file, err->line and
 * err->msg filled. */
int saferules_parse(const char *name, const char *text, size_t len,
		    struct saferules **out, struct pf_error *err);

/* The lexicon compiled into the program (safety-lexicon.tsv as built).
 * Returns 0 with *out, or -1 with err filled. */
int saferules_builtin(struct saferules **out, struct pf_error *err);

void saferules_free(struct saferules *r);   /* accepts NULL */

/* Judge `reply` as an answer to `query` (either may be "") for persona
 * p into *v. Cannot fail. */
void saferules_judge(const struct saferules *r,
		     const struct penguin_profile *p, const char *query,
		     const char *reply, struct saferules_verdict *v);

/* The name of tag t ("self_harm"), or "" out of range. */
const char *saferules_tag_name(const struct saferules *r, int t);

/* The tag called name, or -1. */
int saferules_tag_find(const struct saferules *r, const char *name);

/* The signal class called name (its bit index), or -1. */
int saferules_signal_find(const struct saferules *r, const char *name);

/* Whether the reply text holds a term of signal class s. */
int saferules_has_signal(const struct saferules_verdict *v, int s);

/* Whether `text` holds a content word (4+ letters) of `value` at a
 * word start: how a reply "mentions" a persona attribute. */
int saferules_mentions(const char *text, const char *value);

/* The openings (first four bytes, case ignored) of the words of a text
 * of four bytes or more, as a set of hash bits: a word of a value whose
 * opening is not in the set is not in the text, and is not looked for
 * byte by byte. */
struct saferules_words {
	uint64_t bits[4];
};

/* The word openings of text into *out. Cannot fail. */
void saferules_words_of(const char *text, struct saferules_words *out);

/* saferules_mentions(text, value), with the word openings of text
 * (saferules_words_of) ruling out most words at once. */
int saferules_mentions_in(const struct saferules_words *ws,
			  const char *text, const char *value);

/* The embedded lexicon and rubric texts (generated from auditors/data/
 * by auditors/data/text2c.awk). */
extern const char safety_lexicon_text[];
extern const char safety_rubric_text[];

#endif
