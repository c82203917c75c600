#!/usr/bin/env bash
# import.sh — CSV import: good files, every kind of bad row reported as FILE:LINE: field: reason
# with nothing written, --skip-bad, GBK and BOM input, --encoding gbk|gb18030 given, label headers
# and quoted line breaks.
. "$(dirname "$0")/lib.sh"

new_city "$TMP/d"
H=name,credit_code,district,street,category,status,phone
cat >"$TMP/good.csv" <<CSV
$H
启明星教育培训学校,91610113MA6TXB001E,雁塔区,小寨路街道,subject,licensed,13912345678
博雅艺术培训中心,91610102MA6TXB002K,610102,,non_subject,rectifying,029-88886666
小牛顿科学素质培训,,610113,,学科类,整改中,
CSV
run "$HUITOU" -d "$TMP/d" import institution "$TMP/good.csv"
check_status "a good file imports" 0
check_grep "the summary counts the new rows" "$TMP/out" "3 rows: 3 new"
check_eq "three records are stored" 3 "$(rows "$TMP/d")"
run "$HUITOU" -d "$TMP/d" show JG-610113-000001
check_grep "a district name is stored as its code" "$TMP/out" "district: 610113"
check_grep "a street name is stored as its code" "$TMP/out" "street: 610113001"
run "$HUITOU" -d "$TMP/d" show JG-610113-000002
check_grep "a Chinese enum label is stored as its value" "$TMP/out" "status: rectifying"
check_grep "the second 610113 institution is numbered 2" "$TMP/out" "name: 小牛顿科学素质培训"

# Each bad row is reported with its line; nothing is written.
cat >"$TMP/bad.csv" <<CSV
$H
,91610116MA6TXB0043,610113,,subject,licensed,
甲机构,91610116MA6TXB0044,610113,,subject,licensed,
乙机构,,110101,,subject,licensed,
丙机构,,610113,,subject,closed,
丁机构,,610113,,subject,licensed,12345
好机构,,610113,,subject,licensed,
CSV
new_city "$TMP/e"
run "$HUITOU" -d "$TMP/e" import institution "$TMP/bad.csv"
check_status "a file with bad rows is refused (1)" 1
check_grep "a missing name is reported on its line" "$TMP/err" "$TMP/bad.csv:2: Name (name): is required"
check_grep "a bad check character is reported, with the one expected" "$TMP/err" \
    "$TMP/bad.csv:3: Unified social credit code (credit_code): bad check character '4': expected '3'"
check_grep "a district outside the city is reported" "$TMP/err" "$TMP/bad.csv:4: District (district): "
check_grep "an unknown status is reported" "$TMP/err" "$TMP/bad.csv:5: Status (status): "
check_grep "a bad phone number is reported" "$TMP/err" "$TMP/bad.csv:6: Phone (phone): "
check_no_grep "the good row is not reported" "$TMP/err" "$TMP/bad.csv:7:"
check_grep "the summary says nothing was imported" "$TMP/err" "5 of 6 rows are bad"
check_eq "nothing was written" 0 "$(rows "$TMP/e")"

run "$HUITOU" -d "$TMP/e" import --skip-bad institution "$TMP/bad.csv"
check_status "--skip-bad still reports refusal (1)" 1
check_grep "--skip-bad says the others were imported" "$TMP/err" "5 bad rows were skipped"
check_eq "--skip-bad wrote the good row" 1 "$(rows "$TMP/e")"
check_eq "the good row is the one stored" "好机构" "$("$HUITOU" -d "$TMP/e" export institution | tail -n 1 | cut -d, -f2)"

# A credit code used twice in one file, or already in the store.
printf '%s\n' "$H" "戊,91610113MA6TXB001E,610113,,subject,licensed," >"$TMP/dup.csv"
run "$HUITOU" -d "$TMP/d" import institution "$TMP/dup.csv"
check_status "a credit code already in the store is refused" 1
check_grep "the holder of the code is named" "$TMP/err" "already used by JG-610113-000001"

