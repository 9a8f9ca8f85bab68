"""(i) secrets: committee before the decision (issue 11 items 10 and 11).

A fresh lowest_price tender in the scenarios' world (the accounts, the
enterprises and the expert pool of (g); set up here when (g) did not run),
brought to `opened`; then over HTTPS:

- a beacon in any but its canonical form (`^[1-9][0-9]*\\.[0-9]{2}$`), a date
  that is no date (2025-13-45) and any date but the first trading day after
  the bid closing are refused (422) and change nothing;
- the committee's pool list was committed in a public entry before the
  beacon date, as salted hashes only (no expert named);
- before the decision, GET /tenders/{id}/committee is 403 for the tender's
  own tenderer, a tenderer of another community and evaluators who were not
  drawn, 200 for the supervisor and a drawn evaluator (招标投标法 art. 37).
"""

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta, timezone

import checks
import scenarios


def china_date(time_text):
    t = datetime.strptime(time_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return (t + timedelta(hours=8)).date()


def first_weekday_after(d):
    d += timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def check_draws(ctx, results):
    r = results
    s = getattr(ctx, "scenario_world", None)
    if s is None:
        s = scenarios.Scenarios(ctx, results)
        s.setup()
        s.pass_plans()
    ent = s.enterprises[:3]
    s.login(["admin", s.sup, "scen.tenderer0"] + ent)

    now = s.now_server()
    deadline = (now + timedelta(days=21)).replace(microsecond=0)
    body = {"community_id": s.community, "title": "鹭江花园物业服务招标（抽取）", "service_tier": "T2",
            "area_centi_m2": sum(x[1] for x in scenarios.ROSTER),
            "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
            "criteria": scenarios.CRITERIA, "committee_size": 5, "min_valid_bids": 2, "candidate_cap": 3,
            "candidate_cap_method": "lowest_price", "decision": {"method": "lowest_price"},
            "beacon_source": "上证综合指数次一交易日收盘值", "bid_deadline": scenarios.rfc3339(deadline),
            "reveal_window_s": scenarios.REVEAL_S, "candidate_publicity_days": scenarios.PUBLICITY_DAYS,
            "vote_window_s": 0, "award_publicity_days": scenarios.PUBLICITY_DAYS,
            "budget_fen_per_m2_month": scenarios.BUDGET, "contract_term_months": scenarios.TERM_MONTHS,
            "selection_plan_motion": s.spare_plans.pop(0) if s.spare_plans else "M0"}
    a = s.req("POST", "/tenders", "scen.tenderer0", json_body=body)
    s.expect("draws: POST /tenders (draft)", a, 201)
    tid = a.json()["id"]
    s.expect("draws: publish", s.req("POST", f"/tenders/{tid}/publish", "scen.tenderer0"), 200)
    sealed = []
    for i in range(3):
        salt = secrets.token_bytes(32)
        plan = f"服务方案 抽取 投标人{i} {secrets.token_hex(6)}"
        bid = {"tender_id": tid, "bidder_uscc": scenarios.USCCS[i],
               "price_fen_per_m2_month": scenarios.PRICES[i], "staffing": {"保安": 6, "保洁": 4},
               "service_plan": plan,
               "documents": [{"name": "方案.pdf", "sha256_hex": hashlib.sha256(plan.encode()).hexdigest()}]}
        sealed.append((salt, bid))
        a = s.req("POST", f"/tenders/{tid}/bids", ent[i],
                  json_body={"commitment_sha256_hex": scenarios.commitment(salt, bid)})
        s.expect(f"draws: bidder {i} commits", a, 201)
    s.advance(int((deadline - s.now_server()).total_seconds()) + 60)
    s.login(ent)
    for i in range(3):
        a = s.req("POST", f"/tenders/{tid}/bids/mine/reveal", ent[i],
                  json_body={"salt_hex": sealed[i][0].hex(), "bid": sealed[i][1]})
        s.expect(f"draws: bidder {i} reveals", a, 200)
    s.advance(scenarios.REVEAL_S + 2)
    evaluators = ["user.evaluator", "user.tenderer"]
    s.pw.setdefault("user.tenderer", checks.PASSWORD.format("tenderer"))
    s.login(["admin", s.sup, "scen.tenderer0"] + s.experts + evaluators)

    # The public pool commitment: before the beacon date, hashes only.
    s.wait_checkpoint()
    a = s.req("GET", f"/tenders/{tid}/trail")
    s.expect("draws: GET trail", a, 200)
    entries = [json.loads(e["entry"]) for e in a.json()["entries"]] if a.status == 200 else []
    closing = [e for e in entries if e["type"] == "tender.bidding_closed"]
    commit = [e for e in entries if e["type"] == "committee.pool_committed"]
    names = [s.ids[x] for x in s.experts] + s.experts
    why = f"{len(closing)} bid-closing and {len(commit)} commitment entries"
    ok = len(closing) == 1 and len(commit) == 1
    if ok:
        text = json.dumps(commit[0], ensure_ascii=False)
        p = commit[0]["payload"]
        named = [n for n in names if n in text]
        why = (f"fixed_index {p['fixed_index']} (closing {closing[0]['index']}), list_size "
               f"{p['list_size']} of {len(s.experts)} experts, {len(p['commitments'])} commitments, "
               f"named {named}")
        # The scenarios' experts but the one employed by bidder 0 (other
        # steps may have added experts of their own).
        ok = (p["fixed_index"] == closing[0]["index"] and p["list_size"] >= len(s.experts) - 1
              and len(p["commitments"]) == p["list_size"] and not named)
    r.check("(i) draws: the committee's pool list is committed in a public entry after the bid closing, "
            "as salted hashes that name no expert", ok, why)
    want = "2000-01-03"
    if closing and commit:
        want = first_weekday_after(max(china_date(closing[0]["time"]), china_date(commit[0]["time"]))).isoformat()
        r.check("(i) draws: the pool list was committed before the beacon date",
                china_date(commit[0]["time"]).isoformat() < want, f"{commit[0]['time']} vs {want}")

    # Beacons that could be ground are refused, and change nothing.
    path = f"/tenders/{tid}/committee/draw"
    before = s.c.log_size()
    wrong_day = (date.fromisoformat(want) + timedelta(days=1)).isoformat()
    for beacon, day, status, code in [("3301.250", want, 422, "beacon_invalid"),
                                      ("03301.25", want, 422, "beacon_invalid"),
                                      ("3,301.25", want, 422, "beacon_invalid"),
                                      ("3301.25", "2025-13-45", 422, "beacon_invalid"),
                                      ("3301.25", wrong_day, 422, "beacon_date_not_allowed"),
                                      ("3301.25", scenarios.rfc3339(deadline)[:10], 422,
                                       "beacon_date_not_allowed")]:
        a = s.req("POST", path, s.sup, json_body={"beacon": beacon, "beacon_date": day})
        r.check(f"(i) draws: committee draw with beacon {beacon!r} of {day} → {status} {code}",
                a.status == status and a.code == code, repr(a)[:300])
        if code == "beacon_date_not_allowed" and a.status == 422:
            r.check("(i) draws: the refusal names the first trading day after the bid closing",
                    a.json()["error"]["details"].get("required") == want, repr(a)[:300])
    r.check("(i) draws: the refused draws changed nothing", s.c.log_size() == before,
            f"{before} -> {s.c.log_size()}")

    if s.now_server().astimezone(scenarios.CHINA).date() < date.fromisoformat(want):
        before = s.c.log_size()
        a = s.req("POST", path, s.sup, json_body={"beacon": "3301.25", "beacon_date": want})
        r.check(f"(i) draws: the first trading day {want} is still after today (China time) → "
                f"409 beacon_date_in_future, nothing stored",
                a.status == 409 and a.code == "beacon_date_in_future" and s.c.log_size() == before,
                repr(a)[:300])
    s.reach_beacon_day(want)
    a = s.retry_pending(lambda: s.req("POST", path, s.sup, json_body={"beacon": "3301.25", "beacon_date": want}))
    s.expect("draws: committee draw with the canonical beacon of the first trading day", a, 201)
    drawn = a.json().get("members", []) + a.json().get("reserves", []) if a.status == 201 else []
    by_id = {s.ids[x]: x for x in s.experts}
    drawn_names = [by_id[m] for m in drawn if m in by_id]
    not_drawn = [x for x in s.experts if x not in drawn_names]

    # Committee names before the decision (招标投标法 art. 37).
    committee = f"/tenders/{tid}/committee"
    for who, why in [("scen.tenderer0", "the tender's own tenderer"),
                     ("user.tenderer", "a tenderer of another community"),
                     ("user.evaluator", "an evaluator outside the pool")] + \
            [(x, "a pool evaluator not drawn") for x in not_drawn]:
        before = s.c.log_size()
        a = s.req("GET", committee, who)
        r.check(f"(i) secrets: GET /committee before the decision as {why} ({who}) → 403 not_allowed",
                a.status == 403 and a.code == "not_allowed" and s.c.log_size() == before, repr(a)[:300])
    a = s.req("GET", committee, s.sup)
    r.check("(i) secrets: GET /committee before the decision as the supervisor → 200",
            a.status == 200 and a.json().get("members"), repr(a)[:300])
    if drawn_names:
        a = s.req("GET", committee, drawn_names[0])
        r.check("(i) secrets: GET /committee before the decision as a drawn evaluator → 200",
                a.status == 200, repr(a)[:300])
    a = s.req("GET", committee)
    r.check("(i) secrets: GET /committee anonymously → 401", a.status == 401, repr(a)[:300])
    # The tender, now reviewing, for (h) rules: 补抽 fresh draw (redraw_checks).
    ctx.draws_tender = tid if drawn else None
