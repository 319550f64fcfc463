/* Cabinets as CSV (solver/cabinet_csv.c, scenarios/cabinets/CSV.md).
 *
 * - The CSV twin of msp-tilleuls loads to exactly the cabinet its JSON
 *   file loads to, field by field; the template to the values it shows.
 * - A table of bad inputs, each with the exact printed first error
 *   "file:LINE:COLUMN: message" and the number of errors.  LINE counts
 *   physical lines from 1 (the header); COLUMN is the field number.
 * - The forms a spreadsheet exports: ';' and ',', with and without BOM,
 *   CRLF / LF / CR, quoted cells holding separators, quotes and line
 *   breaks, header-only files, several cabinets, columns in any order.
 * - The writer: its exact text for a small cabinet, and parse(write(c))
 *   equal to c for both separators.
 *
 * Cabinets are checked against ../scenarios/rules/convention-2024.json
 * (generaliste counts pmt, cardiologie fa, radiologie is excluded; the
 * options include "half").  Runs with the working directory tests/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/cabinet.h"
#include "mutu/cabinet_csv.h"
#include "mutu/error.h"
#include "mutu/rules.h"

#define RULES_2024 "../scenarios/rules/convention-2024.json"
#define TWIN_JSON "../scenarios/cabinets/msp-tilleuls.json"
#define TWIN_CSV "../scenarios/cabinets/msp-tilleuls.csv"
#define TEMPLATE_CSV "../scenarios/cabinets/template.csv"
#define LABEL "t.csv"

static mutu_rules rules;

static int setup(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	return mutu_rules_load(&rules, RULES_2024, &errs) == MUTU_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	mutu_rules_free(&rules);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static int parse(const char *text, mutu_cabinet **cabs, size_t *n, mutu_errors *errs)
{
	mutu_errors_clear(errs);
	return mutu_cabinet_csv_parse(cabs, n, &rules, text, strlen(text), LABEL, errs);
}

/* Parses a text that must give exactly one cabinet, without error. */
static mutu_cabinet parse_ok(const char *text)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet cab;
	int rc = mutu_cabinet_csv_parse_one(&cab, &rules, text, strlen(text), LABEL, &errs);
	for (size_t i = 0; i < errs.count; i++) {
		char line[1024];
		mutu_error_format(&errs.items[i], line, sizeof line);
		print_error("%s\n", line);
	}
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(errs.count, 0);
	return cab;
}

static void assert_contract_equal(const mutu_held_contract *a, const mutu_held_contract *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->option, b->option);
	assert_int_equal(a->start, b->start);
	assert_int_equal(a->end, b->end);
}

/* Exact equality (doubles included: a number is read to the nearest
 * double, whichever text it came from). */
static void assert_doctor_equal(const mutu_doctor *a, const mutu_doctor *b)
{
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->specialty, b->specialty);
	assert_int_equal(a->sector, b->sector);
	assert_true(a->pmt == b->pmt);
	assert_true(a->fa == b->fa);
	assert_int_equal(a->age, b->age);
	assert_int_equal(a->new_installed, b->new_installed);
	assert_int_equal(a->volunteer, b->volunteer);
	assert_int_equal(a->declared_on, b->declared_on);
	assert_true(a->headroom == b->headroom);
	assert_true(a->gain_per_etp == b->gain_per_etp);
	assert_true(a->max_new_patients == b->max_new_patients);
	assert_int_equal(a->ncontracts, b->ncontracts);
	for (size_t i = 0; i < a->ncontracts; i++)
		assert_contract_equal(&a->contracts[i], &b->contracts[i]);
}

static void assert_cabinet_equal(const mutu_cabinet *a, const mutu_cabinet *b)
{
	assert_string_equal(a->id, b->id);
	if (a->name || b->name) {
		assert_non_null(a->name);
		assert_non_null(b->name);
		assert_string_equal(a->name, b->name);
	}
	assert_int_equal(a->zone, b->zone);
	assert_int_equal(a->contract_start, b->contract_start);
	assert_int_equal(a->ndoctors, b->ndoctors);
	for (size_t i = 0; i < a->ndoctors; i++)
		assert_doctor_equal(&a->doctors[i], &b->doctors[i]);
}

static mutu_date date(int y, int m, int d)
{
	return mutu_date_from_ymd(y, m, d);
}

static size_t specialty(const char *name)
{
	long k = mutu_rules_specialty(&rules, name);
	assert_true(k >= 0);
	return (size_t)k;
}

/* ---- the twin and the template -------------------------------------------- */

static void twin_loads_to_the_same_cabinet_as_its_json(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet json;
	assert_int_equal(mutu_cabinet_load(&json, &rules, TWIN_JSON, &errs), MUTU_OK);
	mutu_cabinet csv;
	assert_int_equal(mutu_cabinet_csv_load_one(&csv, &rules, TWIN_CSV, &errs), MUTU_OK);
	assert_int_equal(errs.count, 0);
	assert_int_equal(csv.ndoctors, 7);
	assert_cabinet_equal(&csv, &json);
	/* A few values by hand as well, so that a loader bug shared by both
	 * readers would still show: gp-durand holds
	 * assistant:half:2022-03-01:2027-02-28, gp-leroy max 120 patients. */
	assert_string_equal(csv.name, "Maison de santé des Tilleuls");
	assert_int_equal(csv.zone, MUTU_ZONE_ZIP);
	assert_int_equal(csv.contract_start, date(2025, 1, 1));
	const mutu_doctor *durand = &csv.doctors[2];
	assert_string_equal(durand->id, "gp-durand");
	assert_int_equal(durand->ncontracts, 1);
	assert_int_equal(durand->contracts[0].kind, MUTU_KIND_ASSISTANT);
	assert_int_equal(durand->contracts[0].option, mutu_rules_option(&rules, "half"));
	assert_int_equal(durand->contracts[0].end, date(2027, 2, 28));
	assert_true(csv.doctors[3].max_new_patients == 120);
	assert_int_equal(csv.doctors[4].declared_on, MUTU_DATE_NONE);
	assert_false(csv.doctors[4].volunteer);
	mutu_cabinet_free(&csv);
	mutu_cabinet_free(&json);
}

