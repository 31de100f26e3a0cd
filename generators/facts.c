/* facts.c - the fact catalogue, clue phrases and per-persona timelines
 * (see facts.h). */
#include "generators/facts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/hash.h"
#include "base/rng.h"
#include "personas/coherence.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define IMPLICIT_PERCENT 40   /* of the facts that have a clue */

enum src { SRC_CITY, SRC_JOB, SRC_EMPLOYER, SRC_PREV_JOB, SRC_SCHOOL,
	SRC_DEGREE, SRC_BIRTH_CITY, SRC_EYES, SRC_HEIGHT, SRC_PET, SRC_DIET,
	SRC_CAR, SRC_PREF, SRC_CONTACT, SRC_CONTACT_JOB, SRC_ADJ };
#define SECOND_ITEM_PERCENT 60   /* preferences planted with 2 items */

struct entry {
	const char *key, *label, *qtype, *difficulty, *question, *sentence;
	enum src src;
	int pref;           /* SRC_PREF: enum world_pref */
	const char *rel;    /* SRC_CONTACT*: the contact's relationship */
};

/* PersonaBench question types: Basic information, Preference, Social,
 * Subjective. A preference's sentence does not claim the item is the one
 * favourite: a persona may have two items of a list planted (the
 * Preference QA then asks for both, generators/qaplan.h). */
static const struct entry catalogue[] = {
	{ "home_city", "home city", "Basic information", "easy",
	  "Which city do I currently live in?",
	  "These days I live in %s.", SRC_CITY, -1, NULL },
	{ "occupation", "occupation", "Basic information", "easy",
	  "What do I do for a living?",
	  "I work as a %s.", SRC_JOB, -1, NULL },
	{ "employer", "employer", "Basic information", "easy",
	  "Which company do I work for?",
	  "My employer is %s.", SRC_EMPLOYER, -1, NULL },
	{ "previous_job", "previous job", "Basic information", "easy",
	  "What was my previous job?",
	  "Years ago I was a %s.", SRC_PREV_JOB, -1, NULL },
	{ "school", "school", "Basic information", "easy",
	  "Which school did I attend?",
	  "I went to %s.", SRC_SCHOOL, -1, NULL },
	{ "degree", "degree", "Basic information", "easy",
	  "What degree do I hold?",
	  "I have a %s.", SRC_DEGREE, -1, NULL },
	{ "birth_city", "birth city", "Basic information", "easy",
	  "Which city was I born in?",
	  "I was born in %s.", SRC_BIRTH_CITY, -1, NULL },
	{ "eye_colour", "eye colour", "Basic information", "easy",
	  "What colour are my eyes?",
	  "My eyes are %s.", SRC_EYES, -1, NULL },
	{ "height", "height", "Basic information", "easy",
	  "How tall am I?",
	  "I am %s tall.", SRC_HEIGHT, -1, NULL },
	{ "pet", "pet", "Basic information", "easy",
	  "What pet do I have?",
	  "At home I have %s.", SRC_PET, -1, NULL },
	{ "diet", "diet", "Basic information", "easy",
	  "What kind of diet do I follow?",
	  "I keep a %s diet.", SRC_DIET, -1, NULL },
	{ "vehicle", "vehicle", "Basic information", "easy",
	  "What car do I drive?",
	  "I drive a %s.", SRC_CAR, -1, NULL },
	{ "favorite_cuisine", "favourite cuisine", "Preference", "hard",
	  "What is my favourite cuisine?",
	  "I love %s food.", SRC_PREF, WORLD_CUISINE, NULL },
	{ "hobby", "favourite hobby", "Preference", "hard",
	  "What hobby do I enjoy most?",
	  "One of my favourite ways to unwind is %s.", SRC_PREF, WORLD_HOBBIES,
	  NULL },
	{ "favorite_music", "favourite music", "Preference", "hard",
	  "What music do I like best?",
	  "I could listen to %s all day.", SRC_PREF, WORLD_MUSIC, NULL },
	{ "favorite_sport", "favourite sport", "Preference", "hard",
	  "Which sport do I follow most closely?",
	  "I never miss a chance to watch %s.", SRC_PREF, WORLD_SPORTS,
	  NULL },
	{ "favorite_books", "favourite books", "Preference", "hard",
	  "What kind of books do I read most?",
	  "Lately I have been reading a lot of %s.", SRC_PREF, WORLD_BOOKS, NULL },
	{ "dream_trip", "dream destination", "Preference", "hard",
	  "Where do I dream of travelling?",
	  "One day I want to travel to %s.", SRC_PREF, WORLD_PLACES, NULL },
	{ "favorite_drink", "favourite drink", "Preference", "easy",
	  "What is my favourite drink?",
	  "A drink I always enjoy is %s.", SRC_PREF, WORLD_DRINKS, NULL },
	{ "favorite_media", "favourite shows", "Preference", "easy",
	  "What do I like to watch or listen to?",
	  "Many of my evenings are for %s.", SRC_PREF, WORLD_MEDIA, NULL },
	{ "sibling", "sibling", "Social", "easy",
	  "What is my sibling's name?",
	  "My %s is called %s.", SRC_CONTACT, -1, "sibling" },
	{ "partner", "partner", "Social", "easy",
	  "What is my partner's name?",
	  "My %s is called %s.", SRC_CONTACT, -1, "partner" },
	{ "parent", "parent", "Social", "easy",
	  "What is my parent's name?",
	  "My %s is called %s.", SRC_CONTACT, -1, "parent" },
	{ "friend_job", "friend's job", "Social", "hard",
	  "What does my friend do for a living?",
	  "My friend %s works as a %s.", SRC_CONTACT_JOB, -1, "friend" },
	/* A sibling's job, stated by name only: asking "what does my sister
	 * do" links this session to the one naming the sister. */
	{ "relative_job", "sibling's job", "Social", "hard",
	  "What does my sibling do for a living?",
	  "%s works as a %s.", SRC_CONTACT_JOB, -1, "sibling" },
	{ "personality", "personality", "Subjective", "easy",
	  "Which word describes my personality?",
	  "Friends would describe me as %s.", SRC_ADJ, -1, NULL },
};

