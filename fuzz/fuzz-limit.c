/*
 * fuzz-limit.c — libFuzzer target: a limit or search expression ("l" and "/" in the console,
 * --where on the command line) through query_parse for the institution form, then matched
 * against a record, by its search key and through the index terms as a table's limit does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "store/query.h"
#include "store/store-private.h"

static const char sample_text[] =
	"# huitou institution 1\n"
	"id: JG-610113-000042\n"
	"name: 启明星教育培训学校\n"
	"district: 610113\n"
	"version: 3\n";

static const struct record *
sample_record(char **key)
{
	static struct record *rec;
	static char *sample_key;
	struct error err = ERROR_INIT;

	if (rec == NULL) {
		if (record_from_text(fuzz_form("institution"), NULL, sample_text,
		    sizeof sample_text - 1, &rec, &err) != 0)
			fatal("fuzz: %s", err.message);
		sample_key = query_record_key(rec);
	}
	*key = sample_key;
	return rec;
}

static int
count_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	size_t *n = arg;

	(void)f;
	(void)cmp;
	if (value == NULL)
		abort();
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *key;
	const struct form *form = fuzz_form("institution");
	const struct record *rec = sample_record(&key);
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	size_t offset = 0, terms = 0;
	bool *used;

	if (query_parse(form, NULL, text, &q, &offset, &err) == 0) {
		used = xcalloc(form->n_fields, sizeof *used);
		query_mark_fields(q, used, form->n_fields);
		(void)query_match(q, rec, key);
		(void)query_index_terms(q, count_term, &terms);
		(void)query_match_key(q, key);
		(void)query_by_index(q);
		free(used);
		query_free(q);
	} else if (offset > strlen(text))
		abort();	/* the bad word is inside the text */
	error_clear(&err);
	free(text);
	return 0;
}
