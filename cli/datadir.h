/*
 * datadir.h - where the programs find the default data set (signatures/,
 * policy.conf, domains/) when the user names none.
 */
#ifndef DLP_CLI_DATADIR_H
#define DLP_CLI_DATADIR_H

/*
 * The data directory, in this order: the environment variable
 * DLP_DATA_DIR; <exe dir>/../share/dlpscan when it holds policy.conf (an
 * installed or staged tree); the source tree's signatures/ (compile
 * definition DLP_SOURCE_DATADIR) when it exists; else the install
 * location DLP_INSTALL_DATADIR. argv0 is used only when /proc/self/exe
 * cannot be read. Returns a malloc'd string the caller frees, or NULL
 * when memory is exhausted.
 */
char *dlp_cli_data_dir(const char *argv0);

#endif /* DLP_CLI_DATADIR_H */
