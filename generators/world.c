/* world.c - communities, contacts, canaries and profiles (see world.h).
 *
 * The word lists below are drawn from uniformly: they are vocabulary, not
 * statistics, and no frequency is claimed for any of them. */
#include "generators/world.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "base/rng.h"
#include "base/json.h"
#include "personas/coherence.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define POOL 6              /* contacts in a community's shared pool */
#define NAME_TRIES 16       /* redraws of a name already taken */
#define MAX_NAMES 192       /* members + pool + members' contacts */

const char *const world_pref_names[WORLD_NPREFS] = {
	[WORLD_MEDIA] = "media", [WORLD_SPORTS] = "sports",
	[WORLD_DRINKS] = "drinks", [WORLD_CUISINE] = "cuisine",
	[WORLD_BOOKS] = "books", [WORLD_PLACES] = "places",
	[WORLD_HOBBIES] = "hobbies", [WORLD_MUSIC] = "music",
};

static const char *const media[] = { "nature documentaries",
	"true crime podcasts", "cooking shows", "sitcom reruns",
	"space documentaries", "home renovation shows", "history podcasts",
	"stand-up comedy specials", "detective dramas", "travel vlogs" };
static const char *const sports[] = { "basketball", "tennis", "soccer",
	"swimming", "baseball", "volleyball", "cycling", "golf", "hockey",
	"track and field" };
static const char *const drinks[] = { "cold brew coffee", "green tea",
	"sparkling water", "chai latte", "lemonade", "hot chocolate",
	"iced tea", "ginger ale", "oat milk latte", "herbal tea" };
static const char *const cuisines[] = { "Thai", "Ethiopian", "Mexican",
	"Korean", "Lebanese", "Italian", "Peruvian", "Vietnamese", "Greek",
	"Japanese" };
static const char *const books[] = { "science fiction",
	"historical fiction", "mystery novels", "biographies", "poetry",
	"fantasy", "travel writing", "graphic novels", "thrillers",
	"popular science" };
static const char *const places[] = { "Kyoto", "Lisbon", "Patagonia",
	"Reykjavik", "Marrakesh", "the Amalfi Coast", "Banff", "Hanoi",
	"Cape Town", "Edinburgh" };
static const char *const hobbies[] = { "birdwatching", "pottery",
	"rock climbing", "baking sourdough", "chess", "woodworking",
	"trail running", "knitting", "amateur astronomy", "salsa dancing" };
/* The hobbies above that a persona whose health rules out hard exercise
 * (coherence_can_exercise) never names. */
static const char *const hard_hobbies[] = { "rock climbing",
	"trail running", "salsa dancing" };
static const char *const music[] = { "jazz", "bluegrass", "synth-pop",
	"classical piano", "hip-hop", "indie folk", "reggae", "blues",
	"country", "soul" };

static const struct { const char *const *v; size_t n; }
pref_lists[WORLD_NPREFS] = {
	[WORLD_MEDIA] = { media, N(media) },
	[WORLD_SPORTS] = { sports, N(sports) },
	[WORLD_DRINKS] = { drinks, N(drinks) },
	[WORLD_CUISINE] = { cuisines, N(cuisines) },
	[WORLD_BOOKS] = { books, N(books) },
	[WORLD_PLACES] = { places, N(places) },
	[WORLD_HOBBIES] = { hobbies, N(hobbies) },
	[WORLD_MUSIC] = { music, N(music) },
};

static const char *const jobs[] = { "nurse", "electrician",
	"accountant", "high school teacher", "software developer",
	"paramedic", "chef", "graphic designer", "pharmacist",
	"truck driver", "librarian", "real estate agent", "dental hygienist",
	"carpenter", "social worker", "bank teller", "physical therapist",
	"barista", "civil engineer", "veterinary technician", "plumber",
	"marketing manager", "insurance adjuster", "photographer" };
static const char *const cities[] = { "Denver", "Portland", "Austin",
	"Columbus", "Tucson", "Raleigh", "Omaha", "Boise", "Richmond",
	"Madison", "Albuquerque", "Savannah", "Spokane", "Knoxville",
	"Sacramento", "Buffalo", "Tulsa", "Charleston" };
static const char *const trades[] = { "dentist", "hairdresser",
	"mechanic", "piano teacher", "personal trainer", "accountant",
	"landlord", "family doctor", "dog groomer", "tax preparer" };
