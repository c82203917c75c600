/*
 * ask-reason.c — why a change is made, asked before it is written when it changes a field its
 * form marks "reason" (forms/README.md): the form's save, "=" and ":set", and ";=". Nothing is
 * written without one; the reason becomes the commit's Reason trailer.
 */
#include "config.h"

#include <stdlib.h>

#include "console/ask.h"

static void
add_label(struct buf *out, const struct field *f)
{
	buf_printf(out, "%s%s", out->len > 0 ? _(", ") : "", field_label(f));
}

char *
reason_fields_changed(const struct record *old, const struct record *rec)
{
	struct buf out = BUF_INIT;

	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].needs_reason && !str_eq(old->values[i], rec->values[i]))
			add_label(&out, &rec->form->fields[i]);
	return out.len > 0 ? buf_detach(&out) : NULL;
}

char *
reason_fields_assigned(const struct assignments *a)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < a->n; i++)
		if (a->fields[i]->needs_reason)
			add_label(&out, a->fields[i]);
	return out.len > 0 ? buf_detach(&out) : NULL;
}

int
reason_ask(struct app *app, const char *fields, char **out)
{
	char *prompt = xasprintf(_("reason for changing %s: "), fields);
	char *typed = app_prompt(app, prompt, NULL);
	struct error err = ERROR_INIT;

	*out = NULL;
	if (typed != NULL && reason_parse(typed, true, out, &err) != 0)
		app_message(app, true, _("not saved: the reason: %s"), err.message);
	else if (*out == NULL)
		app_message(app, true, _("not saved: a change of %s needs a reason"), fields);
	error_clear(&err);
	free(typed);
	free(prompt);
	return *out != NULL ? 0 : -1;
}
