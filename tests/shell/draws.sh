#!/usr/bin/env bash
# draws.sh — random spot checks anyone can re-check (huitou draw, doc/draw.md): an
# announcement is one commit with the record, its population and pool (checked with git); a
# completion one commit whose seed is SHA-256 of the documented text (sha256sum the oracle)
# and whose sample and teams are those contrib/verify-draw recomputes from a fresh clone;
# refusals (twice, changed parameters, bad options, revert); a tampered sample in a copy of the
# repository fails both verifiers; and, as root, a district coordinator is refused by rule
# draw-by-city as a real Unix user.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
h() { "$HUITOU" -d "$DATA" "$@"; }
field() { h show "$1" | sed -n "s/^$2: //p"; }
VERIFY="$top_srcdir/contrib/verify-draw"

new_city "$DATA"
for i in 1 2 3 4 5 6 7 8; do
	h new institution name="雁塔培训学校$i" district=雁塔区 category=学科类 >/dev/null ||
	    { echo "Bail out! new institution"; exit 1; }
done
h new institution name='碑林"星光",培训' district=碑林区 category=学科类 >/dev/null
h new institution name=雁塔停办学校 district=雁塔区 category=学科类 status=suspended >/dev/null
for p in 张一 王二 李三 赵四 钱五; do
	h new user login="i$p" name="$p" role=inspector district=雁塔区 >/dev/null ||
	    { echo "Bail out! new user"; exit 1; }
done

# ---- announce ----
n=$(count)
run h draw --where 'district=雁塔区 and status=licensed' --size 3 \
    --public-source '福彩3D 2026-12-03 开奖号码' --inspectors 'role=inspector' --per-team 2
check_status "a draw is announced" 0
check_eq "its id is printed" CJ-000001 "$(cat "$TMP/out")"
check_eq "in one commit" "$((n + 1))" "$(count)"
ann=$(g rev-parse main)
check_eq "the commit's action" "draw.announce" "$(g log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "it adds the record, the population and the pool" \
    "A	draw/01/CJ-000001 A	draws/CJ-000001/pool.csv A	draws/CJ-000001/population.csv" \
    "$(g diff-tree --no-commit-id --name-status -r main | tr '\n' ' ' | sed 's/ $//')"
check_eq "the population: the query's institutions in id order" \
    "id,name
JG-610113-000001,雁塔培训学校1
JG-610113-000002,雁塔培训学校2
JG-610113-000003,雁塔培训学校3
JG-610113-000004,雁塔培训学校4
JG-610113-000005,雁塔培训学校5
JG-610113-000006,雁塔培训学校6
JG-610113-000007,雁塔培训学校7
JG-610113-000008,雁塔培训学校8" "$(g show main:draws/CJ-000001/population.csv)"
check_eq "the pool: the people the inspectors' query selects" \
    "id,name RY-00002,张一 RY-00003,王二 RY-00004,李三 RY-00005,赵四 RY-00006,钱五" \
    "$(g show main:draws/CJ-000001/pool.csv | tr '\n' ' ' | sed 's/ $//')"
check_eq "the record: announced, with its counts" "announced 8 5 3" \
    "$(field CJ-000001 state) $(field CJ-000001 population_count) $(field CJ-000001 pool_count) $(field CJ-000001 size)"
check_eq "no seed before the public value" "" "$(field CJ-000001 seed)"

# ---- refusals at announcement ----
n=$(count)
run h draw --where 'district=碑林区' --size 2 --public-source 福彩
check_status "more than the query selects is refused" 1
check_grep "saying how many it selects" "$TMP/err" "the query selects 1 institutions, fewer than the 2 to draw"
run h draw --where 'district=雁塔区' --size 2
check_status "a draw without a public source is a usage error" 2
check_grep "naming the option" "$TMP/err" "--public-source"
run h draw --where 'district=雁塔区' --size 2 --public-source 福彩 --per-team 2
check_status "--per-team without --inspectors is a usage error" 2
run h draw --where 'district=' --size 2 --public-source 福彩
check_status "a bad query is a usage error" 2
run h draw --where 'name~不存在' --size 1 --public-source 福彩
check_status "a query selecting nothing is refused" 1
run h draw --where '' --size 0 --public-source 福彩
check_status "a size of 0 is a usage error" 2
check_eq "none of them committed" "$n" "$(count)"

# ---- complete ----
run h draw CJ-000001 --public-value ' 3 8 1 ' --plan
check_status "the draw is completed with the public value (and --plan)" 0
check_eq "in one commit more" "$((n + 1))" "$(count)"
seed=$(printf 'huitou-draw-v1\ndraw CJ-000001\ncommit %s\nvalue 3 8 1\n' "$ann" | sha256sum | cut -d' ' -f1)
check_eq "the seed: SHA-256 of the announcement commit, the trimmed value and the id" "$seed" \
    "$(field CJ-000001 seed)"