static const char *const fields[] = { "biology", "economics", "history",
	"mechanical engineering", "nursing", "psychology", "computer science",
	"English literature", "accounting", "education", "chemistry",
	"political science" };
static const char *const school_names[] = { "Lincoln", "Roosevelt",
	"Westview", "Lakeside", "Central", "Jefferson", "Riverside",
	"Oak Ridge", "Franklin", "Hillcrest" };
static const char *const eye_colours[] = { "brown", "blue", "green",
	"hazel", "grey" };
static const char *const pets[] = { "cat", "dog", "parrot", "rabbit",
	"tortoise", "hamster", "beagle", "goldfish" };
static const char *const pet_names[] = { "Whiskers", "Biscuit", "Pepper",
	"Mochi", "Juniper", "Rocket", "Maple", "Ziggy", "Olive", "Tango" };
static const char *const diets[] = { "vegetarian", "vegan", "pescatarian",
	"gluten-free", "low-carb", "Mediterranean" };
static const char *const cars[] = { "Honda Civic", "Toyota RAV4",
	"Subaru Outback", "Ford F-150", "Chevrolet Bolt", "Mazda 3" };
static const char *const co_a[] = { "Northwind", "Bluefield", "Cedar",
	"Summit", "Harbor", "Ironwood", "Silverline", "Prairie", "Redstone",
	"Lakeshore", "Granite", "Maplewood", "Keystone", "Riverbend",
	"Oakridge", "Pioneer", "Beacon", "Westfield", "Evergreen", "Highland",
	"Sterling", "Crescent", "Frontier", "Juniper", "Copperleaf",
	"Bridgeway", "Tidewater", "Sunridge" };
static const char *const co_b[] = { "Logistics", "Health", "Analytics",
	"Builders", "Foods", "Labs", "Partners", "Energy", "Systems",
	"Manufacturing", "Insurance", "Solutions", "Construction",
	"Financial", "Software", "Services", "Supply", "Industries" };

/* The kinds of work place an occupation has, so that a nurse's employer
 * is a hospital and a cook's a diner: the employer every text, document
 * and QA pair names (generators/life.c reads it from the profile). An
 * occupation not listed works at a company named from co_a and co_b.
 * Vocabulary, drawn uniformly. */
enum { E_COMPANY, E_HEALTH, E_CARE, E_DENTAL, E_PHARMACY, E_VET,
       E_SCHOOL, E_LIBRARY, E_COLLEGE, E_LAB, E_POLICE, E_FIRE, E_SOCIAL,
       E_LAW, E_FOOD, E_STORE, E_FARM, E_FREIGHT, E_TRADES, E_AUTO, E_PLANT,
       E_TECH, E_ENG, E_DESIGN, E_NKINDS };
