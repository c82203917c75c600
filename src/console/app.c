/*
 * app.c — the console's frame: curses set up for a wide-character UTF-8 terminal reached over
 * SSH (PuTTY's Home/End included), colours that degrade to none (NO_COLOR), the loop that
 * reads a key, finds its action in the keymap of the view on top and draws once, the title,
 * status and message lines, a line prompt, a clear word when the window is too small, and the
 * screens of screens.c (keys 1–9 and the picker), each with its own stack of views.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "campaign/casework.h"
#include "campaign/credit.h"
#include "console/console-private.h"

#define PROMPT_ERROR_LINES 3	/* at most, above the prompt */

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static void
start_colors(struct app *app)
{
	const char *no = getenv("NO_COLOR");

	app->colors = has_colors() && (no == NULL || *no == '\0');
	if (!app->colors || start_color() == ERR)
		return (void)(app->colors = false);
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_CURSOR, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_HEADER, COLOR_BLUE, -1);
}

/* Ctrl-S saves: the terminal's XON/XOFF flow control would swallow it, so it is turned off
 * while curses runs (endwin restores the shell's modes). */
static void
allow_ctrl_s(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)IXON;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
			def_prog_mode();
	}
}

static int
start_curses(struct app *app, struct error *err)
{
	if (newterm(NULL, stdout, stdin) == NULL)
		return error_set(err, ST_FAILED,
		    _("the terminal type '%s' is unknown here; try TERM=xterm"),
		    getenv("TERM") != NULL ? getenv("TERM") : "");
	fatal_set_hook(restore_terminal);
	cbreak();
	allow_ctrl_s();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	define_key("\033[1~", KEY_HOME);	/* PuTTY with TERM=xterm */
	define_key("\033[4~", KEY_END);
	start_colors(app);
	getmaxyx(stdscr, app->lines, app->cols);
	return 0;
}

