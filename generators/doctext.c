/* doctext.c - the offline text of a session (see doctext.h): the turns and
 * items are laid out here, and every phrase is a rule of
 * templates/offline/document.grammar rendered with the session's
 * variables and the next seed of its own stream. */
#include "generators/doctext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/rng.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LINE 2048
#define CONTENT_MAX 16000

struct ctx {
	struct rng r;
	const struct doctext_input *in;
	cJSON *vars;      /* the grammar's variables */
	struct buf b;     /* one rendered phrase */
	int rc;           /* -1 once a render failed */
	const struct fact *cur;   /* the fact the variables are about */
	struct pf_error *err;
};

static void
set(struct ctx *c, const char *key, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(c->vars, key);
	if (!cJSON_AddStringToObject(c->vars, key, v ? v : ""))
		c->rc = -1;
}

static void
flag(struct ctx *c, const char *key, int on)
{
	cJSON_DeleteItemFromObjectCaseSensitive(c->vars, key);
	if (!cJSON_AddBoolToObject(c->vars, key, on))
		c->rc = -1;
}

/* Append rule's expansion (prose) to out[max], with the next seed of the
 * session's stream. A failed render marks the whole text failed. */
static void
say(struct ctx *c, const char *rule, char *out, size_t max)
{
	size_t o = strlen(out);

	buf_reset(&c->b);
	if (c->rc != 0)
		return;
	if (grammar_render(c->in->g, rule, c->vars, rng_next(&c->r),
			   GRAMMAR_PROSE, &c->b, c->err) != 0) {
		c->rc = -1;
		return;
	}
	if (c->b.len == 0) {
		c->rc = pf_error_set(c->err, "rule '%s' rendered nothing",
				     rule);
		return;
	}
	snprintf(out + o, max - o, "%s%s", o > 0 ? " " : "", c->b.data);
}
#define SAY(c, rule, out) say((c), (rule), (out), sizeof(out))

/* A turn {role, act, content}; act NULL leaves it out. */
static int
add_turn(cJSON *entries, const char *role, const char *act,
	 const char *content)
{
	cJSON *t = cJSON_CreateObject();

	if (t == NULL || !cJSON_AddItemToArray(entries, t))
		return cJSON_Delete(t), -1;
	return cJSON_AddStringToObject(t, "role", role) &&
	       (act == NULL || cJSON_AddStringToObject(t, "act", act)) &&
	       cJSON_AddStringToObject(t, "content", content) ? 0 : -1;
}

/* Purchases: the grammar rule of a product's title and its three
 * category levels. */
struct product {
	const char *rule, *cat[3];
};

static const struct product filler_products[] = {
	{ "title.kitchen", { "Home & Kitchen", "Kitchen", "Cookware" } },
	{ "title.home", { "Home & Kitchen", "Bedding & Bath", "Linens" } },
	{ "title.office", { "Office Products", "Paper", "Notebooks" } },
	{ "title.tech", { "Electronics", "Accessories", "Peripherals" } },
	{ "title.health", { "Health & Household", "Personal Care",
	  "Toiletries" } },
	{ "title.garden", { "Patio, Lawn & Garden", "Gardening",
	  "Plants & Seeds" } },
};

/* The product bought with a fact, by fact key (NULL key: any). */
static const struct { const char *key, *title, *cat[3]; } fact_products[] = {
	{ "pet", "Pet supplies bundle", { "Pet Supplies", "Food & Treats",
	  "Variety Packs" } },
	{ "diet", "Pantry staples box", { "Grocery", "Pantry", "Staples" } },
	{ "vehicle", "All-season wiper blades, pair", { "Automotive",
	  "Replacement Parts", "Wipers" } },
	{ "favorite_cuisine", "Weeknight cookbook", { "Books", "Cookbooks",
	  "World Cuisine" } },
	{ "hobby", "Weekend project kit", { "Arts & Crafts", "Kits",
	  "Projects" } },
	{ "favorite_music", "Vinyl record cleaning kit", { "Electronics",
	  "Audio", "Turntable Accessories" } },
	{ "favorite_sport", "Team fan scarf", { "Sports & Outdoors",
	  "Fan Shop", "Scarves" } },
	{ "favorite_books", "Clip-on reading light", { "Books",
	  "Accessories", "Reading Lights" } },
	{ "dream_trip", "Travel guidebook", { "Books", "Travel",
	  "Guidebooks" } },
	{ "favorite_drink", "Insulated tumbler", { "Home & Kitchen",
	  "Drinkware", "Tumblers" } },
	{ NULL, "Greeting card assortment", { "Office Products", "Cards",
	  "Greeting Cards" } },
};