static void twin_is_a_french_spreadsheet_export(void **state)
{
	(void)state;
	FILE *f = fopen(TWIN_CSV, "rb");
	assert_non_null(f);
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_memory_equal(buf, MUTU_CSV_BOM "cabinet;", 11);
	/* Every line ends with CRLF: as many CR as LF, each CR before a LF. */
	size_t lf = 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n') {
			lf++;
			assert_true(i > 0 && buf[i - 1] == '\r');
		}
	assert_int_equal(lf, 8);
}

static void template_holds_the_values_it_shows(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet cab;
	assert_int_equal(mutu_cabinet_csv_load_one(&cab, &rules, TEMPLATE_CSV, &errs), MUTU_OK);
	assert_string_equal(cab.id, "mon-cabinet");
	assert_int_equal(cab.zone, MUTU_ZONE_STANDARD);
	assert_int_equal(cab.ndoctors, 2);
	const mutu_doctor *gp = &cab.doctors[0], *ca = &cab.doctors[1];
	assert_int_equal(gp->specialty, specialty("generaliste"));
	assert_true(gp->pmt == 1000);
	assert_true(gp->fa == 0);          /* empty: only pmt counts for a GP */
	assert_true(gp->headroom == 0.04); /* written "0,04" */
	assert_true(gp->volunteer);        /* "oui" */
	assert_int_equal(gp->declared_on, date(2024, 11, 2));
	assert_int_equal(gp->contracts[0].end, date(2024, 2, 29));
	assert_int_equal(ca->specialty, specialty("cardiologie"));
	assert_true(ca->pmt == 0); /* empty: only fa counts for a cardiologist */
	assert_true(ca->fa == 1850);
	assert_int_equal(ca->sector, MUTU_SECTOR_2_OPTAM);
	assert_true(ca->max_new_patients == 300);
	assert_int_equal(ca->ncontracts, 0);
	mutu_cabinet_free(&cab);
}

/* ---- bad input -------------------------------------------------------------- */

/* A short header of 9 columns and a row of it for doctor `id`. */
#define H9 "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa\n"
#define R9(id, rest) "c;Cab;zip;2025-01-01;" id ";" rest "\n"
#define GP9(id) R9(id, "generaliste;1;1000;1500")
/* Every column (the writer's order: 1 cabinet, 2 name, 3 zone,
 * 4 contract_start, 5 id, 6 specialty, 7 sector, 8 pmt, 9 fa, 10 age,
 * 11 new_installed, 12 volunteer, 13 declared_on, 14 headroom,
 * 15 gain_per_etp, 16 max_new_patients, 17 contracts). */
#define HALL                                                                                       \
	"cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;age;new_installed;"           \
	"volunteer;declared_on;headroom;gain_per_etp;max_new_patients;contracts\n"
/* A GP row of every column: `counts` is "pmt;fa", `rest` the 8 cells from
 * age to contracts. */
#define RALL(id, counts, rest) "c;Cab;zip;2025-01-01;" id ";generaliste;1;" counts ";" rest "\n"
#define GPALL(rest) RALL("d1", "1000;1500", rest)
/* The ',' header of 10 columns, with headroom. */
#define HC10 "cabinet,name,zone,contract_start,id,specialty,sector,pmt,fa,headroom\n"

typedef struct bad {
	const char *name;
	const char *text;
	bool one;           /* through mutu_cabinet_csv_parse_one */
	size_t nerr;        /* exact number of errors */
	const char *expect; /* the first error as printed */
} bad;

