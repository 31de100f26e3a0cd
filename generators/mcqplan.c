/* mcqplan.c - PersonaMem's multiple-choice items (see mcqplan.h).
 *
 * Every option of an item is one frame of its type filled with one
 * user's slots: the value (and, for an evolution, the values it
 * replaced; for a new idea, an item of the user's list it never
 * mentioned; for a reason, the reason it gave). The frames and questions
 * below are our wording, not PersonaMem's; no frequency is claimed for
 * any draw (every choice is uniform). */
#include "generators/mcqplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SLOTS 3

enum { T_RECALL, T_LATEST, T_EVOLUTION, T_REASON, T_RECOMMEND, T_NEW,
	T_GENERALIZE };

const char *const mcq_type_names[MCQ_NTYPES] = {
	[T_RECALL] = "recall_user_shared_facts",
	[T_LATEST] = "acknowledge_latest_user_preferences",
	[T_EVOLUTION] = "track_full_preference_evolution",
	[T_REASON] = "revisit_reasons_behind_preference_updates",
	[T_RECOMMEND] = "provide_preference_aligned_recommendations",
	[T_NEW] = "suggest_new_ideas",
	[T_GENERALIZE] = "generalize_to_new_scenarios",
};

/* What each fact key says in an option. recall: the shared fact in the
 * second person; the preference keys also name their list (pref), what
 * the user would discover (noun), and a question and option frame for
 * the latest preference, a recommendation and a new scenario. */
struct keyframe {
	const char *key, *recall;
	int pref;                  /* enum world_pref, -1 none */
	const char *noun;
	const char *latest_q, *latest;
	const char *rec_q, *rec;
	const char *gen_q, *gen;
};

#define BASIC(K, R) { .key = (K), .recall = (R), .pref = -1 }
#define SCENE(K, R, GQ, G) { .key = (K), .recall = (R), .pref = -1, \
	.gen_q = (GQ), .gen = (G) }
#define PREF(K, R, P, NOUN, LQ, L, RQ, RC, GQ, G) { .key = (K), \
	.recall = (R), .pref = (P), .noun = (NOUN), .latest_q = (LQ), \
	.latest = (L), .rec_q = (RQ), .rec = (RC), .gen_q = (GQ), .gen = (G) }

