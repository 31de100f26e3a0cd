/* doctext.c - the offline text of a session (see doctext.h).
 *
 * Phrases are lists of alternatives; "$name" in a phrase is replaced by
 * the session variable of that name (set()), so one list serves every
 * persona. The lists are vocabulary: they are drawn from uniformly and
 * claim no frequency. */
#include "generators/doctext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/rng.h"
#include "personas/coherence.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NVARS 32
#define LINE 1024
#define CONTENT_MAX 16000

struct ctx {
	struct rng r;
	const struct doctext_input *in;
	const char *key[NVARS];
	char val[NVARS][224];
	int n;
};

static void
set(struct ctx *c, const char *key, const char *v)
{
	int i;

	for (i = 0; i < c->n && strcmp(c->key[i], key) != 0; i++)
		;
	if (i == NVARS)
		return;
	if (i == c->n)
		c->key[c->n++] = key;
	snprintf(c->val[i], sizeof(c->val[i]), "%s", v ? v : "");
}

static const char *
get(const struct ctx *c, const char *key, size_t len)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strlen(c->key[i]) == len &&
		    strncmp(c->key[i], key, len) == 0)
			return c->val[i];
	return NULL;
}

/* Append phrase `ph` to out[max] with its $variables replaced. */
static void
fill(const struct ctx *c, const char *ph, char *out, size_t max)
{
	size_t o = strlen(out), len;
	const char *v;

	while (*ph != '\0' && o + 1 < max) {
		if (*ph == '$' && (islower((unsigned char)ph[1]) ||
				   ph[1] == '_')) {
			for (len = 1; islower((unsigned char)ph[len]) ||
				      ph[len] == '_'; len++)
				;
			v = get(c, ph + 1, len - 1);
			if (v != NULL) {
				o += (size_t)snprintf(out + o, max - o, "%s", v);
				if (o >= max)
					o = max - 1;
				ph += len;
				continue;
			}
		}
		out[o++] = *ph++;
	}
	out[o] = '\0';
}

/* Append one of the n alternatives in l, filled. */
static void
say(struct ctx *c, const char *const *l, size_t n, char *out, size_t max)
{
	fill(c, l[rng_below(&c->r, (uint32_t)n)], out, max);
}
#define SAY(c, list, out) say((c), (list), N(list), (out), sizeof(out))

static int
add_turn(cJSON *entries, const char *role, const char *content)
{
	cJSON *t = cJSON_CreateObject();

	if (t == NULL || !cJSON_AddItemToArray(entries, t))
		return cJSON_Delete(t), -1;
	return cJSON_AddStringToObject(t, "role", role) &&
	       cJSON_AddStringToObject(t, "content", content) ? 0 : -1;
}

/* ---- phrases ---- */

static const char *const greet[] = { "Hey $cfirst!", "Hi $cfirst,",
	"Morning $cfirst!", "$cfirst! Got a minute?", "Hello $cfirst,",
	"Hey you.", "Hi there $cfirst." };
static const char *const opener[] = { "How has your week been?",
	"Are you around this weekend?", "Long day here, how about you?",
	"Just thinking of you.", "Quick question when you have time.",
	"Sorry I missed your call yesterday." };
/* The contact's answer to a greeting, by voice (see voice()). */
static const char *const reply_family[] = {
	"Hi sweetheart, so good to hear from you. $cnews",
	"There you are! I was just about to text you. $cnews",
	"Hello love. We're all fine here. $cnews" };
static const char *const reply_child[] = {
	"Hey! Sorry, busy day. $cnews", "Hiii. All good here. $cnews",
	"Oh hey. Yeah I'm around. $cnews" };
static const char *const reply_partner[] = {
	"Hey you. Miss you already. $cnews",
	"Hi love, just got a second. $cnews",
	"Hey! Was hoping you'd text. $cnews" };
static const char *const reply_friend[] = {
	"Heyyy! Been ages. $cnews", "Ha, I was literally about to message "
	"you. $cnews", "Hey hey. Surviving, barely. $cnews",
	"Omg hi. $cnews" };
static const char *const reply_formal[] = {
	"Hi $pfirst, good to hear from you. $cnews",
	"Hello $pfirst, thanks for reaching out. $cnews",
	"Good morning $pfirst. $cnews" };