static const bad bads[] = {
    /* -- the header -- */
    {"a missing column", "cabinet;name;contract_start;id;specialty;sector;pmt;fa\n" GP9("d1"),
     false, 1, "t.csv:1:9: missing column \"zone\""},
    {"an unknown column with a near name",
     "cabinet;name;zone;contract_start;id;specialty;sector;"
     "pmtt;fa\n" GP9("d1"),
     false, 1, "t.csv:1:8: unknown column \"pmtt\"; did you mean \"pmt\"?"},
    {"an extra column", "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;remarks\n",
     false, 1,
     "t.csv:1:10: unknown column \"remarks\" (expected one of \"cabinet\", \"name\", \"zone\", "
     "\"contract_start\", \"id\", \"specialty\", \"sector\", \"pmt\", \"fa\", \"age\", "
     "\"new_installed\", \"volunteer\", \"declared_on\", \"headroom\", \"gain_per_etp\", "
     "\"max_new_patients\", \"contracts\")"},
    {"a duplicate column, case ignored",
     "cabinet;name;zone;contract_start;id;specialty;sector;"
     "pmt;fa;PMT\n",
     false, 1, "t.csv:1:10: duplicate column \"pmt\" (also column 8)"},
    {"an empty text", "", false, 1,
     "t.csv:1:1: no header row: the first row names the columns (see CSV.md)"},
    {"a byte order mark and blank lines only", MUTU_CSV_BOM "\r\n  \r\n", false, 1,
     "t.csv:1:1: no header row: the first row names the columns (see CSV.md)"},

    /* -- the shape of a row -- */
    {"a row too short", H9 R9("d1", "generaliste;1;1000"), false, 1,
     "t.csv:2:9: row too short: 8 cells, the header has 9"},
    {"a row too long", H9 R9("d1", "generaliste;1;1000;1500;x"), false, 1,
     "t.csv:2:10: row too long: 10 cells, the header has 9"},
    {"a decimal comma in a comma-separated file makes the row too long",
     HC10 "c,Cab,zip,2025-01-01,d1,generaliste,1,1000,1500,0,05\n", false, 1,
     "t.csv:2:11: row too long: 11 cells, the header has 10 (with \",\" as separator, a decimal "
     "comma or an unquoted comma in a text splits a cell in two)"},
    {"a quoted decimal comma in a comma-separated file",
     HC10 "c,Cab,zip,2025-01-01,d1,generaliste,1,1000,1500,\"0,05\"\n", false, 1,
     "t.csv:2:10: headroom: must be a number, got \"0,05\" (a comma is read as a decimal mark "
     "only in a file separated by \";\")"},
    {"a quoted thousands comma in a comma-separated file",
     HC10 "c,Cab,zip,2025-01-01,d1,generaliste,1,\"1,000\",1500,\n", false, 1,
     "t.csv:2:8: pmt: must be a non-negative integer, got \"1,000\" (a comma is read as a "
     "decimal mark only in a file separated by \";\")"},
    {"a value under a column with no name",
     "cabinet;name;zone;contract_start;id;specialty;"
     "sector;pmt;fa;\n" R9("d1", "generaliste;1;1000;1500;x"),
     false, 1, "t.csv:2:10: a value in column 10, which has no name in the header"},
    {"bad quoting: a quote inside an unquoted cell", H9 "c;Cab \"Nord\";zip\n", false, 1,
     "t.csv:2:2: bad quoting: a cell holding a quote must be quoted, its quotes doubled (\"\")"},
    {"a quoted cell never closed", H9 "c;\"Cab;zip;2025-01-01\nd1;generaliste;1;1000;1500\n", false,
     1, "t.csv:2:2: a quoted cell is never closed (a quote is missing)"},
    {"a Latin-1 accent",
     H9 "c;Cabinet m\xe9"
	"dical;zip;2025-01-01;d1;generaliste;1;1000;1500\n",
     false, 1, "t.csv:2:2: not valid UTF-8 (export the sheet as \"CSV UTF-8\")"},

    /* -- lines are physical lines: a quoted line break, blank lines -- */
    {"the line of a cell after a quoted line break",
     H9 "c;\"Cab\nNord\";zip;2025-01-01;d1;generaliste;1;abc;1500\n", false, 1,
     "t.csv:3:8: pmt: must be a non-negative integer, got \"abc\""},
    {"the line of a row after blank lines and CRLF",
     "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa\r\n"
     "c;Cab;zip;2025-01-01;d1;generaliste;1;1000;1500\r\n\r\n  \r\n"
     "c;Cab;zip;2025-01-01;d2;generaliste;1;1000;-3\r\n",
     false, 1, "t.csv:5:9: fa: must be a non-negative integer, got -3"},

    /* -- values, with the JSON loader's messages -- */
    {"a missing id", H9 R9("", "generaliste;1;1000;1500"), false, 1,
     "t.csv:2:5: id: missing required value"},
    {"a missing cabinet id", H9 ";Cab;zip;2025-01-01;d1;generaliste;1;1000;1500\n", false, 1,
     "t.csv:2:1: cabinet: missing required value"},
    {"a GP without pmt", H9 R9("d1", "generaliste;1;;1500"), false, 1,
     "t.csv:2:8: pmt: missing required value (generaliste counts \"pmt\" in the rules "
     "convention-2024)"},
    {"a GP in a file without a pmt column",
     "cabinet;name;zone;contract_start;id;specialty;sector;fa\n" R9("d1", "generaliste;1;1500"),
     false, 1,
     "t.csv:2:9: pmt: missing column (generaliste counts \"pmt\" in the rules convention-2024)"},
    {"a cardiologist without fa", H9 R9("d1", "cardiologie;1;40;"), false, 1,
     "t.csv:2:9: fa: missing required value (cardiologie counts \"fa\" in the rules "
     "convention-2024)"},
    {"an unknown specialty", H9 R9("d1", "generalist;1;1000;1500"), false, 1,
     "t.csv:2:6: specialty: unknown specialty \"generalist\"; did you mean \"generaliste\"?"},
    {"an unknown sector", H9 R9("d1", "generaliste;secteur 1;1000;1500"), false, 1,
     "t.csv:2:7: sector: must be one of \"1\", \"2-optam\", \"2\", got \"secteur 1\""},
    {"an unknown zone", H9 "c;Cab;zipp;2025-01-01;d1;generaliste;1;1000;1500\n", false, 1,
     "t.csv:2:3: zone: unknown value \"zipp\"; did you mean \"zip\"?"},
    {"a negative pmt", H9 R9("d1", "generaliste;1;-12;1500"), false, 1,
     "t.csv:2:8: pmt: must be a non-negative integer, got -12"},
    {"a negative fa", H9 R9("d1", "generaliste;1;1000;-12"), false, 1,
     "t.csv:2:9: fa: must be a non-negative integer, got -12"},
    {"a pmt with decimals", H9 R9("d1", "generaliste;1;860,5;1500"), false, 1,
     "t.csv:2:8: pmt: must be a non-negative integer, got 860.5"},
    {"a pmt above the maximum", H9 R9("d1", "generaliste;1;1000001;1500"), false, 1,
     "t.csv:2:8: pmt: must be an integer between 0 and 1000000, got 1000001"},
    {"a pmt that is not finite", H9 R9("d1", "generaliste;1;1e999;1500"), false, 1,
     "t.csv:2:8: pmt: must be a finite number"},
    {"digit groups of two", H9 R9("d1", "generaliste;1;13 80;1500"), false, 1,
     "t.csv:2:8: pmt: must be a non-negative integer, got \"13 80\""},
    {"an age below 18", HALL GPALL("12;;;;;;;"), false, 1,
     "t.csv:2:10: age: must be an integer between 18 and 110, got 12"},
    {"an age with decimals", HALL GPALL("40,5;;;;;;;"), false, 1,
     "t.csv:2:10: age: must be an integer, got 40.5"},
    {"a boolean that is none", HALL GPALL(";;peut-être;;;;;"), false, 1,
     "t.csv:2:12: volunteer: must be true or false (also oui/non, vrai/faux, 1/0), got "
     "\"peut-être\""},
    {"a bad date", HALL GPALL(";;oui;2024-13-01;;;;"), false, 1,
     "t.csv:2:13: declared_on: must be a date YYYY-MM-DD or DD/MM/YYYY, got \"2024-13-01\""},
    {"a French date in a comma-separated file",
     "cabinet,name,zone,contract_start,id,specialty,sector,pmt,fa\n"
     "c,Cab,zip,01/01/2025,d1,generaliste,1,1000,1500\n",
     false, 1, "t.csv:2:4: contract_start: must be a date YYYY-MM-DD, got \"01/01/2025\""},
    {"a declaration without volunteering", HALL GPALL(";;non;2024-11-02;;;;"), false, 1,
     "t.csv:2:13: declared_on: a declaration date needs \"volunteer\": true"},
    {"a headroom above 10", HALL GPALL(";;;;12;;;"), false, 1,
     "t.csv:2:14: headroom: must be between 0 and 10, got 12"},
    {"a negative gain per ETP", HALL GPALL(";;;;;-0,1;;"), false, 1,
     "t.csv:2:15: gain_per_etp: must be between 0 and 10, got -0.1"},
    {"a negative max_new_patients", HALL GPALL(";;;;;;-5;"), false, 1,
     "t.csv:2:16: max_new_patients: must be a non-negative integer, got -5"},
    {"three bad cells in one row are all reported", HALL GPALL("12;peut-être;;;12;;;"), false, 3,
     "t.csv:2:10: age: must be an integer between 18 and 110, got 12"},

    /* -- the contracts cell -- */
    {"a contract without its option slot", HALL GPALL(";;;;;;;forfait:2023-01-01"), false, 1,
     "t.csv:2:17: contracts: contract 1: expected KIND:OPTION:START[:END] (OPTION empty for a "
     "forfait without option), got \"forfait:2023-01-01\""},
    {"an unknown contract kind", HALL GPALL(";;;;;;;asistant:half:2022-03-01"), false, 1,
     "t.csv:2:17: contracts: contract 1: unknown value \"asistant\"; did you mean "
     "\"assistant\"?"},
    {"an unknown option", HALL GPALL(";;;;;;;assistant:hal:2022-03-01"), false, 1,
     "t.csv:2:17: contracts: contract 1: unknown option \"hal\" (not in the rules "
     "convention-2024)"},
    {"an assistant contract without option", HALL GPALL(";;;;;;;assistant::2022-03-01"), false, 1,
     "t.csv:2:17: contracts: contract 1: an assistant contract needs an option: "
     "assistant:OPTION:START[:END]"},
    {"a second contract ending before its start",
     HALL GPALL(";;;;;;;forfait::2023-01-01 | assistant:half:2022-03-01:2021-01-01"), false, 1,
     "t.csv:2:17: contracts: contract 2: end must not be before start"},
    {"a bad contract date", HALL GPALL(";;;;;;;forfait::2023-02-30"), false, 1,
     "t.csv:2:17: contracts: contract 1: start must be a date YYYY-MM-DD or DD/MM/YYYY, got "
     "\"2023-02-30\""},
    {"an empty contract between bars", HALL GPALL(";;;;;;;forfait::2023-01-01||"), false, 2,
     "t.csv:2:17: contracts: contract 2 is empty (contracts are joined by \"|\")"},

    /* -- doctors and cabinets -- */
    {"a duplicate doctor id", H9 GP9("d1") GP9("d2") GP9("d1"), false, 1,
     "t.csv:4:5: id: duplicate doctor id \"d1\" (also line 2)"},
    {"a bad cell and a duplicate id are both reported",
     H9 GP9("d1") R9("d1", "generaliste;1;-1;1500"), false, 2,
     "t.csv:3:8: pmt: must be a non-negative integer, got -1"},
    {"a zone that differs within a cabinet",
     H9 GP9("d1") "c;Cab;standard;2025-01-01;d2;generaliste;1;1000;1500\n", false, 1,
     "t.csv:3:3: zone: \"standard\" differs from \"zip\" on the first row of cabinet \"c\" "
     "(line 2)"},
    {"a start date that differs within a cabinet",
     H9 GP9("d1") "c;Cab;zip;01/02/2025;d2;generaliste;1;1000;1500\n", false, 1,
     "t.csv:3:4: contract_start: \"01/02/2025\" differs from 2025-01-01 on the first row of "
     "cabinet \"c\" (line 2)"},
    {"a name that differs within a cabinet",
     H9 GP9("d1") "c;Cab2;zip;2025-01-01;d2;generaliste;1;1000;1500\n", false, 1,
     "t.csv:3:2: name: \"Cab2\" differs from \"Cab\" on the first row of cabinet \"c\" (line 2)"},
    {"a cabinet whose rows are apart",
     H9 "a;A;zip;2025-01-01;d1;generaliste;1;1000;1500\n"
	"b;B;zip;2025-01-01;d1;generaliste;1;1000;1500\n"
	"a;A;zip;2025-01-01;d2;generaliste;1;1000;1500\n",
     false, 1,
     "t.csv:4:1: cabinet: \"a\" again: the rows of one cabinet must follow each other (first "
     "row on line 2)"},
    {"two cabinets where one is read",
     H9 "a;A;zip;2025-01-01;d1;generaliste;1;1000;1500\n"
	"b;B;zip;2025-01-01;d1;generaliste;1;1000;1500\n",
     true, 1,
     "t.csv:3:1: cabinet: a second cabinet \"b\" after \"a\": this reads one cabinet (a batch "
     "reads several)"},
    {"no doctor where one cabinet is read", H9, true, 1,
     "t.csv:2:1: no doctor rows: a cabinet needs at least one doctor"},
};

