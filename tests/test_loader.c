/* The cabinet and rules loaders (formats.md) against malformed input.
 *
 * A table of malformed documents, each with the return code, the number of
 * errors, and one error (file, JSON pointer, message text) the loader must
 * report.  Inline documents go through mutu_cabinet_parse / mutu_rules_parse;
 * the files of malformed/ (extends chains, cycles, broken files) through
 * mutu_cabinet_load / mutu_rules_load.  Rules variants are written against
 * malformed/base-min.json, a small valid rules file with no provenance, so
 * that the only errors are the ones a row puts in.  Cabinets are checked
 * against ../scenarios/rules/convention-2024.json.
 *
 * A row with `.bug` set documents a loader bug that is not fixed yet: the
 * row states the right behaviour; while the loader still gets it wrong the
 * row is reported as skipped with the difference, and it fails once the
 * loader gets it right, so that the marker is removed.
 *
 * Runs with the working directory tests/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/cabinet.h"
#include "mutu/error.h"
#include "mutu/rules.h"

#define RULES_2024 "../scenarios/rules/convention-2024.json"

/* The names inline documents are given; the rules one sits in malformed/
 * so that "extends": "base-min.json" resolves there. */
#define CAB_LABEL "inline-cabinet.json"
#define RULES_LABEL "malformed/inline.json"

/* ---- building blocks of the inline documents -------------------------- */

/* A cabinet around a list of doctors. */
#define CABINET(doctors)                                                                           \
	"{\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\", \"doctors\": "     \
	"[" doctors "]}"
/* A cabinet with one valid GP and the top-level fields written by the row. */
#define CABINET_TOP(fields) "{" fields ", \"doctors\": [" GP("d1", "") "]}"
/* A GP with the counts written out by the row. */
#define GP_COUNTS(id, counts)                                                                      \
	"{\"id\": \"" id "\", \"specialty\": \"generaliste\", \"sector\": \"1\", " counts "}"
/* A valid GP plus `extra` fields (each starting with ", "). */
#define GP(id, extra) GP_COUNTS(id, "\"pmt\": 1000, \"fa\": 1500" extra)
/* A valid GP holding the given contracts. */
#define GP_CONTRACTS(id, contracts) GP(id, ", \"volunteer\": true, \"contracts\": [" contracts "]")

/* A rules variant of malformed/base-min.json. */
#define VARIANT(body) "{\"name\": \"v\", \"extends\": \"base-min.json\", " body "}"
#define OBJECTIVE                                                                                  \
	"{\"p30_p50\": 0.35, \"p50_p70\": 0.26, \"p70_p90\": 0.175, \"p90_p95\": 0.125,"           \
	" \"p95\": 0.05}"
#define FULL_OPTION                                                                                \
	"{\"id\": \"full\", \"etp\": 1.0, \"zones\": [\"zip\"], \"aid\": [36000, 27000, 21000], "  \
	"\"objective\": " OBJECTIVE "}"
/* The options of a variant: a valid "full" (the aid_reference_option of
 * the base), then the option under test at /options/1. */
#define OPTIONS(second) "\"options\": [" FULL_OPTION ", " second "]"
/* An option "extra" whose fields are written by the row. */
#define OPTION(fields) "{\"id\": \"extra\", " fields "}"
#define OPT_ETP "\"etp\": 0.5, "
#define OPT_ZONES "\"zones\": [\"standard\"], "
#define OPT_AID "\"aid\": [100, 50], "
#define OPT_OBJ "\"objective\": " OBJECTIVE

/* ---- the table ---------------------------------------------------------- */

typedef enum src {
	CAB_TEXT,   /* input: a cabinet document (mutu_cabinet_parse) */
	CAB_FILE,   /* input: a cabinet file (mutu_cabinet_load) */
	RULES_TEXT, /* input: a rules document (mutu_rules_parse) */
	RULES_FILE  /* input: a rules file (mutu_rules_load) */
} src;

typedef struct row {
	const char *name;
	src kind;
	const char *input;
	int rc;           /* expected return code */
	size_t nerr;      /* exact number of errors expected */
	const char *file; /* expected error: file, */
	const char *path; /* JSON pointer (exact), */
	const char *msg;  /* and a substring of the message */
	const char *bug;  /* known loader bug, see the top comment */
} row;

#define CAB(n, text, count, p, m)                                                                  \
	{                                                                                          \
		.name = n, .kind = CAB_TEXT, .input = text, .rc = MUTU_EINPUT, .nerr = count,      \
		.file = CAB_LABEL, .path = p, .msg = m                                             \
	}
#define CAB_FILE_ROW(n, f, code, count, p, m)                                                      \
	{                                                                                          \
		.name = n, .kind = CAB_FILE, .input = "malformed/" f, .rc = code, .nerr = count,   \
		.file = "malformed/" f, .path = p, .msg = m                                        \
	}
#define RULES(n, text, count, p, m)                                                                \
	{                                                                                          \
		.name = n, .kind = RULES_TEXT, .input = text, .rc = MUTU_EINPUT, .nerr = count,    \
		.file = RULES_LABEL, .path = p, .msg = m                                           \
	}
#define VAR(n, body, count, p, m) RULES(n, VARIANT(body), count, p, m)
#define RULES_FILE_ROW(n, f, code, count, errfile, p, m)                                           \
	{                                                                                          \
		.name = n, .kind = RULES_FILE, .input = "malformed/" f, .rc = code, .nerr = count, \
		.file = "malformed/" errfile, .path = p, .msg = m                                  \
	}

