/* qaplan.c - QA subjects, paraphrases, answers and evidence items (see
 * qaplan.h). */
#include "generators/qaplan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/rng.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PARA 8

/* First-person paraphrases per subject kind. Placeholders: {name} a
 * contact's full name, {rel} a relation word ("sister"), {a} and {b}
 * the Subjective options, {now} " these days" when the answer changed
 * (the question asks for the current value), else nothing. Basic
 * information templates hold no name or number: masked, each is its own
 * template. */
static const struct {
	const char *kind;
	const char *q[MAX_PARA];
} paraphrases[] = {
	{ "home_city", { "Which city do I currently live in?",
	  "Where do I live these days?", "What city is home for me right "
	  "now?", "In which city is my home?", "Where am I based at the "
	  "moment?", "Which city do I call home?", "What is the city I live "
	  "in?", "Where is my current home city?" } },
	{ "occupation", { "What do I do for a living?", "What is my job?",
	  "What is my occupation?", "What kind of work do I do?",
	  "How do I earn my living?", "What is my profession?",
	  "What job do I have right now?", "What line of work am I in?" } },
	{ "employer", { "Which company do I work for?", "Who is my "
	  "employer?", "Where am I currently employed?", "Which organisation "
	  "employs me?", "Who do I work for these days?", "What is the name "
	  "of my employer?", "Where do I work?", "Which firm pays my "
	  "salary?" } },
	{ "previous_job", { "What was my previous job?", "What did I do "
	  "for work before my current job?", "What job did I have before?",
	  "What was my earlier line of work?", "What did I do for a living "
	  "previously?", "Which job did I hold in the past?", "What was I "
	  "working as before?", "What used to be my occupation?" } },
	{ "school", { "Which school did I attend?", "Where did I go to "
	  "school?", "What is the last school I attended?", "Where did I "
	  "study?", "Which school did I go to?", "What school is on my "
	  "record?", "Where did I get my education?", "What was the name of "
	  "my school?" } },
	{ "degree", { "What degree do I hold?", "What is the highest "
	  "degree I have earned?", "Which degree did I complete, and in what "
	  "field?", "What did I study, and what degree do I have?", "What "
	  "academic degree do I have?", "What is my degree?", "What "
	  "qualification did I earn, and in which subject?", "In what field "
	  "is my degree, and what kind is it?" } },
	{ "birth_city", { "Which city was I born in?", "Where was I born?",
	  "What is my birthplace?", "In which city was I born?", "What city "
	  "do I originally come from?", "What is my city of birth?",
	  "Where is my place of birth?", "Which city was my birthplace?" } },
	{ "eye_colour", { "What colour are my eyes?", "What is my eye "
	  "colour?", "What colour eyes do I have?", "How would you describe "
	  "the colour of my eyes?", "Which eye colour do I have?", "What "
	  "shade are my eyes?", "What do my eyes look like?", "My eyes are "
	  "what colour?" } },
	{ "height", { "How tall am I, in centimetres?", "What is my height "
	  "in cm?", "How many centimetres tall am I?", "What height am I, in "
	  "centimetres?", "How tall do I stand, in cm?", "What is my height, "
	  "measured in centimetres?", "How tall am I (in cm)?", "What do I "
	  "measure in height, in centimetres?" } },
	{ "pet", { "What pet do I have?", "Which animals do I keep as pets?",
	  "What kind of pet do I have, and what is its name?", "Do I have a "
	  "pet? What is it called?", "What animal lives with me?", "Which "
	  "pet shares my home?", "What is my pet, and what is its name?",
	  "Tell me about my pet: what is it?" } },
	{ "diet", { "What kind of diet do I follow?", "What diet am I on?",
	  "How do I eat: what is my diet?", "Which diet do I keep?", "What "
	  "are my eating habits?", "What is my diet like?", "Which way of "
	  "eating do I follow?", "What diet do I stick to?" } },
	{ "vehicle", { "What car do I drive?", "Which vehicle do I own?",
	  "What kind of car do I have?", "What do I drive?", "Which types "
	  "of cars or vehicles do I have?", "What is my car?", "Which car is "
	  "mine?", "What vehicle do I use to get around?" } },
	{ "favorite_cuisine", { "Which cuisines do I love{now}?", "What "
	  "kinds of food do I enjoy most{now}?", "What cuisine do I "
	  "prefer{now}?", "Which cooking styles are my favourites{now}?",
	  "What food do I like{now}?", "What are my favourite "
	  "cuisines{now}?" } },
	{ "hobby", { "What hobbies do I enjoy{now}?", "Which hobbies do I "
	  "like to pursue{now}?", "How do I like to spend my free "
	  "time{now}?", "What activities do I do for fun{now}?", "What do I "
	  "do to unwind{now}?", "What are my hobbies{now}?" } },
	{ "favorite_music", { "What music do I like{now}?", "Which kinds "
	  "of music do I listen to{now}?", "What are my favourite music "
	  "genres{now}?", "What do I like to listen to{now}?", "Which music "
	  "do I enjoy most{now}?", "What sort of music am I into{now}?" } },
	{ "favorite_sport", { "Which sports do I follow{now}?", "What "
	  "sports do I like to watch{now}?", "Which sports am I a fan "
	  "of{now}?", "What are my favourite sports{now}?", "Which sports do "
	  "I never miss{now}?", "What sports do I enjoy{now}?" } },
	{ "favorite_books", { "What kind of books do I read{now}?", "Which "
	  "genres do I love reading{now}?", "What do I like to read{now}?",
	  "What are my favourite kinds of books{now}?", "Which genres fill "
	  "my bookshelf{now}?", "What reading do I enjoy{now}?" } },
	{ "dream_trip", { "Where do I dream of travelling{now}?", "Which "
	  "places do I want to visit{now}?", "What are my dream "
	  "destinations{now}?", "Where would I love to travel{now}?",
	  "Which places are on my travel wish list{now}?", "Where do I hope "
	  "to go one day{now}?" } },
	{ "favorite_drink", { "What are my drink preferences{now}?", "What "
	  "do I like to drink{now}?", "Which drinks are my "
	  "favourites{now}?", "What are my go-to drinks{now}?", "Which "
	  "drinks do I enjoy{now}?", "What do I usually order to "
	  "drink{now}?" } },
	{ "favorite_media", { "What do I like to watch or listen to{now}?",
	  "What media do I consume{now}?", "Which shows or podcasts do I "
	  "enjoy{now}?", "What do I spend my evenings watching or listening "
	  "to{now}?", "What kinds of media am I into{now}?", "Which media "
	  "categories do I enjoy{now}?" } },
	{ "contact_name", { "What is my {rel}'s name?", "Who is my {rel}?",
	  "What is my {rel} called?", "Who in my family is my {rel}?",
	  "Can you tell me my {rel}'s name?", "What name does my {rel} go "
	  "by?" } },
	{ "relation", { "What is {name}'s relationship to me?", "Who is "
	  "{name} in relation to me?", "How am I related to {name}?", "What "
	  "is {name} to me?", "How do I know {name}?", "What relation is "
	  "{name} to me?" } },
	{ "friend_job", { "What does my friend {name} do for a living?",
	  "What is my friend {name}'s job?", "What does {name}, my friend, "
	  "do for work?", "What is {name}'s occupation?", "What job does my "
	  "friend {name} have?", "How does my friend {name} earn a "
	  "living?" } },
	{ "link_job", { "What does my {rel} do for a living?", "What is my "
	  "{rel}'s job?", "What is my {rel}'s occupation?", "What kind of "
	  "work does my {rel} do?", "What job does my {rel} have?", "How "
	  "does my {rel} earn a living?" } },
	{ "named_job", { "What does {name} do for a living?", "What is "
	  "{name}'s job?", "What is {name}'s occupation?", "What kind of "
	  "work does {name} do?", "What job does {name} have?", "How does "
	  "{name} earn a living?" } },
	{ "personality", { "Which term better describes my personality, A: "
	  "{a} or B: {b}? Answer with the letter.", "Would people call me "
	  "A: {a} or B: {b}? Answer with A or B.", "Am I more A: {a} or B: "
	  "{b}? Reply with the option's letter.", "Which word fits me "
	  "better, A: {a} or B: {b}? Answer with the letter only.", "Choose "
	  "the adjective that describes me: A: {a} or B: {b}. Answer with A "
	  "or B.", "How would my friends describe me, A: {a} or B: {b}? Give "
	  "the letter." } },
};

