/*
 * casework.c — the casework in force: the states file of each form that has one and the
 * deadline rules, read from DATA/forms; a file missing there (an older data directory) is
 * taken from the shipped forms, as the policy is.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/move-private.h"

#define DEADLINES_FILE "deadlines.rules"
#define RESPONSES_FILE "responses.rules"

/* DIR/NAME's text, else the shipped forms/NAME's; *path gets where it came from. 1: none. */
static int
read_rules_file(const char *dir, const char *name, char **path, struct buf *text,
    struct error *err)
{
	char *rel = xasprintf("forms/%s", name);

	*path = xasprintf("%s/%s", dir, name);
	if (access(*path, F_OK) != 0 && errno == ENOENT) {
		free(*path);
		*path = datafile_find(rel);
	}
	free(rel);
	if (*path == NULL)
		return 1;
	return file_read_all(*path, text, err);
}

static int
load_machine(struct casework *cw, const char *dir, const struct form *form,
    const struct formset *forms, struct error *err)
{
	char *name = xasprintf("%s.states", form->name), *path = NULL;
	struct buf text = BUF_INIT;
	struct machine *m;
	int rc = read_rules_file(dir, name, &path, &text, err);

	if (rc == 0 && (rc = machine_parse(path, buf_str(&text), forms, &m, err)) == 0) {
		if (m->form != form)
			rc = error_set(err, ST_FAILED, _("%s: names machine %s, not %s"), path,
			    m->form->name, form->name);
		if (rc == 0) {
			cw->machines = xrealloc(cw->machines,
			    (cw->n_machines + 1) * sizeof *cw->machines);
			cw->machines[cw->n_machines++] = m;
		} else {
			machine_free(m);
		}
	}
	free(name);
	free(path);
	buf_free(&text);
	return rc < 0 ? -1 : 0;
}

static int
load_deadlines(struct casework *cw, const char *dir, struct error *err)
{
	struct buf text = BUF_INIT;
	char *path = NULL;
	int rc = read_rules_file(dir, DEADLINES_FILE, &path, &text, err);

	if (rc == 0 && (rc = deadline_rules_parse(path, buf_str(&text), &cw->deadlines, err)) == 0) {
		cw->deadlines_path = path;
		cw->deadlines_text = buf_detach(&text);
		path = NULL;
	}
	free(path);
	buf_free(&text);
	return rc < 0 ? -1 : 0;
}

static int
load_responses(struct casework *cw, const char *dir, struct error *err)
{
	struct buf text = BUF_INIT;
	char *path = NULL;
	int rc = read_rules_file(dir, RESPONSES_FILE, &path, &text, err);

	if (rc == 0 && (rc = response_rules_parse(path, buf_str(&text), &cw->responses, err)) == 0) {
		cw->responses_path = path;
		cw->responses_text = buf_detach(&text);
		path = NULL;
	}
	free(path);
	buf_free(&text);
	return rc < 0 ? -1 : 0;
}

int
casework_load(const char *forms_dir, const struct formset *forms, struct casework **out,
    struct error *err)
{
	struct casework *cw = xcalloc(1, sizeof *cw);

	for (size_t i = 0; i < forms->n; i++)
		if (load_machine(cw, forms_dir, forms->forms[i], forms, err) != 0) {
			casework_free(cw);
			return -1;
		}
	if (load_deadlines(cw, forms_dir, err) != 0 ||
	    deadline_rules_check(cw->deadlines, forms, err) != 0 ||
	    load_responses(cw, forms_dir, err) != 0 ||
	    response_rules_check(cw->responses, forms, err) != 0 || move_validate(cw, forms, err) != 0) {
		casework_free(cw);
		return -1;
	}
	*out = cw;
	return 0;
}

void
casework_free(struct casework *cw)
{
	if (cw == NULL)
		return;
	for (size_t i = 0; i < cw->n_machines; i++)
		machine_free(cw->machines[i]);
	free(cw->machines);
	deadline_rules_free(cw->deadlines);
	free(cw->deadlines_path);
	free(cw->deadlines_text);
	response_rules_free(cw->responses);
	free(cw->responses_path);
	free(cw->responses_text);
	free(cw);
}

const struct machine *
casework_machine(const struct casework *cw, const struct form *form)
{
	for (size_t i = 0; cw != NULL && i < cw->n_machines; i++)
		if (cw->machines[i]->form == form)
			return cw->machines[i];
	return NULL;
}
