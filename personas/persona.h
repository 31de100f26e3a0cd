/* persona.h - one sampled persona, and the field table generic code uses.
 *
 * A struct persona is filled by persona_sample() (sampler.h). Its const char*
 * fields point into the loaded tables (struct persona_tables) and stay valid
 * until persona_tables_free(); the generated strings (id, name, identifiers)
 * live in the struct's own bounded arrays. Sampling allocates nothing.
 *
 * The field table persona_fields[] lists every scalar field in a fixed order
 * with a snake_case name and a getter, so the dataset writer, exports and
 * templates can iterate personas without knowing the struct.
 */
#ifndef PF_PERSONA_H
#define PF_PERSONA_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

enum persona_trait {
	PERSONA_OPENNESS,
	PERSONA_CONSCIENTIOUSNESS,
	PERSONA_EXTRAVERSION,
	PERSONA_AGREEABLENESS,
	PERSONA_NEUROTICISM,
	PERSONA_NTRAITS
};

#define PERSONA_NBANDS 5      /* very low, low, average, high, very high */
#define PERSONA_BIG5_MIN 20   /* T-scores are clipped to [MIN, MAX] */
#define PERSONA_BIG5_MAX 80
#define PERSONA_MAX_LANGUAGES 3

struct persona_big5 {
	int score;               /* T-score, PERSONA_BIG5_MIN..MAX */
	const char *band;        /* "very low" .. "very high" (static) */
	const char *description; /* prose for (trait, band), from big5.tsv */
};

struct persona {
	uint64_t index;            /* position in the run, 0-based */
	char id[24];               /* "p000042": index, at least 6 digits */
	char uuid[37];             /* v4-style uuid derived from seed+index */
	int age;                   /* years at the 2020 Census, 18..104 */
	const char *age_band;      /* "25-34", "85+": the row of age.tsv */
	const char *birth_decade;  /* "1950s": from age, picks first names */
	const char *gender;        /* female, male, nonbinary */
	const char *race_ethnicity; /* race_ethnicity.tsv (ACS B03002) */
	const char *first_name;
	const char *last_name;
	char name[128];            /* "First Last" */
	const char *region;        /* census region */
	const char *state;
	const char *urban_rural;   /* "urban" or "rural" */
	const char *city;          /* a place of urban_rural kind */
	const char *county;        /* the city's county */
	const char *education;
	const char *employment_status; /* employed, student, retired, ... */
	const char *occupation;
	const char *income_band;   /* individual annual income */
	const char *economic_status;
	const char *marital_status;
	const char *household;
	const char *language[PERSONA_MAX_LANGUAGES]; /* first one always set */
	int nlanguages;            /* 1..PERSONA_MAX_LANGUAGES */
	char languages[200];       /* language[] joined with ", " */
	char email[96];            /* first.last.NNNNNN@example.{com,org,net} */
	char phone[24];            /* "(AAA) 555-01XX", AAA of the state */
	char national_id[16];      /* "000-GG-SSSS" or "666-GG-SSSS" */
	const char *card_number;   /* a well-known test card number */
	struct persona_big5 big5[PERSONA_NTRAITS];
	const char *health_status;        /* PENGUIN user context ... */
	const char *mental_health_status;
	const char *self_harm_history;
	const char *emotional_state;      /* short phrase */
	const char *citizenship;   /* ACS B05001 status line */
	const char *party_id;      /* party identification */
};

enum persona_ftype { PERSONA_TEXT, PERSONA_INT };

struct persona_field {
	const char *name;          /* snake_case column name */
	enum persona_ftype type;
	/* Exactly one getter is set, matching type. Text getters never
	 * return NULL (absent values are ""). */
	const char *(*text)(const struct persona *);
	long (*num)(const struct persona *);
};

extern const struct persona_field persona_fields[];
extern const size_t persona_nfields;

/* Trait names in enum order: "openness", ..., "neuroticism". */
extern const char *const persona_trait_names[PERSONA_NTRAITS];

/* Band labels in order: "very low", "low", "average", "high", "very high". */
extern const char *const persona_band_names[PERSONA_NBANDS];

/* Round a raw T-score and clip it to [PERSONA_BIG5_MIN, PERSONA_BIG5_MAX].
 * NaN gives 50. */
int persona_big5_score(double t);

/* Band index (0..4) of a T-score: 20-34 very low, 35-44 low, 45-54
 * average, 55-64 high, 65-80 very high; scores outside 20..80 are clipped
 * first. */
int persona_big5_band(int score);

/* Find a field by name; NULL if there is none. */
const struct persona_field *persona_field_find(const char *name);

/* A new JSON object with every field of persona_fields (text as strings,
 * ints as numbers) plus "big5": an array of {trait, score, band,
 * description}. Returns NULL when memory runs out. The caller frees it with
 * cJSON_Delete(), before p and the tables p came from: the object holds
 * references to p's strings, not copies (base/json.h: json_put_ref). */
cJSON *persona_to_json(const struct persona *p);

#endif
