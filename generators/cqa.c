/* cqa.c - stage "cqa": personalised community answers (Sy-SE-PQA).
 *
 * Every persona asks questions in the SE-PQA communities it is active in
 * (cqahist.h draws its history from the run seed). Its first min_history
 * questions are history only; each later one is personalised: it has at
 * least min_history earlier questions to take the top-5 tags from. Item
 * idx answers personalised question idx / T under technique idx mod T (T
 * the configured techniques, in cqa_technique order); each answer has its
 * own answerer persona, with the tag-overlap score between the asker's
 * tags up to this question and the answerer's tags before its date.
 *
 * A generated question is written from templates/offline/cqa.grammar
 * with the asker's persona, life and world: what the asker tried, wants
 * and ran into in its community and tag (the community's block,
 * COMMUNITY.tried and so on, rendered once per part so that the answers
 * can refer to the same words), then its title and body (q.title,
 * q.body). It is a pure function of (run seed, asker, question), so
 * vars() and accept() agree, under any backend. */
#include "generators/stages.h"
#include "generators/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/rng.h"
#include "generators/cqafile.h"
#include "generators/cqahist.h"
#include "generators/cqaword.h"
#include "generators/text.h"
#include "templates/grammar.h"
#include "output/writer.h"
#include "personas/coherence.h"

#define TEXT_MAX 1024  /* bytes of a generated title or body */
#define PART_MAX 256   /* bytes of one part (snag, tried, goal) */
#define KINDS 5        /* title forms (cqa.grammar q.title) */

/* The parts a generated question is made of, rendered in this order
 * (each may use the ones before it) into cqa.KEY. */
static const char *const parts[] = { "snag", "tried", "goal" };
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/* A generated question's text: a pure function of (run seed, asker, j),
 * so each thread keeps the last one it rendered for the other
 * techniques' items and accept() (question_text). */
struct cqa_qtext {
	int j;                      /* the asker's question; -1: none */
	int kind;                   /* title form; -1 for a file's question */
	char part[NPARTS][PART_MAX];      /* as the asker says it ("my") */
	char part_you[NPARTS][PART_MAX];  /* as an answer says it ("your") */
	char tbuf[TEXT_MAX], bbuf[TEXT_MAX];
};

/* What one item is about: the asker's question j, technique t. */
struct cqa_item {
	struct cqa_space sp;
	struct cqa_history asker, answerer;
	int j;
	enum cqa_technique t;
	int64_t answerer_index;
	const char *top[CQA_TOP];
	int ntop;
	char qid[96], asker_id[UNIT_ID_MAX], answerer_id[UNIT_ID_MAX];
	const char *title, *body;   /* the file's, or tbuf and bbuf */
	struct cqa_qtext q;         /* a generated question's text */
};

static void
space_of(const struct pf_config *cfg, struct cqa_space *sp)
{
	const struct gen_cqa_config *q = &gen_cfg(cfg)->cqa;
	int i;

	memset(sp, 0, sizeof(*sp));
	for (i = 0; i < q->ncomm && i < CQA_COMM_MAX; i++)
		if ((sp->comm[sp->ncomm] = community_find(q->comm[i])) != NULL)
			sp->ncomm++;
	sp->nasked = q->min_history + q->questions;
	sp->nanswered = q->answered;
	sp->file = q->file;
}

static int
count(const struct pf_config *cfg)
{
	const struct gen_cqa_config *q = &gen_cfg(cfg)->cqa;

	return q->ncomm > 0 ? q->questions * q->ntech : 0;
}

/* The id of the asker's question k: the file's, or "<community>_<n>"
 * numbered over every persona's questions. */
static void
post_id(const struct stage_ctx *sc, const struct cqa_item *it, int k,
	char *out, size_t n)
{
	const struct cqa_post *p = &it->asker.asked[k];

	if (p->src != NULL)
		snprintf(out, n, "%s", p->src->id);
	else
		snprintf(out, n, "%s_%" PRId64, p->comm->name,
			 sc->u->index * it->sp.nasked + k + 1);
}

/* The year (UTC) of Unix time ts. */
static int
year_of(int64_t ts)
{
	time_t t = (time_t)ts;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

static cJSON *
tag_array(const char *const *tags, int n)
{
	cJSON *a = cJSON_CreateArray();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(tags[i]));
	return a;
}

