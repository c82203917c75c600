/*
 * store-files.c — files of the audit record besides the records (a draw's population and
 * sample, doc/draw.md), read from git for the campaign, which knows git only through the
 * store: one file as main holds it now, and the files one commit of main changed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

/* Reads are git's: they work while commits wait or main is not trusted, as history does. */
static int
flush_for_reading(struct store *store, struct error *err)
{
	int rc = store_audit_flush(store, err);

	if (rc != 0 && store->audit != NULL) {
		error_clear(err);
		rc = 0;
	}
	return rc;
}

int
store_head_file(struct store *store, const char *path, char **text, struct error *err)
{
	size_t len;
	char *content = NULL;

	*text = NULL;
	if (flush_for_reading(store, err) != 0 ||
	    audit_head_file(store->audit, path, &content, &len, err) != 0)
		return -1;
	if (content != NULL) {
		*text = xstrndup(content, len);
		free(content);
	}
	return 0;
}

struct commit_files {
	store_file_fn fn;
	void *arg;
};

static int
ignore_head(void *arg, const struct audit_entry *e)
{
	(void)arg;
	(void)e;
	return 0;
}

static int
pass_change(void *arg, const struct audit_change *c)
{
	struct commit_files *cf = arg;

	return cf->fn(cf->arg, c->path, c->after, c->after_len);
}

int
store_commit_files(struct store *store, const char *rev, store_file_fn fn, void *arg,
    struct error *err)
{
	struct commit_files cf = { fn, arg };

	if (flush_for_reading(store, err) != 0)
		return -1;
	return audit_show(store->audit, rev, ignore_head, pass_change, &cf, err);
}
