/* config.c - the stages' config sections (see config.h). */
#include "generators/config.h"
#include "generators/cqafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/minhash.h"
#include "generators/communities.h"
#include "generators/dedup.h"
#include "generators/prefview.h"
#include "generators/text.h"

/* The life-story interview protocol (American Voices Project questions,
 * as used for deep-binding backstories); the first N are asked. */
static const struct {
	const char *key, *text;
} default_questions[] = {
	{ "childhood", "Tell me the story of your life, starting from your "
	  "childhood: your education, your family and the events that "
	  "shaped you." },
	{ "turning_point", "Describe a crossroads or turning point in your "
	  "life. What happened, and how did it change you?" },
	{ "family", "Tell me about the family members who matter most to you "
	  "now, such as a partner or children." },
	{ "people", "Who are the other important people in your life, such "
	  "as friends or close colleagues?" },
	{ "neighborhood", "Describe the neighbourhood where you live now. "
	  "What is it like?" },
	{ "week", "Walk me through a typical week. How does it vary?" },
	{ "work", "Tell me about your work: what you do, and when you "
	  "work." },
	{ "voting", "Do you vote? Why or why not?" },
	{ "politics", "How would you describe your political views?" },
};
#define NDEFAULT_Q (sizeof(default_questions) / sizeof(default_questions[0]))

static const char *const default_doc_types[] = {
	"conversation", "user_ai", "purchase"
};
static const char *const default_views[] = {
	"concise", "verbose", "negative", "positive", "novice", "expert",
	"formal", "casual", "persona_w", "persona_l"
};
#define NDEFAULT_VIEWS (sizeof(default_views) / sizeof(default_views[0]))

/* The document types the templates know (document.is_<type> in
 * templates/prompts/document.mustache and templates/offline/). */
static const char *const doc_types[] = {
	"conversation", "user_ai", "purchase", "email", "note", "calendar",
	"search", NULL
};


/* ---- sections ---- */

static int
narrative(const struct jfield *x, const cJSON *s, const char *p,
	  struct gen_config *c)
{
	struct gen_dedup_config *d = &c->dedup;

	if (jfield_bool(x, s, p, "enabled", &c->narrative) ||
	    jfield_num(x, s, p, "near_duplicate_threshold", 0.01, 1,
		       &d->threshold) ||
	    jfield_intv(x, s, p, "near_duplicate_bands", 1, MINHASH_PERM,
			&d->bands) ||
	    jfield_intv(x, s, p, "near_duplicate_rows", 1, MINHASH_PERM,
			&d->rows) ||
	    jfield_intv(x, s, p, "near_duplicate_redraws", 0,
			GEN_DEDUP_REDRAWS_MAX, &d->redraws))
		return -1;
	if (d->bands * d->rows != MINHASH_PERM)
		return jfield_fail(x, p, "near_duplicate_bands x "
				   "near_duplicate_rows must be %d, not %d x %d",
				   MINHASH_PERM, d->bands, d->rows);
	return 0;
}

/* One {"key", "text"} question of an explicit list. */
static int
question(const struct jfield *x, const cJSON *it, int i,
	 struct interview_question *q)
{
	static const char *const keys[] = { "key", "text", "word_budget",
					     NULL };
	char p[128];

	snprintf(p, sizeof(p), "$.stages.interview.questions[%d]", i);
	if (jfield_keys(x, it, p, keys) != 0 ||
	    jfield_str(x, it, p, "key", &q->key) != 0 ||
	    jfield_str(x, it, p, "text", &q->text) != 0 ||
	    jfield_intv(x, it, p, "word_budget", GEN_WORD_BUDGET_MIN,
			GEN_WORD_BUDGET_MAX, &q->word_budget) != 0)
		return -1;
	if (q->key == NULL || q->text == NULL)
		return jfield_fail(x, p, "needs both \"key\" and \"text\"");
	return 0;
}

/* "questions": a count of the default questions, or a list of them. */
static int
interview(const struct jfield *x, const cJSON *s, const char *p,
	  struct gen_config *c)
{
	const cJSON *q = json_get(s, "questions"), *it;
	int i = 0;