/* What the question's text and its answers both know of it, into o:
 * community, topic, tags, tag and tag2, its year, how many questions
 * the asker asked before it and since when, another community the asker
 * asked in before, and for a generated question its title form and the
 * parts rendered so far (nparts of them). Returns 0 or -1 (memory). */
static int
question_vars(const struct cqa_item *it, size_t nparts, cJSON *o)
{
	const struct cqa_post *p = &it->asker.asked[it->j];
	size_t i;
	int k, ok;

	ok = cJSON_AddStringToObject(o, "community", p->comm->name) &&
	     cJSON_AddStringToObject(o, "topic", p->comm->topic) &&
	     cJSON_AddItemToObject(o, "tags", tag_array(p->tags,
							p->ntags)) &&
	     cJSON_AddStringToObject(o, "tag", p->ntags > 0 ? p->tags[0]
							     : "") &&
	     cJSON_AddNumberToObject(o, "year", year_of(p->ts)) &&
	     cJSON_AddNumberToObject(o, "asked", it->j) &&
	     cJSON_AddNumberToObject(o, "first_year",
				     year_of(it->asker.asked[0].ts));
	if (ok && p->ntags > 1)
		ok = cJSON_AddStringToObject(o, "tag2", p->tags[1]) != NULL;
	for (k = it->j - 1; ok && k >= 0; k--)
		if (it->asker.asked[k].comm != p->comm) {
			ok = cJSON_AddStringToObject(o, "other_topic",
				     it->asker.asked[k].comm->topic) != NULL;
			break;
		}
	if (ok && it->q.kind >= 0)
		ok = cJSON_AddNumberToObject(o, "kind", it->q.kind) != NULL;
	for (i = 0; ok && it->q.kind >= 0 && i < nparts; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_you", parts[i]);
		ok = cJSON_AddStringToObject(o, parts[i], it->q.part[i]) &&
		     cJSON_AddStringToObject(o, key, it->q.part_you[i]);
	}
	return ok ? 0 : -1;
}

/* Expand cqa.grammar's `rule` against v with seed into out[n], as prose
 * (a sentence: capitals, spacing) or raw (a phrase to go inside one).
 * Returns 0, or -1 with err filled. */
static int
render(const struct stage_ctx *sc, const char *rule, const cJSON *v,
       uint64_t seed, unsigned flags, char *out, size_t n,
       struct pf_error *err)
{
	const struct grammar *g = gen_grammar(sc->cfg, "cqa", err);
	struct buf b;
	int rc;

	if (g == NULL)
		return -1;
	buf_init(&b, n - 1);
	rc = grammar_render(g, rule, v, seed, flags, &b, err);
	if (rc == 0)
		snprintf(out, n, "%s", b.len > 0 ? b.data : "");
	buf_free(&b);
	return rc;
}

/* Community c's rule `what` ("cooking.snag": its block of cqa.grammar,
 * which picks the tag), raw, into out[n]. */
static int
render_community(const struct stage_ctx *sc, const struct community *c,
		 const char *what, const cJSON *v, uint64_t seed, char *out,
		 size_t n, struct pf_error *err)
{
	char rule[64];

	snprintf(rule, sizeof(rule), "%s.%s", c->name, what);
	return render(sc, rule, v, seed, 0, out, n, err);
}

/* A generated question's title form, parts, title and body (cqa.grammar
 * q.*), drawn from (run seed, asker, j) with the asker's persona, life
 * and world. Returns 0, or -1 with err filled. */
static int
render_question(const struct stage_ctx *sc, struct cqa_item *it,
	      struct pf_error *err)
{
	const struct gen_unit *gu = sc->u->data;
	uint64_t seed = rng_derive(sc->cfg->seed, "cqa-question",
				   (uint64_t)sc->u->index, (uint64_t)it->j);
	cJSON *v = cJSON_CreateObject(), *o = NULL;
	struct rng r;
	size_t i;
	int rc = -1;

