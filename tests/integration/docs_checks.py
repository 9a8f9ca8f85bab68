"""(j2) official documents: the 招标公告 as a verifiable PDF (issue 14 §1), over HTTPS.

A tenderer of a new community publishes a tender. The publish command
writes a public document.published entry with the SHA-256 of the notice's
source data; the server's document worker renders the PDF once a checkpoint
covers that entry and appends document.rendered. The test waits for the
documents list to show the notice rendered, then checks:
- the list against the log: log_index is a document.published entry of the
  tender whose source_sha256 is the list's source digest; rendered_log_index
  is its document.rendered entry, naming the same published index and the
  PDF's SHA-256 the list gives;
- the PDF: application/pdf whose SHA-256 is the list's digest, the ETag
  (that digest, quoted), Cache-Control public/immutable, a Content-Disposition
  with filename*=UTF-8''招标公告-…; If-None-Match with the ETag → 304;
- its text, read back with pdftotext: the tender's title, id and community
  name, the bid deadline in China time as the API gives it, and in the
  footer the log index, the checkpoint size and the source digest;
- one 404 document_not_found for an unknown index, an index of another
  kind of entry, a non-number, an unknown tender and the document asked
  under another tender; a draft's list is 404 for the public;
- across every tender the earlier steps made (the scenarios of every
  decision method, the rules checks): each has its 招标公告, each failed one
  its 流标公告 (too few bidders, too few valid or qualified bids, a failed
  decision), each document rendered, and no 流标公告 prints a count of
  bidders;
- the stage notices of those tenders: a 开标记录表 exactly when GET /opening
  is public, a 中标候选人公示 exactly when GET /candidates is, a 中标结果公示
  exactly when the tender has an award; each PDF's digest is the listed one,
  its footer names its log index and source digest, and its text holds what
  the API gives (every bidder, the valid bids' prices and document digests;
  the candidates and their prices and no other bidder; the winner and its
  price).
"""
import hashlib
import re
import secrets
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone

from harness import Skip

import scenarios

DAY = 86400
CHINA = timezone(timedelta(hours=8))


