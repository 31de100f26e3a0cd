/* facts.c - the fact catalogue and per-persona plans (see facts.h). */
#include "generators/facts.h"

#include <stdio.h>
#include <string.h>

#include "base/rng.h"
#include "personas/coherence.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const pets[] = { "cat", "dog", "parrot", "rabbit",
	"tortoise", "hamster", "beagle", "goldfish" };
static const char *const pet_names[] = { "Whiskers", "Biscuit", "Pepper",
	"Mochi", "Juniper", "Rocket", "Maple", "Ziggy", "Olive", "Tango" };
static const char *const diets[] = { "vegetarian", "vegan", "pescatarian",
	"gluten-free", "low-carb", "Mediterranean" };
static const char *const cuisines[] = { "Thai", "Ethiopian", "Mexican",
	"Korean", "Lebanese", "Italian", "Peruvian", "Vietnamese", "Greek",
	"Japanese" };
static const char *const hobbies[] = { "birdwatching", "pottery",
	"rock climbing", "baking sourdough", "chess", "woodworking",
	"trail running", "knitting", "amateur astronomy", "salsa dancing" };
static const char *const music[] = { "jazz", "bluegrass", "synth-pop",
	"classical piano", "hip-hop", "indie folk", "reggae", "blues" };
static const char *const sports[] = { "basketball", "tennis", "soccer",
	"swimming", "baseball", "volleyball", "cycling", "golf" };
static const char *const genres[] = { "science fiction", "historical "
	"fiction", "mystery novels", "biographies", "poetry", "fantasy",
	"travel writing" };
static const char *const places[] = { "Kyoto", "Lisbon", "Patagonia",
	"Reykjavik", "Marrakesh", "the Amalfi Coast", "Banff", "Hanoi" };
static const char *const cars[] = { "Honda Civic", "Toyota RAV4",
	"Subaru Outback", "Ford F-150", "Chevrolet Bolt", "Mazda 3" };
static const char *const co_a[] = { "Northwind", "Bluefield", "Cedar",
	"Summit", "Harbor", "Ironwood", "Silverline", "Prairie" };
static const char *const co_b[] = { "Logistics", "Health", "Analytics",
	"Builders", "Foods", "Labs", "Partners", "Energy" };
/* A sibling is a sister or a brother, named from that sex's list. */
static const struct { const char *relation, *sex; const char *names[5]; }
siblings[] = {
	{ "sister", "female", { "Priya", "Elena", "Keiko", "Grace", "Nora" } },
	{ "brother", "male", { "Marcus", "Tomas", "Jamal", "Luis", "Dmitri" } },
};

enum src { SRC_CITY, SRC_JOB, SRC_EMPLOYER, SRC_PET, SRC_DIET, SRC_CAR,
	SRC_LIST, SRC_SIBLING };

struct entry {
	const char *key, *label, *qtype, *difficulty, *question, *sentence;
	enum src src;
	const char *const *list;
	size_t nlist;
};

/* PersonaBench question types: Basic information, Preference, Social. */
static const struct entry catalogue[] = {
	{ "home_city", "home city", "Basic information", "easy",
	  "Which city do I currently live in?",
	  "These days I live in %s.", SRC_CITY, NULL, 0 },
	{ "occupation", "occupation", "Basic information", "easy",
	  "What do I do for a living?",
	  "I work as a %s.", SRC_JOB, NULL, 0 },
	{ "employer", "employer", "Basic information", "easy",
	  "Which company do I work for?",
	  "My employer is %s.", SRC_EMPLOYER, NULL, 0 },
	{ "pet", "pet", "Basic information", "easy",
	  "What pet do I have?",
	  "At home I have %s.", SRC_PET, NULL, 0 },
	{ "diet", "diet", "Basic information", "easy",
	  "What kind of diet do I follow?",
	  "I keep a %s diet.", SRC_DIET, NULL, 0 },
	{ "vehicle", "vehicle", "Basic information", "easy",
	  "What car do I drive?",
	  "I drive a %s.", SRC_CAR, NULL, 0 },
	{ "favorite_cuisine", "favourite cuisine", "Preference", "hard",
	  "What is my favourite cuisine?",
	  "Nothing beats %s food for me.", SRC_LIST, cuisines, N(cuisines) },
	{ "hobby", "favourite hobby", "Preference", "hard",
	  "What hobby do I enjoy most?",
	  "My favourite way to unwind is %s.", SRC_LIST, hobbies,
	  N(hobbies) },
	{ "favorite_music", "favourite music", "Preference", "hard",
	  "What music do I like best?",
	  "I could listen to %s all day.", SRC_LIST, music, N(music) },
	{ "favorite_sport", "favourite sport", "Preference", "hard",
	  "Which sport do I follow most closely?",
	  "I never miss a chance to watch %s.", SRC_LIST, sports,
	  N(sports) },
	{ "favorite_books", "favourite books", "Preference", "hard",
	  "What kind of books do I read most?",
	  "Lately I mostly read %s.", SRC_LIST, genres, N(genres) },
	{ "dream_trip", "dream destination", "Preference", "hard",
	  "Where do I dream of travelling?",
	  "One day I want to travel to %s.", SRC_LIST, places, N(places) },
	{ "sibling", "sibling", "Social", "easy",
	  "What is my sibling's name?",
	  "My %s.", SRC_SIBLING, NULL, 0 },
};

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

