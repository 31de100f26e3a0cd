/* personabench.c - the PersonaBench export (see personabench.h).
 *
 * The walk (output/export.h) hands over each persona with its contacts,
 * documents and QA; a community's four JSON trees grow while its
 * personas pass and are written when the next community starts, so
 * memory holds one community. */
#include "output/personabench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "output/export.h"

#define PB_NTYPES 3
#define PB_MAX_FILE ((size_t)1 << 30)   /* one JSON file */

/* Our document types and the authors' names for them. */
static const struct {
	const char *type, *pb, *key;
} pb_types[PB_NTYPES] = {
	{ "conversation", "conversation", "conversation" },
	{ "user_ai", "user_ai_interaction", "user_ai_interaction" },
	{ "purchase", "purchase_history", "purchase_history" },
};

struct pb_doc {
	char doc_id[48];
	char segment_id[16];
	int pb;                  /* exported (a PersonaBench type) */
};

struct pb {
	const char *dir;
	struct pb_counts *c;
	struct pf_error *err;
	int64_t community;       /* -1 before the first persona */
	cJSON *data[PB_NTYPES];  /* the three *_data_all.json arrays */
	cJSON *eval;             /* eval_info_all.json */
	cJSON *gt;               /* qa_gt_context_all_noise_r.json */
	cJSON *pdata[PB_NTYPES]; /* the current persona's Data arrays */
	cJSON *pqa;              /* its Eval_Info.qa */
	char name[128], first[128];
	long long index;         /* the persona's index, for q_ids */
	int ndocs, ncontacts;
	struct pb_doc docs[PB_MAX_DOCS];
	char contact_id[PB_MAX_CONTACTS][40];
	char contact_name[PB_MAX_CONTACTS][96];
	int64_t done[1024];      /* communities written (a repeat is an error) */
	int ndone;
};

static int
oom(struct pb *b)
{
	return pf_error_set(b->err, "out of memory");
}

static void
drop_community(struct pb *b)
{
	int i;

	for (i = 0; i < PB_NTYPES; i++) {
		cJSON_Delete(b->data[i]);
		b->data[i] = NULL;
	}
	cJSON_Delete(b->eval);
	cJSON_Delete(b->gt);
	b->eval = b->gt = NULL;
}

/* mkdir -p of dir/sub/... for the fixed depth we write. */
static int
make_dirs(struct pb *b, char paths[][512], int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (export_make_dir(paths[i], b->err) != 0)
			return -1;
	return 0;
}

/* Write the current community's files (nothing before the first). */
static int
flush_community(struct pb *b)
{
	char d[6][512], names[6][256], r[16];
	const char *np[6];
	struct buf bufs[6];
	char *text;
	cJSON *trees[6];
	int i, rc = -1;

	if (b->community < 0)
		return 0;
	snprintf(r, sizeof(r), "%.1f", b->c->noise);
	if (snprintf(d[0], sizeof(d[0]), "%s/synthetic_data", b->dir) >=
	    (int)sizeof(d[0]) - 64)
		return pf_error_set(b->err, "%s: the output path is too long",
				    b->dir);
	snprintf(d[1], sizeof(d[1]), "%.400s/community_%lld", d[0],
		 (long long)b->community % 1000000000);
	snprintf(d[2], sizeof(d[2]), "%.460s/eval_info", d[1]);
	snprintf(d[3], sizeof(d[3]), "%.460s/private_data", d[1]);
	snprintf(d[4], sizeof(d[4]), "%.460s/noise_%.8s", d[3], r);
	if (make_dirs(b, d, 5) != 0)
		return -1;
	snprintf(names[0], sizeof(names[0]), "eval_info/eval_info_all.json");
	snprintf(names[1], sizeof(names[1]),
		 "eval_info/qa_gt_context_all_noise_%s.json", r);
	for (i = 0; i < PB_NTYPES; i++)
		snprintf(names[2 + i], sizeof(names[0]),
			 "private_data/noise_%s/%s_data_all.json", r,
			 pb_types[i].pb);
	trees[0] = b->eval;
	trees[1] = b->gt;
	for (i = 0; i < PB_NTYPES; i++)
		trees[2 + i] = b->data[i];
	for (i = 0; i < 5; i++) {
		np[i] = names[i];
		buf_init(&bufs[i], PB_MAX_FILE);
	}
	for (i = 0; i < 5; i++) {
		if ((text = cJSON_PrintUnformatted(trees[i])) == NULL) {
			rc = -1;
			goto done;
		}
		rc = buf_puts(&bufs[i], text);
		cJSON_free(text);
		if (rc != 0 || buf_puts(&bufs[i], "\n") != 0) {
			rc = -1;
			goto done;
		}
	}
	rc = export_files_write(d[1], np, bufs, 5, b->err);
	b->c->communities += rc == 0;
done:
	if (rc != 0 && b->err->msg[0] == '\0')
		oom(b);
	for (i = 0; i < 5; i++)
		buf_free(&bufs[i]);
	drop_community(b);
	return rc;
}

