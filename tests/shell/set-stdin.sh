#!/usr/bin/env bash
# set-stdin.sh — "huitou set --stdin", a long-lived writer for scripts: one save a line, each
# its own audit commit (author the real user, its own reason, its Outbox-Seq), one result line
# each; a refused line does not stop the others; data never reaches the output raw; a killed
# writer loses nothing it acknowledged; several writers at once lose nothing and keep
# Outbox-Seq in order. As root, the policy is checked per line for a real Unix user.
. "$(dirname "$0")/lib.sh"

me=$(id -un)
DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
field() { "$HUITOU" -d "$DATA" show "$1" | sed -n "s/^$2: //p"; }
seqs() { g log --format='%(trailers:key=Outbox-Seq,valueonly)' main | grep -v '^$'; }
# SEQ: the commit whose Outbox-Seq is SEQ, as "Record notes-value" (its record and the value).
commit_of_seq() { g log --format='%H %(trailers:key=Outbox-Seq,valueonly,separator=)' main |
    awk -v s="$1" '$2 == s { print $1 }'; }

new_city "$DATA"
printf 'name,district,category\n' >"$TMP/rows.csv"
for i in $(seq 1 12); do printf '机构%d,雁塔区,学科类\n' "$i" >>"$TMP/rows.csv"; done
printf '新城机构,新城区,学科类\n' >>"$TMP/rows.csv"
"$HUITOU" -d "$DATA" import institution "$TMP/rows.csv" >/dev/null 2>&1 ||
    { echo "Bail out! import"; exit 1; }
jg() { printf 'JG-610113-%06d' "$1"; }
xc=JG-610102-000001

# ---- N lines, N commits: each its own reason, the real user as author ----
n0=$(count)
{
	for i in $(seq 1 10); do printf '%s notes="第 %d 行 of ten" --reason "理由 %d"\n' "$(jg "$i")" "$i" "$i"; done
	printf '\n# a comment line\n'
	printf "%s 'notes=all its own' phone=13912345678\n" "$(jg 11)"
} >"$TMP/lines"
run "$HUITOU" -d "$DATA" set --stdin --reason 批量备注 <"$TMP/lines"
check_status "eleven good lines: status 0" 0
check_eq "one result line per save line (blank and comment lines none)" 11 "$(wc -l <"$TMP/out")"
check_eq "each line's result names its record, ok" "$(for i in $(seq 1 11); do echo "ok $(jg "$i")"; done)" \
    "$(cut -d' ' -f1,2 "$TMP/out")"
check_eq "eleven commits in git" "$((n0 + 11))" "$(count)"
check_eq "each authored by the real user" "$(for _ in $(seq 1 11); do echo "$me"; done)" \
    "$(g log -11 --reverse --format=%an main)"
check_eq "each with its own reason, --reason for a line without one" \
    "$(for i in $(seq 1 10); do echo "理由 $i"; done; echo 批量备注)" \
    "$(g log -11 --reverse --format='%(trailers:key=Reason,valueonly,separator=)' main)"
check_eq "the SEQ printed is each commit's Outbox-Seq" "$(cut -d' ' -f3 "$TMP/out")" \
    "$(g log -11 --reverse --format='%(trailers:key=Outbox-Seq,valueonly,separator=)' main)"
check_eq "the version printed is the record's" "2 2" "$(sed -n 1p "$TMP/out" | cut -d' ' -f4) $(field "$(jg 1)" version)"
check_eq "double quotes keep a value's spaces" "第 1 行 of ten" "$(field "$(jg 1)" notes)"
check_eq "single quotes too, and two fields in one line" "all its own 13912345678" \
    "$(field "$(jg 11)" notes) $(field "$(jg 11)" phone)"
check_eq "each commit holds its own record's change" "notes: 第 3 行 of ten" \
    "$(g show "$(commit_of_seq "$(sed -n 3p "$TMP/out" | cut -d' ' -f3)")" | grep '^+notes' | sed 's/^+//')"