static const struct {
	const char *suffix[4];
	int city;            /* 1: "the CITY ...", 0: "CO_A ..." */
} emp_kinds[E_NKINDS] = {
	[E_HEALTH] = { { "General Hospital", "Medical Center",
			 "Community Clinic", "Family Practice" }, 0 },
	[E_CARE] = { { "Home Care", "Visiting Nurses", "Senior Services",
		       "Care Partners" }, 0 },
	[E_DENTAL] = { { "Dental Group", "Family Dentistry", "Dental Care",
			 "Dental Group" }, 0 },
	[E_PHARMACY] = { { "Pharmacy", "Drug Store", "Health Mart",
			   "Pharmacy" }, 0 },
	[E_VET] = { { "Animal Hospital", "Veterinary Clinic",
		      "Pet Care Center", "Animal Hospital" }, 0 },
	[E_SCHOOL] = { { "Elementary", "Middle School", "High School",
			 "Academy" }, 0 },
	[E_LIBRARY] = { { "Public Library", "County Library",
			  "Branch Library", "Public Library" }, 1 },
	[E_COLLEGE] = { { "Community College", "State University", "College",
			  "State University" }, 0 },
	[E_LAB] = { { "Research Institute", "Labs", "Biosciences",
		      "Research Center" }, 0 },
	[E_POLICE] = { { "Police Department", "Sheriff's Office",
			 "Police Department", "Police Department" }, 1 },
	[E_FIRE] = { { "Fire Department", "Fire and Rescue",
		       "Fire Department", "Fire Department" }, 1 },
	[E_SOCIAL] = { { "Department of Human Services", "Family Services",
			 "Department of Human Services", "Family Services" },
		       1 },
	[E_LAW] = { { "Law Group", "& Associates", "Legal Services",
		      "and Partners" }, 0 },
	[E_FOOD] = { { "Diner", "Grill", "Cafe", "Kitchen" }, 0 },
	[E_STORE] = { { "Market", "Hardware", "Outfitters", "Grocery" }, 0 },
	[E_FARM] = { { "Orchards", "Farms", "Dairy", "Nursery" }, 0 },
	[E_FREIGHT] = { { "Logistics", "Freight", "Distribution",
			  "Trucking" }, 0 },
	[E_TRADES] = { { "Builders", "Construction", "Contracting",
			 "Home Services" }, 0 },
	[E_AUTO] = { { "Auto Repair", "Auto Service", "Garage", "Motors" },
		     0 },
	[E_PLANT] = { { "Manufacturing", "Machine Works", "Industries",
			"Tool and Die" }, 0 },
	[E_TECH] = { { "Software", "Systems", "Analytics", "Technologies" },
		     0 },
	[E_ENG] = { { "Engineering", "Engineering Group", "Consulting",
		      "Design Partners" }, 0 },
	[E_DESIGN] = { { "Design", "Creative", "Media", "Studio" }, 0 },
};
static const struct { const char *occupation; int kind; } emp_occ[] = {
	{ "Registered nurse", E_HEALTH }, { "Nurse practitioner", E_HEALTH },
	{ "Physician", E_HEALTH }, { "Medical assistant", E_HEALTH },
	{ "Physical therapist", E_HEALTH },
	{ "Radiologic technologist", E_HEALTH },
	{ "Psychologist", E_HEALTH }, { "Home health aide", E_CARE },
	{ "Dental hygienist", E_DENTAL }, { "Dentist", E_DENTAL },
	{ "Pharmacist", E_PHARMACY }, { "Veterinarian", E_VET },
	{ "Elementary school teacher", E_SCHOOL },
	{ "High school teacher", E_SCHOOL }, { "School counselor", E_SCHOOL },
	{ "Librarian", E_LIBRARY }, { "University professor", E_COLLEGE },
	{ "Postdoctoral researcher", E_COLLEGE },
	{ "Research scientist", E_LAB }, { "Police officer", E_POLICE },
	{ "Firefighter", E_FIRE }, { "Social worker", E_SOCIAL },
	{ "Lawyer", E_LAW }, { "Paralegal", E_LAW }, { "Cook", E_FOOD },
	{ "Cashier", E_STORE }, { "Retail salesperson", E_STORE },
	{ "Farmworker", E_FARM }, { "Truck driver", E_FREIGHT },
	{ "Warehouse worker", E_FREIGHT }, { "Carpenter", E_TRADES },
	{ "Electrician", E_TRADES }, { "Plumber", E_TRADES },
	{ "Construction laborer", E_TRADES }, { "Landscaper", E_TRADES },
	{ "Auto mechanic", E_AUTO }, { "Machinist", E_PLANT },
	{ "Software developer", E_TECH }, { "Data scientist", E_TECH },
	{ "Computer support specialist", E_TECH },
	{ "Civil engineer", E_ENG }, { "Mechanical engineer", E_ENG },
	{ "Graphic designer", E_DESIGN },
};

/* Personality adjectives per Big Five trait, for a low, an average and a
 * high band (PersonaBench's Subjective questions pick adjectives). */
static const char *const adjectives[PERSONA_NTRAITS][3] = {
	[PERSONA_OPENNESS] = { "practical", "curious", "imaginative" },
	[PERSONA_CONSCIENTIOUSNESS] = { "easygoing", "dependable",
					"organised" },
	[PERSONA_EXTRAVERSION] = { "reserved", "friendly", "outgoing" },
	[PERSONA_AGREEABLENESS] = { "blunt", "cooperative", "warm" },
	[PERSONA_NEUROTICISM] = { "calm", "sensitive", "anxious" },
};

/* Height by sex: mean and standard deviation in cm of US adults 20+,
 * CDC NCHS, "Anthropometric Reference Data for Children and Adults:
 * United States, 2015-2018", Vital Health Stat 3(46), 2021, tables 10
 * and 12 (means; the SD from the table's standard error is not
 * given there): transcribed, unverified. */
static const struct { const char *sex; double mean, sd; } heights[] = {
	{ "female", 161.3, 7.1 },
	{ "male", 175.3, 7.6 },
};

