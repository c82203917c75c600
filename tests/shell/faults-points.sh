#!/usr/bin/env bash
# faults-points.sh — a power cut at every named write point: the points are every
# fault_point("NAME") in src/ (grepped here, so a new point is covered or this test fails for
# want of a scenario); each is reached by the command that writes there, killed there
# (HUITOU_FAULT=NAME), and then: the next start converges (verify clean), git fsck --strict is
# clean, git and LMDB agree, every acknowledged write is there, the interrupted one is wholly
# there or wholly absent, the command then succeeds, and no temporary file is left in the data
# directory or in $TMPDIR. The real git CLI is the oracle for the repository.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
export TMPDIR=$TMP/tmpdir	# huitou's own temporary files, if it made any, would be here
mkdir -p "$TMPDIR"

g() { local dir=$1; shift; git -C "$dir/audit.git" "$@"; }
run_killed() { { "$@" >"$TMP/out" 2>"$TMP/err"; } 2>/dev/null; rc=$?; }
fsck() { g "$1" fsck --strict --no-dangling --no-progress 2>&1; echo "status $?"; }
# leftovers DIR: temporary files and locks a process left (audit.lock is the lock file itself,
# kept on purpose; a flock on it goes with its process), and anything in $TMPDIR.
leftovers() {
	{ find "$1" \( -name '*tmp*' -o -name '*.lock' -o -name '*_git2_*' \) ! -name audit.lock
	  find "$TMPDIR" -mindepth 1; } | sed "s|^$TMP/||" | sort | tr '\n' ' '
}
id=JG-610113-000001

points=$(grep -rho 'fault_point("[^"]*")' "$top_srcdir/src" --include='*.c' |
    sed 's/^fault_point("\(.*\)")$/\1/' | sort -u)
check_eq "the source has named write points" yes "$([ "$(echo "$points" | wc -l)" -ge 13 ] && echo yes)"

