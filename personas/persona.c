/* persona.c - the persona field table, Big Five bands and JSON (persona.h). */
#include "personas/persona.h"

#include <math.h>
#include <string.h>

#include "base/json.h"

const char *const persona_trait_names[PERSONA_NTRAITS] = {
	"openness", "conscientiousness", "extraversion", "agreeableness",
	"neuroticism",
};

const char *const persona_band_names[PERSONA_NBANDS] = {
	"very low", "low", "average", "high", "very high",
};

int
persona_big5_score(double t)
{
	if (isnan(t))
		return 50;
	t = round(t);
	if (t < PERSONA_BIG5_MIN)
		return PERSONA_BIG5_MIN;
	if (t > PERSONA_BIG5_MAX)
		return PERSONA_BIG5_MAX;
	return (int)t;
}

int
persona_big5_band(int score)
{
	/* Lowest score of bands 1..4; band 0 starts at PERSONA_BIG5_MIN. */
	static const int lo[PERSONA_NBANDS - 1] = { 35, 45, 55, 65 };
	int b = 0;

	while (b < PERSONA_NBANDS - 1 && score >= lo[b])
		b++;
	return b;
}

/* Getters. Text getters map NULL to "" so consumers never see NULL. */
#define STR(x) ((x) != NULL ? (x) : "")
#define TEXT_FIELD(fn, expr) \
	static const char *get_##fn(const struct persona *p) \
	{ return STR(expr); }
#define TEXT_ARRAY(fn) \
	static const char *get_##fn(const struct persona *p) \
	{ return p->fn; }
#define BIG5_FIELDS(fn, trait) \
	static long get_##fn(const struct persona *p) \
	{ return p->big5[trait].score; } \
	static const char *get_##fn##_band(const struct persona *p) \
	{ return STR(p->big5[trait].band); }

TEXT_ARRAY(id)
TEXT_ARRAY(uuid)
TEXT_ARRAY(name)
TEXT_FIELD(first_name, p->first_name)
TEXT_FIELD(last_name, p->last_name)
TEXT_FIELD(gender, p->gender)
TEXT_FIELD(birth_decade, p->birth_decade)
TEXT_FIELD(race_ethnicity, p->race_ethnicity)
TEXT_FIELD(urban_rural, p->urban_rural)
TEXT_FIELD(county, p->county)
TEXT_FIELD(region, p->region)
TEXT_FIELD(state, p->state)
TEXT_FIELD(city, p->city)
TEXT_FIELD(education, p->education)
TEXT_FIELD(employment_status, p->employment_status)
TEXT_FIELD(occupation, p->occupation)
TEXT_FIELD(income_band, p->income_band)
TEXT_FIELD(economic_status, p->economic_status)
TEXT_FIELD(marital_status, p->marital_status)
TEXT_FIELD(household, p->household)
TEXT_ARRAY(languages)
TEXT_ARRAY(email)
TEXT_ARRAY(phone)
TEXT_ARRAY(national_id)
TEXT_FIELD(card_number, p->card_number)
BIG5_FIELDS(big5_openness, PERSONA_OPENNESS)
BIG5_FIELDS(big5_conscientiousness, PERSONA_CONSCIENTIOUSNESS)
BIG5_FIELDS(big5_extraversion, PERSONA_EXTRAVERSION)
BIG5_FIELDS(big5_agreeableness, PERSONA_AGREEABLENESS)
BIG5_FIELDS(big5_neuroticism, PERSONA_NEUROTICISM)
TEXT_FIELD(health_status, p->health_status)
TEXT_FIELD(mental_health_status, p->mental_health_status)
TEXT_FIELD(self_harm_history, p->self_harm_history)
TEXT_FIELD(emotional_state, p->emotional_state)
TEXT_FIELD(citizenship, p->citizenship)
TEXT_FIELD(party_id, p->party_id)

/* The only plain int field. */
static long
get_age(const struct persona *p)
{
	return p->age;
}

#define T(fn) { #fn, PERSONA_TEXT, get_##fn, NULL }
#define I(fn) { #fn, PERSONA_INT, NULL, get_##fn }
#define B(fn) I(fn), T(fn##_band)

const struct persona_field persona_fields[] = {
	T(id), T(uuid), T(name), T(first_name), T(last_name), I(age),
	T(birth_decade), T(gender), T(race_ethnicity), T(region), T(state),
	T(urban_rural), T(county), T(city), T(education),
	T(employment_status), T(occupation), T(income_band),
	T(economic_status), T(marital_status), T(household), T(languages),
	T(email), T(phone), T(national_id), T(card_number),
	B(big5_openness), B(big5_conscientiousness), B(big5_extraversion),
	B(big5_agreeableness), B(big5_neuroticism),
	T(health_status), T(mental_health_status), T(self_harm_history),
	T(emotional_state), T(citizenship), T(party_id),
};

const size_t persona_nfields = sizeof(persona_fields) /
	sizeof(persona_fields[0]);

const struct persona_field *
persona_field_find(const char *name)
{
	size_t i;

	for (i = 0; i < persona_nfields; i++)
		if (strcmp(persona_fields[i].name, name) == 0)
			return &persona_fields[i];
	return NULL;
}

/* Append {trait, score, band, description} for each trait to a new "big5"
 * array in `obj`. Returns 0, or -1 when memory ran out. */
static int
add_big5(cJSON *obj, const struct persona *p)
{
	cJSON *arr, *o;
	int i;

	arr = json_put(obj, "big5", cJSON_CreateArray());
	if (arr == NULL)
		return -1;
	for (i = 0; i < PERSONA_NTRAITS; i++) {
		o = cJSON_CreateObject();
		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			return -1;
		}
		if (!json_put_ref(o, "trait", persona_trait_names[i]) ||
		    !json_put(o, "score", cJSON_CreateNumber(p->big5[i].score))
		    || !json_put_ref(o, "band", STR(p->big5[i].band)) ||
		    !json_put_ref(o, "description",
				  STR(p->big5[i].description)))
			return -1;
	}
	return 0;
}

/* The keys are persona_fields' names and the strings p's own or its
 * tables' (json_put_ref): nothing is copied. */
cJSON *
persona_to_json(const struct persona *p)
{
	const struct persona_field *f;
	cJSON *obj = cJSON_CreateObject(), *v;
	size_t i;

	if (obj == NULL)
		return NULL;
	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		if (f->type == PERSONA_INT)
			v = json_put(obj, f->name,
				     cJSON_CreateNumber((double)f->num(p)));
		else
			v = json_put_ref(obj, f->name, f->text(p));
		if (v == NULL)
			goto fail;
	}
	if (add_big5(obj, p) != 0)
		goto fail;
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}
