#!/usr/bin/env bash
# End-to-end: `sunbid audit fill/export` and `sunbid-verify` with their exit
# codes (0 ok, 1 a bad entry or checkpoint, 2 unusable input).
set -uo pipefail
SUNBID="$1"
VERIFY="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect() {  # expect CODE PATTERN -- command...
  local want="$1" pattern="$2"; shift 3
  local out code
  out=$("$@" 2>&1); code=$?
  [ "$code" -eq "$want" ] || fail "exit $code (want $want) from: $* :: $out"
  echo "$out" | grep -Eq -- "$pattern" || fail "output of '$*' lacks /$pattern/: $out"
}

"$SUNBID" audit fill --data-dir "$work/data" --entries 2000 >/dev/null || fail "fill"
"$SUNBID" audit export --data-dir "$work/data" --out "$work/export" >/dev/null || fail "export"
key=$(cat "$work/export/key")

# The data directory and the database are private.
[ "$(stat -c %a "$work/data")" = 700 ] || fail "data dir mode $(stat -c %a "$work/data")"
for f in sunbid.db digest.key log-signing.key; do
  [ "$(stat -c %a "$work/data/$f")" = 600 ] || fail "$f mode $(stat -c %a "$work/data/$f")"
done

expect 0 "^OK: 2000 entries \(0 withheld\).*key pinned" -- "$VERIFY" log "$work/export" --key "$key"
expect 0 "^OK: 2000 entries.*key pinned" -- "$VERIFY" log "$work/data/sunbid.db" --key "$work/export/key"

# Withheld entries: the public export holds their stubs and verifies; the
# private one holds them in full, mode 0600, with a warning.
"$SUNBID" audit fill --data-dir "$work/wdata" --entries 100 --withheld-every 10 >/dev/null || fail "fill withheld"
expect 0 "public view: 10 withheld entries as stubs" -- "$SUNBID" audit export --data-dir "$work/wdata" --out "$work/wpub"
[ "$(grep -c '^{"entry_hash":' "$work/wpub/entries.jsonl")" = 10 ] || fail "the public export lacks its 10 stubs"
expect 0 "^OK: 100 entries \(10 withheld\).*key pinned" -- "$VERIFY" log "$work/wpub" --key "$work/wpub/key"
expect 0 "WARNING.*withheld" -- "$SUNBID" audit export --data-dir "$work/wdata" --out "$work/wpriv" --private
[ "$(grep -c '^{"entry_hash":' "$work/wpriv/entries.jsonl")" = 0 ] || fail "the private export has stubs"
[ "$(stat -c %a "$work/wpriv/entries.jsonl")" = 600 ] || fail "private export mode"
expect 0 "^OK: 100 entries \(0 withheld\)" -- "$VERIFY" log "$work/wpriv" --key "$work/wpriv/key"
expect 0 "^OK: 100 entries \(10 withheld\)" -- "$VERIFY" log "$work/wdata/sunbid.db" --key "$work/wpub/key"
expect 0 "key not pinned" -- "$VERIFY" log "$work/data/sunbid.db"
expect 0 "^OK: checkpoint" -- "$VERIFY" checkpoint --key "$key" "$work/export/checkpoint"
cp "$work/export/checkpoint" "$work/old-checkpoint"

# The log grows; the old checkpoint stays consistent with it.
"$SUNBID" audit fill --data-dir "$work/data" --entries 500 >/dev/null || fail "fill 2"
expect 0 "only grew: 2500 entries" -- "$VERIFY" consistency --key "$key" "$work/old-checkpoint" "$work/data/sunbid.db"

# A changed entry in a database copy is named itself (issue 11, item 17).
cp "$work/data/sunbid.db" "$work/changed.db"
[ -f "$work/data/sunbid.db-wal" ] && cp "$work/data/sunbid.db-wal" "$work/changed.db-wal"
sqlite3 "$work/changed.db" "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET entry = replace(entry, '\"n\":100,', '\"n\":999,') WHERE idx = 100" || fail "sqlite3 tamper"
expect 1 "^entry 100: its bytes no longer match" -- "$VERIFY" log "$work/changed.db" --key "$key"

# A changed entry in an export (one checkpoint, no stored tree): the entry
# after it is blamed, whose chain link broke.
cp -r "$work/export" "$work/bad"
sed -i '101s/"n":100/"n":999/' "$work/bad/entries.jsonl"
expect 1 "^entry 101: chain link broken" -- "$VERIFY" log "$work/bad" --key "$key"

# A truncated export.
cp -r "$work/export" "$work/short"
head -n 1500 "$work/export/entries.jsonl" > "$work/short/entries.jsonl"
expect 1 "^checkpoint \(tree size 2000\).*truncated" -- "$VERIFY" log "$work/short" --key "$key"

# Another key pinned.
other=$(mktemp -d)
"$SUNBID" audit fill --data-dir "$other/data" --entries 1 >/dev/null
"$SUNBID" audit export --data-dir "$other/data" --out "$other/export" >/dev/null
expect 1 "checkpoint" -- "$VERIFY" log "$work/export" --key "$(cat "$other/export/key")"
rm -rf "$other"

# Unusable input.
echo "garbage" > "$work/garbage.db"
expect 2 "unusable" -- "$VERIFY" log "$work/garbage.db" --key "$key"
expect 2 "unusable" -- "$VERIFY" log "$work/nonexistent" --key "$key"
printf 'not a note' > "$work/garbled"
expect 1 "checkpoint" -- "$VERIFY" checkpoint --key "$key" "$work/garbled"
expect 2 "" -- "$VERIFY" checkpoint --key "not+a+key" "$work/export/checkpoint"
expect 2 "" -- "$VERIFY" frobnicate

# A database from a newer sunbid is refused and left untouched.
sqlite3 "$work/data/sunbid.db" "PRAGMA user_version = 999" || fail "sqlite3"
before=$(sha256sum "$work/data/sunbid.db")
expect 1 "newer than this binary" -- "$SUNBID" audit fill --data-dir "$work/data" --entries 1
[ "$before" = "$(sha256sum "$work/data/sunbid.db")" ] || fail "the newer database was modified"

echo "audit CLI: all checks passed"