static const char *
pick(struct rng *r, const char *const *l, size_t n)
{
	return l[rng_below(r, (uint32_t)n)];
}

/* A sex for a contact: uniform, not a statistic. */
static const char *
draw_sex(struct rng *r)
{
	return rng_below(r, 2) ? "male" : "female";
}

void
world_config_default(struct world_config *c)
{
	*c = (struct world_config){ .contacts_min = 5, .contacts_max = 15,
		.community_size = 10, .shared_contacts = 0.2,
		.canary_prefix = "PFCANARY-" };
}

/* The k strings of s one after another into out[0..n), cut and ended
 * as snprintf() does (it was most of the cost of a contact). */
static void
cat(char *out, size_t n, const char *const *s, size_t k)
{
	size_t i, len, room = n - 1;

	for (i = 0; i < k && room > 0; i++) {
		len = strlen(s[i]);
		if (len > room)
			len = room;
		memcpy(out, s[i], len);
		out += len;
		room -= len;
	}
	*out = '\0';
}

/* ---- names unique within a community ---- */

struct names {
	const char *v[MAX_NAMES];
	uint64_t h[MAX_NAMES];     /* hash_fnv1a(v[i]): most compares end
				    * there, not in strcmp */
	char own[MAX_NAMES][96];
	int n;
	const char *other_parent;  /* sex of the parent drawn first */
};

static int
taken(const struct names *s, const char *name)
{
	uint64_t h = hash_fnv1a(name);
	int i;

	for (i = 0; i < s->n; i++)
		if (s->h[i] == h && strcmp(s->v[i], name) == 0)
			return 1;
	return 0;
}

static void
remember(struct names *s, const char *name)
{
	size_t n = strlen(name);

	if (s->n == MAX_NAMES)
		return;
	if (n >= sizeof(s->own[s->n]))
		n = sizeof(s->own[s->n]) - 1;
	memcpy(s->own[s->n], name, n);   /* name may be in the same struct */
	s->own[s->n][n] = '\0';
	s->v[s->n] = s->own[s->n];
	s->h[s->n] = hash_fnv1a(s->own[s->n]);
	s->n++;
}

/* Name contact c: a first name by sex and age, the last name `last` when
 * not NULL (a relative), redrawn while the full name is taken or the
 * first name is the last ("Kelly Kelly"). */
static void
name_contact(struct world_contact *c, const struct persona_tables *t,
	     struct rng *r, const char *last, struct names *s)
{
	const char *first, *l;
	int k;

	for (k = 0; k < NAME_TRIES; k++) {
		persona_sample_name(t, r, c->sex, c->age, &first, &l);
		if (last != NULL)
			l = last;
		cat(c->name, sizeof(c->name),
		    (const char *const[]){ first, " ", l }, 3);
		c->first = first;
		if (!taken(s, c->name) && strcmp(first, l) != 0)
			break;
	}
	remember(s, c->name);
}

/* ---- contacts ---- */

/* A relationship as the persona sees it: the word for each sex (NULL:
 * the relationship itself), the age gap range to the persona (older
 * positive) and whether the contact shares the persona's last name. */
struct kind {
	const char *rel, *female, *male;
	int gap_lo, gap_hi;
	int same_last;
};

static const struct kind k_partner = { "partner", "wife", "husband", -5, 5,
	0 };
static const struct kind k_partner_unmarried = { "partner", "partner",
	"partner", -5, 5, 0 };
static const struct kind k_parent = { "parent", "mother", "father", 20, 38,
	1 };
static const struct kind k_child = { "child", "daughter", "son", -40, -20,
	1 };
static const struct kind k_sibling = { "sibling", "sister", "brother", -9,
	9, 1 };
static const struct kind k_cousin = { "cousin", "cousin", "cousin", -12, 12,
	0 };
static const struct kind k_friend = { "friend", "friend", "friend", -12,
	12, 0 };
static const struct kind k_colleague = { "colleague", "colleague",
	"colleague", -15, 15, 0 };
static const struct kind k_neighbour = { "neighbour", "neighbour",
	"neighbour", -20, 20, 0 };
static const struct kind k_service = { "service provider", NULL, NULL,
	-15, 15, 0 };

/* The family p has, in order: a partner for a married persona or one
 * living with a partner (not for a widowed one: coherence rule
 * widowed_spouse), parents while the persona is under 80, a child from
 * 38, siblings and a cousin. */
