/*
 * move.c — the one way a record changes state: the move of its states file, its guards, the
 * policy (through the store's one write path) and its effects, in one store transaction and
 * one audit commit whose subject says what happened in words ("整改 ZG-… 复查通过").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"

/* The form whose ids start as id does (the letters before the first '-' of its id-format). */
static const struct form *
form_of_id(const struct formset *forms, const char *id)
{
	size_t plen = strcspn(id, "-{");

	for (size_t i = 0; plen > 0 && i < forms->n; i++) {
		const char *fmt = forms->forms[i]->id_format;

		if (strncmp(fmt, id, plen) == 0 && fmt[plen] == '-')
			return forms->forms[i];
	}
	return NULL;
}

static const char *
state_label(const struct machine *m, const char *value)
{
	return field_option_label(&m->form->fields[m->field], value);
}

/* The guards a person's move must pass; err names the first that fails. */
static int
check_guards(const struct machine *m, const struct machine_move *mv, const struct record *rec,
    const char *reason, struct error *err)
{
	for (size_t i = 0; i < mv->n_guards; i++) {
		const struct machine_guard *g = &mv->guards[i];
		const struct field *f;

		switch (g->kind) {
		case GUARD_REQUIRE:
			f = form_field(m->form, g->arg);
			if (*record_get(rec, g->arg) == '\0')
				return error_set(err, ST_REFUSED, _("%s needs %s (%s) first"),
				    lang_pick(mv->words_zh, mv->words_en), field_label(f), f->name);
			break;
		case GUARD_REASON:
			if (reason == NULL || *reason == '\0')
				return error_set(err, ST_REFUSED, _("%s needs a reason (--reason TEXT)"),
				    lang_pick(mv->words_zh, mv->words_en));
			break;
		case GUARD_BY:
			return error_set(err, ST_REFUSED,
			    _("%s is not made by hand: it follows from %s"),
			    lang_pick(mv->words_zh, mv->words_en), g->arg);
		case GUARD_CHECK:
			return error_set(err, ST_FAILED, _("%s:%d: unknown check '%s'"), m->path,
			    g->line, g->arg);
		}
	}
	return 0;
}

/* Reads the record and finds its move to state to; err says why there is none. */
static int
find_move(struct store_txn *txn, const struct casework *cw, const struct formset *forms,
    const char *id, const char *to, struct record **rec, const struct machine **m,
    const struct machine_move **mv, struct error *err)
{
	const struct form *form = form_of_id(forms, id);
	const char *from;

	if (form == NULL)
		return error_set(err, ST_REFUSED, _("'%s' is not an id of any record type"), id);
	if ((*m = casework_machine(cw, form)) == NULL)
		return error_set(err, ST_REFUSED, _("%s records have no states to move between"),
		    form_label(form));
	if (store_get(txn, form, id, rec, err) != 0)
		return -1;
	if (machine_state(*m, to) == NULL)
		return error_set(err, ST_REFUSED, _("'%s' is not a state of %s (field %s)"), to,
		    form_label(form), form->fields[(*m)->field].name);
	from = (*rec)->values[(*m)->field];
	if (str_eq(from, to))
		return error_set(err, ST_REFUSED, _("%s is already %s"), id, state_label(*m, to));
	if ((*mv = machine_find_move(*m, from, to)) == NULL)
		return error_set(err, ST_REFUSED, _("%s cannot go from %s to %s"), id,
		    state_label(*m, from), state_label(*m, to));
	return 0;
}

static char *
move_subject(const struct machine *m, const struct machine_move *mv, const char *id)
{
	return xasprintf("%s %s %s", m->form->label_zh, id, mv->words_zh);
}

static int
apply_move(struct store_txn *txn, const struct machine *m, const struct machine_move *mv,
    struct record *rec, const char *reason, struct move_result *out, struct error *err)
{
	char *subject, *body = NULL;

	out->id = xstrdup(record_id(rec));
	out->from = xstrdup(rec->values[m->field]);
	out->to = xstrdup(mv->to);
	record_set_raw(rec, m->field, mv->to);
	if (store_update(txn, rec, err) != 0)
		return -1;
	subject = move_subject(m, mv, record_id(rec));
	if (reason != NULL && *reason != '\0')
		body = xasprintf("%s\n", reason);
	store_txn_describe(txn, mv->action, subject, body);
	store_txn_add_trailer(txn, "From-State", out->from);
	store_txn_add_trailer(txn, "To-State", out->to);
	free(subject);
	free(body);
	return 0;
}

static int
move_in_txn(struct store *store, const struct casework *cw, const char *id, const char *to,
    const char *reason, bool write, struct move_result *out, struct error *err)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	const struct machine *m;
	const struct machine_move *mv;
	int rc = -1;

	if (store_txn_begin(store, write, &txn, err) != 0)
		return -1;
	if (find_move(txn, cw, store_forms(store), id, to, &rec, &m, &mv, err) != 0 ||
	    check_guards(m, mv, rec, reason, err) != 0)
		goto out;
	if (!write) {
		struct record *after = record_copy(rec);

		record_set_raw(after, m->field, mv->to);
		rc = store_may_write(store, rec, after, err);
		record_free(after);
		goto out;
	}
	if (apply_move(txn, m, mv, rec, reason, out, err) != 0)
		goto out;
	rc = store_txn_commit(txn, err);
	txn = NULL;
out:
	store_txn_abort(txn);
	record_free(rec);
	return rc;
}

int
casework_move(struct store *store, const struct casework *cw, const char *id, const char *to,
    const char *reason, struct move_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	return move_in_txn(store, cw, id, to, reason, true, out, err);
}

int
casework_move_check(struct store *store, const struct casework *cw, const char *id,
    const char *to, const char *reason, struct error *err)
{
	struct move_result unused;

	memset(&unused, 0, sizeof unused);
	return move_in_txn(store, cw, id, to, reason, false, &unused, err);
}

void
move_result_clear(struct move_result *r)
{
	free(r->id);
	free(r->from);
	free(r->to);
	strv_free(r->created);
	strv_free(r->changed);
	memset(r, 0, sizeof *r);
}
