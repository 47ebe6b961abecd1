#!/bin/sh
# seeds.sh NAME OUTDIR - write the seed corpus of harness fuzz_NAME into
# OUTDIR, made at run time from the project's fixtures (tests/messages,
# tests/dlpd, signatures/, examples/) and, when present, the shared corpus
# (../shared/corpus, or $DLP_CORPUS). Nothing here is committed data.
# Files over 256 KiB are left out (libFuzzer's -max_len handles the rest).
set -eu
name=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
corpus=${DLP_CORPUS:-$src/../shared/corpus}
[ -d "$corpus" ] || corpus=""
mkdir -p "$out"
n=0

# put FILE [PREFIX-BYTE-OCTAL]: copy one seed (optionally prefixed).
put() {
	[ -f "$1" ] || return 0
	[ "$(wc -c <"$1")" -le 262144 ] || return 0
	n=$((n + 1))
	if [ $# -gt 1 ]; then
		{ printf "\\$2"; cat "$1"; } >"$out/s$n"
	else
		cp "$1" "$out/s$n"
	fi
}
# text STRING: one seed from a string (printf escapes allowed).
text() {
	n=$((n + 1))
	printf "$1" >"$out/s$n"
}
# shared corpus files matching a find expression, at most $1 of them.
shared() {
	max=$1
	shift
	[ -n "$corpus" ] || return 0
	find "$corpus" -type f "$@" 2>/dev/null | sort | head -n "$max"
}
messages() {
	ls "$src"/tests/messages/*.eml "$src"/tests/dlpd/*.eml \
	    "$src"/examples/*.eml 2>/dev/null
	shared 400 \( -name '*.eml' -o -name '*.msg' \)
}

case $name in
mime | scan)
	for f in $(messages); do put "$f"; done
	;;
decode)
	# The first byte picks the decoder (fuzz_decode.c).
	text '\000U0VDUkVUIC8vIE5PRk9STg==\n'
	text '\001TOP =\nSECRET=3D=C3=A9 =\r\nend\n'
	text '\002=?utf-8?q?OFFICIAL=E2=80=91SENSITIVE?='
	text '\003begin 644 a.txt\n%%4T5#4D54\n`\nend\n'
	text '\004=ybegin line=128 size=6 name=a.txt\nSECRET\n=yend size=6\n'
	text '\005=?utf-8?b?U0VDUkVU?= =?iso-8859-1?q?caf=E9?= x'
	text '\006=?shift_jis?b?gqCCog==?= =?utf-8?q?a?==?utf-8?q?b?='
	for f in $(messages | head -40); do put "$f" 001; done
	;;
charset)
	i=0
	for f in $(messages | head -60); do
		put "$f" "$(printf '%03o' $((i % 26)))"
		i=$((i + 1))
	done
	text '\006\377\376S\000E\000C\000R\000E\000T\000'
	text '\016\033$B$3$s$K$A$O\033(B'
	;;
html)
	text '<p>S<b>EC</b>RET &#83;ECRET OFFICIAL&#8209;SENSITIVE</p>'
	text '<html><head><style>x{}</style></head><body><!--[if mso]>TOP '
	for f in $(shared 200 \( -name '*.html' -o -name '*.htm' \)); do
		put "$f"
	done
	;;
normalise)
	text 'OFFICIAL\342\200\223SENSITIVE S\342\200\213ECRET \320\205\320\225CRET'
	text 'TOP\302\240 SECRET\r\n\357\274\263\357\274\245'
	for f in $(messages | head -40); do put "$f"; done
	;;
address)
	text '"Doe, J" <j@x.example>, undisclosed:;, a@b (c), <@r:d@e>'
	for f in $(messages | head -200); do
		n=$((n + 1))
		grep -i '^\(to\|cc\|from\|bcc\):' "$f" 2>/dev/null |
		    sed 's/^[^:]*://' >"$out/s$n" || true
	done
	;;
sigdb)
	for f in "$src"/signatures/*.sig; do put "$f"; done
	;;
policy)
	put "$src/signatures/policy.conf"
	;;
config)
	text 'data_dir = /nonexistent\nmax_parts = 10K\nmax_depth = 4\n'
	text 'internal_domain = corp.example\ncache_dir = c\npolicy = p\n'
	;;
domain)
	text 'a@army.mil\nb@army.ml\nc@xn--rmy-5cd.mil\nd@example.org\n'
	text 'x@corp.example\ny@c0rp.example\nz@gov.uk\nq@g0v.uk\n@\n'
	for f in "$src"/signatures/domains/*.txt; do put "$f"; done
	;;
dlpd)
	text '\000Rcpt: a@b, c@d\nFrom: x@y\nDLP-Request-Id: r-1\n\nbody\n'
	put "$src/daemon/dlpd.conf.example" 001
	for f in "$src"/tests/dlpd/*.eml; do put "$f" 000; done
	;;
archive | ooxml | odf | rtf | pdf | pdfobj)
	case $name in
	archive) ex='-name *.tnef -o -name *.doc -o -name *.xls -o -name *.zip -o -name *.tar -o -name *.gz -o -name *.7z -o -name *.rar -o -name *.cpio -o -name *.iso' ;;
	ooxml) ex='-name *.docx -o -name *.xlsx -o -name *.pptx' ;;
	odf) ex='-name *.odt -o -name *.ods -o -name *.odp' ;;
	rtf) ex='-name *.rtf' ;;
	pdf | pdfobj) ex='-name *.pdf' ;;
	esac
	set -f # the patterns are for find, not the shell
	# shellcheck disable=SC2086
	files=$(shared 200 \( $ex \))
	set +f
	for f in $files; do put "$f"; done
	[ "$name" = rtf ] && text '{\\rtf1\\ansi{\\fonttbl}S\\u69?CRET\\par}'
	;;
*)
	echo "seeds.sh: unknown harness $name" >&2
	exit 2
	;;
esac
# Never an empty corpus.
[ "$n" -gt 0 ] || text 'x'
