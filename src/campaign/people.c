/*
 * people.c — who the acting user is in the campaign: the record of forms/user.form whose login
 * is theirs (the real uid's passwd name, never the environment), with its role and district.
 * Roles are granted by an administrator with "huitou new user …"; a login with no record, or
 * whose record is not active, has no role.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

/* The shown form of one field's value: an option's or a division's name, else as stored. */
static char *
shown_value(struct store *store, const struct record *rec, const char *name)
{
	const struct field *f = form_field(rec->form, name);
	const char *value = record_get(rec, name);

	if (f == NULL || value == NULL || *value == '\0')
		return NULL;
	if (f->kind == FT_DIVISION) {
		const struct division *d = store_division_find(store, value, f->level, NULL);

		return xstrdup(d != NULL ? d->name : value);
	}
	return xstrdup(field_display(f, value));
}

static void
person_fill(struct store *store, const struct record *rec, struct person *out)
{
	const char *active = record_get(rec, "active");

	out->id = xstrdup(record_id(rec));
	out->name = shown_value(store, rec, "name");
	out->active = active == NULL || !str_eq(active, "no");
	out->role = out->active ? shown_value(store, rec, "role") : NULL;
	out->district = shown_value(store, rec, "district");
}

int
person_find(struct store *store, const char *login, struct person *out, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), PERSON_FORM);
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	char **ids = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (form == NULL || form_field(form, "login") == NULL)
		return 0;	/* a deployment whose forms keep no people */
	rc = store_txn_begin(store, false, &txn, err);
	if (rc == 0)
		rc = store_find_by(txn, form, "login", login, &ids, &n, err);
	if (rc == 0 && n > 0 && (rc = store_get(txn, form, ids[0], &rec, err)) == 0)
		person_fill(store, rec, out);
	record_free(rec);
	strv_free(ids);
	store_txn_abort(txn);
	return rc;
}

void
person_free(struct person *p)
{
	free(p->id);
	free(p->name);
	free(p->role);
	free(p->district);
	memset(p, 0, sizeof *p);
}

/* The demo's people: one coordinator for each district. Whoever makes the demo is its city
 * coordinator already: init registered them. */
static const char *const demo_names[] = {
	"王芳", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周军", "吴霞", "徐明",
	"孙涛", "马超", "朱琳", "胡斌", "郭鹏", "何颖", "高峰", "林晓", "罗平",
};

static int
demo_person(struct store_txn *txn, const struct form *form, const char *const values[][2],
    size_t n, struct error *err)
{
	struct record *rec = record_new(form);
	struct field_ctx ctx;
	int rc = 0;

	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = record_set_input(rec, values[i][0], values[i][1], &ctx, err);
	if (rc == 0)
		rc = store_insert(txn, rec, err);
	record_free(rec);
	return rc;
}

int
demo_people(struct store *store, struct store_txn *txn, size_t *n, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), PERSON_FORM);
	/* a copy: the actor is read again (and its strings replaced) by the inserts below */
	char *acting;
	int rc = 0;

	*n = 0;
	if (form == NULL)
		return 0;
	acting = xstrdup(store_actor(store)->login);
	for (size_t i = 0; rc == 0 && i < store_division_count(store, DIV_DISTRICT); i++) {
		const struct division *d = store_division_at(store, DIV_DISTRICT, i);
		char *login = xasprintf("edu%s", d->code);
		const char *person[][2] = {
			{ "login", login }, { "name", demo_names[i % COUNT(demo_names)] },
			{ "role", "district_coordinator" }, { "district", d->code },
		};

		if (!str_eq(login, acting) &&
		    (rc = demo_person(txn, form, person, COUNT(person), err)) == 0)
			++*n;
		free(login);
	}
	free(acting);
	return rc;
}
