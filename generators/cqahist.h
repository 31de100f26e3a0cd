/* cqahist.h - who asked and answered what, and when: the question and
 * answer histories behind the cqa stage (Sy-SE-PQA), and the two
 * personalisation features SE-PQA computes from them.
 *
 * A persona's history is a pure function of (run seed, persona index,
 * the configured communities), so any item can rebuild any persona's
 * history, an answerer's included, without shared state. Each persona is
 * active in up to CQA_HOME communities of the list; its posts (questions
 * asked, questions answered) fall in those, carry 1 to CQA_POST_TAGS of
 * the community's tags, and have timestamps in [CQA_EPOCH, CQA_EPOCH +
 * CQA_SPAN), strictly increasing within each list.
 *
 * Features (SE-PQA, testing_pers_tag.py): the asker's top-5 tags before
 * question j (only questions 0..j-1 count: nothing later leaks in), and
 * the tag overlap |Tq ∩ Ta| / (|Tq| + 1), Tq the tags of the asker's
 * questions 0..j, Ta those of the questions the answerer answered before
 * question j's timestamp.
 */
#ifndef PF_GEN_CQAHIST_H
#define PF_GEN_CQAHIST_H

#include <stddef.h>
#include <stdint.h>

#include "generators/communities.h"

#define CQA_POSTS_MAX 64      /* questions (or answers) of one persona */
#define CQA_POST_TAGS 3       /* tags of one generated post */
#define CQA_TAGS_MAX 5        /* tags of any post (a file's: SE's 5) */
#define CQA_HOME 3            /* communities one persona is active in */
#define CQA_COMM_MAX 64       /* communities of a config */
#define CQA_TOP 5             /* the top-k tags */
#define CQA_EPOCH INT64_C(1325376000)   /* 2012-01-01T00:00:00Z */
#define CQA_SPAN INT64_C(315360000)     /* ten years of seconds */

struct cqa_questions;
struct cqa_fq;

/* The communities questions are drawn from (the config's list). */
struct cqa_space {
	const struct community *comm[CQA_COMM_MAX];
	int ncomm;
	int nasked;              /* questions per persona, <= CQA_POSTS_MAX */
	int nanswered;           /* answers per persona, <= CQA_POSTS_MAX */
	/* The questions file (cqafile.h), or NULL: answered posts then
	 * carry the tags of the file's questions of their community. */
	const struct cqa_questions *file;
};

struct cqa_post {
	const struct community *comm;
	const char *tags[CQA_TAGS_MAX];
	int ntags;
	int64_t ts;              /* Unix seconds */
	const struct cqa_fq *src;   /* the file's question, NULL when drawn */
};

struct cqa_history {
	int64_t persona;
	const struct community *home[CQA_HOME];
	int nhome;
	struct cqa_post asked[CQA_POSTS_MAX];     /* by time */
	struct cqa_post answered[CQA_POSTS_MAX];  /* by time */
	int nasked, nanswered;
};

/* Fill *h with persona `persona`'s history under run seed `seed`. Never
 * fails: the space's counts are clamped to CQA_POSTS_MAX. */
void cqa_history_make(uint64_t seed, int64_t persona,
		      const struct cqa_space *sp, struct cqa_history *h);

/* 1 if persona's history has a post in community c. */
int cqa_history_active(const struct cqa_history *h,
		       const struct community *c);

/* The asker's top tags before question j (questions 0..j-1 only), most
 * used first, ties by first use; at most CQA_TOP into out. Returns how
 * many. */
int cqa_top_tags(const struct cqa_history *h, int j,
		 const char *out[CQA_TOP]);

/* |Tq ∩ Ta| / (|Tq| + 1) for question j of asker q and answerer a. */
double cqa_tag_overlap(const struct cqa_history *q, int j,
		       const struct cqa_history *a);

/* The answerer of question j of asker h under technique t: a persona
 * index in [0, population) other than the asker, preferring one active
 * in the question's community (up to 32 draws). -1 when the population
 * has no other persona. Fills *a with its history. */
int64_t cqa_answerer(uint64_t seed, const struct cqa_history *h, int j,
		     int t, int64_t population, const struct cqa_space *sp,
		     struct cqa_history *a);

#endif