check_eq "the announcement commit found from git, not typed" "$ann" "$(field CJ-000001 announce_commit)"
check_eq "and named in a trailer" "$ann" \
    "$(g log -1 --format='%(trailers:key=Announce-Commit,valueonly)' main | head -1)"
check_eq "the record: drawn, its count and date" "drawn 3 2026-11-28" \
    "$(field CJ-000001 state) $(field CJ-000001 sample_count) $(field CJ-000001 drawn_on)"
check_eq "the sample is printed as committed" "$(g show main:draws/CJ-000001/sample.csv)" "$(cat "$TMP/out")"
check_eq "three rows after the header, teams 1 2 1" "4 1,2,1" \
    "$(wc -l <"$TMP/out") $(tail -n +2 "$TMP/out" | sed "s/.*,//" | paste -sd,)"
check_eq "two teams of two, a lead each; one inspector left over" "lead member lead member" \
    "$(g show main:draws/CJ-000001/teams.csv | tail -n +2 | cut -d, -f2 | paste -sd' ')"
sample_ids=$(tail -n +2 "$TMP/out" | cut -d, -f2 | paste -sd' ')

# --plan: an inspection planned for each institution drawn, in the same commit, its lead
# inspector the lead of the institution's team.
leads=$(for t in $(tail -n +2 "$TMP/out" | sed "s/.*,//"); do
	g show main:draws/CJ-000001/teams.csv | awk -F, -v t="$t" '$1 == t && $2 == "lead" { print $3 }'
done | paste -sd' ')
check_eq "one inspection a sampled institution, named in the commit's Creates" \
    "JC-610113-000001 JC-610113-000002 JC-610113-000003" \
    "$(g log -1 --format='%(trailers:key=Creates,valueonly)' main | sed '/^$/d' | paste -sd' ')"
check_eq "planned today, method 随机抽查, for the institutions drawn, in order" \
    "$(for i in $sample_ids; do echo "$i,2026-11-28,spot_check,planned"; done | paste -sd' ')" \
    "$(h export inspection | tail -n +2 | cut -d, -f2,5,6,7 | paste -sd' ')"
check_eq "each led by its team's lead" "$leads" \
    "$(h export inspection | tail -n +2 | cut -d, -f8 | paste -sd' ')"
check_grep "the subject counts them" <(g log -1 --format=%s main) "计划检查 3 次"

run h draw --verify CJ-000001
check_status "huitou draw --verify: it matches" 0
check_grep "saying what it recomputed from" "$TMP/out" "CJ-000001 matches: announced in $ann, public value '3 8 1', seed $seed, 3 of 8 drawn"
run h verify
check_status "the store still equals git (the draw's files are not records)" 0

# The independent verifier, from a fresh clone.
git clone -q "$DATA/audit.git" "$TMP/clone"
run "$VERIFY" "$TMP/clone" CJ-000001
check_status "contrib/verify-draw from a fresh clone: it matches" 0
check_eq "the same sample as huitou's" "$sample_ids" \
    "$(sed -n 's/^  [0-9] \(JG-[0-9-]*\) .*/\1/p' "$TMP/out" | paste -sd' ')"
check_grep "the same seed" "$TMP/out" "seed           $seed"

# ---- a draw completes once, and stays done ----
n=$(count)
run h draw CJ-000001 --public-value '9 9 9'
check_status "completing twice is refused" 1
check_grep "with why" "$TMP/err" "CJ-000001 was drawn on 2026-11-28 already: a draw completes once"
run h set CJ-000001 state=announced
check_status "the state is by-move: set is refused" 1
run h revert main
check_status "the completion is not reverted" 1
check_eq "nothing committed" "$n" "$(count)"

# ---- parameters are those announced ----
h draw --where '' --size 2 --public-source 福彩3D >/dev/null 2>&1
h set CJ-000002 size=4 >/dev/null
n=$(count)
run h draw CJ-000002 --public-value 123
check_status "a draw whose size changed since its announcement is refused" 1
check_grep "naming the field and the announcement" "$TMP/err" "CJ-000002: size is '4', not '2' as announced in"
check_eq "nothing committed" "$n" "$(count)"
h set CJ-000002 size=2 >/dev/null
run h draw CJ-000002 --public-value 123
check_status "as announced again, it completes" 0
check_eq "no teams without a pool: an empty team column" "" \
    "$(g show main:draws/CJ-000002/sample.csv | sed -n 2p | sed "s/.*,//")"
run h draw --verify CJ-000002
check_status "and verifies" 0