static const row rows[] = {
    /* -- cabinet: not JSON, empty, truncated, not an object -- */
    CAB("cab: not JSON (missing comma)", "{\"id\": \"c\" \"zone\": \"zip\"}", 1, "",
	"not valid JSON at line 1, column 12"),
    CAB("cab: NaN is not JSON",
	"{\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\",\n"
	" \"doctors\": [\n"
	"  {\"id\": \"d1\", \"pmt\": NaN}]}",
	1, "", "not valid JSON at line 3, column 23"),
    CAB("cab: Infinity is not JSON", "{\"id\": \"c\",\n \"zone\": Infinity}", 1, "",
	"not valid JSON at line 2, column 10"),
    CAB("cab: truncated text", "{\"id\": \"c\", \"doctors\": [", 1, "",
	"truncated JSON: the document ends at line 1, column 25 before it is complete"),
    CAB("cab: truncated after a number", "{\"id\": \"c\",\n \"doctors\": [{\"pmt\": 12", 1, "",
	"truncated JSON: the document ends at line 2, column 24 before it is complete"),
    {.name = "cab: trailing comma is invalid, not truncated",
     .kind = CAB_TEXT,
     .input = "{\"id\": \"c\",}",
     .rc = MUTU_EINPUT,
     .nerr = 1,
     .file = CAB_LABEL,
     .path = "",
     .msg = "not valid JSON at line 1, column 12"},
    CAB("cab: trailing garbage", CABINET(GP("d1", "")) " x", 1, "",
	"unexpected text after the JSON value at line 1, column "),
    CAB("cab: empty text", "", 1, "", "empty document, expected a JSON object"),
    CAB("cab: blank text", " \n\t\r\n ", 1, "", "empty document, expected a JSON object"),
    CAB("cab: document is an array", "[" CABINET(GP("d1", "")) "]", 1, "",
	"must be an object, got an array"),
    CAB("cab: document is a string", "\"msp-tilleuls\"", 1, "", "must be an object, got a string"),

    /* -- cabinet: numbers -- */
    CAB("cab: 1e999 pmt is not finite", CABINET(GP_COUNTS("d1", "\"pmt\": 1e999, \"fa\": 1500")), 1,
	"/doctors/0/pmt", "must be a finite number"),
    CAB("cab: 1e999 headroom is not finite", CABINET(GP("d1", ", \"headroom\": 1e999")), 1,
	"/doctors/0/headroom", "must be a finite number"),
    CAB("cab: -1e999 gain_per_etp is not finite", CABINET(GP("d1", ", \"gain_per_etp\": -1e999")),
	1, "/doctors/0/gain_per_etp", "must be a finite number"),
    CAB("cab: negative pmt", CABINET(GP_COUNTS("d1", "\"pmt\": -12, \"fa\": 1500")), 1,
	"/doctors/0/pmt", "must be a non-negative integer, got -12"),
    CAB("cab: negative fa", CABINET(GP_COUNTS("d1", "\"pmt\": 12, \"fa\": -1")), 1, "/doctors/0/fa",
	"must be a non-negative integer, got -1"),
    CAB("cab: non-integer pmt", CABINET(GP_COUNTS("d1", "\"pmt\": 12.5, \"fa\": 1500")), 1,
	"/doctors/0/pmt", "must be a non-negative integer, got 12.5"),
    CAB("cab: pmt as a string", CABINET(GP_COUNTS("d1", "\"pmt\": \"1000\", \"fa\": 1500")), 1,
	"/doctors/0/pmt", "must be a non-negative integer, got a string"),
    CAB("cab: missing pmt", CABINET(GP_COUNTS("d1", "\"fa\": 1500")), 1, "/doctors/0/pmt",
	"missing required key \"pmt\""),
    {.name = "cab: pmt above the maximum names the value",
     .kind = CAB_TEXT,
     .input = CABINET(GP_COUNTS("d1", "\"pmt\": 1000001, \"fa\": 1500")),
     .rc = MUTU_EINPUT,
     .nerr = 1,
     .file = CAB_LABEL,
     .path = "/doctors/0/pmt",
     .msg = "must be an integer between 0 and 1000000, got 1000001"},
    CAB("cab: age below 18", CABINET(GP("d1", ", \"age\": 12")), 1, "/doctors/0/age",
	"must be an integer between 18 and 110, got 12"),
    CAB("cab: non-integer age", CABINET(GP("d1", ", \"age\": 40.5")), 1, "/doctors/0/age",
	"must be an integer, got 40.5"),
    CAB("cab: negative headroom", CABINET(GP("d1", ", \"headroom\": -0.1")), 1,
	"/doctors/0/headroom", "must be between 0 and 10, got -0.1"),
    CAB("cab: negative max_new_patients", CABINET(GP("d1", ", \"max_new_patients\": -5")), 1,
	"/doctors/0/max_new_patients", "must be a non-negative integer, got -5"),

    /* -- cabinet: top level -- */
    CAB("cab: unknown top-level key, with suggestion",
	CABINET_TOP("\"id\": \"c\", \"nmae\": \"x\", \"zone\": \"zip\", \"contract_start\": "
		    "\"2025-01-01\""),
	1, "/nmae", "unknown key \"nmae\"; did you mean \"name\"?"),
    CAB("cab: unknown top-level key, no near name",
	CABINET_TOP("\"id\": \"c\", \"owner\": \"x\", \"zone\": \"zip\", \"contract_start\": "
		    "\"2025-01-01\""),
	1, "/owner",
	"unknown key \"owner\" (expected one of \"id\", \"name\", \"zone\", "
	"\"contract_start\", \"doctors\")"),
    CAB("cab: missing id", CABINET_TOP("\"zone\": \"zip\", \"contract_start\": \"2025-01-01\""), 1,
	"/id", "missing required key \"id\""),
    CAB("cab: empty id",
	CABINET_TOP("\"id\": \"\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\""), 1,
	"/id", "must be a non-empty string, got \"\""),
    CAB("cab: numeric name",
	CABINET_TOP("\"id\": \"c\", \"name\": 7, \"zone\": \"zip\", \"contract_start\": "
		    "\"2025-01-01\""),
	1, "/name", "must be a non-empty string, got a number"),
    CAB("cab: unknown zone",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"urban\", \"contract_start\": \"2025-01-01\""), 1,
	"/zone", "must be one of \"standard\", \"zip\", got \"urban\""),
    CAB("cab: zone near a known one",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zipp\", \"contract_start\": \"2025-01-01\""), 1,
	"/zone", "unknown value \"zipp\"; did you mean \"zip\"?"),
    CAB("cab: zone as a number",
	CABINET_TOP("\"id\": \"c\", \"zone\": 1, \"contract_start\": \"2025-01-01\""), 1, "/zone",
	"must be one of \"standard\", \"zip\", got a number"),
    CAB("cab: missing contract_start", CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\""), 1,
	"/contract_start", "missing required key \"contract_start\""),
    CAB("cab: date 2025-02-30",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-02-30\""), 1,
	"/contract_start", "must be a date YYYY-MM-DD, got \"2025-02-30\""),
    CAB("cab: date 2025-13-01",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-13-01\""), 1,
	"/contract_start", "must be a date YYYY-MM-DD, got \"2025-13-01\""),
    CAB("cab: date 2025-1-1",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-1-1\""), 1,
	"/contract_start", "must be a date YYYY-MM-DD, got \"2025-1-1\""),
    CAB("cab: date 2023-02-29 (not a leap year)",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2023-02-29\""), 1,
	"/contract_start", "must be a date YYYY-MM-DD, got \"2023-02-29\""),
    CAB("cab: date as the number 20250101",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": 20250101"), 1,
	"/contract_start", "must be a non-empty string, got a number"),
    CAB("cab: missing doctors",
	"{\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\"}", 1, "/doctors",
	"missing required key \"doctors\""),
    CAB("cab: empty doctors", CABINET(""), 1, "/doctors",
	"must be a non-empty array of doctors, got an empty array"),
    CAB("cab: doctors as an object",
	"{\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\", \"doctors\": "
	"{\"d1\": " GP("d1", "") "}}",
	1, "/doctors", "must be a non-empty array of doctors, got an object"),
    CAB("cab: duplicate JSON key at the top",
	CABINET_TOP("\"id\": \"c\", \"zone\": \"zip\", \"zone\": \"standard\", "
		    "\"contract_start\": \"2025-01-01\""),
	1, "/zone", "duplicate key \"zone\""),

    /* -- cabinet: doctors -- */
    CAB("cab: doctor not an object", CABINET("\"d1\""), 1, "/doctors/0",
	"must be an object, got a string"),
    CAB("cab: unknown key in a doctor", CABINET(GP("d1", ", \"pmtt\": 3")), 1, "/doctors/0/pmtt",
	"unknown key \"pmtt\"; did you mean \"pmt\"?"),
    CAB("cab: unknown key with a slash is escaped", CABINET(GP("d1", ", \"pm/t\": 3")), 1,
	"/doctors/0/pm~1t", "unknown key \"pm/t\"; did you mean \"pmt\"?"),
    CAB("cab: duplicate JSON key in a doctor", CABINET(GP("d1", ", \"pmt\": -12")), 1,
	"/doctors/0/pmt", "duplicate key \"pmt\""),
    CAB("cab: duplicate doctor id", CABINET(GP("d1", "") ", " GP("d2", "") ", " GP("d1", "")), 1,
	"/doctors/2/id", "duplicate doctor id \"d1\" (also /doctors/0)"),
    CAB("cab: missing specialty",
	CABINET("{\"id\": \"d1\", \"sector\": \"1\", \"pmt\": 1000, \"fa\": 1500}"), 1,
	"/doctors/0/specialty", "missing required key \"specialty\""),
    CAB("cab: unknown specialty near a known one",
	CABINET("{\"id\": \"d1\", \"specialty\": \"cardiolgie\", \"sector\": \"1\","
		" \"pmt\": 10, \"fa\": 1500}"),
	1, "/doctors/0/specialty",
	"unknown specialty \"cardiolgie\"; did you mean \"cardiologie\"?"),
    CAB("cab: unknown specialty, no near name",
	CABINET("{\"id\": \"d1\", \"specialty\": \"plombier\", \"sector\": \"1\", \"pmt\": 10,"
		" \"fa\": 1500}"),
	1, "/doctors/0/specialty",
	"unknown specialty \"plombier\" (not in the rules convention-2024)"),
    CAB("cab: sector as a number",
	CABINET("{\"id\": \"d1\", \"specialty\": \"generaliste\", \"sector\": 1, \"pmt\": 1000,"
		" \"fa\": 1500}"),
	1, "/doctors/0/sector", "must be one of \"1\", \"2-optam\", \"2\", got a number"),
    CAB("cab: sector near a known one",
	CABINET("{\"id\": \"d1\", \"specialty\": \"generaliste\", \"sector\": \"2-optim\","
		" \"pmt\": 1000, \"fa\": 1500}"),
	1, "/doctors/0/sector", "unknown value \"2-optim\"; did you mean \"2-optam\"?"),
    CAB("cab: volunteer as a string", CABINET(GP("d1", ", \"volunteer\": \"yes\"")), 1,
	"/doctors/0/volunteer", "must be true or false, got a string"),
    CAB("cab: new_installed null", CABINET(GP("d1", ", \"new_installed\": null")), 1,
	"/doctors/0/new_installed", "must be true or false, got null"),
    CAB("cab: declared_on without volunteer",
	CABINET(GP("d1", ", \"declared_on\": \"2024-11-02\"")), 1, "/doctors/0/declared_on",
	"a declaration date needs \"volunteer\": true"),
    CAB("cab: declared_on with volunteer false",
	CABINET(GP("d1", ", \"volunteer\": false, \"declared_on\": \"2024-11-02\"")), 1,
	"/doctors/0/declared_on", "a declaration date needs \"volunteer\": true"),
    CAB("cab: declared_on 2024-11-31",
	CABINET(GP("d1", ", \"volunteer\": true, \"declared_on\": \"2024-11-31\"")), 1,
	"/doctors/0/declared_on", "must be a date YYYY-MM-DD, got \"2024-11-31\""),

    /* -- cabinet: held contracts -- */
    CAB("cab: contracts as an object", CABINET(GP("d1", ", \"contracts\": {}")), 1,
	"/doctors/0/contracts", "must be an array of contracts, got an object"),
    CAB("cab: contract not an object", CABINET(GP_CONTRACTS("d1", "\"forfait\"")), 1,
	"/doctors/0/contracts/0", "must be an object, got a string"),
    CAB("cab: unknown key in a contract, with suggestion",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"forfait\", \"start\": \"2023-01-01\", \"ends\": "
				   "\"2024-01-01\"}")),
	1, "/doctors/0/contracts/0/ends", "unknown key \"ends\"; did you mean \"end\"?"),
    CAB("cab: unknown key in a contract, no near name",
	CABINET(
	    GP_CONTRACTS("d1", "{\"kind\": \"forfait\", \"start\": \"2023-01-01\", \"opt\": 1}")),
	1, "/doctors/0/contracts/0/opt",
	"unknown key \"opt\" (expected one of \"kind\", \"option\", \"start\", \"end\")"),
    CAB("cab: contract kind near a known one",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"assistent\", \"option\": \"half\", \"start\": "
				   "\"2023-01-01\"}")),
	1, "/doctors/0/contracts/0/kind",
	"unknown value \"assistent\"; did you mean \"assistant\"?"),
    CAB("cab: contract without kind", CABINET(GP_CONTRACTS("d1", "{\"start\": \"2023-01-01\"}")), 1,
	"/doctors/0/contracts/0/kind", "missing required key \"kind\""),
    CAB("cab: assistant contract without option",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"assistant\", \"start\": \"2023-01-01\"}")), 1,
	"/doctors/0/contracts/0/option", "missing required key \"option\""),
    CAB("cab: assistant contract with an empty option",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"assistant\", \"option\": \"\", \"start\": "
				   "\"2023-01-01\"}")),
	1, "/doctors/0/contracts/0/option", "must be a non-empty string, got \"\""),
    CAB("cab: unknown option in a held contract",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"assistant\", \"option\": \"halfe\", \"start\": "
				   "\"2023-01-01\"}")),
	1, "/doctors/0/contracts/0/option",
	"unknown option \"halfe\" (not in the rules convention-2024)"),
    CAB("cab: contract end before start",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"forfait\", \"start\": \"2025-02-01\", \"end\": "
				   "\"2025-01-31\"}")),
	1, "/doctors/0/contracts/0/end", "must not be before start"),
    CAB("cab: contract without start", CABINET(GP_CONTRACTS("d1", "{\"kind\": \"forfait\"}")), 1,
	"/doctors/0/contracts/0/start", "missing required key \"start\""),
    CAB("cab: contract start 2025-02-30",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"forfait\", \"start\": \"2025-02-30\"}")), 1,
	"/doctors/0/contracts/0/start", "must be a date YYYY-MM-DD, got \"2025-02-30\""),
    CAB("cab: contract end as the number 20250101",
	CABINET(GP_CONTRACTS("d1", "{\"kind\": \"forfait\", \"start\": \"2023-01-01\", \"end\": "
				   "20250101}")),
	1, "/doctors/0/contracts/0/end", "must be a non-empty string, got a number"),

    /* -- cabinet files -- */
    CAB_FILE_ROW("cab file: not JSON", "not-json.json", MUTU_EINPUT, 1, "",
		 "not valid JSON at line 1, column 1"),
    CAB_FILE_ROW("cab file: empty", "empty.json", MUTU_EINPUT, 1, "",
		 "empty document, expected a JSON object"),
    CAB_FILE_ROW("cab file: blank", "blank.json", MUTU_EINPUT, 1, "",
		 "empty document, expected a JSON object"),
    CAB_FILE_ROW("cab file: truncated", "cabinet-truncated.json", MUTU_EINPUT, 1, "",
		 "truncated JSON: the document ends at line 8, column 1 before it is complete"),
    CAB_FILE_ROW("cab file: NUL byte", "cabinet-nul.json", MUTU_EIO, 1, "",
		 "contains a NUL byte: not a JSON text"),
    CAB_FILE_ROW("cab file: an array", "array.json", MUTU_EINPUT, 1, "",
		 "must be an object, got an array"),
    CAB_FILE_ROW("cab file: missing", "no-such-cabinet.json", MUTU_EIO, 1, "",
		 "cannot open: No such file or directory"),

    /* -- rules text: not JSON, not an object -- */
    RULES("rules: NaN is not JSON",
	  "{\"name\": \"v\",\n \"extends\": \"base-min.json\",\n \"discount_rate\": NaN}", 1, "",
	  "not valid JSON at line 3, column 19"),
    RULES("rules: truncated text", "{\"name\": \"v\",\n \"extends\": \"base-min.json\",\n", 1, "",
	  "truncated JSON: the document ends at line 3, column 1 before it is complete"),
    RULES("rules: empty text", "", 1, "", "empty document, expected a JSON object"),
    RULES("rules: document is an array", "[" VARIANT("\"horizon_years\": 5") "]", 1, "",
	  "must be a JSON object, got an array"),
    RULES("rules: document is a number", "42", 1, "", "must be a JSON object, got a number"),

    /* -- rules: top level -- */
    VAR("rules: 1e999 discount_rate is not finite", "\"discount_rate\": 1e999", 1, "/discount_rate",
	"must be a finite number"),
    VAR("rules: unknown top-level key, with suggestion", "\"mutualization\": {}", 1,
	"/mutualization", "unknown key \"mutualization\"; did you mean \"mutualisation\"?"),
    VAR("rules: unknown top-level key, no near name", "\"comment\": \"x\"", 1, "/comment",
	"unknown key \"comment\" (expected one of \"name\", \"extends\", \"description\", "),
    RULES("rules: numeric name", "{\"extends\": \"base-min.json\", \"name\": 5}", 1, "/name",
	  "must be a non-empty string, got a number"),
    RULES("rules: name removed by the variant", "{\"extends\": \"base-min.json\", \"name\": null}",
	  1, "/name", "missing required key \"name\""),
    VAR("rules: horizon_years zero", "\"horizon_years\": 0", 1, "/horizon_years",
	"must be an integer between 1 and 30, got 0"),
    VAR("rules: non-integer horizon_years", "\"horizon_years\": 2.5", 1, "/horizon_years",
	"must be an integer, got 2.5"),
    VAR("rules: negative discount_rate", "\"discount_rate\": -0.1", 1, "/discount_rate",
	"must be between 0 and 0.99, got -0.1"),
    VAR("rules: eligibility sectors as a string", "\"eligibility\": {\"sectors\": \"1\"}", 1,
	"/eligibility/sectors", "must be an array of strings, got a string"),
    VAR("rules: unknown eligible sector", "\"eligibility\": {\"sectors\": [\"1\", \"2-OPTAM\"]}", 1,
	"/eligibility/sectors/1", "must be one of \"1\", \"2-optam\", \"2\", got \"2-OPTAM\""),
    VAR("rules: exemption near a known one",
	"\"eligibility\": {\"exemptions\": [\"new-installed\"]}", 1, "/eligibility/exemptions/0",
	"unknown value \"new-installed\"; did you mean \"new_installed\"?"),
    VAR("rules: negative capacity headroom", "\"capacity\": {\"headroom\": -0.1}", 1,
	"/capacity/headroom", "must be between 0 and 10, got -0.1"),
    VAR("rules: economics as a string", "\"economics\": {\"assistant_cost_per_etp\": \"36000\"}", 1,
	"/economics/assistant_cost_per_etp", "must be a number, got a string"),
    VAR("rules: new_installed target near a threshold", "\"new_installed\": {\"target\": \"p40\"}",
	1, "/new_installed/target", "unknown value \"p40\"; did you mean \"p30\"?"),
    VAR("rules: senior objective removed", "\"senior\": {\"objective\": null}", 1,
	"/senior/objective", "missing required key \"objective\""),
    VAR("rules: non-integer senior age", "\"senior\": {\"from_age\": 64.5}", 1, "/senior/from_age",
	"must be a non-negative integer, got 64.5"),
    VAR("rules: unknown modulation", "\"achievement\": {\"modulation\": \"linear\"}", 1,
	"/achievement/modulation",
	"must be one of \"prorata\", \"all_or_nothing\", got \"linear\""),
    VAR("rules: modulation near a known one", "\"achievement\": {\"modulation\": \"pro-rata\"}", 1,
	"/achievement/modulation", "unknown value \"pro-rata\"; did you mean \"prorata\"?"),
    VAR("rules: check_from_year zero", "\"achievement\": {\"check_from_year\": 0}", 1,
	"/achievement/check_from_year", "must be an integer between 1 and 30, got 0"),
    {.name = "rules: duplicate JSON key in mutualisation",
     .kind = RULES_TEXT,
     .input = VARIANT("\"mutualisation\": {\"floor_share\": 2, \"floor_share\": 0.5}"),
     .rc = MUTU_EINPUT,
     .nerr = 1,
     .file = RULES_LABEL,
     .path = "/mutualisation/floor_share",
     .msg = "duplicate key \"floor_share\""},
    VAR("rules: duplicate JSON key in an option",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID OPT_OBJ ", \"etp\": 0.5")), 1, "/options/1/etp",
	"duplicate key \"etp\""),

    /* -- rules: specialties -- */
    VAR("rules: specialties as an array", "\"specialties\": []", 1, "/specialties",
	"must be an object, got an array"),
    VAR("rules: specialty not an object", "\"specialties\": {\"radiologie\": 3}", 1,
	"/specialties/radiologie", "must be an object, got a number"),
    VAR("rules: unknown key in a specialty",
	"\"specialties\": {\"generaliste\": {\"treshold\": {}}}", 1,
	"/specialties/generaliste/treshold",
	"unknown key \"treshold\"; did you mean \"thresholds\"?"),
    VAR("rules: unknown metric", "\"specialties\": {\"generaliste\": {\"metric\": \"patients\"}}",
	1, "/specialties/generaliste/metric", "must be one of \"pmt\", \"fa\", got \"patients\""),
    VAR("rules: metric near a known one",
	"\"specialties\": {\"generaliste\": {\"metric\": \"pmts\"}}", 1,
	"/specialties/generaliste/metric", "unknown value \"pmts\"; did you mean \"pmt\"?"),
    VAR("rules: specialty without metric",
	"\"specialties\": {\"pediatrie\": {\"thresholds\": {\"p30\": 1, \"p50\": 2, \"p70\": 3,"
	" \"p90\": 4, \"p95\": 5}}}",
	1, "/specialties/pediatrie/metric", "missing required key \"metric\""),
    VAR("rules: threshold missing",
	"\"specialties\": {\"pediatrie\": {\"metric\": \"fa\", \"thresholds\": {\"p30\": 1,"
	" \"p50\": 2, \"p70\": 3, \"p90\": 4}}}",
	1, "/specialties/pediatrie/thresholds/p95", "missing required key \"p95\""),
    VAR("rules: negative threshold",
	"\"specialties\": {\"generaliste\": {\"thresholds\": {\"p30\": -1}}}", 1,
	"/specialties/generaliste/thresholds/p30", "must be between 0 and 1000000, got -1"),
    VAR("rules: thresholds out of order",
	"\"specialties\": {\"cardiologie\": {\"thresholds\": {\"p50\": 900}}}", 1,
	"/specialties/cardiologie/thresholds/p50",
	"thresholds out of order: p50 (900) must be above p30 (1000)"),
    VAR("rules: equal thresholds",
	"\"specialties\": {\"generaliste\": {\"thresholds\": {\"p70\": 200}}}", 1,
	"/specialties/generaliste/thresholds/p70",
	"thresholds out of order: p70 (200) must be above p50 (200)"),

    /* -- rules: options -- */
    VAR("rules: options empty", "\"options\": []", 1, "/options",
	"must be a non-empty array of options, got an empty array"),
    VAR("rules: options as an object", "\"options\": {\"full\": " FULL_OPTION "}", 1, "/options",
	"must be a non-empty array of options, got an object"),
    VAR("rules: option not an object", OPTIONS("\"half\""), 1, "/options/1",
	"must be an object, got a string"),
    VAR("rules: unknown key in an option",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID OPT_OBJ ", \"aid_p59\": 1")), 1,
	"/options/1/aid_p59", "unknown key \"aid_p59\"; did you mean \"aid_p95\"?"),
    VAR("rules: misspelt key in an option is also missing",
	OPTIONS(OPTION("\"etpp\": 0.5, " OPT_ZONES OPT_AID OPT_OBJ)), 2, "/options/1/etpp",
	"unknown key \"etpp\"; did you mean \"etp\"?"),
    VAR("rules: option without id", OPTIONS("{" OPT_ETP OPT_ZONES OPT_AID OPT_OBJ "}"), 1,
	"/options/1/id", "missing required key \"id\""),
    VAR("rules: option without aid", OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_OBJ)), 1,
	"/options/1/aid", "missing required key \"aid\""),
    VAR("rules: option with an empty aid",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES "\"aid\": [], " OPT_OBJ)), 1, "/options/1/aid",
	"must be a non-empty array of yearly amounts, got an empty array"),
    VAR("rules: option aid as a number",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES "\"aid\": 100, " OPT_OBJ)), 1, "/options/1/aid",
	"must be a non-empty array of yearly amounts, got a number"),
    VAR("rules: negative aid", OPTIONS(OPTION(OPT_ETP OPT_ZONES "\"aid\": [100, -5], " OPT_OBJ)), 1,
	"/options/1/aid/1", "must be between 0 and 10000000, got -5"),
    VAR("rules: 1e999 aid is not finite",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES "\"aid\": [1e999], " OPT_OBJ)), 1, "/options/1/aid/0",
	"must be a finite number"),
    VAR("rules: aid entry as a string",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES "\"aid\": [\"100\"], " OPT_OBJ)), 1, "/options/1/aid/0",
	"must be a number, got a string"),
    VAR("rules: option etp zero", OPTIONS(OPTION("\"etp\": 0, " OPT_ZONES OPT_AID OPT_OBJ)), 1,
	"/options/1/etp", "must be between 0.01 and 10, got 0"),
    VAR("rules: option open in no zone", OPTIONS(OPTION(OPT_ETP "\"zones\": [], " OPT_AID OPT_OBJ)),
	1, "/options/1/zones", "must name at least one zone: an option open nowhere is a typo"),
    VAR("rules: no eligible sector",
	"\"eligibility\": {\"sectors\": [], \"exemptions\": [\"new_installed\"]}", 1,
	"/eligibility/sectors", "must name at least one sector: with none nobody is eligible"),
    VAR("rules: option zones as a string",
	OPTIONS(OPTION(OPT_ETP "\"zones\": \"zip\", " OPT_AID OPT_OBJ)), 1, "/options/1/zones",
	"must be an array of strings, got a string"),
    VAR("rules: unknown option zone",
	OPTIONS(OPTION(OPT_ETP "\"zones\": [\"rural\"], " OPT_AID OPT_OBJ)), 1,
	"/options/1/zones/0", "must be one of \"standard\", \"zip\", got \"rural\""),
    VAR("rules: option zone listed twice",
	OPTIONS(OPTION(OPT_ETP "\"zones\": [\"zip\", \"zip\"], " OPT_AID OPT_OBJ)), 1,
	"/options/1/zones/1", "\"zip\" is listed twice"),
    VAR("rules: option objective band near a known one",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID
		       "\"objective\": {\"p30_p50\": 0.35, \"p50_p70\": 0.26, \"p70_p90\": 0.175,"
		       " \"p90_p95\": 0.125, \"p95\": 0.05, \"p90-p95\": 0}")),
	1, "/options/1/objective/p90-p95", "unknown key \"p90-p95\"; did you mean \"p90_p95\"?"),
    VAR("rules: option objective above 5",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID
		       "\"objective\": {\"p30_p50\": 6, \"p50_p70\": 0.26, \"p70_p90\": 0.175,"
		       " \"p90_p95\": 0.125, \"p95\": 0.05}")),
	1, "/options/1/objective/p30_p50", "must be between 0 and 5, got 6"),
    VAR("rules: option for an unknown specialty",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID OPT_OBJ ", \"specialties\": [\"plombier\"]")), 1,
	"/options/1/specialties/0", "must name a specialty of the rules, got \"plombier\""),
    VAR("rules: option requiring an unknown option",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID OPT_OBJ
		       ", \"requires\": {\"option\": \"fulll\", \"years\": 2}")),
	1, "/options/1/requires/option", "must name an option of the rules, got \"fulll\""),
    VAR("rules: option requiring negative years",
	OPTIONS(OPTION(OPT_ETP OPT_ZONES OPT_AID OPT_OBJ
		       ", \"requires\": {\"option\": \"full\", \"years\": -1}")),
	1, "/options/1/requires/years", "must be a non-negative integer, got -1"),
    VAR("rules: duplicate option id", OPTIONS(FULL_OPTION), 1, "/options/1/id",
	"duplicate option id \"full\""),

    /* -- rules: mutualisation -- */
    VAR("rules: unknown key in mutualisation", "\"mutualisation\": {\"floor_shares\": 0.5}", 1,
	"/mutualisation/floor_shares",
	"unknown key \"floor_shares\"; did you mean \"floor_share\"?"),
    VAR("rules: floor_share 1.5", "\"mutualisation\": {\"floor_share\": 1.5}", 1,
	"/mutualisation/floor_share", "must be between 0 and 1, got 1.5"),
    VAR("rules: negative floor_share", "\"mutualisation\": {\"floor_share\": -0.5}", 1,
	"/mutualisation/floor_share", "must be between 0 and 1, got -0.5"),
    VAR("rules: max_doctors below min_doctors",
	"\"mutualisation\": {\"min_doctors\": 5, \"max_doctors\": 3}", 1,
	"/mutualisation/max_doctors", "must be at least min_doctors (5), got 3"),
    VAR("rules: min_doctors zero", "\"mutualisation\": {\"min_doctors\": 0}", 1,
	"/mutualisation/min_doctors", "must be an integer between 1 and 1000, got 0"),
    VAR("rules: enabled as a string", "\"mutualisation\": {\"enabled\": \"yes\"}", 1,
	"/mutualisation/enabled", "must be true or false, got a string"),
    VAR("rules: aid_reference_option naming no option",
	"\"mutualisation\": {\"aid_reference_option\": \"triple\"}", 1,
	"/mutualisation/aid_reference_option", "must name an option of the rules, got \"triple\""),
    VAR("rules: unknown objective_basis", "\"mutualisation\": {\"objective_basis\": \"mean\"}", 1,
	"/mutualisation/objective_basis",
	"must be one of \"sum_individual\", \"pooled\", got \"mean\""),
    VAR("rules: objective_basis near a known one",
	"\"mutualisation\": {\"objective_basis\": \"poled\"}", 1, "/mutualisation/objective_basis",
	"unknown value \"poled\"; did you mean \"pooled\"?"),
    VAR("rules: assessment near a known one", "\"mutualisation\": {\"assessment\": \"structur\"}",
	1, "/mutualisation/assessment", "unknown value \"structur\"; did you mean \"structure\"?"),
    VAR("rules: exclusive kind listed twice",
	"\"mutualisation\": {\"exclusive_kinds\": [\"assistant\", \"assistant\"]}", 1,
	"/mutualisation/exclusive_kinds/1", "\"assistant\" is listed twice"),
    VAR("rules: commitment years zero",
	"\"mutualisation\": {\"commitment_years\": {\"forfait\": 0}}", 1,
	"/mutualisation/commitment_years/forfait", "must be an integer between 1 and 30, got 0"),

    /* -- rules: provenance -- */
    VAR("rules: provenance key not a pointer",
	"\"provenance\": {\"options/0/aid\": \"sourced: x\"}", 1, "/provenance/options~10~1aid",
	"names no value of the rules: keys are JSON pointers such as \"/options/0/aid\""),
    VAR("rules: provenance pointer to no value",
	"\"provenance\": {\"/options/7/aid\": \"sourced: x\"}", 1, "/provenance/~1options~17~1aid",
	"names no value of the rules"),
    VAR("rules: provenance pointer to a removed value",
	"\"senior\": null, \"provenance\": {\"/senior/from_age\": \"sourced: x\"}", 1,
	"/provenance/~1senior~1from_age", "names no value of the rules"),
    VAR("rules: provenance note not a string", "\"provenance\": {\"/options/0/aid\": 3}", 1,
	"/provenance/~1options~10~1aid",
	"must be a string (\"sourced: ...\" or \"inferred: ...\"), got a number"),
    VAR("rules: provenance as an array", "\"provenance\": []", 1, "/provenance",
	"must be an object, got an array"),

    /* -- rules: extends -- */
    RULES("rules: extends not a string", "{\"name\": \"v\", \"extends\": 5}", 1, "/extends",
	  "must be a non-empty string, got a number"),
    /* An option without a usable id once crashed every command through
     * aid_reference_option and requires.option. */
    RULES("rules: an option without id is an error, not a crash",
	  "{\"options\": [{}], \"mutualisation\": {\"aid_reference_option\": \"x\"}}", 25,
	  "/options/0/id", "missing required key \"id\""),
    RULES("rules: extends empty", "{\"name\": \"v\", \"extends\": \"\"}", 1, "/extends",
	  "must be a non-empty string, got \"\""),
    {.name = "rules: extends a directory",
     .kind = RULES_TEXT,
     .input = "{\"name\": \"v\", \"extends\": \".\"}",
     .rc = MUTU_EIO,
     .nerr = 2,
     .file = RULES_LABEL,
     .path = "/extends",
     .msg = "cannot read base rules \".\""},
    RULES_FILE_ROW("rules file: extends cycle a->b->a", "cycle-a.json", MUTU_EINPUT, 1,
		   "cycle-b.json", "/extends",
		   "extends cycle: \"cycle-a.json\" is already in the chain"),
    RULES_FILE_ROW("rules file: extends cycle b->a->b", "cycle-b.json", MUTU_EINPUT, 1,
		   "cycle-a.json", "/extends",
		   "extends cycle: \"cycle-b.json\" is already in the chain"),
    RULES_FILE_ROW("rules file: extends cycle a->a", "cycle-self.json", MUTU_EINPUT, 1,
		   "cycle-self.json", "/extends",
		   "extends cycle: \"cycle-self.json\" is already in the chain"),
    RULES_FILE_ROW("rules file: extends a missing file", "extends-missing.json", MUTU_EIO, 2,
		   "extends-missing.json", "/extends",
		   "cannot read base rules \"no-such-base.json\""),
    RULES_FILE_ROW("rules file: the missing base is named", "extends-missing.json", MUTU_EIO, 2,
		   "no-such-base.json", "", "cannot open: No such file or directory"),
    RULES_FILE_ROW("rules file: base not JSON", "extends-not-json.json", MUTU_EINPUT, 1,
		   "not-json.json", "", "not valid JSON at line 1, column 1"),
    RULES_FILE_ROW("rules file: base empty", "extends-empty.json", MUTU_EINPUT, 1, "empty.json", "",
		   "empty document, expected a JSON object"),
    RULES_FILE_ROW("rules file: base an array", "extends-array.json", MUTU_EINPUT, 1, "array.json",
		   "", "must be a JSON object, got an array"),

    /* -- rules files -- */
    RULES_FILE_ROW("rules file: not JSON", "not-json.json", MUTU_EINPUT, 1, "not-json.json", "",
		   "not valid JSON at line 1, column 1"),
    RULES_FILE_ROW("rules file: empty", "empty.json", MUTU_EINPUT, 1, "empty.json", "",
		   "empty document, expected a JSON object"),
    RULES_FILE_ROW("rules file: blank", "blank.json", MUTU_EINPUT, 1, "blank.json", "",
		   "empty document, expected a JSON object"),
    RULES_FILE_ROW("rules file: an array", "array.json", MUTU_EINPUT, 1, "array.json", "",
		   "must be a JSON object, got an array"),
    RULES_FILE_ROW("rules file: truncated after a value", "rules-truncated.json", MUTU_EINPUT, 1,
		   "rules-truncated.json", "",
		   "truncated JSON: the document ends at line 14, column 1 before it is complete"),
    {.name = "rules file: truncated inside a string",
     .kind = RULES_FILE,
     .input = "malformed/rules-truncated-in-string.json",
     .rc = MUTU_EINPUT,
     .nerr = 1,
     .file = "malformed/rules-truncated-in-string.json",
     .path = "",
     .msg = "truncated JSON: the document ends at line 14"},
    RULES_FILE_ROW("rules file: missing", "no-such-rules.json", MUTU_EIO, 1, "no-such-rules.json",
		   "", "cannot open: No such file or directory"),
    {.name = "rules file: a directory",
     .kind = RULES_FILE,
     .input = "malformed",
     .rc = MUTU_EIO,
     .nerr = 1,
     .file = "malformed",
     .path = "",
     .msg = "is a directory, not a file"},

    /* -- rules: which file of the chain is blamed -- */
    RULES_FILE_ROW("rules file: bad value in the variant names the variant", "variant-floor.json",
		   MUTU_EINPUT, 1, "variant-floor.json", "/mutualisation/floor_share",
		   "must be between 0 and 1, got 1.5"),
    RULES_FILE_ROW("rules file: bad value in the base names the base", "variant-of-bad-base.json",
		   MUTU_EINPUT, 1, "base-bad-floor.json", "/mutualisation/floor_share",
		   "must be between 0 and 1, got 1.5"),
    {.name = "rules file: bad value in the base names the base, variant edits the same block",
     .kind = RULES_FILE,
     .input = "malformed/variant-of-bad-base-mut.json",
     .rc = MUTU_EINPUT,
     .nerr = 1,
     .file = "malformed/base-bad-floor.json",
     .path = "/mutualisation/floor_share",
     .msg = "must be between 0 and 1, got 1.5"},
    RULES_FILE_ROW("rules file: bad base loaded directly", "base-bad-floor.json", MUTU_EINPUT, 1,
		   "base-bad-floor.json", "/mutualisation/floor_share",
		   "must be between 0 and 1, got 1.5"),
};