/* Clue phrases: an implicit statement of a value, by value. */
static const struct { const char *value, *clue; } clues[] = {
	{ "Thai", "ordered pad see ew and a green curry" },
	{ "Ethiopian", "tore injera to scoop up the misir wot" },
	{ "Mexican", "made carnitas tacos with fresh salsa verde" },
	{ "Korean", "grilled bulgogi with a side of kimchi" },
	{ "Lebanese", "filled up on hummus, tabbouleh and shawarma" },
	{ "Italian", "rolled out fresh pappardelle for a ragu" },
	{ "Peruvian", "ordered ceviche and lomo saltado" },
	{ "Vietnamese", "slurped a huge bowl of pho with extra basil" },
	{ "Greek", "had souvlaki with tzatziki and a horiatiki salad" },
	{ "Japanese", "sat at the counter for nigiri and miso soup" },
	{ "birdwatching", "spotted a pileated woodpecker through the binoculars" },
	{ "pottery", "trimmed three bowls on the wheel" },
	{ "rock climbing", "finally sent the overhang route at the bouldering gym" },
	{ "baking sourdough", "fed the starter and shaped two boules" },
	{ "chess", "lost a long endgame with a rook against a knight" },
	{ "woodworking", "cut dovetail joints for a small cabinet" },
	{ "trail running", "logged twelve muddy miles on the ridge trail" },
	{ "knitting", "cast on the second sleeve of the cardigan" },
	{ "amateur astronomy", "set up the telescope to catch the rings of Saturn" },
	{ "salsa dancing", "practised cross-body leads at the Friday social" },
	{ "jazz", "played Coltrane records until midnight" },
	{ "bluegrass", "caught a banjo and fiddle set at the pickin' night" },
	{ "synth-pop", "looped the new Chvrches album" },
	{ "classical piano", "put on Chopin nocturnes while cooking" },
	{ "hip-hop", "had Kendrick Lamar on repeat the whole drive" },
	{ "indie folk", "listened to Fleet Foxes on a rainy afternoon" },
	{ "reggae", "blasted Bob Marley while cleaning" },
	{ "blues", "played B.B. King on the porch" },
	{ "country", "sang along to Dolly Parton in the car" },
	{ "soul", "put on Aretha Franklin while doing the dishes" },
	{ "basketball", "stayed up for the double-overtime playoff game" },
	{ "tennis", "watched the five-set final at Wimbledon" },
	{ "soccer", "got up early for the Champions League match" },
	{ "swimming", "watched the relay finals from the pool deck" },
	{ "baseball", "kept score of all nine innings at the ballpark" },
	{ "volleyball", "watched the beach tournament finals" },
	{ "cycling", "followed every mountain stage of the Tour de France" },
	{ "golf", "watched the final round at Augusta" },
	{ "hockey", "watched the shootout that decided the playoff game" },
	{ "track and field", "watched the 400-metre hurdles final" },
	{ "Kyoto", "looked at photos of temples and the bamboo grove in Arashiyama again" },
	{ "Lisbon", "saved a list of pastel de nata bakeries in the Alfama" },
	{ "Patagonia", "priced out a trek to the Torres del Paine towers" },
	{ "Reykjavik", "read about the Blue Lagoon and the northern lights again" },
	{ "Marrakesh", "bookmarked riads near the Jemaa el-Fnaa square" },
	{ "the Amalfi Coast", "daydreamed about lemon groves above Positano" },
	{ "Banff", "looked up canoe rentals on Lake Louise" },
	{ "Hanoi", "saved a street food tour of the Old Quarter" },
	{ "Cape Town", "looked up the cable car up Table Mountain" },
	{ "Edinburgh", "read about hiking Arthur's Seat during the Fringe" },
	{ "vegetarian", "skipped the meat counter and stocked up on lentils" },
	{ "vegan", "checked every label for eggs and dairy" },
	{ "pescatarian", "ordered the salmon, since fish is the only meat I eat" },
	{ "gluten-free", "asked whether the bread was made without wheat" },
	{ "low-carb", "swapped the rice for cauliflower again" },
	{ "Mediterranean", "cooked with olive oil, chickpeas and grilled fish" },
};

