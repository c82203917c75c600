/*
 * draw-check.c — completing a draw and verifying one, from what git holds: the announcement
 * is the commit that created the draw's record (found in git, never typed), and its population,
 * pool and parameters are read as that commit wrote them. The completion commits the seed, the
 * sample and the teams once; a verification recomputes them and compares the bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"

/* The fields an announcement fixes: a completion is made with them as they were announced. */
static const char *const announced_fields[] = {
	"where", "size", "inspectors", "per_team", "public_source", NULL,
};

struct announcement {
	const char *id;
	char commit[41];
	struct record *rec;	/* the record as announced */
	char *population, *pool;
	char *population_path, *pool_path;
};

static void
announcement_clear(struct announcement *a)
{
	record_free(a->rec);
	free(a->population);
	free(a->pool);
	free(a->population_path);
	free(a->pool_path);
}

/* Newest first: the last commit that created the record is the announcement. */
static int
note_creation(void *arg, const struct store_history *h)
{
	struct announcement *a = arg;

	if (h->before == NULL && h->after != NULL) {
		snprintf(a->commit, sizeof a->commit, "%s", h->commit);
		record_free(a->rec);
		a->rec = record_copy(h->after);
	}
	return 0;
}

static int
keep_file(void *arg, const char *path, const char *text, size_t len)
{
	struct announcement *a = arg;

	if (text != NULL && str_eq(path, a->population_path))
		a->population = xstrndup(text, len);
	else if (text != NULL && str_eq(path, a->pool_path))
		a->pool = xstrndup(text, len);
	return 0;
}

static int
find_announcement(struct store *store, const struct form *form, const char *id,
    struct announcement *a, struct error *err)
{
	memset(a, 0, sizeof *a);
	a->id = id;
	a->population_path = draw_path(id, "population.csv");
	a->pool_path = draw_path(id, "pool.csv");
	if (store_history(store, form, id, note_creation, a, err) != 0)
		return -1;
	if (a->rec == NULL)
		return error_set(err, ST_REFUSED, _("%s is in no commit of the audit record"), id);
	if (store_commit_files(store, a->commit, keep_file, a, err) != 0)
		return -1;
	if (a->population == NULL)
		return error_set(err, ST_REFUSED,
		    _("%s was not announced by huitou draw: the commit that made it (%.12s) holds no %s"),
		    id, a->commit, a->population_path);
	return 0;
}

static size_t
number(const struct record *rec, const char *field)
{
	const char *v = record_get(rec, field);

	return v != NULL && *v != '\0' ? (size_t)strtoull(v, NULL, 10) : 0;
}

/* The seed and the files from the announcement and the public value. */
static int
recompute(const struct announcement *a, const char *public_value, struct draw_outcome *out,
    struct error *err)
{
	struct draw_rows population, pool;
	uint8_t seed[DRAW_SEED_BYTES];
	bool teams = a->pool != NULL;

	if (draw_rows_parse(a->population, a->population_path, &population, err) != 0)
		return -1;
	if (teams && draw_rows_parse(a->pool, a->pool_path, &pool, err) != 0) {
		draw_rows_free(&population);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->id = xstrdup(a->id);
	out->commit = xstrdup(a->commit);
	out->public_value = xstrdup(public_value);
	draw_seed(a->id, a->commit, public_value, seed);
	draw_seed_hex(seed, out->seed);
	draw_result_texts(seed, &population, number(a->rec, "size"), teams ? &pool : NULL,
	    number(a->rec, "per_team"), &out->sample_csv, &out->teams_csv);
	out->population = population.n;
	out->sample = number(a->rec, "size") < population.n ? number(a->rec, "size") : population.n;
	draw_rows_free(&population);
	if (teams)
		draw_rows_free(&pool);
	return 0;
}

static int
read_draw(struct store *store, const struct form *form, const char *id, struct record **rec,
    struct error *err)
{
	struct store_txn *txn = NULL;
	int rc = store_txn_begin(store, false, &txn, err);