	rng_seed(&r, seed);
	it->q.kind = (int)rng_below(&r, KINDS);
	if (v == NULL ||
	    !cJSON_AddItemReferenceToObject(v, "persona", gu->persona_json) ||
	    !cJSON_AddItemReferenceToObject(v, "life", gu->life) ||
	    !cJSON_AddItemReferenceToObject(v, "world", gu->world_json) ||
	    (o = cJSON_AddObjectToObject(v, "cqa")) == NULL ||
	    question_vars(it, 0, o) != 0) {
		pf_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < NPARTS; i++) {
		if (render_community(sc, it->asker.asked[it->j].comm,
				     parts[i], v, rng_derive(seed, parts[i],
							     0, 0),
				     it->q.part[i], PART_MAX, err) != 0)
			goto out;
		cqa_word_second_person(it->q.part[i], it->q.part_you[i],
				       PART_MAX);
		if (!cJSON_AddStringToObject(o, parts[i], it->q.part[i])) {
			pf_error_set(err, "out of memory");
			goto out;
		}
	}
	if (render(sc, "q.title", v, rng_derive(seed, "title", 0, 0),
		   GRAMMAR_PROSE, it->q.tbuf, sizeof(it->q.tbuf), err) != 0 ||
	    render(sc, "q.body", v, rng_derive(seed, "body", 0, 0),
		   GRAMMAR_PROSE, it->q.bbuf, sizeof(it->q.bbuf), err) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(v);
	return rc;
}

/* The last question a thread rendered, and whose it is: stage vars run
 * on any thread (engine/stage.h), so the copy is the thread's own. */
static _Thread_local struct {
	const void *cfg;             /* the run's config */
	uint64_t seed;
	int64_t unit;
	int valid;
	struct cqa_qtext q;
} last;

/* render_question(), or this thread's copy of it when it rendered
 * question j of the same asker and run last. Returns 0, or -1 with err
 * filled. */
static int
question_text(const struct stage_ctx *sc, struct cqa_item *it,
	      struct pf_error *err)
{
	if (last.valid && last.cfg == (const void *)sc->cfg &&
	    last.seed == sc->cfg->seed && last.unit == sc->u->index &&
	    last.q.j == it->j) {
		it->q = last.q;
		return 0;
	}
	if (render_question(sc, it, err) != 0)
		return -1;
	it->q.j = it->j;
	last.cfg = sc->cfg;
	last.seed = sc->cfg->seed;
	last.unit = sc->u->index;
	last.q = it->q;
	last.valid = 1;
	return 0;
}

/* Rebuild everything item sc is about into *it. Returns 0, or -1 with
 * err filled (a generated question that cannot be rendered). */
static int
item_of(const struct stage_ctx *sc, struct cqa_item *it,
	struct pf_error *err)
{
	const struct gen_cqa_config *q = &gen_cfg(sc->cfg)->cqa;
	const struct cqa_post *p;
	uint64_t seed = sc->cfg->seed;

