/*
 * cmd-notice.c — "huitou notice ID [-o FILE] [--template NAME]": a printable document for one
 * record, the rectification notice (整改通知书) by default, as HTML from a template kept as
 * data (templates/). It only reads: no write permission is needed and nothing is committed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/template.h"
#include "cli/cli.h"

/* The record id of form as the template wants it, read and filled into doc. */
static int
render_record(struct cli *cli, const struct template *t, const char *id, struct buf *doc)
{
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	int rc = -1;

	if (store_txn_begin(cli->store, false, &txn, &cli->err) == 0 &&
	    store_get(txn, template_form(t), id, &rec, &cli->err) == 0)
		rc = template_render(t, cli->store, txn, rec, doc, &cli->err);
	record_free(rec);
	store_txn_abort(txn);
	return rc;
}

static int
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The document into the file the caller names, opened with the caller's own rights (a setgid
 * install drops its group around the open, as for the files an import reads).
 */
int
cli_write_as_caller(const char *path, const struct buf *doc, struct error *err)
{
	struct caller_rights r;
	int fd, saved;

	if (caller_rights_take(&r, path, err) != 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	saved = errno;
	caller_rights_give_back(&r, path);
	if (fd < 0)
		return error_set(err, ST_REFUSED, _("cannot write %s: %s"), path, strerror(saved));
	if (write_all(fd, buf_str(doc), doc->len) != 0) {
		saved = errno;
		close(fd);
		return error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(saved));
	}
	if (close(fd) != 0)
		return error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(errno));
	return 0;
}

int
cli_write_stdout(const struct buf *doc, struct error *err)
{
	if (fwrite(buf_str(doc), 1, doc->len, stdout) != doc->len || fflush(stdout) != 0)
		return error_set(err, ST_FAILED, _("cannot write the document: %s"),
		    strerror(errno));
	return 0;
}

static int
cmd_notice_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *id = args->argv[0], *output = cmd_value(args, "output");
	const char *name = cmd_value(args, "template");
	struct template *t = NULL;
	const struct form *form;
	struct buf doc = BUF_INIT;
	int rc = -1;

	if (name == NULL)
		name = "notice";
	if ((form = cli_form_of_id(cli, id)) == NULL ||
	    template_load(cli->dir, name, &cli->forms, &t, &cli->err) != 0)
		goto out;
	if (form != template_form(t)) {
		error_set(&cli->err, ST_REFUSED, _("%s is not a %s record: the template '%s' is "
		    "for those"), id, form_label(template_form(t)), name);
		goto out;
	}
	if (render_record(cli, t, id, &doc) != 0)
		goto out;
	rc = output != NULL ? cli_write_as_caller(output, &doc, &cli->err) :
	    cli_write_stdout(&doc, &cli->err);
out:
	buf_free(&doc);
	template_free(t);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_notice_entry = {
	"notice", N_("ID [-o FILE] [--template NAME]"),
	N_("write a printable document (the rectification notice) as HTML"),
	{ { "output", true }, { "template", true }, { NULL, false } }, 1, 1,
	CMD_READS_STORE, cmd_notice_exec,
};
