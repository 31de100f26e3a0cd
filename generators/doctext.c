/* doctext.c - the offline text of a session (see doctext.h): the turns and
 * items are laid out here, and every phrase is a rule of
 * templates/offline/document.grammar rendered with the session's
 * variables and the next seed of its own stream. */
#include "generators/doctext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
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

static int
add_turn(cJSON *entries, const char *role, const char *content)
{
	cJSON *t = cJSON_CreateObject();

	if (t == NULL || !cJSON_AddItemToArray(entries, t))
		return cJSON_Delete(t), -1;
	return cJSON_AddStringToObject(t, "role", role) &&
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

/* The session's facts, each stated by rule "stmt", into out[max]. */
static void
statements(struct ctx *c, char *out, size_t max)
{
	const struct session *s = c->in->s;
	const struct fact *f;
	int i;

	out[0] = '\0';
	for (i = 0; i < s->nfacts; i++) {
		f = &c->in->fp->f[s->fact[i]];
		set(c, "sentence", f->sentence);
		set(c, "label", f->label);
		set(c, "value", f->value);
		set(c, "clue", f->clue);
		set(c, "reason", f->reason);
		flag(c, "implicit", strcmp(f->statement, "implicit") == 0);
		flag(c, "update", f->supersedes >= 0);
		say(c, "stmt", out, max);
	}
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

/* The contact's reply rule, by relationship: their own voice. */
static const char *
voice(const struct world_contact *x)
{
	const char *r = x->relationship;

	if (strcmp(r, "parent") == 0)
		return "conv.reply.family";
	if (strcmp(r, "child") == 0)
		return "conv.reply.child";
	if (strcmp(r, "partner") == 0)
		return "conv.reply.partner";
	if (strcmp(r, "colleague") == 0 || strcmp(r, "neighbour") == 0 ||
	    strcmp(r, "service provider") == 0)
		return "conv.reply.formal";
	return "conv.reply.friend";
}

/* The contact's variables: cbeing "a nurse", "retired" or "a student"
 * (never "a retired": coherence rule status_as_job), cdoing. */
static void
contact_vars(struct ctx *c, const struct world_contact *x)
{
	const char *j = x->job, *a = strchr("aeiou", j[0]) ? "an" : "a";
	char t[160];

	set(c, "cfirst", x->first);
	set(c, "ccity", x->city);
	set(c, "clikes", x->likes);
	set(c, "cword", x->word);
	if (strcmp(j, "retired") == 0) {
		set(c, "cbeing", "retired");
		set(c, "cdoing", "retirement");
	} else if (strcmp(j, "student") == 0) {
		set(c, "cbeing", "a student");
		set(c, "cdoing", "school");
	} else {
		snprintf(t, sizeof(t), "%s %s", a, j);
		set(c, "cbeing", t);
		snprintf(t, sizeof(t), "being %s %s", a, j);
		set(c, "cdoing", t);
	}
}

/* One turn: rule rendered (or, with rule NULL, text as it is). */
static void
turn(struct ctx *c, cJSON *e, const char *role, const char *rule,
     const char *text)
{
	char t[LINE] = "";

	if (rule != NULL)
		SAY(c, rule, t);
	if (add_turn(e, role, rule != NULL ? t : text) != 0)
		c->rc = -1;
}

static void
conversation(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct world_contact *x = &c->in->w->c[c->in->s->contact];
	const char *me = c->in->p->first_name, *them = x->first;
	char t[LINE];

	contact_vars(c, x);
	snprintf(title, tmax, "Chat with %s", x->name);
	turn(c, e, me, "conv.open", NULL);
	turn(c, e, them, voice(x), NULL);
	if (c->in->s->nfacts > 0) {
		statements(c, t, sizeof(t));
		turn(c, e, me, NULL, t);
		turn(c, e, them, has_update(c) ? "conv.react_update" :
		     "conv.react", NULL);
		if (has_update(c))
			turn(c, e, me, "conv.why", NULL);
	} else {
		turn(c, e, me, "conv.filler", NULL);
		turn(c, e, them, "conv.filler_reply", NULL);
	}
	if (rng_below(&c->r, 2) == 0) {   /* not every chat says goodbye */
		turn(c, e, me, "conv.close_p", NULL);
		turn(c, e, them, "conv.close_c", NULL);
	}
}

static void
user_ai(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char t[LINE] = "", *sep;

	snprintf(title, tmax, "Chat with the assistant");
	if (c->in->s->nfacts > 0) {
		statements(c, t, sizeof(t));
		set(c, "stmt", t);
		turn(c, e, "user", "ai.ask", NULL);
		turn(c, e, "assistant", "ai.answer", NULL);
	} else {
		/* "question @@ answer": one render keeps one subject. */
		SAY(c, "ai.filler", t);
		if ((sep = strstr(t, " @@ ")) == NULL) {
			c->rc = -1;
			return;
		}
		*sep = '\0';
		turn(c, e, "user", NULL, t);
		turn(c, e, "assistant", NULL, sep + 4);
	}
	if (rng_below(&c->r, 3) == 0) {   /* a follow-up, now and then */
		turn(c, e, "user", "ai.thanks", NULL);
		turn(c, e, "assistant", "ai.welcome", NULL);
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

	statements(c, st, sizeof(st));
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

/* A note, email or calendar entry: one paragraph. */
static void
paragraph(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char t[LINE] = "";

	snprintf(title, tmax, "%s of %s", c->in->s->type, c->in->p->name);
	if (c->in->s->nfacts > 0)
		statements(c, t, sizeof(t));
	else
		SAY(c, "conv.filler", t);
	turn(c, e, c->in->p->first_name, NULL, t);
}

/* The content the entries read as: "role: content" lines, or an order
 * history for purchase items. */
static int
render(const struct ctx *c, const cJSON *e, struct buf *b)
{
	const cJSON *it, *cat;
	int rc = 0;

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
	else
		paragraph(&c, e, title, sizeof(title));
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