/* The contact's own news: their job, city and liking. */
static const char *const news[] = {
	"Things in $ccity are hectic, but $cdoing keeps me busy.",
	"I finally had time for $clikes on Sunday.",
	"Still in $ccity, still $cbeing, still tired.",
	"The weather in $ccity has been strange all week.",
	"Spent most of Saturday on $clikes, which was the plan.",
	"Honestly, $cdoing has been nonstop lately." };
/* A statement's lead-in (explicit) and frame (implicit clue). */
static const char *const lead[] = { "", "Oh, and ", "By the way, ",
	"Funny you ask. ", "Small update: ", "Not sure I told you, but " };
static const char *const implicit_frame[] = { "Yesterday I $clue.",
	"This weekend I $clue.", "Last night I $clue.",
	"Guess what, I $clue again.", "Spent the evening like this: I $clue." };
static const char *const update_tail[] = { " That changed $reason.",
	" It's new for me, $reason.", " I switched $reason." };
/* The contact's reaction to a stated fact. */
static const char *const react[] = { "Ha, that is so you.",
	"I love that for you.", "Noted! I'll remember that.",
	"You have to tell me more next time.", "That sounds lovely.",
	"Oh nice, I didn't know that." };
static const char *const react_update[] = { "Wait, really? What changed?",
	"Huh, that's new. Since when?", "Interesting switch!" };
/* Small talk of filler conversations. */
static const char *const small_talk[] = {
	"The neighbours are repainting their fence again.",
	"I'm trying to cut down on screen time. Going badly.",
	"Do you want to grab lunch sometime next week?",
	"The grocery store moved everything around and I'm lost.",
	"I finally fixed the squeaky door.",
	"Did you see the storm last night?",
	"I've been sleeping terribly, so that's fun.",
	"Planning to clean out the garage this weekend." };
static const char *const small_reply[] = {
	"Same here, honestly.", "Ha, of course.", "Lunch sounds good, "
	"text me a day.", "Ugh, I know the feeling.",
	"Send pictures!", "Good luck with that." };
static const char *const close_persona[] = { "Talk soon!",
	"Okay, gotta run. Love you!", "Let's catch up properly soon.",
	"Anyway, say hi to everyone.", "Thanks for listening :)" };
static const char *const close_contact[] = { "Bye for now!",
	"Take care of yourself.", "Talk soon, $pfirst.", "Miss you!",
	"Have a good one." };

/* User-AI chats. */
static const char *const ask_fact[] = {
	"$statement Can you help me plan around that this week?",
	"$statement What are some good ideas along those lines?",
	"Quick context: $statement Could you suggest a few things to try?",
	"$statement Can you put together a short plan for the weekend?" };
static const char *const answer_fact[] = {
	"Happy to help. Here are three ideas that fit: start small, pick "
	"one evening for it, and keep a short list of what worked.",
	"Sure. Based on what you said, I would block out an hour on "
	"Saturday morning and keep Sunday free as a backup.",
	"Good context, thanks. A simple plan: one new thing this week, one "
	"familiar favourite, and a note of what you enjoyed." };
/* Everyday requests and the answers to them, in pairs. */
static const struct { const char *ask, *answer; } filler_chats[] = {
	{ "Can you help me write a polite note asking my landlord to fix "
	  "the heater?", "Of course. Keep it short: say what is wrong, when "
	  "it started and when you are home so they can come by." },
	{ "What is a simple way to keep track of monthly bills?",
	  "A spreadsheet with one row per bill and its due date works well; "
	  "set a reminder two days before each one." },
	{ "Give me a 20-minute stretching routine for the morning.",
	  "Here is one: neck rolls, shoulder circles, a forward fold, "
	  "cat-cow and a slow hamstring stretch, a few minutes each." },
	{ "How do I get red wine out of a cotton shirt?",
	  "Blot, do not rub. Then try cold water with a little dish soap, "
	  "and wash it before it dries." },
	{ "Can you suggest a packing list for a two-day trip?",
	  "For two days: two shirts, one warm layer, toiletries, chargers "
	  "and one pair of comfortable shoes." },
	{ "Explain compound interest like I'm twelve.",
	  "You earn interest on your savings, and then interest on that "
	  "interest too, so the pile grows faster every year." },
};
static const char *const thanks[] = { "Thanks, that helps.",
	"Perfect, thank you!", "Great, I'll try that.", "Helpful, thanks." };