static void bad_input_gives_its_position_and_message(void **state)
{
	(void)state;
	size_t failures = 0;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const bad *b = &bads[i];
		mutu_errors errs;
		mutu_errors_clear(&errs);
		int rc;
		static mutu_cabinet dummy;
		mutu_cabinet *cabs = &dummy; /* must be reset to NULL */
		size_t n = 99;
		if (b->one) {
			mutu_cabinet cab;
			rc = mutu_cabinet_csv_parse_one(&cab, &rules, b->text, strlen(b->text),
							LABEL, &errs);
			if (rc == MUTU_OK)
				mutu_cabinet_free(&cab);
			cabs = NULL;
			n = 0;
		} else {
			rc = parse(b->text, &cabs, &n, &errs);
		}
		char got[1024] = "(no error)";
		if (errs.count)
			mutu_error_format(&errs.items[0], got, sizeof got);
		if (rc != MUTU_EINPUT || errs.count != b->nerr || strcmp(got, b->expect) != 0 ||
		    cabs != NULL || n != 0) {
			print_error("%s: rc %d, %zu errors (expected %zu)\n  got:      %s\n  "
				    "expected: %s\n",
				    b->name, rc, errs.count, b->nerr, got, b->expect);
			for (size_t j = 1; j < errs.count; j++) {
				mutu_error_format(&errs.items[j], got, sizeof got);
				print_error("  then:     %s\n", got);
			}
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void errors_keep_the_file_and_the_position_apart(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_cabinet *cabs = NULL;
	size_t n = 0;
	assert_int_equal(parse(H9 R9("d1", "generaliste;1;-1;1500"), &cabs, &n, &errs),
			 MUTU_EINPUT);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.items[0].file, "t.csv");
	assert_string_equal(errs.items[0].path, "2:8");
	assert_string_equal(errs.items[0].message, "pmt: must be a non-negative integer, got -1");
	/* A JSON pointer keeps its ": " form. */
	mutu_error json = {.file = "c.json", .path = "/doctors/0/pmt", .message = "m"};
	char line[1024];
	mutu_error_format(&json, line, sizeof line);
	assert_string_equal(line, "c.json: /doctors/0/pmt: m");
}

/* ---- the forms of a file ------------------------------------------------------ */

/* One cabinet of two doctors written in many forms: every form must load
 * to this. */
static mutu_cabinet reference(void)
{
	return parse_ok("cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;headroom;"
			"contracts\n"
			"c;\"Cab; Nord\";zip;2025-01-01;d1;generaliste;1;1380;;0.05;"
			"assistant:half:2022-03-01:2027-02-28\n"
			"c;\"Cab; Nord\";zip;2025-01-01;d2;cardiologie;2-optam;;2280;;\n");
}

static void separators_bom_and_line_endings_give_the_same_cabinet(void **state)
{
	(void)state;
	/* The name "Cab; Nord" holds the ';' separator: quoted in the ';'
	 * forms, bare in the ',' forms. */
	static const char *const forms[] = {
	    "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;headroom;contracts\n"
	    "c;\"Cab; Nord\";zip;2025-01-01;d1;generaliste;1;1380;;0,05;"
	    "assistant:half:2022-03-01:2027-02-28\n"
	    "c;\"Cab; Nord\";zip;2025-01-01;d2;cardiologie;2-optam;;2280;;\n",
	    MUTU_CSV_BOM
	    "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;headroom;contracts\r\n"
	    "c;\"Cab; Nord\";zip;01/01/2025;d1;generaliste;1;1 380;;0.05;"
	    "assistant:half:01/03/2022:28/02/2027\r\n"
	    "c;\"Cab; Nord\";zip;1/1/2025;d2;cardiologie;2-optam;;2\xC2\xA0"
	    "280;;\r\n",
	    "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;headroom;contracts\r"
	    "c;\"Cab; Nord\";zip;2025-01-01;d1;generaliste;1;1380;;0,05;"
	    "assistant:half:2022-03-01:2027-02-28\r"
	    "c;\"Cab; Nord\";zip;2025-01-01;d2;cardiologie;2-optam;;2\xE2\x80\xAF"
	    "280;;",
	    "cabinet,name,zone,contract_start,id,specialty,sector,pmt,fa,headroom,contracts\n"
	    "c,Cab; Nord,zip,2025-01-01,d1,generaliste,1,1380,,0.05,"
	    "assistant:half:2022-03-01:2027-02-28\n"
	    "c,Cab; Nord,zip,2025-01-01,d2,cardiologie,2-optam,,2280,,\n",
	    MUTU_CSV_BOM
	    "cabinet,name,zone,contract_start,id,specialty,sector,pmt,fa,headroom,contracts\r\n"
	    "\"c\",\"Cab; Nord\",\"zip\",\"2025-01-01\",\"d1\",\"generaliste\",\"1\",\"1380\",\"\","
	    "\"0.05\",\"assistant:half:2022-03-01:2027-02-28\"\r\n"
	    "c , Cab; Nord , zip,2025-01-01,d2,cardiologie,2-optam,,2280,,\r\n",
	};
	mutu_cabinet ref = reference();
	assert_string_equal(ref.name, "Cab; Nord");
	assert_true(ref.doctors[0].headroom == 0.05);
	assert_true(ref.doctors[1].fa == 2280);
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		print_message("form %zu\n", i);
		mutu_cabinet cab = parse_ok(forms[i]);
		assert_cabinet_equal(&cab, &ref);
		mutu_cabinet_free(&cab);
	}
	mutu_cabinet_free(&ref);
}

