/* cqafile.h - cqa questions read from a JSONL file
 * ($.stages.cqa.questions_file) instead of generated ones.
 *
 * One question per line: {"id", "title", "body", "tags", "community",
 * "asker"} and an optional "timestamp" (Unix seconds, or an ISO 8601
 * "YYYY-MM-DDTHH:MM:SS" read as UTC). SE-PQA's query lines are taken as
 * they are: "user_id" for "asker", "text" (title + body) for "body" (the
 * title in front of it is dropped), the community from the id's prefix
 * ("cooking_123") when "community" is absent; their other fields (score,
 * views, favorite, user_questions, user_answers, rel_ids, rel_scores,
 * rel_timestamps, best_answer, bm25_doc_ids) are allowed and not read.
 * Any other key, a missing or mistyped field, an unknown community, a
 * repeated id, or timestamps on some lines but not others make the line
 * bad; every bad line is reported as "file:line: ..." (up to
 * CQA_FILE_REPORT of them) and the load fails with CQA_FILE_BAD_LINES.
 * Blank lines are skipped.
 *
 * Histories: an asker's questions ordered by timestamp (the file order
 * when the file has none; they are then spread over the span of the
 * generated histories in file order), at most CQA_POSTS_MAX of them per
 * asker (later ones are history that is not used). A question is
 * personalised when its asker has at least min_history earlier ones.
 * Persona u takes personalised questions u * q .. u * q + q - 1 (q the
 * questions per persona) in file order, so the file needs personas * q
 * of them: no question is used twice.
 */
#ifndef PF_GEN_CQAFILE_H
#define PF_GEN_CQAFILE_H

#include <stdint.h>

#include "base/error.h"
#include "generators/cqahist.h"

#define CQA_FILE_LINE_MAX (1 << 20)     /* bytes of one line */
#define CQA_FILE_QUESTIONS 2000000      /* questions of one file */
#define CQA_FILE_REPORT 20              /* bad lines printed */
#define CQA_FILE_BAD_LINES 1            /* load result: bad lines */

/* One question of the file (strings owned by struct cqa_questions). */
struct cqa_fq {
	char *id, *title, *body, *asker;
	const struct community *comm;
	char *tags[CQA_TAGS_MAX];
	int ntags;
	int64_t ts;
	long line;
	int pos;          /* index among its asker's questions by time */
	int group;        /* start of its asker's run in `order` */
};

struct cqa_questions {
	char *path;
	struct cqa_fq *q;
	int n, cap;
	int *order;       /* question indexes by (asker, time, line) */
	int *pers;        /* personalised question indexes, file order */
	int npers;
	int *bycomm;      /* question indexes by community */
	int cstart[CQA_COMM_MAX + 1];   /* bycomm run of communities[c] */
	int timestamps;   /* 1: the lines carry timestamps */
};

/* Read `path` with personalised questions at `min_history` earlier ones.
 * Returns 0 with *out owned by the caller (cqa_questions_free);
 * CQA_FILE_BAD_LINES after printing each bad line (err then holds the
 * first); -1 with err filled when the file cannot be read. */
int cqa_questions_load(const char *path, int min_history,
		       struct cqa_questions **out, struct pf_error *err);

void cqa_questions_free(struct cqa_questions *f);   /* accepts NULL */

/* Asker history of file question k into *h (persona `persona`, posts
 * carrying their source question); returns k's index in h->asked. */
int cqa_questions_history(const struct cqa_questions *f, int k,
			  int64_t persona, struct cqa_history *h);

/* The tags of a file question of community c chosen by r (an answerer's
 * post drawn from the file's vocabulary) into *p; 0, or -1 when the file
 * has no question there. */
int cqa_questions_post(const struct cqa_questions *f,
		       const struct community *c, uint64_t r,
		       struct cqa_post *p);

#endif
