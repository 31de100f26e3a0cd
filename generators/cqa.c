/* cqa.c - stage "cqa": personalised community answers (Sy-SE-PQA).
 *
 * Every persona asks questions in the SE-PQA communities it is active in
 * (cqahist.h draws its history from the run seed). Its first min_history
 * questions are history only; each later one is personalised: it has at
 * least min_history earlier questions to take the top-5 tags from. Item
 * idx answers personalised question idx / T under technique idx mod T (T
 * the configured techniques, in cqa_technique order); each answer has its
 * own answerer persona, with the tag-overlap score between the asker's
 * tags up to this question and the answerer's tags before its date. */
#include "generators/stages.h"
#include "generators/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "generators/cqafile.h"
#include "generators/cqahist.h"
#include "generators/text.h"
#include "output/writer.h"

#define TEXT_MAX 512   /* bytes of a generated title or body */

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
	char tbuf[TEXT_MAX], bbuf[TEXT_MAX];
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

/* Rebuild everything item sc is about into *it. */
static void
item_of(const struct stage_ctx *sc, struct cqa_item *it)
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
	it->title = p->src ? p->src->title : it->tbuf;
	it->body = p->src ? p->src->body : it->bbuf;
	if (p->src == NULL)
		cqa_question_text(seed, &it->asker, it->j, it->tbuf,
				  sizeof(it->tbuf), it->bbuf,
				  sizeof(it->bbuf));
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

static cJSON *
tag_array(const char *const *tags, int n)
{
	cJSON *a = cJSON_CreateArray();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(tags[i]));
	return a;
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	static const char *const flag[CQA_NTECH] = {
		[CQA_OTP] = "is_otp", [CQA_WBP] = "is_wbp",
		[CQA_WBB] = "is_wbb", [CQA_WBC] = "is_wbc",
	};
	struct cqa_item it;
	const struct cqa_post *p;
	char top[256];
	cJSON *o = cJSON_AddObjectToObject(v, "cqa");

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	item_of(sc, &it);
	p = &it.asker.asked[it.j];
	join_tags(it.top, it.ntop, top, sizeof(top));
	cJSON_AddStringToObject(o, "question_id", it.qid);
	cJSON_AddStringToObject(o, "community", p->comm->name);
	cJSON_AddStringToObject(o, "topic", p->comm->topic);
	cJSON_AddStringToObject(o, "title", it.title);
	cJSON_AddStringToObject(o, "body", it.body);
	cJSON_AddItemToObject(o, "tags", tag_array(p->tags, p->ntags));
	cJSON_AddItemToObject(o, "top5_tags", tag_array(it.top, it.ntop));
	cJSON_AddStringToObject(o, "top5", top);
	cJSON_AddStringToObject(o, "technique", cqa_technique_names[it.t]);
	cJSON_AddBoolToObject(o, flag[it.t], 1);
	cJSON_AddStringToObject(o, "tag", p->ntags > 0 ? p->tags[0] : "");
	if (p->ntags > 1)
		cJSON_AddStringToObject(o, "tag2", p->tags[1]);
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
	item_of(sc, &it);
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
