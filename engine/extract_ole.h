/*
 * extract_ole.h - helpers of the OLE2 extractor shared with the RTF one.
 */
#ifndef DLP_EXTRACT_OLE_H
#define DLP_EXTRACT_OLE_H

#include "internal.h"

/*
 * Parse an OLE Packager payload (the native data of a "Package" object:
 * u16 2, label, path, temp path, then the file): on success *name gets the
 * label (NUL-terminated, truncated to nsize) and *file, *flen the packaged
 * file's bytes (pointing into p). false when p is not such a payload.
 */
bool dlp_ole_package(const uint8_t *p, size_t len, char *name, size_t nsize,
                     const uint8_t **file, size_t *flen);

#endif /* DLP_EXTRACT_OLE_H */