/* Start community k: write the previous one, refuse one seen before. */
static int
start_community(struct pb *b, int64_t k)
{
	int i;

	if (k == b->community)
		return 0;
	if (flush_community(b) != 0)
		return -1;
	for (i = 0; i < b->ndone; i++)
		if (b->done[i] == k)
			return pf_error_set(b->err, "community %lld comes back "
					    "after another: personas are not "
					    "grouped by community",
					    (long long)k);
	if (b->ndone < (int)(sizeof(b->done) / sizeof(b->done[0])))
		b->done[b->ndone++] = k;
	b->community = k;
	for (i = 0; i < PB_NTYPES; i++)
		if ((b->data[i] = cJSON_CreateArray()) == NULL)
			return oom(b);
	b->eval = cJSON_CreateArray();
	b->gt = cJSON_CreateArray();
	return b->eval != NULL && b->gt != NULL ? 0 : oom(b);
}

/* The text of persona attribute `name`, or "". */
static const char *
attr(const struct export_persona *p, const char *name)
{
	const unsigned char *t;
	size_t i;

	for (i = 0; i < p->nattrs; i++)
		if (strcmp(p->attrs[i].name, name) == 0) {
			t = sqlite3_column_text(p->st, p->attrs[i].col);
			return t != NULL ? (const char *)t : "";
		}
	return "";
}

/* Whether the community already has Name `name`. */
static int
name_taken(const struct pb *b, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, b->data[0])
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e,
		    "Name")), name) == 0)
			return 1;
	return 0;
}

/* {"Name": name, key: a new array} appended to list; the array. */
static cJSON *
named(cJSON *list, const char *name, const char *key)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !cJSON_AddItemToArray(list, o) ||
	    cJSON_AddStringToObject(o, "Name", name) == NULL)
		return NULL;
	return cJSON_AddArrayToObject(o, key);
}

static int
on_persona(void *ud, const struct export_persona *p,
	   const struct export_rec *narr)
{
	struct pb *b = ud;
	int i;

	(void)narr;
	if (start_community(b, strtoll(attr(p, "community"), NULL, 10)) != 0)
		return -1;
	snprintf(b->name, sizeof(b->name), "%s", attr(p, "name"));
	snprintf(b->first, sizeof(b->first), "%s", attr(p, "first_name"));
	if (name_taken(b, b->name))
		return pf_error_set(b->err, "persona %s: name \"%s\" is "
				    "already used in community %lld "
				    "(PersonaBench looks personas up by "
				    "name)", p->uid, b->name,
				    (long long)b->community);
	b->index = strtoll(p->uid + strcspn(p->uid, "0123456789"), NULL, 10);
	b->ndocs = b->ncontacts = 0;
	for (i = 0; i < PB_NTYPES; i++)
		if ((b->pdata[i] = named(b->data[i], b->name, "Data")) ==
		    NULL)
			return oom(b);
	b->pqa = NULL;   /* made by its first QA */
	b->c->personas++;
	return 0;
}

/* The persona's Eval_Info.qa, made with its entry of eval_info_all.json
 * on first use: a persona without QA has none (the authors' gt-context
 * retrieval cannot run on a person without questions). */