/* The value of catalogue entry e for persona p. */
static void
value_of(const struct entry *e, const struct persona *p, struct rng *r,
	 char *out, size_t n)
{
	switch (e->src) {
	case SRC_CITY:
		snprintf(out, n, "%s", p->city);
		break;
	case SRC_JOB:
		snprintf(out, n, "%s", p->occupation);
		break;
	case SRC_EMPLOYER:
		snprintf(out, n, "%s %s", pick(r, co_a, N(co_a)),
			 pick(r, co_b, N(co_b)));
		break;
	case SRC_PET:
		snprintf(out, n, "a %s named %s", pick(r, pets, N(pets)),
			 pick(r, pet_names, N(pet_names)));
		break;
	case SRC_DIET:
		snprintf(out, n, "%s", pick(r, diets, N(diets)));
		break;
	case SRC_CAR:
		snprintf(out, n, "%u %s", 2008 + rng_below(r, 17),
			 pick(r, cars, N(cars)));
		break;
	default:
		snprintf(out, n, "%s", pick(r, e->list, e->nlist));
		break;
	}
}

static void
fill(struct fact *f, const struct entry *e, const struct persona *p,
     struct rng *r)
{
	const char *name;
	uint32_t k;

	f->key = e->key;
	f->label = e->label;
	f->qtype = e->qtype;
	f->difficulty = e->difficulty;
	f->question = e->question;
	f->relation = f->sex = NULL;
	if (e->src == SRC_SIBLING) {
		k = rng_below(r, N(siblings));
		f->relation = siblings[k].relation;
		f->sex = siblings[k].sex;
		name = pick(r, siblings[k].names, N(siblings[k].names));
		snprintf(f->value, sizeof(f->value), "%s", name);
		snprintf(f->sentence, sizeof(f->sentence),
			 "My %s is called %s.", siblings[k].relation, name);
		return;
	}
	value_of(e, p, r, f->value, sizeof(f->value));
	snprintf(f->sentence, sizeof(f->sentence), e->sentence, f->value);
}

/* Whether entry e can be a fact of p: only a persona with a job has an
 * occupation or an employer to state (coherence rules no_job_*). */
static int
applies(const struct entry *e, const struct persona *p)
{
	return (e->src != SRC_JOB && e->src != SRC_EMPLOYER) ||
	       coherence_has_job(p);
}

void
facts_plan(struct fact_plan *out, const struct persona *p,
	   uint64_t run_seed, int nfacts, int ndocs)
{
	size_t order[N(catalogue)], i, j, t;
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
	out->n = 0;
	for (i = 0; i < N(catalogue) && out->n < nfacts; i++) {
		if (!applies(&catalogue[order[i]], p))
			continue;
		fill(&out->f[out->n], &catalogue[order[i]], p, &r);
		out->f[out->n].doc = ndocs > 0 ? out->n % ndocs : 0;
		out->n++;
	}
}

void
facts_coherence(const struct fact_plan *plan, struct coherence_fact *out)
{
	int i;

	for (i = 0; i < plan->n; i++)
		out[i] = (struct coherence_fact){ plan->f[i].key,
			plan->f[i].value, plan->f[i].relation,
			plan->f[i].sex };
}

int
facts_text_states(const char *text, const char *value)
{
	/* glibc's two-way search: linear, no tolower() per byte pair. */
	return strcasestr(text, value) != NULL;
}
