/*
 * base.h — the public face of src/base/: errors, allocation, growable strings, UTF-8 and
 * display width, language, data file lookup and time. Nothing here knows about records,
 * LMDB, git or curses; every other layer may include this header.
 */
#ifndef HUITOU_BASE_H
#define HUITOU_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)
#define COUNT(a) (sizeof (a) / sizeof (a)[0])	/* the elements of an array */

/* Statuses double as the command line's exit codes. */
enum status {
	ST_OK = 0,
	ST_REFUSED = 1,	/* bad input, conflict, permission */
	ST_USAGE = 2,
	ST_FAILED = 3,	/* storage or internal failure */
};

/* An error carries a status and one human sentence; the caller owns and frees it. */
struct error {
	enum status status;
	char *message;
};

#define ERROR_INIT { ST_OK, NULL }

int error_set(struct error *err, enum status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int error_setv(struct error *err, enum status st, const char *fmt, va_list ap);
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_clear(struct error *err);

/* Allocation: out of memory is fatal; fatal() runs the hook (restore the terminal) first. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Many short texts copied into blocks of block bytes and freed together (ids, members' names):
 * one malloc a block, not a text. */
struct text_blocks {
	char **v;
	size_t n, left, block;
	char *next;
};
#define TEXT_BLOCKS_INIT(block) { NULL, 0, 0, (block), NULL }
/* A copy of len bytes of s and a NUL, living until text_blocks_free. */
char *text_blocks_add(struct text_blocks *t, const char *s, size_t len);
void text_blocks_free(struct text_blocks *t);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal_set_hook(void (*hook)(void));
/* For large blocks about to be filled (an import's buffers): in huge pages where the system
 * can, which costs far fewer page faults. xrealloc_big keeps the first used bytes. */
void *xcalloc_big(size_t n, size_t size);
void *xrealloc_big(void *p, size_t used, size_t n);
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Before n bytes of small allocations (LMDB's pages of a bulk write): the heap grows by n at
 * once, in huge pages, and keeps it until heap_release. */
void heap_reserve(size_t n);
void heap_release(void);

/* A growable byte string, always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
char *buf_detach(struct buf *b);	/* caller frees; b is left empty */
void buf_free(struct buf *b);
const char *buf_str(const struct buf *b);	/* "" when empty */

/* Small string helpers. */
bool str_eq(const char *a, const char *b);
bool str_starts(const char *s, const char *prefix);
char *str_trim(char *s);	/* in place; returns the first non-blank */
void strv_free(char **v);

/* UTF-8, width and folding (utf8.c, width.c). */
bool utf8_valid(const char *s, size_t len);
int utf8_decode(const char *s, size_t len, int32_t *cp);	/* bytes used, -1 if bad */
char *utf8_nfc(const char *s);		/* caller frees; NULL on bad UTF-8 */
bool utf8_has_control(const char *s, bool allow_newline);

/* C0, DEL, C1, and the line and paragraph separators. */
static inline bool
utf8_control(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029;
}

/*
 * Code points that NFC leaves alone whatever surrounds them: below the first combining mark,
 * CJK punctuation, unified ideographs and full-width forms. Almost all of what coordinators
 * type is in these ranges, so normalisation is skipped for it (utf8proc_map is the costliest
 * step of an import otherwise).
 */
static inline bool
utf8_nfc_stable(int32_t cp)
{
	return cp < 0x300 || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0x4e00 && cp <= 0x9fff) ||
	    (cp >= 0xff01 && cp <= 0xffef);
}

/*
 * Character classes (text-class.c): bidirectional controls (U+061C, U+200E/F, U+202A-E,
 * U+2066-9), which reorder what a terminal shows, and invisible characters (format characters,
 * category Cf such as U+200B and U+FEFF, controls and white space). A value of only invisible
 * characters counts as empty; text_find_bidi_control and text_first_invisible give the first
 * one found (not an ASCII space), or 0.
 */
bool text_bidi_control(int32_t cp);
bool text_invisible(int32_t cp);
int32_t text_find_bidi_control(const char *s);
bool text_blank(const char *s);		/* "" or only invisible characters */
int32_t text_first_invisible(const char *s);

int width_of_codepoint(int32_t cp);
/* The width of s (len bytes) when it is plain one-line text that cleaning leaves as it is:
 * valid UTF-8 already in NFC, no control character, no space at either end; else SIZE_MAX. */
size_t width_of_plain(const char *s, size_t len);
size_t width_of(const char *s);
size_t width_fit_bytes(const char *s, size_t cols, size_t *used_cols);
void width_escape_controls(struct buf *out, const char *s);
/* The same, line breaks kept where keep_newline (CSV cells, multi-line values). */
void width_escape_controls_keep(struct buf *out, const char *s, bool keep_newline);
/* Whether width_escape_controls_keep would change s. */
bool width_needs_escape(const char *s, bool keep_newline);

/*
 * Folding for search (fold.c, ICU): lower case, full-width letters and digits to ASCII,
 * Traditional to Simplified Chinese; and Han characters to pinyin, full ("qimingxing") or
 * initials ("qmx"). Results are cached per character, so folding costs little after the
 * first use of each character. Callers free the result.
 */
char *fold_text(const char *s);
char *fold_pinyin(const char *s, bool initials);
void fold_cleanup(void);	/* frees the ICU transliterators (for leak checks) */

/* Language: Simplified Chinese for zh_* locales, English otherwise (lang.c). */
enum lang { LANG_EN, LANG_ZH };
void lang_init(const char *override);
enum lang lang_current(void);
bool lang_is_zh(void);
const char *lang_pick(const char *zh, const char *en);

/* Files shipped with the program: installed, or the source tree when run from the build. */
char *datafile_find(const char *relpath);	/* caller frees; NULL if nowhere */
bool running_from_build_tree(void);
/* A relocated installation (contrib/deploy/install.sh --prefix): the binary is PREFIX/bin/huitou
 * beside PREFIX/share/huitou/forms, PREFIX not the one compiled in; NULL otherwise. It then reads
 * its files, catalogs and site configuration under PREFIX (datafile.c). */
const char *installed_prefix(void);

/*
 * Line files (linefile.c): forms, policy rules, keymaps and views share one reader. A leading
 * byte order mark is skipped; a line whose first non-blank character is '#' is a comment (with
 * hash_anywhere, a '#' anywhere starts one); blank lines are skipped; a line that is not UTF-8
 * is refused. Every other line is split into words and handed to the handler of its first
 * word in keywords, a table ended by { NULL, fallback } (a NULL fallback refuses the line as
 * "unknown line 'WORD'"). A handler may point keywords at another table (the lines after a
 * "field NAME" line take the field's keys), and refuses a line with linefile_fail.
 */
struct linefile;
struct lf_line {
	int number;		/* from 1 */
	bool indented;		/* began with a blank: a continuation, where a format has them */
	char **words;		/* NULL-terminated; words[0] is the keyword */
	size_t n_words;
	const char *rest;	/* the text after the first word, inner blanks kept ("" if none) */
};
typedef int (*lf_handler)(struct linefile *lf, const struct lf_line *ln);
struct lf_keyword {
	const char *word;
	lf_handler fn;
};
struct linefile {
	const char *path;	/* as the messages name it */
	const struct lf_keyword *keywords;
	void *arg;		/* the format's own state, for its handlers */
	bool hash_anywhere;
	/* A refusal goes to warn when it is set, and the next line is read (keymaps); else the
	 * first one is set in err and reading stops. */
	void (*warn)(void *warn_arg, const char *message);
	void *warn_arg;
	struct error *err;
	int line;		/* the line being read; 0 outside linefile_read */
	int refused;		/* refusals so far */
};
/* 0 when every line was taken, else -1. */
int linefile_read(struct linefile *lf, const char *text, size_t len);
/* Both return -1: "PATH:LINE: reason" for the line being read, or for line (0: "PATH: reason"). */
int linefile_fail(struct linefile *lf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int linefile_fail_at(struct linefile *lf, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Time (clock.c): the real clock for commits, logs and file names; "today" for rules, which
 * HUITOU_NOW pins in tests (never setgid); clock_now is clock_today under its old name. */
time_t clock_real(void);
time_t clock_today(void);
time_t clock_now(void);
uint64_t clock_us(void);	/* monotonic microseconds, for timings */
void clock_format_date(time_t t, char out[11]);
void clock_format_iso(time_t t, char out[32]);

/* One CSV cell, quoted only where it must be (csv-cell.c). */
void csv_write_cell(FILE *fp, const char *s);
/* s starts with = or @, or with + or - before anything but a number ("-1" and "-" are left
 * alone), after any apostrophes: written after one more apostrophe, which spreadsheets take
 * as "text, not a formula" and the CSV reader drops (csv-cell.c). */
bool csv_formula_marked(const char *s);

/* Read a whole file; caller frees. */
int file_read_all(const char *path, struct buf *out, struct error *err);
/* The same with the caller's real ids, never a setgid program's group (file.c). */
int file_read_as_caller(const char *path, struct buf *out, struct error *err);
/* A file of the caller's own (saved views, a review queue): written whole to a temporary file
 * (0600, synced) renamed over path, its missing directories made 0700, with the caller's ids. */
int file_write_private(const char *path, const struct buf *text, struct error *err);
/* The caller's real ids taken around one file operation, the program's given back after. */
struct caller_rights {
	uid_t euid;
	gid_t egid;
	bool dropped;
};
int caller_rights_take(struct caller_rights *r, const char *path, struct error *err);
void caller_rights_give_back(const struct caller_rights *r, const char *path);
bool path_exists(const char *path);
bool path_is_dir(const char *path);
int dir_make(const char *path, struct error *err);
/* fsync of a folder, so the names made or renamed in it survive a crash (sync.c). */
int dir_sync(const char *path, struct error *err);
/* Removes path and everything under it, never following a link; 0 when it is gone (dir-tree.c). */
int dir_remove_tree(const char *path);
/* fsync of each of n (at most 8) files, in parallel; -1 and errno when one failed (sync.c). */
int file_sync_together(const int *fds, size_t n);
/* fn(arg) run on a thread kept for the process's life, or at once when none can be had
 * (pool.c); pool_join waits for it to be done and frees the job (NULL: nothing). */
struct pool_job *pool_start(void *(*fn)(void *), void *arg);
void pool_join(struct pool_job *job);

/* Positions of an array's strings by value (str-index.c); the array must outlive it and hold
 * fewer than 2^32 strings. Find gives n when s is not one of them. */
struct str_index {
	uint32_t *slots;	/* position + 1; 0 is an empty slot */
	size_t mask;
	char *const *strs;
	size_t n;
};
/* FNV-1a of len bytes: for the slots of small hash tables. */
uint32_t str_hash(const char *s, size_t len);
void str_index_build(struct str_index *x, char *const *strs, size_t n);
size_t str_index_find(const struct str_index *x, const char *s, size_t len);
void str_index_free(struct str_index *x);
/* For strings that come in the order of strs (sorted by bytes), one pass forward: moves *at
 * to the first string not before s; true when that one is s. */
bool str_seek_sorted(char *const *strs, size_t n, size_t *at, const char *s, size_t len);

/* Who acts: the real uid's passwd entry, never the environment (identity.c). */
struct identity {
	unsigned uid;
	char *login;
	char *name;	/* GECOS full name, else the login */
	char *email;	/* login@host */
};
int identity_current(struct identity *id, struct error *err);
void identity_free(struct identity *id);

/* Appends one line (real time, uid, login, event, detail) to DIR/security.log, which auditors
 * read beside the git history (security-log.c). */
void security_log(const char *dir, const char *event, const char *detail);	/* best effort */

/* Named crash points for the crash tests (HUITOU_FAULT=name in fault-point builds). */
void fault_point(const char *name);

#endif
