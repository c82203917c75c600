/*
 * fuzz-record.c — libFuzzer target: a record's text as "huitou rebuild" and "verify" read it
 * from git (record_from_text), private fields opened with a fixed key. The form is the one the
 * text's first line names ("# huitou FORM N"), else institution. What parses must come back
 * the same: its text, parsed again, gives the same text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "store/store-private.h"
#include "store/seal.h"

static const struct seal *
fuzz_seal(void)
{
	static struct seal *seal;
	unsigned char key[SEAL_KEY_BYTES];

	if (seal == NULL) {
		memset(key, 0x5a, sizeof key);
		seal = seal_new(key);
	}
	return seal;
}

/* The form the header names, else institution. */
static const struct form *
form_of_text(const char *text)
{
	const struct formset *forms = fuzz_forms();

	if (str_starts(text, "# huitou "))
		for (size_t i = 0; i < forms->n; i++) {
			size_t n = strlen(forms->forms[i]->name);

			if (strncmp(text + 9, forms->forms[i]->name, n) == 0 && text[9 + n] == ' ')
				return forms->forms[i];
		}
	return fuzz_form("institution");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	const struct form *form = form_of_text(text);
	struct record *rec = NULL, *again = NULL;
	struct buf first = BUF_INIT, second = BUF_INIT;
	struct error err = ERROR_INIT;

	if (record_from_text(form, fuzz_seal(), (const char *)data, size, &rec, &err) == 0) {
		record_text(rec, fuzz_seal(), &first);
		if (record_from_text(form, fuzz_seal(), first.data, first.len, &again, &err) != 0)
			abort();	/* what huitou writes, it must read */
		record_text(again, fuzz_seal(), &second);
		if (first.len != second.len || memcmp(first.data, second.data, first.len) != 0)
			abort();	/* and read the same */
		record_free(again);
		record_free(rec);
	}
	error_clear(&err);
	buf_free(&first);
	buf_free(&second);
	free(text);
	return 0;
}