	if (rc == 0)
		rc = store_get(txn, form, id, rec, err);
	store_txn_abort(txn);
	return rc;
}

/* The value as the field keeps it (trimmed, NFC): what the seed is made from. */
static int
canonical_value(struct store *store, const struct form *form, const char *input, char **value,
    struct error *err)
{
	struct store_txn *txn = NULL;
	struct field_ctx ctx;
	int f = form_field_index(form, "public_value"), rc;

	if (f < 0)
		return error_set(err, ST_FAILED, _("the form %s has no field %s"), form->name, "public_value");
	if ((rc = store_txn_begin(store, false, &txn, err)) == 0) {
		store_field_ctx(txn, NULL, &ctx);
		rc = record_parse_input(form, (size_t)f, input, &ctx, value, err);
	}
	store_txn_abort(txn);
	if (rc == 0 && **value == '\0') {
		free(*value);
		*value = NULL;
		rc = error_set(err, ST_USAGE, _("--public-value: the value published, as published"));
	}
	return rc;
}

static int
check_unchanged(const struct record *now, const struct announcement *a, struct error *err)
{
	for (size_t i = 0; announced_fields[i] != NULL; i++) {
		const char *f = announced_fields[i];

		if (!str_eq(record_get(now, f), record_get(a->rec, f)))
			return error_set(err, ST_REFUSED,
			    _("%s: %s is '%s', not '%s' as announced in %.12s; a draw is made as it was announced"),
			    a->id, f, record_get(now, f), record_get(a->rec, f), a->commit);
	}
	return 0;
}

static int
check_announced(const struct record *rec, struct error *err)
{
	if (str_eq(record_get(rec, "state"), "announced"))
		return 0;
	return error_set(err, ST_REFUSED, _("%s was drawn on %s already: a draw completes once"),
	    record_id(rec), record_get(rec, "drawn_on"));
}

static int
fill_completion(struct store_txn *txn, struct store *store, struct record *rec,
    const struct draw_outcome *o, struct error *err)
{
	const struct store_actor *who = store_actor(store);
	struct field_ctx ctx;
	char today[11], count[32];
	const char *pairs[] = { "state", "drawn", "announce_commit", o->commit,
	    "public_value", o->public_value, "seed", o->seed, "sample_count", count,
	    "drawn_by", who->id != NULL ? who->id : "", "drawn_on", today, NULL };
	int rc = 0;

	clock_format_date(clock_today(), today);
	snprintf(count, sizeof count, "%zu", o->sample);
	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; pairs[i] != NULL && rc == 0; i += 2)
		rc = record_set_input(rec, pairs[i], pairs[i + 1], &ctx, err);
	return rc;
}

static void
describe_completion(struct store_txn *txn, const struct draw_outcome *o)
{
	char *subject = o->planned > 0 ?
	    xasprintf("随机抽查 %s 完成抽取：从 %zu 家机构中抽中 %zu 家，计划检查 %zu 次", o->id,
	    o->population, o->sample, o->planned) :
	    xasprintf("随机抽查 %s 完成抽取：从 %zu 家机构中抽中 %zu 家", o->id,
	    o->population, o->sample);
	char *body = xasprintf("公开随机值: %s\n种子: %s\n", o->public_value, o->seed);
	char *path = draw_path(o->id, "sample.csv");

	store_txn_describe(txn, "draw.complete", subject, body);
	store_txn_set_record(txn, o->id);
	store_txn_add_trailer(txn, "Announce-Commit", o->commit);
	store_txn_add_file(txn, path, o->sample_csv, strlen(o->sample_csv));
	free(path);
	if (o->teams_csv != NULL) {
		path = draw_path(o->id, "teams.csv");
		store_txn_add_file(txn, path, o->teams_csv, strlen(o->teams_csv));
		free(path);
	}
	free(subject);
	free(body);
}

static int
commit_completion(struct store *store, const struct form *form, bool plan, struct draw_outcome *o,
    struct error *err)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	int rc = store_txn_begin(store, true, &txn, err);

	if (rc == 0)
		rc = store_get(txn, form, o->id, &rec, err);
	if (rc == 0)
		rc = check_announced(rec, err);	/* again: another may have completed it since */
	if (rc == 0)
		rc = fill_completion(txn, store, rec, o, err);
	if (rc == 0) {
		store_txn_allow_moves(txn);
		rc = store_update(txn, rec, err);
	}
	if (rc == 0 && plan)
		rc = draw_plan_inspections(txn, store_forms(store), o, &o->planned, err);
	if (rc == 0) {
		describe_completion(txn, o);
		rc = store_txn_commit(txn, err);
	} else
		store_txn_abort(txn);
	record_free(rec);
	return rc;
}