static void quoted_cells_keep_quotes_and_line_breaks(void **state)
{
	(void)state;
	mutu_cabinet cab = parse_ok(H9 "c;\"Le \"\"Centre\"\",\nrue Haute\";zip;2025-01-01;"
				       "\"d;1\";generaliste;1;1000;1500\n");
	assert_string_equal(cab.name, "Le \"Centre\",\nrue Haute");
	assert_string_equal(cab.doctors[0].id, "d;1");
	mutu_cabinet_free(&cab);
}

static void columns_come_in_any_order_and_case_and_optional_ones_may_be_absent(void **state)
{
	(void)state;
	mutu_cabinet cab = parse_ok("Specialty;ID;Sector;FA;Zone;Cabinet;Contract_Start;PMT;AGE\n"
				    "generaliste;d1;1;;zip;c;2025-01-01;1000;51\n");
	assert_string_equal(cab.id, "c");
	assert_null(cab.name);
	assert_int_equal(cab.zone, MUTU_ZONE_ZIP);
	const mutu_doctor *d = &cab.doctors[0];
	assert_string_equal(d->id, "d1");
	assert_true(d->pmt == 1000);
	assert_true(d->fa == 0);
	assert_int_equal(d->age, 51);
	/* Absent optional fields are the JSON loader's defaults. */
	assert_false(d->volunteer);
	assert_false(d->new_installed);
	assert_int_equal(d->declared_on, MUTU_DATE_NONE);
	assert_true(d->headroom < 0 && d->gain_per_etp < 0 && d->max_new_patients < 0);
	assert_int_equal(d->ncontracts, 0);
	mutu_cabinet_free(&cab);
}