/* Pet clues by kind: %s is the pet's name. */
static const struct { const char *kind, *clue; } pet_clues[] = {
	{ "dog", "walked %s around the block twice" },
	{ "beagle", "took %s out sniffing every fence post" },
	{ "cat", "chased %s off the counter after a mug went flying" },
	{ "parrot", "taught %s to whistle the kettle tune" },
	{ "rabbit", "caught %s chewing another charging cable" },
	{ "tortoise", "moved %s under the heat lamp for the afternoon" },
	{ "hamster", "heard %s on the wheel all night" },
	{ "goldfish", "cleaned the tank %s swims in" },
};

/* Why a later event changed a preference (PersonaMem's reasons). */
static const char *const reasons[] = {
	"after a friend took me along and it stuck",
	"since a doctor's advice changed my routine",
	"after a trip that opened my eyes",
	"since I moved and the old habit did not fit",
	"after I got tired of the same thing every week",
	"because a new coworker kept recommending it",
	"after a documentary changed my mind",
	"since my budget got tighter this year",
};

static const char *const periods[] = { "next week", "next month",
	"next year" };

int
facts_catalogue_size(void)
{
	return (int)N(catalogue);
}

static const char *
pick(struct rng *r, const char *const *l, size_t n)
{
	return l[rng_below(r, (uint32_t)n)];
}

/* The contact behind entry e ("sibling" means a sister or a brother). */
static const struct world_contact *
contact_of(const struct entry *e, const struct world *w)
{
	const struct world_contact *c;

	if (strcmp(e->rel, "sibling") != 0)
		return world_contact_find(w, e->rel);
	c = world_contact_find(w, "sister");
	return c != NULL ? c : world_contact_find(w, "brother");
}

/* Whether entry e has a value for persona p: only a persona with a job
 * has an occupation or an employer (coherence rules no_job_*), only a
 * graduate a degree, and a relative's fact needs that relative. */
static int
applies(const struct entry *e, const struct persona *p,
	const struct world *w)
{
	switch (e->src) {
	case SRC_JOB:
	case SRC_EMPLOYER:
		return coherence_has_job(p);
	case SRC_PREV_JOB:
		return w->profile.previous_job[0] != '\0';
	case SRC_DEGREE:
		return w->profile.degree[0] != '\0';
	case SRC_CONTACT:
		return contact_of(e, w) != NULL;
	case SRC_CONTACT_JOB:   /* "works as a retired" says nothing */
		return contact_of(e, w) != NULL &&
		       strcmp(contact_of(e, w)->job, "retired") != 0 &&
		       strcmp(contact_of(e, w)->job, "student") != 0;
	default:
		return 1;
	}
}