#define NROWS (sizeof rows / sizeof rows[0])

/* ---- running a row ------------------------------------------------------ */

static mutu_rules g_rules; /* convention-2024, for the cabinet rows */

static void dump_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		print_message("    [%zu] %s\n", i, line);
	}
	if (errs->dropped)
		print_message("    (%zu dropped)\n", errs->dropped);
}

static bool cabinet_is_empty(const mutu_cabinet *c)
{
	return !c->id && !c->name && !c->doctors && c->ndoctors == 0;
}

static bool rules_is_empty(const mutu_rules *r)
{
	return !r->name && !r->description && !r->file && !r->specialties && r->nspecialties == 0 &&
	       !r->options && r->noptions == 0 && !r->doc;
}

/* Loads the row's input into `errs`; returns the loader's code.  Checks
 * that a failed load leaves nothing to free, and frees what it loaded. */
static int load(const row *r, mutu_errors *errs, bool *left_empty)
{
	int rc = MUTU_OK;
	*left_empty = true;
	if (r->kind == CAB_TEXT || r->kind == CAB_FILE) {
		mutu_cabinet cab;
		rc = r->kind == CAB_TEXT ? mutu_cabinet_parse(&cab, &g_rules, r->input,
							      strlen(r->input), CAB_LABEL, errs)
					 : mutu_cabinet_load(&cab, &g_rules, r->input, errs);
		if (rc != MUTU_OK)
			*left_empty = cabinet_is_empty(&cab);
		mutu_cabinet_free(&cab);
	} else {
		mutu_rules rules;
		rc = r->kind == RULES_TEXT
			 ? mutu_rules_parse(&rules, r->input, strlen(r->input), RULES_LABEL, errs)
			 : mutu_rules_load(&rules, r->input, errs);
		if (rc != MUTU_OK)
			*left_empty = rules_is_empty(&rules);
		mutu_rules_free(&rules);
	}
	return rc;
}