/* The other option of a Subjective question: an antonym of each world
 * personality adjective (generators/world.c). */
static const struct { const char *adj, *opposite; } antonyms[] = {
	{ "practical", "impractical" }, { "curious", "incurious" },
	{ "imaginative", "unimaginative" }, { "easygoing", "uptight" },
	{ "dependable", "unreliable" }, { "organised", "disorganised" },
	{ "reserved", "talkative" }, { "friendly", "unfriendly" },
	{ "outgoing", "withdrawn" }, { "blunt", "tactful" },
	{ "cooperative", "uncooperative" }, { "warm", "cold" },
	{ "calm", "tense" }, { "sensitive", "thick-skinned" },
	{ "anxious", "relaxed" },
};

int
qaplan_paraphrases(const char *kind)
{
	size_t i;
	int n;

	for (i = 0; i < N(paraphrases); i++) {
		if (strcmp(paraphrases[i].kind, kind) != 0)
			continue;
		for (n = 0; n < MAX_PARA && paraphrases[i].q[n] != NULL; n++)
			;
		return n;
	}
	return 0;
}

/* A new subject of fact i of fp, kind k, with one item (value v, stated
 * as needle, planted in the fact's session). */
static struct qa_subject *
subject(struct qa_plan *out, const struct fact_plan *fp, int i,
	const char *k, const char *v, const char *needle)
{
	struct qa_subject *s;

	if (out->n >= QAPLAN_MAX)
		return NULL;
	s = &out->s[out->n++];
	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->qtype = fp->f[i].qtype;
	s->answer_type = "string";
	s->fact = i;
	s->name = "";
	s->rel = "";
	snprintf(s->it[0].item, sizeof(s->it[0].item), "%s", v);
	snprintf(s->it[0].needle, sizeof(s->it[0].needle), "%s", needle);
	s->it[0].clue = fp->f[i].clue;
	s->it[0].doc = fp->f[i].doc;
	s->nitems = 1;
	return s;
}