# ---- refused lines are reported; the others are saved ----
n0=$(count)
esc=$(printf '\033')
{
	printf '%s notes=before\n' "$(jg 1)"
	printf '%s phone=12345\n' "$(jg 2)"			# a bad value
	printf '%s colour=red\n' "$(jg 3)"			# no such field
	printf '%s notes="x%s[31mred"\n' "$(jg 4)" "$esc"	# an escape sequence in the value
	printf 'JG-610113-0%s]0;title\n' "$esc"			# one in the id
	printf '%s "notes=unclosed\n' "$(jg 5)"		# a quote left open
	printf '%s notes=again --expect-version 1\n' "$(jg 6)"	# a conflict
	printf '%s notes=after\n' "$(jg 7)"
	printf '%s notes=after\n' "$(jg 7)"			# nothing to change
} >"$TMP/lines"
run "$HUITOU" -d "$DATA" set --stdin <"$TMP/lines"
check_status "the first failure's status (a refused value: 1)" 1
check_eq "one result line per line" 9 "$(wc -l <"$TMP/out")"
check_eq "good, refused and unchanged lines in input order" \
    "ok error error error error error error ok unchanged" "$(cut -d' ' -f1 "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check_grep "a bad value names the field" "$TMP/out" "error $(jg 2): Phone (phone): "
check_grep "an unknown field is named" "$TMP/out" "has no field 'colour'"
check_grep "a control character is refused, by field" "$TMP/out" "error $(jg 4): Notes (notes): "
check_grep "an open quote is said" "$TMP/out" "error $(jg 5): a quote (\") is not closed"
check_grep "a conflict is one line, its line breaks escaped" "$TMP/out" \
    "error $(jg 6): conflict: $(jg 6) was saved by someone else since version 1"
check_eq "no escape byte ever reaches the output" 0 "$(grep -c "$esc" "$TMP/out")"
check_grep "the id's escape is shown as text" "$TMP/out" 'error JG-610113-0\x1b]0;title: '
check_eq "two commits, for the two saves" "$((n0 + 2))" "$(count)"
check_eq "the lines after the refused ones were saved" "before after" \
    "$(field "$(jg 1)" notes) $(field "$(jg 7)" notes)"
check_eq "the refused lines wrote nothing" "第 6 行 of ten" "$(field "$(jg 6)" notes)"

run "$HUITOU" -d "$DATA" set --stdin "$(jg 1)" notes=x </dev/null
check_status "--stdin takes no operands (usage)" 2
printf '%s notes=x --stdin\n' "$(jg 1)" | run "$HUITOU" -d "$DATA" set --stdin
check_grep "nor --stdin in a line" "$TMP/out" "error $(jg 1): a line takes ID FIELD=VALUE"
check_status "a line's usage error: status 2" 2

# ---- a killed writer loses nothing it acknowledged ----
for i in $(seq 1 400); do printf '%s notes=kill-%d\n' "$(jg $((i % 10 + 1)))" "$i"; done >"$TMP/many"
mkfifo "$TMP/fifo"
"$HUITOU" -d "$DATA" set --stdin <"$TMP/fifo" >"$TMP/acked" 2>"$TMP/kerr" &
pid=$!
exec 7>"$TMP/fifo"
cat "$TMP/many" >&7 &
feeder=$!
for _ in $(seq 1 200); do [ "$(wc -l <"$TMP/acked")" -ge 15 ] && break; sleep 0.05; done
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 7>&-
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
acked=$(grep -c '^ok ' "$TMP/acked")
check_eq "the writer was killed mid-way (acknowledged some, not all)" yes \
    "$([ "$acked" -ge 15 ] && [ "$acked" -lt 400 ] && echo yes || echo "no: $acked")"
missing=0
while read -r _ rid s _; do
	c=$(commit_of_seq "$s")
	[ -n "$c" ] && g show "$c" | grep -q "^+notes: kill-" && g show --format='%(trailers:key=Record,valueonly)' -s "$c" | grep -qF "$rid" ||
	    missing=$((missing + 1))
done < <(grep '^ok ' "$TMP/acked")
check_eq "every acknowledged line's commit is in git, with its record's change" 0 "$missing"
run "$HUITOU" -d "$DATA" verify
check_status "verify: the store equals git after the kill" 0