static int
family(const struct persona *p, struct rng *r, const struct kind **out)
{
	int n = 0, married = strcmp(p->marital_status, "married") == 0;

	if (married)
		out[n++] = &k_partner;
	else if (strncmp(p->household, "with partner", 12) == 0 &&
		 strcmp(p->marital_status, "widowed") != 0)
		out[n++] = &k_partner_unmarried;
	if (p->age < 80)
		out[n++] = &k_parent;
	if (p->age < 65 && rng_below(r, 2))
		out[n++] = &k_parent;
	if (p->age >= 38)
		out[n++] = &k_child;
	out[n++] = &k_sibling;
	if (rng_below(r, 2))
		out[n++] = &k_sibling;
	out[n++] = &k_cousin;
	return n;
}

/* The relationship of non-family slot k: colleagues only for a persona
 * with a job. */
static const struct kind *
outer(const struct persona *p, int k)
{
	static const struct kind *const work[] = { &k_friend, &k_colleague,
		&k_neighbour, &k_friend, &k_service, &k_colleague };
	static const struct kind *const home[] = { &k_friend, &k_neighbour,
		&k_service, &k_friend };

	if (coherence_has_job(p))
		return work[k % (int)N(work)];
	return home[k % (int)N(home)];
}

static int
clamp_age(int a, int lo)
{
	return a < lo ? lo : a > 99 ? 99 : a;
}

/* A contact's own job: by age, a student under 22 and retired from 70. */
static const char *
contact_job(struct rng *r, int age)
{
	if (age < 22)
		return "student";
	if (age >= 70)
		return "retired";
	return pick(r, jobs, N(jobs));
}

static void
describe(struct world_contact *c, const struct persona *p)
{
	const char *j = c->job;

	if (strcmp(j, "retired") == 0 || strcmp(j, "student") == 0)
		cat(c->description, sizeof(c->description),
		    (const char *const[]){ p->first_name, "'s ", c->word, ", ",
		    strcmp(j, "retired") == 0 ? "retired" : "a student",
		    " in ", c->city, ", who likes ", c->likes, "." }, 10);
	else
		cat(c->description, sizeof(c->description),
		    (const char *const[]){ p->first_name, "'s ", c->word, ", ",
		    strchr("aeiou", j[0]) ? "an " : "a ", j, " in ", c->city,
		    " who likes ", c->likes, "." }, 11);
}

/* Fill contact c of relationship k for persona p. */
static void
make_contact(struct world_contact *c, const struct kind *k,
	     const struct persona *p, const struct persona_tables *t,
	     struct rng *r, struct names *s)
{
	int gap = k->gap_lo + (int)rng_below(r, (uint32_t)(k->gap_hi -
							  k->gap_lo + 1));
	const char *state;

	memset(c, 0, sizeof(*c));
	c->relationship = k->rel;
	c->sex = draw_sex(r);
	if (k == &k_parent && s->other_parent != NULL)
		c->sex = strcmp(s->other_parent, "female") == 0 ? "male" :
			 "female";
	if (k == &k_parent)
		s->other_parent = c->sex;
	if (k == &k_sibling)
		c->relationship = strcmp(c->sex, "female") == 0 ? "sister" :
				  "brother";
	c->word = k->female == NULL ? pick(r, trades, N(trades)) :
		  strcmp(c->sex, "female") == 0 ? k->female : k->male;
	c->age = clamp_age(p->age + gap, k == &k_child ? 12 : 18);
	if (k == &k_service && c->age > 68)
		c->age = 68;
	c->job = k == &k_service ? c->word : contact_job(r, c->age);
	c->city = p->city;
	if (k != &k_neighbour && k != &k_service && k != &k_partner &&
	    k != &k_partner_unmarried && rng_below(r, 2))
		persona_sample_place(t, r, &c->city, &state);
	c->likes = pick(r, hobbies, N(hobbies));
	name_contact(c, t, r, k->same_last ? p->last_name : NULL, s);
	describe(c, p);
}

/* The community's shared pool: friends and service providers every
 * member may know (ids "k000004-s1"), drawn from the community's own
 * stream. Their description is written per persona (describe()). */
