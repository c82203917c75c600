/*
 * cli.h — the public face of src/cli/: the command table (one file per command, as tmux does
 * it), what every command shares (the data directory, forms, store, errors) and the CSV and
 * text-encoding readers that import uses.
 */
#ifndef HUITOU_CLI_H
#define HUITOU_CLI_H

#include <stdio.h>

#include "base/base.h"
#include "store/store.h"

struct cmd_args;

struct cli {
	const char *dir;		/* the data directory */
	struct formset forms;
	struct store *store;
	struct error err;
};

/* What a command needs before it runs: main parses its options and opens what it needs, once. */
enum cmd_needs {
	CMD_NEEDS_NOTHING,	/* help, init and rebuild: no store, or one they make themselves */
	CMD_READS_STORE,	/* the forms and the store, opened */
	CMD_WRITES_STORE,	/* the same, and the command changes records (the one write path) */
};

#define CMD_MAX_OPTIONS 10

/* An option a command takes, "--name" or "--name VALUE"; one dash and a prefix that names
 * only it will do ("-o FILE" for "--output FILE"). */
struct cmd_option {
	const char *name;
	bool takes_value;
};

struct cmd_entry {
	const char *name;
	const char *usage;		/* after "huitou [-d DIR] NAME " */
	const char *summary;		/* N_() text, shown translated */
	struct cmd_option options[CMD_MAX_OPTIONS];	/* ended by a NULL name */
	int min_operands, max_operands;	/* after the name; max -1: any number */
	enum cmd_needs needs;
	int (*exec)(struct cli *cli, const struct cmd_args *args);
};

/* A command's words as main parsed them against its entry. */
struct cmd_args {
	const struct cmd_entry *entry;
	int argc;			/* the operands, options taken out */
	char **argv;
	const char *values[CMD_MAX_OPTIONS];	/* per option: its value, "" for a flag; NULL: absent */
	int all_argc;			/* the words as parsed, for an option given more than once */
	char **all_argv;
};

extern const struct cmd_entry cmd_init_entry, cmd_import_entry, cmd_export_entry,
    cmd_new_entry, cmd_show_entry, cmd_set_entry, cmd_help_entry, cmd_log_entry,
    cmd_verify_entry, cmd_rebuild_entry, cmd_maintain_entry, cmd_push_entry, cmd_revert_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_recover_entry, cmd_move_entry;
extern const struct cmd_entry cmd_notice_entry;
extern const struct cmd_entry cmd_ledger_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_publish_entry, cmd_lists_entry;
struct list_change;
/* cmd-publish.c: one change of a list as a tab-separated line: list, +/-, id, name, reason. */
void cli_print_list_change(const struct list_change *c);
/* cmd-notice.c: a document into the file the caller names, opened with the caller's own
 * rights (a setgid install drops its group around the open); or to standard output. */
int cli_write_as_caller(const char *path, const struct buf *doc, struct error *err);
int cli_write_stdout(const struct buf *doc, struct error *err);
extern const struct cmd_entry cmd_board_entry;
extern const struct cmd_entry cmd_batch_entry, cmd_undo_entry;
extern const struct cmd_entry cmd_draw_entry;
extern const struct cmd_entry cmd_credit_entry;

/* cmd-set.c: one save as "huitou set" makes it; cmd-set-stdin.c: a save a line. */
struct set_outcome {
	bool changed;		/* false: the values were already those ("unchanged") */
	uint64_t version;	/* the record's version after it */
	uint64_t seq;		/* changed: its audit commit's Outbox-Seq, in git */
	char *id;		/* the record's id as the store has it; caller frees */
};
int cli_set_one(struct cli *cli, const struct cmd_args *args, const char *reason_all,
    struct set_outcome *out);
int cli_set_stdin(struct cli *cli, const struct cmd_args *args);

/* cmd-move.c: the casework of the data directory (DATA/forms); NULL with cli->err set. */
struct casework *cli_casework(struct cli *cli);

const struct cmd_entry *const *cmd_table(void);
const struct cmd_entry *cmd_find(const char *name);
/* Parses argv (argv[0] the command's name) against entry's options and operand counts. */
int cmd_parse(const struct cmd_entry *entry, int argc, char **argv, struct cmd_args *out);
/* An option's value ("" for a flag given), or NULL when it was not given. */
const char *cmd_value(const struct cmd_args *args, const char *name);
bool cmd_flag(const struct cmd_args *args, const char *name);
/* Every value of an option given more than once ("--set A=1 --set B=2"), in the order given,
 * into out (room for all_argc); returns how many. */
size_t cmd_values(const struct cmd_args *args, const char *name, const char **out);

/* site-config.c: the administrator's configuration (data directory, push remotes). Setgid or
 * setuid (cli_privileged), the data directory comes from it alone: -d DIR and HUITOU_DIR are
 * refused (ST_USAGE) when they name another. cli_choose_dir sets cli->dir. */