/* Every message is one lowercase line. */
static bool well_formed(const mutu_error *e)
{
	return e->message[0] && !strchr(e->message, '\n') && !isupper((unsigned char)e->message[0]);
}

/* Whether the row behaves as stated; prints the difference if not. */
static bool row_matches(const row *r)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	bool left_empty;
	int rc = load(r, &errs, &left_empty);
	bool ok = true;
	if (rc != r->rc) {
		print_message("  return code %d, expected %d\n", rc, r->rc);
		ok = false;
	}
	if (!left_empty) {
		print_message("  the failed load left allocated fields in *out\n");
		ok = false;
	}
	if (errs.count != r->nerr || errs.dropped != 0) {
		print_message("  %zu errors (%zu dropped), expected %zu\n", errs.count,
			      errs.dropped, r->nerr);
		ok = false;
	}
	const mutu_error *hit = NULL;
	for (size_t i = 0; i < errs.count && !hit; i++)
		if (strcmp(errs.items[i].path, r->path) == 0 &&
		    strstr(errs.items[i].message, r->msg))
			hit = &errs.items[i];
	if (!hit) {
		print_message("  no error at \"%s\" with \"%s\"\n", r->path, r->msg);
		ok = false;
	} else if (strcmp(hit->file, r->file) != 0) {
		print_message("  the error names file \"%s\", expected \"%s\"\n", hit->file,
			      r->file);
		ok = false;
	}
	for (size_t i = 0; i < errs.count; i++)
		if (!well_formed(&errs.items[i])) {
			print_message("  error %zu is not one lowercase line\n", i);
			ok = false;
		}
	if (!ok)
		dump_errors(&errs);
	return ok;
}