static cJSON *
persona_qa(struct pb *b)
{
	cJSON *info;

	if (b->pqa != NULL)
		return b->pqa;
	if ((info = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddItemToArray(b->eval, info);
	cJSON_AddStringToObject(info, "Name", b->name);
	b->pqa = cJSON_AddArrayToObject(cJSON_AddObjectToObject(info,
				"Eval_Info"), "qa");
	return b->pqa;
}

/* "2024/Oct/14/09:14 AM" of "2024-10-14T09:14:00" into out[24]. */
static void
pb_time(const char *iso, char out[24])
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y = 0, m = 1, d = 1, h = 0, mi = 0;

	sscanf(iso, "%d-%d-%dT%d:%d", &y, &m, &d, &h, &mi);
	if (m < 1 || m > 12)
		m = 1;
	if (y < 0 || y > 9999 || d < 0 || d > 99 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59)
		y = d = h = mi = 0;
	snprintf(out, 24, "%04d/%s/%02d/%02d:%02d %s", y, mon[m - 1], d,
		 h % 12 == 0 ? 12 : h % 12, mi, h < 12 ? "AM" : "PM");
}

/* The full name of conversation speaker `role` (entries name speakers by
 * first name): the persona, else the target. */
static const char *
speaker(const struct pb *b, const char *role, const char *target)
{
	return strcmp(role, b->first) == 0 || strcmp(role, b->name) == 0 ?
	       b->name : target;
}

static const char *
contact_name(const struct pb *b, const char *id)
{
	int i;

	for (i = 0; i < b->ncontacts; i++)
		if (strcmp(b->contact_id[i], id) == 0)
			return b->contact_name[i];
	return "";
}

/* A conversation session joins its target's group in Data. */
static int
add_conversation(struct pb *b, cJSON *s, const char *target)
{
	cJSON *g, *conv = NULL, *turn;

	cJSON_ArrayForEach(g, b->pdata[0])
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(g,
		    "Target_name")), target) == 0)
			conv = cJSON_GetObjectItem(g, "Conversations");
	if (conv == NULL) {
		if ((g = cJSON_CreateObject()) == NULL)
			return oom(b);
		cJSON_AddItemToArray(b->pdata[0], g);
		cJSON_AddStringToObject(g, "Target_name", target);
		if ((conv = cJSON_AddArrayToObject(g, "Conversations")) == NULL)
			return oom(b);
	}
	cJSON_ArrayForEach(turn, cJSON_GetObjectItem(s, "conversation")) {
		const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(
					turn, "role"));
		cJSON_ReplaceItemInObject(turn, "role", cJSON_CreateString(
			speaker(b, role != NULL ? role : "", target)));
	}
	cJSON_AddItemToArray(conv, s);
	return 0;
}

/* One document: remember its segment id; a PersonaBench type goes into
 * its Data array. */
