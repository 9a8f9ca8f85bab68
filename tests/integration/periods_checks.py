"""(h) rules: periods in calendar days, China time (issue 11 items 3, 4, 7;
docs/periods.md), through HTTPS: the holiday calendar (GET/PUT /calendar),
the platform's minimum windows at publication, and a document objection that
holds the deadline until its answer moves it."""
from datetime import datetime, timedelta, timezone

import checks

CHINA = timezone(timedelta(hours=8))


def _parse(s):
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def _rfc3339(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_periods(ctx, results):
    c = ctx.client
    r = results
    for role in ("admin", "tenderer", "enterprise"):
        c.tokens[role] = c.login(*ctx.credentials[role])

    # The calendar: public reading; the admin sets a version; refusals change nothing.
    a = c.request("GET", "/calendar")
    r.check("rules: GET /calendar (anonymous) → 200", a.status == 200, repr(a))
    version = a.json().get("version", -1) if a.status == 200 else -1
    before = c.log_size()
    a = c.request("PUT", "/calendar", role="admin",
                  json_body={"holidays": [], "working_days": ["2099-10-05"]})  # a Monday
    r.check("rules: PUT /calendar with a working day that is no weekend → 422 calendar_invalid",
            a.status == 422 and a.code == "calendar_invalid", repr(a))
    r.check("rules: the refused calendar changed nothing", c.log_size() == before)
    a = c.request("PUT", "/calendar", role="admin",
                  json_body={"holidays": ["2099-10-01", "2099-10-02"], "working_days": ["2099-10-04"]})
    r.check("rules: PUT /calendar (admin) → 200, a new version",
            a.status == 200 and a.json().get("version") == version + 1, repr(a))
    a = c.request("GET", "/calendar")
    r.check("rules: GET /calendar shows the new version",
            a.status == 200 and a.json().get("holidays") == ["2099-10-01", "2099-10-02"]
            and a.json().get("working_days") == ["2099-10-04"], repr(a))
    entries = c.request("GET", "/audit/entries", params={"start": before, "end": before + 1}).json()
    types = [e.get("type") for e in entries.get("items", [])]
    r.check("rules: the calendar change is a public calendar.replaced entry",
            types == ["calendar.replaced"], repr(types))

    # Minimum windows at publication (platform settings).
    a = c.request("PUT", "/service-tiers", role="admin", json_body={"items": [
        {"code": "T2", "name": "二级服务", "min_fen_per_m2_month": 150, "max_fen_per_m2_month": 300,
         "required_items": ["保洁"]}]})
    r.check("rules: PUT /service-tiers → 200", a.status == 200, repr(a))
    now = _parse(c.request("GET", "/health").json()["time"])
    deadline = (now + timedelta(days=30)).replace(microsecond=0)

    def rules_of(**changes):
        body = {"service_tier": "T2", "area_centi_m2": 1000000,
                "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
                "criteria": [{"code": "plan", "title": "服务方案"}], "committee_size": 5,
                "min_valid_bids": 1, "candidate_cap": 3, "candidate_cap_method": "lowest_price",
                "decision": {"method": "owners_vote", "allow_runoff": False},
                "beacon_source": "上证综合指数次一交易日收盘值", "bid_deadline": _rfc3339(deadline),
                "reveal_window_s": 86400, "candidate_publicity_days": 15, "vote_window_days": 7,
                "award_publicity_days": 3, "budget_fen_per_m2_month": checks.SETUP_BUDGET,
                "contract_term_months": checks.SETUP_TERM_MONTHS,
                "selection_plan_motion": ctx.setup_plans[0]}
        body.update(changes)
        return body

    def tender(**changes):
        body = {"community_id": ctx.community_id, "title": "期间规则测试招标", **rules_of(**changes)}
        a = c.request("POST", "/tenders", role="tenderer", json_body=body)
        r.check("rules: POST /tenders (draft) → 201", a.status == 201, repr(a))
        return a.json().get("id", "T0") if a.status == 201 else "T0"

    # The owners' vote notice goes out with the candidate publicity: at least
    # 15 days before the vote opens (物业管理条例 art. 12).
    for changes, field in (({"vote_window_days": 6}, "vote_window_days"),
                           ({"candidate_publicity_days": 14}, "candidate_publicity_days"),
                           ({"reveal_window_s": 86399}, "reveal_window_s"),
                           ({"decision": {"method": "committee_vote"}, "vote_window_days": 0,
                             "vote_window_s": 3600}, "vote_window_s")):
        t = tender(**changes)
        before = c.log_size()
        a = c.request("POST", f"/tenders/{t}/publish", role="tenderer")
        r.check(f"rules: publish with {changes} → 422 rules_invalid_value naming {field}",
                a.status == 422 and a.code == "rules_invalid_value"
                and a.json()["error"]["details"].get("field") == field, repr(a))
        r.check(f"rules: the refused publish ({field}) changed nothing", c.log_size() == before)
    a = c.request("POST", "/tenders", role="tenderer", json_body={
        "community_id": ctx.community_id, "title": "旧字段", "candidate_publicity_s": 259200})
    r.check("rules: the old field candidate_publicity_s is refused → 400",
            a.status == 400, repr(a))

    # The window preview (issue 15): the draft's windows as publication fixes them.
    before = c.log_size()
    pv = c.request("POST", "/tenders/preview-windows", role="tenderer", json_body={"rules": rules_of()})
    r.check("preview: POST /tenders/preview-windows (tenderer) → 200, the 20 days met",
            pv.status == 200 and pv.json().get("meets_minimum_period") is True, repr(pv))
    preview = pv.json() if pv.status == 200 else {}
    soon = _parse(preview.get("earliest_bid_deadline", "2000-01-01T00:00:00Z")) - timedelta(seconds=1)
    a = c.request("POST", "/tenders/preview-windows", role="tenderer",
                  json_body={"rules": rules_of(bid_deadline=_rfc3339(soon))})
    r.check("preview: a deadline before the earliest → 200, meets_minimum_period false",
            a.status == 200 and a.json().get("meets_minimum_period") is False, repr(a))
    a = c.request("POST", "/tenders/preview-windows", role="tenderer",
                  json_body={"rules": rules_of(vote_window_days=6)})
    r.check("preview: a vote window under the platform's 7 days → 422 rules_invalid_value",
            a.status == 422 and a.code == "rules_invalid_value"
            and a.json()["error"].get("message_zh"), repr(a))
    a = c.request("POST", "/tenders/preview-windows", role="tenderer",
                  json_body={"rules": rules_of(candidate_publicity_days=14)})
    r.check("preview: an owners' vote notice (candidate publicity) of 14 days → 422 naming "
            "candidate_publicity_days, minimum 15",
            a.status == 422 and a.code == "rules_invalid_value"
            and a.json()["error"]["details"].get("field") == "candidate_publicity_days"
            and a.json()["error"]["details"].get("minimum") == 15, repr(a))
    a = c.request("POST", "/tenders/preview-windows", role="enterprise", json_body={"rules": rules_of()})
    r.check("preview: an enterprise → 403", a.status == 403, repr(a))
    r.check("preview: previews changed nothing", c.log_size() == before)
    t = tender(bid_deadline=_rfc3339(soon))
    a = c.request("POST", f"/tenders/{t}/publish", role="tenderer")
    r.check("preview: publish refuses the same deadline, naming the previewed earliest instant",
            a.status == 422 and a.code == "deadline_too_soon"
            and a.json()["error"]["details"].get("earliest") == preview.get("earliest_bid_deadline"), repr(a))

    # A document objection holds the deadline; the answer moves it (条例 22).
    t = tender()
    a = c.request("POST", f"/tenders/{t}/publish", role="tenderer")
    r.check("rules: publish a 30-day tender → 200", a.status == 200, repr(a))
    r.check("preview: the published tender's reveal close is the previewed one",
            a.status == 200 and a.json().get("reveal_closes_at") == preview.get("reveal_closes_at"), repr(a))

    # The selection plan gates every publication (docs/motions.md): each
    # refusal names its field and changes nothing.
    for changes, status, code, field in (
            ({"selection_plan_motion": None}, 422, "selection_plan_required", "selection_plan_motion"),
            ({"selection_plan_motion": "M999"}, 422, "selection_plan_not_passed", "selection_plan_motion"),
            ({"contract_term_months": 24}, 422, "selection_plan_mismatch", "contract_term_months"),
            ({"qualification": {"min_credit_grade": "B", "min_star_rating": 3}}, 422,
             "selection_plan_mismatch", "qualification.min_credit_grade"),
            ({}, 409, "selection_plan_in_use", "selection_plan_motion")):
        body = {"community_id": ctx.community_id, "title": "选聘方案测试招标",
                **{k: v for k, v in rules_of(**changes).items() if v is not None}}
        d = c.request("POST", "/tenders", role="tenderer", json_body=body)
        other = d.json().get("id", "T0") if d.status == 201 else "T0"
        before = c.log_size()
        a = c.request("POST", f"/tenders/{other}/publish", role="tenderer")
        r.check(f"plan gate: publish with {changes or 'the plan of a live tender'} → {status} {code} "
                f"naming {field}, nothing changed",
                a.status == status and a.code == code
                and a.json()["error"]["details"].get("field") == field and c.log_size() == before, repr(a))
    a = c.request("POST", f"/tenders/{t}/objections", role="enterprise",
                  json_body={"text": "资格条件排斥潜在投标人"})
    r.check("rules: a document objection → 201 with its answer_due", a.status == 201
            and "answer_due" in a.json(), repr(a))
    oid = a.json().get("id", "O0") if a.status == 201 else "O0"
    a = c.request("GET", f"/tenders/{t}")
    r.check("rules: while unanswered the deadline is held",
            a.status == 200 and a.json().get("deadline_held") is True, repr(a))
    # Two days later the tenderer answers: the deadline keeps its 30 days.
    a = c.request("POST", "/dev/clock", role="admin", json_body={"advance_s": 2 * 86400})
    r.check("rules: POST /dev/clock +2 days → 200", a.status == 200, repr(a))
    for role in ("tenderer", "enterprise"):
        c.tokens[role] = c.login(*ctx.credentials[role])
    a = c.request("POST", f"/tenders/{t}/objections/{oid}/answer", role="tenderer",
                  json_body={"text": "已澄清", "amends_documents": True})
    moved = a.json().get("deadline_moved") if a.status == 200 else None
    want = _rfc3339(deadline + timedelta(days=2))[:19]
    r.check("rules: the answer moves the deadline 2 days later, same time of day",
            a.status == 200 and moved and moved.get("new_deadline", "")[:19] == want, repr(a))
    a = c.request("GET", f"/tenders/{t}")
    r.check("rules: after the answer the deadline is no longer held and is the moved one",
            a.status == 200 and a.json().get("deadline_held") is False
            and a.json().get("bid_deadline", "")[:19] == want, repr(a))
    if moved:
        e = c.request("GET", "/audit/entries",
                      params={"start": moved["log_index"], "end": moved["log_index"] + 1}).json()
        item = (e.get("items") or [{}])[0]
        r.check("rules: the move is a public amendment notice (tender.amended)",
                item.get("type") == "tender.amended"
                and item.get("payload", {}).get("reason") == "document_objection_answered", repr(item)[:300])