static void booleans_read_true_false_oui_non_vrai_faux_one_zero(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool value;
	} cases[] = {{"true", true}, {"FALSE", false}, {"oui", true}, {"Non", false},
		     {"VRAI", true}, {"faux", false},  {"1", true},   {"0", false}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text, HALL "%s",
			 "c;Cab;zip;2025-01-01;d1;generaliste;1;1000;;;");
		size_t n = strlen(text);
		snprintf(text + n, sizeof text - n, "%s;;;;;;\n", cases[i].text);
		mutu_cabinet cab = parse_ok(text);
		assert_int_equal(cab.doctors[0].new_installed, cases[i].value);
		mutu_cabinet_free(&cab);
	}
}

static void an_excluded_specialty_needs_neither_metric(void **state)
{
	(void)state;
	mutu_cabinet cab = parse_ok(H9 R9("d1", "radiologie;1;;"));
	assert_int_equal(cab.doctors[0].specialty, specialty("radiologie"));
	assert_true(cab.doctors[0].pmt == 0 && cab.doctors[0].fa == 0);
	mutu_cabinet_free(&cab);
}

static void later_rows_may_leave_the_structure_cells_empty(void **state)
{
	(void)state;
	mutu_cabinet cab = parse_ok(H9 GP9("d1") "c;;;;d2;generaliste;1;900;1400\n");
	assert_string_equal(cab.name, "Cab");
	assert_int_equal(cab.zone, MUTU_ZONE_ZIP);
	assert_int_equal(cab.contract_start, date(2025, 1, 1));
	assert_int_equal(cab.ndoctors, 2);
	assert_true(cab.doctors[1].pmt == 900);
	mutu_cabinet_free(&cab);
}

