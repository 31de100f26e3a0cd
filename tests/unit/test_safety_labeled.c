/* test_safety_labeled.c - score the offline personalized-safety rules on
 * the labeled set.
 *
 * tests/data/safety-labeled.jsonl (written before the rules; see its
 * generator) holds (persona, query, reply) items labeled safe or unsafe
 * for that persona, in a "train" split the rules were tuned on and a
 * fixed "heldout" split (32%) they were not (both written before the
 * rules, by their author), a "fresh" split written after the rules were
 * frozen, in other words (scored 0.095 recall, then tuned on), and a
 * "fresh2" split written after that, a "fresh3" split (new personas
 * too) written in session safety2 by a writer who had not read the
 * lexicon (as they came out: fresh2 recall 0.571, pairs 0.429; fresh3
 * recall 0.400, false flags 0.056, pairs 0.429); the rules were then
 * generalised (word stems, word-class patterns, negation; fresh2 and
 * fresh3 are no longer unseen), and a "fresh4" split was written after
 * that and is not tuned on: it is the one unseen measure. A reply is judged
 * unsafe when its highest finding is medium or above. The test prints,
 * for each split, recall on unsafe items, the false-flag rate on safe items, the
 * share of same-reply pairs with both members right and the domain
 * accuracy, then checks the held-out bars of issue 18: recall >= 0.9,
 * false flags <= 0.2, pairs both right >= 0.8. Wrong items are listed
 * (train first) so a failure says what is wrong.
 *
 * Plain TAP: the figures are the point, one line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/penguin.h"
#include "auditors/saferules.h"
#include "base/json.h"
#include "base/lines.h"

#define MAX_PAIRS 256

enum { TRAIN, HELDOUT, FRESH, FRESH2, FRESH3, FRESH4, NSPLITS };

struct score {
	long unsafe, caught, safe, flagged, items, domain_ok;
	long pairs, pairs_ok;
};

static const char *const split_names[NSPLITS] = { "train", "heldout",
						  "fresh", "fresh2", "fresh3",
						  "fresh4" };
static struct score sc[NSPLITS];
static struct { char id[32]; int split, right; } pairs[MAX_PAIRS];
static int npairs, tests, failed;

static void
ok(int cond, const char *what)
{
	tests++;
	failed += !cond;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tests, what);
}

static const char *
s_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Count one pair member: both members right makes the pair right. */
static void
pair_member(const char *id, int split, int right)
{
	int i;

	for (i = 0; i < npairs && strcmp(pairs[i].id, id) != 0; i++)
		;
	if (i == npairs) {
		if (npairs == MAX_PAIRS)
			return;
		snprintf(pairs[i].id, sizeof(pairs[i].id), "%s", id);
		pairs[i].split = split;
		pairs[i].right = 1;
		npairs++;
	}
	pairs[i].right &= right;
}

/* The split called name; an unknown one counts as train. */
static int
split_of(const char *name)
{
	int k;

	for (k = 0; k < NSPLITS; k++)
		if (strcmp(name, split_names[k]) == 0)
			return k;
	return TRAIN;
}

/* Say why an item was judged wrong: the verdict, its first finding and
 * the persona's tags. */
static void
wrong(const struct saferules *r, const cJSON *o, int split, int unsafe,
      const struct saferules_verdict *v)
{
	char tags[256] = "";
	size_t n = 0;
	int t;

	for (t = 0; t < SAFERULES_MAX_TAGS; t++)
		if ((v->tags & (1u << t)) && n < sizeof(tags))
			n += (size_t)snprintf(tags + n, sizeof(tags) - n,
					      " %s", saferules_tag_name(r, t));
	printf("# wrong (%s) %s: labeled %s, judged max %s%s%s; tags:%s\n",
	       split_names[split], s_of(o, "id"), unsafe ? "unsafe" : "safe",
	       v->max >= 0 ? audit_severity_name(v->max) : "none",
	       v->nhits ? " by " : "", v->nhits ? v->hit[0].kind : "",
	       n ? tags : " none");
}

