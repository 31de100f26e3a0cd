/* world.h - a small world around each persona (PersonaBench's social
 * graph and profile): its community, its canary, 5-15 contacts and a
 * profile of basic attributes, 5-item preference lists and personality
 * adjectives.
 *
 * Personas are grouped into communities of `community_size` by index
 * (persona i is in community i / size, PersonaBench's graphs have 10
 * people). Each contact has a name drawn like a persona name (by sex and
 * birth decade, personas/sampler.h), an age that fits the relationship
 * (a parent is 20-40 years older), a relationship (sister, brother,
 * parent, child, partner, cousin, friend, colleague, neighbour, service
 * provider), the word the persona calls them by (mother, husband, ...;
 * it always agrees with the contact's sex, personas/coherence.h), a
 * one-line description and a job, a city and a liking of their own.
 * Friends, neighbours and service providers may come from a pool the
 * whole community shares (`shared_contacts` is the share drawn from
 * it): such a contact has the same shared_id, name and facts in every
 * member's world. Full names are unique within a community: a contact never has
 * the name of a member or of another of the persona's contacts.
 *
 * The world is a pure function of (tables, run seed, persona, config),
 * like the persona itself, so a resumed or sharded build plans the same.
 * Nothing here allocates; strings point into static tables, the persona
 * tables or the struct's own arrays. Each thread keeps the community it
 * built last (world.c: struct progress), so that the next member's world
 * continues it: build a community's members in index order on a thread
 * and each world costs one member's contacts, not all before it.
 */
#ifndef PF_WORLD_H
#define PF_WORLD_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "personas/persona.h"
#include "personas/sampler.h"

#define WORLD_MAX_CONTACTS 16
#define WORLD_LIST 5            /* items of a preference list */
#define WORLD_NADJ 5            /* personality adjectives */
#define WORLD_CANARY_MAX 96
#define WORLD_MAX_COMMUNITY 10  /* PersonaBench's communities: up to 10 */

/* The world's settings, $.stages.world (generators/config.h). */
struct world_config {
	int contacts_min, contacts_max;   /* per persona, 1..16 */
	int community_size;               /* personas per community */
	double shared_contacts;           /* share from the community pool */
	const char *canary_prefix;        /* "PFCANARY-" */
	uint64_t personas;                /* in the run: members past it are
					   * not sampled; 0: no limit */
};

struct world_contact {
	char id[40];              /* "p000042-c3" */
	char shared_id[24];       /* the pool's "k000004-s2", or "" */
	char name[96];            /* "First Last" */
	const char *first;
	const char *sex;          /* "female" or "male" */
	int age;
	const char *relationship; /* "parent", "friend", ... */
	const char *word;         /* what the persona calls them: "mother" */
	const char *job;          /* their own facts */
	const char *city;
	const char *likes;
	char description[192];    /* one line, PersonaBench's edge text */
	int shared;               /* from the community pool */
};

/* The profile's preference lists, in this order (world_pref_names). */
enum world_pref {
	WORLD_MEDIA, WORLD_SPORTS, WORLD_DRINKS, WORLD_CUISINE, WORLD_BOOKS,
	WORLD_PLACES, WORLD_HOBBIES, WORLD_MUSIC, WORLD_NPREFS
};
extern const char *const world_pref_names[WORLD_NPREFS];

struct world_profile {
	char school[96];          /* the last school attended */
	const char *degree;       /* "bachelor's degree" or "" */
	const char *field;        /* field of study, "" without a degree */
	char employer[64];        /* "" without a job */
	const char *work_location;   /* "" without a job */
	const char *previous_job; /* "" when none */
	const char *birth_city;
	int height_cm;
	const char *eye_colour;
	char vehicle[64];         /* "2019 Honda Civic" */
	const char *pet_kind;     /* "dog" */
	const char *pet_name;     /* "Biscuit" */
	const char *diet;
	const char *prefs[WORLD_NPREFS][WORLD_LIST];
	const char *adjectives[WORLD_NADJ];
};

struct world {
	int64_t community;
	char canary[WORLD_CANARY_MAX];
	int ncontacts;
	struct world_contact c[WORLD_MAX_CONTACTS];
	struct world_profile profile;
};

/* The default settings. */
void world_config_default(struct world_config *c);

/* Build persona p's world (p sampled from t with run_seed). Never fails:
 * counts are clamped to WORLD_MAX_CONTACTS and the canary to
 * WORLD_CANARY_MAX - 1 bytes. */
void world_build(struct world *w, const struct persona_tables *t,
		 uint64_t run_seed, const struct persona *p,
		 const struct world_config *c);

/* The world's profile as a new JSON object (NULL when memory runs out);
 * the caller frees it with cJSON_Delete(), before w: the object refers
 * to w's strings, it does not copy them. */
cJSON *world_profile_json(const struct world *w);

/* The first contact whose relationship is rel, or NULL. */
const struct world_contact *world_contact_find(const struct world *w,
					       const char *rel);

#endif
