#!/usr/bin/env bash
# cases.sh — teachers and cases end to end, with git as the oracle: a teacher registered (a
# bad certificate number refused with a clear message, a second one with the same number
# refused); a moonlighting case about that teacher at an institution opened, investigated,
# decided with the action and a reason (refused first while what its kind needs is missing),
# closed, each step one commit with its author, Action, Reason and Decided-By; an advertising
# case with materials confiscated; the institution's cases found by its index.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" "$@"; }
count() { g rev-list --count main; }
field() { h show "$1" | sed -n "s/^$2: //p"; }	# ID FIELD: its stored value
trailer() { g log -1 --format="%(trailers:key=$1,valueonly,separator=%x2C)" main; }
me=$(id -un)

new_city "$DATA"
h new institution name=启明星教育培训学校 district=雁塔区 street=小寨路街道 category=学科类 >/dev/null
h new institution name=晨曦艺术培训中心 district=雁塔区 category=非学科类 >/dev/null
inst=JG-610113-000001 other=JG-610113-000002

# ---- the teacher ----
before=$(count)
run h new teacher name=张某 cert=2019610100001234 district=雁塔区 employer=西安市第八十五中学
check_status "a certificate number of 16 digits is refused" 1
check_grep "the refusal names the field and says 17 digits" "$TMP/err" \
    "Teacher certificate no. (cert): a teacher certificate number has 17 digits, not 16 characters"
run h new teacher name=张某 cert=2019610100001234X district=雁塔区 employer=西安市第八十五中学
check_status "a certificate number with a letter is refused" 1
check_grep "the refusal names the character" "$TMP/err" \
    "character 17, 'X', is not a digit: a teacher certificate number has 17 digits"
check_eq "nothing was committed" "$before" "$(count)"

run h new teacher name=张某 cert=20196101000012345 district=雁塔区 street=小寨路街道 \
    employer=西安市第八十五中学 employer_kind=公办学校 institution=$inst phone=13912345678
check_status "a teacher is registered" 0
js=$(cat "$TMP/out")
check_eq "with an id of the district" "JS-610113-000001" "$js"
check_eq "in one commit" "$((before + 1))" "$(count)"
check_eq "whose subject names the teacher" "新增教师 $js 张某" "$(g log -1 --format=%s main)"
check_eq "its employer kind is stored by value" "public_school" "$(field "$js" employer_kind)"
run h new teacher name=李某 cert=20196101000012345 district=雁塔区
check_status "a second teacher with the same certificate number is refused" 1
check_grep "the refusal names the number" "$TMP/err" "20196101000012345"

# ---- a moonlighting case ----
run h new case kind=moonlighting district=雁塔区 street=小寨路街道 institution=$inst \
    found_on=2026-11-20 teacher=$js
check_status "a moonlighting case is opened" 0
aj=$(cat "$TMP/out")
check_eq "with an id of the district" "AJ-610113-000001" "$aj"
check_eq "it starts open" "open" "$(field "$aj" state)"
run h set "$aj" state=decided
check_status "its state is not set by hand" 1

before=$(count)
run h move "$aj" investigating
check_status "the investigation starts" 0
check_eq "in words" "$aj: Open → Investigating" "$(cat "$TMP/out")"
check_eq "one commit" "$((before + 1))" "$(count)"
check_eq "subject in words" "案件 $aj 开始调查" "$(g log -1 --format=%s main)"
check_eq "Action trailer" "case.investigate" "$(trailer Action)"
check_eq "From-State, To-State" "open investigating" "$(trailer From-State) $(trailer To-State)"
check_eq "the author is who ran it" "$me" "$(g log -1 --format=%an main)"
check_eq "the first move's commit carries case.states" "$(cat "$DATA/forms/case.states")" \
    "$(g show main:forms/case.states)"