void
app_message(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;

	free(app->message);
	va_start(ap, fmt);
	if (vasprintf(&app->message, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	app->message_is_error = error;
}

void
app_push(struct app *app, struct view *v)
{
	v->below = app->top;
	app->top = v;
}

static void
app_pop(struct app *app)
{
	struct view *v = app->top;

	app->top = v->below;
	if (v->ops->destroy != NULL)
		v->ops->destroy(v);
	free(v);
}

static void
draw_title(struct app *app)
{
	char *title = xasprintf(" %s  [%zu] %s", lang_pick("回头 huitou", "huitou"), app->screen + 1,
	    app->top->ops->title != NULL ? app->top->ops->title(app->top) : "");

	attron(app->colors ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	draw_fill(stdscr, 0, 0, app->cols);
	draw_text(stdscr, 0, 0, app->cols, title, false);
	attroff(app->colors ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	free(title);
}

static void
draw_message(struct app *app)
{
	move(app->lines - 1, 0);
	clrtoeol();
	if (app->message == NULL)
		return;
	if (app->message_is_error)
		attron(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
	draw_text(stdscr, app->lines - 1, 0, app->cols, app->message, false);
	if (app->message_is_error)
		attroff(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
}

static void
draw_too_small(struct app *app)
{
	char *msg = xasprintf(_("The window is %dx%d; huitou needs at least %dx%d. Enlarge it, or press q."),
	    app->cols, app->lines, MIN_COLS, MIN_LINES);

	erase();
	for (int y = 0, off = 0; y < app->lines && off < (int)strlen(msg); y++) {
		size_t used;
		size_t n = width_fit_bytes(msg + off, (size_t)app->cols, &used);

		if (n == 0)
			break;
		mvaddnstr(y, 0, msg + off, (int)n);
		off += (int)n;
	}
	free(msg);
}

/* Draws the view on top; a view that edits text sets the caret, where the hardware cursor
 * then stays so that an input method's window follows it. */
void
app_draw(struct app *app)
{
	if (app->too_small) {
		draw_too_small(app);
		refresh();
		return;
	}
	app->caret_y = -1;
	ref_titles_free(app);	/* names read afresh: someone may have renamed a record */
	draw_title(app);
	app->top->ops->draw(app, app->top);
	draw_message(app);
	if (app->caret_y >= 0)
		move(app->caret_y, app->caret_x);
	curs_set(app->caret_y >= 0 ? 1 : 0);
	refresh();
}

/* The key being handled is on the screen now: note how long that took. */
static void
app_timed(struct app *app)
{
	timings_note(app, app->key_event, app->key_detail, app->key_at);
	app->key_at = 0;
}

void
app_background(struct app *app, background_fn fn, void *arg)
{
	app->background = fn;
	app->background_arg = arg;
}

/* A slice of the background work; false when none is left. */
static bool
app_idle(struct app *app)
{
	if (app->background != NULL && app->background(app, app->background_arg))
		return true;
	app->background = NULL;
	return false;
}

/* Waits for a key; while none comes, background work goes on a slice at a time, so a key
 * waits for one slice at most. */
static int
read_wch(struct app *app, wint_t *ch)
{
	bool busy = true;
	int kind;

	for (;;) {
		timeout(busy ? 0 : -1);
		kind = get_wch(ch);
		if (kind != ERR || !busy)
			break;
		busy = app_idle(app);
	}
	timeout(-1);
	return kind;
}

/* Removes the last character (not byte) of a UTF-8 buffer. */
static void
buf_drop_char(struct buf *b)
{
	while (b->len > 0) {
		unsigned char c = (unsigned char)b->data[--b->len];

		if ((c & 0xc0) != 0x80)
			break;
	}
	if (b->data != NULL)
		b->data[b->len] = '\0';
}

/* An error given while a prompt is open (a limit that does not parse) shows at once, wrapped
 * on the lines just above the prompt, so the text can be put right in place. */
static void
draw_prompt_error(struct app *app)
{
	const char *s;
	size_t used, step;
	int n = 0, y;

	if (app->message == NULL || !app->message_is_error || app->cols < 2)
		return;
	for (s = app->message; *s != '\0' && n < PROMPT_ERROR_LINES; s += step, n++)
		if ((step = width_fit_bytes(s, (size_t)app->cols, &used)) == 0)
			step = strlen(s);
	attron(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
	for (s = app->message, y = app->lines - 1 - n; y < app->lines - 1; s += step, y++) {
		char *line;

		if ((step = width_fit_bytes(s, (size_t)app->cols, &used)) == 0)
			step = strlen(s);
		line = xstrndup(s, step);
		draw_fill(stdscr, y, 0, app->cols);
		draw_text(stdscr, y, 0, app->cols, line, false);
		free(line);
	}
	attroff(app->colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD);
}

static void
draw_prompt(struct app *app, const char *prompt, const char *text)
{
	int pw = (int)width_of(prompt), used;

	move(app->lines - 1, 0);
	clrtoeol();
	draw_text(stdscr, app->lines - 1, 0, pw, prompt, false);
	used = draw_text(stdscr, app->lines - 1, pw, app->cols - pw - 1, text, false);
	move(app->lines - 1, pw + used);
}

/* Applies one key to the text; 1 when it changed, 0 when not, -1 on Enter, -2 on Esc. */
static int
prompt_edit(struct buf *text, int kind, wint_t ch)
{
	char mb[8];
	int n;

	if ((kind == KEY_CODE_YES && (ch == KEY_BACKSPACE || ch == KEY_DC)) ||
	    (kind == OK && (ch == 127 || ch == 8))) {
		buf_drop_char(text);
		return 1;
	}
	if ((kind == KEY_CODE_YES && ch == KEY_ENTER) || (kind == OK && (ch == '\r' || ch == '\n')))
		return -1;
	if (kind == OK && (ch == 27 || ch == 7))	/* Esc, C-g */
		return -2;
	if (kind == OK && ch == 0x15) {		/* C-u: the whole line, as shells do */
		buf_reset(text);
		return 1;
	}
	if (kind != OK || ch < 0x20 || (n = wctomb(mb, (wchar_t)ch)) <= 0)
		return 0;
	buf_add(text, mb, (size_t)n);
	return 1;
}

/* A one-line editor on the message line; the hardware cursor sits at the caret, where an
 * input method's window will follow it. */
char *
app_prompt(struct app *app, const char *prompt, const char *initial)
{
	return app_prompt_live(app, prompt, initial, NULL, NULL);
}

char *
app_prompt_live(struct app *app, const char *prompt, const char *initial,
    prompt_change_fn on_change, void *arg)
{
	struct buf text = BUF_INIT;
	wint_t ch;
	int kind, edit = 0;
	uint64_t at = 0;

	if (app->pending_input != NULL) {	/* given on the command line: no need to ask */
		char *given = app->pending_input;

		app->pending_input = NULL;
		return given;
	}
	buf_adds(&text, initial != NULL ? initial : "");
	curs_set(1);
	for (;;) {
		if (edit > 0 && on_change != NULL && on_change(app, buf_str(&text), arg) &&
		    !app->too_small) {
			draw_title(app);
			app->top->ops->draw(app, app->top);
		}
		draw_prompt_error(app);
		draw_prompt(app, prompt, buf_str(&text));
		refresh();
		timings_note(app, on_change != NULL ? "live-key" : "prompt-key", NULL,
		    edit > 0 ? at : 0);
		edit = 0;
		if ((kind = read_wch(app, &ch)) == ERR)
			continue;
		at = clock_us();
		if ((edit = prompt_edit(&text, kind, ch)) < 0)
			break;
	}
	app->key_at = at;	/* what follows the prompt is timed from its Enter (or Esc) */
	curs_set(0);
	move(app->lines - 1, 0);
	clrtoeol();
	if (edit == -2)
		buf_free(&text);
	return edit == -1 ? buf_detach(&text) : NULL;
}

/* Asks a yes/no question on the message line; y (or Y) is yes, anything else no. */
bool
app_confirm(struct app *app, const char *question)
{
	int key;

	move(app->lines - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	draw_text(stdscr, app->lines - 1, 0, app->cols - 8, question, false);
	attroff(A_BOLD);
	addstr(" (y/n) ");
	refresh();
	while ((key = app_get_key(app)) == APP_KEY_RESIZE)
		;
	move(app->lines - 1, 0);
	clrtoeol();
	return key == 'y' || key == 'Y';
}

/*
 * The screens of screens.c: keys 1–9 and the picker. Each keeps its stack of views while
 * another is shown, so coming back returns to where one was; a screen's first view is made
 * when it is first shown.
 */
static int
app_switch_screen(struct app *app, size_t n, struct error *err)
{
	struct view *v;

	if (n >= app->n_screens)
		return error_set(err, ST_REFUSED, _("screen %zu is not defined yet"), n + 1);
	if (n == app->screen && app->top != NULL)
		return 0;	/* already shown */
	if ((v = app->screens[n]) == NULL && (v = screen_open(app, n, err)) == NULL)
		return -1;
	if (app->top != NULL)
		app->screens[app->screen] = app->top;
	app->screens[n] = NULL;
	app->top = v;
	app->screen = n;
	return 0;
}

static void
switch_screen(struct app *app, size_t n)
{
	struct error err = ERROR_INIT;

	if (app_switch_screen(app, n, &err) != 0)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

/* The picker lists every screen; the one chosen is shown. */
static void
pick_screen(struct app *app)
{
	int chosen = screen_pick(app, app->screen);

	if (chosen >= 0)
		switch_screen(app, (size_t)chosen);
}

/* Every view of every screen, at the end. */
static void
app_close_screens(struct app *app)
{
	if (app->screens == NULL)
		return;
	app->screens[app->screen] = app->top;
	for (size_t i = 0; i < app->n_screens; i++) {
		app->top = app->screens[i];
		app->screens[i] = NULL;
		while (app->top != NULL)
			app_pop(app);
	}
}

static void
resize(struct app *app)
{
	getmaxyx(stdscr, app->lines, app->cols);
	app->too_small = app->lines < MIN_LINES || app->cols < MIN_COLS;
	clear();
}

/* The next key as the keymap knows it: a character, or KEY_FUNCTION | a curses key code. A
 * resize is handled here and returned as APP_KEY_RESIZE, for modal loops to redraw. */
int
app_get_key(struct app *app)
{
	wint_t ch;
	int kind;

	while ((kind = read_wch(app, &ch)) == ERR)
		;
	if (kind == KEY_CODE_YES && ch == KEY_RESIZE) {
		resize(app);
		return APP_KEY_RESIZE;
	}
	return kind == KEY_CODE_YES ? (int)(KEY_FUNCTION | (int)ch) : (int)ch;
}

static int
app_handle(struct app *app, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		return R_QUIT;
	case ACT_BACK:
		return app->top->below == NULL ? R_QUIT : R_BACK;
	case ACT_HELP:
		app_push(app, view_help_new(app, app->top->ops->context));
		return R_DRAW;
	case ACT_REDRAW:
		clearok(stdscr, TRUE);
		return R_DRAW;
	case ACT_COMMAND:
		return command_prompt(app);
	case ACT_SCREEN_1: case ACT_SCREEN_2: case ACT_SCREEN_3:
	case ACT_SCREEN_4: case ACT_SCREEN_5: case ACT_SCREEN_6:
	case ACT_SCREEN_7: case ACT_SCREEN_8: case ACT_SCREEN_9:
		switch_screen(app, (size_t)(a - ACT_SCREEN_1));
		return R_DRAW;
	case ACT_SCREEN_PICK:
		pick_screen(app);
		return R_DRAW;
	case ACT_REVIEW:
		review_resume(app);
		return R_DRAW;
	case ACT_NONE:
		return R_NONE;
	default:
		app_message(app, true, _("%s is not available on this screen yet"), action_name(a));
		return R_DRAW;
	}
}


/* An action to the view on top, then to the app if the view does not take it. */
int
app_dispatch(struct app *app, enum action a, int key)
{
	int r = app->top->ops->handle(app, app->top, a, key);

	return r & R_UNHANDLED ? app_handle(app, a) : r;
}

static void
app_loop(struct app *app, struct error *err)
{
	app->key_at = app->opt->started;	/* the first screen is timed from the start */
	app->key_event = "first-screen";
	for (;;) {
		int r, key;
		enum action a;

		app_draw(app);
		app_timed(app);
		app->waiting = true;
		key = app_get_key(app);
		app->waiting = false;
		if (key == APP_KEY_RESIZE)
			continue;
		if (app->too_small) {
			if (key == 'q')
				return;
			continue;
		}
		if (store_actor_check(app->store, err) != 0)	/* made inactive meanwhile */
			return;
		a = keymap_lookup(app->keymap, app->top->ops->context, key);
		app->key_at = clock_us();
		app->key_event = "key";
		app->key_detail = action_name(a);
		free(app->message);
		app->message = NULL;
		r = app_dispatch(app, a, key);
		if (r & R_QUIT)
			return;
		if (r & R_BACK)
			app_pop(app);
	}
}

struct warnings {
	struct app *app;
	size_t n;
};

static void
keymap_warning(void *arg, const char *message)
{
	struct warnings *w = arg;

	if (w->n++ == 0)
		app_message(w->app, true, "%s", message);
}

/* The shipped keymap, then the user's file, whose lines override it. */
static void
load_keymaps(struct app *app)
{
	struct warnings w = { app, 0 };
	char *rel = xasprintf("keymaps/%s.keys", app->opt->keymap != NULL ? app->opt->keymap : "default");
	char *path = datafile_find(rel), *user;
	const char *xdg = secure_getenv("XDG_CONFIG_HOME"), *home = secure_getenv("HOME");

	app->keymap = keymap_new();
	if (path == NULL)
		app_message(app, true, _("the keymap %s is not installed"), rel);
	else
		keymap_load_file(app->keymap, path, keymap_warning, &w);
	if (xdg != NULL && *xdg != '\0')
		user = xasprintf("%s/huitou/keys", xdg);
	else
		user = xasprintf("%s/.config/huitou/keys", home != NULL ? home : "/nonexistent");
	if (path_exists(user))
		keymap_load_file(app->keymap, user, keymap_warning, &w);
	if (w.n > 1)
		app_message(app, true, _("%s (and %zu more keymap errors)"), app->message, w.n - 1);
	free(rel);
	free(path);
	free(user);
}

/* "wang 区县统筹 雁塔区" for the status line: who acts, in which role, for which district. */
static char *
describe_who(struct app *app)
{
	struct error err = ERROR_INIT;
	struct person p;
	char *text;

	if (person_find(app->store, app->who.login, &p, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return xstrdup(app->who.login);
	}
	if (p.id == NULL)
		text = xasprintf("%s %s", app->who.login, _("(not registered)"));
	else if (p.role == NULL)
		text = xasprintf("%s %s", app->who.login, _("(not active)"));
	else
		text = xasprintf("%s %s%s%s", app->who.login, p.role, p.district != NULL ? " " : "",
		    p.district != NULL ? p.district : "");
	person_free(&p);
	return text;
}

int
console_run(struct store *store, const struct console_options *opt, struct error *err)
{
	struct app app;

	memset(&app, 0, sizeof app);
	app.store = store;
	app.opt = opt;
	if (identity_current(&app.who, err) != 0)
		return -1;
	load_keymaps(&app);
	app.who_text = describe_who(&app);
	timings_open(&app);
	if (start_curses(&app, err) != 0) {
		timings_close(&app);
		keymap_free(app.keymap);
		identity_free(&app.who);
		free(app.who_text);
		return -1;
	}
	resize(&app);
	app.n_screens = screens_count();
	app.screens = xcalloc(app.n_screens, sizeof *app.screens);
	if (app_switch_screen(&app, 0, err) == 0)
		app_loop(&app, err);
	app_close_screens(&app);
	free(app.screens);
	endwin();
	timings_close(&app);
	fatal_set_hook(NULL);
	keymap_free(app.keymap);
	identity_free(&app.who);
	free(app.who_text);
	casework_free(app.casework);
	checklist_free(app.checklist);
	credit_rules_free(app.credit_rules);
	free(app.message);
	free(app.pending_input);
	ref_titles_free(&app);
	return err->message != NULL ? -1 : 0;
}