/* The value of entry e for persona p (its world's profile). */
static void
value_of(const struct entry *e, const struct persona *p,
	 const struct world *w, char *out, size_t n)
{
	const struct world_profile *f = &w->profile;

	switch (e->src) {
	case SRC_CITY: snprintf(out, n, "%s", p->city); break;
	case SRC_JOB: snprintf(out, n, "%s", p->occupation); break;
	case SRC_EMPLOYER: snprintf(out, n, "%s", f->employer); break;
	case SRC_PREV_JOB: snprintf(out, n, "%s", f->previous_job); break;
	case SRC_SCHOOL: snprintf(out, n, "%s", f->school); break;
	case SRC_DEGREE:
		snprintf(out, n, "%s in %s", f->degree, f->field);
		break;
	case SRC_BIRTH_CITY: snprintf(out, n, "%s", f->birth_city); break;
	case SRC_EYES: snprintf(out, n, "%s", f->eye_colour); break;
	case SRC_HEIGHT: snprintf(out, n, "%d cm", f->height_cm); break;
	case SRC_PET:
		snprintf(out, n, "a %s named %s", f->pet_kind, f->pet_name);
		break;
	case SRC_DIET: snprintf(out, n, "%s", f->diet); break;
	case SRC_CAR: snprintf(out, n, "%s", f->vehicle); break;
	case SRC_PREF: snprintf(out, n, "%s", f->prefs[e->pref][0]); break;
	case SRC_CONTACT:
		snprintf(out, n, "%s", contact_of(e, w)->name);
		break;
	case SRC_CONTACT_JOB:
		snprintf(out, n, "%s", contact_of(e, w)->job);
		break;
	case SRC_ADJ:
		snprintf(out, n, "%s", f->adjectives[facts_main_trait(p)]);
		break;
	}
}

