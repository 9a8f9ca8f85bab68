"""(h) rules: owners' assembly motions (issue 13 §2; docs/motions.md).

On a community of its own, over HTTPS through the dev clock:

- a tenderer of the community drafts a motion (matter item 4, 7 days);
  a window of 6 days is refused (422 motion_window_too_short) and changes
  nothing; the draft is not public (404 to the public);
- the notice with an opening 14 days later is refused (422
  motion_notice_too_short); without opens_at the opening is the earliest
  allowed (00:00 China time of the 16th day after the notice's day);
- before the opening a ballot is refused (409 vote_window_closed); after it
  owners vote: the answer is the receipt (log index, the owner's own entry
  with its choice); a second ballot replaces the first; a choice that is no
  option is refused (422 motion_choice_invalid);
- turnout is public (anonymous) and shows no choices; the roster cannot be
  replaced while the motion is open (409 roster_locked_by_vote); the ballot
  entries are withheld stubs in the public feed until the close;
- after the close the platform has tallied: status passed, result with the
  tally; the ballot entries are public; the motion's trail passes
  `sunbid-verify trail --key` with the recomputed tally line.
"""

import hashlib
import json
import os
import subprocess
import tempfile
from datetime import timedelta

from scenarios import Scenarios, parse_time

ROSTER = [("M-1-101", 10000, "MK1", "甲", "sold"), ("M-1-102", 12000, "MK2", "乙", "sold"),
          ("M-1-103", 9000, "MK3", "丙", "sold"), ("M-1-104", 11000, "MK4", "丁", "sold")]
TOTAL_AREA = sum(r[1] for r in ROSTER)


