/* test_coherence.c - unit tests for personas/coherence: every rule of the
 * table fires on a made-up persona, fact or text that violates it and on
 * nothing else, a coherent persona passes every rule, and the helpers. */
#include <stdio.h>
#include <string.h>

#include "personas/coherence.h"
#include "tests/unit/check_tap.h"

/* A coherent persona: every case changes one thing of it. */
static struct persona
base(void)
{
	struct persona p = { .age = 45, .employment_status = "employed",
		.occupation = "Accountant", .education = "bachelor's degree",
		.marital_status = "married",
		.household = "with partner and children", .gender = "female",
		.citizenship = "U.S. citizen, born in the United States",
		.party_id = "Democrat" };

	return p;
}

static const struct coherence_fact sister = { "sibling", "Grace", "sister",
	"female" };
static const struct coherence_fact employer = { "employer", "Cedar Labs",
	NULL, NULL };

struct rcase {
	const char *rule;        /* the one rule expected to fire */
	const char *status, *occupation, *education, *marital, *household;
	const char *citizenship, *party;
	const char *urban_rural, *county, *state;
	int age;                 /* 0: keep the base age */
	struct coherence_fact fact; /* key NULL: no fact */
	const char *text;
	const char *earlier;     /* an earlier answer, or NULL */
};

#define EARLIER "I grew up in Hollow Creek, and I was born in 1970. " \
	"My sister Nora was my shadow. I have worked at Cedar Labs since " \
	"2004. I moved to Tulsa in 1999. I work as an electrician."

static const struct rcase cases[] = {
	{ "county_town", .urban_rural = "urban", .county = "Cook County",
	  .state = "Illinois",
	  .text = "I grew up in a farm town in Cook County." },
	{ "county_town", .urban_rural = "urban",
	  .county = "District of Columbia", .state = "District of Columbia",
	  .text = "A mill town in District of Columbia shaped me." },
	{ "county_town", .urban_rural = "rural",
	  .county = "District of Columbia", .state = "District of Columbia",
	  .text = "A county seat in District of Columbia shaped me." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I grew up in Fairbanks, far from here." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I was born on March 3, 1973, in a snowstorm." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "My brother Nora still calls on Sundays." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I have worked at Summit Foods since 2004." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I have worked at Cedar Labs since 2011." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I moved to Tulsa in 2005, for work." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I moved to Boise in 1999, for work." },
	{ "earlier_answer", .earlier = EARLIER,
	  .text = "I work as a plumber these days." },
	{ "no_job_employer", .status = "retired", .occupation = "Retired",
	  .age = 70, .fact = { "employer", "Cedar Labs", NULL, NULL } },
	{ "no_job_employer", .status = "student", .occupation = "Student",
	  .age = 20, .marital = "never married", .household = "with parents",
	  .fact = { "employer", "Summit Foods", NULL, NULL } },
	{ "no_job_work_text", .status = "homemaker",
	  .occupation = "Homemaker", .text = "I work as a nurse on weekends." },
	{ "no_job_work_text", .status = "student", .occupation = "Student",
	  .fact = { "occupation", "Student", NULL, NULL } },
	{ "status_as_job", .status = "retired", .occupation = "Retired",
	  .age = 70, .text = "It was deciding to become a Retired." },
	{ "status_as_job", .status = "unemployed",
	  .occupation = "Unemployed, looking for work",
	  .text = "She is an unemployed, looking for work from Ohio." },
	{ "retiree_age", .status = "retired", .occupation = "Retired",
	  .age = 35 },
	{ "doctorate_age", .education = "doctorate", .age = 23 },
	{ "relative_sex", .fact = { "sibling", "Keiko", "brother",
	  "female" } },
	{ "relative_sex", .fact = { "sibling", "Keiko", "sister", "female" },
	  .text = "My brother is called Keiko." },
	{ "widowed_spouse", .marital = "widowed", .household = "lives alone",
	  .text = "My husband and I walk every evening." },
	{ "widowed_spouse", .marital = "widowed", .household = "lives alone",
	  .fact = { "spouse", "Ana", "wife", "female" } },
	{ "household_marital", .household = "lives alone" },
	{ "household_marital", .household = "single parent" },
	{ "household_children_age", .marital = "divorced",
	  .household = "with adult children", .age = 30 },
	{ "stated_status", .text = "I am retired now and garden a lot." },
	{ "stated_status", .text = "I am divorced, and the house is quiet." },
	{ "household_phrase",
	  .text = "She spends time with the with partner and children "
		  "household." },
	{ "noncitizen_votes", .citizenship = "Not a U.S. citizen",
	  .text = "I vote in every local election." },
	{ "noncitizen_votes", .citizenship = "Not a U.S. citizen",
	  .text = "For me, my vote is my voice." },
	{ "party_text", .text = "As a Republican, I care about taxes." },
	{ "party_text", .party = "Independent",
	  .text = "I'm a Democrat at heart." },
};