bool cli_privileged(void);
const char *cli_site_config_path(void);
int cli_choose_dir(struct cli *cli, const char *given, struct error *err);
const char *cli_site_data(void);		/* NULL: none, or the file is not trusted */
const char *cli_site_remote(const char *name);	/* the URL of a configured remote, or NULL */
/* The configured remotes in file order: the i-th's name, URL and lag-warn seconds (0: none). */
int cli_site_remote_count(size_t *n, struct error *err);	/* err: the file is bad */
const char *cli_site_remote_at(size_t i, const char **url, long *lag_warn);

/* cli-common.c */
const char *cli_default_dir(void);
int cli_open(struct cli *cli);		/* loads DIR/forms and opens the store */
void cli_close(struct cli *cli);
void cli_close_store(struct cli *cli);	/* the store and forms only, keeping cli->err */
void cli_replay_audit(struct cli *cli);
void cli_warn_pending_audit(struct cli *cli);
const struct form *cli_form(struct cli *cli, const char *name);
const struct form *cli_form_of_id(struct cli *cli, const char *id);
int cli_usage(const struct cmd_entry *entry);
int cli_report(struct cli *cli);	/* prints cli->err and returns its status */
/* FIELD=VALUE arguments applied in form order; the field may be named by id or label. */
int cli_apply_assignments(struct cli *cli, struct store_txn *txn, struct record *rec,
    char **args, int n);
/* Whether field f holds a person's id (a ref to the user form): export adds their name. */
bool cli_person_field(const struct field *f);
/* --reason (NULL: not given): one line, checked as a text field is; given, not blank. */
int cli_parse_reason(struct cli *cli, const char *arg, char **out);
void cli_print_safe(FILE *fp, const char *s);	/* control characters shown as escapes */
/* The same keeping the text's line breaks (huitou's own messages), a newline after each line. */
void cli_print_safe_lines(FILE *fp, const char *s);
char *cli_escape(const char *s);	/* the same as a string; caller frees */

/* csv-read.c: rows of a UTF-8 CSV text, each with the line it starts on. */
typedef int (*csv_row_fn)(void *arg, size_t line, char **fields, size_t n, size_t offset);
int csv_read(const char *text, size_t len, csv_row_fn fn, void *arg, struct error *err);
/* The same with each cell's length in bytes: a cell that holds a NUL byte is longer than its
 * strlen (csv_read refuses such a cell; the import names its field). */
typedef int (*csv_cells_fn)(void *arg, size_t line, char **fields, const size_t *lens,
    size_t n, size_t offset);
int csv_read_cells(const char *text, size_t len, csv_cells_fn fn, void *arg,
    struct error *err);
/* csv-write.c */
void csv_write_row(FILE *fp, char *const *fields, size_t n);
void csv_write_row_buf(struct buf *out, char *const *fields, size_t n);	/* appended to out */
void json_write_string(FILE *fp, const char *s);

/* text-encoding.c: UTF-8 (a BOM is dropped) or GBK/GB18030, detected or named. */
int text_to_utf8(struct buf *text, const char *encoding, const char *path,
    const char **used, struct error *err);

/* import-rows.c: an import's rows, read and checked on a second thread, in file order. */
enum cell_state { CELL_UNCHECKED, CELL_GOOD, CELL_BAD };
struct import_cell {
	enum cell_state state;
	const char *text;	/* GOOD: the value to set; BAD: the refusal, field named */
	size_t at;		/* where the reader keeps that text */
	bool nul;		/* the cell holds a NUL byte: text is cut short there */
};
struct read_row {
	size_t line, offset;	/* as csv_read gives them */
	char **fields;
	struct import_cell *checked;	/* per cell; the header's and a long row's unchecked */
	size_t n;
};
struct import_rows;
struct import_rows *import_rows_start(const struct store *store, const struct form *form,
    const char *text, size_t len);
/* The next row, NULL after the last; it and its cells live until the next call. */
struct read_row *import_rows_next(struct import_rows *r);
/* The columns that set a field other than the id, ordered by field as the form orders them:
 * a row's cells are checked and set in that order. Caller frees; *n_ordered gets how many. */
size_t *import_columns_in_form_order(const int *column_field, size_t n, size_t *n_ordered);
/* The header of the version column an export adds: "_version" or "版本". */
bool import_version_header(const char *name);
/* A column an export adds after a person field: FIELD_name (their name), ignored. */
bool import_name_header(const struct form *form, const char *name);
/* Stops the reader and frees r: csv_read's result, its error moved into err when not NULL. */
int import_rows_finish(struct import_rows *r, struct error *err);

/* import-csv.c: the work of "huitou import", also used by the demo and the benchmark. */
struct import_result {
	size_t rows, inserted, updated, unchanged, bad;
	size_t conflicts;	/* of the bad: rows exported before the store's version */
};
struct import_options {
	bool skip_bad;
	bool progress;		/* on a terminal: show progress on stderr */
	const char *encoding;	/* NULL: detect */
	FILE *report;		/* where bad rows are reported */
	bool overwrite_newer;	/* a row older than the store's version is written anyway */
	const char *reason;	/* --reason: the commit's Reason trailer, or NULL */
};
int import_csv_text(struct cli *cli, const struct form *form, const char *path,
    struct buf *text, const struct import_options *opt, struct import_result *res);

#endif