def check_motions(ctx, results):
    r = results
    s = Scenarios(ctx, results, methods=[], prefix="mot")
    s.pw["admin"] = ctx.server.admin_password
    s.login(["admin"])
    a = s.req("POST", "/communities", "admin", json_body={
        "name": "筼筜花园", "district": "思明区", "street": "筼筜街道", "address": "厦门市思明区湖滨南路 1 号"})
    s.expect("motions: POST /communities", a, 201)
    community = a.json()["id"]
    csv = "unit,area_centi_m2,owner_key,owner_name,status\n" + "".join(
        f"{u},{ar},{k},{n},{st}\n" for u, ar, k, n, st in ROSTER)
    roster_put = dict(data=csv.encode("utf-8"), headers={"Content-Type": "text/csv; charset=utf-8"})
    a = s.req("PUT", f"/communities/{community}/roster", "admin", **roster_put)
    s.expect("motions: PUT roster", a, 200)
    tenderer = "mot.tenderer"
    s.account(tenderer, "tenderer", community_id=community)
    owners = {}
    for i, (_, _, key, _, _) in enumerate(ROSTER):
        owners[key] = f"mot.owner{i}"
        s.account(owners[key], "owner", community_id=community, owner_key=key)
    s.login([tenderer] + list(owners.values()))

    body = {"title": "选聘物业服务企业方案", "text": "提请业主共同决定选聘方案（二级服务）。",
            "kind": "general", "matter_item": 4, "window_days": 6}
    before = ctx.client.log_size()
    a = s.req("POST", f"/communities/{community}/motions", tenderer, json_body=body)
    r.check("motions: a 6-day window → 422 motion_window_too_short, nothing logged",
            a.status == 422 and a.code == "motion_window_too_short" and ctx.client.log_size() == before,
            repr(a)[:300])
    body["window_days"] = 7
    a = s.req("POST", f"/communities/{community}/motions", tenderer, json_body=body)
    s.expect("motions: POST /communities/{id}/motions (draft)", a, 201)
    if a.status != 201:
        return
    mid = a.json()["id"]
    r.check("motions: the draft is item 4, more than half, for/against",
            a.json()["status"] == "draft" and a.json()["approval"] == "more_than_half"
            and a.json()["options"] == ["for", "against"], repr(a)[:300])
    a = s.req("GET", f"/motions/{mid}")
    r.check("motions: a draft is not public → 404", a.status == 404, repr(a)[:200])

    now = parse_time(s.req("GET", "/health").json()["time"])
    early = (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    a = s.req("POST", f"/motions/{mid}/notice", tenderer, json_body={"opens_at": early})
    r.check("motions: an opening 14 days after the notice → 422 motion_notice_too_short",
            a.status == 422 and a.code == "motion_notice_too_short", repr(a)[:300])
    a = s.req("POST", f"/motions/{mid}/notice", tenderer)
    s.expect("motions: POST notice", a, 200)
    opens = parse_time(a.json()["opens_at"])
    china_notice_day = (now + timedelta(hours=8)).date()
    r.check("motions: opens 00:00 China time of the 16th day after the notice's day",
            (opens + timedelta(hours=8)).date() == china_notice_day + timedelta(days=16)
            and (opens + timedelta(hours=8)).hour == 0, f"{now} -> {opens}")
    a = s.req("GET", f"/motions/{mid}")
    r.check("motions: a noticed motion is public", a.status == 200 and a.json()["status"] == "noticed",
            repr(a)[:200])
    a = s.req("POST", f"/motions/{mid}/ballots", owners["MK1"], json_body={"choice": "for"})
    r.check("motions: a ballot before the opening → 409 vote_window_closed",
            a.status == 409 and a.code == "vote_window_closed", repr(a)[:200])

    s.advance(int((opens - now).total_seconds()) + 60)
    s.login([tenderer] + list(owners.values()))
    a = s.req("POST", f"/motions/{mid}/ballots", owners["MK1"], json_body={"choice": "against"})
    s.expect("motions: MK1 votes against", a, 201)
    receipt = a.json() if a.status == 201 else {}
    entry = json.loads(receipt.get("entry", "{}"))
    r.check("motions: the receipt carries the owner's entry: its index and choice, no owner key",
            entry.get("index") == receipt.get("log_index") and entry.get("payload", {}).get("choice") == "against"
            and "MK1" not in receipt.get("entry", ""), repr(receipt)[:400])
    a = s.req("POST", f"/motions/{mid}/ballots", owners["MK1"], json_body={"choice": "for"})
    r.check("motions: a second ballot replaces the first", a.status == 201 and a.json()["replaced"], repr(a)[:200])
    a = s.req("POST", f"/motions/{mid}/ballots", owners["MK2"], json_body={"choice": "maybe"})
    r.check("motions: a choice that is no option → 422 motion_choice_invalid",
            a.status == 422 and a.code == "motion_choice_invalid", repr(a)[:200])
    for key, choice in (("MK2", "for"), ("MK3", "abstain")):
        a = s.req("POST", f"/motions/{mid}/ballots", owners[key], json_body={"choice": choice})
        s.expect(f"motions: {key} votes {choice}", a, 201)

    a = s.req("GET", f"/motions/{mid}/turnout")
    t = a.json() if a.status == 200 else {}
    r.check("motions: turnout is public: 3 of 4 heads, their area, quorum met, no choices",
            a.status == 200 and t["participating_heads"] == 3 and t["total_heads"] == 4
            and t["participating_area_centi_m2"] == 31000 and t["total_area_centi_m2"] == TOTAL_AREA
            and t["area_quorum"] and t["head_quorum"] and "for" not in json.dumps(t), repr(a)[:400])
    s.login(["admin"])  # the clock's jump ended the admin's session
    a = s.req("PUT", f"/communities/{community}/roster", "admin", **roster_put)
    r.check("motions: the roster is locked while the motion is open → 409 roster_locked_by_vote",
            a.status == 409 and a.code == "roster_locked_by_vote", repr(a)[:200])
    feed = s.entries_since(receipt.get("log_index", 0))
    ballot_stubs = [e for e in feed if e.get("index") == receipt.get("log_index")]
    r.check("motions: a ballot is a withheld stub in the public feed before the close",
            len(ballot_stubs) == 1 and "choice" not in json.dumps(ballot_stubs[0], ensure_ascii=False),
            repr(ballot_stubs)[:300])

    a = s.req("GET", f"/motions/{mid}")
    closes = parse_time(a.json()["closes_at"])
    now = parse_time(s.req("GET", "/health").json()["time"])
    s.advance(int((closes - now).total_seconds()) + 60)
    a = s.req("GET", f"/motions/{mid}")
    m = a.json() if a.status == 200 else {}
    r.check("motions: tallied at the close: passed (2 for of 3 participating)",
            m.get("status") == "passed" and m.get("result", {}).get("outcome") == "passed"
            and m["result"]["tally"]["participating_heads"] == 3, repr(a)[:400])

    _check_motion_result(s, r, mid, community)

    verify = ctx.args.sunbid_verify
    if not verify or not os.path.exists(verify):
        r.fail("motions: sunbid-verify", f"no binary at {verify} (pass --sunbid-verify)")
        return
    s.wait_checkpoint()
    a = s.req("GET", f"/motions/{mid}/trail")
    s.expect("motions: GET /motions/{id}/trail", a, 200)
    trail = a.json() if a.status == 200 else {"entries": []}
    types = [json.loads(e["entry"])["type"] for e in trail["entries"]]
    r.check("motions: the trail holds created, noticed, opened, 4 ballots, closed, the 表决结果公告's "
            "published and rendered entries",
            types == ["motion.created", "motion.noticed", "motion.opened"] + ["motion.ballot_cast"] * 4
            + ["motion.closed", "document.published", "document.rendered"], repr(types))
    key = s.req("GET", "/audit/key").body.decode()
    tmp = tempfile.mkdtemp(prefix="sunbid-motion-", dir=ctx.server.dir)
    keyfile, path = os.path.join(tmp, "key"), os.path.join(tmp, "trail.json")
    open(keyfile, "w").write(key)
    open(path, "wb").write(a.body)
    p = subprocess.run([verify, "trail", "--key", keyfile, path], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    r.check("motions: sunbid-verify trail --key recomputes the motion's tally → exit 0",
            p.returncode == 0 and "motion.closed" in out and "passed" in out, out[-800:])


def _check_motion_result(s, r, mid, community):
    """The 表决结果公告 (docs/documents.md): published by the close, rendered by the worker,
    listed at GET /motions/{id}/documents, its PDF read back against the motion's result, and
    in the community's notice feed."""
    s.wait_checkpoint()
    s.c.documents_settled()
    a = s.req("GET", f"/motions/{mid}/documents")
    items = a.json().get("items", []) if a.status == 200 else []
    r.check("motions: GET /motions/{id}/documents (anonymous) lists one rendered 表决结果公告",
            a.status == 200 and a.json().get("motion_id") == mid and len(items) == 1
            and items[0]["kind"] == "motion_result" and items[0]["status"] == "rendered"
            and items[0]["url"] == f"/api/v1/motions/{mid}/documents/{items[0]['log_index']}.pdf", repr(a)[:400])
    if not items or items[0]["status"] != "rendered":
        return
    item = items[0]
    a = s.req("GET", item["url"][len("/api/v1"):])
    text = subprocess.run(["pdftotext", "-", "-"], input=a.body, capture_output=True,
                          timeout=120).stdout.decode("utf-8") if a.status == 200 else ""
    flat = "".join(text.split())
    tally = s.req("GET", f"/motions/{mid}").json()["result"]["tally"]
    want = ["表决结果公告", "议题通过", "选聘和解聘物业服务企业",
            f"{tally['participating_heads']}人/{tally['total_heads']}人=",
            "门槛2/3", "门槛1/2", f"本文件登记于透明日志第{item['log_index']}条", item["source_sha256_hex"]]
    r.check("motions: the 表决结果公告 PDF is the listed one (its SHA-256 the listed digest)",
            a.status == 200 and hashlib.sha256(a.body).hexdigest() == item["sha256_hex"], repr(a)[:200])
    r.check("motions: the 表决结果公告 reads back: outcome, matter, participation, the chart's thresholds, its footer", all(w in flat for w in want),
            f"missing {[w for w in want if w not in flat]}; {flat[:300]}")
    a = s.req("GET", "/motions/M999999/documents")
    r.check("motions: an unknown motion's documents → 404 motion_not_found",
            a.status == 404 and a.code == "motion_not_found", repr(a)[:200])
    a = s.req("GET", f"/motions/M999999/documents/{item['log_index']}.pdf")
    r.check("motions: another motion's path to the PDF → 404 document_not_found",
            a.status == 404 and a.code == "document_not_found", repr(a)[:200])
    a = s.req("GET", "/feeds/notices.atom", params={"community_id": community})
    r.check("motions: the community's notice feed links the 表决结果公告",
            a.status == 200 and f"/api/v1/motions/{mid}/documents/{item['log_index']}.pdf".encode() in a.body,
            a.body[:300])