static int
on_document(struct pb *b, const struct export_rec *r)
{
	const char *type = export_rec_text(r, "doc_type");
	const char *sid = export_rec_text(r, "session_id");
	struct pb_doc *d;
	char time[24], session[96];
	cJSON *s, *entries;
	int t;

	if (b->ndocs >= PB_MAX_DOCS)
		return pf_error_set(b->err, "persona %s has more than %d "
				    "documents", r->uid, PB_MAX_DOCS);
	d = &b->docs[b->ndocs++];
	snprintf(d->doc_id, sizeof(d->doc_id), "%s",
		 export_rec_text(r, "doc_id"));
	snprintf(d->segment_id, sizeof(d->segment_id), "%s",
		 export_rec_text(r, "segment_id"));
	for (t = 0; t < PB_NTYPES && strcmp(pb_types[t].type, type); t++)
		;
	d->pb = t < PB_NTYPES;
	if (!d->pb) {
		b->c->docs_left_out++;
		return 0;
	}
	/* "user_ai---session---3" as the authors number it:
	 * "user_ai_interaction---session---3". */
	snprintf(session, sizeof(session), "%s%s", pb_types[t].pb,
		 strncmp(sid, type, strlen(type)) == 0 ? sid + strlen(type) :
		 "");
	pb_time(export_rec_text(r, "timestamp"), time);
	entries = cJSON_Parse(export_rec_text(r, "entries"));
	if ((s = cJSON_CreateObject()) == NULL || entries == NULL) {
		cJSON_Delete(s);
		cJSON_Delete(entries);
		return pf_error_set(b->err, "document %s: entries are not "
				    "JSON", d->doc_id);
	}
	cJSON_AddStringToObject(s, "session", session);
	cJSON_AddStringToObject(s, "time", time);
	if (t == 0)
		cJSON_AddStringToObject(s, "target_name", contact_name(b,
			export_rec_text(r, "contact_id")));
	cJSON_AddItemToObject(s, pb_types[t].key, entries);
	cJSON_AddStringToObject(s, "segment_id", d->segment_id);
	b->c->sessions++;
	if (t == 0)
		return add_conversation(b, s, contact_name(b,
					export_rec_text(r, "contact_id")));
	cJSON_AddItemToArray(b->pdata[t], s);
	return 0;
}

static const struct pb_doc *
doc_of(const struct pb *b, const char *doc_id)
{
	int i;

	for (i = 0; i < b->ndocs; i++)
		if (strcmp(b->docs[i].doc_id, doc_id) == 0)
			return &b->docs[i];
	return NULL;
}

/* The segment_id map of evidence_items text: per item, the segment ids
 * of its exported documents in order; NULL when an item has none (the
 * QA is left out) or on a parse error (*bad set). */
static cJSON *
segment_map(const struct pb *b, const char *items, int *bad)
{
	cJSON *ev = cJSON_Parse(items), *m = cJSON_CreateObject(), *it, *id;
	cJSON *ids;
	const struct pb_doc *d;
	const char *key;

	*bad = ev == NULL || m == NULL || !cJSON_IsArray(ev);
	if (*bad) {
		cJSON_Delete(ev);
		cJSON_Delete(m);
		return NULL;
	}
	cJSON_ArrayForEach(it, ev) {
		key = cJSON_GetStringValue(cJSON_GetObjectItem(it, "item"));
		ids = key == NULL ? NULL : cJSON_GetObjectItem(m, key);
		if (key != NULL && ids == NULL)
			ids = cJSON_AddArrayToObject(m, key);
		cJSON_ArrayForEach(id, cJSON_GetObjectItem(it, "docs"))
			if ((d = doc_of(b, cJSON_GetStringValue(id))) != NULL &&
			    d->pb && ids != NULL)
				cJSON_AddItemToArray(ids, cJSON_CreateString(
						     d->segment_id));
		if (ids == NULL || cJSON_GetArraySize(ids) == 0) {
			cJSON_Delete(m);
			m = NULL;
			break;
		}
	}
	if (m != NULL && cJSON_GetArraySize(m) == 0) {
		cJSON_Delete(m);
		m = NULL;
	}
	cJSON_Delete(ev);
	return m;
}

/* The answer as PersonaBench writes it: the list, a number or text. */
static cJSON *
answer_json(const struct export_rec *r)
{
	const char *type = export_rec_text(r, "answer_type");
	const char *a = export_rec_text(r, "answer");

	if (strcmp(type, "list") == 0)
		return cJSON_Parse(export_rec_text(r, "answer_list"));
	if (strcmp(type, "number") == 0)
		return cJSON_CreateNumber(strtod(a, NULL));
	return cJSON_CreateString(a);
}

