"""(p) owners: paper ballots (书面投票) of a motion (issue 13 §4; docs/motions.md "Paper ballots").

On a community of its own (six owners of 100 m²), over HTTPS through the dev clock:

- a motion that takes paper ballots; the tenderer names an owner account as 监票人
  (another community's account → 422 scrutineer_invalid);
- double entry: the clerk's copy 1 and the supervisor's copy 2 match → counted; the clerk's
  answer carries its own entry (its choice, the owner only as a digest);
- the clerk of copy 1 entering copy 2 too → 409 paper_ballot_same_clerk; a key not on the
  roster → 403 owner_not_on_roster; both change nothing;
- a mismatch (the 监票人's copy differs) → a supervisor resolves it (a clerk may not: 403);
- an electronic ballot after a counted paper one supersedes it (supersedes_paper);
- turnout counts the counted paper ballots; the supervisor's list flags the proxy ballot,
  the clerk's shows only its own copies;
- after the window's end electronic ballots end, the tally waits 3 days: an unstamped paper
  → 409 paper_ballot_late, one stamped before the end counts;
- at tally_at the motion passes with electronic and paper ballots; the trail holds the paper
  entries and passes `sunbid-verify trail --key` with the recomputed tally.
"""

import json
import os
import subprocess
import tempfile
from datetime import timedelta

from scenarios import Scenarios, parse_time

KEYS = [f"PK{i}" for i in range(1, 7)]
ROSTER = [(f"P-1-{100 + i}", 10000, k, f"业主{i}", "sold") for i, k in enumerate(KEYS, 1)]


def _scan(n):
    return f"{n:064x}"


