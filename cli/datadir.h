/*
 * datadir.h - where the programs find the default data directory
 * (signatures, policy.conf, domains/).
 */
#ifndef DLP_CLI_DATADIR_H
#define DLP_CLI_DATADIR_H

/*
 * The data directory to use: $DLP_DATA_DIR if set; else
 * <dir of the program>/../share/dlpscan when it holds policy.conf (an
 * installed tree); else the source tree's signatures/ (a build tree); else
 * the compiled-in install location. The string is static storage.
 */
const char *dlp_cli_data_dir(const char *argv0);

#endif