static void run_row(void **state)
{
	const row *r = *state;
	bool ok = row_matches(r);
	if (!r->bug) {
		if (!ok)
			fail_msg("row \"%s\" failed", r->name);
		return;
	}
	if (ok)
		fail_msg("row \"%s\" passes: the known bug (%s) is fixed, remove its .bug", r->name,
			 r->bug);
	print_message("  known loader bug, not fixed yet: %s\n", r->bug);
	skip();
}

/* ---- the valid examples load without error ------------------------------ */

static const char *const valid_rules[] = {
    "../scenarios/rules/avenant7-2019.json",
    "../scenarios/rules/ra-2023.json",
    "../scenarios/rules/convention-2024.json",
    "../scenarios/rules/variants/cap-etp-2.json",
    "../scenarios/rules/variants/cap-half-etp-per-doctor.json",
    "../scenarios/rules/variants/floor-half.json",
    "../scenarios/rules/variants/free-split.json",
    "../scenarios/rules/variants/identical-rate.json",
    "../scenarios/rules/variants/individual-assessment.json",
    "../scenarios/rules/variants/large-groups.json",
    "../scenarios/rules/variants/pooled-objective.json",
    "../scenarios/rules/variants/sum-individual.json",
    "malformed/base-min.json", /* the base of the variants above */
};

