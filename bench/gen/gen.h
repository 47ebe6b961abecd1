/*
 * gen.h - the benchmark corpus generator: a seeded PRNG, a byte buffer,
 * pseudo-prose, transfer encodings and the attachment formats (PDF,
 * OOXML, OLE2, PNG, JPEG, zip, TNEF). Everything is derived from the seed;
 * nothing is read from the network.
 */
#ifndef DLP_GEN_H
#define DLP_GEN_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; the programs die on memory exhaustion. */
struct dlp_gbuf {
	char *p;
	size_t len, cap;
};

void dlp_gbuf_add(struct dlp_gbuf *b, const void *p, size_t n);
void dlp_gbuf_puts(struct dlp_gbuf *b, const char *s);
void dlp_gbuf_printf(struct dlp_gbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dlp_gbuf_free(struct dlp_gbuf *b);
void *dlp_gen_xmalloc(size_t n);

/* xoshiro256** seeded through splitmix64. */
struct dlp_rng {
	uint64_t s[4];
};

void dlp_rng_seed(struct dlp_rng *r, uint64_t seed);
uint64_t dlp_rng_next(struct dlp_rng *r);
/* Uniform in [0, n). */
uint64_t dlp_rng_below(struct dlp_rng *r, uint64_t n);
/* Uniform in [0, 1). */
double dlp_rng_unit(struct dlp_rng *r);
/* Log-normal with the given mean and sigma of the underlying normal. */
double dlp_rng_lognormal(struct dlp_rng *r, double mean, double sigma);

/*
 * Prose: about n bytes of sentences from a fixed word list, wrapped at
 * 72 columns with "\r\n" (crlf) or "\n" line ends. The list holds no
 * marking word, so only planted text can match a signature.
 */
void dlp_gen_prose(struct dlp_rng *r, struct dlp_gbuf *out, size_t n, int crlf);
/* One sentence, no line end. */
void dlp_gen_sentence(struct dlp_rng *r, struct dlp_gbuf *out);

/* Transfer encodings, CRLF line ends, 76 columns. */
void dlp_gen_base64(struct dlp_gbuf *out, const void *p, size_t n);
void dlp_gen_qp(struct dlp_gbuf *out, const char *p, size_t n);

/* Text escaped for XML / HTML element content. */
void dlp_gen_xml_escape(struct dlp_gbuf *out, const char *p, size_t n);

/*
 * Documents. text is the document's text (lines separated by '\n'); the
 * result is appended to out. Each returns 0, or -1 when the writing
 * library failed (the caller reports it and stops).
 */
/* PDF: about size bytes; what the text leaves is an image on page 1. */
int dlp_gen_pdf(struct dlp_gbuf *out, const char *text, size_t n, size_t size);
int dlp_gen_docx(struct dlp_gbuf *out, const char *text, size_t n);
int dlp_gen_xlsx(struct dlp_gbuf *out, const char *text, size_t n);
int dlp_gen_pptx(struct dlp_gbuf *out, const char *text, size_t n);
int dlp_gen_doc(struct dlp_gbuf *out, const char *text, size_t n);
/* Noise images of about n bytes. */
int dlp_gen_png(struct dlp_rng *r, struct dlp_gbuf *out, size_t n);
int dlp_gen_jpeg(struct dlp_rng *r, struct dlp_gbuf *out, size_t n);

/* A zip of named members; stored when store is set, else deflated. */
struct dlp_gen_member {
	const char *name;
	const char *data;
	size_t len;
};
int dlp_gen_zip(
    struct dlp_gbuf *out, const struct dlp_gen_member *m, size_t n, int store);

/* A winmail.dat: a TNEF body plus one attached file. */
int dlp_gen_tnef(struct dlp_gbuf *out, const char *body, size_t nbody,
    const char *fname, const char *data, size_t ndata);

#endif
