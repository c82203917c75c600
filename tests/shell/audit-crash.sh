#!/usr/bin/env bash
# audit-crash.sh — a process killed at any step of the write path (HUITOU_FAULT=NAME makes it
# SIGKILL itself there) loses nothing and duplicates nothing: the next start makes the git
# commits the outbox holds, exactly once, and the store equals git HEAD. The real git CLI is
# the oracle for the repository: one linear history, Outbox-Seq 1..N, fsck --strict clean.
. "$(dirname "$0")/lib.sh"

# git reads no user or system configuration here.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

id=JG-610113-000001

# run_killed CMD…: like run, without the shell's "Killed" notice on stderr.
run_killed() { { "$@" >"$TMP/out" 2>"$TMP/err"; } 2>/dev/null; rc=$?; }

g() { local dir=$1; shift; git -C "$dir/audit.git" "$@"; }
commits() { g "$1" rev-list --count main; }
seqs() { g "$1" log --format='%(trailers:key=Outbox-Seq,valueonly)' main | grep -v '^$'; }
subjects_with() { g "$1" log --format=%s main | grep -c -- "$2"; }

# check_history WHAT DIR N: git's main is one linear history of N commits carrying
# Outbox-Seq 1..N (oldest first) with no duplicate, and fsck --strict finds nothing.
check_history() {
	local what=$1 dir=$2 n=$3 got
	check_eq "$what: $n commits on main" "$n" "$(commits "$dir")"
	check_eq "$what: Outbox-Seq is 1..$n, oldest first" "$(seq 1 "$n" | tr '\n' ' ')" \
	    "$(seqs "$dir" | tac | tr '\n' ' ')"
	check_eq "$what: no Outbox-Seq twice" "" "$(seqs "$dir" | sort | uniq -d | tr '\n' ' ')"
	check_eq "$what: one Outbox-Seq per commit" "$(commits "$dir")" "$(seqs "$dir" | wc -l)"
	check_eq "$what: one root commit" 1 "$(g "$dir" rev-list --parents main | awk 'NF == 1' | wc -l)"
	check_eq "$what: every other commit has exactly one parent" "$((n - 1))" \
	    "$(g "$dir" rev-list --parents main | awk 'NF == 2' | wc -l)"
	got=$(g "$dir" fsck --strict --no-dangling --no-progress 2>&1; echo "status $?")
	check_eq "$what: git fsck --strict is clean" "status 0" "$got"
	check_eq "$what: main's reflog has a line per commit" "$n" "$(g "$dir" reflog show main | wc -l)"
	check_eq "$what: HEAD's reflog too" "$n" "$(g "$dir" reflog show HEAD | wc -l)"
	check_eq "$what: main is not locked" no "$([ -e "$dir/audit.git/refs/heads/main.lock" ] && echo yes || echo no)"
}

# check_converged WHAT DIR N RECORDS: huitou verify finds the store equal to git HEAD.
check_converged() {
	run "$HUITOU" -d "$2" verify
	check_status "$1: verify finds the store equal to git" 0
	check_eq "$1: verify counted the records (and init's person)" \
	    "verified: $(($4 + 1)) records, the store equals git HEAD" "$(cat "$TMP/out")"
	check_history "$1" "$2" "$3"
}

# ---- one record changed; killed at each step of the write path ----
for point in store-committed audit-objects-written audit-branch-moved; do
	d=$TMP/$point
	new_city "$d"
	"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
	check_eq "$point: the record exists, 2 commits" "2" "$(commits "$d")"

	run_killed env HUITOU_FAULT=$point "$HUITOU" -d "$d" set --reason 测试 $id status=rectifying
	check_status "$point: set is killed (SIGKILL, 137)" 137
	# Before any start, git is where the fault point says (the CLI does not replay).
	if [ "$point" = audit-branch-moved ]; then want=3; else want=2; fi
	check_eq "$point: git holds $want commits before the next start" "$want" "$(commits "$d")"

	check_converged "$point: next start" "$d" 3 1
	run "$HUITOU" -d "$d" show $id
	check_grep "$point: show says status: rectifying" "$TMP/out" "status: rectifying"
	check_grep "$point: the record is at version 2" "$TMP/out" "version: 2"
	check_eq "$point: git has one commit for the change" 1 "$(subjects_with "$d" →整改中)"
	path=$(g "$d" ls-tree -r main --name-only | grep "^institution/.*/$id\$")
	check_eq "$point: git HEAD's file says rectifying, version 2" "status: rectifying version: 2" \
	    "$(g "$d" show "main:$path" | grep -E '^(status|version): ' | tr '\n' ' ' | sed 's/ $//')"

	# Later writes continue the sequence.
	run "$HUITOU" -d "$d" set --reason 测试 $id status=banned
	check_status "$point: a later set succeeds" 0
	check_history "$point: after a later set" "$d" 4
	check_eq "$point: the later commit's Outbox-Seq is 4" 4 "$(seqs "$d" | head -n 1)"
done

