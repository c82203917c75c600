#!/usr/bin/env bash
# audit-concurrency.sh — 8 processes saving 100 times each at the same time: every save is
# one git commit, made once, on one linear history whose Outbox-Seq runs 1..N with no gap;
# no update is lost and the store equals git HEAD. Then 4 processes that each save 50 times,
# as a console does (one open store, spare files made ahead); then maintain run again and again
# while 3 processes save. The real git CLI is the oracle.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

P=8		# processes
S=100		# saves each
d=$TMP/d
g() { git -C "$d/audit.git" "$@"; }
commits() { g rev-list --count main; }
seqs() { g log --format='%(trailers:key=Outbox-Seq,valueonly)' main | grep -v '^$'; }

new_city "$d"
ids=()
for p in $(seq 1 $P); do
	ids[p]=$("$HUITOU" -d "$d" new institution "name=并发机构$p" district=610113 category=subject) ||
	    { echo "Bail out! new failed"; exit 1; }
done
check_eq "$P records to save" $P "$(rows "$d")"
before=$(commits)
check_eq "before: init and $P new records are $((P + 1)) commits" $((P + 1)) "$before"

# Each worker saves its own record S times, in order, and writes one status a line.
cat >"$TMP/worker.sh" <<'EOF'
huitou=$1 d=$2 id=$3 p=$4 s=$5 out=$6 err=$7
for i in $(seq 1 "$s"); do
	"$huitou" -d "$d" set "$id" "notes=$p-$i" >/dev/null 2>>"$err"
	echo "$i $?" >>"$out"
done
EOF
cat >"$TMP/all.sh" <<'EOF'
huitou=$1 d=$2 s=$3 tmp=$4; shift 4
p=0
for id in "$@"; do
	p=$((p + 1))
	bash "$tmp/worker.sh" "$huitou" "$d" "$id" "$p" "$s" "$tmp/status.$p" "$tmp/stderr.$p" &
done
wait
EOF
start=$EPOCHREALTIME
timeout 1200 bash "$TMP/all.sh" "$HUITOU" "$d" $S "$TMP" "${ids[@]:1}"
trc=$?
end=$EPOCHREALTIME
check_eq "the workers finished within 1200 s (a guard against a hang, not a budget)" 0 "$trc"
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
rate=$(awk -v a="$start" -v b="$end" -v n=$((P * S)) 'BEGIN { printf "%.0f", n / (b - a) }')
echo "# $((P * S)) saves in $elapsed s ($rate saves/s, $P processes)"

check_eq "$((P * S)) saves were run" $((P * S)) "$(cat "$TMP"/status.[0-9]* 2>/dev/null | wc -l)"
check_eq "all $((P * S)) saves exited 0" $((P * S)) "$(cat "$TMP"/status.[0-9]* 2>/dev/null | awk '$2 == 0' | wc -l)"
errs=$(cat "$TMP"/stderr.[0-9]* 2>/dev/null | head -c 600)
check_eq "no save wrote to stderr (no warning that its audit commit waits)" "" "$errs"

# One linear history, one commit per save.
n=$(commits)
check_eq "git has exactly $((P * S)) new commits" $((before + P * S)) "$n"
check_eq "one Outbox-Seq per commit" "$n" "$(seqs | wc -l)"
check_eq "Outbox-Seq is 1..$n, oldest first, no gap" "$(seq 1 "$n" | md5sum)" "$(seqs | tac | md5sum)"
check_eq "no Outbox-Seq twice" "" "$(seqs | sort | uniq -d | head -n 5 | tr '\n' ' ')"
check_eq "one root commit" 1 "$(g rev-list --parents main | awk 'NF == 1' | wc -l)"
check_eq "every other commit has exactly one parent" $((n - 1)) \
    "$(g rev-list --parents main | awk 'NF == 2' | wc -l)"
check_eq "main is the only history (every ref reaches no other commit)" "$n" "$(g rev-list --all --count)"
got=$(g fsck --strict --no-dangling --no-progress 2>&1; echo "status $?")
check_eq "git fsck --strict is clean" "status 0" "$got"

# No lost update: each record ends at its last save, in the store and in git, and git holds
# each record's saves in the order they were made.
final_store='' final_git='' order_ok=0 versions=''
for p in $(seq 1 $P); do
	id=${ids[p]}
	final_store="$final_store $("$HUITOU" -d "$d" show "$id" | sed -n 's/^notes: //p')"
	versions="$versions $("$HUITOU" -d "$d" show "$id" | sed -n 's/^version: //p')"
	path=$(g ls-tree -r main --name-only | grep "^institution/.*/$id\$")
	final_git="$final_git $(g show "main:$path" | sed -n 's/^notes: //p')"
	# Subjects of one-field changes end "old→new": the new notes, oldest first.
	if [ "$(g log --format=%s main -- "$path" | tac | tail -n +2 | sed 's/.*→//' | tr '\n' ' ')" = \
	    "$(for i in $(seq 1 $S); do printf '%s ' "$p-$i"; done)" ]; then
		order_ok=$((order_ok + 1))
	fi