static void
make_pool(struct world_contact *pool, const struct persona_tables *t,
	  uint64_t seed, int64_t community, struct names *s)
{
	struct persona anyone = { .age = 45, .last_name = "",
		.first_name = "someone" };
	struct rng r;
	int i;

	rng_seed(&r, rng_derive(seed, "world-pool", (uint64_t)community, 0));
	for (i = 0; i < POOL; i++) {
		anyone.city = pick(&r, cities, N(cities));
		make_contact(&pool[i], i % 2 ? &k_service : &k_friend, &anyone,
			     t, &r, s);
		snprintf(pool[i].shared_id, sizeof(pool[i].shared_id),
			 "k%06lld-s%d", (long long)community, i + 1);
		pool[i].shared = 1;
	}
}

/* Member m's contacts into w (its stream "world-contacts"): family first,
 * then friends, colleagues, neighbours and service providers, each of
 * those taken from the pool with odds c->shared_contacts. */
static void
make_contacts(struct world *w, const struct persona *m,
	      const struct persona_tables *t, uint64_t seed,
	      const struct world_config *c, const struct world_contact *pool,
	      struct names *s)
{
	const struct kind *fam[8];
	char id[sizeof(w->c[0].id)];
	int n, nf, i, k = 0, used = 0;
	struct rng r;

	rng_seed(&r, rng_derive(seed, "world-contacts", m->index, 0));
	s->other_parent = NULL;
	n = c->contacts_min + (int)rng_below(&r, (uint32_t)(c->contacts_max -
							    c->contacts_min +
							    1));
	nf = family(m, &r, fam);
	for (i = 0; i < n; i++) {
		struct world_contact *x = &w->c[i];
		uint32_t u = rng_below(&r, POOL);

		if (i >= nf && rng_uniform(&r) < c->shared_contacts &&
		    !(used & (1 << u))) {
			used |= 1 << u;
			*x = pool[u];
			describe(x, m);
		} else {
			make_contact(x, i < nf ? fam[i] : outer(m, k++), m, t,
				     &r, s);
		}
		/* via id: -O1 builds warn that x->id may overlap m->id */
		snprintf(id, sizeof(id), "%s-c%d", m->id, i + 1);
		memcpy(x->id, id, strlen(id) + 1);
	}
	w->ncontacts = n;
}

/* "PREFIX" and a UUID-like string from the persona's own stream. */
static void
make_canary(struct world *w, uint64_t seed, const struct persona *p,
	    const char *prefix)
{
	static const char hex[] = "0123456789abcdef";
	char u[37];
	struct rng r;
	uint64_t v = 0;
	int i;

	rng_seed(&r, rng_derive(seed, "canary", p->index, 0));
	for (i = 0; i < 36; i++) {
		if (i % 16 == 0)
			v = rng_next(&r);
		u[i] = i == 8 || i == 13 || i == 18 || i == 23 ? '-' :
		       hex[(v >> (4 * (i % 16))) & 15];
	}
	u[36] = '\0';
	snprintf(w->canary, sizeof(w->canary), "%s%s", prefix, u);
}

/* ---- profile ---- */

/* 5 distinct items of list l, in draw order (the first is the favourite). */
static void
draw_list(struct rng *r, const char *const *l, size_t n, const char **out)
{
	size_t order[16], i, j, t;

	for (i = 0; i < n && i < N(order); i++)
		order[i] = i;
	for (i = 0; i < WORLD_LIST; i++) {
		j = i + rng_below(r, (uint32_t)(n - i));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
		out[i] = l[order[i]];
	}
}

/* draw_list over the hobbies without the hard ones. */
static void
draw_calm(struct rng *r, const char **out)
{
	const char *calm[N(hobbies)];
	size_t i, j, n = 0;

	for (i = 0; i < N(hobbies); i++) {
		for (j = 0; j < N(hard_hobbies); j++)
			if (strcmp(hobbies[i], hard_hobbies[j]) == 0)
				break;
		if (j == N(hard_hobbies))
			calm[n++] = hobbies[i];
	}
	draw_list(r, calm, n, out);
}

static int
degree_of(const char *education)
{
	return strstr(education, "degree") != NULL ||
	       strcmp(education, "doctorate") == 0;
}

/* School, degree and field by the persona's education. */
static void
schooling(struct world_profile *f, const struct persona *p, struct rng *r)
{
	const char *e = p->education;

	f->degree = degree_of(e) ? e : "";
	f->field = degree_of(e) ? pick(r, fields, N(fields)) : "";
	if (strcmp(e, "associate degree") == 0 ||
	    strcmp(e, "some college") == 0)
		snprintf(f->school, sizeof(f->school), "%s Community College",
			 p->county);
	else if (degree_of(e))
		snprintf(f->school, sizeof(f->school), "University of %s",
			 p->state);
	else
		snprintf(f->school, sizeof(f->school), "%s High School",
			 pick(r, school_names, N(school_names)));
}