/* Whether v is one of s's items or outdated values. */
static int
listed(const struct qa_subject *s, const char *v)
{
	int i;

	for (i = 0; i < s->nitems; i++)
		if (strcmp(s->it[i].item, v) == 0)
			return 1;
	for (i = 0; i < s->nold; i++)
		if (strcmp(s->old[i], v) == 0)
			return 1;
	return 0;
}

/* A preference key's current items and outdated values into s. */
static void
pref_items(struct qa_subject *s, const struct fact_plan *fp,
	   const char *key)
{
	const struct fact *f;
	int i;

	s->nitems = 0;
	s->answer_type = "list";
	for (i = 0; i < fp->n; i++) {
		f = &fp->f[i];
		if (strcmp(f->key, key) != 0)
			continue;
		if (f->valid_to < 0 && s->nitems < QA_MAX_ITEMS) {
			snprintf(s->it[s->nitems].item, sizeof(s->it[0].item),
				 "%s", f->value);
			snprintf(s->it[s->nitems].needle,
				 sizeof(s->it[0].needle), "%s", f->value);
			s->it[s->nitems].clue = f->clue;
			s->it[s->nitems++].doc = f->doc;
		}
	}
	/* Outdated: replaced values no current fact of the key holds
	 * again, each once. */
	for (i = 0; i < fp->n; i++) {
		f = &fp->f[i];
		if (f->valid_to >= 0 && strcmp(f->key, key) == 0 &&
		    s->nold < QA_MAX_ITEMS && !listed(s, f->value))
			s->old[s->nold++] = f->value;
	}
}

/* The current fact of key, or -1. */
static int
current(const struct fact_plan *fp, const char *key)
{
	int i;

	for (i = 0; i < fp->n; i++)
		if (fp->f[i].valid_to < 0 && strcmp(fp->f[i].key, key) == 0)
			return i;
	return -1;
}

/* The sibling named in relative_job fact i (sister first, as facts.c
 * picks it). */
static const struct world_contact *
sibling(const struct world *w)
{
	const struct world_contact *c = world_contact_find(w, "sister");

	return c != NULL ? c : world_contact_find(w, "brother");
}

