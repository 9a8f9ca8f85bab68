"""(j) open data: OCDS 1.1 releases (issue 14 §2).

Runs after the scenarios and the other rules checks, so that the feed holds
tenders of every decision method at every stage: published, amended,
opened, awarded, contracted, failed, cancelled. It reads the whole feed page by page,
then checks:
- every page is a release package valid against the official OCDS 1.1.5
  release package schema with the bids extension v1.1.5 (the derived schema
  in ../shared/conformance/ocds), Draft 4, with date-times checked here
  (Debian's python3-jsonschema does not check `date-time`); the validator
  first has to reject every file in examples/authored/invalid/, so that a
  validator that accepts everything fails this check;
- the codelist values are the listed ones (closed lists are enums in the
  schema; the open lists used here are compared with the CSVs);
- ocids are stable and release ids unique and immutable (a second read of
  the feed gives the same bytes);
- nothing before its time: no release before a tender's opening names a
  bidder, a price or a count of bidders; a tender that failed unopened or
  was cancelled has no `bids`;
- every valid bid's amount is the opening record's price in fen / 100,
  exactly (compared as decimals), in CNY;
- GET /tenders/{id}/ocds is the tender's releases in log order, 404 for an
  unknown tender, and a malformed `after` is a 400.
"""
import csv
import gzip
import json
import os
import re
import time
from datetime import datetime
from decimal import Decimal

from harness import Skip

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RELEASE_SCHEMA_URI = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def _date_time_ok(value):
    if not isinstance(value, str) or not RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _validator(ocds_dir):
    import jsonschema
    release = json.load(open(os.path.join(ocds_dir, "derived", "release-schema+bids-v1.1.5.json")))
    package = json.load(open(os.path.join(ocds_dir, "release-package-schema.json")))
    store = {RELEASE_SCHEMA_URI: release, release.get("id", RELEASE_SCHEMA_URI): release}
    resolver = jsonschema.RefResolver.from_schema(package, store=store)
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time")
    def _dt(value):  # noqa: ANN001 (jsonschema's signature)
        return not isinstance(value, str) or _date_time_ok(value)

    v = jsonschema.Draft4Validator(package, resolver=resolver, format_checker=checker)

    def errors(doc):
        out = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(doc)]
        # Our own date-time walk: every member the schema formats as
        # date-time is one of these names.
        def walk(x, path):
            if isinstance(x, dict):
                for k, y in x.items():
                    if k in ("date", "publishedDate", "startDate", "endDate", "maxExtentDate",
                             "datePublished", "dateModified", "dateSigned") and not _date_time_ok(y):
                        out.append(f"{path}/{k}: not an RFC 3339 date-time: {y!r}")
                    walk(y, f"{path}/{k}")
            elif isinstance(x, list):
                for i, y in enumerate(x):
                    walk(y, f"{path}/{i}")
        walk(doc, "")
        return out
    return errors