/* Employer (its kind by the occupation) and work place only with a job
 * (coherence no_job_employer); a previous job for anyone past 25 who is
 * not a student. */
static void
work(struct world_profile *f, const struct persona *p, struct rng *r)
{
	const char *a = pick(r, co_a, N(co_a)), *b = pick(r, co_b, N(co_b));
	int kind = E_COMPANY;
	size_t i;

	f->employer[0] = '\0';
	f->work_location = "";
	for (i = 0; i < N(emp_occ); i++)
		if (p->occupation != NULL &&
		    strcmp(emp_occ[i].occupation, p->occupation) == 0)
			kind = emp_occ[i].kind;
	if (kind != E_COMPANY)
		b = pick(r, emp_kinds[kind].suffix, 4);
	if (coherence_has_job(p)) {
		if (emp_kinds[kind].city)
			snprintf(f->employer, sizeof(f->employer), "the %s %s",
				 p->city, b);
		else
			snprintf(f->employer, sizeof(f->employer), "%s %s", a,
				 b);
		f->work_location = p->city;
	}
	f->previous_job = p->age > 25 && strcmp(p->employment_status,
						"student") != 0 ?
			  pick(r, jobs, N(jobs)) : "";
}

static void
appearance(struct world_profile *f, const struct persona *p, struct rng *r)
{
	double mean = 168.3, sd = 7.4;   /* nonbinary: midway */
	size_t i;

	for (i = 0; i < N(heights); i++)
		if (strcmp(heights[i].sex, p->gender) == 0) {
			mean = heights[i].mean;
			sd = heights[i].sd;
		}
	f->height_cm = (int)lround(mean + sd * rng_normal(r));
	f->eye_colour = pick(r, eye_colours, N(eye_colours));
}

static void
make_profile(struct world_profile *f, const struct persona *p,
	     uint64_t seed)
{
	struct rng r;
	int i, band;

	rng_seed(&r, rng_derive(seed, "world-profile", p->index, 0));
	schooling(f, p, &r);
	work(f, p, &r);
	f->birth_city = rng_below(&r, 2) ? p->city : pick(&r, cities,
							   N(cities));
	appearance(f, p, &r);
	snprintf(f->vehicle, sizeof(f->vehicle), "%u %s",
		 2008 + rng_below(&r, 17), pick(&r, cars, N(cars)));
	f->pet_kind = pick(&r, pets, N(pets));
	f->pet_name = pick(&r, pet_names, N(pet_names));
	f->diet = pick(&r, diets, N(diets));
	for (i = 0; i < WORLD_NPREFS; i++)
		if (i == WORLD_HOBBIES && !coherence_can_exercise(p))
			draw_calm(&r, f->prefs[i]);
		else
			draw_list(&r, pref_lists[i].v, pref_lists[i].n,
				  f->prefs[i]);
	for (i = 0; i < PERSONA_NTRAITS; i++) {
		band = persona_big5_band(p->big5[i].score);
		f->adjectives[i] = adjectives[i][band < 2 ? 0 : band > 2 ? 2 :
						 1];
	}
}

/* ---- the whole world ---- */

/* A community in progress on one thread. Persona i's world makes the
 * contacts of every member up to i (a name must not repeat in the
 * community), so each thread keeps where its last world stopped: the
 * members, the pool, the names taken and the contacts of the last
 * member made. The next member of the same community and run continues
 * from there instead of from the first member; anything else starts
 * over. The state after member j is the same either way, so are the
 * worlds (draws and their order do not change). */
struct progress {
	const struct persona_tables *t;
	uint64_t seed, first;
	struct world_config c;      /* canary_prefix unused */
	int valid;
	int nm;                     /* members sampled */
	int done;                   /* members whose contacts are made */
	struct persona m[WORLD_MAX_COMMUNITY];
	struct world_contact pool[POOL];
	struct names s;
	struct world w;             /* community and the last contacts */
};

static _Thread_local struct progress progress;

static int
same_run(const struct progress *g, const struct persona_tables *t,
	 uint64_t seed, uint64_t first, const struct world_config *c)
{
	return g->valid && g->t == t && g->seed == seed && g->first == first
	       && g->c.contacts_min == c->contacts_min &&
	       g->c.contacts_max == c->contacts_max &&
	       g->c.community_size == c->community_size &&
	       g->c.shared_contacts == c->shared_contacts &&
	       g->c.personas == c->personas;
}

