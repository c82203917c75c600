#!/usr/bin/env bash
# notice.sh — "huitou notice": an institution's rectification order printed as the notice
# (整改通知书), rendered in headless Chromium and read back from the PDF (one A4 page, the
# names, the finding as text, the deadline in Chinese); refusals, the office's own template,
# and that it only reads (no commit; an auditor may print one, as root). Chromium, pdfinfo and
# pdftotext must be installed (CI installs them): without them the checks fail.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }

new_city "$DATA"
"$HUITOU" -d "$DATA" new user login=wangfang name=王芳 role=district_coordinator district=雁塔区 \
    phone=13800000000 >/dev/null || { echo "Bail out! new user"; exit 1; }
"$HUITOU" -d "$DATA" new institution name=启明星教育培训学校 credit_code=91610113MA6TXXXX00 \
    district=雁塔区 street=小寨路街道 address=雁塔路1号 category=学科类 >/dev/null ||
    { echo "Bail out! new institution"; exit 1; }
run "$HUITOU" -d "$DATA" new rectification institution=JG-610113-000001 check=safety \
    'finding=消防通道被<b>x</b>堵塞' deadline=2026-12-20 responsible=RY-00002
check_status "an order is made for the institution" 0
zg=$(cat "$TMP/out")
check_eq "it takes the institution's district by itself" "district: 610113" \
    "$("$HUITOU" -d "$DATA" show "$zg" | grep '^district:')"

# ---- the notice as HTML ----
n=$(count)
run "$HUITOU" -d "$DATA" notice "$zg" -o "$TMP/notice.html"
check_status "notice -o FILE writes the notice" 0
check_eq "and prints nothing" "" "$(cat "$TMP/out" "$TMP/err")"
run "$HUITOU" -d "$DATA" notice "$zg"
check_status "notice without -o writes to stdout" 0
if cmp -s "$TMP/out" "$TMP/notice.html"; then ok "the same document either way"; else
	not_ok "the same document either way" "$(diff "$TMP/out" "$TMP/notice.html" | head -5)"; fi
check_eq "printing is not an audit event: no commit" "$n" "$(count)"
check_grep "the finding is escaped in the HTML" "$TMP/notice.html" "消防通道被&lt;b&gt;x&lt;/b&gt;堵塞"
check_no_grep "no markup from the data" "$TMP/notice.html" "<b>x</b>"
check_grep "the check's Chinese label" "$TMP/notice.html" "“安全管理”"
check_grep "the responsible person by name" "$TMP/notice.html" "王芳"
check_grep "the issuing office from the settings" "$TMP/notice.html" "<p class=\"office\">西安市教育局</p>"
check_grep "the address with its district and street by name" "$TMP/notice.html" "雁塔区小寨路街道雁塔路1号"
check_grep "the unified social credit code" "$TMP/notice.html" "91610113MA6TXXXX00"

# An order from an inspection names it, through two refs.
jc=$("$HUITOU" -d "$DATA" new inspection institution=JG-610113-000001 date=2026-11-20 \
    method=unannounced safety=fail)
zg2=$("$HUITOU" -d "$DATA" new rectification institution=JG-610113-000001 inspection="$jc" \
    check=platform finding=未录入平台 deadline=2026-12-10 responsible=RY-00002)
run "$HUITOU" -d "$DATA" notice "$zg2"
check_grep "an order from an inspection gives its date and method" "$TMP/out" \
    "2026年11月20日，我局对你机构进行了检查（暗访）。"
check_no_grep "one made by hand says nothing of an inspection" "$TMP/notice.html" "进行了检查"

# ---- rendered in Chromium: one A4 page that reads right ----
pdf=$TMP/notice.pdf
if command -v chromium >/dev/null && command -v pdfinfo >/dev/null &&
    command -v pdftotext >/dev/null; then
	# HOME and the profile in the scratch directory: parallel tests and other users apart.
	HOME=$TMP timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$TMP/chromium" --no-pdf-header-footer --print-to-pdf="$pdf" \
	    "file://$TMP/notice.html" >"$TMP/chromium.log" 2>&1
	pdfinfo "$pdf" >"$TMP/pdfinfo" 2>&1
	pdftotext "$pdf" "$TMP/notice.txt" 2>/dev/null
	check_grep "Chromium prints it on one page" "$TMP/pdfinfo" "Pages:           1"
	size=$(awk '/^Page size:/ { printf "%d x %d", $3 + 0.5, $5 + 0.5 }' "$TMP/pdfinfo")
	check_eq "of A4 size (595 x 842 pt)" "595 x 842" "$size"
	check_grep "the title" "$TMP/notice.txt" "整改通知书"
	check_grep "the institution's name" "$TMP/notice.txt" "启明星教育培训学校："
	check_grep "the finding, its <b> as text" "$TMP/notice.txt" "消防通道被<b>x</b>堵塞"
	check_grep "the deadline in Chinese" "$TMP/notice.txt" "2026年12月20日"
	check_grep "the date of issue (HUITOU_NOW)" "$TMP/notice.txt" "2026年11月28日"
	check_eq "a place for the office's seal" "（盖章）" "$(grep -x '（盖章）' "$TMP/notice.txt")"
	check_eq "the receipt slip" "回执" "$(grep -x '回执' "$TMP/notice.txt")"
	check_grep "to be signed" "$TMP/notice.txt" "签收人（签字）"