/* Social subjects of contact fact i. */
static void
social(struct qa_plan *out, const struct fact_plan *fp, int i,
       const struct world *w)
{
	const struct fact *f = &fp->f[i];
	const struct world_contact *c;
	struct qa_subject *s;
	int k;

	if (f->relation != NULL) {      /* sibling, partner, parent */
		if ((s = subject(out, fp, i, "contact_name", f->value,
				 f->value)) != NULL)
			s->rel = f->relation;
		if ((s = subject(out, fp, i, "relation", f->relation,
				 f->relation)) != NULL) {
			s->name = f->value;
			snprintf(s->it[0].also, sizeof(s->it[0].also), "%s",
				 f->value);
		}
		return;
	}
	c = strcmp(f->key, "friend_job") == 0 ?
	    world_contact_find(w, "friend") : sibling(w);
	k = current(fp, "sibling");
	if (c == NULL)
		return;
	if (strcmp(f->key, "relative_job") == 0 && k >= 0 &&
	    fp->f[k].doc != f->doc && strcmp(fp->f[k].value, c->name) == 0) {
		/* "my sister's job": her job's session and the one that
		 * says she is my sister. */
		if ((s = subject(out, fp, i, "link_job", f->value,
				 f->value)) == NULL)
			return;
		s->rel = fp->f[k].relation;
		snprintf(s->it[0].also, sizeof(s->it[0].also), "%s", c->name);
		snprintf(s->it[1].item, sizeof(s->it[1].item), "%s", c->name);
		snprintf(s->it[1].needle, sizeof(s->it[1].needle), "%s",
			 c->name);
		snprintf(s->it[1].also, sizeof(s->it[1].also), "%s",
			 fp->f[k].relation);
		s->it[1].clue = "";
		s->it[1].doc = fp->f[k].doc;
		s->nitems = 2;
		return;
	}
	if ((s = subject(out, fp, i, strcmp(f->key, "friend_job") == 0 ?
			 "friend_job" : "named_job", f->value, f->value)) !=
	    NULL) {
		s->name = c->name;
		snprintf(s->it[0].also, sizeof(s->it[0].also), "%s", c->name);
	}
}

/* The Subjective subject of personality fact i: options in an order
 * drawn from r. */
static void
subjective(struct qa_plan *out, const struct fact_plan *fp, int i,
	   struct rng *r)
{
	const char *opp = NULL;
	struct qa_subject *s;
	size_t k;

	for (k = 0; k < N(antonyms); k++)
		if (strcmp(antonyms[k].adj, fp->f[i].value) == 0)
			opp = antonyms[k].opposite;
	if (opp == NULL || (s = subject(out, fp, i, "personality",
					fp->f[i].value, fp->f[i].value)) ==
	    NULL)
		return;
	s->correct = (int)rng_below(r, 2);
	s->opt[s->correct] = fp->f[i].value;
	s->opt[1 - s->correct] = opp;
}

/* Whether an earlier current fact has f's key (its subject is made). */
static int
seen(const struct fact_plan *fp, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (fp->f[j].valid_to < 0 &&
		    strcmp(fp->f[j].key, fp->f[i].key) == 0)
			return 1;
	return 0;
}

/* Subjects of current fact i. */
static void
subjects_of(struct qa_plan *out, const struct fact_plan *fp, int i,
	    const struct world *w, struct rng *r)
{
	const struct fact *f = &fp->f[i];
	struct qa_subject *s;
	char num[16];

	if (f->doc < 0 || seen(fp, i))
		return;
	if (strcmp(f->qtype, "Subjective") == 0) {
		subjective(out, fp, i, r);
	} else if (strcmp(f->qtype, "Social") == 0) {
		social(out, fp, i, w);
	} else if (f->pref >= 0) {
		if ((s = subject(out, fp, i, f->key, f->value, f->value)) !=
		    NULL)
			pref_items(s, fp, f->key);
	} else if (strcmp(f->key, "height") == 0) {
		snprintf(num, sizeof(num), "%d", w->profile.height_cm);
		if ((s = subject(out, fp, i, f->key, num, f->value)) != NULL)
			s->answer_type = "number";
	} else {
		subject(out, fp, i, f->key, f->value, f->value);
	}
}

void
qaplan_build(struct qa_plan *out, const struct fact_plan *fp,
	     const struct world *w, const struct persona *p,
	     uint64_t run_seed)
{
	struct qa_subject t;
	struct rng r;
	int i, j;

	rng_seed(&r, rng_derive(run_seed, "qaplan", p->index, 0));
	out->n = 0;
	for (i = 0; i < fp->n; i++)
		if (fp->f[i].valid_to < 0)
			subjects_of(out, fp, i, w, &r);
	for (i = out->n - 1; i > 0; i--) {   /* Fisher-Yates */
		j = (int)rng_below(&r, (uint32_t)(i + 1));
		t = out->s[i];
		out->s[i] = out->s[j];
		out->s[j] = t;
	}
}

static int holds_word(const char *text, const char *w);

/* Whether session doc's text holds word w. */
static int
says(const char *(*text)(void *, int), void *ud, int doc, const char *w)
{
	return holds_word(text(ud, doc), w);
}