/* ---- composing ---- */

/* obj and poss of a relative's sex: "her", "him"/"his", else "them"/
 * "their". */
static void
pronouns(struct ctx *c, const char *sex)
{
	int f = sex != NULL && strcmp(sex, "female") == 0;
	int m = sex != NULL && strcmp(sex, "male") == 0;

	set(c, "obj", f ? "her" : m ? "him" : "them");
	set(c, "poss", f ? "her" : m ? "his" : "their");
}

/* Fact f's variables: what rule "stmt" states and a reply echoes. */
static void
focus(struct ctx *c, const struct fact *f, int why)
{
	c->cur = f;
	set(c, "sentence", f->sentence);
	set(c, "label", f->label);
	set(c, "value", f->value);
	set(c, "clue", f->clue);
	set(c, "reason", f->reason);
	set(c, "key", f->key);
	set(c, "old", f->supersedes >= 0 ?
	    c->in->fp->f[f->supersedes].value : "");
	pronouns(c, f->sex);
	flag(c, "implicit", strcmp(f->statement, "implicit") == 0);
	flag(c, "update", why && f->supersedes >= 0);
}

/* The session's facts, each stated by rule "stmt", into out[max]; with
 * why 0 an update leaves its reason out (a conversation asks for it).
 * The variables are left on the update, if any, else the last fact. */
static void
statements(struct ctx *c, char *out, size_t max, int why)
{
	const struct session *s = c->in->s;
	const struct fact *f, *upd = NULL;
	int i;

	out[0] = '\0';
	for (i = 0; i < s->nfacts; i++) {
		f = &c->in->fp->f[s->fact[i]];
		focus(c, f, why);
		say(c, "stmt", out, max);
		if (f->supersedes >= 0)
			upd = f;
	}
	if (upd != NULL)
		focus(c, upd, why);
}

static int
has_update(const struct ctx *c)
{
	int i;

	for (i = 0; i < c->in->s->nfacts; i++)
		if (c->in->fp->f[c->in->s->fact[i]].supersedes >= 0)
			return 1;
	return 0;
}

/* The family of fact keys whose reactions and requests fit (react.FAM,
 * ai.req.FAM, ai.help.FAM); keys not listed are "people". */
static const struct { const char *key, *fam; } families[] = {
	{ "home_city", "home" }, { "birth_city", "place" },
	{ "occupation", "work" }, { "employer", "work" },
	{ "previous_job", "past" }, { "school", "study" },
	{ "degree", "study" }, { "eye_colour", "looks" },
	{ "height", "looks" }, { "pet", "pet" }, { "diet", "food" },
	{ "favorite_cuisine", "food" }, { "favorite_drink", "food" },
	{ "hobby", "hobby" }, { "favorite_music", "listen" },
	{ "favorite_sport", "listen" }, { "favorite_media", "listen" },
	{ "favorite_books", "listen" }, { "dream_trip", "trip" },
	{ "vehicle", "car" },
};

/* "PREFIX.FAM" of the fact in focus into out[n]. */
static void
fam_rule(const struct ctx *c, const char *prefix, char *out, size_t n)
{
	const char *key = c->cur != NULL ? c->cur->key : "", *fam = "people";
	size_t i;

	for (i = 0; i < N(families); i++)
		if (strcmp(families[i].key, key) == 0)
			fam = families[i].fam;
	snprintf(out, n, "%s.%s", prefix, fam);
}