int
draw_complete(struct store *store, const char *id, const char *public_value, bool plan,
    struct draw_outcome *out, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), DRAW_FORM);
	struct announcement a;
	struct record *rec = NULL;
	char *value = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&a, 0, sizeof a);
	if (form == NULL)
		return error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), DRAW_FORM);
	rc = read_draw(store, form, id, &rec, err);
	rc = rc == 0 ? check_announced(rec, err) : rc;
	rc = rc == 0 ? canonical_value(store, form, public_value, &value, err) : rc;
	rc = rc == 0 ? find_announcement(store, form, id, &a, err) : rc;
	rc = rc == 0 ? check_unchanged(rec, &a, err) : rc;
	rc = rc == 0 ? recompute(&a, value, out, err) : rc;
	rc = rc == 0 ? commit_completion(store, form, plan, out, err) : rc;
	if (rc != 0)
		draw_outcome_clear(out);
	announcement_clear(&a);
	record_free(rec);
	free(value);
	return rc;
}

int
draw_file(struct store *store, const char *id, const char *name, char **text,
    struct error *err)
{
	char *path = draw_path(id, name);
	int rc = store_head_file(store, path, text, err);

	free(path);
	return rc;
}

/* The first line where two texts differ, for the sentence; 0 when they are the same. */
static size_t
first_difference(const char *a, const char *b)
{
	size_t line = 1;

	if (a == NULL || b == NULL)
		return a == b ? 0 : 1;
	for (; *a != '\0' && *a == *b; a++, b++)
		line += *a == '\n';
	return *a == *b ? 0 : line;
}

static int
compare_file(struct store *store, const char *id, const char *name, const char *want,
    struct error *err)
{
	char *got = NULL;
	size_t line;
	bool absent;

	if (draw_file(store, id, name, &got, err) != 0)
		return -1;
	line = first_difference(want, got);
	absent = got == NULL;
	free(got);
	if (line == 0)
		return 0;
	if (absent)
		return error_set(err, ST_REFUSED, _("%s: the audit record holds no %s"), id, name);
	return error_set(err, ST_REFUSED,
	    _("%s does not match: line %zu of the committed %s differs from the draw recomputed from its announcement and public value"),
	    id, line, name);
}

static int
compare_outcome(struct store *store, const struct record *rec, const struct draw_outcome *o,
    struct error *err)
{
	if (!str_eq(record_get(rec, "announce_commit"), o->commit))
		return error_set(err, ST_REFUSED,
		    _("%s does not match: it names %s as its announcement, but the commit that created it is %s"),
		    o->id, record_get(rec, "announce_commit"), o->commit);
	if (!str_eq(record_get(rec, "seed"), o->seed))
		return error_set(err, ST_REFUSED,
		    _("%s does not match: its seed is %s, the one recomputed is %s"), o->id,
		    record_get(rec, "seed"), o->seed);
	if (compare_file(store, o->id, "sample.csv", o->sample_csv, err) != 0)
		return -1;
	return compare_file(store, o->id, "teams.csv", o->teams_csv, err);
}

int
draw_verify(struct store *store, const char *id, struct draw_outcome *out, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), DRAW_FORM);
	struct announcement a;
	struct record *rec = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&a, 0, sizeof a);
	if (form == NULL)
		return error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), DRAW_FORM);
	rc = read_draw(store, form, id, &rec, err);
	if (rc == 0 && !str_eq(record_get(rec, "state"), "drawn"))
		rc = error_set(err, ST_REFUSED, _("%s is announced, not drawn yet: there is nothing to verify"), id);
	rc = rc == 0 ? find_announcement(store, form, id, &a, err) : rc;
	rc = rc == 0 ? recompute(&a, record_get(rec, "public_value"), out, err) : rc;
	rc = rc == 0 ? compare_outcome(store, rec, out, err) : rc;
	announcement_clear(&a);
	record_free(rec);
	return rc;
}
