/*
 * input.h - the programs' message sources: a file (one message or an
 * mbox), a directory or Maildir, or "-" for standard input.
 */
#ifndef DLP_CLI_INPUT_H
#define DLP_CLI_INPUT_H

#include <stddef.h>

/* Called once per message; source names it ("box.mbox#3", "-"). */
typedef void (*dlp_cli_message_fn)(
    void *ctx, const char *source, const char *msg, size_t len);

/*
 * Read path and call fn for each message in it. Errors (a file that
 * cannot be read) are printed to stderr prefixed with prog; returns the
 * number of such errors.
 */
int dlp_cli_each_message(
    const char *prog, const char *path, dlp_cli_message_fn fn, void *ctx);

#endif
