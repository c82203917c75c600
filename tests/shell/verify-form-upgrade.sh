#!/usr/bin/env bash
# verify-form-upgrade.sh — a form upgraded as forms/README.md says (the shipped form copied into
# the data directory, its version raised, an index added): the records committed under the old
# version keep their texts in git, and `huitou verify` finds them the same records (same values,
# same record version), says how many, and stays clean; a record changed since is written under
# the new version. A text of the old version whose value was changed behind huitou's back is
# still a difference. The git CLI is the oracle for what auditors see.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

d=$TMP/data
h() { "$HUITOU" -d "$d" "$@"; }
g() { git -C "$d/audit.git" "$@"; }
J() { printf 'JG-610113-%06d' "$1"; }
path() { printf 'institution/610113/%s/%s' "${1: -2}" "$1"; }
header() { g show "main:$(path "$1")" | head -1; }

new_city "$d"
for n in 甲 乙 丙; do
	h new institution name=$n district=610113 category=subject >/dev/null ||
	    echo "Bail out! new institution $n"
done
old=$(sed -n 's/^version //p' "$d/forms/institution.form")
check_eq "before: the texts name the form's version" "# huitou institution $old" "$(header "$(J 1)")"
records=$(h verify | sed -n 's/^verified: \([0-9]*\) records.*/\1/p')
check_eq "before: verify is clean, with no older text" 1 "$(h verify | grep -c '^verified: ')"

# The upgrade: version raised, an index added (the next start rebuilds the indexes).
new=$((old + 1))
sed -i "s/^version $old\$/version $new/" "$d/forms/institution.form"
sed -i '/^field phone$/a\  index' "$d/forms/institution.form"
check_eq "the form now has version $new" 1 "$(grep -c "^version $new\$" "$d/forms/institution.form")"

# Before any write the form in force is not yet git's (the next change commits it with the
# record): that one difference, and none of the records.
run h verify
check_status "verify after the upgrade, before a write: the form" 1
check_eq "verify names the form only" "the form in force differs from git's: forms/institution.form" \
    "$(cat "$TMP/out")"
check_eq "git keeps the texts as they were committed" "# huitou institution $old" \
    "$(header "$(J 2)")"

run h set "$(J 2)" notes=改过
check_status "a change after the upgrade" 0
check_eq "the changed record is written under the new version" "# huitou institution $new" \
    "$(header "$(J 2)")"
check_eq "the form in force committed with it" "version $new" \
    "$(g show main:forms/institution.form | grep "^version ")"
run h verify
check_status "verify after the change" 0
check_eq "verify: clean; two institutions still under the old version" "verified: $records records, the store equals git HEAD
2 of them were committed under an older version of their form, with the same values; each is written anew at its next change" "$(cat "$TMP/out")"

# An old text whose name was changed by hand: a difference (and a commit huitou did not make).
p=$(path "$(J 3)")
g show "main:$p" | sed 's/^name: .*/name: 手工改名/' >"$TMP/hand.txt"
blob=$(g hash-object -w "$TMP/hand.txt")
tree=$(export GIT_INDEX_FILE=$TMP/hand.index
	g read-tree main && printf '100644 %s\t%s\n' "$blob" "$p" | g update-index --index-info &&
	g write-tree)
hand=$(printf 'by hand\n' | GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=m@example.org \
    GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=m@example.org g commit-tree -p main "$tree")
g update-ref refs/heads/main "$hand"
check_eq "the hand-made text keeps the old header" "# huitou institution $old" "$(header "$(J 3)")"
run h verify
check_status "verify after a change by hand" 1
check_grep "the changed old text is a difference" "$TMP/out" "differs between the store and git: $(J 3)"
check_no_grep "the unchanged old text is not" "$TMP/out" "differs between the store and git: $(J 1)"

done_testing
