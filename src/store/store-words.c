/*
 * store-words.c — a change as an auditor reads it in a commit message: option labels, 是/否,
 * and a referenced record's name beside its id ("责任人 RY-00012(徐明)→RY-00003(王芳)"); the
 * record text in git keeps the codes. A commit also names, in a Person trailer each, the
 * people its changed fields refer to (issue 13, item 5).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

#define PERSON_TRAILERS_MAX 20	/* a batch or an import names its first people, not all */

/* The name of the record a ref value names, or NULL (no title, no such record). */
static char *
ref_name(struct store_txn *txn, const struct field *f, const char *id)
{
	const struct form *to;
	char *title;

	if (f->kind != FT_REF || *id == '\0' ||
	    (to = formset_find(txn->store->forms, f->ref_form)) == NULL || to->title == NULL)
		return NULL;
	title = store_record_title(txn, to, id);
	if (str_eq(title, id)) {
		free(title);
		return NULL;
	}
	return title;
}

static void
value_words(struct store_txn *txn, const struct field *f, const char *value, struct buf *out)
{
	char *name = ref_name(txn, f, value);

	width_escape_controls(out, field_display_zh(f, value));
	if (name != NULL) {
		buf_adds(out, "(");
		width_escape_controls(out, name);
		buf_adds(out, ")");
	}
	free(name);
}

void
store_change_words(struct store_txn *txn, const struct field *f, const char *was,
    const char *now, struct buf *out)
{
	buf_printf(out, "%s ", f->label_zh);
	if (f->private_) {	/* named, its values never: the message is plain text in git */
		buf_adds(out, *now != '\0' ? "已改（不公开）" : "已清空（不公开）");
		return;
	}
	value_words(txn, f, was, out);
	buf_adds(out, "→");
	value_words(txn, f, now, out);
}

/* "Person: RY-00012 徐明" once per person, up to PERSON_TRAILERS_MAX. */
static void
note_person(struct store_txn *txn, const struct field *f, const char *id)
{
	char *name, *key;

	if (f->kind != FT_REF || !str_eq(f->ref_form, POLICY_USER_FORM) || *id == '\0' ||
	    txn->n_persons >= PERSON_TRAILERS_MAX)
		return;
	key = xasprintf("Person: %s ", id);
	if (strstr(buf_str(&txn->persons), key) == NULL && (name = ref_name(txn, f, id)) != NULL) {
		buf_adds(&txn->persons, key);
		width_escape_controls(&txn->persons, name);
		buf_addc(&txn->persons, '\n');
		txn->n_persons++;
		free(name);
	}
	free(key);
}

void
txn_note_persons(struct store_txn *txn, const struct record *old, const struct record *rec)
{
	const struct form *form = rec->form;

	for (size_t i = 1; i < form->n_fields; i++) {
		const char *was = old != NULL ? old->values[i] : "";

		if (str_eq(was, rec->values[i]))
			continue;
		note_person(txn, &form->fields[i], was);
		note_person(txn, &form->fields[i], rec->values[i]);
	}
}

char *
store_message_trailer(const char *message, const char *key)
{
	size_t klen = strlen(key);
	const char *p = message;
	char *found = NULL;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ') {
			free(found);
			found = xstrndup(p + klen + 2, strcspn(p + klen + 2, "\n"));
		}
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	return found;
}