# The city every scenario starts from: a record saved twice (both acknowledged), the newest
# pack unpacked so that maintain has loose objects to remove and old packs to replace.
base=$TMP/base
new_city "$base"
"$HUITOU" -d "$base" new institution name=甲 district=610113 category=subject >/dev/null
"$HUITOU" -d "$base" set "$id" notes=acknowledged >/dev/null
newest=$(ls -t "$base"/audit.git/objects/pack/*.pack | head -n 1)
mv "$newest" "$TMP/newest.pack" && rm "${newest%.pack}.idx"
g "$base" unpack-objects -q <"$TMP/newest.pack" && rm "$TMP/newest.pack"
check_eq "the base city has loose objects" yes \
    "$([ "$(g "$base" count-objects | cut -d' ' -f1)" -gt 0 ] && echo yes)"
check_eq "and several packs" yes "$([ "$(ls "$base"/audit.git/objects/pack/*.pack | wc -l)" -ge 2 ] && echo yes)"
printf 'name,district,category\n' >"$TMP/rows.csv"
for i in 1 2 3 4 5; do echo "导入机构$i,610113,subject" >>"$TMP/rows.csv"; done

# scenario POINT: the command that reaches it, and what of its write must be there after the
# kill: absent, present or either (a kill after the store's commit keeps the change).
scenario() {
	case $1 in
	store-before-commit)	cmd=(set --reason 断电 "$id" address=interrupted); want=absent ;;
	store-committed|audit-objects-written|audit-branch-moved)
				cmd=(set --reason 断电 "$id" address=interrupted); want=present ;;
	audit-before-tag)	cmd=(publish 2026-10 --yes); want=present ;;
	store-blobs-written)	cmd=(publish 2026-10 --yes); want=absent ;;	# its files' pack, unnamed
	import-before-commit)	cmd=(import institution "$TMP/rows.csv"); want=absent ;;
	rebuild-*|maintain-*)	cmd=("${1%%-*}"); want=same ;;
	*)			return 1 ;;
	esac
}

# store_state DIR, git_state DIR: what the scenarios write, as the store and git HEAD hold it.
store_state() {
	"$HUITOU" -d "$1" show "$id" | grep -E '^(address|notes|version):' | sed 's/[[:space:]]*$//' | tr '\n' ' '
	echo "rows $(rows "$1") publications $("$HUITOU" -d "$1" export publication | tail -n +2 | wc -l)"
}
git_state() {
	local path
	path=$(g "$1" ls-tree -r main --name-only | grep "/$id\$")
	g "$1" show "main:$path" | grep -E '^(address|notes|version):' | sed 's/[[:space:]]*$//' | tr '\n' ' '
	echo "rows $(g "$1" ls-tree -r main --name-only | grep -c '^institution/')" \
	    "publications $(g "$1" ls-tree -r main --name-only | grep -c '^publication/')"
}

for point in $points; do
	case $point in
	push-*)	# a push writes to another repository: killed there in deploy-replication.sh
		check_eq "$point: deploy-replication.sh kills a push there" yes "$(grep -qE \
		    "HUITOU_FAULT=$point |for point in .*$point" "$top_srcdir/tests/shell/deploy-replication.sh" && echo yes)"
		continue ;;
	esac
	if ! scenario "$point"; then
		not_ok "$point: a scenario reaches it (add one to faults-points.sh)"
		continue
	fi
	d=$TMP/$point
	rm -rf "$d" && cp -a "$base" "$d"
	tip=$(g "$d" rev-parse main)
	before=$(store_state "$d")
	run_killed env HUITOU_FAULT="$point" "$HUITOU" -d "$d" "${cmd[@]}"
	check_status "$point: ${cmd[0]} is killed there (137)" 137

	run "$HUITOU" -d "$d" verify
	check_status "$point: the next start converges, verify is clean" 0
	check_grep "$point: verify says the store equals git" "$TMP/out" "the store equals git HEAD"
	check_eq "$point: git fsck --strict is clean" "status 0" "$(fsck "$d")"
	check_eq "$point: every acknowledged commit is still on main" yes \
	    "$(g "$d" merge-base --is-ancestor "$tip" main && echo yes)"
	after=$(store_state "$d")
	check_eq "$point: git HEAD and the store agree" "$after" "$(git_state "$d")"
	check_eq "$point: the acknowledged save is there" yes \
	    "$(case $after in *"notes: acknowledged "*) echo yes ;; esac)"
	case $want in
	absent|same)	check_eq "$point: the interrupted write is wholly absent" "$before" "$after" ;;
	present)	check_eq "$point: the interrupted write is wholly there" yes \
			    "$([ "$before" != "$after" ] && echo yes)" ;;
	esac
	if [ "$point" = audit-before-tag ]; then
		check_eq "$point: the publication's tag was made on the next start" \
		    "$(g "$d" rev-parse main)" "$(g "$d" rev-parse 'lists/2026-10^{commit}' 2>&1)"
	fi
	check_eq "$point: main is not locked" no "$([ -e "$d/audit.git/refs/heads/main.lock" ] && echo yes || echo no)"

	# The command again (a write already made is refused or a no-op, never doubled).
	run "$HUITOU" -d "$d" "${cmd[@]}"
	case $point in
	audit-before-tag) check_status "$point: publishing the month again is refused (it is published)" 1 ;;
	*) check_status "$point: ${cmd[0]} then succeeds" 0 ;;
	esac
	run "$HUITOU" -d "$d" maintain
	check_status "$point: maintain then finishes" 0
	check_eq "$point: fsck --strict is clean after it" "status 0" "$(fsck "$d")"
	check_eq "$point: one commit per Outbox-Seq" "$(g "$d" rev-list --count main)" \
	    "$(g "$d" log --format='%(trailers:key=Outbox-Seq,valueonly)' main | grep -vc '^$')"
	check_eq "$point: no temporary file is left" "" "$(leftovers "$d")"
done

done_testing