static const char *const valid_cabinets[] = {
    "../scenarios/cabinets/centre-30-gp.json",       "../scenarios/cabinets/contract-in-force.json",
    "../scenarios/cabinets/excluded-specialty.json", "../scenarios/cabinets/late-declaration.json",
    "../scenarios/cabinets/msp-tilleuls.json",       "../scenarios/cabinets/new-installed.json",
    "../scenarios/cabinets/rural-pair-zip.json",     "../scenarios/cabinets/sector2-no-optam.json",
    "../scenarios/cabinets/senior-66.json",
};

static void test_valid_rules(void **state)
{
	(void)state;
	bool ok = true;
	for (size_t i = 0; i < sizeof valid_rules / sizeof valid_rules[0]; i++) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_rules r;
		int rc = mutu_rules_load(&r, valid_rules[i], &errs);
		if (rc != MUTU_OK || errs.count || errs.dropped || !r.name || r.noptions == 0 ||
		    r.nspecialties == 0) {
			print_message("  %s: rc %d\n", valid_rules[i], rc);
			dump_errors(&errs);
			ok = false;
		}
		mutu_rules_free(&r);
	}
	assert_true(ok);
}

static void test_valid_cabinets(void **state)
{
	(void)state;
	bool ok = true;
	for (size_t i = 0; i < sizeof valid_cabinets / sizeof valid_cabinets[0]; i++) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_cabinet c;
		int rc = mutu_cabinet_load(&c, &g_rules, valid_cabinets[i], &errs);
		if (rc != MUTU_OK || errs.count || errs.dropped || !c.id || c.ndoctors == 0) {
			print_message("  %s: rc %d\n", valid_cabinets[i], rc);
			dump_errors(&errs);
			ok = false;
		}
		mutu_cabinet_free(&c);
	}
	assert_true(ok);
}