/* The contact's voice: a parent or anyone past 65 "elder", a child
 * "kid", a partner, a colleague, neighbour or service provider
 * "formal", family and friends under 30 "young", else "friend". */
static const char *
voice(const struct world_contact *x)
{
	const char *r = x->relationship;

	if (strcmp(r, "parent") == 0)
		return "elder";
	if (strcmp(r, "child") == 0)
		return "kid";
	if (strcmp(r, "partner") == 0)
		return "partner";
	if (strcmp(r, "colleague") == 0 || strcmp(r, "neighbour") == 0 ||
	    strcmp(r, "service provider") == 0)
		return "formal";
	return x->age >= 65 ? "elder" : x->age < 30 ? "young" : "friend";
}

/* The contact's variables: cbeing "a nurse", "retired" or "a student"
 * (never "a retired": coherence rule status_as_job), cjob, voice. */
static void
contact_vars(struct ctx *c, const struct world_contact *x)
{
	const char *j = x->job, *a = strchr("aeiou", j[0]) ? "an" : "a";
	char t[160];

	set(c, "cfirst", x->first);
	set(c, "ccity", x->city);
	set(c, "clikes", x->likes);
	set(c, "cword", x->word);
	set(c, "cjob", j);
	set(c, "csex", x->sex);
	set(c, "rel", x->relationship);
	set(c, "voice", voice(x));
	if (strcmp(j, "retired") == 0 || strcmp(j, "student") == 0) {
		set(c, "cbeing", strcmp(j, "retired") == 0 ? "retired" :
		    "a student");
	} else {
		snprintf(t, sizeof(t), "%s %s", a, j);
		set(c, "cbeing", t);
	}
}

/* One turn tagged with its dialogue act: rule rendered (or, with rule
 * NULL, text as it is). */
static void
turn(struct ctx *c, cJSON *e, const char *role, const char *act,
     const char *rule, const char *text)
{
	char t[LINE] = "";

	if (rule != NULL)
		SAY(c, rule, t);
	if (add_turn(e, role, act, rule != NULL ? t : text) != 0)
		c->rc = -1;
}

/* Split "first @@ second" in t: returns second, or NULL (rc set). */
static char *
split(struct ctx *c, char *t, const char *rule)
{
	char *sep;

	if (c->rc != 0)
		return NULL;
	if ((sep = strstr(t, " @@ ")) == NULL) {
		c->rc = pf_error_set(c->err, "rule '%s' has no \" @@ \" "
				     "between its turns", rule);
		return NULL;
	}
	*sep = '\0';
	sep += 4;
	sep[0] = (char)toupper((unsigned char)sep[0]);
	return sep;
}

/* Two turns from one render of rule ("first @@ second"), so the
 * grammar's := bindings keep both on one subject. */
static void
exchange(struct ctx *c, cJSON *e, const char *r1, const char *a1,
	 const char *r2, const char *a2, const char *rule)
{
	char t[LINE] = "", *sep;

	SAY(c, rule, t);
	if ((sep = split(c, t, rule)) == NULL)
		return;
	turn(c, e, r1, a1, NULL, t);
	turn(c, e, r2, a2, NULL, sep);
}

/* Render rule as it is (no prose capitals) into out[max]: a plan's day
 * or place, to be said inside other sentences. */
static void
word(struct ctx *c, const char *rule, char *out, size_t max)
{
	buf_reset(&c->b);
	if (c->rc == 0 && grammar_render(c->in->g, rule, c->vars,
					 rng_next(&c->r), 0, &c->b,
					 c->err) != 0)
		c->rc = -1;
	snprintf(out, max, "%s", c->rc == 0 ? c->b.data : "");
}

/* A plan: the persona proposes, the contact agrees or counters with
 * another day, which the persona takes. */