	if (jfield_intv(x, s, p, "word_budget", GEN_WORD_BUDGET_MIN,
			GEN_WORD_BUDGET_MAX, &c->word_budget) != 0)
		return -1;
	if (q == NULL || cJSON_IsNumber(q))
		return jfield_intv(x, s, p, "questions", 5, (int)NDEFAULT_Q,
				   &c->nquestions);
	if (!cJSON_IsArray(q) || cJSON_GetArraySize(q) < 5 ||
	    cJSON_GetArraySize(q) > GEN_MAX_LIST)
		return jfield_fail(x, "$.stages.interview.questions",
				   "expected a count from 5 to %d or an array "
				   "of 5 to %d {\"key\", \"text\"} objects",
				   (int)NDEFAULT_Q, GEN_MAX_LIST);
	c->nquestions = 0;
	cJSON_ArrayForEach(it, q) {
		if (question(x, it, i, &c->questions[i]) != 0)
			return -1;
		c->nquestions = ++i;
	}
	return 0;
}

static int
documents(const struct jfield *x, const cJSON *s, const char *p,
	  struct gen_config *c)
{
	return jfield_intv(x, s, p, "per_persona", 0, 64, &c->documents) ||
	       jfield_intv(x, s, p, "facts_per_document", 1, 8,
			   &c->facts_per_document) ||
	       jfield_num(x, s, p, "noise_ratio", 0, 0.9, &c->noise_ratio) ||
	       jfield_enum_list(x, s, p, "types", doc_types, c->doc_types,
				&c->ndoc_types) ? -1 : 0;
}

/* $.stages.world: contacts per persona, community size, the share of
 * contacts from the community pool and the canaries' prefix. */
static int
world(const struct jfield *x, const cJSON *s, const char *p,
      struct gen_config *c)
{
	struct world_config *w = &c->world;
	char *prefix = NULL;

	if (jfield_intv(x, s, p, "contacts_min", 1, WORLD_MAX_CONTACTS,
			&w->contacts_min) ||
	    jfield_intv(x, s, p, "contacts_max", 1, WORLD_MAX_CONTACTS,
			&w->contacts_max) ||
	    jfield_intv(x, s, p, "community_size", 1, WORLD_MAX_COMMUNITY,
			&w->community_size) ||
	    jfield_num(x, s, p, "shared_contacts", 0, 1,
		       &w->shared_contacts) ||
	    jfield_str(x, s, p, "canary_prefix", &prefix))
		return -1;
	if (w->contacts_max < w->contacts_min)
		return jfield_fail(x, "$.stages.world.contacts_max", "%d is "
				   "below contacts_min (%d)", w->contacts_max,
				   w->contacts_min);
	if (prefix == NULL)
		return 0;
	if (strlen(prefix) > 40 || strpbrk(prefix, " \t\n\"\\") != NULL) {
		free(prefix);
		return jfield_fail(x, "$.stages.world.canary_prefix",
				   "expected up to 40 characters without "
				   "blanks or quotes");
	}
	free(c->canary_prefix);
	w->canary_prefix = c->canary_prefix = prefix;
	return 0;
}

static int
qa(const struct jfield *x, const cJSON *s, const char *p,
   struct gen_config *c)
{
	return jfield_intv(x, s, p, "per_persona", 0, 256, &c->qa);
}

static int
mcq(const struct jfield *x, const cJSON *s, const char *p,
    struct gen_config *c)
{
	return jfield_intv(x, s, p, "per_persona", 0, 256, &c->mcq);
}

static int
preferences(const struct jfield *x, const cJSON *s, const char *p,
	    struct gen_config *c)
{
	return jfield_intv(x, s, p, "per_persona", 0, PREF_COMBOS,
			   &c->pairs) ||
	       jfield_enum_list(x, s, p, "views", pref_view_names, c->views,
				&c->nviews) ||
	       jfield_intv(x, s, p, "samples", 1, 15, &c->judge_samples) ||
	       jfield_intv(x, s, p, "abstain_below", 1, 100,
			   &c->abstain_below) ||
	       jfield_num(x, s, p, "human_share", 0, 1, &c->human_share)
	       ? -1 : 0;
}

const char *const cqa_technique_names[CQA_NTECH + 1] = {
	[CQA_OTP] = "answer_only_title_pers",
	[CQA_WBP] = "answer_with_body_pers",
	[CQA_WBB] = "answer_with_body_base",
	[CQA_WBC] = "answer_with_body_context",
	[CQA_NTECH] = NULL,
};