static void a_header_only_file_holds_no_cabinet(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_cabinet *cabs = NULL;
	size_t n = 7;
	assert_int_equal(parse(MUTU_CSV_BOM "cabinet;name;zone;contract_start;id;specialty;sector;"
					    "pmt;fa\r\n;;;;;;;;\r\n",
			       &cabs, &n, &errs),
			 MUTU_OK);
	assert_int_equal(n, 0);
	assert_null(cabs);
	mutu_cabinet_csv_free(cabs, n);
}

static void consecutive_rows_form_each_cabinet(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_cabinet *cabs = NULL;
	size_t n = 0;
	int rc = parse(H9 "a;A;zip;2025-01-01;d1;generaliste;1;1000;1500\n"
			  "a;A;zip;2025-01-01;d2;generaliste;1;1100;1500\n"
			  ";;;;;;;;\n"
			  "b;B;standard;2026-01-01;d1;cardiologie;1;;2000\n"
			  "c;C;zip;2025-06-01;d1;generaliste;2;800;\n"
			  "c;C;zip;2025-06-01;d2;generaliste;1;900;\n",
		       &cabs, &n, &errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(n, 3);
	assert_string_equal(cabs[0].id, "a");
	assert_int_equal(cabs[0].ndoctors, 2);
	assert_true(cabs[0].doctors[1].pmt == 1100);
	assert_string_equal(cabs[1].id, "b");
	assert_int_equal(cabs[1].ndoctors, 1);
	assert_int_equal(cabs[1].zone, MUTU_ZONE_STANDARD);
	assert_int_equal(cabs[1].contract_start, date(2026, 1, 1));
	assert_string_equal(cabs[2].id, "c");
	assert_int_equal(cabs[2].ndoctors, 2);
	assert_int_equal(cabs[2].doctors[0].sector, MUTU_SECTOR_2);
	/* The same doctor id in two cabinets is no duplicate. */
	assert_string_equal(cabs[1].doctors[0].id, "d1");
	mutu_cabinet_csv_free(cabs, n);
}

static void sniff_tells_csv_from_json(void **state)
{
	(void)state;
	assert_true(mutu_cabinet_csv_sniff("cabinet;id\n", 11));
	assert_true(mutu_cabinet_csv_sniff(MUTU_CSV_BOM "cabinet", 10));
	assert_false(mutu_cabinet_csv_sniff(" \n{\"id\": 1}", 11));
	assert_false(mutu_cabinet_csv_sniff(MUTU_CSV_BOM "{", 4));
	assert_false(mutu_cabinet_csv_sniff("", 0));
}

/* Damaged copies of the twin (bytes replaced by separators, quotes, line
 * breaks, digits, high bytes; cuts): each is read or refused with at
 * least one error, never a crash (run under ASan by make asan). */
static void damaged_files_are_read_or_refused_never_crash(void **state)
{
	(void)state;
	FILE *f = fopen(TWIN_CSV, "rb");
	assert_non_null(f);
	char twin[4096];
	size_t len = fread(twin, 1, sizeof twin, f);
	fclose(f);
	static const char pick[] = ";,\"\r\n|:0 9.-\xC3\xA9\xFF";
	unsigned long seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char text[4096];
		memcpy(text, twin, len);
		size_t n = len;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			size_t at = (size_t)(seed >> 33) % n;
			text[at] = pick[(seed >> 20) % (sizeof pick - 1)];
			if ((seed >> 11) % 16 == 0)
				n = at + 1;
		}
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_cabinet *cabs = NULL;
		size_t ncabs = 0;
		int rc = mutu_cabinet_csv_parse(&cabs, &ncabs, &rules, text, n, LABEL, &errs);
		if (rc == MUTU_OK) {
			assert_int_equal(errs.count, 0);
			mutu_cabinet_csv_free(cabs, ncabs);
		} else {
			assert_int_equal(rc, MUTU_EINPUT);
			assert_true(errs.count >= 1);
			assert_null(cabs);
			assert_int_equal(ncabs, 0);
		}
	}
}

/* ---- the writer ------------------------------------------------------------------ */

static void writer_text_is_the_documented_form(void **state)
{
	(void)state;
	mutu_cabinet cab =
	    parse_ok(HALL "c;\"Le \"\"Centre\"\"; Nord\";zip;2025-01-01;d1;generaliste;1;"
			  "1000;;51;non;oui;2024-11-02;0,05;;300;"
			  "assistant:half:2022-03-01:2027-02-28|forfait::2023-01-01\n"
			  "c;;;;d2;cardiologie;2-optam;;1850;;;;;;0,4;;\n");
	/* The GP's fa and the cardiologist's pmt are 0 and do not count:
	 * written empty. */
	char *semi = mutu_cabinet_csv_write(&cab, &rules, true, ';');
	assert_non_null(semi);
	assert_string_equal(semi,
			    "cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;age;"
			    "new_installed;volunteer;declared_on;headroom;gain_per_etp;"
			    "max_new_patients;contracts\n"
			    "c;\"Le \"\"Centre\"\"; Nord\";zip;2025-01-01;d1;generaliste;1;1000;;"
			    "51;false;true;2024-11-02;0,05;;300;"
			    "assistant:half:2022-03-01:2027-02-28|forfait::2023-01-01\n"
			    "c;\"Le \"\"Centre\"\"; Nord\";zip;2025-01-01;d2;cardiologie;"
			    "2-optam;;1850;;false;false;;;0,4;;\n");
	char *comma = mutu_cabinet_csv_write(&cab, &rules, false, ',');
	assert_non_null(comma);
	assert_string_equal(comma, "c,\"Le \"\"Centre\"\"; Nord\",zip,2025-01-01,d1,generaliste,1,"
				   "1000,,51,false,true,2024-11-02,0.05,,300,"
				   "assistant:half:2022-03-01:2027-02-28|forfait::2023-01-01\n"
				   "c,\"Le \"\"Centre\"\"; Nord\",zip,2025-01-01,d2,cardiologie,"
				   "2-optam,,1850,,false,false,,,0.4,,\n");
	assert_null(mutu_cabinet_csv_write(&cab, &rules, true, '\t'));
	free(semi);
	free(comma);
	mutu_cabinet_free(&cab);
}

