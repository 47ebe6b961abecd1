/*
 * test_address.c - address lists as found in To/Cc/From headers.
 */
#include "address.h"
#include "test.h"

static enum dlp_status
collect(void *ctx, const char *a, size_t n)
{
	struct dlp_buf *b = ctx;

	if (b->len > 0)
		dlp_buf_putc(b, '|');
	dlp_buf_append(b, a, n);
	return DLP_OK;
}

static const struct {
	const char *in, *want;
} cases[] = {
    {"a@b.example", "a@b.example"},
    {"Alice <a@b.example>, bob@c.example", "a@b.example|bob@c.example"},
    {"\"Smith, John\" <j@x.example>", "j@x.example"},
    {"j@x.example (John Smith)", "j@x.example"},
    {"(comment (nested)) <j@x.example>", "j@x.example"},
    {"team: a@x.example, b@y.example;, c@z.example",
        "a@x.example|b@y.example|c@z.example"},
    {"<@relay.example:user@host.example>", "user@host.example"},
    {"a@x.example b@y.example", "a@x.example|b@y.example"},
    {"\"john smith\"@x.example", "\"john smith\"@x.example"},
    {"undisclosed-recipients:;", ""},
    {"", ""},
    {"no address here", ""},
    {"<>", ""},
    {"Dana <someone@army.ml>", "someone@army.ml"},
    {"a@[192.0.2.1]", "a@[192.0.2.1]"},
    {"=?UTF-8?B?w6k=?= <e@x.example>", "e@x.example"},
    {"broken <a@x.example", "a@x.example"},
};

TEST(table)
{
	struct dlp_mem m;

	dlp_mem_init_default(&m);
	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		struct dlp_buf b;

		dlp_buf_init(&b, &m);
		CHECK(dlp_address_list(&m, cases[i].in, strlen(cases[i].in),
		          collect, &b) == DLP_OK);
		CHECK_MSG(strcmp(b.p ? (char *)b.p : "", cases[i].want) == 0,
		    "\"%s\": got \"%s\", want \"%s\"", cases[i].in,
		    b.p ? (char *)b.p : "", cases[i].want);
		dlp_buf_fini(&b);
	}
}

TEST(hostile_lengths)
{
	struct dlp_mem m;
	struct dlp_buf b, in;

	dlp_mem_init_default(&m);
	dlp_buf_init(&in, &m);
	dlp_buf_init(&b, &m);
	for (int i = 0; i < 100000; i++)
		dlp_buf_puts(&in, "((((\"x");
	CHECK(
	    dlp_address_list(&m, (char *)in.p, in.len, collect, &b) == DLP_OK);
	dlp_buf_reset(&in);
	for (int i = 0; i < 2000; i++)
		dlp_buf_putc(&in, 'a');
	dlp_buf_puts(&in, "@x.example, ok@y.example");
	CHECK(
	    dlp_address_list(&m, (char *)in.p, in.len, collect, &b) == DLP_OK);
	CHECK(b.p != NULL && strcmp((char *)b.p, "ok@y.example") == 0);
	dlp_buf_fini(&in);
	dlp_buf_fini(&b);
}

TEST_MAIN()