/* ---- every error of a file is reported ---------------------------------- */

static void expect_paths(const mutu_errors *errs, const char *file, const char *const *paths,
			 size_t n)
{
	if (errs->count != n || errs->dropped != 0)
		dump_errors(errs);
	assert_int_equal(errs->count, n);
	assert_int_equal(errs->dropped, 0);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(errs->items[i].path, paths[i]);
		assert_string_equal(errs->items[i].file, file);
	}
}

/* An unknown top-level key, a negative count in one doctor and a contract
 * ending before it starts in another: three errors, not one. */
static void test_cabinet_three_errors(void **state)
{
	(void)state;
#define BAD_CONTRACT "{\"kind\": \"forfait\", \"start\": \"2024-01-01\", \"end\": \"2023-12-31\"}"
	static const char text[] =
	    "{\"id\": \"c\", \"nmae\": \"x\", \"zone\": \"zip\","
	    " \"contract_start\": \"2025-01-01\", \"doctors\": [" GP_COUNTS(
		"d1", "\"pmt\": -12, \"fa\": 1500") ", " GP_CONTRACTS("d2", BAD_CONTRACT) "]}";
#undef BAD_CONTRACT
	static const char *const paths[] = {"/nmae", "/doctors/0/pmt",
					    "/doctors/1/contracts/0/end"};
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet c;
	assert_int_equal(mutu_cabinet_parse(&c, &g_rules, text, strlen(text), CAB_LABEL, &errs),
			 MUTU_EINPUT);
	expect_paths(&errs, CAB_LABEL, paths, 3);
	assert_non_null(strstr(errs.items[0].message, "did you mean \"name\"?"));
	assert_non_null(strstr(errs.items[1].message, "got -12"));
	assert_non_null(strstr(errs.items[2].message, "must not be before start"));
	mutu_cabinet_free(&c);
}

/* The same for a rules variant: an unknown top-level key, a bad horizon and
 * a bad floor share. */
static void test_rules_three_errors(void **state)
{
	(void)state;
	static const char text[] = VARIANT("\"senoir\": {}, \"horizon_years\": 0,"
					   " \"mutualisation\": {\"floor_share\": 1.5}");
	static const char *const paths[] = {"/senoir", "/horizon_years",
					    "/mutualisation/floor_share"};
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules r;
	assert_int_equal(mutu_rules_parse(&r, text, strlen(text), RULES_LABEL, &errs), MUTU_EINPUT);
	expect_paths(&errs, RULES_LABEL, paths, 3);
	assert_non_null(strstr(errs.items[0].message, "did you mean \"senior\"?"));
	assert_non_null(strstr(errs.items[1].message, "got 0"));
	assert_non_null(strstr(errs.items[2].message, "got 1.5"));
	mutu_rules_free(&r);
}

