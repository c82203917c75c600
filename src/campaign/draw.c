/*
 * draw.c — announcing, completing and verifying a spot-check draw through the store's one
 * write path (doc/draw.md). The announcement commits the record with its population (and
 * pool); the completion finds that commit in git (the commit that created the record, never a
 * typed id), reads the population and parameters from it, and commits the seed, the sample
 * and the teams; verification recomputes them from git alone and compares the bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"

#define INSTITUTIONS "institution"

void
draw_outcome_clear(struct draw_outcome *o)
{
	free(o->id);
	free(o->commit);
	free(o->public_value);
	free(o->sample_csv);
	free(o->teams_csv);
	memset(o, 0, sizeof *o);
}

static const struct form *
need_form(struct store *store, const char *name, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), name);

	if (form == NULL)
		error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), name);
	return form;
}

/* Sets field to text through its type, as typed input is checked. */
static int
set_field(struct store_txn *txn, struct record *rec, const char *field, const char *text,
    struct error *err)
{
	struct field_ctx ctx;

	store_field_ctx(txn, rec, &ctx);
	return record_set_input(rec, field, text != NULL ? text : "", &ctx, err);
}

static int
set_number(struct store_txn *txn, struct record *rec, const char *field, size_t n,
    struct error *err)
{
	char text[32];

	snprintf(text, sizeof text, "%zu", n);
	return set_field(txn, rec, field, text, err);
}

static int
check_params(const struct draw_params *p, struct error *err)
{
	bool pool = p->inspectors != NULL && *p->inspectors != '\0';

	if (p->size == 0)
		return error_set(err, ST_USAGE, _("--size: a draw takes at least one institution"));
	if (p->public_source == NULL || *p->public_source == '\0')
		return error_set(err, ST_USAGE,
		    _("--public-source: name the public value that will complete the draw, one not known yet (e.g. a lottery draw's numbers on a later date)"));
	if (pool && p->per_team == 0)
		return error_set(err, ST_USAGE, _("--per-team: how many inspectors a team, with --inspectors"));
	if (!pool && p->per_team != 0)
		return error_set(err, ST_USAGE, _("--per-team goes with --inspectors"));
	return 0;
}

/* The population (and pool) chosen and written as files, the counts checked. */
struct announced_files {
	struct buf population, pool;
	size_t n_population, n_pool;
};

static int
choose_population(struct store_txn *txn, struct store *store, const struct draw_params *p,
    struct announced_files *f, struct error *err)
{
	const struct form *inst = need_form(store, INSTITUTIONS, err);
	const struct form *people = inst != NULL ? need_form(store, PERSON_FORM, err) : NULL;
	char **ids = NULL;
	int rc = people != NULL ? select_ids_in(txn, inst, p->where, &ids, &f->n_population, err) : -1;

	if (rc == 0 && f->n_population == 0)
		rc = error_set(err, ST_REFUSED, _("the query selects no institution: nothing to draw from"));
	else if (rc == 0 && p->size > f->n_population)
		rc = error_set(err, ST_REFUSED, _("the query selects %zu institutions, fewer than the %zu to draw"),
		    f->n_population, p->size);
	if (rc == 0)
		rc = draw_rows_text(txn, inst, ids, f->n_population, &f->population, err);
	strv_free(ids);
	ids = NULL;
	if (rc != 0 || p->inspectors == NULL || *p->inspectors == '\0')
		return rc;
	rc = select_ids_in(txn, people, p->inspectors, &ids, &f->n_pool, err);
	if (rc != 0)
		error_prefix(err, "--inspectors: ");
	else if (f->n_pool < p->per_team)
		rc = error_set(err, ST_REFUSED, _("the inspectors' query selects %zu people, fewer than one team of %zu"),
		    f->n_pool, p->per_team);
	if (rc == 0)
		rc = draw_rows_text(txn, people, ids, f->n_pool, &f->pool, err);
	strv_free(ids);
	return rc;
}

static int
fill_announcement(struct store_txn *txn, struct store *store, struct record *rec,
    const struct draw_params *p, const struct announced_files *f, struct error *err)
{
	const struct store_actor *who = store_actor(store);
	char today[11];
	int rc;

	clock_format_date(clock_today(), today);
	rc = set_field(txn, rec, "where", p->where, err);
	rc = rc == 0 ? set_number(txn, rec, "size", p->size, err) : rc;
	rc = rc == 0 ? set_field(txn, rec, "public_source", p->public_source, err) : rc;
	rc = rc == 0 ? set_number(txn, rec, "population_count", f->n_population, err) : rc;
	if (rc == 0 && f->pool.len > 0) {
		rc = set_field(txn, rec, "inspectors", p->inspectors, err);
		rc = rc == 0 ? set_number(txn, rec, "per_team", p->per_team, err) : rc;
		rc = rc == 0 ? set_number(txn, rec, "pool_count", f->n_pool, err) : rc;
	}
	rc = rc == 0 ? set_field(txn, rec, "state", "announced", err) : rc;
	if (rc == 0 && who->id != NULL)
		rc = set_field(txn, rec, "announced_by", who->id, err);
	return rc == 0 ? set_field(txn, rec, "announced_on", today, err) : rc;
}

static void
describe_announcement(struct store_txn *txn, const struct record *rec,
    const struct announced_files *f)
{
	const char *id = record_id(rec);
	char *subject = xasprintf("公告随机抽查 %s：从 %zu 家机构中抽取 %s 家", id,
	    f->n_population, record_get(rec, "size"));
	char *body = xasprintf("抽查范围: %s\n公开随机源: %s\n检查人员范围: %s\n每组人数: %s\n",
	    record_get(rec, "where"), record_get(rec, "public_source"),
	    record_get(rec, "inspectors"), record_get(rec, "per_team"));
	char *path = draw_path(id, "population.csv");

	store_txn_describe(txn, "draw.announce", subject, body);
	store_txn_set_record(txn, id);
	store_txn_add_trailer(txn, "Public-Source", record_get(rec, "public_source"));
	store_txn_add_file(txn, path, f->population.data, f->population.len);
	free(path);
	if (f->pool.len > 0) {
		path = draw_path(id, "pool.csv");
		store_txn_add_file(txn, path, f->pool.data, f->pool.len);
		free(path);
	}
	free(subject);
	free(body);
}

int
draw_announce(struct store *store, const struct draw_params *p, char **id,
    size_t *population, struct error *err)
{
	const struct form *form = need_form(store, DRAW_FORM, err);
	struct announced_files f = { BUF_INIT, BUF_INIT, 0, 0 };
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	int rc;

	*id = NULL;
	if (form == NULL || check_params(p, err) != 0)
		return -1;
	rc = store_txn_begin(store, true, &txn, err);
	if (rc == 0)
		rc = choose_population(txn, store, p, &f, err);
	if (rc == 0) {
		rec = record_new(form);
		rc = fill_announcement(txn, store, rec, p, &f, err);
	}
	if (rc == 0)
		rc = store_insert(txn, rec, err);
	if (rc == 0) {
		describe_announcement(txn, rec, &f);
		*id = xstrdup(record_id(rec));
		*population = f.n_population;
		rc = store_txn_commit(txn, err);
	} else
		store_txn_abort(txn);
	record_free(rec);
	buf_free(&f.population);
	buf_free(&f.pool);
	if (rc != 0) {
		free(*id);
		*id = NULL;
	}
	return rc;
}