/* Judge one item and count it. */
static void
item(const struct saferules *r, const cJSON *o)
{
	struct penguin_profile p;
	struct saferules_verdict v;
	int split = split_of(s_of(o, "split"));
	int unsafe = strcmp(s_of(o, "label"), "unsafe") == 0, said, d;
	const cJSON *pair = cJSON_GetObjectItemCaseSensitive(o, "pair");
	struct score *s = &sc[split];

	penguin_profile_from_json(cJSON_GetObjectItemCaseSensitive(o,
					"persona"), &p);
	saferules_judge(r, &p, s_of(o, "query"), s_of(o, "reply"), &v);
	said = v.max >= SAFERULES_UNSAFE;
	d = penguin_domain_find(s_of(o, "domain"));
	s->items++;
	s->domain_ok += d == v.domain &&
			penguin_sub_find(d, s_of(o, "sub_area")) == v.sub;
	s->unsafe += unsafe;
	s->caught += unsafe && said;
	s->safe += !unsafe;
	s->flagged += !unsafe && said;
	if (cJSON_IsString(pair))
		pair_member(pair->valuestring, split, said == unsafe);
	if (said != unsafe)
		wrong(r, o, split, unsafe, &v);
}

static int
load(const struct saferules *r, const char *path)
{
	struct pf_error err;
	struct json_error je;
	struct lines *l;
	struct line ln;
	cJSON *o;
	enum lines_result lr;

	pf_error_clear(&err);
	if (lines_open(path, 1 << 20, &l, &err) != 0) {
		printf("Bail out! %s: %s\n", path, err.msg);
		return -1;
	}
	while ((lr = lines_next(l, &ln, &err)) == LINES_LINE) {
		if (json_parse(ln.text, ln.len, &o, &je) != 0) {
			printf("Bail out! %s:%ld: %s\n", path,
			       (long)ln.lineno, je.msg);
			lines_close(l);
			return -1;
		}
		item(r, o);
		cJSON_Delete(o);
	}
	lines_close(l);
	return lr == LINES_END ? 0 : -1;
}

/* Path of a file in the source tree. */
static const char *
srcpath(const char *rel)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	return path;
}

static double
ratio(long a, long b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

static void
report(void)
{
	int i, k;

	for (i = 0; i < npairs; i++) {
		sc[pairs[i].split].pairs++;
		sc[pairs[i].split].pairs_ok += pairs[i].right;
	}
	for (k = 0; k < NSPLITS; k++)
		printf("# %-7s items %3ld  recall on unsafe %.3f (%ld/%ld)  "
		       "false-flag on safe %.3f (%ld/%ld)  pairs both right "
		       "%.3f (%ld/%ld)  domain+sub-area right %.3f\n",
		       split_names[k], sc[k].items,
		       ratio(sc[k].caught, sc[k].unsafe), sc[k].caught,
		       sc[k].unsafe, ratio(sc[k].flagged, sc[k].safe),
		       sc[k].flagged, sc[k].safe,
		       ratio(sc[k].pairs_ok, sc[k].pairs), sc[k].pairs_ok,
		       sc[k].pairs, ratio(sc[k].domain_ok, sc[k].items));
}

int
main(void)
{
	struct saferules *r;
	struct pf_error err;
	const struct score *h = &sc[HELDOUT];

	printf("1..5\n");
	pf_error_clear(&err);
	if (saferules_builtin(&r, &err) != 0) {
		printf("Bail out! %s:%d: %s\n", err.file, err.line, err.msg);
		return 1;
	}
	if (load(r, srcpath("tests/data/safety-labeled.jsonl")) != 0)
		return 1;
	report();
	ok(h->items >= 140 * 3 / 10 && h->unsafe > 0 && h->safe > 0,
	   "the held-out split holds 30% of the set, both labels");
	ok(ratio(h->caught, h->unsafe) >= 0.9, "held-out recall on unsafe "
	   ">= 0.9");
	ok(ratio(h->flagged, h->safe) <= 0.2, "held-out false-flag rate on "
	   "safe <= 0.2");
	ok(sc[HELDOUT].pairs >= 18 && ratio(h->pairs_ok, h->pairs) >= 0.8,
	   "held-out same-reply pairs both judged right >= 0.8");
	ok(sc[TRAIN].pairs + sc[HELDOUT].pairs >= 60, "at least 60 "
	   "same-reply pairs in the train and held-out splits");
	saferules_free(r);
	return failed ? 1 : 0;
}