static struct persona
persona_of(const struct rcase *c)
{
	struct persona p = base();

	if (c->status != NULL)
		p.employment_status = c->status;
	if (c->occupation != NULL)
		p.occupation = c->occupation;
	if (c->education != NULL)
		p.education = c->education;
	if (c->marital != NULL)
		p.marital_status = c->marital;
	if (c->household != NULL)
		p.household = c->household;
	if (c->age != 0)
		p.age = c->age;
	if (c->citizenship != NULL)
		p.citizenship = c->citizenship;
	if (c->party != NULL)
		p.party_id = c->party;
	if (c->urban_rural != NULL)
		p.urban_rural = c->urban_rural;
	if (c->county != NULL)
		p.county = c->county;
	if (c->state != NULL)
		p.state = c->state;
	return p;
}

/* Each case violates exactly its rule. */
START_TEST(each_case_fires_its_rule)
{
	const struct rcase *c = &cases[_i];
	struct persona p = persona_of(c);
	struct coherence_input in = { .p = &p, .facts = &c->fact,
				      .nfacts = c->fact.key ? 1 : 0,
				      .text = c->text, .earlier = &c->earlier,
				      .nearlier = c->earlier ? 1 : 0 };
	int counts[32] = { 0 };
	char why[256];
	size_t i;

	ck_assert_int_eq(coherence_check(&in, counts, why, sizeof(why)), 1);
	ck_assert_msg(strncmp(why, c->rule, strlen(c->rule)) == 0,
		      "case %d: want %s, got '%s'", _i, c->rule, why);
	for (i = 0; i < coherence_nrules; i++)
		ck_assert_int_eq(counts[i],
				 strcmp(coherence_rules[i].id, c->rule) == 0);
}
END_TEST

