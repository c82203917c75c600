/*
 * test-csv.c — reading CSV: rows with the line each starts on; plain text (no quote anywhere),
 * which csv_read splits itself, comes out as libcsv reads it. A quoted line appended to a text
 * sends the whole of it through libcsv, so every text is read both ways and compared.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "cli/cli.h"

/* Every row as "LINE:cell|cell|…\n". */
static int
collect(void *arg, size_t line, char **fields, size_t n, size_t offset)
{
	struct buf *out = arg;

	(void)offset;
	buf_printf(out, "%zu:", line);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%s", i > 0 ? "|" : "", fields[i]);
	buf_addc(out, '\n');
	return 0;
}

static char *
rows_of(const char *text)
{
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;

	assert_int_equal(csv_read(text, strlen(text), collect, &out, &err), 0);
	buf_addc(&out, '\0');
	return buf_detach(&out);
}

/* The rows of text, split here, are those libcsv reads from it. */
static void
expect_as_libcsv(const char *text, const char *want)
{
	char *with_quote = xasprintf("%s\n\"q\"\n", text), *plain = rows_of(text),
	    *parsed = rows_of(with_quote);
	size_t cut = strlen(parsed);

	assert_true(cut >= 2);	/* drop the appended row, "N:q\n" */
	for (cut -= 2; cut > 0 && parsed[cut - 1] != '\n'; cut--)
		;
	parsed[cut] = '\0';
	assert_string_equal(plain, parsed);
	assert_string_equal(plain, want);
	free(with_quote);
	free(plain);
	free(parsed);
}

static void
test_plain_text_reads_as_libcsv_reads_it(void **state)
{
	(void)state;
	expect_as_libcsv("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	expect_as_libcsv("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
	expect_as_libcsv("a,b\n1,2", "1:a|b\n2:1|2\n");	/* no line feed at the end */
	expect_as_libcsv("a,b\n\n  \t\n1,2\n", "1:a|b\n4:1|2\n");	/* blank lines are no rows */
	expect_as_libcsv("  a , b\t,\tc d \n", "1:a|b|c d\n");	/* spaces and tabs at the ends go */
	expect_as_libcsv(",\n , \na,,\n", "1:|\n2:|\n3:a||\n");
	expect_as_libcsv("名称,地址\n启明星 培训,雁塔区 小寨路\n", "1:名称|地址\n2:启明星 培训|雁塔区 小寨路\n");
}

static void
test_quoted_cells_and_their_lines(void **state)
{
	char *rows;

	(void)state;
	rows = rows_of("a,b\n\"x, y\",\"two\nlines\"\nc,\"say \"\"hi\"\"\"\n");
	assert_string_equal(rows, "1:a|b\n2:x, y|two\nlines\n4:c|say \"hi\"\n");
	free(rows);
}

/* libcsv is lenient: a quote left open would take the rest of the file into its cell. It is
 * refused instead, at the line where the quote opens. */
static void
test_an_open_quote_takes_the_rest(void **state)
{
	struct error err = ERROR_INIT;
	struct buf out = BUF_INIT;
	const char *text = "a,b\n\"x\ny\",1\n1,\"open\n2,3\n";

	(void)state;
	assert_int_not_equal(csv_read(text, strlen(text), collect, &out, &err), 0);
	assert_string_equal(err.message, "4: the quote opened here is never closed");
	/* a row whose first cell spans lines is on the line where it starts */
	assert_string_equal(buf_str(&out), "1:a|b\n2:x\ny|1\n");
	buf_free(&out);
	error_clear(&err);
}

/* A NUL byte inside a cell would cut it short: csv_read refuses it, csv_read_cells gives the
 * cell's whole length so the import can name the field. */
static int
collect_lengths(void *arg, size_t line, char **fields, const size_t *lens, size_t n,
    size_t offset)
{
	struct buf *out = arg;

	(void)offset;
	buf_printf(out, "%zu:", line);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%zu/%zu", i > 0 ? "|" : "", strlen(fields[i]), lens[i]);
	buf_addc(out, '\n');
	return 0;
}

static void
test_a_nul_byte_is_seen(void **state)
{
	static const char plain[] = "a,b\nx\0y,z\n", quoted[] = "a,b\n\"x\0y\",z\n";
	struct error err = ERROR_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_not_equal(csv_read(plain, sizeof plain - 1, collect, &out, &err), 0);
	assert_string_equal(err.message, "2: column 1 holds a NUL byte, which is not text");
	error_clear(&err);
	buf_reset(&out);
	assert_int_equal(csv_read_cells(plain, sizeof plain - 1, collect_lengths, &out, &err), 0);
	assert_string_equal(buf_str(&out), "1:1/1|1/1\n2:1/3|1/1\n");
	buf_reset(&out);
	assert_int_equal(csv_read_cells(quoted, sizeof quoted - 1, collect_lengths, &out, &err), 0);
	assert_string_equal(buf_str(&out), "1:1/1|1/1\n2:1/3|1/1\n");
	buf_free(&out);
}

/* A cell a spreadsheet would run as a formula is written after an apostrophe, inside its
 * quotes, and read back without it; the written row reads back as the values were. */
static void
test_a_formula_is_marked_as_text_and_read_back(void **state)
{
	char *values[] = { "=SUM(A1:A9)", "-1+2", "+86 29", "@x", "'=y", "it's", "'", "a,=b",
	    "=\"q\"", "-", "-2.5", "+3", "'-1", "-1e5" };
	struct buf row = BUF_INIT;

	(void)state;
	csv_write_row_buf(&row, values, sizeof values / sizeof *values);
	assert_string_equal(buf_str(&row),
	    "'=SUM(A1:A9),'-1+2,'+86 29,'@x,''=y,it's,',\"a,=b\",\"'=\"\"q\"\"\",-,-2.5,+3,'-1,"
	    "'-1e5\n");
	buf_adds(&row, "'a,''b,'''=c");
	expect_as_libcsv(buf_str(&row),
	    "1:=SUM(A1:A9)|-1+2|+86 29|@x|'=y|it's|'|a,=b|=\"q\"|-|-2.5|+3|'-1|-1e5\n"
	    "2:'a|''b|''=c\n");
	buf_free(&row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_reads_as_libcsv_reads_it),
		cmocka_unit_test(test_quoted_cells_and_their_lines),
		cmocka_unit_test(test_an_open_quote_takes_the_rest),
		cmocka_unit_test(test_a_nul_byte_is_seen),
		cmocka_unit_test(test_a_formula_is_marked_as_text_and_read_back),
	};

	return UNIT_RUN(tests);
}