/* "communities": names of SE-PQA communities (communities.h), 1 to
 * CQA_CONFIG_COMM of them, no repeats. */
static int
cqa_communities(const struct jfield *x, const cJSON *s,
		struct gen_cqa_config *q)
{
	const cJSON *l = json_get(s, "communities"), *it;
	const char *names[CQA_CONFIG_COMM + 1];
	char p[96];
	size_t i;
	int k;

	if (l == NULL)
		return 0;
	if (!cJSON_IsArray(l) || cJSON_GetArraySize(l) < 1 ||
	    cJSON_GetArraySize(l) > CQA_CONFIG_COMM)
		return jfield_fail(x, "$.stages.cqa.communities", "expected "
				   "an array of 1 to %d community names",
				   CQA_CONFIG_COMM);
	for (i = 0; i < ncommunities && i < CQA_CONFIG_COMM; i++)
		names[i] = communities[i].name;
	names[i] = NULL;
	q->ncomm = 0;
	cJSON_ArrayForEach(it, l) {
		snprintf(p, sizeof(p), "$.stages.cqa.communities[%d]",
			 q->ncomm);
		if (!cJSON_IsString(it) || community_find(it->valuestring)
		    == NULL)
			return jfield_fail_enum(x, p, "community",
						cJSON_IsString(it) ?
						it->valuestring : "?", names);
		for (k = 0; k < q->ncomm; k++)
			if (strcmp(q->comm[k], it->valuestring) == 0)
				return jfield_fail(x, p, "\"%s\" is listed "
						   "twice", it->valuestring);
		q->comm[q->ncomm++] = community_find(it->valuestring)->name;
	}
	return 0;
}

/* "techniques": which of the four run; the sepqa export needs both base
 * techniques and the two personalised ones together or not at all. */
static int
cqa_techniques(const struct jfield *x, const cJSON *s,
	       struct gen_cqa_config *q)
{
	char *items[GEN_MAX_LIST] = { NULL };
	int n = 0, i, t, on[CQA_NTECH] = { 0 }, rc;

	rc = jfield_enum_list(x, s, "$.stages.cqa", "techniques",
			      cqa_technique_names, items, &n);
	for (i = 0; i < n; i++)
		for (t = 0; t < CQA_NTECH; t++)
			on[t] |= strcmp(items[i], cqa_technique_names[t]) == 0;
	for (i = 0; i < GEN_MAX_LIST; i++)
		free(items[i]);
	if (rc != 0 || n == 0)
		return rc;
	if (q->sepqa && on[CQA_OTP] != on[CQA_WBP])
		return jfield_fail(x, "$.stages.cqa.techniques", "the sepqa "
				   "export takes answer_only_title_pers and "
				   "answer_with_body_pers together or not at "
				   "all");
	if (q->sepqa)
		on[CQA_WBB] = on[CQA_WBC] = 1;
	for (q->ntech = 0, t = 0; t < CQA_NTECH; t++)
		if (on[t])
			q->tech[q->ntech++] = (enum cqa_technique)t;
	return 0;
}

static int
cqa(const struct jfield *x, const cJSON *s, const char *p,
    struct gen_config *c)
{
	struct gen_cqa_config *q = &c->cqa;

	if (jfield_intv(x, s, p, "questions", 0, 32, &q->questions) ||
	    jfield_intv(x, s, p, "min_history", 1, 32, &q->min_history) ||
	    jfield_intv(x, s, p, "answered", 1, 64, &q->answered) ||
	    jfield_bool(x, s, p, "sepqa", &q->sepqa) ||
	    jfield_str(x, s, p, "questions_file", &q->questions_file) ||
	    cqa_communities(x, s, q) || cqa_techniques(x, s, q))
		return -1;
	if (q->questions + q->min_history > 64)
		return jfield_fail(x, "$.stages.cqa.questions", "questions + "
				   "min_history must be at most 64 (one "
				   "asker's history)");
	return 0;
}

static void
cqa_defaults(struct gen_cqa_config *q)
{
	size_t i;
	int t;

	q->questions = 0;
	q->min_history = 5;
	q->answered = 12;
	q->sepqa = 1;
	for (t = 0; t < CQA_NTECH; t++)
		q->tech[q->ntech++] = (enum cqa_technique)t;
	for (i = 0; i < ncommunities && i < CQA_CONFIG_COMM; i++)
		q->comm[q->ncomm++] = communities[i].name;
}

