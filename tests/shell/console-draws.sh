#!/usr/bin/env bash
# console-draws.sh — spot-check draws (随机抽查) in the console at 80x24 in Chinese: the
# draws' screen from the picker with its keys on the title line; a draw's page with its fields'
# labels in one column, its sample in the order drawn with teams and its teams, Enter opening
# a sampled institution; a draw announced with a (prompts for the query, the size, the public
# source, the inspectors) and completed with m (the public value, asked y/n, and whether to
# plan an inspection of each institution drawn), each one commit
# that git and huitou draw --verify check; a second m refused; the page's help; the page in
# English at 80 columns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

h() { "$HUITOU" -d "$DATA" "$@"; }
first=$(git_log -1 --format= main >/dev/null; git --git-dir="$DATA/audit.git" show main:draws/CJ-000001/sample.csv | sed -n 2p)
first_id=$(echo "$first" | cut -d, -f2)
first_name=$(echo "$first" | cut -d, -f3)

start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "240/240" || echo "# the console did not open"
keys c S
keys c draws
keys c Enter
check_screen "the screen picker opens the draws" c "随机抽查  (西安市)  a 公告  m 抽取  Enter 样本"
check_screen "the demo's draw, drawn" c "CJ-000001 district=雁塔 5        福彩3D 2026-11-2 10       已抽取"

# ---- a draw's page ----
keys c Enter
check_screen "Enter opens the draw's page" c "] 随机抽查 CJ-000001"
screen c
check_grep "the labels in one column, the values after" "$TMP/screen" "  公开随机源   福彩3D 2026-11-27 开奖号码"
check_grep "the population's count" "$TMP/screen" "  总体数量     10"
check_grep "the status line names the keys" "$TMP/screen" "CJ-000001  Enter 打开  m 抽取  q 返回  ? 按键"
keys c G
check_screen "the sample's heading" c "抽中机构（按抽取顺序）"
check_screen "the teams, lead first" c "第 1 组   组长"
screen c
check_grep "the first drawn, with its team" "$TMP/screen" "  1    $first_id  $first_name"
keys c g Enter
check_screen "Enter on the first drawn opens the institution" c "$first_name"
keys c Escape
check_screen "Esc comes back to the page" c "] 随机抽查 CJ-000001"
keys c '?'
check_screen "the page's help" c "随机抽查 界面的按键"
keys c q q

# ---- announce with a ----
n=$(commits)
keys c a
check_screen "a asks for the population" c "抽查范围（对机构的查询，空为全部机构）："
keys c -l 'district=雁塔区'
keys c Enter
check_screen "then the size" c "抽取数量："
keys c 3 Enter
check_screen "then the public source" c "公开随机源（此后才公布的数值"
keys c -l '福彩3D 2026-12-03 开奖号码'
keys c Enter
check_screen "then the inspectors" c "检查人员范围（对人员的查询，空为不分组）："
keys c Enter
check_screen "the announcement is made" c "CJ-000002 已公告：从 14 家机构中抽取 3 家；公开随机值公布后按 m 完成抽取"
check_screen "the table shows it" c "CJ-000002 district=雁塔 3        福彩3D 2026-12-0 14       已公告"
check_eq "one commit, an announcement" "$((n + 1)) draw.announce" \
    "$(commits) $(git_log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "with the population" 15 \
    "$(git --git-dir="$DATA/audit.git" show main:draws/CJ-000002/population.csv | wc -l)"

# ---- complete with m ----
keys c j m
check_screen "m asks for the public value, naming its source" c "公开随机值（福彩3D 2026-12-03 开奖号码）："
keys c -l '4 5 6'
keys c Enter
check_screen "and asks before it draws" c "以公开随机值「4 5 6」完成 CJ-000002 的抽取？抽取后不能撤销 (y/n)"
keys c y
check_screen "then whether to plan the inspections" c "为每家抽中的机构安排一次检查（由所在组组长带队）？ (y/n)"
keys c y
check_screen "the draw's page opens on its sample" c "] 随机抽查 CJ-000002"
check_screen "the message says it is drawn and planned" c "CJ-000002 已抽取：从 14 家中抽中 3 家"
screen c
check_grep "with the inspections planned" "$TMP/screen" "已安排检查"
check_eq "one commit, the completion" "$((n + 2)) draw.complete" \
    "$(commits) $(git_log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "its public value as typed" "4 5 6" "$(field CJ-000002 public_value)"
check_eq "three inspections planned in that commit" 3 \
    "$(git_log -1 --format='%(trailers:key=Creates,valueonly)' main | grep -c JC-)"
run h draw --verify CJ-000002
check_status "huitou draw --verify: it matches" 0
keys c m
check_screen "m again is refused" c "CJ-000002 已于 2026-11-28 抽取：每次抽查只能抽取一次"
check_eq "nothing more committed" "$((n + 2))" "$(commits)"
keys c q Q
check_exit c "huitou quits cleanly"

# ---- in English: the labels in their column, a seed's 64 digits whole at 80 columns ----
start e TERM=xterm LANG=C.UTF-8
wait_for e "240/240" || echo "# the console did not open in English"
keys e S
keys e draws
keys e Enter
check_screen "the draws' screen in English, its keys on the title line" e \
    "Spot-check draw  (西安市)  a announce  m draw  Enter sample"
keys e Enter
check_screen "the page's labels in one column" e "  Public source 福彩3D 2026-11-27 开奖号码"
check_screen "the seed whole" e "  Seed          $(field CJ-000001 seed)"
keys e q q Q
check_exit e "huitou quits cleanly in English"
done_testing
