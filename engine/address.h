/*
 * address.h - RFC 5322 address lists (To, Cc, Bcc, From) to addr-specs.
 *
 * Tolerant: display names, quoted strings, comments, groups, angle
 * brackets, obsolete routes and missing commas are handled; anything that
 * does not look like an address is skipped. The output addresses are
 * "local@domain" with the domain as written.
 */
#ifndef DLP_ADDRESS_H
#define DLP_ADDRESS_H

#include "internal.h"

/* Called once per address found; return DLP_OK to go on. */
typedef enum dlp_status (*dlp_address_fn)(
    void *ctx, const char *addr, size_t len);

enum dlp_status dlp_address_list(const struct dlp_mem *mem, const char *in,
    size_t len, dlp_address_fn fn, void *ctx);

#endif /* DLP_ADDRESS_H */
