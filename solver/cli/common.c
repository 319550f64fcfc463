/* What the commands share: see common.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "mutu/file.h"

const char *const cli_goal_names[] = {"net_benefit", "patients", NULL};
const char *const cli_format_names[] = {"text", "json", "csv", "html", NULL};
const char *const cli_format_names_no_csv[] = {"text", "json", NULL};
const char *const cli_format_names_no_html[] = {"text", "json", "csv", NULL};
/* No "csv": index 2 is html, which cli_format_no_csv() maps back. */
const char *const cli_format_names_no_csv_html[] = {"text", "json", "html", NULL};
const char *const cli_lang_names[] = {"fr", "en", NULL};

mutu_lang cli_lang(int option)
{
	return option == MUTU_LANG_EN   ? MUTU_LANG_EN
	       : option == MUTU_LANG_FR ? MUTU_LANG_FR
					: mutu_lang_from_env();
}

mutu_format cli_format_no_csv(int index)
{
	return index == 2 ? MUTU_FORMAT_HTML : (mutu_format)index;
}

void cli_print_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	if (errs->dropped)
		fprintf(stderr, "%s: ... and %zu more errors\n",
			errs->count ? errs->items[errs->count - 1].file : "mutu", errs->dropped);
}

void cli_print_error(const mutu_error *err)
{
	fprintf(stderr, "%s: %s\n", err->file[0] ? err->file : "mutu", err->message);
}

int cli_load_rules(mutu_rules *rules, const char *path)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = mutu_rules_load(rules, path, &errs);
	if (rc != MUTU_OK)
		cli_print_errors(&errs);
	return cli_exit_status(rc);
}

int cli_load_cabinet(mutu_cabinet *cab, const mutu_rules *rules, const char *path)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = mutu_cabinet_load(cab, rules, path, &errs);
	if (rc != MUTU_OK)
		cli_print_errors(&errs);
	return cli_exit_status(rc);
}

int cli_check_files(const cli_command *cmd, const char *out, const char *const *paths,
		    const char *const *names, size_t n)
{
	const char *first_stdin = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		if (strcmp(paths[i], "-") == 0) {
			if (first_stdin)
				return cli_usage_error(
				    cmd,
				    "only one input can be standard input: %s and %s "
				    "are both '-'",
				    first_stdin, names[i]);
			first_stdin = names[i];
		}
		if (out && mutu_file_same(out, paths[i]))
			return cli_usage_error(cmd,
					       "--out %s is also the %s: refusing to overwrite an "
					       "input",
					       out, names[i]);
	}
	return 0;
}

int cli_write(const char *path, const char *text)
{
	mutu_error err = {{0}, {0}, {0}};
	int rc = mutu_file_write(path, text, &err);
	if (rc != MUTU_OK)
		cli_print_error(&err);
	return cli_exit_status(rc);
}

int cli_out_of_memory(void)
{
	fprintf(stderr, "mutu: out of memory\n");
	return CLI_EXIT_INTERNAL;
}

bool cli_show_progress(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
	return caught;
}

void cli_die_of_signal(void)
{
	if (!caught)
		return;
	signal(caught, SIG_DFL);
	raise(caught);
}

int cli_load_contract(cli_contract_inputs *in, const char *contract, const char *cabinet,
		      const char *rules)
{
	mutu_errors errs;
	memset(in, 0, sizeof *in);
	int rc = cli_load_rules(&in->rules, rules);
	if (rc == 0)
		rc = cli_load_cabinet(&in->cab, &in->rules, cabinet);
	if (rc != 0)
		return rc;
	mutu_errors_clear(&errs);
	int e = mutu_contract_load(&in->ct, &in->rules, &in->cab, contract, &errs);
	if (e != MUTU_OK) {
		cli_print_errors(&errs);
		return cli_exit_status(e);
	}
	if (mutu_contract_validate(&in->findings, &in->ct, &in->rules, &in->cab) != MUTU_OK)
		return cli_out_of_memory();
	return CLI_EXIT_OK;
}

void cli_contract_inputs_free(cli_contract_inputs *in)
{
	mutu_findings_free(&in->findings);
	mutu_contract_free(&in->ct);
	mutu_cabinet_free(&in->cab);
	mutu_rules_free(&in->rules);
}
