/*
 * fuzz-keymap.c — libFuzzer target: a keymap file (keymaps/NAME.keys) through keymap_load_text,
 * then every context's bindings listed as the help screen lists them.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "console/keymap.h"

static void
ignore_warning(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void
name_binding(void *arg, int key, enum action a, const char *context)
{
	struct buf *b = arg;

	key_to_name(key, b);
	buf_adds(b, action_name(a));
	buf_adds(b, context);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct keymap *km = keymap_new();
	struct buf names = BUF_INIT;

	(void)keymap_load_text(km, "fuzz.keys", text, ignore_warning, NULL);
	for (size_t c = 0; c < CTX_COUNT; c++)
		keymap_each(km, view_context_names[c], name_binding, &names);
	buf_free(&names);
	keymap_free(km);
	free(text);
	return 0;
}
