/* mutu individual: each doctor's individual contract options. */
#include <stdlib.h>

#include "common.h"

static struct {
	const char *cabinet, *rules, *out;
	int format, lang;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "CABINET", 0, &a.cabinet, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    CLI_OPT_FORMAT(&a.format, cli_format_names_no_html, "text (default), json or csv"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_individual = {
    "individual",
    "CABINET --rules RULES [--format text|json|csv] [--lang fr|en] [--out FILE]",
    "each doctor's individual contract options and best choice",
    "For every doctor of the cabinet: eligible or why not, band, and for each option\n"
    "of the rules the objective (patients and %), the aid year by year, the net value\n"
    "over the horizon and whether it is feasible; then the best option.\n"
    "CABINET may be '-' for standard input.",
    opts,
    "Exit status: 0 ok, 2 bad input or usage, 3 internal failure.\n",
    run,
};

static int run(int argc, char **argv)
{
	a.lang = -1;
	int rc = cli_parse(&cli_individual, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	const char *paths[] = {a.cabinet, a.rules}, *names[] = {"CABINET", "rules"};
	if ((rc = cli_check_files(&cli_individual, a.out, paths, names, 2)) != 0)
		return rc;
	mutu_rules rules;
	mutu_cabinet cab = {0};
	mutu_analysis an = {0};
	char *text = NULL;
	if ((rc = cli_load_rules(&rules, a.rules)) != 0)
		return rc;
	if ((rc = cli_load_cabinet(&cab, &rules, a.cabinet)) != 0)
		goto cleanup;
	if (mutu_analysis_run(&an, &rules, &cab, false, NULL) != MUTU_OK ||
	    !(text = mutu_report_individual_with(
		  &an, &(mutu_report_options){(mutu_format)a.format, cli_lang(a.lang), false}))) {
		rc = cli_out_of_memory();
		goto cleanup;
	}
	rc = cli_write(a.out, text);
cleanup:
	free(text);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	return rc;
}