static const char *const welcome[] = { "You're welcome. Good luck!",
	"Anytime. Let me know how it goes.", "Glad it helped." };

/* Purchases: {title, brand, three category levels}. */
struct product {
	const char *title, *brand, *cat[3];
};

static const struct product filler_products[] = {
	{ "Stainless steel water bottle, 24 oz", "Hydra Peak",
	  { "Sports & Outdoors", "Hydration", "Water Bottles" } },
	{ "Microfiber cleaning cloths, 12 pack", "CleanCo",
	  { "Home & Kitchen", "Cleaning Supplies", "Cloths" } },
	{ "AA rechargeable batteries, 8 count", "VoltMax",
	  { "Electronics", "Batteries", "Rechargeable" } },
	{ "Ceramic coffee mug set of 4", "Hearth & Home",
	  { "Home & Kitchen", "Dining", "Mugs" } },
	{ "Unscented laundry detergent pods", "PureWash",
	  { "Household", "Laundry", "Detergent" } },
	{ "Wireless mouse with USB receiver", "Keynetic",
	  { "Electronics", "Computer Accessories", "Mice" } },
	{ "Spiral notebooks, college ruled, 5 pack", "Paperline",
	  { "Office Products", "Paper", "Notebooks" } },
	{ "LED desk lamp with dimmer", "Lumina",
	  { "Home & Kitchen", "Lighting", "Desk Lamps" } },
	{ "Cotton bath towels, set of 2", "Softnest",
	  { "Home & Kitchen", "Bath", "Towels" } },
	{ "Phone charging cable, 6 ft", "Linkwire",
	  { "Electronics", "Cables", "USB-C" } },
	{ "Reusable produce bags", "GreenCarry",
	  { "Home & Kitchen", "Storage", "Bags" } },
	{ "First aid kit, 100 pieces", "SafeHands",
	  { "Health & Household", "First Aid", "Kits" } },
};

/* The product a fact is bought with, by fact key (NULL key: any). */
static const struct { const char *key; struct product p; } fact_products[] = {
	{ "pet", { "Pet supplies bundle", "Happy Paws",
	  { "Pet Supplies", "Food & Treats", "Variety Packs" } } },
	{ "diet", { "Pantry staples box", "Fieldgood",
	  { "Grocery", "Pantry", "Staples" } } },
	{ "vehicle", { "All-season wiper blades, pair", "ClearView",
	  { "Automotive", "Replacement Parts", "Wipers" } } },
	{ "favorite_cuisine", { "Weeknight cookbook", "Harbor Press",
	  { "Books", "Cookbooks", "World Cuisine" } } },
	{ "hobby", { "Weekend project kit", "Makerfield",
	  { "Arts & Crafts", "Kits", "Projects" } } },
	{ "favorite_music", { "Vinyl record cleaning kit", "Groove",
	  { "Electronics", "Audio", "Turntable Accessories" } } },
	{ "favorite_sport", { "Team fan scarf", "Stadium Co",
	  { "Sports & Outdoors", "Fan Shop", "Scarves" } } },
	{ "favorite_books", { "Hardcover reading light", "Pageglow",
	  { "Books", "Accessories", "Reading Lights" } } },
	{ "dream_trip", { "Travel guidebook", "Wanderline",
	  { "Books", "Travel", "Guidebooks" } } },
	{ "favorite_drink", { "Insulated tumbler", "Sipwell",
	  { "Home & Kitchen", "Drinkware", "Tumblers" } } },
	{ NULL, { "Greeting card assortment", "Paperline",
	  { "Office Products", "Cards", "Greeting Cards" } } },
};

/* ---- composing ---- */

