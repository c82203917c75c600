#!/usr/bin/env bash
# console-people.sh — people and their roles (forms/user.form): kept with the ordinary commands,
# each grant an audit commit, and shown on the console's status line (who, role, district) and
# on screen 3, the table of people. The login is the real uid's passwd name, never $USER.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

me=$(id -un)
demo_data
"$HUITOU" -d "$DATA" export user >"$TMP/people.csv"
check_eq "the demo has 15 people: its maker, one coordinator per district and an expert" 15 \
    "$(tail -n +2 "$TMP/people.csv" | wc -l)"
check_eq "whoever made the demo is its city coordinator" "RY-00001,$me,city_coordinator,," \
    "$(sed -n 2p "$TMP/people.csv" | cut -d, -f1,2,4,5,6)"
check_eq "雁塔区 has its district coordinator" "edu610113,district_coordinator,610113" \
    "$(grep ',610113,' "$TMP/people.csv" | cut -d, -f2,4,5)"
check_eq "the district coordinators are in the demo's first commit (init made its maker)" \
    "演示数据：240 个校外培训机构，13 名人员" \
    "$(git_log --reverse --format=%s | grep '^演示数据' | head -n 1)"
check_eq "git holds one file per person" 15 \
    "$(git --git-dir="$DATA/audit.git" ls-tree -r --name-only HEAD | grep -c '^user/')"

# ---- the status line and screen 3 ----
start z TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the status line says who, the role and where" z "| $me 市级统筹  "
keys z 3
check_screen "screen 3 is the table of people" z "人员 15/15"
check_screen "with their roles and districts (what they answer for at the right)" z "edu610113 杨帆   区县统筹    雁塔区"
keys z Q
check_exit z "the console leaves cleanly"

# ---- nobody changes their own role; a city coordinator changes another's ----
n_before=$(git_log --format=%H | wc -l)
run "$HUITOU" -d "$DATA" set RY-00001 role=区县统筹 district=雁塔区
check_status "the maker may not change their own role" 1
check_grep "the refusal names the rule" "$TMP/err" "may not change their own Role, District, Street, Active: RY-00001 (rule no-self-grant)"
check_eq "nothing was committed" "$n_before" "$(git_log --format=%H | wc -l)"
run "$HUITOU" -d "$DATA" set RY-00007 role=执法检查员
check_status "set gives another person a role" 0
check_eq "its commit says what changed" "人员 RY-00007 角色 区县统筹→执法检查员" "$(git_log -1 --format=%s)"
check_grep "and its diff shows the role" <(git_log -1 -p) "+role: inspector"
COLS=100 start e TERM=xterm LANG=C.UTF-8
check_screen "in English: the role" e "| $me City coordinator "
keys e Q
check_exit e "the English console leaves cleanly"

# ---- the same checks as any record: a login is unique, a role one of the options ----
run "$HUITOU" -d "$DATA" new user login=edu610113 name=重复 role=expert
check_status "a login already used is refused" 1
check_grep "the refusal names the field and who has the login" "$TMP/err" "login): edu610113 is already used by RY-00007"
run "$HUITOU" -d "$DATA" new user login=zhao name=赵六 role=boss
check_status "an unknown role is refused" 1
check_grep "the refusal names the field" "$TMP/err" "Role (role): 'boss' is not an option"
check_eq "nothing was written for either" 15 "$("$HUITOU" -d "$DATA" export user | tail -n +2 | wc -l)"

# ---- init registers the login that runs it ----
DATA=$TMP/bare
"$HUITOU" -d "$DATA" init --city 6101 >/dev/null || { echo "Bail out! init"; exit 1; }
start b TERM=xterm LANG=zh_CN.UTF-8
check_screen "init made its maker the city coordinator" b "| $me 市级统筹 "
keys b 3
check_screen "its table of people holds that one person" b "人员 1/1"
keys b Q
check_exit b "that console leaves cleanly"

done_testing