static void
plan(struct ctx *c, cJSON *e, const char *me, const char *them)
{
	char d1[LINE], d2[LINE] = "", sp[LINE];
	int k;

	word(c, "plan.spot", sp, sizeof(sp));
	set(c, "spot", sp);
	word(c, "plan.day", d1, sizeof(d1));
	for (k = 0; k < 8 && (d2[0] == '\0' || strcmp(d1, d2) == 0); k++)
		word(c, "plan.day", d2, sizeof(d2));
	set(c, "day", d1);
	set(c, "day2", strcmp(d1, d2) != 0 ? d2 : "the week after");
	turn(c, e, me, "plan", "conv.plan", NULL);
	if (rng_below(&c->r, 2) == 0) {
		turn(c, e, them, "agree", "conv.agree", NULL);
	} else {
		turn(c, e, them, "counter", "conv.counter", NULL);
		turn(c, e, me, "agree", "conv.agree_p", NULL);
	}
}

static const char *const topics[] = { "conv.topic.likes",
	"conv.topic.city", "conv.topic.work", "conv.topic.weekend",
	"conv.topic.health", "conv.topic.trip", "conv.topic.home",
	"conv.topic.garden", "conv.topic.book", "conv.topic.cooking",
	"conv.topic.shows", "conv.topic.pet", "conv.topic.party",
	"conv.topic.fitness", "conv.topic.move" };

/* The persona asks about the contact's life (a greeting and a topic),
 * the contact answers about it and asks back. */
static void
opening(struct ctx *c, cJSON *e, const char *me, const char *them)
{
	char t[LINE] = "", q[LINE] = "", *ans;
	const char *rule = topics[rng_below(&c->r, N(topics))];

	SAY(c, "greet", q);
	SAY(c, rule, t);
	if ((ans = split(c, t, rule)) == NULL)
		return;
	snprintf(q + strlen(q), sizeof(q) - strlen(q), " %.*s",
		 (int)(sizeof(q) / 2), t);
	turn(c, e, me, "question", NULL, q);
	turn(c, e, them, "answer", NULL, ans);
}

static void
conversation(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct world_contact *x = &c->in->w->c[c->in->s->contact];
	const char *me = c->in->p->first_name, *them = x->first;
	char t[LINE] = "", r[64];

	/* Two Stevens: a reader (and the speaker check) could not tell the
	 * turns apart by first name, so both speak by full name. */
	if (strcmp(me, them) == 0) {
		me = c->in->p->name;
		them = x->name;
	}
	contact_vars(c, x);
	snprintf(title, tmax, "Chat with %s", x->name);
	opening(c, e, me, them);
	if (c->in->s->nfacts > 0) {
		statements(c, t, sizeof(t), 0);
		set(c, "stmt", t);
		turn(c, e, me, "news", "conv.news", NULL);
		if (has_update(c)) {
			turn(c, e, them, "question", "conv.react_update",
			     NULL);
			turn(c, e, me, "answer", "conv.reason", NULL);
		} else {
			t[0] = '\0';
			SAY(c, "conv.react", t);
			fam_rule(c, "react", r, sizeof(r));
			SAY(c, r, t);
			turn(c, e, them, "react", NULL, t);
		}
	} else {
		exchange(c, e, me, "news", them, "react", "conv.filler");
	}
	if (rng_below(&c->r, 3) == 0)
		plan(c, e, me, them);
	if (rng_below(&c->r, 3) == 0) {   /* not every chat says goodbye */
		turn(c, e, me, "close", "conv.close_p", NULL);
		turn(c, e, them, "close", "conv.close_c", NULL);
	}
}

/* A fact chat: the user's context (the fact) and a task about it, the
 * assistant's answer to that task (and a tip that names what the user
 * named, when they named it). */