static const struct keyframe keys[] = {
	BASIC("home_city",
	      "You told me you live in %s these days."),
	BASIC("occupation",
	      "You told me your occupation is %s."),
	BASIC("employer",
	      "You said your employer is %s."),
	BASIC("previous_job",
	      "You said your previous job was %s."),
	BASIC("school",
	      "You told me you went to %s."),
	BASIC("degree",
	      "You said you hold a %s."),
	BASIC("birth_city",
	      "You told me you were born in %s."),
	BASIC("eye_colour",
	      "You said your eyes are %s."),
	BASIC("height",
	      "You told me you are %s tall."),
	SCENE("pet", "You mentioned that at home you have %s.",
	      "I'm looking at apartments to rent next month.",
	      "Make sure the building welcomes %s, since that is who you "
	      "live with."),
	SCENE("diet", "You said you keep a %s diet.",
	      "My coworkers are ordering catering for a team lunch.",
	      "Ask them for a %s option, so the food fits the diet you "
	      "keep."),
	BASIC("vehicle",
	      "You told me you drive a %s."),
	BASIC("sibling",
	      "You said your sibling is called %s."),
	BASIC("partner",
	      "You said your partner is called %s."),
	BASIC("parent",
	      "You told me %s is your parent."),
	BASIC("friend_job",
	      "You said your friend's job is %s."),
	BASIC("relative_job",
	      "You said your sibling's job is %s."),
	BASIC("personality",
	      "You said friends would describe you as %s."),
	PREF("favorite_cuisine",
	     "You told me you love %s food.",
	     WORLD_CUISINE,
	     "food",
	     "I'm picking a place for dinner tonight.",
	     "Somewhere serving %s food, since that is what you enjoy these "
	     "days.",
	     "Can you recommend something for a dinner out with friends?",
	     "Book a table at a good %s restaurant; it suits your taste.",
	     "I'm hosting a small birthday lunch for my team. Any idea for "
	     "the menu?",
	     "Build the menu around %s dishes, the food you love most."),
	PREF("hobby",
	     "You said one of your favourite ways to unwind is %s.",
	     WORLD_HOBBIES,
	     "hobby",
	     "I have a free Saturday coming up.",
	     "Spend it on %s, since that is what you are into these days.",
	     "Any idea for a birthday present I could ask for?",
	     "Something for %s would be perfect; it is what you love doing.",
	     "I'm planning a week off and want it to feel restful.",
	     "Plan the days around %s, which always helps you unwind."),
	PREF("favorite_music",
	     "You said you could listen to %s all day.",
	     WORLD_MUSIC,
	     "kind of music",
	     "I need something to put on while I cook.",
	     "Put on some %s, since that is what you listen to these days.",
	     "Is there a concert I should look out for this season?",
	     "Look for an evening of %s at a local venue; it is your music.",
	     "I'm putting together the playlist for a friend's wedding "
	     "reception.",
	     "Make %s the backbone of it; it is the music you love."),
	PREF("favorite_sport",
	     "You told me you never miss a chance to watch "
	     "%s.",
	     WORLD_SPORTS,
	     "sport to follow",
	     "There's a game night at the bar this week.",
	     "Go if they show %s, since that is what you follow these days.",
	     "What should I do with a free Sunday afternoon?",
	     "Catch a live %s game; it is the sport you follow most.",
	     "I want to treat myself after a hard month at work.",
	     "Get tickets to a %s game, the sport you love to watch."),
	PREF("favorite_books",
	     "You said you have been reading a lot of %s.",
	     WORLD_BOOKS,
	     "kind of book",
	     "I'm heading to the library after work.",
	     "Look for %s, since that is what you read these days.",
	     "What should I pack to read on my next train ride?",
	     "Bring some %s; it is what you enjoy reading most.",
	     "My book club asked me to choose the next read.",
	     "Suggest something from %s, which you love reading."),
	PREF("dream_trip",
	     "You told me that one day you want to travel to %s.",
	     WORLD_PLACES,
	     "destination",
	     "I'm daydreaming about my next big trip.",
	     "Picture %s, since that is where you want to go these days.",
	     "Where should I start saving up to travel?",
	     "Start a fund for %s; it is the trip you dream about.",
	     "I'm choosing a theme for my anniversary dinner.",
	     "Go with %s as the theme, the place you dream of visiting."),
	PREF("favorite_drink",
	     "You mentioned a drink you always enjoy is %s.",
	     WORLD_DRINKS,
	     "drink",
	     "I'm stopping at the cafe on the way in.",
	     "Order %s, since that is your drink these days.",
	     "What should I bring to the office to get through the afternoon?",
	     "A flask of %s; it is the drink you always enjoy.",
	     "I'm stocking the fridge for a picnic this weekend.",
	     "Bring plenty of %s, the drink you always enjoy."),
	PREF("favorite_media",
	     "You said many of your evenings are for %s.",
	     WORLD_MEDIA,
	     "thing to watch or listen to",
	     "I finally have a quiet evening to myself.",
	     "Settle in with %s, since that is what you enjoy these days.",
	     "Any idea for how to spend a rainy weekend indoors?",
	     "Line up some %s; it is what you like to watch.",
	     "I need something to keep me company on a long flight.",
	     "Download some %s, which you always enjoy."),
};

static const char *const recall_leads[] = { "Quick check: ",
	"Remind me, ", "Before we go on: ", "Just to be sure, ",
	"Help me remember: " };

/* One user's slots for a type: the strings its option's frame holds, in
 * order; n of them are set. */
struct slots {
	char s[SLOTS][96];
	int n;
};

