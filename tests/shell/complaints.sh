#!/usr/bin/env bash
# complaints.sh — a complaint (举报) from received to closed, end to end, with git as the
# oracle: a hotline complaint about a flat in a residential building is assigned (its response
# deadline from responses.rules), the investigation registers the flat as a new unlicensed
# institution and plans the follow-up inspection (one commit: author, Action, Reason, Creates),
# the reply and the close; overdue derived from the deadline and HUITOU_NOW; the complaint's
# cards on the board; a social supervisor's complaints; the refusals (no assignee, a supervisor
# complaint without its supervisor, a reply without its text, reopening without a reason, bad
# rules files) and, as root, another district's inspector.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" "$@"; }
count() { g rev-list --count main; }
field() { h show "$1" | sed -n "s/^$2: //p"; }	# ID FIELD: its stored value
trailer() { g log -1 --format="%(trailers:key=$1,valueonly,separator=%x2C)" main; }
me=$(id -un)

new_city "$DATA"
h new user login=zhang-test name=张敏 role=inspector district=新城区 >/dev/null
zhang=RY-00002

# ---- a hotline complaint about a flat ----
run h new complaint channel=热线 received=2026-11-25 complainant=李先生 contact="139 1234 5678" \
    summary=居民楼内开办数学补习班 district=新城区 street=西一路街道 site_kind=居民楼 \
    site_name=幸福小区数学补习点 site_address="幸福小区3号楼2单元501室" site_category=学科类
check_status "a hotline complaint is recorded" 0
jb=$(cat "$TMP/out")
check_eq "its id: JB, the district, a six-digit number" "JB-610102-000001" "$jb"
check_eq "it starts received, no deadline yet" "received ." "$(field "$jb" state) $(field "$jb" deadline)."
check_eq "the contact is stored as a phone number" "13912345678" "$(field "$jb" contact)"

before=$(count)
run h move "$jb" assigned
check_status "assigning without an assignee is refused" 1
check_grep "the refusal names the assignee" "$TMP/err" "needs Assignee (assignee) first"
check_eq "nothing was committed" "$before" "$(count)"
h set "$jb" assignee=$zhang >/dev/null
before=$(count)
run h move "$jb" assigned
check_status "assigned" 0
check_eq "in words" "$jb: Received → Assigned" "$(cat "$TMP/out")"
check_eq "one commit" "$((before + 1))" "$(count)"
check_eq "its subject" "举报 $jb 分派承办" "$(g log -1 --format=%s main)"
check_eq "its Action" "complaint.assign" "$(trailer Action)"
check_eq "the deadline: received + 7 days (hotline)" "2026-12-02" "$(field "$jb" deadline)"
check_eq "the commit carries the response rules as the data directory has them" \
    "$(cat "$DATA/forms/responses.rules")" "$(g show main:forms/responses.rules)"
check_eq "and the complaint's states file" "$(cat "$DATA/forms/complaint.states")" \
    "$(g show main:forms/complaint.states)"

# ---- the investigation: the flat becomes an unlicensed institution, an inspection planned ----
before=$(count)
run h move "$jb" investigating --reason "热线多次举报，登记为无证场所并核查"
check_status "the investigation starts" 0
jg=JG-610102-000001 jc=JC-610102-000001
check_eq "it prints the records it made" "$jb: Assigned → Investigating
created $jg
created $jc" "$(cat "$TMP/out")"
check_eq "in one commit" "$((before + 1))" "$(count)"
check_eq "its subject" "举报 $jb 开始核查" "$(g log -1 --format=%s main)"
check_eq "its author is who ran it" "$me" "$(g log -1 --format=%ae main | cut -d@ -f1)"
check_eq "Action" "complaint.investigate" "$(trailer Action)"
check_eq "the reason opens the body" "热线多次举报，登记为无证场所并核查" \
    "$(g log -1 --format=%b main | head -n 1)"
