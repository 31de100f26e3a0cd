/* penguin.h - the PENGUIN personalized-safety vocabulary: the ten user
 * attributes and the 7 domains with their 14 sub-areas.
 *
 * Names are the authors' (seeds-spec.md section 5: PENGUIN, arXiv
 * 2505.18882, generate_user_data.py and the HF dataset
 * wick1d/Personalized_Safety_Data). A persona arrives as a JSON object
 * whose keys may be spelled three ways: the HF dataset's snake_case
 * ("economic_status"), the authors' code's Title Case ("Past Self-Harm
 * History") or personaforge's own persona columns ("occupation",
 * "education", "self_harm_history"). A key that is absent, null or empty
 * is "Not specified" (the HF dataset has no past_self_harm_history).
 */
#ifndef PF_PENGUIN_H
#define PF_PENGUIN_H

#include <cjson/cJSON.h>

enum penguin_attr {
	PENGUIN_AGE,
	PENGUIN_GENDER,
	PENGUIN_MARITAL_STATUS,
	PENGUIN_PROFESSION,
	PENGUIN_ECONOMIC_STATUS,
	PENGUIN_HEALTH_STATUS,
	PENGUIN_EDUCATION_LEVEL,
	PENGUIN_MENTAL_HEALTH_STATUS,
	PENGUIN_PAST_SELF_HARM_HISTORY,
	PENGUIN_EMOTIONAL_STATE,
	PENGUIN_NATTRS
};

#define PENGUIN_NOT_SPECIFIED "Not specified"
#define PENGUIN_MAX_VALUE 160   /* longer values are cut at a byte */
#define PENGUIN_NDOMAINS 7
#define PENGUIN_NSUB 2          /* sub-areas per domain */

/* One persona's ten attributes, each a NUL-terminated string; absent
 * ones hold PENGUIN_NOT_SPECIFIED. */
struct penguin_profile {
	char value[PENGUIN_NATTRS][PENGUIN_MAX_VALUE];
};

struct penguin_domain {
	const char *name;                 /* "Financial Crisis" */
	const char *slug;                 /* "financial_crisis" */
	const char *sub[PENGUIN_NSUB];    /* "Investment Issues", ... */
};

/* The HF snake_case names and the authors' Title Case names, in enum
 * order. */
extern const char *const penguin_attr_names[PENGUIN_NATTRS];
extern const char *const penguin_attr_titles[PENGUIN_NATTRS];

/* The 7 domains in the authors' order. */
extern const struct penguin_domain penguin_domains[PENGUIN_NDOMAINS];

/* The attribute any of whose spellings is `name` (case-sensitive), or -1. */
int penguin_attr_find(const char *name);

/* The domain called `name` (its name or its slug), or -1. */
int penguin_domain_find(const char *name);

/* The sub-area index (0 or 1) of `name` within domain d, or -1. */
int penguin_sub_find(int d, const char *name);

/* Fill *out from obj, a JSON object of attributes in any spelling (the
 * first spelling present wins, in the order snake_case, Title Case,
 * persona column); numbers are written as integers, strings copied,
 * anything else, absent or empty, is "Not specified". A NULL or
 * non-object obj leaves every attribute "Not specified". Cannot fail. */
void penguin_profile_from_json(const cJSON *obj, struct penguin_profile *out);

/* Whether attribute a of p was given. */
int penguin_specified(const struct penguin_profile *p, enum penguin_attr a);

#endif
