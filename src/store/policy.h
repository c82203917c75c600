/*
 * policy.h — who may write what: the named rules of DATA/forms/policy.rules (the format is in
 * forms/README.md) and the engine that decides a change for an actor. The store calls it in
 * its one write path (store-policy.c); the engine itself knows no LMDB, so tests drive it.
 */
#ifndef HUITOU_POLICY_H
#define HUITOU_POLICY_H

#include "store/store.h"

#define POLICY_FILE "policy.rules"	/* in DATA/forms/, and in git at the top */
#define POLICY_USER_FORM "user"		/* the form whose records are the people */

/* What a rule lets the roles it names do to the records it applies to. */
enum policy_scope {
	SCOPE_ALL,		/* every record */
	SCOPE_DISTRICT,		/* records of the actor's district, before and after the change */
	SCOPE_NOT_SELF,		/* records other than the actor's own user record */
	SCOPE_NONE,		/* no record */
};

struct policy_rule {
	char *name;
	int line;		/* where it starts in the file */
	char **roles;		/* NULL-terminated; "*" is every role */
	char **forms;		/* NULL-terminated; "*" is every form */
	char **fields;		/* NULL: any change; else only changes of one of these */
	enum policy_scope scope;
	bool read;		/* "read": who sees the private fields it names (all when none) */
	char **only;		/* NULL: no limit; else every changed field must be one of these,
				 * and no record is created */
};

struct policy {
	char *path;
	char *text;		/* as read, committed to git when it changes */
	struct policy_rule *rules;
	size_t n_rules;
};

/* Reads rules from text; roles, forms and fields are checked against forms (the role
 * field of the user form names the roles). A bad line is refused as "FILE:LINE: reason". */
int policy_parse(const char *path, const char *text, const struct formset *forms,
    struct policy **out, struct error *err);
void policy_free(struct policy *p);

/*
 * The rule that refuses the change from old (NULL for a new record) to rec, or NULL when it
 * is allowed. A change is allowed when some rule applies to it and every rule that applies
 * allows it; the first that refuses is returned, or policy_no_rule when none applies.
 */
const struct policy_rule *policy_decide(const struct policy *p, const struct store_actor *who,
    const struct record *old, const struct record *rec);
extern const struct policy_rule policy_no_rule;

/* The rule that lets the actor write every record of every form (scope all, forms *), or NULL:
 * what a change of the whole store, such as a recovery, asks of its actor. */
const struct policy_rule *policy_writes_everything(const struct policy *p,
    const struct store_actor *who);

/* Whether who may read field i of rec: yes for a field that is not private; for a private
 * one, when a read rule naming the role, the form and the field (or no fields) has a scope
 * that takes the record in. With no such rule nobody reads it. */
bool policy_may_read(const struct policy *p, const struct store_actor *who,
    const struct record *rec, size_t i);

/* The district a record belongs to: its first district field's value, "" if none. */
const char *policy_record_district(const struct record *rec);
/* The first field of rec that differs from old's and that the rule's "only" list lacks
 * (for a new record: its id), or NULL when the change keeps to the list. */
const struct field *policy_outside_only(const struct policy_rule *r, const struct record *old,
    const struct record *rec);
/* Whether the record is the actor's own user record (its id or its login is theirs). */
bool policy_is_self(const struct store_actor *who, const struct record *rec);

void store_actor_clear(struct store_actor *who);

#endif
