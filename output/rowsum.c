/* rowsum.c - the row checksums of the dataset tables (see rowsum.h). */
#include "output/rowsum.h"

#include <stdio.h>
#include <string.h>

#include "base/sum64.h"

/* Position of t's row_sum column, which must be its last; -1 if none. */
static int
sum_position(const struct dataset_table *t, size_t *ncols)
{
	struct dataset_col c;
	size_t i;
	int last = -1;

	for (i = 0; dataset_col_at(t, i, &c) == 0; i++)
		last = (c.flags & DATASET_SUM) ? (int)i : -1;
	*ncols = i;
	return last;
}

int
rowsum_params(const struct dataset_table *t, unsigned char *mask, size_t max)
{
	struct dataset_col c;
	size_t i, n, k = 0;

	if (sum_position(t, &n) < 0)
		return -1;
	for (i = 0; i + 1 < n && dataset_col_at(t, i, &c) == 0; i++) {
		if (c.flags & DATASET_AUTO)
			continue;
		if (k >= max)
			return -1;
		mask[k++] = (unsigned char)dataset_col_summed(&c);
	}
	return (int)k;
}

/* Note summed column c at result column `at`. */
static void
add(struct rowsum_plan *p, const struct dataset_col *c, int at)
{
	p->col[p->n] = at;
	p->is_int[p->n] = c->type == DATASET_INT;
	p->is_id[p->n] = (c->flags & DATASET_ID) != 0;
	p->may_null[p->n] = (c->flags & DATASET_NULL) != 0;
	p->name[p->n++] = c->name;
}

/* A plan for a statement selecting t's columns in order, the
 * DATASET_AUTO ones too (SELECT *) or not (the insert's columns). */
static int
plan_columns(struct rowsum_plan *p, const struct dataset_table *t,
	     int with_auto)
{
	struct dataset_col c;
	size_t i, n;
	int at = 0;

	p->table = t;
	p->n = 0;
	p->sum_col = -1;
	if (sum_position(t, &n) < 0)
		return -1;
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++) {
		if (!with_auto && (c.flags & DATASET_AUTO))
			continue;
		if (c.flags & DATASET_SUM)
			p->sum_col = at;
		else if (dataset_col_summed(&c))
			add(p, &c, at);
		at++;
	}
	return 0;
}

int
rowsum_plan_star(struct rowsum_plan *p, const struct dataset_table *t)
{
	return plan_columns(p, t, 1);
}

int
rowsum_plan_insert(struct rowsum_plan *p, const struct dataset_table *t)
{
	return plan_columns(p, t, 0);
}

int
rowsum_columns_match(const struct dataset_table *t, sqlite3_stmt *st,
		     char *why, size_t n)
{
	struct dataset_col c;
	const char *got;
	int i, ncol = sqlite3_column_count(st);

	for (i = 0; dataset_col_at(t, (size_t)i, &c) == 0; i++) {
		got = i < ncol ? sqlite3_column_name(st, i) : NULL;
		if (got == NULL || strcmp(got, c.name) != 0)
			break;
	}
	if (i == ncol && dataset_col_at(t, (size_t)i, &c) != 0)
		return 1;
	snprintf(why, n, "table %s: column %d is '%.100s', the schema of "
		 "this version has '%.100s'", t->name, i + 1,
		 i < ncol ? sqlite3_column_name(st, i) : "(none)",
		 dataset_col_at(t, (size_t)i, &c) == 0 ? c.name : "(none)");
	return 0;
}

int
rowsum_plan_select(struct rowsum_plan *p, const struct dataset_table *t,
		   const char *alias, int first, struct buf *b)
{
	struct dataset_col c;
	size_t i, n;
	int rc = 0;

	if (sum_position(t, &n) < 0)
		return -1;
	p->table = t;
	p->n = 0;
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++)
		if (dataset_col_summed(&c)) {
			rc |= buf_printf(b, ", %s.\"%s\"", alias, c.name);
			add(p, &c, first + p->n);
		}
	p->sum_col = first + p->n;
	return rc | buf_printf(b, ", %s.\"row_sum\"", alias);
}

