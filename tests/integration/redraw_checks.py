"""(h) rules: 补抽 fresh draw (issue 11, decision "Pool commitments").

On the tender of "(i) secrets: committee before the decision" (reviewing,
its committee drawn), over HTTPS:

- the supervisor replaces the fifth member, then each successor in turn,
  until the reserves are used up; one more replacement is not refused
  (before: 409 no_reserve_left): the seat stays vacant (`successor: null`)
  and the answer names the fresh draw `replacement-1`;
- GET /tenders/{id}/committee shows `vacant_seats: 1` and
  `pending_draw: "replacement-1"`;
- the fresh list is committed in a public `committee.pool_committed` entry
  (purpose replacement-1, fixed_index = the vacating entry) that names no
  expert;
- POST /tenders/{id}/draws with purpose replacement-1 and a wrong date is
  refused (422 beacon_date_not_allowed naming the required date) and
  changes nothing; with the required date it seats an expert never drawn
  before for this tender (an expert added to the pool just before the
  vacancy), and the committee is complete again;
- once the tender is cancelled (which releases the committee's entries),
  `sunbid-verify trail` accepts the trail with the fresh draw's lines.
"""

import json
import os
import subprocess
import tempfile

from harness import Skip


def check_redraw(ctx, results):
    r = results
    s = getattr(ctx, "scenario_world", None)
    tid = getattr(ctx, "draws_tender", None)
    if s is None or not tid:
        raise Skip("needs the tender of '(i) secrets: committee before the decision'")
    # Earlier steps may have moved the dev clock past the sessions' lifetime.
    s.login(["admin", s.sup])
    # An expert added now is in the pool as of the vacating entry.
    name = "scen.redraw.expert"
    if s.account(name, "evaluator"):
        a = s.req("POST", "/experts", "admin",
                  json_body={"account_username": name, "specialties": ["物业管理"], "related_usccs": []})
        s.expect("redraw: POST /experts (a new pool expert)", a, 201)
    s.login([s.sup, name])
    committee = f"/tenders/{tid}/committee"
    a = s.req("GET", committee, s.sup)
    s.expect("redraw: GET committee", a, 200)
    if a.status != 200:
        return
    c = a.json()
    drawn = set(c["members"]) | set(c["reserves"])
    seat = c["members"][-1]
    replace = f"/tenders/{tid}/committee/replace"
    for k, reserve in enumerate(c["reserves"]):
        a = s.req("POST", replace, s.sup, json_body={"member": seat, "reason": "未到场"})
        ok = a.status == 200 and a.json().get("successor") == reserve and a.json().get("replacement_draw") is None
        r.check(f"(h) rules: replacement {k + 1} seats the next reserve", ok, repr(a)[:300])
        if not ok:
            return
        seat = reserve
    before = s.c.log_size()
    a = s.req("POST", replace, s.sup, json_body={"member": seat, "reason": "未到场"})
    ok = a.status == 200 and a.json().get("successor") is None and a.json().get("replacement_draw") == "replacement-1"
    r.check("(h) rules: with the reserves used up a replacement opens the fresh draw replacement-1 "
            "(not 409 no_reserve_left)", ok, repr(a)[:300])
    if not ok:
        return
    vacating = a.json()["log_index"]
    r.check("(h) rules: the vacating replacement and the fresh list's commitment are two entries",
            s.c.log_size() == before + 2, f"{before} -> {s.c.log_size()}")
    a = s.req("GET", committee, s.sup)
    r.check("(h) rules: the committee shows one vacant seat and the pending fresh draw",
            a.status == 200 and a.json().get("vacant_seats") == 1
            and a.json().get("pending_draw") == "replacement-1" and len(a.json()["members"]) == 4,
            repr(a)[:300])

    s.wait_checkpoint()
    a = s.req("GET", f"/tenders/{tid}/trail")
    s.expect("redraw: GET trail", a, 200)
    entries = [json.loads(e["entry"]) for e in a.json()["entries"]] if a.status == 200 else []
    fresh = [e for e in entries if e["type"] == "committee.pool_committed"
             and e["payload"].get("purpose") == "replacement-1"]
    text = json.dumps(fresh, ensure_ascii=False)
    named = [x for x in list(drawn) + [s.ids.get(name, name), name] if x in text]
    r.check("(h) rules: the fresh list is committed in a public entry fixed by the vacating entry, "
            "naming no expert",
            len(fresh) == 1 and fresh[0]["payload"]["fixed_index"] == vacating
            and fresh[0]["payload"]["list_size"] == len(fresh[0]["payload"]["commitments"]) >= 1
            and not named, f"{text[:300]} named {named}")

    draws = f"/tenders/{tid}/draws"
    body = {"purpose": "replacement-1", "beacon": "3301.25"}
    before = s.c.log_size()
    a = s.req("POST", draws, s.sup, json_body=dict(body, beacon_date="2000-01-03"))
    refused = a.status == 422 and a.code == "beacon_date_not_allowed"
    r.check("(h) rules: a fresh draw's beacon of a wrong date is refused (422 beacon_date_not_allowed) "
            "and changes nothing", refused and s.c.log_size() == before, repr(a)[:300])
    if not refused:
        return
    required = a.json()["error"]["details"]["required"]
    s.reach_beacon_day(required)  # the dev clock moves (a logged entry of its own)
    a = s.retry_pending(lambda: s.req("POST", draws, s.sup, json_body=dict(body, beacon_date=required)))
    s.expect("redraw: POST /draws replacement-1 with the required beacon date", a, 201)
    members = a.json().get("members", []) if a.status == 201 else []
    r.check("(h) rules: the fresh draw seats one expert never drawn before for this tender",
            a.status == 201 and a.json().get("next") == "reviewing" and len(members) == 1
            and members[0] not in drawn, repr(a)[:300])
    a = s.req("GET", committee, s.sup)
    r.check("(h) rules: after the fresh draw the committee is complete, nothing pending",
            a.status == 200 and a.json().get("vacant_seats") == 0 and a.json().get("pending_draw") is None
            and len(a.json()["members"]) == 5 and set(members) <= set(a.json()["members"]), repr(a)[:300])

    # Released by the cancellation, the trail rechecks the fresh draw.
    s.login(["scen.tenderer0"])
    a = s.req("POST", f"/tenders/{tid}/cancel", "scen.tenderer0", json_body={"reason": "业主大会决定不再选聘"})
    s.expect("redraw: the tenderer cancels the tender (releases the committee's entries)", a, 200)
    if a.status != 200:
        return
    verify = ctx.args.sunbid_verify
    if not verify or not os.path.exists(verify):
        r.fail("(h) rules: sunbid-verify", f"no binary at {verify} (pass --sunbid-verify)")
        return
    key = s.req("GET", "/audit/key").body.decode()
    s.wait_checkpoint()
    a = s.req("GET", f"/tenders/{tid}/trail")
    s.expect("redraw: GET trail after the cancellation", a, 200)
    tmp = tempfile.mkdtemp(prefix="sunbid-redraw-", dir=ctx.server.dir)
    keyfile, path = os.path.join(tmp, "key"), os.path.join(tmp, "trail.json")
    open(keyfile, "w").write(key)
    open(path, "wb").write(a.body)
    p = subprocess.run([verify, "trail", "--key", keyfile, path], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    r.check("(h) rules: sunbid-verify trail rechecks the fresh draw (commitments, exclusions, already drawn, "
            "seats and quota, positions, beacon date) → exit 0",
            p.returncode == 0 and "fresh draw members" in out and "fresh draw opened by a vacancy" in out
            and "replacement-1 beacon form and date" in out, out[-800:])