/* Writes `cab` with `sep`, reads it back and compares. */
static void round_trip(const mutu_cabinet *cab, char sep)
{
	char *text = mutu_cabinet_csv_write(cab, &rules, true, sep);
	assert_non_null(text);
	mutu_cabinet back = parse_ok(text);
	assert_cabinet_equal(&back, cab);
	mutu_cabinet_free(&back);
	free(text);
}

static void writer_output_reads_back_to_the_same_cabinet(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet twin;
	assert_int_equal(mutu_cabinet_load(&twin, &rules, TWIN_JSON, &errs), MUTU_OK);
	round_trip(&twin, ';');
	round_trip(&twin, ',');
	mutu_cabinet_free(&twin);
	/* Every optional field set, values with no short binary form (0.1,
	 * 1/3 written to 17 digits), a name to quote, a multi-line name. */
	mutu_cabinet cab =
	    parse_ok(HALL "x;\" Cabinet, \"\"A\"\"\n2\";standard;2024-02-29;"
			  "d1;generaliste;2-optam;0;0;110;1;1;2023-12-31;0.1;"
			  "0.33333333333333331;1000000;forfait:half:2020-01-01:2020-01-01\n"
			  "x;;;;d2;radiologie;2;12;13;18;0;0;;0;10;0;\n");
	assert_true(cab.doctors[0].gain_per_etp == 1.0 / 3.0);
	round_trip(&cab, ';');
	round_trip(&cab, ',');
	mutu_cabinet_free(&cab);
}

/* A French LC_NUMERIC (decimal comma for strtod and printf) must change
 * nothing: "0.05" is still read as 0.05, written "0.05" with ',', and
 * messages print 860.5.  Skipped where the locale is not installed. */
static void numbers_ignore_the_callers_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		skip();
	mutu_cabinet cab = parse_ok("cabinet;name;zone;contract_start;id;specialty;sector;pmt;fa;"
				    "headroom\n"
				    "c;Cab;zip;2025-01-01;d1;generaliste;1;1000;1500;0.05\n");
	char *text = mutu_cabinet_csv_write(&cab, &rules, false, ',');
	mutu_errors errs;
	mutu_cabinet *cabs = NULL;
	size_t n = 0;
	int rc = parse(H9 R9("d1", "generaliste;1;860,5;1500"), &cabs, &n, &errs);
	setlocale(LC_NUMERIC, "C");
	assert_true(cab.doctors[0].headroom == 0.05);
	assert_non_null(text);
	assert_string_equal(text, "c,Cab,zip,2025-01-01,d1,generaliste,1,1000,1500,,false,false,,"
				  "0.05,,,\n");
	assert_int_equal(rc, MUTU_EINPUT);
	assert_string_equal(errs.items[0].message,
			    "pmt: must be a non-negative integer, got 860.5");
	free(text);
	mutu_cabinet_free(&cab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(twin_loads_to_the_same_cabinet_as_its_json),
	    cmocka_unit_test(twin_is_a_french_spreadsheet_export),
	    cmocka_unit_test(template_holds_the_values_it_shows),
	    cmocka_unit_test(bad_input_gives_its_position_and_message),
	    cmocka_unit_test(errors_keep_the_file_and_the_position_apart),
	    cmocka_unit_test(separators_bom_and_line_endings_give_the_same_cabinet),
	    cmocka_unit_test(quoted_cells_keep_quotes_and_line_breaks),
	    cmocka_unit_test(columns_come_in_any_order_and_case_and_optional_ones_may_be_absent),
	    cmocka_unit_test(booleans_read_true_false_oui_non_vrai_faux_one_zero),
	    cmocka_unit_test(an_excluded_specialty_needs_neither_metric),
	    cmocka_unit_test(later_rows_may_leave_the_structure_cells_empty),
	    cmocka_unit_test(a_header_only_file_holds_no_cabinet),
	    cmocka_unit_test(consecutive_rows_form_each_cabinet),
	    cmocka_unit_test(sniff_tells_csv_from_json),
	    cmocka_unit_test(damaged_files_are_read_or_refused_never_crash),
	    cmocka_unit_test(writer_text_is_the_documented_form),
	    cmocka_unit_test(writer_output_reads_back_to_the_same_cabinet),
	    cmocka_unit_test(numbers_ignore_the_callers_locale),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
