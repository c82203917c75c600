/*
 * console.h — the public face of src/console/: the ncurses console that "huitou" with no
 * command opens. Only this layer includes curses.
 */
#ifndef HUITOU_CONSOLE_H
#define HUITOU_CONSOLE_H

#include "store/store.h"

struct console_options {
	const char *dir;		/* the data directory, shown in the status line */
	const char *keymap;		/* a keymaps/NAME.keys name; NULL: default */
	const char *timings;		/* a file to append timings to; NULL: HUITOU_TIMINGS */
	uint64_t started;		/* clock_us() when the program started */
	size_t limit_slice;		/* tests (hidden --limit-slice N): ids a limit matches a slice, then a pause; 0: by time */
	/* The configured remotes with a lag-warn: the status line notes one whose replica lacks
	 * commits older than its warn seconds (replica-note.c). */
	const struct console_remote *remotes;
	size_t n_remotes;
};
struct console_remote {
	const char *name;
	long lag_warn;
};

/* Runs until the user quits; returns an exit status and fills err on failure. */
int console_run(struct store *store, const struct console_options *opt, struct error *err);

#endif