static const char *const k_narrative[] = { "enabled",
	"near_duplicate_threshold", "near_duplicate_bands",
	"near_duplicate_rows", "near_duplicate_redraws", NULL };
static const char *const k_interview[] = { "questions", "word_budget",
	NULL };
static const char *const k_documents[] = { "per_persona", "types",
	"facts_per_document", "noise_ratio", NULL };
static const char *const k_world[] = { "contacts_min", "contacts_max",
	"community_size", "shared_contacts", "canary_prefix", NULL };
static const char *const k_qa[] = { "per_persona", NULL };
static const char *const k_mcq[] = { "per_persona", NULL };
static const char *const k_preferences[] = { "per_persona", "views",
	"samples", "abstain_below", "human_share", NULL };
static const char *const k_cqa[] = { "questions", "min_history", "answered",
	"techniques", "communities", "sepqa", "questions_file", NULL };

static const struct section {
	const char *name;
	const char *const *keys;
	int (*parse)(const struct jfield *x, const cJSON *s, const char *path,
		     struct gen_config *c);
} sections[] = {
	{ .name = "narrative", .keys = k_narrative, .parse = narrative },
	{ .name = "interview", .keys = k_interview, .parse = interview },
	{ .name = "documents", .keys = k_documents, .parse = documents },
	{ .name = "world", .keys = k_world, .parse = world },
	{ .name = "qa", .keys = k_qa, .parse = qa },
	{ .name = "mcq", .keys = k_mcq, .parse = mcq },
	{ .name = "preferences", .keys = k_preferences,
	  .parse = preferences },
	{ .name = "cqa", .keys = k_cqa, .parse = cqa },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* ---- the whole of $.stages ---- */

static int
set_defaults(struct gen_config *c)
{
	size_t i;

	c->narrative = 1;
	c->dedup = (struct gen_dedup_config){
		.threshold = MINHASH_THRESHOLD, .bands = MINHASH_BANDS,
		.rows = MINHASH_ROWS, .redraws = GEN_DEDUP_REDRAWS };
	c->nquestions = 5;
	c->word_budget = GEN_WORD_BUDGET;
	c->documents = 3;
	c->facts_per_document = 1;
	world_config_default(&c->world);
	c->qa = 3;
	c->pairs = 2;
	cqa_defaults(&c->cqa);
	for (i = 0; i < 3; i++)
		if ((c->doc_types[c->ndoc_types++] =
		     strdup(default_doc_types[i])) == NULL)
			return -1;
	c->judge_samples = 3;
	c->abstain_below = 81;
	c->human_share = 0.2;
	for (i = 0; i < NDEFAULT_VIEWS; i++)
		if ((c->views[c->nviews++] = strdup(default_views[i])) == NULL)
			return -1;
	return 0;
}

static int
listed(const struct gen_config *c, const char *v)
{
	int i;

	for (i = 0; i < c->nviews; i++)
		if (strcmp(c->views[i], v) == 0)
			return 1;
	return 0;
}

int
pref_view_pairs_of(const struct gen_config *c, const struct pref_views **out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < pref_nview_pairs; i++)
		if (listed(c, pref_view_pairs[i].low) &&
		    listed(c, pref_view_pairs[i].high)) {
			if (out != NULL)
				out[n] = &pref_view_pairs[i];
			n++;
		}
	return n;
}

/* The default interview questions where the config named a count. */
static int
fill_questions(struct gen_config *c)
{
	int i;

	for (i = 0; i < c->nquestions; i++) {
		if (c->questions[i].word_budget == 0)
			c->questions[i].word_budget = c->word_budget;
		if (c->questions[i].key != NULL)
			continue;
		c->questions[i].key = strdup(default_questions[i].key);
		c->questions[i].text = strdup(default_questions[i].text);
		if (!c->questions[i].key || !c->questions[i].text)
			return -1;
	}
	return 0;
}