static void
ai_task(struct ctx *c, cJSON *e)
{
	char st[LINE], t[LINE] = "", u[LINE] = "", r[64], *help;

	statements(c, st, sizeof(st), 1);
	fam_rule(c, "ai.task", r, sizeof(r));
	SAY(c, r, t);
	if ((help = split(c, t, r)) == NULL)
		return;
	SAY(c, "ai.intro", u);
	snprintf(u + strlen(u), sizeof(u) - strlen(u), " %.*s %.*s",
		 (int)(sizeof(u) / 2 - 2), st, (int)(sizeof(u) / 4), t);
	turn(c, e, "user", "request", NULL, u);
	memmove(t, help, strlen(help) + 1);   /* help points into t */
	fam_rule(c, "extra", r, sizeof(r));
	if (grammar_has(c->in->g, r) &&
	    strcmp(c->cur->statement, "explicit") == 0)
		SAY(c, r, t);   /* it names what the user named */
	turn(c, e, "assistant", "answer", NULL, t);
}

static void
user_ai(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	snprintf(title, tmax, "Chat with the assistant");
	set(c, "pkind", c->in->w->profile.pet_kind);
	if (c->in->s->nfacts > 0)
		ai_task(c, e);
	else
		exchange(c, e, "user", "request", "assistant", "answer",
			 "ai.filler");
	if (c->in->s->nfacts > 0 && rng_below(&c->r, 3) == 0)
		exchange(c, e, "user", "question", "assistant", "answer",
			 "ai.follow");   /* a follow-up, now and then */
	if (rng_below(&c->r, 3) == 0) {
		turn(c, e, "user", "thanks", "ai.thanks", NULL);
		turn(c, e, "assistant", "close", "ai.welcome", NULL);
	}
}

static int
add_item(cJSON *e, const char *title, const char *brand,
	 const char *const cat[3], const char *desc)
{
	cJSON *it = cJSON_CreateObject(), *ca;

	if (it == NULL || !cJSON_AddItemToArray(e, it))
		return cJSON_Delete(it), -1;
	ca = cJSON_CreateStringArray(cat, 3);
	if (!cJSON_AddStringToObject(it, "title", title) ||
	    !cJSON_AddStringToObject(it, "description", desc) ||
	    !cJSON_AddStringToObject(it, "brand", brand) || ca == NULL ||
	    !cJSON_AddItemToObject(it, "categories", ca))
		return cJSON_Delete(ca), -1;
	return 0;
}

/* The fact's item (its own product, the statement as a buyer's note). */
static void
fact_item(struct ctx *c, cJSON *e)
{
	const struct fact *f = &c->in->fp->f[c->in->s->fact[0]];
	char st[LINE], note[LINE] = "", brand[160] = "";
	size_t i;

	for (i = 0; fact_products[i].key != NULL; i++)
		if (strcmp(fact_products[i].key, f->key) == 0)
			break;
	char gift[160] = "";

	statements(c, st, sizeof(st), 1);
	set(c, "stmt", st);
	SAY(c, "note.fact", note);
	SAY(c, "brand.any", brand);
	if (fact_products[i].key == NULL)   /* any fact: a gift */
		SAY(c, "title.gift", gift);
	if (add_item(e, gift[0] ? gift : fact_products[i].title, brand,
		     fact_products[i].cat, note) != 0)
		c->rc = -1;
}

static void
purchase(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct product *p;
	char d[11], t[LINE], brand[160], note[LINE];
	int i, n;

	facts_day_iso(c->in->s->day, d);
	snprintf(title, tmax, "Order placed %s", d);
	if (c->in->s->nfacts > 0)
		fact_item(c, e);
	n = 1 + (int)rng_below(&c->r, 3);
	for (i = 0; i < n; i++) {
		p = &filler_products[rng_below(&c->r, N(filler_products))];
		t[0] = brand[0] = note[0] = '\0';
		SAY(c, p->rule, t);
		SAY(c, "brand.any", brand);
		SAY(c, "item.note", note);
		if (add_item(e, t, brand, p->cat, note) != 0)
			c->rc = -1;
	}
}

/* ---- emails, calendar events, notes and search history ---- */

/* A new object appended to the entries, or NULL (rc set). */
static cJSON *
entry(struct ctx *c, cJSON *e)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !cJSON_AddItemToArray(e, o)) {
		cJSON_Delete(o);
		c->rc = -1;
		return NULL;
	}
	return o;
}

