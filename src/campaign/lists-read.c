/*
 * lists-read.c — past publications: their records (publication.form) and what each published,
 * read back from git, from the tree its tag lists/NAME names (lists/NAME/white.csv and
 * black.csv), so a publication reads as it was published whatever the store holds now.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"

#define PUBLICATION_FORM "publication"

static int
publication_seen(const struct record *rec, void *arg)
{
	struct list_publications *ps = arg;
	struct list_publication *p;

	ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof *p);
	p->id = xstrdup(record_id(rec));
	p->name = xstrdup(record_get(rec, "name"));
	p->month = xstrdup(record_get(rec, "month"));
	p->published_on = xstrdup(record_get(rec, "published_on"));
	p->corrects_name = xstrdup(record_get(rec, "corrects"));	/* an id, named below */
	p->reason = xstrdup(record_get(rec, "reason"));
	p->white = strtoul(record_get(rec, "white_count"), NULL, 10);
	p->black = strtoul(record_get(rec, "black_count"), NULL, 10);
	return 0;
}

/* corrects holds an id: the name of that publication instead. */
static void
name_corrected(struct list_publications *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; *ps->p[i].corrects_name != '\0' && j < ps->n; j++)
			if (str_eq(ps->p[j].id, ps->p[i].corrects_name)) {
				free(ps->p[i].corrects_name);
				ps->p[i].corrects_name = xstrdup(ps->p[j].name);
				break;
			}
}

int
lists_publications(struct store *store, struct store_txn *txn, struct list_publications *out,
    struct error *err)
{
	const struct form *form = formset_find(store_forms(store), PUBLICATION_FORM);

	memset(out, 0, sizeof *out);
	if (form == NULL)
		return error_set(err, ST_FAILED, _("this data directory has no publications: copy "
		    "the shipped forms/publication.form and listing.form into its forms/"));
	if (store_foreach(txn, form, publication_seen, out, err) != 0) {
		lists_publications_free(out);
		return -1;
	}
	name_corrected(out);
	return 0;
}

void
lists_publications_free(struct list_publications *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		struct list_publication *p = &ps->p[i];

		free(p->id);
		free(p->name);
		free(p->month);
		free(p->published_on);
		free(p->corrects_name);
		free(p->reason);
	}
	free(ps->p);
	memset(ps, 0, sizeof *ps);
}

int
lists_read_published(struct store *store, const char *name, struct list_membership *out,
    struct error *err)
{
	static const enum list_kind kinds[] = { LIST_BLACK, LIST_WHITE };
	char *tag = xasprintf("lists/%s", name);
	int rc = 0;

	memset(out, 0, sizeof *out);
	for (size_t k = 0; rc == 0 && k < 2; k++) {
		char *path = xasprintf("lists/%s/%s.csv", name, list_kind_value(kinds[k]));
		char *text = NULL;
		size_t len = 0;

		rc = store_tag_file(store, tag, path, &text, &len, err);
		if (rc == 0 && text == NULL)
			rc = error_set(err, ST_FAILED, _("the tag %s has no %s"), tag, path);
		if (rc == 0 && (rc = list_csv_read(text, len, kinds[k], out, err)) != 0)
			error_prefix(err, "%s: ", path);
		free(text);
		free(path);
	}
	free(tag);
	if (rc != 0)
		list_membership_free(out);
	return rc;
}
