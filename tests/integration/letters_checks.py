"""(l) owners: activation letters as a PDF (issue 13 §1), over HTTPS.

A 200-unit community (five buildings, some owners with two units) is
imported (SUNBID_LETTERS_UNITS, a multiple of 5, sets another size: issue
13's done-when run uses 2,000 against a release build); its tenderer issues codes for every owner key asking for
`Accept: application/pdf`. The answer is the letters: one page per owner
key, grouped by building. The test reads the PDF back with pdftotext
(poppler-utils) and finds on each page one code with the documented check
symbol and that page's owner key, every owner exactly once, in building
order; then an owner activates with a code read from the paper. The codes
are in no other answer: the JSON of a second batch is not asked for.
"""
import os
import re
import secrets
import shutil
import subprocess

from activation_checks import check_symbol, plain
from harness import Skip

CODE_ON_PAGE = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z])\b")
OWNER_ON_PAGE = re.compile(r"Owner key:\s*(\S+)")
UNITS = int(os.environ.get("SUNBID_LETTERS_UNITS", "200"))


def _roster(tag):
    rows = ["unit,area_centi_m2,owner_key,owner_name,status"]
    owners = []
    n = 0
    for b in range(1, 6):
        for i in range(1, UNITS // 5 + 1):
            unit = f"{b}-1-{i:04d}"
            # Every tenth owner also holds the next unit (1-1-0001 and
            # 1-1-0002 are one owner's): one key, two units.
            if i % 10 == 2:
                key = owners[-1]
            else:
                key = f"L{tag}-{b}-{i:02d}"
                owners.append(key)
            rows.append(f"{unit},{8000 + (n % 7) * 350},{key},业主{key[-5:]},sold")
            n += 1
    return "\n".join(rows) + "\n", owners


def check_letters(ctx, results):
    c, r = ctx.client, results
    if shutil.which("pdftotext") is None:
        raise Skip("pdftotext (poppler-utils) is not installed")
    tag = secrets.token_hex(2)
    admin = c.login("admin", ctx.server.admin_password)
    a = c.request("POST", "/communities", token=admin, json_body={
        "name": "信函测试花园", "district": "海沧区", "street": "海沧街道", "address": "滨湖北路 88 号"})
    r.check("letters: POST /communities → 201", a.status == 201, a.body[:200])
    community = a.json()["id"]
    csv, owners = _roster(tag)
    a = c.request("PUT", f"/communities/{community}/roster", token=admin, data=csv.encode("utf-8"),
                  headers={"Content-Type": "text/csv; charset=utf-8"})
    r.check(f"letters: a {UNITS}-unit roster imported", a.status == 200 and a.json()["units"] == UNITS,
            a.body[:200])
    user, pw = f"letters.tenderer.{tag}", f"letters-pw-{tag}"
    a = c.request("POST", "/accounts", token=admin, json_body={
        "username": user, "password": pw, "role": "tenderer", "display_name": "信函业委会",
        "community_id": community})
    r.check("letters: the community's tenderer", a.status == 201, a.body[:200])
    tenderer = c.login(user, pw)

    before = c.log_size()
    a = c.request("POST", f"/communities/{community}/activation-codes", token=tenderer, json_body={},
                  headers={"Accept": "application/pdf"})
    r.check("letters: issuing with Accept: application/pdf → 201 application/pdf",
            a.status == 201 and (a.content_type or "").startswith("application/pdf") and a.body[:5] == b"%PDF-",
            f"{a.status} {a.content_type} {a.body[:80]!r}")
    if a.status != 201:
        return
    r.check("letters: Content-Disposition attachment with a UTF-8 file name, no-store",
            a.headers.get("Content-Disposition", "").startswith("attachment; filename*=UTF-8''activation-letters-")
            and a.headers.get("Cache-Control") == "no-store", str(a.headers))
    r.check("letters: the batch is one entry", c.log_size() == before + 1)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=a.body, capture_output=True,
                          timeout=120).stdout.decode("utf-8")
    pages = [p for p in text.split("\f") if p.strip()]
    found, bad = [], []
    for i, page in enumerate(pages):
        codes = set(CODE_ON_PAGE.findall(page))
        keys = OWNER_ON_PAGE.findall(page)
        if len(codes) != 1 or len(keys) != 1:
            bad.append(f"page {i + 1}: codes {sorted(codes)} keys {keys}")
            continue
        code = codes.pop()
        p = plain(code)
        if check_symbol(p[:12]) != p[12]:
            bad.append(f"page {i + 1}: {code} fails its check symbol")
        found.append((keys[0], code))
    r.check(f"letters: each of the {len(pages)} pages has one well-formed code and its owner key",
            not bad and len(pages) == len(owners), "; ".join(bad[:5]) or f"{len(pages)} pages")
    r.check(f"letters: every owner key exactly once ({len(owners)} owners, {UNITS} units)",
            sorted(k for k, _ in found) == sorted(owners), str(sorted(set(owners) - {k for k, _ in found}))[:300])
    r.check("letters: grouped by building, in the roster's order",
            [k for k, _ in found] == owners, str([k for k, _ in found][:12]))
    two_units = owners[0]  # holds 1-1-0001 and 1-1-0002
    page = next((p for p in pages if f"Owner key: {two_units}" in p), "")
    r.check("letters: an owner with two units has both on the page",
            "1-1-0001" in page and "1-1-0002" in page, page[:500])

    # An owner types the code from the paper.
    key, code = found[0]
    a = c.request("POST", "/activate", json_body={"code": code, "username": f"letters.owner.{tag}",
                                                  "password": "owner-letter-pw"})
    r.check("letters: an owner activates with the code printed on the letter → 201",
            a.status == 201, a.body[:300])
    a = c.request("POST", "/activate", json_body={"code": code, "username": f"letters.owner2.{tag}",
                                                  "password": "owner-letter-pw"})
    r.check("letters: the same code again → 409 activation_code_used",
            a.status == 409 and a.code == "activation_code_used", a.body[:300])