static void
field(struct ctx *c, cJSON *o, const char *key, const char *v)
{
	if (o == NULL || !cJSON_AddStringToObject(o, key, v))
		c->rc = -1;
}

/* names[0..n) as array key of o. */
static void
names(struct ctx *c, cJSON *o, const char *key, const char *const *v,
      int n)
{
	cJSON *a = cJSON_CreateStringArray(v, n);

	if (o == NULL || a == NULL || !cJSON_AddItemToObject(o, key, a)) {
		cJSON_Delete(a);
		c->rc = -1;
	}
}

/* A two-part rule ("first @@ second") into a[amax] and b[bmax]. */
static void
two(struct ctx *c, const char *rule, char *a, size_t amax, char *b,
    size_t bmax)
{
	char t[LINE] = "", *sep;

	SAY(c, rule, t);
	if ((sep = split(c, t, rule)) == NULL)
		return;
	snprintf(a, amax, "%s", t);
	snprintf(b, bmax, "%s", sep);
}

/* An email from the persona to a contact: a subject, a body that greets
 * the contact and tells the fact (or filler news), a sign-off. */
static void
email(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct world_contact *x = &c->in->w->c[c->in->s->contact];
	const char *to[1] = { x->name };
	char sub[LINE] = "", body[LINE] = "", st[LINE], so[LINE] = "";
	char hi[LINE] = "", r[64];
	cJSON *o;

	contact_vars(c, x);
	SAY(c, "mail.hi", hi);
	if (c->in->s->nfacts > 0) {
		statements(c, st, sizeof(st), 1);
		set(c, "stmt", st);
		fam_rule(c, "mail.subject", r, sizeof(r));
		SAY(c, r, sub);
		SAY(c, "mail.body", body);
	} else {
		two(c, "mail.filler", sub, sizeof(sub), st, sizeof(st));
		set(c, "news", st);
		SAY(c, "mail.body_filler", body);
	}
	SAY(c, "mail.signoff", so);
	snprintf(st, sizeof(st), "%s\n\n%s", hi, body);
	o = entry(c, e);
	field(c, o, "from", c->in->p->email);
	names(c, o, "to", to, 1);
	field(c, o, "subject", sub);
	field(c, o, "body", st);
	field(c, o, "sign_off", so);
	snprintf(title, tmax, "%s", sub);
}

/* "YYYY-MM-DDTHH:MM:00" of the session's day at minute m. */
static void
at(const struct ctx *c, int m, char out[20])
{
	struct session s = *c->in->s;

	s.day += m / 1440;
	s.minute = m % 1440;
	session_timestamp(&s, out);
}

/* One calendar event from minute start lasting len minutes ("the
 * library", not the capital a split gave it). */
static void
event(struct ctx *c, cJSON *e, const char *name, char *place,
      int start, int len, int with, const char *notes)
{
	const char *who[2] = { c->in->p->name, NULL };
	char from[20], to[20];
	cJSON *o = entry(c, e);

	if (strncmp(place, "The ", 4) == 0 || strncmp(place, "My ", 3) == 0)
		place[0] = (char)tolower((unsigned char)place[0]);
	if (with && c->in->s->contact >= 0)
		who[1] = c->in->w->c[c->in->s->contact].name;
	at(c, start, from);
	at(c, start + len, to);
	field(c, o, "title", name);
	field(c, o, "start", from);
	field(c, o, "end", to);
	field(c, o, "place", place);
	names(c, o, "attendees", who, who[1] != NULL ? 2 : 1);
	if (notes != NULL)
		field(c, o, "notes", notes);
}

/* A day of the calendar: the fact's event with the contact (its notes
 * state the fact) and one or two other entries of the day. */
