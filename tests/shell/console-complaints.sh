#!/usr/bin/env bash
# console-complaints.sh — complaints (举报) in the console at 80x24, in Chinese: a hotline
# complaint about a flat made in the form of its screen (from the picker, S) and saved; moved from its form (F4):
# assigned (the response deadline appears), a reply refused with its guard's reason and
# nothing written, the investigation registering the flat as an unlicensed institution with
# its follow-up inspection; its card on the task board; the new institution's form and a
# social supervisor's form listing their complaints.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
"$HUITOU" -d "$DATA" init --city 6101 --demo --no-casework >/dev/null || { echo "Bail out! init"; exit 1; }
h() { "$HUITOU" -d "$DATA" "$@"; }
subject() { git_log -1 --format=%s; }
message() { tm capture-pane -p -t "$1" | tail -n 1; }
# type NAME TEXT: types TEXT into a field and goes on to the next one.
fill() { keys "$1" "$2"; keys "$1" Tab; }
# pick NAME TEXT: types TEXT into a choice field's list and takes the first match.
pick() { keys "$1" "$2"; keys "$1" Enter; }

jd=$(h new supervisor name=陈立华 contact=13700000001 district=新城区 since=2026-03-01)
h new complaint channel=supervisor supervisor="$jd" received=2026-11-26 summary=会所开设英语学科培训 \
    district=新城区 >/dev/null || echo "Bail out! a supervisor's complaint"
person=RY-00002
pname=$(field $person name)

# ---- a new complaint in the form ----
start c TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens" c "[1] "
keys c S
keys c complaints
keys c Enter
check_screen "the screen picker opens the complaints" c "] 举报"
keys c a
check_screen "a opens an empty complaint" c "新建举报"
pick c 热线
keys c Tab
fill c 2026-11-25
keys c Tab			# no supervisor
fill c 李先生
fill c 13912345678
fill c 居民楼内开办数学补习班
keys c Tab			# no detail
pick c 新城区
keys c Tab Tab Tab		# street, institution: a suspected site instead
pick c 居民楼
keys c Tab
fill c 幸福小区数学补习点
fill c 幸福小区3号楼2单元501室
pick c 学科类
keys c Tab
pick c $person
before=$(commits)
keys c C-s
jb=JB-610102-000002
check_screen "C-s saves it with the next id" c "已保存 $jb"
check_eq "one commit" $((before + 1)) "$(commits)"
check_eq "the store has what was typed" "hotline 2026-11-25 13912345678 610102 residential subject $person received" \
    "$(for f in channel received contact district site_kind site_category assignee state; do field $jb $f; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "and the site" "幸福小区数学补习点 幸福小区3号楼2单元501室" "$(field $jb site_name) $(field $jb site_address)"

# ---- moves from the form ----
keys c F4
check_screen "F4 offers the moves from received" c "将 $jb 流转为"
screen c
check_grep "assigning is one of them" "$TMP/screen" "已分派  分派承办"
pick c 分派
check_screen "the message line says it is assigned" c "$jb 分派承办"
check_screen "the response deadline appears: hotline, 7 days" c "答复期限  2026-12-02"
check_eq "the store has it assigned" "assigned 2026-12-02" "$(field $jb state) $(field $jb deadline)"
check_eq "its commit" "举报 $jb 分派承办" "$(subject)"

before=$(commits)
keys c F4
pick c 核查
check_screen "the investigation's message names the records it made" c "$jb 开始核查；生成 JG-"
jg=$(field $jb institution)
jc=$(field $jb inspection)
check_grep "the institution and the inspection" <(message c) "生成 $jg, $jc"
check_eq "one commit for the three records" $((before + 1)) "$(commits)"
check_eq "the institution is unlicensed, the site's name" "unlicensed 幸福小区数学补习点" \
    "$(field "$jg" status) $(field "$jg" name)"
check_eq "the inspection is planned, by the assignee" "planned $person complaint" \
    "$(field "$jc" state) $(field "$jc" inspector) $(field "$jc" method)"
check_screen "the form shows the institution by name" c "被举报机构  $jg  幸福小区数学补习点"

before=$(commits)
keys c F4
pick c 答复
check_screen "a reply without an outcome is refused, with why" c "核查结果"
check_eq "nothing moved" investigating "$(field $jb state)"
check_eq "nothing was committed" "$before" "$(commits)"

# ---- the board ----
keys c Escape
keys c 4
check_screen "key 4 shows the task board" c "[4] 任务看板"
screen c
check_grep "the complaint's card is on the board" "$TMP/screen" "$jb"
check_grep "with its deadline, person and district" "$TMP/screen" "12-02 $pname 新城区"

# ---- the institution's and the supervisor's forms list the complaints ----
keys c S
keys c complaints
keys c Enter
check_screen "back on the complaints" c "] 举报"
keys c Down
keys c Enter
check_screen "Enter opens the complaint" c "举报 $jb"
keys c Tab Tab Tab Tab Tab Tab Tab Tab Tab
keys c Enter
check_screen "Enter on the institution opens it" c "校外培训机构 $jg"
check_screen "its related records count the complaint and the inspection" c "相关记录: 举报 1, 检查 1"
check_screen "the complaint is listed with its deadline and state" c "举报         $jb   2026-12-02 核查中"
keys c Escape Escape
keys c S
keys c supervisors
keys c Enter
check_screen "the picker opens the social supervisors" c "] 社会监督员"
keys c Enter
check_screen "Enter opens the supervisor" c "社会监督员 $jd"
check_screen "who lists the complaint raised" c "相关记录: 举报 1"
keys c Escape Q
check_exit c "the console leaves cleanly"
done_testing