done
want_final=$(for p in $(seq 1 $P); do printf ' %s' "$p-$S"; done)
check_eq "each record's notes in the store is its last save (P-$S)" "$want_final" "$final_store"
check_eq "each record's notes in git HEAD is its last save" "$want_final" "$final_git"
check_eq "each record is at version $((S + 1))" "$(for p in $(seq 1 $P); do printf ' %s' $((S + 1)); done)" "$versions"
check_eq "git holds each record's $S saves in order" $P "$order_ok"

run "$HUITOU" -d "$d" verify
check_status "verify finds the store equal to git" 0
check_eq "verify counted the records (and init's person)" "verified: $((P + 1)) records, the store equals git HEAD" "$(cat "$TMP/out")"
check_eq "verify made no commit" "$n" "$(commits)"

# ---- processes that save again and again, with spare files made ahead ----
BENCH_SAVE="$(dirname "$HUITOU")/../bench/bench-save"
before=$(commits)
for p in 1 2 3 4; do "$BENCH_SAVE" "$d" 50 >"$TMP/bench.$p" 2>&1 & done
wait
check_eq "4 processes x 50 saves: 200 more commits" "$((before + 200))" "$(commits)"
check_eq "their Outbox-Seq runs on with no gap or repeat" "$(seq 1 "$(commits)" | sort -n | tr '\n' ' ')" \
    "$(seqs | sort -n | tr '\n' ' ')"
run "$HUITOU" -d "$d" verify
check_status "verify finds the store equal to git after them" 0
check_eq "git fsck --strict passes" "" "$(g fsck --strict --no-dangling --no-progress 2>&1)"
check_eq "no spare file is left behind" "" "$(ls "$d/audit.git" "$d/audit.git/objects/pack" | grep '^tmp_')"

# ---- maintain again and again while 3 processes save 60 times each ----
M=3 S2=60
before=$(commits)
rm -f "$TMP"/status.* "$TMP"/stderr.*
{ timeout 1200 bash "$TMP/all.sh" "$HUITOU" "$d" $S2 "$TMP" "${ids[@]:1:M}"; echo $? >"$TMP/saves.done"; } &
runs=0 during=0 mfails=0
while [ ! -s "$TMP/saves.done" ]; do
	saved=$(cat "$TMP"/status.[0-9]* 2>/dev/null | wc -l)
	"$HUITOU" -d "$d" maintain >>"$TMP/maintain.out" 2>&1 || mfails=$((mfails + 1))
	runs=$((runs + 1))
	# a run that began after the first save and before the last is one among saves
	[ "$saved" -gt 0 ] && [ "$saved" -lt $((M * S2)) ] && during=$((during + 1))
	# a pause between runs, as a timer leaves: run back to back, maintain holds the audit
	# lock nearly all the time, and on a slow disk the saves queue behind it for minutes
	sleep 0.3
done
wait
echo "# maintain ran $runs times, $during of them while saves went on"
check_eq "the savers finished within 1200 s (a guard against a hang, not a budget)" 0 "$(cat "$TMP/saves.done")"
check_eq "maintain ran at least twice while the saves went on" yes "$([ "$during" -ge 2 ] && echo yes)"
check_eq "every maintain exited 0" 0 "$mfails"
check_eq "all $((M * S2)) saves exited 0" $((M * S2)) "$(cat "$TMP"/status.[0-9]* | awk '$2 == 0' | wc -l)"
check_eq "no save wrote to stderr" "" "$(cat "$TMP"/stderr.[0-9]* 2>/dev/null | head -c 600)"
n=$(commits)
check_eq "every save is one commit" $((before + M * S2)) "$n"
check_eq "Outbox-Seq is still 1..$n with no gap or repeat" "$(seq 1 "$n" | md5sum)" "$(seqs | tac | md5sum)"
check_eq "git fsck --strict is clean after maintain among saves" \
    "status 0" "$(g fsck --strict --no-dangling --no-progress 2>&1; echo "status $?")"
check_eq "every object git reaches can be read (a pack maintain removed is not needed)" 0 \
    "$(g rev-list --objects --all | cut -d' ' -f1 | g cat-file --batch-check | grep -c missing)"
order_ok=0
for p in $(seq 1 $M); do
	path=$(g ls-tree -r main --name-only | grep "^institution/.*/${ids[p]}\$")
	if [ "$(g log --format=%s main -- "$path" | head -n $S2 | tac | sed 's/.*→//' | tr '\n' ' ')" = \
	    "$(for i in $(seq 1 $S2); do printf '%s ' "$p-$i"; done)" ]; then
		order_ok=$((order_ok + 1))
	fi
done
check_eq "git holds each record's $S2 saves, in order" $M "$order_ok"
run "$HUITOU" -d "$d" verify
check_status "verify finds the store equal to git after maintain among saves" 0
check_eq "each record's notes are its last save" "$(for p in $(seq 1 $M); do printf '%s ' "$p-$S2"; done)" \
    "$(for p in $(seq 1 $M); do printf '%s ' "$("$HUITOU" -d "$d" show "${ids[p]}" | sed -n 's/^notes: //p')"; done)"

done_testing
