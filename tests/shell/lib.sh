# lib.sh — what the shell tests share: the binary, a scratch directory removed at exit, and
# TAP output (one "ok N - what" per check) so the harness counts every check.
# shellcheck shell=bash
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
HUITOU="$top_builddir/src/huitou"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/huitou-sh.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC HUITOU_NOW=2026-11-28
unset HUITOU_DIR LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
tap_n=0
# How many tenths of a second a test waits for something to happen before it says it did not:
# 30 s, so that a loaded machine makes the tests slower, never wrong.
export WAIT_TRIES=${WAIT_TRIES:-300}

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); echo "not ok $tap_n - $1"; shift
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
done_testing() { echo "1..$tap_n"; }
# skip N REASON: N checks skipped, with the reason (TAP "# skip").
skip() { for _ in $(seq 1 "$1"); do tap_n=$((tap_n + 1)); echo "ok $tap_n # skip $2"; done; }
# skip_all REASON: the test's last $ROOT_CHECKS checks skipped (a part needing root), and the end.
skip_all() { skip "$ROOT_CHECKS" "$1"; done_testing; exit 0; }

# run CMD…: runs it, keeping stdout in $TMP/out, stderr in $TMP/err and the status in $rc.
run() { "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

check_status() {	# NAME WANT: the last run's status
	if [ "$rc" -eq "$2" ]; then ok "$1"; else
		not_ok "$1" "status $rc, wanted $2" "stdout: $(head -c 600 "$TMP/out")" "stderr: $(head -c 600 "$TMP/err")"
	fi
}
check_eq() {		# NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "wanted: $2" "got:    $3"; fi
}
check_grep() {		# NAME FILE TEXT: the file has a line with TEXT (fixed string)
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no '$3' in:" "$(head -c 800 "$2")"; fi
}
check_no_grep() {	# NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then not_ok "$1" "unexpected '$3' in:" "$(head -c 800 "$2")"; else ok "$1"; fi
}

# new_city DIR: a data directory for Xi'an (6101) with no records.
new_city() { "$HUITOU" -d "$1" init --city 6101 >/dev/null || { echo "Bail out! init failed"; exit 1; }; }

# rows DIR: how many institutions the store holds, from the export.
rows() { "$HUITOU" -d "$1" export institution | tail -n +2 | wc -l; }
