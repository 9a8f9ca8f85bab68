#!/usr/bin/env python3
"""Writes the error-code registry (audit_log/src/error_codes.cc) into
schemas/openapi.json as x-error-codes, {code: {status, kind, zh, en}}.

    cmake --build build/dev --target sunbid-error-codes
    python3 scripts/gen-error-codes.py [--bin build/dev/server/sunbid-error-codes] [--check]

--check changes nothing and exits 1 when the file is out of date (the C++
test tests/server/error_kinds_test.cc checks the same thing on every build).
"""
import argparse
import json
import os
import subprocess
import sys

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(SOURCE, "build", "dev", "server", "sunbid-error-codes"))
    ap.add_argument("--openapi", default=os.path.join(SOURCE, "schemas", "openapi.json"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    codes = json.loads(subprocess.run([args.bin], check=True, capture_output=True, text=True).stdout)
    with open(args.openapi, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("x-error-codes") == codes:
        print("x-error-codes is up to date")
        return 0
    if args.check:
        print("x-error-codes is out of date: run scripts/gen-error-codes.py", file=sys.stderr)
        return 1
    # Keep the key beside x-changelog, before the long paths object.
    out = {}
    for k, v in doc.items():
        if k != "x-error-codes":
            out[k] = v
        if k == "x-changelog":
            out["x-error-codes"] = codes
    out.setdefault("x-error-codes", codes)
    with open(args.openapi, "w", encoding="utf-8") as f:
        f.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(codes)} codes into {args.openapi}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