static int
on_qa(struct pb *b, const struct export_rec *r)
{
	const char *id = export_rec_text(r, "qa_id");
	const char *n = strrchr(id, 'q');
	cJSON *seg, *q, *g;
	char qid[32];
	long num = n != NULL ? strtol(n + 1, NULL, 10) : 0;
	int bad;

	seg = segment_map(b, export_rec_text(r, "evidence_items"), &bad);
	if (bad)
		return pf_error_set(b->err, "QA %s: evidence_items is not a "
				    "JSON array", id);
	if (seg == NULL) {
		b->c->qa_left_out++;
		return 0;
	}
	if (b->index > 999999 || num < 1 || num > 1000) {
		cJSON_Delete(seg);
		return pf_error_set(b->err, "QA %s: no 9-digit q_id (persona "
				    "index up to 999999, QA number up to "
				    "1000)", id);
	}
	snprintf(qid, sizeof(qid), "%06lld%03ld", b->index, num - 1);
	if (persona_qa(b) == NULL) {
		cJSON_Delete(seg);
		return oom(b);
	}
	q = cJSON_CreateObject();
	g = cJSON_CreateObject();
	cJSON_AddItemToArray(b->pqa, q);
	cJSON_AddItemToArray(b->gt, g);
	cJSON_AddStringToObject(q, "q_id", qid);
	cJSON_AddStringToObject(q, "question", export_rec_text(r, "question"));
	cJSON_AddItemToObject(q, "answer", answer_json(r));
	cJSON_AddStringToObject(q, "type", export_rec_text(r, "qtype"));
	cJSON_AddStringToObject(q, "difficulty",
				export_rec_text(r, "difficulty"));
	cJSON_AddItemToObject(q, "outdated_value", cJSON_Parse(
		export_rec_text(r, "outdated_value")));
	cJSON_AddStringToObject(g, "q_id", qid);
	cJSON_AddStringToObject(g, "question", export_rec_text(r, "question"));
	cJSON_AddItemToObject(g, "answer", answer_json(r));
	cJSON_AddItemToObject(g, "segment_id", seg);
	b->c->qa++;
	return 0;
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct pb *b = ud;
	const char *t = r->kind->table->name;
	int i;

	if (ev != EXPORT_OPEN || r->uid == NULL)
		return 0;
	if (strcmp(t, "contact") == 0) {
		if ((i = b->ncontacts) >= PB_MAX_CONTACTS)
			return 0;
		snprintf(b->contact_id[i], sizeof(b->contact_id[i]), "%s",
			 export_rec_text(r, "contact_id"));
		snprintf(b->contact_name[i], sizeof(b->contact_name[i]),
			 "%s", export_rec_text(r, "name"));
		b->ncontacts++;
		return 0;
	}
	if (strcmp(t, "document") == 0)
		return on_document(b, r);
	if (strcmp(t, "qa") == 0)
		return on_qa(b, r);
	return 0;
}

/* The build's noise ratio ($.stages.documents.noise_ratio, default 0). */
static int
noise_ratio(struct dataset *ds, double *out, struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT json_extract(config, "
		"'$.stages.documents.noise_ratio') FROM run", err);
	int rc;

	if (st == NULL)
		return -1;
	*out = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);   /* a statement left open keeps the
				 * connection from closing */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       pf_error_set(err, "cannot read the run's config");
}

int
personabench_export_write(struct dataset *ds, const char *dir,
			  unsigned opts, struct pb_counts *counts,
			  struct pf_error *err)
{
	struct export_sink sink = export_sink_nop;
	struct export_counts ec;
	struct pb *b = calloc(1, sizeof(*b));
	int rc = -1;

	memset(counts, 0, sizeof(*counts));
	if (b == NULL)
		return pf_error_set(err, "out of memory");
	b->dir = dir;
	b->c = counts;
	b->err = err;
	b->community = -1;
	if (noise_ratio(ds, &counts->noise, err) != 0 ||
	    export_make_dir(dir, err) != 0)
		goto done;
	sink.ud = b;
	sink.persona = on_persona;
	sink.record = on_record;
	memset(&ec, 0, sizeof(ec));
	if (export_walk(ds, opts, &sink, &ec, err) != 0) {
		counts->damaged = ec.damaged;
		goto done;
	}
	if (counts->qa == 0 && counts->qa_left_out == 0) {
		pf_error_set(err, "no QA to export (the build has no qa "
			     "stage)");
		goto done;
	}
	rc = flush_community(b);
done:
	drop_community(b);
	free(b);
	return rc;
}