static void
calendar(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char name[LINE] = "", place[LINE] = "", st[LINE], d[11], r[64];
	int m = c->in->s->minute, i, n = 1 + (int)rng_below(&c->r, 2);

	facts_day_iso(c->in->s->day, d);
	snprintf(title, tmax, "Calendar, %s", d);
	if (c->in->s->contact >= 0)
		contact_vars(c, &c->in->w->c[c->in->s->contact]);
	for (i = 0; i < n; i++) {   /* the day's other entries, earlier */
		two(c, "cal.filler", name, sizeof(name), place,
		    sizeof(place));
		event(c, e, name, place, m - 60 * (n - i) - 90, 45, 0, NULL);
	}
	if (c->in->s->nfacts > 0) {
		statements(c, st, sizeof(st), 1);
		fam_rule(c, "cal.event", r, sizeof(r));
		two(c, r, name, sizeof(name), place, sizeof(place));
		event(c, e, name, place, m, 60 + 30 * (int)rng_below(&c->r,
			3), 1, st);
	} else {
		two(c, "cal.social", name, sizeof(name), place,
		    sizeof(place));
		event(c, e, name, place, m, 90, 1, NULL);
	}
}

/* A note to self: a title and free text. */
static void
note(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char name[LINE] = "", text[LINE] = "", st[LINE];
	cJSON *o;

	if (c->in->s->nfacts > 0) {
		statements(c, st, sizeof(st), 1);
		set(c, "stmt", st);
		SAY(c, "note.title", name);
		SAY(c, "note.text", text);
	} else {
		two(c, "note.filler", name, sizeof(name), text,
		    sizeof(text));
	}
	o = entry(c, e);
	field(c, o, "title", name);
	field(c, o, "text", text);
	snprintf(title, tmax, "%s", name);
}

/* A search query at minute m of the session's day. */
static void
query(struct ctx *c, cJSON *e, const char *q, int m)
{
	char ts[20];
	cJSON *o = entry(c, e);

	at(c, m, ts);
	field(c, o, "query", q);
	field(c, o, "timestamp", ts);
}

/* Search history: a few short queries minutes apart, one of which types
 * the fact's value (or, when the planner found no fact a query can
 * state, the fact's own words). */
static void
search(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char q[LINE], r[64], d[11];
	int m = c->in->s->minute, i, n = 2 + (int)rng_below(&c->r, 3);
	int at_fact = (int)rng_below(&c->r, (uint32_t)n + 1);

	facts_day_iso(c->in->s->day, d);
	snprintf(title, tmax, "Searches, %s", d);
	for (i = 0; i <= n; i++, m += 1 + (int)rng_below(&c->r, 9)) {
		q[0] = '\0';
		if (i == at_fact && c->in->s->nfacts > 0) {
			statements(c, q, sizeof(q), 0);
			q[0] = '\0';
			fam_rule(c, "search.q", r, sizeof(r));
			SAY(c, strcmp(c->cur->statement, "explicit") == 0 &&
			    grammar_has(c->in->g, r) ? r : "search.said", q);
		} else {
			SAY(c, "search.filler", q);
		}
		if (q[0] != '\0')
			q[0] = (char)tolower((unsigned char)q[0]);
		query(c, e, q, m);
	}
}

/* The content of an email, calendar, note or search history. */
static int
render_doc(const struct ctx *c, const cJSON *e, struct buf *b)
{
	const cJSON *it = cJSON_GetArrayItem(e, 0), *a;
	const char *t = c->in->s->type;
	int rc = 0;

#define S(o, k) json_get_str((o), (k), "")
	if (strcmp(t, "email") == 0 && it != NULL)
		return buf_printf(b, "From: %s\nTo: %s\nSubject: %s\n\n%s\n\n%s",
				  S(it, "from"), cJSON_GetArrayItem(
				  cJSON_GetObjectItem(it, "to"), 0)
				  ->valuestring, S(it, "subject"),
				  S(it, "body"), S(it, "sign_off"));
	if (strcmp(t, "note") == 0 && it != NULL)
		return buf_printf(b, "%s\n\n%s", S(it, "title"),
				  S(it, "text"));
	cJSON_ArrayForEach(it, e) {
		if (strcmp(t, "search") == 0) {
			rc |= buf_printf(b, "%s%.10s %.5s  %s", b->len ?
					 "\n" : "", S(it, "timestamp"),
					 S(it, "timestamp") + 11, S(it, "query"));
			continue;
		}
		rc |= buf_printf(b, "%s%.10s %.5s to %.5s  %s @ %s",
				 b->len ? "\n" : "", S(it, "start"),
				 S(it, "start") + 11, S(it, "end") + 11,
				 S(it, "title"), S(it, "place"));
		a = cJSON_GetObjectItem(it, "attendees");
		if (cJSON_GetArraySize(a) > 1)
			rc |= buf_printf(b, " (with %s)",
					 cJSON_GetArrayItem(a, 1)->valuestring);
		if (cJSON_GetObjectItem(it, "notes") != NULL)
			rc |= buf_printf(b, "\n  Notes: %s", S(it, "notes"));
	}
#undef S
	return rc;
}