void
qaplan_fit(struct qa_subject *s, const struct fact_plan *fp,
	   const char *(*text)(void *ud, int doc), void *ud)
{
	const struct fact *f = &fp->f[s->fact];
	struct qa_item *it = &s->it[0];
	const char *label;
	int k;

	if (strcmp(s->kind, "relation") == 0 &&
	    !says(text, ud, it->doc, it->needle)) {
		snprintf(it->item, sizeof(it->item), "%s", f->label);
		snprintf(it->needle, sizeof(it->needle), "%s", f->label);
	} else if (strcmp(s->kind, "contact_name") == 0 &&
		   !says(text, ud, it->doc, s->rel)) {
		s->rel = f->label;
	} else if (strcmp(s->kind, "link_job") == 0 && s->nitems > 1 &&
		   !says(text, ud, s->it[1].doc, s->it[1].also)) {
		for (k = 0; k < fp->n && fp->f[k].doc != s->it[1].doc; k++)
			;
		label = k < fp->n ? fp->f[k].label : "sibling";
		snprintf(s->it[1].also, sizeof(s->it[1].also), "%s", label);
		s->rel = label;
	}
}

/* Append src to out[n] at *len, bounded. */
static void
put(char *out, size_t n, size_t *len, const char *src, size_t k)
{
	if (*len + k >= n)
		k = *len + 1 < n ? n - *len - 1 : 0;
	memcpy(out + *len, src, k);
	*len += k;
	out[*len] = '\0';
}

void
qaplan_question(const struct qa_subject *s, uint64_t run_seed,
		int64_t persona, int idx, char *out, size_t n)
{
	const char *t = "", *v, *e;
	struct rng r;
	size_t i, len = 0;
	int np = qaplan_paraphrases(s->kind);

	rng_seed(&r, rng_derive(run_seed, "qa-question", (uint64_t)persona,
				(uint64_t)idx));
	for (i = 0; i < N(paraphrases); i++)
		if (np > 0 && strcmp(paraphrases[i].kind, s->kind) == 0)
			t = paraphrases[i].q[rng_below(&r, (uint32_t)np)];
	out[0] = '\0';
	while (*t != '\0') {
		if (*t != '{' || (e = strchr(t, '}')) == NULL) {
			put(out, n, &len, t++, 1);
			continue;
		}
		v = strncmp(t, "{name}", 6) == 0 ? s->name :
		    strncmp(t, "{rel}", 5) == 0 ? s->rel :
		    strncmp(t, "{a}", 3) == 0 ? s->opt[0] :
		    strncmp(t, "{b}", 3) == 0 ? s->opt[1] :
		    s->nold > 0 ? " these days" : "";
		put(out, n, &len, v, strlen(v));
		t = e + 1;
	}
}

void
qaplan_answer(const struct qa_subject *s, char *out, size_t n)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	if (strcmp(s->qtype, "Subjective") == 0) {
		snprintf(out, n, "%c", 'A' + s->correct);
		return;
	}
	for (i = 0; i < s->nitems && (i == 0 ||
	     strcmp(s->answer_type, "list") == 0); i++) {
		if (i > 0)
			put(out, n, &len, ", ", 2);
		put(out, n, &len, s->it[i].item, strlen(s->it[i].item));
	}
}

const char *
qaplan_difficulty(const struct qa_subject *s)
{
	int i, j, docs = 0;

	if (strcmp(s->qtype, "Basic information") == 0 ||
	    strcmp(s->qtype, "Subjective") == 0)
		return "easy";
	for (i = 0; i < s->nitems; i++) {
		for (j = 0; j < i && s->it[j].doc != s->it[i].doc; j++)
			;
		docs += j == i;
	}
	return docs >= 2 ? "hard" : "easy";
}

/* Whether text holds word w (case-insensitive, not inside a longer
 * word). */
static int
holds_word(const char *text, const char *w)
{
	size_t k = strlen(w);
	const char *p = text;

	if (k == 0)
		return 1;
	while ((p = strcasestr(p, w)) != NULL) {
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[k]))
			return 1;
		p++;
	}
	return 0;
}

int
qaplan_doc_supports(const struct qa_item *it, const char *text,
		    int main_doc)
{
	if (!holds_word(text, it->also))
		return 0;
	if (main_doc)
		return facts_text_states(text, it->needle) ||
		       (it->clue[0] != '\0' &&
			facts_text_states(text, it->clue));
	return holds_word(text, it->needle);
}