# ---- a draw record made by hand is no announcement ----
made=$(h new draw size=1 public_source=福彩)
run h draw --verify "$made"
check_status "verifying a draw not drawn yet is refused" 1
check_grep "saying so" "$TMP/err" "$made is announced, not drawn yet: there is nothing to verify"
n=$(count)
run h draw "$made" --public-value 1
check_status "a draw record made with new cannot be completed" 1
check_grep "it has no population committed with it" "$TMP/err" \
    "$made was not announced by huitou draw: the commit that made it ("
check_eq "nothing committed" "$n" "$(count)"

# ---- listing and showing ----
run h draw
check_eq "huitou draw lists the draws" "CJ-000001 drawn 3/8 福彩3D 2026-12-03 开奖号码
CJ-000002 drawn 2/10 福彩3D
CJ-000003 announced 1/ 福彩" "$(cat "$TMP/out")"
run h draw CJ-000001
check_grep "huitou draw ID shows the record" "$TMP/out" "public_value: 3 8 1"
check_grep "and its teams" "$TMP/out" "teams.csv:"

# ---- a tampered sample fails both verifiers ----
cp -a "$DATA" "$TMP/copy"
cg() { git --git-dir="$TMP/copy/audit.git" "$@"; }
other=$(cg show main:draws/CJ-000001/population.csv | tail -n +2 | cut -d, -f1 | while read -r id; do
	case " $sample_ids " in *" $id "*) ;; *) echo "$id"; break ;; esac; done)
first=${sample_ids%% *}
cg show main:draws/CJ-000001/sample.csv | sed "s/$first/$other/" >"$TMP/sample.csv"
blob=$(cg hash-object -w "$TMP/sample.csv")
export GIT_INDEX_FILE=$TMP/index
cg read-tree main && cg update-index --cacheinfo "100644,$blob,draws/CJ-000001/sample.csv" &&
    tree=$(cg write-tree) &&
    commit=$(GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x \
        cg commit-tree "$tree" -p main -m 'swap one institution of the sample') &&
    cg update-ref refs/heads/main "$commit"
unset GIT_INDEX_FILE
run "$HUITOU" -d "$TMP/copy" draw --verify CJ-000001
check_status "huitou draw --verify: a tampered sample does not match" 1
check_grep "saying where" "$TMP/err" "CJ-000001 does not match: line 2 of the committed sample.csv differs"
git clone -q "$TMP/copy/audit.git" "$TMP/clone2"
run "$VERIFY" "$TMP/clone2" CJ-000001
check_status "contrib/verify-draw: it does not match either" 1
check_grep "naming the row" "$TMP/err" "sample.csv row 1 is ['1', '$other'"
run "$VERIFY" "$TMP/clone" CJ-000001
check_status "the untouched clone still matches" 0
# The hand-made commit stops writes; recovering keeps the store's records and leaves a draw's
# files as git has them (they are no records to take from the store).
run "$HUITOU" -d "$TMP/copy" recover --keep-store --reason 'accept the hand-made commit'
check_status "recover --keep-store accepts the foreign commit" 0
check_eq "and keeps the draws' files" "draws/CJ-000001/pool.csv draws/CJ-000001/population.csv draws/CJ-000001/sample.csv draws/CJ-000001/teams.csv draws/CJ-000002/population.csv draws/CJ-000002/sample.csv" \
    "$(cg ls-tree -r --name-only main draws | paste -sd' ')"

# ---- only city coordinators draw: a real Unix user, as root ----
if [ "$(id -u)" -ne 0 ]; then
	ok "a district coordinator's draw is refused # skip needs root"
	ok "naming the rule # skip needs root"
	ok "and completing one is refused too # skip needs root"
	ok "nothing committed # skip needs root"
	ok "verifying is anyone's # skip needs root"
	done_testing
	exit 0
fi
chmod 711 "$TMP"
u=htd$$
trap 'userdel "$u" >/dev/null 2>&1; groupdel "$u" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$u" && useradd -M -N -g "$u" -s /bin/sh "$u" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$u" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
h new user login="$u" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
h draw --where '' --size 1 --public-source 福彩 >/dev/null 2>&1
n=$(count)
run runuser -u "$u" -- "$HUITOU" -d "$DATA" --lang zh draw --where 'district=雁塔区' --size 1 --public-source 福彩
check_status "a district coordinator's draw is refused" 1
check_grep "naming the rule" "$TMP/err" "（规则 draw-by-city）"
run runuser -u "$u" -- "$HUITOU" -d "$DATA" --lang zh draw CJ-000004 --public-value 1
check_status "and completing one is refused too" 1
check_eq "nothing committed" "$n" "$(count)"
run runuser -u "$u" -- "$HUITOU" -d "$DATA" draw --verify CJ-000001
check_status "verifying is anyone's: a district coordinator's verify matches" 0
done_testing