/* ---- more errors than the list holds ------------------------------------ */

#define NBAD 60 /* > MUTU_ERRORS_MAX */

static char big[32768];

static void append(size_t *n, const char *s)
{
	size_t len = strlen(s);
	assert_true(*n + len < sizeof big);
	memcpy(big + *n, s, len + 1);
	*n += len;
}

/* A cabinet of NBAD doctors, each with a negative pmt. */
static const char *many_bad_doctors(void)
{
	size_t n = 0;
	append(&n, "{\"id\": \"c\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\", "
		   "\"doctors\": [");
	for (int i = 0; i < NBAD; i++) {
		char doc[160];
		snprintf(doc, sizeof doc,
			 "%s{\"id\": \"d%d\", \"specialty\": \"generaliste\", \"sector\": \"1\","
			 " \"pmt\": -%d, \"fa\": 1500}",
			 i ? ", " : "", i, i + 1);
		append(&n, doc);
	}
	append(&n, "]}");
	return big;
}

/* A rules variant adding NBAD specialties, each with a negative p95. */
static const char *many_bad_specialties(void)
{
	size_t n = 0;
	append(&n, "{\"name\": \"v\", \"extends\": \"base-min.json\", \"specialties\": {");
	for (int i = 0; i < NBAD; i++) {
		char sp[160];
		snprintf(sp, sizeof sp,
			 "%s\"s%02d\": {\"metric\": \"pmt\", \"thresholds\": "
			 "{\"p30\": 1, \"p50\": 2, \"p70\": 3, \"p90\": 4, \"p95\": -1}}",
			 i ? ", " : "", i);
		append(&n, sp);
	}
	append(&n, "}}");
	return big;
}

static void test_cabinet_errors_max(void **state)
{
	(void)state;
	const char *text = many_bad_doctors();
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet c;
	assert_int_equal(mutu_cabinet_parse(&c, &g_rules, text, strlen(text), CAB_LABEL, &errs),
			 MUTU_EINPUT);
	assert_int_equal(errs.count, MUTU_ERRORS_MAX);
	assert_int_equal(errs.dropped, NBAD - MUTU_ERRORS_MAX);
	assert_string_equal(errs.items[0].path, "/doctors/0/pmt");
	assert_string_equal(errs.items[0].message, "must be a non-negative integer, got -1");
	assert_string_equal(errs.items[MUTU_ERRORS_MAX - 1].path, "/doctors/49/pmt");
	assert_true(cabinet_is_empty(&c));
	mutu_cabinet_free(&c);
}

static void test_rules_errors_max(void **state)
{
	(void)state;
	const char *text = many_bad_specialties();
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules r;
	assert_int_equal(mutu_rules_parse(&r, text, strlen(text), RULES_LABEL, &errs), MUTU_EINPUT);
	assert_int_equal(errs.count, MUTU_ERRORS_MAX);
	assert_int_equal(errs.dropped, NBAD - MUTU_ERRORS_MAX);
	assert_string_equal(errs.items[0].path, "/specialties/s00/thresholds/p95");
	assert_string_equal(errs.items[0].file, RULES_LABEL);
	assert_string_equal(errs.items[MUTU_ERRORS_MAX - 1].path,
			    "/specialties/s49/thresholds/p95");
	assert_true(rules_is_empty(&r));
	mutu_rules_free(&r);
}

/* A list that is already full still makes a bad document fail (the new
 * errors are only counted) and a good one pass. */
static void test_full_list(void **state)
{
	(void)state;
	static const char bad_cab[] = CABINET(GP_COUNTS("d1", "\"pmt\": -1, \"fa\": 1"));
	static const char good_cab[] = CABINET(GP("d1", ""));
	static const char bad_rules[] = VARIANT("\"horizon_years\": 0");
	static const char good_rules[] = VARIANT("\"horizon_years\": 6");
	mutu_errors errs;
	mutu_errors_clear(&errs);
	for (int i = 0; i < MUTU_ERRORS_MAX; i++)
		mutu_errors_add(&errs, "earlier.json", "/x", "earlier error %d", i);
	mutu_cabinet c;
	mutu_rules r;
	assert_int_equal(
	    mutu_cabinet_parse(&c, &g_rules, bad_cab, strlen(bad_cab), CAB_LABEL, &errs),
	    MUTU_EINPUT);
	assert_int_equal(errs.dropped, 1);
	mutu_cabinet_free(&c);
	assert_int_equal(mutu_rules_parse(&r, bad_rules, strlen(bad_rules), RULES_LABEL, &errs),
			 MUTU_EINPUT);
	assert_int_equal(errs.dropped, 2);
	mutu_rules_free(&r);
	assert_int_equal(
	    mutu_cabinet_parse(&c, &g_rules, good_cab, strlen(good_cab), CAB_LABEL, &errs),
	    MUTU_OK);
	mutu_cabinet_free(&c);
	assert_int_equal(mutu_rules_parse(&r, good_rules, strlen(good_rules), RULES_LABEL, &errs),
			 MUTU_OK);
	assert_int_equal(r.horizon_years, 6);
	mutu_rules_free(&r);
	assert_int_equal(errs.count, MUTU_ERRORS_MAX);
	assert_int_equal(errs.dropped, 2);
	assert_string_equal(errs.items[0].file, "earlier.json");
}

/* mutu_cabinet_parse(text, len) reads `len` bytes: a valid document
 * followed by more bytes that are not part of it (a line of a batch file)
 * loads. */
static void test_parse_respects_len(void **state)
{
	(void)state;
	static const char doc[] = CABINET(GP("d1", ""));
	char text[sizeof doc + 16];
	snprintf(text, sizeof text, "%s\n%s", doc, "{\"next\": 1}");
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet c;
	int rc = mutu_cabinet_parse(&c, &g_rules, text, strlen(doc), CAB_LABEL, &errs);
	dump_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(errs.count, 0);
	mutu_cabinet_free(&c);
}

/* ---- main ---------------------------------------------------------------- */

static int load_rules(void **state)
{
	(void)state; /* a group state would replace every row's initial state */
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_rules_load(&g_rules, RULES_2024, &errs) != MUTU_OK) {
		dump_errors(&errs);
		return -1;
	}
	return 0;
}

static int free_rules(void **state)
{
	(void)state;
	mutu_rules_free(&g_rules);
	return 0;
}

static const struct CMUnitTest fixed_tests[] = {
    cmocka_unit_test(test_valid_rules),
    cmocka_unit_test(test_valid_cabinets),
    cmocka_unit_test(test_cabinet_three_errors),
    cmocka_unit_test(test_rules_three_errors),
    cmocka_unit_test(test_cabinet_errors_max),
    cmocka_unit_test(test_rules_errors_max),
    cmocka_unit_test(test_full_list),
    cmocka_unit_test(test_parse_respects_len),
};

#define NFIXED (sizeof fixed_tests / sizeof fixed_tests[0])

static struct CMUnitTest tests[NFIXED + NROWS];

int main(void)
{
	for (size_t i = 0; i < NFIXED; i++)
		tests[i] = fixed_tests[i];
	for (size_t i = 0; i < NROWS; i++)
		tests[NFIXED + i] = (struct CMUnitTest){
		    .name = rows[i].name,
		    .test_func = run_row,
		    .initial_state = (void *)(uintptr_t)&rows[i],
		};
	return cmocka_run_group_tests(tests, load_rules, free_rules);
}