check_eq "Record names the complaint" "$jb" "$(trailer Record)"
check_eq "Creates names the institution and the inspection" "$jg,$jc" "$(trailer Creates)"
check_eq "From-State and To-State" "assigned investigating" "$(trailer From-State) $(trailer To-State)"
check_eq "the three records' files are in that commit" "complaint inspection institution" \
    "$(g show --name-only --format= main | grep -E '^(complaint|institution|inspection)/' | cut -d/ -f1 | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "the institution: the site's name and address" "幸福小区数学补习点 幸福小区3号楼2单元501室" \
    "$(field $jg name) $(field $jg address)"
check_eq "unlicensed, subject classes, the complaint's district and street" \
    "unlicensed subject 610102 610102001" \
    "$(field $jg status) $(field $jg category) $(field $jg district) $(field $jg street)"
check_eq "its notes say where it came from" "据举报 $jb 登记的疑似无证场所（居民楼）" "$(field $jg notes)"
check_eq "the complaint now names it and its inspection" "$jg $jc" \
    "$(field "$jb" institution) $(field "$jb" inspection)"
check_eq "the inspection: of the institution, planned today, a complaint follow-up" \
    "$jg 2026-11-28 complaint planned" \
    "$(field $jc institution) $(field $jc date) $(field $jc method) $(field $jc state)"
check_eq "its inspector is the assignee" "$zhang" "$(field $jc inspector)"
check_eq "its record names the complaint" "举报 $jb：居民楼内开办数学补习班" "$(field $jc summary)"

# ---- overdue, derived from the deadline ----
overdue() { HUITOU_NOW=$1 h board --type complaint --format csv | awk -F, -v id="$jb" '$1 == id { print $2, $3 }'; }
check_eq "on the deadline day it is not overdue" "doing no" "$(overdue 2026-12-02)"
check_eq "the day after it is" "doing yes" "$(overdue 2026-12-03)"
check_eq "nothing is stored for it" "investigating" "$(field "$jb" state)"

# ---- the reply and the close ----
before=$(count)
run h move "$jb" replied
check_status "replying without an outcome and a reply is refused" 1
check_grep "the refusal names the outcome" "$TMP/err" "needs Outcome (outcome) first"
h set "$jb" outcome=属实 >/dev/null
before=$(count)
run h move "$jb" replied
check_status "replying without the reply's text is refused" 1
check_grep "the refusal names the reply" "$TMP/err" "needs Reply (reply) first"
check_eq "nothing was committed" "$before" "$(count)"
h set "$jb" reply="经核查属实，已登记为无证机构并依法处理。" >/dev/null
before=$(count)
run h move "$jb" replied
check_status "replied" 0
check_eq "one commit, in words" "$((before + 1)) 举报 $jb 答复举报人 complaint.reply" \
    "$(count) $(g log -1 --format=%s main) $(trailer Action)"
check_eq "who replied and when" "RY-00001 2026-11-28" "$(field "$jb" replied_by) $(field "$jb" replied_on)"
check_eq "a replied complaint is no longer overdue" "verify no" "$(overdue 2026-12-10)"
run h move "$jb" investigating
check_status "reopening without a reason is refused" 1
check_grep "it asks for one" "$TMP/err" "needs a reason (--reason TEXT)"
run h move "$jb" closed
check_status "closed" 0
check_eq "its commit" "举报 $jb 办结 complaint.close replied closed" \
    "$(g log -1 --format=%s main) $(trailer Action) $(trailer From-State) $(trailer To-State)"
check_eq "plain git log lists every step's Action" \
    "complaint.close complaint.reply record.update record.update complaint.investigate complaint.assign" \
    "$(g log --format='%(trailers:key=Action,valueonly)' main -- complaint/ | grep -v '^$' | head -n 6 | tr '\n' ' ' | sed 's/ $//')"

# ---- a complaint about a known institution: no new institution, the inspection only ----
h new institution name=启明星教育培训学校 district=新城区 category=学科类 >/dev/null
jb2=$(h new complaint channel=online received=2026-11-27 summary=暑期违规开设学科类课程 \
    district=新城区 institution=JG-610102-000002 assignee=$zhang)