int
facts_main_trait(const struct persona *p)
{
	int i, best = 0, d, bd = -1;

	for (i = 0; i < PERSONA_NTRAITS; i++) {
		d = p->big5[i].score > 50 ? p->big5[i].score - 50 :
		    50 - p->big5[i].score;
		if (d > bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

/* The clue phrase of fact f (a verb phrase after "I"), or "". */
static void
clue_of(struct fact *f, const struct world *w)
{
	size_t i;

	f->clue[0] = '\0';
	if (strcmp(f->key, "pet") == 0) {
		for (i = 0; i < N(pet_clues); i++)
			if (strcmp(pet_clues[i].kind, w->profile.pet_kind) == 0)
				snprintf(f->clue, sizeof(f->clue),
					 pet_clues[i].clue,
					 w->profile.pet_name);
		return;
	}
	if (f->pref < 0 && strcmp(f->key, "diet") != 0)
		return;
	for (i = 0; i < N(clues); i++)
		if (strcmp(clues[i].value, f->value) == 0)
			snprintf(f->clue, sizeof(f->clue), "%s",
				 clues[i].clue);
}

/* Fill f from entry e; its statement kind is drawn from r. */
static void
fill(struct fact *f, const struct entry *e, const struct persona *p,
     const struct world *w, struct rng *r)
{
	const struct world_contact *c;

	memset(f, 0, sizeof(*f));
	f->key = e->key;
	f->label = e->label;
	f->qtype = e->qtype;
	f->difficulty = e->difficulty;
	f->question = e->question;
	f->pref = e->src == SRC_PREF ? e->pref : -1;
	f->reason = "";
	f->supersedes = -1;
	f->valid_to = -1;
	f->doc = -1;
	value_of(e, p, w, f->value, sizeof(f->value));
	if (e->src == SRC_CONTACT) {
		c = contact_of(e, w);
		f->relation = c->word;
		f->sex = c->sex;
		snprintf(f->sentence, sizeof(f->sentence), e->sentence,
			 c->word, f->value);
	} else if (e->src == SRC_CONTACT_JOB) {
		c = contact_of(e, w);
		snprintf(f->sentence, sizeof(f->sentence), e->sentence,
			 c->name, f->value);
	} else {
		snprintf(f->sentence, sizeof(f->sentence), e->sentence,
			 f->value);
	}
	clue_of(f, w);
	f->statement = f->clue[0] != '\0' &&
		       rng_below(r, 100) < IMPLICIT_PERCENT ? "implicit" :
		       "explicit";
}

/* Give f (a preference fact) the list item v: its value, sentence, clue
 * and statement kind (drawn from r). */
static void
set_item(struct fact *f, const char *v, const struct world *w,
	 struct rng *r)
{
	size_t i;

	snprintf(f->value, sizeof(f->value), "%s", v);
	for (i = 0; i < N(catalogue); i++)
		if (strcmp(catalogue[i].key, f->key) == 0)
			snprintf(f->sentence, sizeof(f->sentence),
				 catalogue[i].sentence, f->value);
	clue_of(f, w);
	f->statement = f->clue[0] != '\0' &&
		       rng_below(r, 100) < IMPLICIT_PERCENT ? "implicit" :
		       "explicit";
}

/* The first list index after i whose item no current fact of old's key
 * holds (so an update never repeats an item still liked), else i + 1. */
static int
next_free(const struct fact_plan *plan, const struct fact *old,
	  const char *const *l, int i)
{
	int k, j, used;

	for (k = 1; k < WORLD_LIST; k++) {
		for (used = 0, j = 0; j < plan->n; j++)
			used |= plan->f[j].valid_to < 0 &&
				strcmp(plan->f[j].key, old->key) == 0 &&
				strcmp(plan->f[j].value,
				       l[(i + k) % WORLD_LIST]) == 0;
		if (!used)
			return (i + k) % WORLD_LIST;
	}
	return (i + 1) % WORLD_LIST;
}

/* Update the preference fact old (still current) on `day`: a new fact with
 * the next item of the persona's list and a reason; old keeps its value
 * and gets valid_to. */
static void
update(const struct fact_plan *plan, struct fact *nf, struct fact *old,
       int oldi, const struct world *w, struct rng *r, int day)
{
	const char *const *l = w->profile.prefs[old->pref];
	int i;

	*nf = *old;
	for (i = 0; i < WORLD_LIST && strcmp(l[i], old->value) != 0; i++)
		;
	set_item(nf, l[next_free(plan, old, l, i)], w, r);
	nf->reason = pick(r, reasons, N(reasons));
	nf->supersedes = oldi;
	nf->valid_from = day;
	nf->valid_to = -1;
	old->valid_to = day;
}

/* A current preference fact among out->f[0..n) to update, or -1. */
static int
updatable(const struct fact_plan *out, struct rng *r)
{
	int c[FACTS_MAX], n = 0, i;

	for (i = 0; i < out->n; i++)
		if (out->f[i].pref >= 0 && out->f[i].valid_to < 0)
			c[n++] = i;
	return n > 0 ? c[rng_below(r, (uint32_t)n)] : -1;
}

/* Whether out->f[0..n) holds a preference. */
static int
has_pref(const struct fact_plan *out)
{
	int i;

	for (i = 0; i < out->n; i++)
		if (out->f[i].pref >= 0)
			return 1;
	return 0;
}

/* The day of later event k of nlater (today being `base`): the week,
 * month and year periods take a third of the events each, spread over
 * the period, so days increase with k. */
static int
later_day(int base, int k, int nlater, const char **period)
{
	static const int lo[] = { 1, 8, 32 }, span[] = { 7, 24, 334 };
	int p = k * 3 / nlater, first = -1, count = 0, i;

	for (i = 0; i < nlater; i++)
		if (i * 3 / nlater == p) {
			if (first < 0)
				first = i;
			count++;
		}
	*period = periods[p];
	return base + lo[p] + (k - first) * span[p] / count;
}

/* Make the plan's next fact an initial one and count it. */
static void
initial(struct fact_plan *out, int base, int ninit)
{
	out->f[out->n].period = "initial";
	out->f[out->n].valid_from = base - 365 + out->n * 360 / ninit;
	out->n++;
}

void
facts_plan(struct fact_plan *out, const struct persona *p,
	   const struct world *w, uint64_t run_seed, int nfacts)
{
	size_t order[N(catalogue)], i, j, t, next = 0;
	int base, nlater, ninit, k, u;
	struct rng r;

	rng_seed(&r, rng_derive(run_seed, "facts", p->index, 0));
	for (i = 0; i < N(catalogue); i++)
		order[i] = i;
	for (i = N(catalogue) - 1; i > 0; i--) {   /* Fisher-Yates */
		j = rng_below(&r, (uint32_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	if (nfacts > FACTS_MAX)
		nfacts = FACTS_MAX;
	base = FACTS_EPOCH_DAY + (int)rng_below(&r, 180);
	/* A third of the events are later ones, at least one per period
	 * once there are 6 facts. */
	nlater = nfacts / 3 < 3 && nfacts >= 6 ? 3 : nfacts / 3;
	ninit = nfacts - nlater;
	out->n = 0;
	for (; next < N(catalogue) && out->n < ninit; next++) {
		if (!applies(&catalogue[order[next]], p, w))
			continue;
		/* The last initial fact is a preference if none is yet, so
		 * later events have one to update. */
		if (out->n == ninit - 1 && nlater > 0 &&
		    !has_pref(out) &&
		    catalogue[order[next]].src != SRC_PREF)
			continue;
		fill(&out->f[out->n], &catalogue[order[next]], p, w, &r);
		initial(out, base, ninit);
		/* A preference often gets a second item of its list, in a
		 * session of its own: the list QA then needs both. */
		if (out->f[out->n - 1].pref >= 0 && out->n < ninit - 1 &&
		    rng_below(&r, 100) < SECOND_ITEM_PERCENT) {
			out->f[out->n] = out->f[out->n - 1];
			set_item(&out->f[out->n], w->profile.prefs[out->f[
				 out->n].pref][1], w, &r);
			initial(out, base, ninit);
		}
	}
	for (k = 0; k < nlater && out->n < FACTS_MAX; k++) {
		const char *period;
		int day = later_day(base, k, nlater, &period);

		u = k % 4 != 3 ? updatable(out, &r) : -1;
		while (u < 0 && next < N(catalogue) &&
		       !applies(&catalogue[order[next]], p, w))
			next++;
		if (u >= 0)
			update(out, &out->f[out->n], &out->f[u], u, w, &r, day);
		else if (next < N(catalogue))
			fill(&out->f[out->n], &catalogue[order[next++]], p, w,
			     &r);
		else if ((u = updatable(out, &r)) >= 0)
			update(out, &out->f[out->n], &out->f[u], u, w, &r, day);
		else
			break;
		out->f[out->n].period = period;
		out->f[out->n].valid_from = day;
		out->n++;
	}
}

#define KIN_MEMO 64       /* words remembered per thread (a power of 2) */
#define KIN_WORD 24       /* bytes of a remembered word, NUL included */

/* Whether contact word `word` ("mother", "friend") has a sex of its
 * own (coherence_relation_sex), remembered per thread by the word's
 * text: every coherence check asks it of each contact, and the answer
 * is a pure function of the text, found otherwise by a string compare
 * per relation. */
static int
kin_word(const char *word)
{
	static _Thread_local struct {
		char w[KIN_WORD];
		int sexed;
	} memo[KIN_MEMO];
	size_t n = strlen(word), h;

	if (n == 0 || n >= KIN_WORD)
		return coherence_relation_sex(word) != NULL;
	h = (size_t)(hash_fnv1a(word) & (KIN_MEMO - 1));
	if (strcmp(memo[h].w, word) != 0) {
		memcpy(memo[h].w, word, n + 1);
		memo[h].sexed = coherence_relation_sex(word) != NULL;
	}
	return memo[h].sexed;
}

int
facts_coherence(const struct fact_plan *plan, const struct world *w,
		struct coherence_fact *out)
{
	int i, n = 0;

	for (i = 0; i < plan->n; i++)
		out[n++] = (struct coherence_fact){ plan->f[i].key,
			plan->f[i].value, plan->f[i].relation,
			plan->f[i].sex };
	/* Contacts by full name: two contacts may share a first name
	 * ("Ashley"), and one may be a prefix of another ("Gabriel",
	 * "Gabriella"). */
	for (i = 0; w != NULL && i < w->ncontacts; i++)
		if (w->c[i].word != NULL && kin_word(w->c[i].word))
			out[n++] = (struct coherence_fact){ "contact",
				w->c[i].name, w->c[i].word, w->c[i].sex };
	return n;
}

int
facts_text_states(const char *text, const char *value)
{
	/* glibc's two-way search: linear, no tolower() per byte pair. */
	return strcasestr(text, value) != NULL;
}

int
facts_session_states(const char *text, const struct fact *f)
{
	if (strcmp(f->statement, "implicit") == 0)
		return facts_text_states(text, f->clue);
	return facts_text_states(text, f->value);
}

void
facts_day_iso(int day, char out[11])
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