static int
parse_sections(const cJSON *st, const struct jfield *x, struct gen_config *c)
{
	const char *keys[NSECTIONS + 1];
	const cJSON *s;
	char p[64];
	size_t i;

	for (i = 0; i < NSECTIONS; i++)
		keys[i] = sections[i].name;
	keys[NSECTIONS] = NULL;
	if (jfield_keys(x, st, "$.stages", keys) != 0)
		return -1;
	for (i = 0; i < NSECTIONS; i++) {
		if ((s = json_get(st, sections[i].name)) == NULL)
			continue;
		snprintf(p, sizeof(p), "$.stages.%s", sections[i].name);
		if (jfield_keys(x, s, p, sections[i].keys) != 0 ||
		    sections[i].parse(x, s, p, c) != 0)
			return -1;
	}
	return 0;
}

int
gen_config_parse(const cJSON *stages, const struct jfield *x,
		 struct gen_config **out)
{
	struct gen_config *c = calloc(1, sizeof(*c));
	int rc = -1;

	*out = c;
	if (c == NULL || set_defaults(c) != 0 ||
	    (c->grammars = gen_grammars_new()) == NULL ||
	    (c->dedup_run = gen_dedup_new()) == NULL)
		return jfield_fail(x, "$.stages", "out of memory");
	if (stages != NULL && parse_sections(stages, x, c) != 0)
		return -1;
	if (c->pairs > 0 && pref_view_pairs_of(c, NULL) == 0)
		return jfield_fail(x, "$.stages.preferences.views",
				   "needs both views of at least one pair: "
				   "concise and verbose (or detailed), negative "
				   "and positive (or cautious and enthusiastic), "
				   "novice and expert, formal and casual");
	if (c->qa > 0 && c->documents == 0)
		return jfield_fail(x, "$.stages.qa.per_persona", "grounded QA "
				   "needs documents "
				   "($.stages.documents.per_persona > 0)");
	if (c->mcq > 0 && c->documents == 0)
		return jfield_fail(x, "$.stages.mcq.per_persona", "PersonaMem "
				   "items need documents "
				   "($.stages.documents.per_persona > 0)");
	rc = fill_questions(c);
	return rc == 0 ? 0 : jfield_fail(x, "$.stages", "out of memory");
}

void
gen_config_free(struct gen_config *c)
{
	int i;

	if (c == NULL)
		return;
	gen_grammars_free(c->grammars);
	gen_dedup_free(c->dedup_run);
	for (i = 0; i < GEN_MAX_LIST; i++) {
		free(c->questions[i].key);
		free(c->questions[i].text);
		free(c->doc_types[i]);
		free(c->views[i]);
	}
	free(c->canary_prefix);
	free(c->cqa.questions_file);
	cqa_questions_free(c->cqa.file);
	free(c);
}

/* Every persona takes its own questions: the file needs personas x
 * questions personalised ones. */
static int
enough_questions(const struct pf_config *cfg, const struct cqa_questions *f,
		 struct pf_error *err)
{
	const struct gen_cqa_config *q = &gen_cfg(cfg)->cqa;
	int64_t need = cfg->personas * (int64_t)q->questions;

	if (need <= f->npers)
		return 0;
	snprintf(err->file, sizeof(err->file), "%s", f->path);
	return pf_error_set(err, "%d of its %d questions have an asker with "
			    "%d earlier ones; %lld personas x %d questions "
			    "need %lld", f->npers, f->n, q->min_history,
			    (long long)cfg->personas, q->questions,
			    (long long)need);
}

int
gen_config_load_files(struct pf_config *cfg, struct pf_error *err)
{
	struct gen_cqa_config *q = &((struct gen_config *)cfg->stages)->cqa;
	char *path;
	size_t n;
	int rc;

	if (q->questions_file == NULL || q->questions == 0 || q->file)
		return 0;
	n = strlen(q->questions_file) + (cfg->dir ? strlen(cfg->dir) : 0) + 2;
	if ((path = malloc(n)) == NULL)
		return pf_error_set(err, "out of memory");
	if (q->questions_file[0] != '/' && cfg->dir != NULL)
		snprintf(path, n, "%s/%s", cfg->dir, q->questions_file);
	else
		snprintf(path, n, "%s", q->questions_file);
	rc = cqa_questions_load(path, q->min_history, &q->file, err);
	free(path);
	if (rc == CQA_FILE_BAD_LINES)
		return GEN_LOAD_BAD_LINES;
	if (rc == 0)
		rc = enough_questions(cfg, q->file, err);
	return rc;
}