else
	for what in "one page" "A4" "title" "name" "finding" "deadline" "date" "seal" \
	    "receipt" "signature"; do
		not_ok "the PDF's $what: chromium, pdfinfo and pdftotext must be installed" \
		    "apt-get install chromium poppler-utils fonts-noto-cjk"
	done
fi

# ---- refusals ----
run "$HUITOU" -d "$DATA" notice JG-610113-000001
check_status "an institution's id is refused" 1
check_grep "saying what the notice is for" "$TMP/err" "JG-610113-000001 is not a Rectification record"
run "$HUITOU" -d "$DATA" notice ZG-610113-000099 -o "$TMP/none.html"
check_status "an order that does not exist is refused" 1
check_eq "and no file is made" "" "$(ls "$TMP/none.html" 2>/dev/null)"
run "$HUITOU" -d "$DATA" notice nonsense
check_status "a word that is no id is refused" 1
run "$HUITOU" -d "$DATA" notice
check_status "no id is a usage error" 2
run "$HUITOU" -d "$DATA" notice "$zg" --template ../forms/policy
check_status "a template's name never leads out of the templates" 1
check_grep "saying what a name is" "$TMP/err" "'../forms/policy' is not a template's name"
run "$HUITOU" -d "$DATA" notice "$zg" --template verification
check_status "a template that does not exist is refused" 1
check_grep "saying where it was looked for" "$TMP/err" "no template 'verification' (in $DATA/templates"
run "$HUITOU" -d "$DATA" --lang zh notice JG-610113-000001
check_grep "in Chinese too" "$TMP/err" "JG-610113-000001 不是整改记录"

# ---- the office's own template in DATA/templates ----
mkdir -p "$DATA/templates"
printf '<h1>雁塔区教育局</h1>\n<p>{{institution.name}} {{deadline|date}} {{office}}</p>\n' \
    >"$DATA/templates/notice.html"
run "$HUITOU" -d "$DATA" notice "$zg"
check_status "DATA/templates/notice.html is used instead of the shipped one" 0
check_eq "with the shipped settings" \
    "<h1>雁塔区教育局</h1>
<p>启明星教育培训学校 2026年12月20日 西安市教育局</p>" "$(cat "$TMP/out")"
printf 'form rectification\nset office 西安市雁塔区教育局\n' >"$DATA/templates/notice.settings"
run "$HUITOU" -d "$DATA" notice "$zg"
check_grep "and its own settings" "$TMP/out" "西安市雁塔区教育局</p>"
printf '<p>\n{{institution.name}}\n{{institution.nmae}}</p>\n' >"$DATA/templates/notice.html"
run "$HUITOU" -d "$DATA" notice "$zg" -o "$TMP/bad.html"
check_status "a template naming an unknown field is refused" 3
check_grep "with FILE:LINE" "$TMP/err" "$DATA/templates/notice.html:3: unknown field 'institution.nmae'"
check_eq "before anything is written" "" "$(ls "$TMP/bad.html" 2>/dev/null)"
rm -r "$DATA/templates"

# ---- reading only: an auditor, who may write nothing, prints a notice (as root) ----
if [ "$(id -u)" -ne 0 ]; then
	for what in "prints" "the same notice" "-o into their own file" "no commit"; do
		ok "an auditor $what # skip needs root"
	done
	done_testing
	exit 0
fi
grp=htn$$ au=htn$$au
trap 'userdel "$au" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" && useradd -M -N -g "$grp" -s /bin/sh "$au" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$au" name=审计员 role=auditor >/dev/null
mkdir "$TMP/au" && chown "$au" "$TMP/au"
n=$(count)
run runuser -u "$au" -- "$HUITOU" -d "$DATA" notice "$zg" -o "$TMP/au/notice.html"
check_status "an auditor prints a notice" 0
if cmp -s "$TMP/au/notice.html" "$TMP/notice.html"; then ok "the same notice"; else
	not_ok "the same notice" "$(diff "$TMP/au/notice.html" "$TMP/notice.html" | head -5)"; fi
check_eq "-o makes a file of their own" "$au" "$(stat -c %U "$TMP/au/notice.html")"
check_eq "no commit" "$n" "$(count)"
done_testing
