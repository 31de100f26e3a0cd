/* textstats.c - how varied the offline text of a JSONL export is.
 *
 * usage: textstats DIR [LINES]
 * Over the first LINES (default 1000) lines of DIR/backstory_turns.jsonl
 * (field answer) and of DIR/personas.jsonl (each string field of
 * narrative, and all of them joined per persona) prints one line per
 * text field: "field N distinct2 D mean_words W", where distinct-2 is
 * distinct bigrams over all bigrams of lower-cased word and punctuation
 * tokens (bigrams do not cross texts). Then, over every persona's
 * narrative.detailed_persona, the near-duplicate rate: the share of
 * personas whose text has an earlier persona's at estimated Jaccard >=
 * 0.9 (base/minhash.h: 128 permutations, word 5-shingles, 16 bands of
 * 8 rows): "near_duplicates K of N rate R".
 * Exits 0, or 1 when a file cannot be read.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "base/hash.h"
#include "base/minhash.h"

#define LINE_MAX_BYTES (1 << 22)
#define TOKEN_MAX 64

struct set {        /* open addressing set of 64-bit bigram hashes */
	uint64_t *v;
	size_t n, cap;
};

struct field {
	char name[64];
	struct set s;
	long texts, words, bigrams;
};

static uint64_t
mix(uint64_t z)
{
	return hash_mix64(z);
}

static void
set_add(struct set *s, uint64_t h)
{
	size_t i;

	h |= 1;
	if (2 * (s->n + 1) > s->cap) {
		struct set t = { calloc(s->cap ? 2 * s->cap : 1024, 8), 0,
				 s->cap ? 2 * s->cap : 1024 };
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				set_add(&t, s->v[i]);
		free(s->v);
		*s = t;
	}
	for (i = h & (s->cap - 1); s->v[i] && s->v[i] != h;
	     i = (i + 1) & (s->cap - 1))
		;
	if (!s->v[i]) {
		s->v[i] = h;
		s->n++;
	}
}

/* Next token of *p (a word lower-cased, or one punctuation mark) as a
 * hash; 0 at the end. */
static uint64_t
token(const char **p, int *word)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s && isspace(*s))
		s++;
	if (*s == '\0')
		return 0;
	*word = isalnum(*s) || *s == '\'' || *s >= 0x80;
	if (*word)
		for (; *s && (isalnum(*s) || *s == '\'' || *s >= 0x80); s++)
			h = (h ^ (uint64_t)tolower(*s)) * 0x100000001b3ULL;
	else
		h = (h ^ *s++) * 0x100000001b3ULL;
	*p = (const char *)s;
	return h | 1;
}

static void
count(struct field *f, const char *text)
{
	uint64_t prev = 0, t;
	int word;

	f->texts++;
	while ((t = token(&text, &word)) != 0) {
		f->words += word;
		if (prev) {
			set_add(&f->s, mix(prev * 31 + t));
			f->bigrams++;
		}
		prev = t;
	}
}

static struct field *
field_of(struct field *fs, int *n, const char *name)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(fs[i].name, name) == 0)
			return &fs[i];
	memset(&fs[*n], 0, sizeof(fs[*n]));
	snprintf(fs[*n].name, sizeof(fs[*n].name), "%s", name);
	return &fs[(*n)++];
}

static FILE *
open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		fprintf(stderr, "textstats: cannot read %s\n", path);
	return f;
}

/* One persona line: its narrative fields into fs; its detailed persona
 * against the index. */
static void
persona(const cJSON *o, struct field *fs, int *nf, int sample,
	struct minhash_index *x, long *dups, long *all)
{
	const cJSON *nar = cJSON_GetObjectItemCaseSensitive(o, "narrative"),
		    *e, *d;
	char *joined = NULL;
	size_t len = 0, k;
	struct minhash m;

	if (!cJSON_IsObject(nar))
		return;
	cJSON_ArrayForEach(e, nar) {
		if (!cJSON_IsString(e) || !sample)
			continue;
		count(field_of(fs, nf, e->string), e->valuestring);
		k = strlen(e->valuestring);
		joined = realloc(joined, len + k + 2);
		memcpy(joined + len, e->valuestring, k);
		joined[len + k] = ' ';
		joined[len += k + 1] = '\0';
	}
	if (joined != NULL)
		count(field_of(fs, nf, "narrative_all_fields"), joined);
	free(joined);
	d = cJSON_GetObjectItemCaseSensitive(nar, "detailed_persona");
	if (!cJSON_IsString(d))
		return;
	minhash_text(d->valuestring, &m);
	*dups += minhash_index_find(x, &m, NULL);
	(*all)++;
	minhash_index_add(x, &m, *all);
}

int
main(int argc, char **argv)
{
	static struct field fs[64];
	int nf = 0, i;
	long lines = argc > 2 ? atol(argv[2]) : 1000, n, dups = 0, all = 0;
	char *line = malloc(LINE_MAX_BYTES);
	struct minhash_index *x = minhash_index_new(1 << 20, 0, 0,
						    MINHASH_THRESHOLD);
	FILE *f;
	cJSON *o;

	if (argc < 2 || line == NULL || x == NULL)
		return fprintf(stderr, "usage: textstats DIR [LINES]\n"), 1;
	if ((f = open_in(argv[1], "backstory_turns.jsonl")) == NULL)
		return 1;
	for (n = 0; n < lines && fgets(line, LINE_MAX_BYTES, f); n++) {
		o = cJSON_Parse(line);
		if (cJSON_IsString(cJSON_GetObjectItem(o, "answer")))
			count(field_of(fs, &nf, "answer"),
			      cJSON_GetObjectItem(o, "answer")->valuestring);
		cJSON_Delete(o);
	}
	fclose(f);
	if ((f = open_in(argv[1], "personas.jsonl")) == NULL)
		return 1;
	for (n = 0; fgets(line, LINE_MAX_BYTES, f); n++) {
		o = cJSON_Parse(line);
		persona(o, fs, &nf, n < lines, x, &dups, &all);
		cJSON_Delete(o);
	}
	fclose(f);
	for (i = 0; i < nf; i++)
		printf("%s %ld distinct2 %.3f mean_words %.1f\n", fs[i].name,
		       fs[i].texts, fs[i].bigrams ? (double)fs[i].s.n /
		       (double)fs[i].bigrams : 0.0, fs[i].texts ?
		       (double)fs[i].words / (double)fs[i].texts : 0.0);
	printf("near_duplicates %ld of %ld rate %.4f\n", dups, all,
	       all ? (double)dups / (double)all : 0.0);
	minhash_index_free(x);
	free(line);
	return 0;
}