before=$(count)
run h move "$aj" decided --reason 查实
check_status "deciding before what was found is recorded is refused" 1
check_grep "the refusal names the field" "$TMP/err" "decided needs What was found (found) first"
h set "$aj" found=周末在该机构讲授初二数学 action=责令停止兼职，给予警告处分 >/dev/null
run h move "$aj" decided --reason 查实
check_status "deciding before what a moonlighting case needs is refused" 1
check_grep "the refusal names what the kind needs" "$TMP/err" \
    "the case is not complete for its kind: Public school, Conduct empty"
check_eq "no move was committed" "$((before + 1))" "$(count)"
h set "$aj" public_school=西安市第八十五中学 conduct=在培训机构授课 >/dev/null
run h move "$aj" decided
check_status "deciding without a reason is refused" 1
check_grep "the refusal asks for one" "$TMP/err" "needs a reason (--reason TEXT)"

before=$(count)
run h move "$aj" decided --reason "查实：在职教师周末在机构有偿授课"
check_status "the case is decided" 0
check_eq "one commit" "$((before + 1))" "$(count)"
check_eq "subject in words" "案件 $aj 作出处理决定" "$(g log -1 --format=%s main)"
check_eq "Action trailer" "case.decide" "$(trailer Action)"
check_eq "the reason is the commit's body" "查实：在职教师周末在机构有偿授课" \
    "$(g log -1 --format=%b main | head -1)"
check_eq "Decided-By names the person who decided" "RY-00001" "$(trailer Decided-By)"
check_eq "the author is who ran it" "$me" "$(g log -1 --format=%an main)"
check_eq "who decided and when are stamped on the case" "RY-00001 2026-11-28" \
    "$(field "$aj" decided_by) $(field "$aj" decided_on)"
check_eq "the action is in the audit text" "1" \
    "$(g show "main:case/610113/01/$aj" | grep -c '责令停止兼职，给予警告处分')"
run h log "$aj" --full
check_grep "huitou log shows the reason" "$TMP/out" "查实：在职教师周末在机构有偿授课"

before=$(count)
run h move "$aj" closed
check_status "the case is closed" 0
check_eq "one commit" "$((before + 1))" "$(count)"
check_eq "Action trailer" "case.close" "$(trailer Action)"
check_eq "the state" "closed" "$(field "$aj" state)"
run h move "$aj" investigating
check_status "a closed case cannot be reopened" 1

# ---- an advertising case ----
run h new case kind=advertising district=雁塔区 institution=$other found_on=2026-11-25 \
    medium=传单 "ad_content=小升初名校冲刺班，保过" "materials_confiscated=传单 300 份" \
    ad_review=未备案
check_status "an advertising case is opened" 0
aj2=$(cat "$TMP/out")
check_eq "its id" "AJ-610113-000002" "$aj2"
check_eq "the materials confiscated are stored" "传单 300 份" "$(field "$aj2" materials_confiscated)"
check_eq "and in the audit text" "1" \
    "$(g show "main:case/610113/02/$aj2" | grep -c '传单 300 份')"
h move "$aj2" investigating >/dev/null
h set "$aj2" "found=在小区门口散发传单" "action=没收传单，责令停止发布" >/dev/null
run h move "$aj2" decided --reason 违法广告属实
check_status "an advertising case with medium and content is decided" 0
check_eq "Action trailer" "case.decide" "$(trailer Action)"
h set "$aj2" medium= >/dev/null 2>&1
run h move "$aj2" investigating --reason 补充调查
check_status "a decided case goes back to investigating with a reason" 0
run h move "$aj2" decided --reason 再次决定
check_status "an advertising case without its medium is not decided" 1
check_grep "the refusal names the medium" "$TMP/err" "Medium empty"

# ---- the institution's cases, by the index ----
h new case kind=advertising district=新城区 found_on=2026-11-26 >/dev/null
run h export case --where "institution=$inst"
check_eq "the institution's cases are found by its index" "$aj" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
run h export case --where "teacher=$js"
check_eq "and the teacher's" "$aj" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
run h verify
check_status "the store equals the audit record" 0

done_testing