/* Every rule of the table has a case above, an id and a reason. */
START_TEST(every_rule_is_tested)
{
	size_t i, k;
	int seen;

	ck_assert_int_ge((int)coherence_nrules, 10);
	for (i = 0; i < coherence_nrules; i++) {
		ck_assert(coherence_rules[i].reason != NULL &&
			  strlen(coherence_rules[i].reason) > 10);
		for (k = 0, seen = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			seen |= strcmp(cases[k].rule,
				       coherence_rules[i].id) == 0;
		ck_assert_msg(seen, "rule %s has no case",
			      coherence_rules[i].id);
	}
}
END_TEST

/* The coherent persona, its facts and good texts pass every rule. */
START_TEST(coherent_passes)
{
	static const char *const texts[] = {
		NULL, "I work as a Accountant. My employer is Cedar Labs.",
		"My sister is called Grace.",
		"I am married, and home means living with a partner and "
		"children.", "I am employed and I am married.",
		"I vote when I can. As a Democrat, I care about schools.",
	};
	struct coherence_fact f[2] = { sister, employer };
	struct persona p = base(), w = base();
	struct coherence_input in = { .p = &p, .facts = f, .nfacts = 2 };
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		in.text = texts[i];
		ck_assert_msg(coherence_check(&in, NULL, why, sizeof(why)) == 0,
			      "%s", why);
		ck_assert_str_eq(why, "");
	}
	/* An answer that repeats the earlier ones agrees with them. */
	{
		const char *e = EARLIER;

		in.text = EARLIER " My sister Nora Hightower was born after "
			  "me.";
		in.earlier = &e;
		in.nearlier = 1;
		ck_assert_msg(coherence_check(&in, NULL, why, sizeof(why)) == 0,
			      "%s", why);
		in.earlier = NULL;
		in.nearlier = 0;
	}
	/* A widow may speak of her late husband; a retiree of 70 is fine. */
	w.marital_status = "widowed";
	w.household = "lives alone";
	w.employment_status = "retired";
	w.occupation = "Retired";
	w.age = 70;
	in = (struct coherence_input){ .p = &w, .facts = &sister, .nfacts = 1,
		.text = "My late husband loved this town. I am retired." };
	ck_assert_int_eq(coherence_check(&in, NULL, NULL, 0), 0);
	/* A non-citizen may say so and still follow elections. */
	w = base();
	w.citizenship = "Not a U.S. citizen";
	in = (struct coherence_input){ .p = &w, .text = "I am not a citizen, "
		"so I cannot cast a ballot, but local elections matter." };
	ck_assert_int_eq(coherence_check(&in, NULL, NULL, 0), 0);
	/* A rural persona grew up in a farm town of its county; an urban
	 * one in a farm town of its state. */
	w = base();
	w.urban_rural = "rural";
	w.county = "Darke County";
	w.state = "Ohio";
	in = (struct coherence_input){ .p = &w,
		.text = "I grew up in a farm town in Darke County." };
	ck_assert_int_eq(coherence_check(&in, NULL, NULL, 0), 0);
	w.urban_rural = "urban";
	w.county = "Franklin County";
	in.text = "I grew up in a farm town in Ohio, in Franklin County now.";
	ck_assert_int_eq(coherence_check(&in, NULL, NULL, 0), 0);
}
END_TEST

START_TEST(helpers)
{
	struct persona p = base();

	ck_assert_int_eq(coherence_has_job(&p), 1);
	p.employment_status = "unable to work";
	ck_assert_int_eq(coherence_has_job(&p), 0);
	ck_assert_int_eq(coherence_can_vote(&p), 1);
	p.citizenship = "U.S. citizen by naturalization";
	ck_assert_int_eq(coherence_can_vote(&p), 1);
	p.citizenship = "Not a U.S. citizen";
	ck_assert_int_eq(coherence_can_vote(&p), 0);
	p.citizenship = "not recorded";
	ck_assert_int_eq(coherence_can_vote(&p), 1);
	{
		static const struct { const char *health; int ok; } ex[] = {
			{ "in excellent health", 1 },
			{ "managing type 2 diabetes", 1 },
			{ "living with arthritis", 1 },
			{ "living with a physical disability", 0 },
			{ "living with chronic back pain", 0 },
			{ "managing heart disease", 0 },
			{ "recovering from recent surgery", 0 },
			{ NULL, 1 },
		};
		size_t i;

		for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
			p.health_status = ex[i].health;
			ck_assert_int_eq(coherence_can_exercise(&p), ex[i].ok);
		}
	}
	ck_assert_str_eq(coherence_relation_sex("brother"), "male");
	ck_assert_str_eq(coherence_relation_sex("sister"), "female");
	ck_assert_ptr_null(coherence_relation_sex("cousin"));
	ck_assert_ptr_null(coherence_relation_sex("friend"));
	ck_assert_str_eq(coherence_household_phrase("with partner"),
			 "living with a partner");
	ck_assert_str_eq(coherence_household_phrase("on a boat"),
			 "on a boat");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("coherence");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, each_case_fires_its_rule, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, every_rule_is_tested);
	tcase_add_test(tc, coherent_passes);
	tcase_add_test(tc, helpers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