/* The session's facts, stated one after another into out[max]. */
static void
statements(struct ctx *c, char *out, size_t max)
{
	const struct session *s = c->in->s;
	const struct fact *f;
	char one[LINE];
	int i;

	out[0] = '\0';
	for (i = 0; i < s->nfacts; i++) {
		f = &c->in->fp->f[s->fact[i]];
		one[0] = '\0';
		set(c, "clue", f->clue);
		set(c, "reason", f->reason);
		if (strcmp(f->statement, "implicit") == 0) {
			SAY(c, implicit_frame, one);
		} else {
			SAY(c, lead, one);
			if (one[0] != '\0' && strncmp(f->sentence, "I ", 2) != 0)
				snprintf(one + strlen(one), sizeof(one) -
					 strlen(one), "%c%s",
					 tolower((unsigned char)f->sentence[0]),
					 f->sentence + 1);
			else
				fill(c, f->sentence, one, sizeof(one));
		}
		if (f->supersedes >= 0)
			SAY(c, update_tail, one);
		if (out[0] != '\0')
			fill(c, " ", out, max);
		fill(c, one, out, max);
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

/* The contact's greeting list, by relationship. */
static const char *const *
voice(const struct world_contact *x, size_t *n)
{
	const char *r = x->relationship;

	if (strcmp(r, "parent") == 0)
		return *n = N(reply_family), reply_family;
	if (strcmp(r, "child") == 0)
		return *n = N(reply_child), reply_child;
	if (strcmp(r, "partner") == 0)
		return *n = N(reply_partner), reply_partner;
	if (strcmp(r, "colleague") == 0 || strcmp(r, "neighbour") == 0 ||
	    strcmp(r, "service provider") == 0)
		return *n = N(reply_formal), reply_formal;
	return *n = N(reply_friend), reply_friend;
}

static int
conversation(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct world_contact *x = &c->in->w->c[c->in->s->contact];
	const char *me = c->in->p->first_name, *them = x->first;
	const char *const *rl;
	char t[LINE];
	size_t nrl;
	int rc = 0;

	set(c, "cfirst", x->first);
	set(c, "ccity", x->city);
	set(c, "cbeing", x->job);
	set(c, "cdoing", x->job);
	if (strcmp(x->job, "retired") == 0) {
		set(c, "cdoing", "retirement");
	} else if (strcmp(x->job, "student") == 0) {
		set(c, "cbeing", "a student");
		set(c, "cdoing", "school");
	} else {
		snprintf(t, sizeof(t), "%s %s", strchr("aeiou", x->job[0]) ?
			 "an" : "a", x->job);
		set(c, "cbeing", t);
		snprintf(t, sizeof(t), "being %s %s", strchr("aeiou",
			 x->job[0]) ? "an" : "a", x->job);
		set(c, "cdoing", t);
	}
	set(c, "clikes", x->likes);
	snprintf(title, tmax, "Chat with %s", x->name);
	t[0] = '\0';
	SAY(c, greet, t);
	fill(c, " ", t, sizeof(t));
	SAY(c, opener, t);
	rc |= add_turn(e, me, t);
	t[0] = '\0';
	SAY(c, news, t);
	set(c, "cnews", t);
	t[0] = '\0';
	rl = voice(x, &nrl);
	say(c, rl, nrl, t, sizeof(t));
	rc |= add_turn(e, them, t);
	t[0] = '\0';
	if (c->in->s->nfacts > 0) {
		statements(c, t, sizeof(t));
		rc |= add_turn(e, me, t);
		t[0] = '\0';
		if (has_update(c))
			SAY(c, react_update, t);
		else
			SAY(c, react, t);
	} else {
		SAY(c, small_talk, t);
		rc |= add_turn(e, me, t);
		t[0] = '\0';
		SAY(c, small_reply, t);
	}
	rc |= add_turn(e, them, t);
	t[0] = '\0';
	SAY(c, close_persona, t);
	rc |= add_turn(e, me, t);
	t[0] = '\0';
	SAY(c, close_contact, t);
	return rc | add_turn(e, them, t);
}

static int
user_ai(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char t[LINE], st[LINE];
	int rc = 0;

	snprintf(title, tmax, "Chat with the assistant");
	t[0] = '\0';
	if (c->in->s->nfacts > 0) {
		statements(c, st, sizeof(st));
		set(c, "statement", st);
		SAY(c, ask_fact, t);
		rc |= add_turn(e, "user", t);
		t[0] = '\0';
		SAY(c, answer_fact, t);
	} else {
		uint32_t k = rng_below(&c->r, N(filler_chats));

		rc |= add_turn(e, "user", filler_chats[k].ask);
		fill(c, filler_chats[k].answer, t, sizeof(t));
	}
	rc |= add_turn(e, "assistant", t);
	t[0] = '\0';
	SAY(c, thanks, t);
	rc |= add_turn(e, "user", t);
	t[0] = '\0';
	SAY(c, welcome, t);
	return rc | add_turn(e, "assistant", t);
}

static const char *const item_notes[] = { "Arrived on time.",
	"Second time ordering this.", "Replacement for the old one.",
	"Good price, decent quality.", "Bought on sale." };
static const char *const fact_notes[] = { "Note to self: $statement",
	"Gift note: $statement", "Review: $statement Exactly what I needed." };

static int
add_item(cJSON *e, const struct product *p, const char *desc)
{
	cJSON *it = cJSON_CreateObject(), *cat;

	if (it == NULL || !cJSON_AddItemToArray(e, it))
		return cJSON_Delete(it), -1;
	cat = cJSON_CreateStringArray(p->cat, 3);
	if (!cJSON_AddStringToObject(it, "title", p->title) ||
	    !cJSON_AddStringToObject(it, "description", desc) ||
	    !cJSON_AddStringToObject(it, "brand", p->brand) || cat == NULL ||
	    !cJSON_AddItemToObject(it, "categories", cat))
		return cJSON_Delete(cat), -1;
	return 0;
}

/* The product bought with fact f. */
static const struct product *
fact_product(const struct fact *f)
{
	size_t i;

	for (i = 0; fact_products[i].key != NULL; i++)
		if (strcmp(fact_products[i].key, f->key) == 0)
			break;
	return &fact_products[i].p;
}

static int
purchase(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	const struct session *s = c->in->s;
	char d[11], t[LINE], st[LINE];
	int i, n, rc = 0;

	facts_day_iso(s->day, d);
	snprintf(title, tmax, "Order placed %s", d);
	if (s->nfacts > 0) {
		statements(c, st, sizeof(st));
		set(c, "statement", st);
		t[0] = '\0';
		SAY(c, fact_notes, t);
		rc |= add_item(e, fact_product(&c->in->fp->f[s->fact[0]]), t);
	}
	n = 1 + (int)rng_below(&c->r, 3);
	for (i = 0; i < n; i++) {
		t[0] = '\0';
		SAY(c, item_notes, t);
		rc |= add_item(e, &filler_products[rng_below(&c->r,
				N(filler_products))], t);
	}
	return rc;
}

/* A note, email or calendar entry: one paragraph. */
static int
paragraph(struct ctx *c, cJSON *e, char *title, size_t tmax)
{
	char t[LINE];

	snprintf(title, tmax, "%s of %s", c->in->s->type, c->in->p->name);
	t[0] = '\0';
	if (c->in->s->nfacts > 0)
		statements(c, t, sizeof(t));
	else
		SAY(c, small_talk, t);
	return add_turn(e, c->in->p->first_name, t);
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
		if (cat != NULL)
			rc |= buf_printf(b, "\n- %s (%s), %s > %s > %s. %s",
				cJSON_GetObjectItem(it, "title")->valuestring,
				cJSON_GetObjectItem(it, "brand")->valuestring,
				cJSON_GetArrayItem(cat, 0)->valuestring,
				cJSON_GetArrayItem(cat, 1)->valuestring,
				cJSON_GetArrayItem(cat, 2)->valuestring,
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
doctext_compose(const struct doctext_input *in)
{
	struct ctx c = { .in = in };
	cJSON *reply = cJSON_CreateObject(), *e;
	char title[256];
	struct buf b;
	int rc;

	rng_seed(&c.r, rng_derive(in->seed, "doctext", in->p->index,
				  (uint64_t)in->idx));
	set(&c, "pfirst", in->p->first_name);
	e = cJSON_AddArrayToObject(reply, "entries");
	if (e == NULL)
		return cJSON_Delete(reply), NULL;
	if (strcmp(in->s->type, "conversation") == 0 && in->s->contact >= 0)
		rc = conversation(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "user_ai") == 0)
		rc = user_ai(&c, e, title, sizeof(title));
	else if (strcmp(in->s->type, "purchase") == 0)
		rc = purchase(&c, e, title, sizeof(title));
	else
		rc = paragraph(&c, e, title, sizeof(title));
	buf_init(&b, CONTENT_MAX);
	rc |= render(&c, e, &b);
	if (rc != 0 || !cJSON_AddStringToObject(reply, "title", title) ||
	    !cJSON_AddStringToObject(reply, "content", b.data)) {
		cJSON_Delete(reply);
		reply = NULL;
	}
	buf_free(&b);
	return reply;
}