static const struct keyframe *
keyframe(const char *key)
{
	size_t i;

	for (i = 0; i < N(keys); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

/* ---- the users: the persona and its peers, as digests ---- */

/* The digest of a fact plan and world into *out (id set by the
 * caller): every current fact with the values it replaced. */
static void
digest(struct mcq_peer *out, const struct fact_plan *fp,
       const struct world *w)
{
	const struct fact *f;
	struct mcq_peer_fact *d;
	int i, j, chain[2], nc;

	out->nf = 0;
	for (i = 0; i < fp->n && out->nf < MCQ_USER_FACTS; i++) {
		f = &fp->f[i];
		if (f->valid_to >= 0)
			continue;
		d = &out->f[out->nf++];
		d->key = f->key;
		d->reason = f->reason != NULL ? f->reason : "";
		snprintf(d->value, sizeof(d->value), "%s", f->value);
		for (nc = 0, j = f->supersedes; j >= 0 && nc < 2;
		     j = fp->f[j].supersedes)
			chain[nc++] = j;
		d->nold = nc;
		for (j = 0; j < nc; j++)   /* oldest first */
			snprintf(d->old[j], sizeof(d->old[j]), "%s",
				 fp->f[chain[nc - 1 - j]].value);
	}
	memcpy(out->prefs, w->profile.prefs, sizeof(out->prefs));
}

struct mcq_peers *
mcq_peers_build(const struct persona_tables *t, uint64_t run_seed,
		const struct persona *p, const struct world_config *wc,
		const struct session_config *sc, int64_t personas)
{
	struct mcq_peers *s = calloc(1, sizeof(*s));
	struct fact_plan *fp = malloc(sizeof(*fp));
	struct session_plan *sp = malloc(sizeof(*sp));
	struct world *w = malloc(sizeof(*w));
	uint64_t size = (uint64_t)wc->community_size, first, k, j, span;
	struct persona q;

	if (s == NULL || fp == NULL || sp == NULL || w == NULL) {
		free(s);
		s = NULL;
		goto done;
	}
	first = p->index - p->index % size;
	/* The community first, then the personas after it, wrapping
	 * inside the run when it holds enough others. */
	span = personas > MCQ_PEERS + (int64_t)size ? (uint64_t)personas :
	       UINT64_MAX;
	for (j = 0; j < size + 4 * MCQ_PEERS && s->n < MCQ_PEERS; j++) {
		k = j < size ? first + j : (first + j) % span;
		if (j < size && personas > 0 && k >= (uint64_t)personas)
			continue;
		if (k == p->index || (j >= size && k >= first &&
		    k < first + size))
			continue;
		persona_sample(t, run_seed, k, &q);
		world_build(w, t, run_seed, &q, wc);
		session_plan(sp, fp, &q, w, run_seed, sc);
		digest(&s->p[s->n], fp, w);
		snprintf(s->p[s->n].id, sizeof(s->p[s->n].id), "%s", q.id);
		s->n++;
	}
done:
	free(fp);
	free(sp);
	free(w);
	return s;
}

/* ---- one user's option ---- */

/* The first item of u's list `pref` that no fact of u names (current
 * or replaced), or NULL. */
static const char *
unmentioned(const struct mcq_peer *u, int pref, const char *key)
{
	int i, j, k, used;

	for (i = 0; i < WORLD_LIST; i++) {
		for (used = 0, j = 0; j < u->nf && !used; j++) {
			if (strcmp(u->f[j].key, key) != 0)
				continue;
			used = strcmp(u->f[j].value, u->prefs[pref][i]) == 0;
			for (k = 0; k < u->f[j].nold; k++)
				used |= strcmp(u->f[j].old[k],
					       u->prefs[pref][i]) == 0;
		}
		if (!used)
			return u->prefs[pref][i];
	}
	return NULL;
}

static void
put(struct slots *s, const char *v)
{
	snprintf(s->s[s->n++], sizeof(s->s[0]), "%s", v);
}

/* The slots of fact e of user u for `type` (is_self: the persona, which
 * must have the update the type asks about). 0, or -1: not eligible. */
static int
slots_of(int type, const struct mcq_peer *u, const struct mcq_peer_fact *e,
	 int is_self, struct slots *out)
{
	const struct keyframe *k = keyframe(e->key);
	const char *nw;
	int i;

	out->n = 0;
	if (k == NULL)
		return -1;
	switch (type) {
	case T_RECALL:
		break;
	case T_LATEST:
		if (k->latest == NULL || (is_self && e->nold == 0))
			return -1;
		break;
	case T_EVOLUTION:
		if (e->nold == 0)
			return -1;
		for (i = 0; i < e->nold; i++)
			put(out, e->old[i]);
		break;
	case T_REASON:
		if (e->nold == 0 || e->reason[0] == '\0')
			return -1;
		put(out, e->reason);
		return 0;
	case T_RECOMMEND:
		if (k->rec == NULL)
			return -1;
		break;
	case T_NEW:
		if (k->pref < 0 ||
		    (nw = unmentioned(u, k->pref, e->key)) == NULL)
			return -1;
		put(out, e->value);
		put(out, nw);
		return 0;
	case T_GENERALIZE:
		if (k->gen == NULL)
			return -1;
		break;
	}
	put(out, e->value);
	return 0;
}

/* A peer with no fact of a preference key still likes its list: its
 * first items stand for its value (and, for an evolution, the second
 * for the one it replaced). */
static int
slots_from_list(int type, const struct mcq_peer *u, const char *key,
		struct slots *out)
{
	const struct keyframe *k = keyframe(key);
	const char *const *l;

	out->n = 0;
	if (k == NULL || k->pref < 0 || type == T_REASON)
		return -1;
	l = u->prefs[k->pref];
	if (type == T_EVOLUTION)
		put(out, l[1]);
	put(out, l[0]);
	if (type == T_NEW)
		put(out, l[2]);
	return type == T_RECALL || type == T_LATEST || type == T_EVOLUTION ||
	       type == T_NEW || (type == T_RECOMMEND && k->rec != NULL) ||
	       (type == T_GENERALIZE && k->gen != NULL) ? 0 : -1;
}

/* The option text of slots s for `type` and key into out[MCQ_TEXT]. */
static void
option_text(int type, const char *key, const struct slots *s, char *out)
{
	const struct keyframe *k = keyframe(key);

	switch (type) {
	case T_RECALL:
		snprintf(out, MCQ_TEXT, k->recall, s->s[0]);
		break;
	case T_LATEST:
		snprintf(out, MCQ_TEXT, k->latest, s->s[0]);
		break;
	case T_EVOLUTION:
		if (s->n == 3)
			snprintf(out, MCQ_TEXT, "You went from %s to %s, and "
				 "then to %s.", s->s[0], s->s[1], s->s[2]);
		else
			snprintf(out, MCQ_TEXT, "You went from %s to %s.",
				 s->s[0], s->s[1]);
		break;
	case T_REASON:
		snprintf(out, MCQ_TEXT, "You said the change came \"%s\".",
			 s->s[0]);
		break;
	case T_RECOMMEND:
		snprintf(out, MCQ_TEXT, k->rec, s->s[0]);
		break;
	case T_NEW:
		snprintf(out, MCQ_TEXT, "Since you enjoy %s, you could try %s "
			 "next; you have not mentioned it yet.", s->s[0],
			 s->s[1]);
		break;
	default:
		snprintf(out, MCQ_TEXT, k->gen, s->s[0]);
		break;
	}
}

/* ---- the item ---- */

/* The question of `type` about fact f (its digest entry e). */
static void
question_text(int type, const struct fact *f, const struct mcq_peer_fact *e,
	      struct rng *r, char *out)
{
	const struct keyframe *k = keyframe(f->key);

	switch (type) {
	case T_RECALL:
		snprintf(out, MCQ_TEXT, "%s%c%s",
			 recall_leads[rng_below(r, N(recall_leads))],
			 f->question[0] == 'I' && f->question[1] == ' ' ?
			 'I' : f->question[0] | 0x20, f->question + 1);
		break;
	case T_LATEST:
		snprintf(out, MCQ_TEXT, "%s", k->latest_q);
		break;
	case T_EVOLUTION:
		snprintf(out, MCQ_TEXT, "How has my %s changed since we "
			 "started talking?", f->label);
		break;
	case T_REASON:
		snprintf(out, MCQ_TEXT, "What made me switch from %s to %s?",
			 e->old[e->nold - 1], e->value);
		break;
	case T_RECOMMEND:
		snprintf(out, MCQ_TEXT, "%s", k->rec_q);
		break;
	case T_NEW:
		snprintf(out, MCQ_TEXT, "I'd like to discover a new %s. Any "
			 "ideas?", k->noun);
		break;
	default:
		snprintf(out, MCQ_TEXT, "%s", k->gen_q);
		break;
	}
}

/* Whether the persona holds v as a current value of key (then an option
 * stating it would be right too). */
static int
self_holds(const struct mcq_peer *self, const char *key, const char *v)
{
	int i;

	for (i = 0; i < self->nf; i++)
		if (strcmp(self->f[i].key, key) == 0 &&
		    strcasecmp(self->f[i].value, v) == 0)
			return 1;
	return 0;
}

int
mcq_length_ok(const char *o, const char *correct)
{
	long a = (long)strlen(o), c = (long)strlen(correct);

	return labs(a - c) * 100 <= MCQ_LEN_PERCENT * c;
}

/* A distractor candidate: peer u's option. */
struct cand {
	int peer;
	struct slots s;
	char text[MCQ_TEXT];
};

#define MAX_CANDS (MCQ_PEERS * 4)

/* Peer u's candidates for type about e (of the persona) into c[*n..]. */
static void
peer_cands(int type, const struct mcq_peer *self,
	   const struct mcq_peer_fact *e, const char *correct,
	   const struct mcq_peers *ps, int pi, struct cand *c, int *n)
{
	const struct mcq_peer *u = &ps->p[pi];
	struct cand x = { .peer = pi };
	int i, found = 0;

	for (i = 0; i <= u->nf && *n < MAX_CANDS; i++) {
		if (i < u->nf) {
			if ((type == T_REASON ? u->f[i].nold == 0 :
			     strcmp(u->f[i].key, e->key) != 0) ||
			    slots_of(type, u, &u->f[i], 0, &x.s) != 0)
				continue;
			found = 1;
		} else if (found ||
			   slots_from_list(type, u, e->key, &x.s) != 0) {
			break;
		}
		if (type == T_REASON ? strcmp(x.s.s[0], e->reason) == 0 :
		    self_holds(self, e->key, x.s.s[x.s.n - 1]) ||
		    (type == T_NEW && self_holds(self, e->key, x.s.s[0])))
			continue;
		option_text(type, e->key, &x.s, x.text);
		if (strcmp(x.text, correct) != 0 &&
		    mcq_length_ok(x.text, correct))
			c[(*n)++] = x;
	}
}

/* Pick three candidates of distinct peers and texts into pick[]; 0, or
 * -1 when there are not three. */
static int
pick3(struct cand *c, int n, struct rng *r, int pick[3])
{
	int i, j, k, np = 0, ok;
	struct cand t;

	for (i = n - 1; i > 0; i--) {      /* Fisher-Yates */
		j = (int)rng_below(r, (uint32_t)(i + 1));
		t = c[i];
		c[i] = c[j];
		c[j] = t;
	}
	for (i = 0; i < n && np < 3; i++) {
		for (ok = 1, k = 0; k < np; k++)
			ok &= c[pick[k]].peer != c[i].peer &&
			      strcmp(c[pick[k]].text, c[i].text) != 0;
		if (ok)
			pick[np++] = i;
	}
	return np == 3 ? 0 : -1;
}

/* The index in fp of digest entry e's fact (current, same key and
 * value), and in *doc the session an item about it rests on: the
 * oldest of its chain for an evolution, else its own. -1 if none. */
static int
fact_of(const struct fact_plan *fp, const struct mcq_peer_fact *e, int type,
	int *doc)
{
	int i, j;

	for (i = 0; i < fp->n; i++)
		if (fp->f[i].valid_to < 0 && strcmp(fp->f[i].key, e->key) == 0 &&
		    strcmp(fp->f[i].value, e->value) == 0)
			break;
	if (i == fp->n)
		return -1;
	for (j = i; type == T_EVOLUTION && fp->f[j].supersedes >= 0;)
		j = fp->f[j].supersedes;
	*doc = fp->f[j].doc;
	return *doc >= 0 ? i : -1;
}

/* Fill *out from the correct option (self's slots s) and the picked
 * candidates, the correct one at letter `letter`. */
static void
fill(struct mcq_item *out, const struct slots *s, const char *uid,
     const struct cand *c, const int pick[3], int letter, int type,
     const char *key)
{
	const struct slots *os;
	int k, d = 0, i;

	for (k = 0; k < MCQ_OPTIONS; k++) {
		os = k == letter ? s : &c[pick[d]].s;
		if (k == letter)
			option_text(type, key, s, out->options[k]);
		else
			snprintf(out->options[k], MCQ_TEXT, "%s",
				 c[pick[d]].text);
		snprintf(out->from[k], sizeof(out->from[k]), "%s",
			 k == letter ? uid : "");
		for (i = 0; i < MCQ_NEEDLES; i++)
			snprintf(out->needles[k][i], sizeof(out->needles[k][i]),
				 "%s", i < os->n ? os->s[i] : "");
		d += k != letter;
	}
	out->correct = letter;
}

/* Try an item of `type`: 0 and *out filled, or -1. */
static int
try_type(struct mcq_item *out, int type, const struct fact_plan *fp,
	 const struct mcq_peer *self, const struct mcq_peers *ps,
	 const char *uid, struct rng *r, int letter)
{
	struct cand c[MAX_CANDS];
	int order[MCQ_USER_FACTS], ne = 0, i, j, t, n, pick[3], fi, doc = -1;
	struct slots s;
	char correct[MCQ_TEXT];

	for (i = 0; i < self->nf; i++)
		if (slots_of(type, self, &self->f[i], 1, &s) == 0)
			order[ne++] = i;
	for (i = ne - 1; i > 0; i--) {
		j = (int)rng_below(r, (uint32_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < ne; i++) {
		const struct mcq_peer_fact *e = &self->f[order[i]];

		if ((fi = fact_of(fp, e, type, &doc)) < 0)
			continue;
		slots_of(type, self, e, 1, &s);
		option_text(type, e->key, &s, correct);
		for (n = 0, j = 0; j < ps->n; j++)
			peer_cands(type, self, e, correct, ps, j, c, &n);
		if (pick3(c, n, r, pick) != 0)
			continue;
		fill(out, &s, uid, c, pick, letter, type, e->key);
		for (j = 0, t = 0; j < MCQ_OPTIONS; j++)
			if (j != letter)
				snprintf(out->from[j], sizeof(out->from[j]),
					 "%s", ps->p[c[pick[t++]].peer].id);
		out->type = type;
		out->fact = fi;
		out->doc = doc;
		question_text(type, &fp->f[fi], e, r, out->question);
		return 0;
	}
	return -1;
}

int
mcq_plan(struct mcq_item *out, const struct fact_plan *fp,
	 const struct world *w, const struct mcq_peers *peers,
	 const char *id, uint64_t index, uint64_t run_seed, int idx,
	 int count)
{
	struct mcq_peer *self = malloc(sizeof(*self));
	struct rng r;
	int t, rc = -1, letter;

	if (self == NULL)
		return -1;
	digest(self, fp, w);
	letter = (int)((index * (uint64_t)count + (uint64_t)idx) %
		       MCQ_OPTIONS);
	rng_seed(&r, rng_derive(run_seed, "mcq", index, (uint64_t)idx));
	memset(out, 0, sizeof(*out));
	for (t = 0; t < MCQ_NTYPES && rc != 0; t++)
		rc = try_type(out, (idx + t) % MCQ_NTYPES, fp, self, peers, id,
			      &r, letter);
	free(self);
	return rc;
}

int
mcq_option_ok(const struct mcq_item *it, int k, const char *o)
{
	int i;

	for (i = 0; i < MCQ_NEEDLES && it->needles[k][i][0] != '\0'; i++)
		if (!facts_text_states(o, it->needles[k][i]))
			return 0;
	return 1;
}