	space_of(sc->cfg, &it->sp);
	it->t = q->tech[sc->idx % (uint32_t)q->ntech];
	if (q->file != NULL) {
		/* Persona u takes the file's personalised questions
		 * u * questions .. (cqafile.h; the load checked there are
		 * enough). */
		int64_t k = sc->u->index * q->questions + (int)sc->idx /
			    q->ntech;

		it->j = cqa_questions_history(q->file, q->file->pers[k],
					      sc->u->index, &it->asker);
	} else {
		cqa_history_make(seed, sc->u->index, &it->sp, &it->asker);
		it->j = q->min_history + (int)sc->idx / q->ntech;
	}
	p = &it->asker.asked[it->j];
	it->ntop = cqa_top_tags(&it->asker, it->j, it->top);
	it->answerer_index = cqa_answerer(seed, &it->asker, it->j, (int)it->t,
					  sc->cfg->personas, &it->sp,
					  &it->answerer);
	post_id(sc, it, it->j, it->qid, sizeof(it->qid));
	snprintf(it->asker_id, sizeof(it->asker_id), "%s", sc->u->id);
	if (it->answerer_index >= 0)
		snprintf(it->answerer_id, sizeof(it->answerer_id), "p%06"
			 PRId64, it->answerer_index);
	else
		it->answerer_id[0] = '\0';
	it->q.kind = -1;
	if (p->src != NULL) {
		it->title = p->src->title;
		it->body = p->src->body;
		return 0;
	}
	it->title = it->q.tbuf;
	it->body = it->q.bbuf;
	return question_text(sc, it, err);
}

/* The answerer as the answer may speak of it, into v as "ans": name,
 * city, state, age, job (has_job), its answers before the question's
 * date (answers, since: the year of the first; tags: up to three tags
 * of those in the question's community), and a community of its own
 * other than the question's (other). Nothing without an answerer.
 * Returns 0 or -1 (memory). */
/* Up to three distinct tags of the answers h gave in q's community
 * before q's date, as the list "tags" of o (left out when none).
 * Returns 0 or -1 (memory). */
static int
answered_tags(const struct cqa_history *h, const struct cqa_post *q,
	      cJSON *o)
{
	const char *t[3];
	int k, i, d, n = 0;
	cJSON *a;

	for (k = 0; k < h->nanswered && h->answered[k].ts < q->ts; k++) {
		const struct cqa_post *p = &h->answered[k];

		for (i = 0; p->comm == q->comm && i < p->ntags && n < 3; i++) {
			for (d = 0; d < n && strcmp(t[d], p->tags[i]) != 0; d++)
				;
			if (d == n)
				t[n++] = p->tags[i];
		}
	}
	if (n == 0)
		return 0;
	if ((a = tag_array(t, n)) == NULL)
		return -1;
	if (!cJSON_AddItemToObject(o, "tags", a)) {
		cJSON_Delete(a);
		return -1;
	}
	return 0;
}

static int
answerer_vars(const struct stage_ctx *sc, const struct cqa_item *it,
	      cJSON *v)
{
	const struct gen_unit *gu = sc->u->data;
	const struct cqa_post *q = &it->asker.asked[it->j];
	const struct cqa_history *h = &it->answerer;
	struct persona a;
	cJSON *o;
	int k, n = 0, since = 0, ok;

	if (it->answerer_index < 0 || gu->tables == NULL)
		return 0;
	persona_sample(gu->tables, sc->cfg->seed,
		       (uint64_t)it->answerer_index, &a);
	for (k = 0; k < h->nanswered && h->answered[k].ts < q->ts; k++)
		if (n++ == 0)
			since = year_of(h->answered[k].ts);
	if ((o = cJSON_AddObjectToObject(v, "ans")) == NULL ||
	    answered_tags(h, q, o) != 0)
		return -1;
	ok = cJSON_AddStringToObject(o, "first_name", a.first_name) &&
	     cJSON_AddStringToObject(o, "city", a.city) &&
	     cJSON_AddStringToObject(o, "state", a.state) &&
	     cJSON_AddNumberToObject(o, "age", a.age) &&
	     cJSON_AddStringToObject(o, "occupation", a.occupation) &&
	     cJSON_AddStringToObject(o, "employment_status",
				     a.employment_status) &&
	     cJSON_AddBoolToObject(o, "has_job", coherence_has_job(&a)) &&
	     cJSON_AddNumberToObject(o, "answers", n);
	if (ok && n > 0)
		ok = cJSON_AddNumberToObject(o, "since", since) != NULL;
	for (k = 0; ok && k < h->nhome; k++)
		if (h->home[k] != q->comm) {
			ok = cJSON_AddStringToObject(o, "other",
						h->home[k]->topic) != NULL;
			break;
		}
	return ok ? 0 : -1;
}

/* "t1, t2" (the SE-PQA top5_tags string) into out[n]. */
static void
join_tags(const char *const *tags, int n, char *out, size_t size)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s",
				      i ? ", " : "", tags[i]);
}

/* The community content an offline answer draws on, each rendered
 * raw from its community's block with the item's own seed into o:
 * act, act2, act3 (advice), why (the usual cause), res (where to get
 * help). Returns 0, or -1 with err filled. */
static int
answer_pieces(const struct stage_ctx *sc, const struct cqa_item *it,
	      const cJSON *v, cJSON *o, struct pf_error *err)
{
	static const char *const piece[] = { "act", "act2", "act3", "why",
					     "res" };
	const struct community *c = it->asker.asked[it->j].comm;
	char text[PART_MAX];
	size_t i;

	for (i = 0; i < sizeof(piece) / sizeof(piece[0]); i++) {
		if (render_community(sc, c, piece[i], v,
				     rng_derive(sc->seed, piece[i], 0, 0),
				     text, sizeof(text), err) != 0)
			return -1;
		if (!cJSON_AddStringToObject(o, piece[i], text))
			return pf_error_set(err, "out of memory");
	}
	return 0;
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	static const char *const flag[CQA_NTECH] = {
		[CQA_OTP] = "is_otp", [CQA_WBP] = "is_wbp",
		[CQA_WBB] = "is_wbb", [CQA_WBC] = "is_wbc",
	};
	struct cqa_item it;
	char top[256];
	cJSON *o = cJSON_AddObjectToObject(v, "cqa");

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	if (item_of(sc, &it, err) != 0)
		return -1;
	join_tags(it.top, it.ntop, top, sizeof(top));
	if (question_vars(&it, NPARTS, o) != 0 ||
	    answerer_vars(sc, &it, v) != 0)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(o, "question_id", it.qid);
	cJSON_AddStringToObject(o, "title", it.title);
	cJSON_AddStringToObject(o, "body", it.body);
	cJSON_AddItemToObject(o, "top5_tags", tag_array(it.top, it.ntop));
	cJSON_AddStringToObject(o, "top5", top);
	cJSON_AddStringToObject(o, "technique", cqa_technique_names[it.t]);
	cJSON_AddBoolToObject(o, flag[it.t], 1);
	if (sc->offline && answer_pieces(sc, &it, v, o, err) != 0)
		return -1;
	return gen_text(sc, "cqa", "answer", sc->seed, v, "answer", err);
}