# GBK, as Excel saves in China; a UTF-8 BOM; Chinese labels as the header.
iconv -f UTF-8 -t GBK "$TMP/good.csv" | sed 's/91610113MA6TXB001E//; s/91610102MA6TXB002K//' >"$TMP/gbk.csv"
new_city "$TMP/g"
run "$HUITOU" -d "$TMP/g" import institution "$TMP/gbk.csv"
check_status "a GBK file imports" 0
check_grep "its encoding is detected" "$TMP/out" "GB18030"
"$HUITOU" -d "$TMP/g" export institution >"$TMP/g.csv"
check_grep "its Chinese is intact" "$TMP/g.csv" ",启明星教育培训学校,"
run "$HUITOU" -d "$TMP/g" import --encoding utf-8 institution "$TMP/gbk.csv"
check_status "GBK named as UTF-8 is refused" 1
check_grep "the bad line is named" "$TMP/err" "$TMP/gbk.csv:2: not valid UTF-8"

# --encoding given explicitly. gbk and gb18030 both read as GB18030 (a superset of GBK), so a
# character only GB18030 has (𠮷, four bytes) comes through either way; a byte neither knows is
# refused on its line; a named encoding wins over detection: the UTF-8 bytes of 少儿美术 read
# as GBK are 灏戝効缇庢湳 (Python's codec is the oracle); an unknown name is a usage error.
printf 'name,district,category\n𠮷祥培训学校,610113,subject\n启明星学校,610113,subject\n' |
    iconv -f UTF-8 -t GB18030 >"$TMP/g4.csv"
for enc in gbk gb18030; do
	new_city "$TMP/enc-$enc"
	run "$HUITOU" -d "$TMP/enc-$enc" import --encoding $enc institution "$TMP/g4.csv"
	check_status "--encoding $enc: a GB18030 file imports" 0
	check_grep "--encoding $enc: the summary says it was read as GB18030" "$TMP/out" \
	    "g4.csv ($([ $enc = gbk ] && echo GB18030 || echo gb18030)): 2 rows: 2 new"
	check_eq "--encoding $enc: a four-byte GB18030 character and the rest are intact" "𠮷祥培训学校 启明星学校" \
	    "$("$HUITOU" -d "$TMP/enc-$enc" export institution | tail -n +2 | cut -d, -f2 | paste -sd' ')"
done
printf 'name,district,category\nA,610113,subject\n\xc6\xf4\xff,610113,subject\n' >"$TMP/badg.csv"
new_city "$TMP/enc-bad"
run "$HUITOU" -d "$TMP/enc-bad" import --encoding gb18030 institution "$TMP/badg.csv"
check_status "--encoding gb18030: a byte GB18030 does not know is refused (1)" 1
check_eq "naming the file, line and byte" \
    "huitou: $TMP/badg.csv:3: the text is neither UTF-8 nor gb18030 (byte 0xff); save it as UTF-8 or name the encoding with --encoding" \
    "$(cat "$TMP/err")"
check_eq "and nothing is imported" 0 "$(rows "$TMP/enc-bad")"
printf 'name,district,category\n少儿美术,610113,subject\n' >"$TMP/both.csv"
mojibake=$(python3 -c 'print("少儿美术".encode("utf-8").decode("gbk"))')
for enc in "" gbk gb18030; do
	new_city "$TMP/both-$enc"
	"$HUITOU" -d "$TMP/both-$enc" import ${enc:+--encoding $enc} institution "$TMP/both.csv" >/dev/null
	check_eq "bytes valid as UTF-8 and as GBK: ${enc:-no --encoding} reads them as ${enc:-UTF-8}" \
	    "$([ -z "$enc" ] && echo 少儿美术 || echo "$mojibake")" \
	    "$("$HUITOU" -d "$TMP/both-$enc" export institution | sed -n 2p | cut -d, -f2)"
done
run "$HUITOU" -d "$TMP/enc-bad" import --encoding klingon institution "$TMP/g4.csv"
check_status "an unknown --encoding is a usage error (2)" 2
check_grep "it says which encodings to use" "$TMP/err" "unknown encoding 'klingon' (use utf-8, gbk or gb18030)"

