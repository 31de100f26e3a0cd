/* keyrank.c - the dense ranks of text keys (see keyrank.h). */
#include "output/keyrank.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct keyrank {
	char *text;                  /* the keys, each with its NUL */
	size_t used, cap;
	size_t *off;                 /* key i at text + off[i] */
	size_t n, ncap;
	uint32_t *slot;              /* hash table: key index + 1, 0 empty */
	size_t mask;                 /* its size - 1 (a power of two) */
};

int
keyrank_new(struct keyrank **out)
{
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? 0 : -1;
}

/* Room for `need` more bytes of text and one more key. Returns 0, 1
 * past the bounds, -1 when out of memory. */
static int
grow(struct keyrank *k, size_t need)
{
	size_t c;
	void *p;

	if (k->n >= KEYRANK_KEYS || k->used + need > KEYRANK_BYTES)
		return 1;
	if (k->used + need > k->cap) {
		c = k->cap ? 2 * k->cap : 1 << 16;
		while (c < k->used + need)
			c *= 2;
		if ((p = realloc(k->text, c)) == NULL)
			return -1;
		k->text = p;
		k->cap = c;
	}
	if (k->n == k->ncap) {
		c = k->ncap ? 2 * k->ncap : 1024;
		if ((p = realloc(k->off, c * sizeof(*k->off))) == NULL)
			return -1;
		k->off = p;
		k->ncap = c;
	}
	return 0;
}

int
keyrank_add(struct keyrank *k, const char *key, size_t len)
{
	int rc;

	if (k->n > 0 && k->used - k->off[k->n - 1] - 1 == len &&
	    memcmp(k->text + k->off[k->n - 1], key, len) == 0)
		return 0;
	if ((rc = grow(k, len + 1)) != 0)
		return rc;
	memcpy(k->text + k->used, key, len);
	k->text[k->used + len] = '\0';
	k->off[k->n++] = k->used;
	k->used += len + 1;
	return 0;
}

int
keyrank_seal(struct keyrank *k)
{
	size_t size = 16, i, j;

	/* at most half full: short probes */
	while (size < 2 * k->n)
		size *= 2;
	free(k->slot);
	if ((k->slot = calloc(size, sizeof(*k->slot))) == NULL)
		return -1;
	k->mask = size - 1;
	for (i = 0; i < k->n; i++) {
		j = (size_t)hash_fnv1a(k->text + k->off[i]) & k->mask;
		while (k->slot[j] != 0)
			j = (j + 1) & k->mask;
		k->slot[j] = (uint32_t)(i + 1);
	}
	return 0;
}

int64_t
keyrank_find(const struct keyrank *k, const char *key)
{
	size_t j;

	if (k->slot == NULL)
		return 0;
	for (j = (size_t)hash_fnv1a(key) & k->mask; k->slot[j] != 0;
	     j = (j + 1) & k->mask)
		if (strcmp(k->text + k->off[k->slot[j] - 1], key) == 0)
			return (int64_t)k->slot[j];
	return 0;
}

int64_t
keyrank_count(const struct keyrank *k)
{
	return (int64_t)k->n;
}

void
keyrank_free(struct keyrank *k)
{
	if (k == NULL)
		return;
	free(k->text);
	free(k->off);
	free(k->slot);
	free(k);
}