# ---- several writers at once: every acknowledged save is a commit, Outbox-Seq in order ----
n0=$(count)
for w in 1 2 3 4; do
	for i in $(seq 1 15); do printf '%s notes=w%d-%d\n' "$(jg $(((w - 1) * 3 + i % 3 + 1)))" "$w" "$i"; done >"$TMP/w$w"
done
for w in 1 2 3 4; do "$HUITOU" -d "$DATA" set --stdin --reason "writer $w" <"$TMP/w$w" >"$TMP/o$w" 2>&1 & done
wait
check_eq "four writers: every line acknowledged" 60 "$(cat "$TMP"/o? | grep -c '^ok ')"
check_eq "sixty commits" "$((n0 + 60))" "$(count)"
n=$(seqs | wc -l)
check_eq "Outbox-Seq runs 1..N, oldest first, no gap" "$(seq 1 "$n" | md5sum)" "$(seqs | tac | md5sum)"
check_eq "each writer's SEQs rise in its own order" "" \
    "$(for w in 1 2 3 4; do cut -d' ' -f3 "$TMP/o$w" | sort -n -c 2>&1 | head -n 1; done)"
check_eq "each writer's last value is the store's" "w1-15 w2-15 w3-15 w4-15" \
    "$(for w in 1 2 3 4; do field "$(jg $(((w - 1) * 3 + 15 % 3 + 1)))" notes; done | tr '\n' ' ' | sed 's/ $//')"
bad=0
for w in 1 2 3 4; do
	while read -r _ rid s _; do
		[ "$(g log -1 --format='%(trailers:key=Reason,valueonly,separator=)' "$(commit_of_seq "$s")")" = "writer $w" ] ||
		    bad=$((bad + 1))
	done <"$TMP/o$w"
done
check_eq "each acknowledged SEQ is a commit with that writer's reason" 0 "$bad"
run "$HUITOU" -d "$DATA" verify
check_status "verify: the store equals git after them" 0

# ---- a real user: the policy per line, the author theirs ----
if [ "$(id -u)" -ne 0 ]; then
	skip 8 "needs root (a real Unix user)"
	done_testing
	exit 0
fi
tag=hts$$
dc=${tag}dc
trap 'userdel "$dc" >/dev/null 2>&1; groupdel "$tag" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$tag" && useradd -M -N -g "$tag" -s /bin/sh "$dc" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$tag" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
ry=$("$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区)
n0=$(count)
printf '%s notes=区外\n%s notes=区内\n' "$xc" "$(jg 9)" >"$TMP/lines"
chmod 644 "$TMP/lines"
run runuser -u "$dc" -- env LOGNAME=root USER=root "$HUITOU" -d "$DATA" --lang zh set --stdin --reason 复查 <"$TMP/lines"
check_status "a district coordinator's writer: the refusal's status" 1
check_grep "another district's record is refused by the policy" "$TMP/out" "（规则 district-scope）"
check_grep "their own district's line is saved" "$TMP/out" "ok $(jg 9) "
check_eq "one commit, authored by them, not by the environment's name" "$((n0 + 1)) $dc" \
    "$(count) $(g log -1 --format=%an main)"
check_eq "the refused record is as it was" "" "$(field "$xc" notes)"

# The policy of each line is the one in force when it is saved: a change of their district
# made meanwhile by a city coordinator counts for the writer's next line.
mkfifo "$TMP/in2"
runuser -u "$dc" -- "$HUITOU" -d "$DATA" set --stdin <"$TMP/in2" >"$TMP/out2" 2>&1 &
pid=$!
exec 8>"$TMP/in2"
printf '%s notes=改前\n' "$(jg 10)" >&8
for _ in $(seq 1 100); do [ -s "$TMP/out2" ] && break; sleep 0.05; done
"$HUITOU" -d "$DATA" set "$ry" district=新城区 >/dev/null
printf '%s notes=改后\n' "$(jg 10)" >&8
exec 8>&-
wait "$pid"
check_grep "the line before the change is saved" "$TMP/out2" "ok $(jg 10) "
check_grep "the line after it is refused by the new district" "$TMP/out2" "error $(jg 10): "
check_eq "the record keeps the value saved before" "改前" "$(field "$(jg 10)" notes)"
done_testing