h move "$jb2" assigned >/dev/null
check_eq "an online complaint has 15 days" "2026-12-12" "$(field "$jb2" deadline)"
run h move "$jb2" investigating
check_eq "only the inspection is made" "$jb2: Assigned → Investigating
created JC-610102-000002" "$(cat "$TMP/out")"
check_eq "of the named institution" "JG-610102-000002" "$(field JC-610102-000002 institution)"

# ---- a social supervisor's complaint ----
run h new supervisor name=陈立华 contact=13700000001 district=新城区 since=2026-03-01
check_status "a social supervisor is registered" 0
check_eq "their id: JD, the district, four digits" "JD-610102-0001" "$(cat "$TMP/out")"
jb3=$(h new complaint channel=社会监督员 received=2026-11-26 summary=会所开设英语学科培训 \
    district=新城区 assignee=$zhang)
before=$(count)
run h move "$jb3" assigned
check_status "a supervisor's complaint without the supervisor is refused" 1
check_grep "the refusal says so" "$TMP/err" "a complaint from a social supervisor needs the supervisor (supervisor) first"
check_eq "nothing was committed" "$before" "$(count)"
h set "$jb3" supervisor=JD-610102-0001 >/dev/null
run h move "$jb3" assigned
check_status "with the supervisor it is assigned" 0
check_eq "10 days for a supervisor's complaint" "2026-12-06" "$(field "$jb3" deadline)"
run h move "$jb3" investigating
check_status "the investigation of a complaint naming neither institution nor site is refused" 1
check_grep "the refusal says what to fill in" "$TMP/err" "names neither an institution nor a suspected site"

# ---- the board lists complaint cards ----
run h board --type complaint --format csv
check_eq "the board's complaint cards: column, overdue, deadline order, person, state" \
"id,column,overdue,deadline,person,person_name,type,state,institution,district
$jb3,doing,no,2026-12-06,$zhang,张敏,complaint,assigned,,新城区
$jb2,doing,no,2026-12-12,$zhang,张敏,complaint,investigating,启明星教育培训学校,新城区
$jb,done,no,2026-12-02,$zhang,张敏,complaint,closed,幸福小区数学补习点,新城区" "$(cat "$TMP/out")"

# ---- bad rules files stop every move, FILE:LINE ----
cp "$DATA/forms/responses.rules" "$TMP/responses.rules"
echo "days pigeon 3" >>"$DATA/forms/responses.rules"
run h move "$jb3" received --reason x
check_status "an unknown channel in responses.rules stops the move" 3
check_grep "named FILE:LINE" "$TMP/err" "responses.rules:12: 'pigeon' is not an option of field channel of form complaint"
cp "$TMP/responses.rules" "$DATA/forms/responses.rules"
echo "  effect open-inspection nosuch" >>"$DATA/forms/complaint.states"
run h move "$jb3" received --reason x
check_status "an unknown inspection method stops the move" 3
check_grep "named FILE:LINE" "$TMP/err" "the method is not an option of the inspection's field method"
g show main:forms/complaint.states >"$DATA/forms/complaint.states"

# ---- the policy, with a real Unix user: an inspector of another district ----
if [ "$(id -u)" -ne 0 ]; then
	ok "another district's inspector is refused # skip needs root"
	ok "nothing committed for them # skip needs root"
	done_testing
	exit 0
fi
u=hcp$$
trap 'userdel "$u" >/dev/null 2>&1; groupdel "$u" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
chmod 711 "$TMP"
groupadd "$u" && useradd -M -N -g "$u" -s /bin/sh "$u" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$u" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
h new user login="$u" name=李强 role=inspector district=碑林区 >/dev/null
before=$(count)
run runuser -u "$u" -- "$HUITOU" -d "$DATA" move "$jb3" received --reason 错派
check_status "another district's inspector is refused" 1
check_eq "nothing committed for them" "$before" "$(count)"
done_testing