def _codes(ocds_dir, name, ext=False):
    base = os.path.join(ocds_dir, "extensions", "bids", "v1.1.5", "codelists") if ext else \
        os.path.join(ocds_dir, "codelists")
    with open(os.path.join(base, name), newline="", encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def _read_feed(c, limit=20):
    releases, pages, after = [], [], None
    for _ in range(10000):
        params = {"limit": limit}
        if after is not None:
            params["after"] = after
        a = c.request("GET", "/ocds/releases", params=params)
        if a.status != 200:
            raise AssertionError(f"GET /ocds/releases → {a.status} {a.body[:300]!r}")
        doc = a.json()
        pages.append((a.body, doc))
        if not doc["releases"]:
            break
        releases.extend(doc["releases"])
        nxt = re.search(r"after=(\d+)", doc["links"]["next"])
        after = int(nxt.group(1))
    return releases, pages


def _check_codings(c, r, releases):
    """The feed over the wire: gzip when asked for, the same bytes decoded; a
    strong ETag per coding and 304 on If-None-Match; a complete page
    immutable, the feed's end revalidated."""
    target = "/api/v1/ocds/releases?limit=2"
    plain = c.raw("GET", target)
    zipped = c.raw("GET", target, headers={"Accept-Encoding": "gzip"})
    refused = c.raw("GET", target, headers={"Accept-Encoding": "gzip;q=0, identity"})
    r.check("ocds: without Accept-Encoding the page is sent as it is",
            plain.status == 200 and "Content-Encoding" not in plain.headers
            and plain.body.startswith(b"{"), (plain.status, dict(plain.headers)))
    r.check("ocds: Accept-Encoding gzip gets gzip, which decodes to the same bytes (Vary: Accept-Encoding)",
            zipped.status == 200 and zipped.headers.get("Content-Encoding") == "gzip"
            and gzip.decompress(zipped.body) == plain.body
            and len(zipped.body) < len(plain.body)
            and zipped.headers.get("Vary") == "Accept-Encoding",
            (zipped.status, dict(zipped.headers), len(zipped.body), len(plain.body)))
    r.check("ocds: gzip;q=0 is honoured (identity)",
            refused.status == 200 and "Content-Encoding" not in refused.headers
            and refused.body == plain.body, dict(refused.headers))
    e_plain, e_zip = plain.headers.get("ETag", ""), zipped.headers.get("ETag", "")
    r.check("ocds: each coding has its own strong ETag",
            re.fullmatch(r'"[0-9a-f]{16}"', e_plain) is not None and e_zip == e_plain[:-1] + '-gzip"',
            (e_plain, e_zip))
    again = c.raw("GET", target, headers={"If-None-Match": e_plain})
    again_zip = c.raw("GET", target, headers={"If-None-Match": e_zip, "Accept-Encoding": "gzip"})
    crossed = c.raw("GET", target, headers={"If-None-Match": e_plain, "Accept-Encoding": "gzip"})
    r.check("ocds: If-None-Match with the page's ETag answers 304 without a body, per coding",
            again.status == 304 and not again.body and again_zip.status == 304
            and crossed.status == 200 and crossed.headers.get("Content-Encoding") == "gzip",
            (again.status, again_zip.status, crossed.status))
    if len(releases) > 2:
        r.check("ocds: a complete page is immutable",
                plain.headers.get("Cache-Control") == "public, max-age=31536000, immutable",
                plain.headers.get("Cache-Control"))
    last = releases[-1]["id"].removeprefix("log-")
    end = c.raw("GET", f"/api/v1/ocds/releases?after={int(last) - 1}&limit=100")
    r.check("ocds: the feed's end (an incomplete page) is revalidated, never immutable",
            end.status == 200 and end.headers.get("Cache-Control") == "public, no-cache"
            and end.headers.get("ETag"), dict(end.headers))


def check_ocds(ctx, results):
    c, r = ctx.client, results
    ocds_dir = os.path.join(ctx.args.conformance, "ocds")
    if not os.path.isdir(ocds_dir):
        raise Skip(f"{ocds_dir} does not exist (../shared/conformance is laid out by CI only)")
    errors = _validator(ocds_dir)

    # The validator must be able to fail.
    inv = os.path.join(ocds_dir, "examples", "authored", "invalid")
    files = sorted(f for f in os.listdir(inv) if f.endswith(".json"))
    accepted = [f for f in files if not errors(json.load(open(os.path.join(inv, f))))]
    r.check(f"ocds: the validator rejects each of the {len(files)} invalid examples",
            files and not accepted, f"accepted: {accepted}")
    for f in ("tender-release-package.json", "award-with-bids-release-package.json"):
        doc = json.load(open(os.path.join(ocds_dir, "examples", "authored", f)))
        r.check(f"ocds: the validator accepts the valid example {f}", not errors(doc), errors(doc)[:3])

    # The tick makes releases within a second; the feed also catches up itself.
    time.sleep(1.2)
    releases, pages = _read_feed(c)
    r.check(f"ocds: the feed holds releases ({len(releases)} in {len(pages)} pages)", len(releases) > 0)
    bad = []
    for body, doc in pages:
        if doc["releases"]:
            e = errors(doc)
            if e:
                bad.append(e[:3])
    r.check(f"ocds: every feed page validates against release-package-schema with bids v1.1.5 "
            f"({sum(1 for _, d in pages if d['releases'])} pages)", not bad, repr(bad[:2])[:1500])

    party_roles = _codes(ocds_dir, "partyRole.csv")
    submission = _codes(ocds_dir, "submissionMethod.csv")
    award_criteria = _codes(ocds_dir, "awardCriteria.csv")
    bid_stats = _codes(ocds_dir, "bidStatistics.csv", ext=True)
    tags = _codes(ocds_dir, "releaseTag.csv")
    wrong = []
    for rel in releases:
        for p in rel.get("parties", []):
            wrong += [f"{rel['id']}: role {x}" for x in p.get("roles", []) if x not in party_roles]
        t = rel.get("tender", {})
        wrong += [f"{rel['id']}: submissionMethod {x}" for x in t.get("submissionMethod", [])
                  if x not in submission]
        if t.get("awardCriteria") and t["awardCriteria"] not in award_criteria:
            wrong.append(f"{rel['id']}: awardCriteria {t['awardCriteria']}")
        wrong += [f"{rel['id']}: measure {s['measure']}" for s in rel.get("bids", {}).get("statistics", [])
                  if s["measure"] not in bid_stats]
        wrong += [f"{rel['id']}: tag {x}" for x in rel["tag"] if x not in tags]
    r.check("ocds: open codelist values are the listed ones (partyRole, submissionMethod, "
            "awardCriteria, bidStatistics, releaseTag)", not wrong, wrong[:5])

    _check_codings(c, r, releases)

    ids = [(x["ocid"], x["id"]) for x in releases]
    r.check("ocds: release ids are unique within their ocid", len(ids) == len(set(ids)))
    again, _ = _read_feed(c, limit=7)
    first = {(x["ocid"], x["id"]): x for x in releases}
    changed = [k for k in ids if k in {(y["ocid"], y["id"]) for y in again}
               and first[k] != next(y for y in again if (y["ocid"], y["id"]) == k)]
    r.check("ocds: a second read (other page size) gives the same releases, unchanged",
            not changed and len(again) >= len(releases), changed[:3])

    by_ocid = {}
    for x in releases:
        by_ocid.setdefault(x["ocid"], []).append(x)
    early, price_bad, failed_bids, checked_prices = [], [], [], 0
    for ocid, rels in by_ocid.items():
        tender_id = rels[0]["tender"]["id"]
        r_tags = [x["tag"][0] for x in rels]
        opened = False
        for x in rels:
            if x["tag"] == ["tenderUpdate"] and "bids" in x:
                opened = True
            if not opened and ("bids" in x or "tenderers" in x["tender"] or
                               "numberOfTenderers" in x["tender"] or
                               any("tenderer" in p["roles"] for p in x["parties"])):
                early.append(f"{ocid} {x['id']}")
        last = rels[-1]
        if last["tender"]["status"] in ("cancelled", "unsuccessful") and "award" not in r_tags and \
                not opened and "bids" in last:
            failed_bids.append(ocid)
        if opened:
            a = c.request("GET", f"/tenders/{tender_id}/opening")
            if a.status == 200:
                rows = {row["bid_id"]: row for row in a.json()["items"]}
                for d in last["bids"].get("details", []):
                    row = rows.get(d["id"])
                    if row is None:
                        price_bad.append(f"{ocid}: bid {d['id']} not in the opening record")
                        continue
                    if row.get("valid"):
                        fen = row.get("price_fen_per_m2_month", (row.get("bid") or {}).get("price_fen_per_m2_month"))
                        amount = d.get("value", {}).get("amount")
                        checked_prices += 1
                        if amount is None or Decimal(str(amount)) != Decimal(fen) / 100 or \
                                d["value"].get("currency") != "CNY":
                            price_bad.append(f"{ocid}: {d['id']} amount {amount} vs {fen} fen")
    r.check(f"ocds: nothing before its time — no bidder, count or price before the opening "
            f"({len(by_ocid)} tenders)", not early, early[:5])
    r.check("ocds: a tender that failed unopened or was cancelled has no bids object", not failed_bids,
            failed_bids[:5])
    r.check(f"ocds: every valid bid's amount is its opening price in fen / 100, exactly, in CNY "
            f"({checked_prices} bids)", checked_prices > 0 and not price_bad, price_bad[:5])

    awarded = [o for o, rels in by_ocid.items() if any(x["tag"] == ["award"] for x in rels)]
    r.check(f"ocds: awards name a supplier among the tenderers, with relatedBid ({len(awarded)} tenders)",
            awarded and all(
                all(aw["relatedBid"] in {d["id"] for d in rels[-1]["bids"]["details"]} and
                    aw["suppliers"][0]["id"] in {p["id"] for p in rels[-1]["parties"] if "supplier" in p["roles"]}
                    for aw in rels[-1].get("awards", []))
                for o, rels in by_ocid.items() if o in awarded), awarded[:3])

    # Every tender whose award publicity ended has its award, whatever its method decided it
    # (a lottery's draw.made included).
    no_award = [o for o, rels in by_ocid.items()
                if any(x["tag"] == ["awardUpdate"] for x in rels) and not rels[-1].get("awards")]
    r.check("ocds: every awarded tender has its award (lotteries included)", not no_award, no_award[:5])

    # 合同: the contract release follows the award (POST /tenders/{id}/contract, recorded by the
    # scenarios), with the award's id and value and the signed document's digest.
    contracted = [o for o, rels in by_ocid.items() if any(x["tag"] == ["contract"] for x in rels)]
    bad_contracts = []
    for o in contracted:
        rel = next(x for x in by_ocid[o] if x["tag"] == ["contract"])
        k = rel.get("contracts", [{}])[0]
        aw = rel.get("awards", [{}])[0]
        if not (k.get("awardID") == aw.get("id") and k.get("value") == aw.get("value")
                and k.get("status") == "active" and _date_time_ok(k.get("dateSigned"))
                and k.get("documents", [{}])[0].get("documentType") == "contractSigned"
                and re.search(r"SHA-256 [0-9a-f]{64}", k.get("documents", [{}])[0].get("description", ""))):
            bad_contracts.append(f"{o}: {json.dumps(k, ensure_ascii=False)[:200]}")
    r.check(f"ocds: contract releases name their award, its value and the signed document's digest "
            f"({len(contracted)} tenders)", contracted and not bad_contracts, bad_contracts[:3])

    # The official documents (docs/documents.md): each document.published of a tender gives a
    # release linking its PDF (tenderUpdate, or awardUpdate for the award's notices), with an
    # OCDS documentType from the codelist; the links open the stored PDFs.
    doc_types = _codes(ocds_dir, "documentType.csv")
    doc_bad, doc_count, award_docs = [], 0, 0
    url_re = re.compile(r"/api/v1(/tenders/(T\d+)/documents/(\d+)\.pdf)$")
    for ocid, rels in by_ocid.items():
        last = rels[-1]
        docs = last["tender"].get("documents", []) + \
            [d for aw in last.get("awards", []) for d in aw.get("documents", [])]
        ids = [d["id"] for d in docs]
        if len(ids) != len(set(ids)):
            doc_bad.append(f"{ocid}: a document twice")
        for d in docs:
            doc_count += 1
            m = url_re.search(d.get("url", ""))
            if d.get("documentType") not in doc_types or not m or m.group(2) != last["tender"]["id"] or \
                    d["id"] != f"doc-{m.group(3)}" or d.get("format") != "application/pdf" or \
                    not _date_time_ok(d.get("datePublished")):
                doc_bad.append(f"{ocid}: {json.dumps(d, ensure_ascii=False)[:200]}")
        for aw in last.get("awards", []):
            award_docs += sum(1 for d in aw.get("documents", []) if d.get("documentType") == "awardNotice")
        if any(x["tag"] == ["awardUpdate"] for x in rels) and not any(
                d.get("documentType") == "awardNotice" for aw in last.get("awards", [])
                for d in aw.get("documents", [])):
            doc_bad.append(f"{ocid}: awarded without its 中标结果公示 in awards[0].documents")
        if not any(d.get("documentType") == "tenderNotice" for d in last["tender"].get("documents", [])):
            doc_bad.append(f"{ocid}: no 招标公告 link")
    r.check(f"ocds: every tender links its official documents' PDFs, typed from the documentType codelist "
            f"({doc_count} links, {award_docs} on awards)", doc_count > 0 and award_docs > 0 and not doc_bad,
            doc_bad[:4])
    # The seat-numbered 评标报告 is withheld until the decision: it is never linked, even once
    # public (a release must not depend on when the catch-up ran); the named one is.
    seat_linked, named_missing, reports = [], [], 0
    for ocid, rels in by_ocid.items():
        last = rels[-1]
        linked = {d["id"] for d in last["tender"].get("documents", []) +
                  [d for aw in last.get("awards", []) for d in aw.get("documents", [])]}
        a = c.request("GET", f"/tenders/{last['tender']['id']}/documents")
        if a.status != 200:
            continue
        for item in a.json()["items"]:
            if item["kind"] == "evaluation_report":
                reports += 1
                if f"doc-{item['log_index']}" in linked:
                    seat_linked.append(f"{ocid}: doc-{item['log_index']}")
            elif item["kind"] == "evaluation_report_named" and f"doc-{item['log_index']}" not in linked:
                named_missing.append(f"{ocid}: doc-{item['log_index']}")
    r.check(f"ocds: the seat-numbered 评标报告 is never linked, the named one always "
            f"({reports} seat-numbered reports public after their decision)",
            reports > 0 and not seat_linked and not named_missing, (seat_linked + named_missing)[:4])

    # The links of one awarded tender open its PDFs (the worker renders them after their entry).
    sample = next((rels[-1] for rels in by_ocid.values() if rels[-1].get("awards")), None)
    unopened = []
    if sample is not None:
        for d in sample["tender"].get("documents", []) + sample["awards"][0].get("documents", []):
            path = url_re.search(d["url"]).group(1)
            for _ in range(40):
                a = c.request("GET", path)
                if a.status != 404:
                    break
                time.sleep(0.25)
            if a.status != 200 or not a.body.startswith(b"%PDF"):
                unopened.append(f"{path}: {a.status}")
    r.check("ocds: an awarded tender's document links open its PDFs", sample is not None and not unopened,
            unopened[:4])

    # 选聘方案 (条例 27): a tender published on a passed selection plan opens with the planning
    # stage: the plan's motion, its budget's ceiling as the amount, and its 表决结果公告.
    planned, plan_bad = 0, []
    for ocid, rels in by_ocid.items():
        first = rels[0]
        a = c.request("GET", f"/tenders/{first['tender']['id']}")
        rules = a.json().get("rules", {}) if a.status == 200 else {}
        motion = rules.get("selection_plan_motion")
        if not motion:
            if "planning" in first:
                plan_bad.append(f"{ocid}: planning without a plan")
            continue
        planned += 1
        p = first.get("planning", {})
        budget = rules.get("budget_fen_per_m2_month") or {}
        amount = p.get("budget", {}).get("amount", {})
        docs = p.get("documents", [])
        if first["tag"] != ["planning", "tender"] or motion not in p.get("rationale", "") or \
                Decimal(str(amount.get("amount"))) != Decimal(budget.get("max", -1)) / 100 or \
                amount.get("currency") != "CNY" or len(docs) != 1 or \
                not docs[0].get("url", "").endswith(f"/api/v1/motions/{motion}/documents/"
                                                    f"{docs[0]['id'][4:]}.pdf"):
            plan_bad.append(f"{ocid}: {json.dumps(p, ensure_ascii=False)[:300]}")
    r.check(f"ocds: tenders on a selection plan open with its planning: budget ceiling, the motion's "
            f"表决结果公告 ({planned} tenders)", planned > 0 and not plan_bad, plan_bad[:3])

    # One tender's package.
    ocid, rels = next(iter(by_ocid.items()))
    tender_id = rels[0]["tender"]["id"]
    a = c.request("GET", f"/tenders/{tender_id}/ocds")
    doc = a.json() if a.status == 200 else {}
    r.check(f"ocds: GET /tenders/{tender_id}/ocds is its releases in log order, a valid package",
            a.status == 200 and [x["id"] for x in doc.get("releases", [])] ==
            [x["id"] for x in by_ocid[ocid]] and not errors(doc), a.body[:300])
    a = c.request("GET", "/tenders/T999999/ocds")
    r.check("ocds: an unknown tender → 404 tender_not_found", a.status == 404 and a.code == "tender_not_found",
            a.body[:200])
    for bad_after in ("x", "-1", "1.5"):
        a = c.request("GET", "/ocds/releases", params={"after": bad_after})
        r.check(f"ocds: after={bad_after!r} → 400 invalid_query", a.status == 400 and a.code == "invalid_query",
                a.body[:200])
    ctx.ocds_release_count = len(releases)