def _parse_time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def _rfc3339(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _entry(c, index):
    a = c.request("GET", "/audit/entries", params={"start": index, "end": index + 1})
    items = a.json().get("items", []) if a.status == 200 else []
    return items[0] if items else {}


def check_docs(ctx, results):
    c, r = ctx.client, results
    if shutil.which("pdftotext") is None:
        raise Skip("pdftotext (poppler-utils) is not installed")
    tag = secrets.token_hex(2)
    admin = c.login("admin", ctx.server.admin_password)
    name = f"公告测试花园{tag}"
    a = c.request("POST", "/communities", token=admin, json_body={
        "name": name, "district": "集美区", "street": "侨英街道", "address": "集美区侨英路 18 号"})
    r.check("docs: POST /communities → 201", a.status == 201, repr(a))
    community = a.json()["id"]
    user, pw = f"docs.tenderer.{tag}", f"docs-pw-{tag}"
    a = c.request("POST", "/accounts", token=admin, json_body={
        "username": user, "password": pw, "role": "tenderer", "display_name": "公告业委会",
        "community_id": community})
    r.check("docs: the community's tenderer → 201", a.status == 201, repr(a))
    tenderer = c.login(user, pw)
    # The scenarios registered tier T2; run alone (--only), register it.
    tiers = c.request("GET", "/service-tiers", token=admin).json().get("items", [])
    if not any(t.get("code") == "T2" for t in tiers):
        a = c.request("PUT", "/service-tiers", token=admin, json_body={"items": tiers + [
            {"code": "T2", "name": "二级服务", "min_fen_per_m2_month": 150, "max_fen_per_m2_month": 300,
             "required_items": ["保洁", "秩序维护"]}]})
        r.check("docs: PUT /service-tiers (T2, for a run of this check alone)", a.status == 200, repr(a))

    # One owner, who passes the selection plan the tender follows (the dev
    # clock jumps: log in again).
    a = c.request("PUT", f"/communities/{community}/roster", token=admin,
                  data="unit,area_centi_m2,owner_key,owner_name,status\n1-101,12345,DK1,许明辉,sold\n"
                  .encode("utf-8"), headers={"Content-Type": "text/csv; charset=utf-8"})
    r.check("docs: PUT roster → 200", a.status == 200, repr(a))
    owner, owner_pw = f"docs.owner.{tag}", f"docs-owner-pw-{tag}"
    a = c.request("POST", "/accounts", token=admin, json_body={
        "username": owner, "password": owner_pw, "role": "owner", "display_name": "许明辉",
        "community_id": community, "owner_key": "DK1"})
    r.check("docs: the owner's account → 201", a.status == 201, repr(a))
    decision = {"method": "lowest_price"}
    plans = scenarios.pass_selection_plans(
        r, c, community, (user, pw), [(owner, owner_pw)], ("admin", ctx.server.admin_password),
        [scenarios.plan_of({"service_tier": "T2", "decision": decision,
                            "qualification": {"min_credit_grade": "A", "min_star_rating": 3}})]) or ["M0"]
    admin = c.login("admin", ctx.server.admin_password)
    tenderer = c.login(user, pw)

    now = _parse_time(c.request("GET", "/health").json()["time"])
    deadline = (now + timedelta(days=30)).replace(microsecond=0, second=0)
    title = f"公告测试花园物业服务选聘 {tag}"
    body = {"community_id": community, "title": title, "service_tier": "T2", "area_centi_m2": 1234567,
            "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
            "criteria": [{"code": "plan", "title": "服务方案"}, {"code": "staff", "title": "人员配置"}],
            "committee_size": 5, "min_valid_bids": 3, "candidate_cap": 3,
            "candidate_cap_method": "lowest_price", "decision": decision,
            "beacon_source": "上证综合指数次一交易日收盘值", "bid_deadline": _rfc3339(deadline),
            "reveal_window_s": DAY, "candidate_publicity_days": 3, "vote_window_s": 0,
            "award_publicity_days": 3, "budget_fen_per_m2_month": scenarios.BUDGET,
            "contract_term_months": scenarios.TERM_MONTHS, "selection_plan_motion": plans[0]}
    a = c.request("POST", "/tenders", token=tenderer, json_body=body)
    r.check("docs: POST /tenders → 201", a.status == 201, repr(a))
    tid = a.json()["id"]
    # A draft has no documents and its list is not public.
    a = c.request("GET", f"/tenders/{tid}/documents")
    r.check("docs: a draft's documents list → 404 for the public", a.status == 404, repr(a))
    before = c.log_size()
    a = c.request("POST", f"/tenders/{tid}/publish", token=tenderer)
    r.check("docs: publish → 200", a.status == 200, repr(a))
    published_index = a.json()["log_index"]
    r.check("docs: publishing appends tender.published and document.published, nothing else",
            c.log_size() >= before + 2)
    doc_entry = _entry(c, published_index + 1)
    r.check("docs: document.published follows tender.published, public, naming the notice",
            doc_entry.get("type") == "document.published" and doc_entry.get("tender") == tid
            and doc_entry.get("payload", {}).get("kind") == "tender_notice"
            and "blind" not in doc_entry.get("payload", {}), str(doc_entry)[:300])

    # The worker renders after a checkpoint covers the entry.
    item, t0 = None, time.monotonic()
    while time.monotonic() - t0 < 60:
        a = c.request("GET", f"/tenders/{tid}/documents")
        items = a.json().get("items", []) if a.status == 200 else []
        if items and items[0].get("status") == "rendered":
            item = items[0]
            break
        time.sleep(0.5)
    r.check(f"docs: the notice is listed rendered within 60 s ({time.monotonic() - t0:.1f} s)",
            item is not None, repr(a))
    if item is None:
        return
    r.check("docs: the list names the notice, its published entry and its source digest",
            item["kind"] == "tender_notice" and item["title_zh"] == "招标公告"
            and item["log_index"] == published_index + 1
            and item["source_sha256_hex"] == doc_entry.get("payload", {}).get("source_sha256"), str(item))
    rendered = _entry(c, item["rendered_log_index"])
    rp = rendered.get("payload", {})
    r.check("docs: document.rendered names the published index and the PDF's digest",
            rendered.get("type") == "document.rendered" and rp.get("published_index") == item["log_index"]
            and rp.get("pdf_sha256") == item["sha256_hex"] and rendered.get("tender") == tid,
            str(rendered)[:300])
    r.check("docs: the footer's checkpoint covers the published entry",
            item["checkpoint_size"] > item["log_index"], str(item))

    url = item["url"]
    r.check("docs: the url is the PDF path", url == f"/api/v1/tenders/{tid}/documents/{item['log_index']}.pdf", url)
    path = url[len("/api/v1"):]
    a = c.request("GET", path)
    r.check("docs: GET the PDF → 200 application/pdf",
            a.status == 200 and (a.content_type or "").startswith("application/pdf") and a.body[:5] == b"%PDF-",
            f"{a.status} {a.content_type}")
    if a.status != 200:
        return
    digest = hashlib.sha256(a.body).hexdigest()
    r.check("docs: the PDF's SHA-256 is the list's and the log's", digest == item["sha256_hex"], digest)
    r.check("docs: ETag is the quoted digest", a.headers.get("ETag") == f'"{digest}"', str(a.headers))
    r.check("docs: Cache-Control public, max-age=31536000, immutable",
            a.headers.get("Cache-Control") == "public, max-age=31536000, immutable", str(a.headers))
    cd = a.headers.get("Content-Disposition", "")
    r.check("docs: Content-Disposition with filename*=UTF-8'' 招标公告-<tender>-<index>.pdf",
            "filename*=UTF-8''%E6%8B%9B%E6%A0%87%E5%85%AC%E5%91%8A-" + f"{tid}-{item['log_index']}.pdf" in cd, cd)
    a304 = c.request("GET", path, headers={"If-None-Match": f'"{digest}"'})
    r.check("docs: If-None-Match with the ETag → 304, no body",
            a304.status == 304 and not a304.body and a304.headers.get("ETag") == f'"{digest}"', repr(a304))
    a2 = c.request("GET", path, headers={"If-None-Match": '"' + "0" * 64 + '"'})
    r.check("docs: another ETag → 200, the same bytes", a2.status == 200 and a2.body == a.body, repr(a2)[:100])

    text = subprocess.run(["pdftotext", "-", "-"], input=a.body, capture_output=True,
                          timeout=120).stdout.decode("utf-8")
    flat = re.sub(r"\s+", "", text)
    view = c.request("GET", f"/tenders/{tid}", token=tenderer).json()
    api_deadline = view.get("bid_deadline") or view.get("rules", {}).get("bid_deadline")
    china_deadline = _parse_time(api_deadline).astimezone(CHINA).strftime("%Y-%m-%d%H:%M")
    facts = {"title (API)": re.sub(r"\s+", "", view.get("title", "")), "tender id": tid,
             "community name": name, "bid deadline in China time": china_deadline,
             "招标公告": "招标公告",
             "footer: log index": f"本文件登记于透明日志第{item['log_index']}条",
             "footer: checkpoint size": f"检查点大小{item['checkpoint_size']}",
             "footer: source digest": item["source_sha256_hex"],
             "footer: verify link": f"/verify#index={item['log_index']}"}
    missing = [k for k, v in facts.items() if not v or v not in flat]
    r.check("docs: pdftotext finds the title, id, community, deadline and the footer's index, "
            "checkpoint and source digest", not missing, f"missing {missing}; text {text[:600]!r}")
    r.check("docs: the PDF's own digest is not in its footer", digest not in flat)

    # One 404 for every absence.
    base = f"/tenders/{tid}/documents/"
    for what, p in [("an unknown index", base + f"{item['rendered_log_index'] + 100000}.pdf"),
                    ("the tender.published entry's index", base + f"{published_index}.pdf"),
                    ("a non-number", base + "notice.pdf"),
                    ("a leading zero", base + f"0{item['log_index']}.pdf"),
                    ("an unknown tender", f"/tenders/T999999/documents/{item['log_index']}.pdf"),
                    ("another tender's path", f"/tenders/{ctx.tender_id}/documents/{item['log_index']}.pdf")]:
        a = c.request("GET", p)
        r.check(f"docs: {what} → 404 document_not_found", a.status == 404 and a.code == "document_not_found",
                repr(a))
    a = c.request("GET", "/tenders/T999999/documents")
    r.check("docs: an unknown tender's list → 404", a.status == 404, repr(a))

    # Every tender made so far: its documents, once the worker has caught up.
    c.documents_settled()
    tenders, cursor = [], None
    while True:
        a = c.request("GET", "/tenders", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        if a.status != 200:
            r.fail("docs: GET /tenders", repr(a))
            return
        page = a.json()
        tenders += page["items"]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    missing, failed_seen = [], 0
    stage_seen = {"opening_record": 0, "candidate_publicity": 0, "award_publicity": 0,
                  "evaluation_report_named": 0}
    supervisor = c.login(*ctx.credentials["supervisor"]) if "supervisor" in ctx.credentials else None
    for t in tenders:
        a = c.request("GET", f"/tenders/{t['id']}/documents")
        if a.status != 200:
            missing.append(f"{t['id']}: list {a.status}")
            continue
        items = a.json()["items"]
        kinds = [i["kind"] for i in items]
        # A draft cancelled before publication never had a notice.
        if t.get("published_at") and "tender_notice" not in kinds:
            missing.append(f"{t['id']} ({t['status']}): no 招标公告")
        if not t.get("published_at") and kinds:
            missing.append(f"{t['id']}: documents of a tender never published: {kinds}")
        if t["status"] == "failed":
            failed_seen += 1
            if "tender_failed" not in kinds:
                missing.append(f"{t['id']}: failed without a 流标公告")
        missing += [f"{t['id']}: {i['kind']} at {i['log_index']} not rendered" for i in items
                    if i["status"] != "rendered"]
        missing += _check_stage_notices(c, t, items, stage_seen)
        missing += _check_evaluation_reports(c, t, items, stage_seen, supervisor)
    r.check(f"docs: every one of {len(tenders)} tenders listed has its 招标公告 if published, each of the "
            f"{failed_seen} failed ones its 流标公告, all rendered", not missing and failed_seen > 0,
            "; ".join(missing[:8]))
    r.check(f"docs: each opened tender has its 开标记录表, each with public candidates its 中标候选人公示, "
            f"each awarded one its 中标结果公示 (and no other tender has them), read back against the API "
            f"(bidders, prices, digests, candidates, the winner, the footer); the 评标报告 public by seat "
            f"and named together once decided, by seat only to a supervisor before (the same 404 for the "
            f"public): {stage_seen}",
            not missing and all(stage_seen.values()), "; ".join(missing[:8]))
    if failed_seen:
        t = next(t for t in tenders if t["status"] == "failed")
        item = next(i for i in c.request("GET", f"/tenders/{t['id']}/documents").json()["items"]
                    if i["kind"] == "tender_failed")
        a = c.request("GET", item["url"][len("/api/v1"):])
        text = subprocess.run(["pdftotext", "-", "-"], input=a.body, capture_output=True,
                              timeout=120).stdout.decode("utf-8")
        flat = re.sub(r"\s+", "", text)
        r.check(f"docs: the 流标公告 of {t['id']} reads back: title, reason, its log index in the footer",
                "流标公告" in flat and "流标原因" in flat and re.sub(r"\s+", "", t["title"]) in flat
                and f"本文件登记于透明日志第{item['log_index']}条" in flat, text[:400])

    _check_feed(c, r, tid, community)


def _yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


def _flat_pdf(c, item):
    """The document's PDF as text without whitespace, and a problem when it is not the listed one."""
    a = c.request("GET", item["url"][len("/api/v1"):])
    if a.status != 200:
        return "", f"PDF {a.status}"
    if hashlib.sha256(a.body).hexdigest() != item["sha256_hex"]:
        return "", "the PDF's SHA-256 is not the listed digest"
    text = subprocess.run(["pdftotext", "-", "-"], input=a.body, capture_output=True,
                          timeout=120).stdout.decode("utf-8")
    flat = re.sub(r"\s+", "", text)
    if f"本文件登记于透明日志第{item['log_index']}条" not in flat or item["source_sha256_hex"] not in flat:
        return flat, "the footer lacks the log index or the source digest"
    return flat, None


def _check_stage_notices(c, t, items, seen):
    """The 开标记录表, 中标候选人公示 and 中标结果公示 of tender t: present exactly when the API
    makes their facts public (nothing before its time), and their text matches the API."""
    tid, problems = t["id"], []
    by_kind = {}
    for i in items:
        by_kind.setdefault(i["kind"], []).append(i)
    a = c.request("GET", f"/tenders/{tid}/opening")
    opening = a.json()["items"] if a.status == 200 else None
    a = c.request("GET", f"/tenders/{tid}/candidates")
    candidates = a.json()["items"] if a.status == 200 else None
    view = c.request("GET", f"/tenders/{tid}").json()
    winner = view.get("awarded_bid_id")
    expected = {"opening_record": opening is not None, "candidate_publicity": candidates is not None,
                "award_publicity": bool(winner)}
    for kind, want in expected.items():
        got = len(by_kind.get(kind, []))
        if got != (1 if want else 0):
            problems.append(f"{tid} ({t['status']}): {got} {kind}, expected {1 if want else 0}")
    if opening is not None and by_kind.get("opening_record"):
        flat, bad = _flat_pdf(c, by_kind["opening_record"][0])
        if bad:
            problems.append(f"{tid}: 开标记录表: {bad}")
        for row in opening:
            if row["bidder_uscc"] not in flat:
                problems.append(f"{tid}: 开标记录表 lacks bidder {row['bidder_uscc']}")
            if row.get("valid") and row.get("bid"):
                bid = row["bid"]
                if _yuan(bid["price_fen_per_m2_month"]) not in flat:
                    problems.append(f"{tid}: 开标记录表 lacks the price of {row['bidder_uscc']}")
                problems += [f"{tid}: 开标记录表 lacks the digest of {d['name']}"
                             for d in bid.get("documents", []) if d["sha256_hex"] not in flat]
            elif "无效" not in flat:
                problems.append(f"{tid}: 开标记录表 does not mark {row['bidder_uscc']} invalid")
        seen["opening_record"] += 1
    if candidates is not None and by_kind.get("candidate_publicity"):
        flat, bad = _flat_pdf(c, by_kind["candidate_publicity"][0])
        if bad:
            problems.append(f"{tid}: 中标候选人公示: {bad}")
        if "排名不分先后" not in flat or "异议" not in flat or "公示截止" not in flat:
            problems.append(f"{tid}: 中标候选人公示 lacks 排名不分先后, 公示截止 or 异议")
        for x in candidates:
            if x["bidder_uscc"] not in flat or _yuan(x["price_fen_per_m2_month"]) not in flat:
                problems.append(f"{tid}: 中标候选人公示 lacks candidate {x['bidder_uscc']} or its price")
        names = {x["bidder_uscc"] for x in candidates}
        problems += [f"{tid}: 中标候选人公示 names non-candidate {row['bidder_uscc']}"
                     for row in opening or [] if row["bidder_uscc"] not in names and row["bidder_uscc"] in flat]
        seen["candidate_publicity"] += 1
    if winner and by_kind.get("award_publicity"):
        flat, bad = _flat_pdf(c, by_kind["award_publicity"][0])
        if bad:
            problems.append(f"{tid}: 中标结果公示: {bad}")
        row = next((x for x in opening or [] if x["bid_id"] == winner), None)
        if row is None or f"信用代码{row['bidder_uscc']}" not in flat \
                or f"中标价格{_yuan(row['bid']['price_fen_per_m2_month'])}" not in flat:
            problems.append(f"{tid}: 中标结果公示 does not name the winner {winner} with its price")
        seen["award_publicity"] += 1
    return problems


def _check_evaluation_reports(c, t, items, seen, supervisor):
    """The 评标报告: the public sees the seat-numbered and the named renderings together, once the
    committee is public (an awarded tender has both); before that a supervisor sees the seat-numbered
    one (private) and the public gets the 404 of a document that does not exist."""
    tid, problems = t["id"], []
    seat = [i for i in items if i["kind"] == "evaluation_report"]
    named = [i for i in items if i["kind"] == "evaluation_report_named"]
    if len(seat) != len(named) or len(seat) > 1:
        problems.append(f"{tid} ({t['status']}): {len(seat)} 评标报告 by seat, {len(named)} named in public")
    if c.request("GET", f"/tenders/{tid}").json().get("awarded_bid_id") and not named:
        problems.append(f"{tid}: awarded without a public named 评标报告")
    if named and seat:
        flat, bad = _flat_pdf(c, named[0])
        seat_flat, seat_bad = _flat_pdf(c, seat[0])
        if bad or seat_bad or "评标报告" not in flat or "席位1（" not in flat or "席位1（" in seat_flat \
                or "不打分、不排名" not in seat_flat:
            problems.append(f"{tid}: 评标报告 renderings: {bad or seat_bad or 'names or seats wrong'}")
        seen["evaluation_report_named"] += 1
    if supervisor and not seat:
        mine = c.request("GET", f"/tenders/{tid}/documents", token=supervisor)
        hidden = [i for i in mine.json().get("items", []) if i["kind"] == "evaluation_report"] \
            if mine.status == 200 else []
        for i in hidden:
            if i.get("status") != "rendered":
                continue
            a = c.request("GET", i["url"][len("/api/v1"):], token=supervisor)
            anon = c.request("GET", i["url"][len("/api/v1"):])
            if a.status != 200 or a.headers.get("Cache-Control") != "private, no-store" \
                    or anon.status != 404 or anon.code != "document_not_found":
                problems.append(f"{tid}: the 评标报告 before the decision: supervisor {a.status} "
                                f"{a.headers.get('Cache-Control')}, public {anon.status} {anon.code}")
            seen["evaluation_report_before_decision"] = seen.get("evaluation_report_before_decision", 0) + 1
    return problems


ATOM = "{http://www.w3.org/2005/Atom}"


def _check_feed(c, r, tid, community):
    """(issue 14 §3) The notice feed: Atom 1.0 (RFC 4287), platform-wide, per community, per
    district; each entry links a PDF whose digest its summary names."""
    import xml.etree.ElementTree as ET
    notice = next(i for i in c.request("GET", f"/tenders/{tid}/documents").json()["items"]
                  if i["kind"] == "tender_notice")

    def feed(**params):
        a = c.request("GET", "/feeds/notices.atom", params=params)
        if a.status != 200:
            return a, None
        try:
            return a, ET.fromstring(a.body)
        except ET.ParseError as e:
            r.fail(f"docs: the feed {params} is well-formed XML", str(e))
            return a, None

    def entries(root):
        return root.findall(f"{ATOM}entry") if root is not None else []

    a, root = feed()
    r.check("docs: GET /feeds/notices.atom (public) → 200 application/atom+xml, public, max-age=60",
            a.status == 200 and a.headers.get("Content-Type", "").startswith("application/atom+xml")
            and a.headers.get("Cache-Control") == "public, max-age=60", repr(a)[:300])
    if root is None:
        return
    r.check("docs: the feed has Atom's required id, title, updated and author, and a self link",
            root.tag == f"{ATOM}feed" and all(root.find(f"{ATOM}{x}") is not None
                                                for x in ("id", "title", "updated", "author"))
            and any(l.get("rel") == "self" for l in root.findall(f"{ATOM}link")), a.body[:300])
    es = entries(root)
    bad = []
    for e in es:
        if any(e.find(f"{ATOM}{x}") is None for x in ("id", "title", "updated", "summary")):
            bad.append("missing element")
        alt = [l for l in e.findall(f"{ATOM}link") if l.get("rel") == "alternate"]
        if not alt or alt[0].get("type") != "application/pdf" or e.findtext(f"{ATOM}id") != alt[0].get("href"):
            bad.append(f"{e.findtext(f'{ATOM}id')}: alternate PDF link")
    indexes = [int(re.search(r"/documents/(\d+)\.pdf$", e.findtext(f"{ATOM}id") or "/documents/0.pdf").group(1))
               for e in es]
    r.check(f"docs: every feed entry ({len(es)}) has id = its PDF link, title, updated, summary; newest first",
            es and not bad and indexes == sorted(indexes, reverse=True), bad[:3] + indexes[:5])

    a, root = feed(community_id=community)
    es = entries(root)
    ours = [e for e in es if e.findtext(f"{ATOM}id", "").endswith(f"/tenders/{tid}/documents/{notice['log_index']}.pdf")]
    def of_community(link):
        # the tender's documents, or the 表决结果公告 of one of the community's
        # motions (its selection plans)
        if f"/tenders/{tid}/" in link:
            return True
        m = re.search(r"/motions/([^/]+)/documents/", link)
        if not m:
            return False
        v = c.request("GET", f"/motions/{m.group(1)}")
        return v.status == 200 and v.json().get("community_id") == community
    r.check("docs: ?community_id= → only that community's documents, the 招标公告 among them",
            a.status == 200 and ours and all(of_community(e.findtext(f"{ATOM}id", "")) for e in es),
            [e.findtext(f"{ATOM}id") for e in es][:5])
    if ours:
        e = ours[0]
        href = next(l.get("href") for l in e.findall(f"{ATOM}link") if l.get("rel") == "alternate")
        pdf = c.request("GET", href[href.index("/api/v1") + len("/api/v1"):])
        digest = hashlib.sha256(pdf.body).hexdigest()
        summary = e.findtext(f"{ATOM}summary", "")
        related = [l.get("href") for l in e.findall(f"{ATOM}link") if l.get("rel") == "related"]
        r.check("docs: the entry's PDF is the document, its digests and log index in the summary, "
                "a link to /verify#index=N",
                pdf.status == 200 and f"PDF SHA-256 {digest}" in summary
                and f"源数据 SHA-256 {notice['source_sha256_hex']}" in summary
                and any(h.endswith(f"/verify#index={notice['log_index']}") for h in related),
                summary[:300])
    a, root = feed(district="集美区")
    es = entries(root)
    r.check("docs: ?district=集美区 → its documents only (category), ours among them",
            a.status == 200 and any(e.findtext(f"{ATOM}id", "").endswith(f"/documents/{notice['log_index']}.pdf")
                                    for e in es)
            and all(any(k.get("term") == "集美区" for k in e.findall(f"{ATOM}category")) for e in es),
            len(es))
    a, root = feed(district="没有这个区")
    r.check("docs: an unknown district → 200, a valid feed with no entries", a.status == 200 and root is not None
            and not entries(root) and root.find(f"{ATOM}updated") is not None, repr(a)[:200])
    a, root = feed(limit=1)
    r.check("docs: ?limit=1 → one entry", a.status == 200 and len(entries(root)) == 1, repr(a)[:200])
    for params in ({"limit": 0}, {"limit": 201}, {"community_id": community, "district": "集美区"}):
        a = c.request("GET", "/feeds/notices.atom", params=params)
        r.check(f"docs: the feed with {params} → 400 invalid_query", a.status == 400 and a.code == "invalid_query",
                repr(a)[:200])
