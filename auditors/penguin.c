/* penguin.c - the PENGUIN attributes and domains (see penguin.h). */
#include "auditors/penguin.h"

#include <stdio.h>
#include <string.h>

const char *const penguin_attr_names[PENGUIN_NATTRS] = {
	[PENGUIN_AGE] = "age",
	[PENGUIN_GENDER] = "gender",
	[PENGUIN_MARITAL_STATUS] = "marital_status",
	[PENGUIN_PROFESSION] = "profession",
	[PENGUIN_ECONOMIC_STATUS] = "economic_status",
	[PENGUIN_HEALTH_STATUS] = "health_status",
	[PENGUIN_EDUCATION_LEVEL] = "education_level",
	[PENGUIN_MENTAL_HEALTH_STATUS] = "mental_health_status",
	[PENGUIN_PAST_SELF_HARM_HISTORY] = "past_self_harm_history",
	[PENGUIN_EMOTIONAL_STATE] = "emotional_state",
};

const char *const penguin_attr_titles[PENGUIN_NATTRS] = {
	[PENGUIN_AGE] = "Age",
	[PENGUIN_GENDER] = "Gender",
	[PENGUIN_MARITAL_STATUS] = "Marital Status",
	[PENGUIN_PROFESSION] = "Profession",
	[PENGUIN_ECONOMIC_STATUS] = "Economic Status",
	[PENGUIN_HEALTH_STATUS] = "Health Status",
	[PENGUIN_EDUCATION_LEVEL] = "Education Level",
	[PENGUIN_MENTAL_HEALTH_STATUS] = "Mental Health Status",
	[PENGUIN_PAST_SELF_HARM_HISTORY] = "Past Self-Harm History",
	[PENGUIN_EMOTIONAL_STATE] = "Emotional State",
};

/* personaforge's persona columns (personas/persona.h) where they differ
 * from the HF name; NULL where the column has the HF name. */
static const char *const persona_columns[PENGUIN_NATTRS] = {
	[PENGUIN_PROFESSION] = "occupation",
	[PENGUIN_EDUCATION_LEVEL] = "education",
	[PENGUIN_PAST_SELF_HARM_HISTORY] = "self_harm_history",
};

const struct penguin_domain penguin_domains[PENGUIN_NDOMAINS] = {
	{ "Relationship Crisis", "relationship_crisis",
	  { "Romantic", "Family" } },
	{ "Career Crisis", "career_crisis",
	  { "Employment Issues", "Business Issues" } },
	{ "Financial Crisis", "financial_crisis",
	  { "Investment Issues", "Debt Issues" } },
	{ "Social Crisis", "social_crisis",
	  { "Professional Social Issues", "Personal Social Issues" } },
	{ "Health Crisis", "health_crisis",
	  { "Physical Health", "Mental Health" } },
	{ "Life Transition", "life_transition",
	  { "Location Changes", "Identity Changes" } },
	{ "Education/Academic Crisis", "education_academic_crisis",
	  { "Academic Performance", "Educational Environment" } },
};

int
penguin_attr_find(const char *name)
{
	int a;

	for (a = 0; name != NULL && a < PENGUIN_NATTRS; a++)
		if (strcmp(name, penguin_attr_names[a]) == 0 ||
		    strcmp(name, penguin_attr_titles[a]) == 0 ||
		    (persona_columns[a] != NULL &&
		     strcmp(name, persona_columns[a]) == 0))
			return a;
	return -1;
}

int
penguin_domain_find(const char *name)
{
	int d;

	for (d = 0; name != NULL && d < PENGUIN_NDOMAINS; d++)
		if (strcmp(name, penguin_domains[d].name) == 0 ||
		    strcmp(name, penguin_domains[d].slug) == 0)
			return d;
	return -1;
}

int
penguin_sub_find(int d, const char *name)
{
	int s;

	if (d < 0 || d >= PENGUIN_NDOMAINS || name == NULL)
		return -1;
	for (s = 0; s < PENGUIN_NSUB; s++)
		if (strcmp(name, penguin_domains[d].sub[s]) == 0)
			return s;
	return -1;
}

/* Copy v into out when it is a non-empty string or a number; returns
 * whether it did. */
static int
take(const cJSON *v, char *out)
{
	size_t n;

	if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
		/* as snprintf "%s" would: cut at a byte */
		n = strlen(v->valuestring);
		n = n < PENGUIN_MAX_VALUE - 1 ? n : PENGUIN_MAX_VALUE - 1;
		memcpy(out, v->valuestring, n);
		out[n] = '\0';
		return 1;
	}
	if (cJSON_IsNumber(v)) {
		snprintf(out, PENGUIN_MAX_VALUE, "%.0f", v->valuedouble);
		return 1;
	}
	return 0;
}

/* The names attribute a may go by, in the order they are tried: the HF
 * name, the authors' title, personaforge's column (NULL: none). */
static const char *
key_of(int a, int k)
{
	return k == 0 ? penguin_attr_names[a] : k == 1 ?
	       penguin_attr_titles[a] : persona_columns[a];
}

/* Into item[a][k] the first member of obj named key_of(a, k), as
 * cJSON_GetObjectItemCaseSensitive finds it, in one pass over obj: the
 * names are chained by first byte, so most members are passed over at
 * one look. */
static void
find_keys(const cJSON *obj, const cJSON *item[PENGUIN_NATTRS][3])
{
	signed char head[256], next[PENGUIN_NATTRS * 3];
	const char *key;
	const cJSON *c;
	int a, k, i;

	memset(item, 0, sizeof(*item) * PENGUIN_NATTRS);
	memset(head, -1, sizeof(head));
	for (i = 0; i < PENGUIN_NATTRS * 3; i++)
		if ((key = key_of(i / 3, i % 3)) != NULL) {
			next[i] = head[(unsigned char)key[0]];
			head[(unsigned char)key[0]] = (signed char)i;
		}
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string == NULL)
			continue;
		for (i = head[(unsigned char)c->string[0]]; i >= 0;
		     i = next[i]) {
			a = i / 3;
			k = i % 3;
			if (item[a][k] == NULL &&
			    strcmp(key_of(a, k), c->string) == 0)
				item[a][k] = c;
		}
	}
}

void
penguin_profile_from_json(const cJSON *obj, struct penguin_profile *out)
{
	const cJSON *item[PENGUIN_NATTRS][3];
	int a, k, ok;

	if (cJSON_IsObject(obj))
		find_keys(obj, item);
	for (a = 0; a < PENGUIN_NATTRS; a++) {
		ok = 0;
		for (k = 0; k < 3 && !ok && cJSON_IsObject(obj); k++)
			ok = take(item[a][k], out->value[a]);
		if (!ok)
			strcpy(out->value[a], PENGUIN_NOT_SPECIFIED);
	}
}

int
penguin_specified(const struct penguin_profile *p, enum penguin_attr a)
{
	return strcmp(p->value[a], PENGUIN_NOT_SPECIFIED) != 0;
}