/* Sample the community of the personas from `first` (as
 * persona_sample() draws them; own, when not NULL, at its index), take
 * their names and draw its pool. */
static void
start(struct progress *g, const struct persona_tables *t, uint64_t seed,
      uint64_t first, const struct world_config *c,
      const struct persona *own)
{
	uint64_t k;

	g->t = t;
	g->seed = seed;
	g->first = first;
	g->c = *c;
	g->nm = g->done = 0;
	g->s.n = 0;
	memset(&g->w, 0, sizeof(g->w));
	g->w.community = (int64_t)(first / (uint64_t)c->community_size);
	for (k = first; k < first + (uint64_t)c->community_size; k++) {
		if (c->personas > 0 && k >= c->personas)
			break;
		if (own != NULL && k == own->index)
			g->m[g->nm] = *own;
		else
			persona_sample(t, seed, k, &g->m[g->nm]);
		remember(&g->s, g->m[g->nm++].name);
	}
	make_pool(g->pool, t, seed, g->w.community, &g->s);
	g->valid = 1;
}

void
world_build(struct world *w, const struct persona_tables *t,
	    uint64_t run_seed, const struct persona *p,
	    const struct world_config *c)
{
	struct progress *g = &progress;
	uint64_t first = p->index - p->index % (uint64_t)c->community_size;
	int slot = (int)(p->index - first);

	if (!same_run(g, t, run_seed, first, c) || g->done > slot)
		start(g, t, run_seed, first, c, NULL);
	/* a persona other than the one sampled at its index (a caller's
	 * own): its world once, and the next starts over */
	if (slot < g->nm && memcmp(&g->m[slot], p, sizeof(*p)) != 0) {
		start(g, t, run_seed, first, c, p);
		g->valid = 0;
	}
	for (; g->done < g->nm && g->m[g->done].index <= p->index; g->done++)
		make_contacts(&g->w, &g->m[g->done], t, run_seed, c, g->pool,
			      &g->s);
	*w = g->w;
	make_canary(w, run_seed, p, c->canary_prefix);
	make_profile(&w->profile, p, run_seed);
}

const struct world_contact *
world_contact_find(const struct world *w, const char *rel)
{
	int i;

	for (i = 0; i < w->ncontacts; i++)
		if (strcmp(w->c[i].relationship, rel) == 0)
			return &w->c[i];
	return NULL;
}

static void
add_list(cJSON *o, const char *key, const char *const *v, int n)
{
	cJSON *a = json_put(o, key, cJSON_CreateArray());
	int i;

	for (i = 0; a != NULL && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateStringReference(v[i]));
}

/* Keys are literals and strings w's own or static (json_put_ref): no
 * copies, one allocation per value. */
cJSON *
world_profile_json(const struct world *w)
{
	const struct world_profile *f = &w->profile;
	cJSON *o = cJSON_CreateObject(), *pr, *pet;
	int i;

	if (o == NULL)
		return NULL;
	json_put_ref(o, "school", f->school);
	json_put_ref(o, "degree", f->degree);
	json_put_ref(o, "field", f->field);
	json_put_ref(o, "employer", f->employer);
	json_put_ref(o, "work_location", f->work_location);
	json_put_ref(o, "previous_job", f->previous_job);
	json_put_ref(o, "birth_city", f->birth_city);
	json_put(o, "height_cm", cJSON_CreateNumber(f->height_cm));
	json_put_ref(o, "eye_colour", f->eye_colour);
	add_list(o, "vehicles", (const char *const[]){ f->vehicle }, 1);
	pet = json_put(o, "pets", cJSON_CreateArray());
	if (pet != NULL && (pr = cJSON_CreateObject()) != NULL) {
		json_put_ref(pr, f->pet_kind, f->pet_name);
		cJSON_AddItemToArray(pet, pr);
	}
	json_put_ref(o, "diet", f->diet);
	pr = json_put(o, "preferences", cJSON_CreateObject());
	for (i = 0; pr != NULL && i < WORLD_NPREFS; i++)
		add_list(pr, world_pref_names[i], f->prefs[i], WORLD_LIST);
	add_list(o, "personality", f->adjectives, WORLD_NADJ);
	if (cJSON_GetObjectItem(o, "personality") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