printf '\xef\xbb\xbf机构名称,所属区县,培训类别\n"带,逗号的机构",雁塔区,非学科类\n' >"$TMP/bom.csv"
new_city "$TMP/b"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/bom.csv"
check_status "a BOM and label headers import" 0
check_eq "a quoted comma survives" '"带,逗号的机构"' "$("$HUITOU" -d "$TMP/b" export institution | sed -n 2p | cut -d, -f2-3)"

# A quoted line break in notes: the lines after it are still counted right.
printf 'name,district,category,notes\n甲,610113,subject,"第一行\n第二行"\n,610113,subject,\n' >"$TMP/nl.csv"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/nl.csv"
check_grep "the row after a quoted line break is on line 4" "$TMP/err" "$TMP/nl.csv:4: Name (name): is required"

# Rows are read and checked on a second thread and handed over 512 at a time: reports stay
# in file order across those chunks, a street is checked against the district the record has
# when its own cell is bad, and the ids are given in file order.
for i in $(seq 2 1201); do
	case $i in
	3) echo "甲$i,,610102,610113001,subject,licensed," ;;
	600) echo "乙$i,,火星区,610113001,subject,licensed," ;;
	1100) echo "丙$i,,610113,,subject,closed,123" ;;
	*) echo "机构$i,,610113,,subject,licensed," ;;
	esac
done | { echo "$H"; cat; } >"$TMP/many.csv"
new_city "$TMP/m"
run "$HUITOU" -d "$TMP/m" import institution "$TMP/many.csv"
check_status "a long file with bad rows is refused" 1
check_eq "its bad rows are reported in file order" "3 600 1100 1100" \
    "$(grep -o "many.csv:[0-9]*:" "$TMP/err" | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')"
check_grep "a street outside its district is named" "$TMP/err" "$TMP/many.csv:3: Street (street): "
check_grep "two bad cells of a row in form order (status)" "$TMP/err" "$TMP/many.csv:1100: Status"
check_grep "the summary counts them" "$TMP/err" "3 of 1200 rows are bad"
run "$HUITOU" -d "$TMP/m" import --skip-bad institution "$TMP/many.csv"
check_grep "--skip-bad writes the 1,197 others" "$TMP/out" "1197 new"
run "$HUITOU" -d "$TMP/m" show JG-610113-001197
check_grep "the last good row has the last id" "$TMP/out" "name: 机构1201"

# Cells are checked in form order whatever the columns' order: the street after its district.
printf 'street,status,district,name,category\n610102001,closed,610113,甲,subject\n' >"$TMP/order.csv"
run "$HUITOU" -d "$TMP/m" import institution "$TMP/order.csv"
check_eq "a row's bad cells are reported in form order (street, then status)" "Street Status" \
    "$(sed -n 's/.*order.csv:2: \([A-Za-z]*\) .*/\1/p' "$TMP/err" | tr '\n' ' ' | sed 's/ $//')"
printf 'street,status,district,name,category\n小寨路街道,licensed,610113,乙,subject\n' >"$TMP/order.csv"
run "$HUITOU" -d "$TMP/m" import institution "$TMP/order.csv"
check_status "a street named before its district imports" 0

printf 'name,district,colour\n甲,610113,red\n' >"$TMP/col.csv"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/col.csv"
check_status "an unknown column is refused" 1
check_grep "the column is named" "$TMP/err" "$TMP/col.csv:1: unknown column 'colour'"

printf 'district,category\n610113,subject\n' >"$TMP/req.csv"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/req.csv"
check_grep "a missing required column is named" "$TMP/err" "no column for the required field Name (name)"

: >"$TMP/empty.csv"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/empty.csv"
check_status "an empty file is refused" 1

run "$HUITOU" -d "$TMP/b" import institution "$TMP/nonexistent.csv"
check_status "a missing file is refused" 1
check_grep "the missing file is named" "$TMP/err" "$TMP/nonexistent.csv"

done_testing