/* The content the entries read as: "role: content" lines, or an order
 * history for purchase items. */
static int
render(const struct ctx *c, const cJSON *e, struct buf *b)
{
	const cJSON *it, *cat;
	int rc = 0;

	if (strcmp(c->in->s->type, "email") == 0 ||
	    strcmp(c->in->s->type, "calendar") == 0 ||
	    strcmp(c->in->s->type, "note") == 0 ||
	    strcmp(c->in->s->type, "search") == 0)
		return render_doc(c, e, b);
	if (strcmp(c->in->s->type, "purchase") == 0) {
		char d[11];

		facts_day_iso(c->in->s->day, d);
		rc |= buf_printf(b, "Order placed %s", d);
	}
	cJSON_ArrayForEach(it, e) {
		cat = cJSON_GetObjectItem(it, "categories");
		if (cat != NULL)   /* the categories stay in the entries */
			rc |= buf_printf(b, "\n- %s (%s): %s",
				cJSON_GetObjectItem(it, "title")->valuestring,
				cJSON_GetObjectItem(it, "brand")->valuestring,
				cJSON_GetObjectItem(it, "description")
				->valuestring);
		else
			rc |= buf_printf(b, "%s%c%s: %s", b->len ? "\n" : "",
				toupper((unsigned char)cJSON_GetObjectItem(it,
					"role")->valuestring[0]),
				cJSON_GetObjectItem(it, "role")->valuestring + 1,
				cJSON_GetObjectItem(it, "content")
				->valuestring);
	}
	return rc;
}

cJSON *
doctext_compose(const struct doctext_input *in, struct pf_error *err)
{
	struct ctx c = { .in = in, .vars = cJSON_CreateObject(), .err = err };
	cJSON *reply = cJSON_CreateObject(), *e;
	char title[256];
	struct buf b;

	rng_seed(&c.r, rng_derive(in->seed, "doctext", in->p->index,
				  (uint64_t)in->idx));
	buf_init(&c.b, CONTENT_MAX);
	set(&c, "pfirst", in->p->first_name);
	e = cJSON_AddArrayToObject(reply, "entries");
	if (e == NULL || c.vars == NULL)
		c.rc = -1;
	else if (strcmp(in->s->type, "conversation") == 0 &&
		 in->s->contact >= 0)
		conversation(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "user_ai") == 0)
		user_ai(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "purchase") == 0)
		purchase(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "email") == 0 && in->s->contact >= 0)
		email(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "calendar") == 0)
		calendar(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "note") == 0)
		note(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "search") == 0)
		search(&c, e, title, sizeof(title));
	else
		c.rc = pf_error_set(err, "no offline text for document "
				    "type '%s'", in->s->type);
	buf_init(&b, CONTENT_MAX);
	if (c.rc == 0)
		c.rc = render(&c, e, &b);
	if (c.rc == 0 && (!cJSON_AddStringToObject(reply, "title", title) ||
	    !cJSON_AddStringToObject(reply, "content", b.data)))
		c.rc = pf_error_set(err, "out of memory");
	if (c.rc != 0) {
		cJSON_Delete(reply);
		reply = NULL;
	}
	buf_free(&b);
	buf_free(&c.b);
	cJSON_Delete(c.vars);
	return reply;
}