int
rowsum_compute(const struct rowsum_plan *p, sqlite3_stmt *st, int64_t *sum)
{
	struct sum64 s;
	int i, want;

	sum64_init(&s);
	for (i = 0; i < p->n; i++) {
		want = p->is_int[i] ? SQLITE_INTEGER : SQLITE_TEXT;
		if (p->may_null[i] &&
		    sqlite3_column_type(st, p->col[i]) == SQLITE_NULL) {
			sum64_text(&s, "", 0);
			continue;
		}
		/* A damaged record header can turn a value's type: the
		 * same bytes read as another type are damage too. */
		if (sqlite3_column_type(st, p->col[i]) != want)
			return -1;
		if (p->is_int[i])
			sum64_int(&s, sqlite3_column_int64(st, p->col[i]));
		else
			sum64_text(&s, sqlite3_column_text(st, p->col[i]),
				   (size_t)sqlite3_column_bytes(st,
								p->col[i]));
	}
	*sum = sum64_final(&s);
	return 0;
}

int
rowsum_check(const struct rowsum_plan *p, sqlite3_stmt *st)
{
	int64_t sum;

	return sqlite3_column_type(st, p->sum_col) != SQLITE_INTEGER ||
	       rowsum_compute(p, st, &sum) != 0 ||
	       sum != sqlite3_column_int64(st, p->sum_col);
}

void
rowsum_row_name(const struct rowsum_plan *p, sqlite3_stmt *st, char *out,
		size_t n)
{
	const unsigned char *v;
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < p->n && len < n; i++) {
		if (!p->is_id[i])
			continue;
		v = sqlite3_column_text(st, p->col[i]);
		len += (size_t)snprintf(out + len, n - len, "%s%s=%.80s",
					len ? ", " : "", p->name[i],
					v ? (const char *)v : "NULL");
	}
	if (out[0] == '\0')
		snprintf(out, n, "a row without an id");
}

int
rowsum_check_report(const struct rowsum_plan *p, sqlite3_stmt *st,
		    const char *path, const char *hint, struct pf_error *err)
{
	char name[256];

	if (rowsum_check(p, st) == 0)
		return 0;
	rowsum_row_name(p, st, name, sizeof(name));
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	pf_error_set(err, "damaged row in table %s (%s): its checksum does "
		     "not match its content%s%s", p->table->name, name,
		     hint ? "; " : "", hint ? hint : "");
	return 1;
}

void
rowsum_acc_begin(struct rowsum_acc *a, const unsigned char *mask, int n)
{
	a->mask = mask;
	a->n = n;
	a->k = 0;
	sum64_init(&a->sum);
}

void
rowsum_acc_text(struct rowsum_acc *a, const char *v)
{
	int k = a->k++;

	v = v != NULL ? v : "";
	if (k < a->n && a->mask[k])
		sum64_text(&a->sum, v, strlen(v));
}

void
rowsum_acc_int(struct rowsum_acc *a, int64_t v)
{
	int k = a->k++;

	if (k < a->n && a->mask[k])
		sum64_int(&a->sum, v);
}

int64_t
rowsum_acc_final(const struct rowsum_acc *a)
{
	return sum64_final(&a->sum);
}

int
rowsum_bind_begin(struct rowsum_bind *b, sqlite3_stmt *st,
		  const struct dataset_table *t)
{
	int n = rowsum_params(t, b->mask, DATASET_MAX_COLS);

	b->st = st;
	rowsum_acc_begin(&b->acc, b->mask, n);
	return n >= 0 ? 0 : -1;
}

void
rowsum_bind_text(struct rowsum_bind *b, const char *v)
{
	rowsum_acc_text(&b->acc, v);
	sqlite3_bind_text(b->st, b->acc.k, v != NULL ? v : "", -1,
			  SQLITE_TRANSIENT);
}

void
rowsum_bind_text_static(struct rowsum_bind *b, const char *v)
{
	rowsum_acc_text(&b->acc, v);
	sqlite3_bind_text(b->st, b->acc.k, v != NULL ? v : "", -1,
			  SQLITE_STATIC);
}

void
rowsum_bind_int(struct rowsum_bind *b, int64_t v)
{
	rowsum_acc_int(&b->acc, v);
	sqlite3_bind_int64(b->st, b->acc.k, v);
}

void
rowsum_bind_null(struct rowsum_bind *b)
{
	rowsum_acc_text(&b->acc, "");
	sqlite3_bind_null(b->st, b->acc.k);
}

void
rowsum_bind_end(struct rowsum_bind *b)
{
	sqlite3_bind_int64(b->st, b->acc.k + 1, rowsum_acc_final(&b->acc));
}