def _iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def check_paper(ctx, results):
    r = results
    s = Scenarios(ctx, results, methods=[], prefix="pap")
    s.pw["admin"] = ctx.server.admin_password
    s.login(["admin"])
    a = s.req("POST", "/communities", "admin", json_body={
        "name": "书面花园", "district": "湖里区", "street": "殿前街道", "address": "厦门市湖里区殿前路 2 号"})
    s.expect("paper: POST /communities", a, 201)
    community = a.json()["id"]
    csv = "unit,area_centi_m2,owner_key,owner_name,status\n" + "".join(
        f"{u},{ar},{k},{n},{st}\n" for u, ar, k, n, st in ROSTER)
    a = s.req("PUT", f"/communities/{community}/roster", "admin", data=csv.encode("utf-8"),
              headers={"Content-Type": "text/csv; charset=utf-8"})
    s.expect("paper: PUT roster", a, 200)
    clerk, sup, scr = "pap.clerk", "pap.sup", "pap.scrutineer"
    s.account(clerk, "tenderer", community_id=community)
    s.account(sup, "supervisor")
    s.account(scr, "owner", community_id=community, owner_key="PK6")
    owners = {k: f"pap.owner.{k.lower()}" for k in ("PK1", "PK4")}
    for k, u in owners.items():
        s.account(u, "owner", community_id=community, owner_key=k)
    everyone = [clerk, sup, scr] + list(owners.values())
    s.login(everyone)

    a = s.req("POST", f"/communities/{community}/motions", clerk, json_body={
        "title": "选聘物业服务企业方案（书面投票）", "text": "接受书面投票，双人录入。",
        "kind": "general", "matter_item": 4, "window_days": 7, "paper_ballots": True})
    s.expect("paper: POST motion with paper_ballots", a, 201)
    if a.status != 201:
        return
    mid = a.json()["id"]
    r.check("paper: the motion says it takes paper ballots", a.json().get("paper_ballots") is True, repr(a)[:300])
    a = s.req("POST", f"/motions/{mid}/scrutineers", clerk, json_body={"account_id": "acct-none"})
    r.check("paper: a 监票人 who is no owner account of the community → 422 scrutineer_invalid",
            a.status == 422 and a.code == "scrutineer_invalid", repr(a)[:300])
    a = s.req("POST", f"/motions/{mid}/scrutineers", clerk, json_body={"account_id": s.ids[scr]})
    s.expect("paper: POST /motions/{id}/scrutineers", a, 201)
    a = s.req("POST", f"/motions/{mid}/notice", clerk)
    s.expect("paper: POST notice", a, 200)
    opens = parse_time(a.json()["opens_at"])
    now = parse_time(s.req("GET", "/health").json()["time"])
    s.advance(int((opens - now).total_seconds()) + 60)
    s.login(everyone)

    def enter(who, key, choice, entry, scan, **extra):
        body = {"owner_key": key, "choice": choice, "scan_sha256_hex": _scan(scan), "entry": entry, **extra}
        return s.req("POST", f"/motions/{mid}/paper-ballots", who, json_body=body)

    a = s.req("POST", f"/motions/{mid}/ballots", owners["PK1"], json_body={"choice": "for"})
    s.expect("paper: PK1 votes electronically", a, 201)

    # Double entry that matches → counted.
    a = enter(clerk, "PK2", "for", 1, 2)
    s.expect("paper: PK2 copy 1 by the clerk", a, 201)
    entry = json.loads(a.json()["entry"]) if a.status == 201 else {}
    r.check("paper: the clerk's answer carries its own entry: its choice, pending, the owner only as a digest",
            a.status == 201 and entry["payload"]["choice"] == "for" and a.json()["status"] == "pending"
            and "PK2" not in a.json()["entry"] and _scan(2) not in a.json()["entry"], repr(a)[:400])
    a = enter(sup, "PK2", "for", 2, 2)
    r.check("paper: PK2 copy 2 by the supervisor matches → counted",
            a.status == 201 and a.json()["status"] == "counted", repr(a)[:300])

    # The same clerk for both copies; a key not on the roster: refused, nothing logged.
    a = enter(clerk, "PK3", "for", 1, 3)
    s.expect("paper: PK3 copy 1 by the clerk", a, 201)
    before = ctx.client.log_size()
    a = enter(clerk, "PK3", "for", 2, 3)
    r.check("paper: the clerk of copy 1 entering copy 2 → 409 paper_ballot_same_clerk",
            a.status == 409 and a.code == "paper_ballot_same_clerk", repr(a)[:300])
    a = enter(clerk, "PK99", "for", 1, 9)
    r.check("paper: a key not on the motion's roster → 403 owner_not_on_roster",
            a.status == 403 and a.code == "owner_not_on_roster", repr(a)[:300])
    r.check("paper: the refusals logged nothing", ctx.client.log_size() == before,
            f"{before} -> {ctx.client.log_size()}")

    # A mismatch: the 监票人's copy says against → a supervisor resolves.
    a = enter(scr, "PK3", "against", 2, 3)
    r.check("paper: PK3 copy 2 by the 监票人 differs → mismatch",
            a.status == 201 and a.json()["status"] == "mismatch", repr(a)[:300])
    pid = a.json().get("paper_ballot_id", "P0") if a.status == 201 else "P0"
    a = s.req("POST", f"/motions/{mid}/paper-ballots/{pid}/resolve", clerk,
              json_body={"choice": "for", "reason": "核对原件"})
    r.check("paper: a clerk may not resolve → 403", a.status == 403, repr(a)[:200])
    a = s.req("POST", f"/motions/{mid}/paper-ballots/{pid}/resolve", sup,
              json_body={"choice": "for", "reason": "核对原件：第二份录入错误"})
    r.check("paper: the supervisor resolves the mismatch → counted",
            a.status == 200 and a.json()["status"] == "counted", repr(a)[:300])

    # An electronic ballot after a counted paper ballot supersedes it.
    for who, entry_no in ((clerk, 1), (sup, 2)):
        a = enter(who, "PK4", "for", entry_no, 4)
        s.expect(f"paper: PK4 copy {entry_no}", a, 201)
    a = s.req("POST", f"/motions/{mid}/ballots", owners["PK4"], json_body={"choice": "against"})
    r.check("paper: PK4 votes electronically: its paper ballot is superseded (supersedes_paper)",
            a.status == 201 and json.loads(a.json()["entry"])["payload"].get("supersedes_paper") is True,
            repr(a)[:400])

    a = s.req("GET", f"/motions/{mid}/turnout")
    t = a.json() if a.status == 200 else {}
    r.check("paper: turnout counts the counted paper ballots: 4 of 6 heads (PK1, PK4 electronic; PK2, PK3 paper)",
            a.status == 200 and t["participating_heads"] == 4 and t["head_quorum"], repr(a)[:300])

    # After the window's end: the tally waits; a paper stamped before the end may be entered.
    m = s.req("GET", f"/motions/{mid}").json()
    closes, tally_at = parse_time(m["closes_at"]), parse_time(m["tally_at"])
    r.check("paper: the tally waits 3 days after the window's end", tally_at - closes == timedelta(days=3),
            f"{closes} {tally_at}")
    now = parse_time(s.req("GET", "/health").json()["time"])
    s.advance(int((closes - now).total_seconds()) + 3600)
    s.login(everyone)
    a = s.req("GET", f"/motions/{mid}")
    r.check("paper: after the window's end the motion is still open (the tally waits)",
            a.status == 200 and a.json()["status"] == "open" and a.json()["result"] is None, repr(a)[:300])
    a = s.req("POST", f"/motions/{mid}/ballots", owners["PK1"], json_body={"choice": "against"})
    r.check("paper: an electronic ballot after the window → 409 vote_window_closed",
            a.status == 409 and a.code == "vote_window_closed", repr(a)[:200])
    proxy = {"name": "代理人", "authorisation_sha256_hex": _scan(55)}
    a = enter(clerk, "PK5", "for", 1, 5, proxy=proxy)
    r.check("paper: a late paper without stamped_at → 409 paper_ballot_late",
            a.status == 409 and a.code == "paper_ballot_late", repr(a)[:300])
    stamped = _iso(closes - timedelta(hours=2))
    a = enter(clerk, "PK5", "for", 1, 5, proxy=proxy, stamped_at=stamped)
    s.expect("paper: PK5 (proxy) copy 1, stamped before the end", a, 201)
    a = enter(scr, "PK5", "for", 2, 5, proxy={"authorisation_sha256_hex": _scan(55)}, stamped_at=stamped)
    r.check("paper: PK5 copy 2 by the 监票人 within the 3 days matches → counted",
            a.status == 201 and a.json()["status"] == "counted", repr(a)[:300])

    a = s.req("GET", f"/motions/{mid}/paper-ballots", sup)
    items = {i["owner_key"]: i for i in a.json().get("items", [])} if a.status == 200 else {}
    r.check("paper: the supervisor's list: 4 paper ballots, both copies, the proxy flagged, the scan digests",
            a.status == 200 and len(items) == 4 and items["PK5"]["proxy"] and not items["PK2"]["proxy"]
            and len(items["PK3"]["entries"]) == 2 and items["PK4"]["status"] == "superseded"
            and items["PK3"]["resolution"] and items["PK2"]["entries"][0]["scan_sha256_hex"] == _scan(2),
            repr(a)[:600])
    a = s.req("GET", f"/motions/{mid}/paper-ballots", clerk)
    mine = a.json().get("items", []) if a.status == 200 else []
    r.check("paper: the clerk's list: only the copies it typed (copy 1), no counted choice",
            a.status == 200 and len(mine) == 4 and all(len(i["entries"]) == 1 and i["entries"][0]["entry"] == 1
                                                       and i["choice"] is None for i in mine), repr(a)[:600])
    a = s.req("GET", f"/motions/{mid}/paper-ballots")
    r.check("paper: the list is not public → 401", a.status == 401, repr(a)[:200])

    now = parse_time(s.req("GET", "/health").json()["time"])
    s.advance(int((tally_at - now).total_seconds()) + 60)
    a = s.req("GET", f"/motions/{mid}")
    m = a.json() if a.status == 200 else {}
    res = m.get("result") or {}
    r.check("paper: tallied at tally_at: passed with electronic and paper ballots (4 for, 1 against of 6)",
            m.get("status") == "passed" and res.get("tally", {}).get("participating_heads") == 5
            and res.get("paper_ballots", {}).get("counted") == 3 and res["paper_ballots"]["superseded"] == 1,
            repr(a)[:600])

    verify = ctx.args.sunbid_verify
    if not verify or not os.path.exists(verify):
        r.fail("paper: sunbid-verify", f"no binary at {verify} (pass --sunbid-verify)")
        return
    s.wait_checkpoint()
    a = s.req("GET", f"/motions/{mid}/trail")
    s.expect("paper: GET /motions/{id}/trail", a, 200)
    trail = a.json() if a.status == 200 else {"entries": []}
    types = [json.loads(e["entry"])["type"] for e in trail["entries"]]
    r.check("paper: the trail holds the 监票人, 8 paper entries and the resolution",
            types.count("motion.scrutineer_designated") == 1 and types.count("motion.paper_ballot_entered") == 8
            and types.count("motion.paper_ballot_resolved") == 1 and "motion.closed" in types, repr(types))
    key = s.req("GET", "/audit/key").body.decode()
    tmp = tempfile.mkdtemp(prefix="sunbid-paper-", dir=ctx.server.dir)
    keyfile, path = os.path.join(tmp, "key"), os.path.join(tmp, "trail.json")
    open(keyfile, "w").write(key)
    open(path, "wb").write(a.body)
    p = subprocess.run([verify, "trail", "--key", keyfile, path], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    r.check("paper: sunbid-verify trail --key recomputes the tally with the paper ballots → exit 0",
            p.returncode == 0 and "motion.closed" in out and "passed" in out, out[-800:])