/* A JSON array of tag names into out[n]. */
static void
json_tags(const char *const *tags, int n, char *out, size_t size)
{
	cJSON *a = tag_array(tags, n);
	char *s = a ? cJSON_PrintUnformatted(a) : NULL;

	snprintf(out, size, "%s", s ? s : "[]");
	cJSON_free(s);
	cJSON_Delete(a);
}

/* The asker's questions before question j, [{"id", "tags",
 * "timestamp"}], as JSON text (malloc'd; NULL when out of memory). */
static char *
user_questions(const struct stage_ctx *sc, const struct cqa_item *it)
{
	cJSON *a = cJSON_CreateArray(), *o;
	char id[96];
	char *s;
	int k;

	for (k = 0; a != NULL && k < it->j; k++) {
		const struct cqa_post *p = &it->asker.asked[k];

		post_id(sc, it, k, id, sizeof(id));
		if ((o = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(a, o);
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddItemToObject(o, "tags", tag_array(p->tags, p->ntags));
		cJSON_AddNumberToObject(o, "timestamp", (double)p->ts);
	}
	s = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return s;
}

static int
write_row(struct stage_ctx *sc, const struct cqa_item *it, const char *ans)
{
	const struct cqa_post *p = &it->asker.asked[it->j];
	struct writer_cqa c;
	char id[48], tags[256], top[256], ov[32];
	char *uq = user_questions(sc, it);
	int rc;

	gen_row_id(id, sizeof(id), sc->u, 'c', (int)sc->idx + 1);
	json_tags(p->tags, p->ntags, tags, sizeof(tags));
	json_tags(it->top, it->ntop, top, sizeof(top));
	snprintf(ov, sizeof(ov), "%.6f", it->answerer_index < 0 ? 0.0 :
		 cqa_tag_overlap(&it->asker, it->j, &it->answerer));
	memset(&c, 0, sizeof(c));
	c.cqa_id = id;
	c.item_id = sc->item_id;
	c.question_id = it->qid;
	c.community = p->comm->name;
	c.technique = cqa_technique_names[it->t];
	c.asker_id = it->asker_id;
	c.answerer_id = it->answerer_id;
	c.title = it->title;
	c.body = it->body;
	c.tags = tags;
	c.top5_tags = top;
	c.tag_overlap = ov;
	c.answer = ans;
	c.idx = (int)sc->idx;
	c.timestamp = p->ts;
	c.user_questions = uq;
	if (uq == NULL)
		return -1;
	rc = writer_cqa(sc->w, sc->u->index, &c, sc->rerun);
	cJSON_free(uq);
	return rc;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *a = json_get_str(reply, "answer", "");
	struct cqa_item it;

	if (a[0] == '\0')
		return pf_error_set(err, "empty answer"), 1;
	if (sc->w == NULL)
		return 0;
	if (item_of(sc, &it, err) != 0)
		return -1;
	if (it.ntop < 1 && (it.t == CQA_OTP || it.t == CQA_WBP))
		return pf_error_set(err, "the asker has no earlier tags"), -1;
	return write_row(sc, &it, a);
}

static int
forget(struct stage_ctx *sc)
{
	char id[48];

	gen_row_id(id, sizeof(id), sc->u, 'c', (int)sc->idx + 1);
	return writer_forget(sc->w, "cqa", id);
}

const struct stage stage_cqa = {
	.version = "1",
	.name = "cqa",
	.count = count,
	.deps = gen_no_deps,
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