# ---- killed after LMDB commits; two different commands then: one replay, one commit ----
d=$TMP/twice
new_city "$d"
"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
run_killed env HUITOU_FAULT=store-committed "$HUITOU" -d "$d" set --reason 测试 $id status=rectifying
check_status "twice: set is killed (137)" 137
check_eq "twice: git lacks the change" 0 "$(subjects_with "$d" →整改中)"
run "$HUITOU" -d "$d" show $id
check_status "twice: show succeeds" 0
check_grep "twice: show says rectifying" "$TMP/out" "status: rectifying"
check_eq "twice: show's start made the commit" 1 "$(subjects_with "$d" →整改中)"
check_eq "twice: 3 commits after show" 3 "$(commits "$d")"
run "$HUITOU" -d "$d" export institution
check_status "twice: export succeeds" 0
check_eq "twice: export has the record as rectifying" rectifying \
    "$(tail -n +2 "$TMP/out" | cut -d, -f8)"
check_eq "twice: export's start made no second commit" 1 "$(subjects_with "$d" →整改中)"
check_eq "twice: still 3 commits after export" 3 "$(commits "$d")"
run "$HUITOU" -d "$d" show $id
check_eq "twice: a third start makes none either" 3 "$(commits "$d")"
check_converged "twice" "$d" 3 1

# ---- a process that saves again and again, killed on its 3rd save: by then main is locked
# for a save while the store commits it (the move written to the logs); the next start finds
# the lock left, takes the logs' lines back, and commits the change from the outbox ----
BENCH_SAVE="$(dirname "$HUITOU")/../bench/bench-save"
for point in store-committed audit-objects-written audit-branch-moved; do
	d=$TMP/again-$point
	new_city "$d"
	"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
	"$HUITOU" -d "$d" new institution name=乙 district=610113 category=subject >/dev/null
	run_killed env HUITOU_FAULT=$point@3 "$BENCH_SAVE" "$d" 5
	check_status "again $point: killed on the 3rd save (137)" 137
	if [ "$point" = audit-branch-moved ]; then want=6; else want=5; fi
	check_eq "again $point: git holds $want commits before the next start" "$want" "$(commits "$d")"
	if [ "$point" != audit-branch-moved ]; then
		check_eq "again $point: main.lock was left" yes \
		    "$([ -e "$d/audit.git/refs/heads/main.lock" ] && echo yes || echo no)"
		check_eq "again $point: with the move logged" 6 "$(g "$d" reflog show main | wc -l)"
	fi
	check_converged "again $point: next start" "$d" 6 2
done

# ---- a bulk import (its commit goes through a pack) ----
districts=(610102 610103 610104 610111 610112 610113 610114 610115 610116 610117 610118 610122 610124)
{
	echo name,district,category
	for i in $(seq 1 200); do
		if [ $((i % 3)) -eq 0 ]; then c=non_subject; else c=subject; fi
		echo "批量机构$i,${districts[$((i % 13))]},$c"
	done
} >"$TMP/bulk.csv"

for point in audit-objects-written store-committed audit-branch-moved; do
	d=$TMP/bulk-$point
	new_city "$d"
	run_killed env HUITOU_FAULT=$point "$HUITOU" -d "$d" import institution "$TMP/bulk.csv"
	check_status "bulk $point: import is killed (137)" 137
	if [ "$point" = audit-branch-moved ]; then want=2; else want=1; fi
	check_eq "bulk $point: git holds $want commits before the next start" "$want" "$(commits "$d")"
	if [ "$point" = audit-objects-written ]; then
		check_eq "bulk $point: the import's objects went into a pack (the first commit has one)" 2 \
		    "$(find "$d/audit.git/objects/pack" -name '*.pack' | wc -l)"
		check_eq "bulk $point: no loose objects" 0 \
		    "$(git -C "$d/audit.git" count-objects -v | sed -n 's/^count: //p')"
	fi

	check_converged "bulk $point: next start" "$d" 2 200
	check_eq "bulk $point: git HEAD holds the 200 records" 200 \
	    "$(g "$d" ls-tree -r main --name-only | grep -c '^institution/')"
	check_eq "bulk $point: the store holds the 200 records" 200 "$(rows "$d")"
	check_eq "bulk $point: one import commit" 1 "$(subjects_with "$d" '导入')"
	check_eq "bulk $point: its Count trailer says 200" 200 \
	    "$(g "$d" log -1 --format='%(trailers:key=Count,valueonly)' main | grep -v '^$')"
done

# ---- killed before the import's LMDB commit: nothing is saved anywhere ----
d=$TMP/bulk-none
new_city "$d"
run_killed env HUITOU_FAULT=import-before-commit "$HUITOU" -d "$d" import institution "$TMP/bulk.csv"
check_status "import-before-commit: import is killed (137)" 137
check_eq "import-before-commit: the store has no rows" 0 "$(rows "$d")"
check_eq "import-before-commit: no new commit" 1 "$(commits "$d")"
check_eq "import-before-commit: git HEAD holds no record" 0 \
    "$(g "$d" ls-tree -r main --name-only | grep -c '^institution/')"
check_converged "import-before-commit" "$d" 1 0
# The killed writer's LMDB lock does not stay taken: the same import then succeeds.
run "$HUITOU" -d "$d" import institution "$TMP/bulk.csv"
check_status "import-before-commit: importing again succeeds" 0
check_eq "import-before-commit: then 200 rows" 200 "$(rows "$d")"
check_converged "import-before-commit: imported again" "$d" 2 200
check_eq "import-before-commit: ids start at 1 again" JG-610102-000001 \
    "$("$HUITOU" -d "$d" export institution | cut -d, -f1 | grep -m1 '^JG-610102-')"

done_testing
