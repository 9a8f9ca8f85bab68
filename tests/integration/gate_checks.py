"""(h) rules: the qualification gate and the bidder floor, over HTTPS,
black-box (docs/qualification.md; issue 11 items 1, 2, 8 and security A14,
A15).

- A commitment from an enterprise below a tender's thresholds is refused
  (422 bidder_not_qualified, naming the rating used) and changes nothing; a
  code of type 92 or N2 is refused (403 bidder_type_not_allowed); a refused
  enterprise may still object to the documents.
- A bidder blacklisted before the deadline (after it committed) is invalid in
  the opening record (reason not_qualified) and still counted as a bidder.
- A tender with two bidders fails unopened at the deadline: read right after
  it, no feed page or trail shows its bid entries, there is no reveal window
  and no opening record, and the failure notice says "fewer than three
  bidders" without the number.
- A bid on a draft answers exactly as on an unknown tender (404), and the
  draft's entries are not in the public feed.
- A new draft may name the failed tender it re-tenders (retender_of).

Expected values are computed here from the rules, never read from the server.
"""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from scenarios import BUDGET, TERM_MONTHS, pass_selection_plans, plan_of

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
DAY = 86400


def uscc(pair, org8, region="350206"):
    """A GB 32100 code with both check characters computed here (LAW.md §7)."""
    val = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in org8]
    c9 = 11 - sum(v * w for v, w in zip(val, ORG_WEIGHTS)) % 11
    org = org8 + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    first17 = pair + region + org
    s = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + ALPHABET[(31 - s % 31) % 31]


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    return datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc) \
        if len(s) > 20 else datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def canonical(v):
    import json
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def commitment(salt, bid):
    return hashlib.sha256(b"sunbid/bid/v1\n" + salt + canonical(bid)).hexdigest()


class Gate:
    def __init__(self, ctx, results):
        self.ctx, self.r, self.c = ctx, results, ctx.client
        self.pw, self.tok = {}, {}
        tag = secrets.token_hex(3).upper().replace("0", "1")
        # Enterprises: three qualified, one below the thresholds, one
        # blacklisted, and two valid codes of types that may not bid.
        self.codes = {
            "ok0": uscc("91", "G" + tag[:3] + "0001"), "ok1": uscc("91", "G" + tag[:3] + "0002"),
            "ok2": uscc("91", "G" + tag[:3] + "0003"), "low": uscc("91", "G" + tag[:3] + "0004"),
            "black": uscc("91", "G" + tag[:3] + "0005"), "t92": uscc("92", "G" + tag[:3] + "0006"),
            "n2": uscc("N2", "G" + tag[:3] + "0007")}
        self.ratings = {"ok0": ("AA", 8800, 4, False), "ok1": ("AAA", 9500, 5, False),
                        "ok2": ("A", 7500, 3, False), "low": ("B", 6400, 2, False),
                        "black": ("AAA", 9900, 5, True), "t92": ("AAA", 9000, 5, False),
                        "n2": ("AAA", 9000, 5, False)}
        self.tag = tag
        self.plans = []  # passed selection plans not yet followed by a tender

    # -- plumbing
    def req(self, method, path, who=None, **kw):
        return self.c.request(method, path, token=self.tok.get(who) if who else None, **kw)

    def expect(self, name, a, status, code=None):
        ok = a.status == status and (code is None or a.code == code)
        return self.r.check(f"gate: {name} → {status}{' ' + code if code else ''}", ok, repr(a)[:400])

    def login(self, names):
        for n in names:
            self.tok[n] = self.c.login(n, self.pw[n])

    def now(self):
        return parse_time(self.req("GET", "/health").json()["time"])

    def advance_to(self, t):
        """Moves the dev clock to the first whole second at or after T."""
        secs = int((t - self.now()).total_seconds()) + 1
        a = self.req("POST", "/dev/clock", "admin", json_body={"advance_s": max(secs, 1)})
        self.expect(f"POST /dev/clock +{secs} s", a, 200)
        self.login(["admin"])  # sessions expire across the jump

    def account(self, username, role, **extra):
        self.pw[username] = f"gate-pw-{username}"
        a = self.req("POST", "/accounts", "admin", json_body={
            "username": username, "password": self.pw[username], "role": role,
            "display_name": f"{role} {username}", **extra})
        self.expect(f"POST /accounts {username}", a, 201)

    def feed(self, start):
        items, cursor = [], start
        while cursor is not None:
            a = self.req("GET", "/audit/entries", params={"start": cursor})
            if a.status != 200:
                self.r.fail("gate: GET /audit/entries", repr(a))
                break
            page = a.json()
            items += page["items"]
            cursor = page.get("next_cursor")
        return items

    def tender_body(self, title, deadline, **extra):
        return {"community_id": self.community, "title": title, "service_tier": "T2",
                "area_centi_m2": 20000,
                "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
                "criteria": [{"code": "plan", "title": "服务方案"}], "committee_size": 5,
                "min_valid_bids": 2, "candidate_cap": 3, "candidate_cap_method": "lowest_price",
                "decision": {"method": "lowest_price"}, "beacon_source": "上证综合指数次一交易日收盘值",
                "bid_deadline": rfc3339(deadline), "reveal_window_s": DAY,
                "candidate_publicity_days": 3, "vote_window_s": 0, "award_publicity_days": 3,
                "budget_fen_per_m2_month": BUDGET, "contract_term_months": TERM_MONTHS,
                **({"selection_plan_motion": self.plans[0]} if self.plans else {}),
                **extra}

    def publish(self, title, deadline, **extra):
        # One live tender per selection plan: each publication takes the next.
        extra.setdefault("selection_plan_motion", self.plans.pop(0))
        a = self.req("POST", "/tenders", "gate.tenderer", json_body=self.tender_body(title, deadline, **extra))
        self.expect(f"POST /tenders {title}", a, 201)
        tid = a.json()["id"]
        a = self.req("POST", f"/tenders/{tid}/publish", "gate.tenderer")
        self.expect(f"publish {title}", a, 200)
        return tid

    def seal(self, tid, who):
        salt = secrets.token_bytes(32)
        bid = {"tender_id": tid, "bidder_uscc": self.codes[who], "price_fen_per_m2_month": 200,
               "staffing": {"保洁": 4, "秩序维护": 4}, "service_plan": f"方案 {who}",
               "documents": [{"name": "plan.pdf", "sha256_hex": hashlib.sha256(who.encode()).hexdigest()}]}
        return salt, bid, commitment(salt, bid)

    # -- the steps
    def setup(self):
        self.pw["admin"] = self.ctx.server.admin_password
        self.login(["admin"])
        a = self.req("POST", "/communities", "admin", json_body={
            "name": "筼筜花园", "district": "思明区", "street": "筼筜街道", "address": "厦门市思明区湖滨南路 1 号"})
        self.expect("POST /communities", a, 201)
        self.community = a.json()["id"]
        tiers = self.req("GET", "/service-tiers").json()["items"]
        if not any(t["code"] == "T2" for t in tiers):
            a = self.req("PUT", "/service-tiers", "admin", json_body={"items": tiers + [
                {"code": "T2", "name": "二级服务", "min_fen_per_m2_month": 150, "max_fen_per_m2_month": 300,
                 "required_items": ["保洁", "秩序维护"]}]})
            self.expect("PUT /service-tiers", a, 200)
        for k, code in self.codes.items():
            a = self.req("POST", "/enterprises", "admin", json_body={"uscc": code, "name": f"筼筜物业{k}"})
            self.expect(f"POST /enterprises {k} ({code[:2]})", a, 201)
        eff = self.now() - timedelta(days=1)
        self.rated_from = rfc3339(eff)
        a = self.req("PUT", "/registry/ratings", "admin", json_body={"items": [
            {"uscc": self.codes[k], "credit_grade": g, "credit_score": s, "star_rating": st,
             "blacklisted": b, "effective_from": self.rated_from}
            for k, (g, s, st, b) in self.ratings.items()]})
        self.expect("PUT /registry/ratings", a, 200)
        self.account("gate.tenderer", "tenderer", community_id=self.community)
        for k, code in self.codes.items():
            self.account(f"gate.{k}", "enterprise", enterprise_uscc=code)
        # One owner, who passes the two selection plans the tenders follow.
        a = self.req("PUT", f"/communities/{self.community}/roster", "admin",
                     data="unit,area_centi_m2,owner_key,owner_name,status\n1-101,20000,GK1,洪文杰,sold\n"
                     .encode("utf-8"), headers={"Content-Type": "text/csv; charset=utf-8"})
        self.expect("PUT roster", a, 200)
        self.account("gate.owner", "owner", community_id=self.community, owner_key="GK1")
        plan = plan_of(self.tender_body("方案", self.now()))
        self.plans = pass_selection_plans(
            self.r, self.c, self.community, ("gate.tenderer", self.pw["gate.tenderer"]),
            [("gate.owner", self.pw["gate.owner"])], ("admin", self.pw["admin"]), [plan, plan]) or []
        self.login(["admin", "gate.tenderer"] + [f"gate.{k}" for k in self.codes])

    def submission_gate(self, tid):
        r = self.r
        for who, failed in (("low", ["credit_below_threshold", "star_below_threshold"]),
                            ("black", ["blacklisted"])):
            before = self.c.log_size()
            a = self.req("POST", f"/tenders/{tid}/bids", f"gate.{who}",
                         json_body={"commitment_sha256_hex": self.seal(tid, who)[2]})
            self.expect(f"{who} commits below the thresholds", a, 422, "bidder_not_qualified")
            d = a.json().get("error", {}).get("details", {}) if a.status == 422 else {}
            g, s, st, b = self.ratings[who]
            rating = d.get("rating") or {}
            r.check(f"gate: the refusal of {who} names the rating used (grade, stars, blacklist, "
                    f"effective date) and the failures {failed}",
                    rating.get("credit_grade") == g and rating.get("star_rating") == st
                    and rating.get("blacklisted") == b
                    and parse_time(rating.get("effective_from", "1970-01-01T00:00:00Z")) == parse_time(self.rated_from)
                    and d.get("failed") == failed
                    and d.get("required", {}).get("min_credit_grade") == "A", repr(d))
            r.check(f"gate: the refused commitment of {who} changed nothing", self.c.log_size() == before)
        for who in ("t92", "n2"):
            before = self.c.log_size()
            a = self.req("POST", f"/tenders/{tid}/bids", f"gate.{who}",
                         json_body={"commitment_sha256_hex": self.seal(tid, who)[2]})
            self.expect(f"a {self.codes[who][:2]} code commits (only type 91 may bid)", a, 403,
                        "bidder_type_not_allowed")
            r.check(f"gate: the refused commitment of {who} changed nothing", self.c.log_size() == before)
        a = self.req("POST", f"/tenders/{tid}/objections", "gate.low", json_body={"text": "资格条件排斥潜在投标人"})
        self.expect("an enterprise refused by the gate objects to the documents", a, 201)
        # Answered the same day (条例 22: an unanswered document objection
        # would hold the deadline); the deadline keeps its days, so it stays.
        if a.status == 201:
            a = self.req("POST", f"/tenders/{tid}/objections/{a.json()['id']}/answer", "gate.tenderer",
                         json_body={"text": "资格条件依据厦门市信用评价办法设定"})
            self.expect("the tenderer answers the document objection", a, 200)
            r.check("gate: an answer on the day of filing does not move the deadline",
                    a.status == 200 and a.json().get("deadline_moved") is None, repr(a)[:300])

    def drafts(self, deadline):
        r = self.r
        start = self.c.log_size()
        a = self.req("POST", "/tenders", "gate.tenderer", json_body=self.tender_body("草稿", deadline))
        self.expect("POST /tenders (a draft)", a, 201)
        draft = a.json()["id"]
        items = self.feed(start)
        r.check("gate: the draft's entry is withheld in the public feed",
                not any(e.get("tender") == draft for e in items) and any("leaf_hash" in e for e in items),
                repr(items)[:300])
        body = {"commitment_sha256_hex": self.seal(draft, "ok0")[2]}
        on_draft = self.req("POST", f"/tenders/{draft}/bids", "gate.ok0", json_body=body)
        unknown = self.req("POST", "/tenders/T999999/bids", "gate.ok0", json_body=body)
        r.check("gate: a bid on a draft answers as on an unknown tender (404 tender_not_found)",
                on_draft.status == unknown.status == 404 and on_draft.code == unknown.code == "tender_not_found",
                f"{on_draft!r} vs {unknown!r}")

    def run(self):
        r = self.r
        self.setup()
        deadline = (self.now() + timedelta(days=21)).replace(microsecond=0)
        two = self.publish("两家投标", deadline)
        three = self.publish("三家投标", deadline)
        self.submission_gate(two)
        self.drafts(deadline)
        first_bid = self.c.log_size()
        sealed = {}
        for who in ("ok0", "ok1"):
            a = self.req("POST", f"/tenders/{two}/bids", f"gate.{who}",
                         json_body={"commitment_sha256_hex": self.seal(two, who)[2]})
            self.expect(f"{who} commits to the two-bid tender", a, 201)
        for who in ("ok0", "ok1", "ok2"):
            sealed[who] = self.seal(three, who)
            a = self.req("POST", f"/tenders/{three}/bids", f"gate.{who}",
                         json_body={"commitment_sha256_hex": sealed[who][2]})
            self.expect(f"{who} commits to the three-bid tender", a, 201)
        # ok2 is blacklisted before the deadline, after it committed: the
        # snapshot at the deadline is the binding check.
        a = self.req("PUT", "/registry/ratings", "admin", json_body={"items": [
            {"uscc": self.codes["ok2"], "credit_grade": "A", "credit_score": 7500, "star_rating": 3,
             "blacklisted": True, "effective_from": rfc3339(self.now())}]})
        self.expect("PUT /registry/ratings (ok2 blacklisted)", a, 200)

        # The first whole second after the deadline (the core test,
        # tests/tender_core/gate_test.cc, reads at deadline + 1 ms exactly).
        self.advance_to(deadline)
        self.login(["gate.tenderer", "gate.ok0", "gate.ok1", "gate.ok2"])
        a = self.req("GET", f"/tenders/{two}")
        v = a.json() if a.status == 200 else {}
        r.check("gate: at the deadline the two-bid tender failed unopened (too_few_bidders)",
                v.get("status") == "failed" and v.get("end_reason") == "too_few_bidders", repr(v)[:300])
        items = self.feed(first_bid)
        leaked = [e for e in items if e.get("tender") == two and e.get("type", "").startswith("bid.")]
        released = [e for e in items if e.get("tender") == three and e.get("type", "").startswith("bid.")]
        r.check("gate: right after the deadline the feed shows no bid entry of the two-bid tender",
                not leaked, repr(leaked)[:300])
        r.check("gate: the three-bid tender's bid entries were released as its reveal window opened",
                len(released) == 3, repr(released)[:300])
        failed = [e for e in self.feed(first_bid) if e.get("tender") == two and e.get("type") == "tender.failed"]
        notice = failed[0]["payload"].get("notice", "") if failed else ""
        r.check("gate: the failure notice says fewer than three bidders, without the number",
                len(failed) == 1 and failed[0]["payload"].get("reason") == "too_few_bidders"
                and "fewer than three bidders" in notice and "2" not in notice, repr(failed)[:300])
        closed = [e for e in self.feed(first_bid) if e.get("tender") == two and e.get("type") == "tender.bidding_closed"]
        r.check("gate: the closing entry of the two-bid tender names no bid",
                len(closed) == 1 and "bids" not in closed[0]["payload"], repr(closed)[:300])
        a = self.req("GET", f"/tenders/{two}/trail")
        trail = [e["entry"] for e in a.json().get("entries", [])] if a.status == 200 else None
        r.check("gate: its trail holds no bid entry",
                trail is not None and not any('"type":"bid.' in e for e in trail), repr(a)[:300])
        a = self.req("GET", f"/tenders/{two}/opening")
        self.expect("the two-bid tender has no opening record", a, 409, "opening_not_public")
        salt, bid, _ = self.seal(two, "ok0")
        a = self.req("POST", f"/tenders/{two}/bids/mine/reveal", "gate.ok0",
                     json_body={"salt_hex": salt.hex(), "bid": bid})
        self.expect("no reveal window for the two-bid tender", a, 409, "tender_failed")
        a = self.req("GET", f"/tenders/{two}", "gate.tenderer")
        r.check("gate: its tenderer is not shown who bid",
                a.status == 200 and not a.json().get("bids"), repr(a)[:300])

        # The three-bid tender: reveal, close the window, read the record.
        for who in ("ok0", "ok1", "ok2"):
            salt, bid, _ = sealed[who]
            a = self.req("POST", f"/tenders/{three}/bids/mine/reveal", f"gate.{who}",
                         json_body={"salt_hex": salt.hex(), "bid": bid})
            self.expect(f"{who} reveals", a, 200)
        self.advance_to(deadline + timedelta(seconds=DAY))
        self.login(["gate.tenderer"])
        a = self.req("GET", f"/tenders/{three}/opening")
        self.expect("the three-bid tender's opening record", a, 200)
        rows = {x["bidder_uscc"]: x for x in a.json().get("items", [])} if a.status == 200 else {}
        bad = rows.get(self.codes["ok2"], {})
        r.check("gate: the bidder blacklisted before the deadline is invalid in the opening record "
                "(not_qualified, blacklisted) and the others are valid",
                len(rows) == 3 and bad.get("valid") is False and bad.get("reason") == "not_qualified"
                and bad.get("disqualified") == ["blacklisted"] and bad.get("bid") is None
                and rows.get(self.codes["ok0"], {}).get("valid") and rows.get(self.codes["ok1"], {}).get("valid"),
                repr(rows)[:500])
        a = self.req("GET", f"/tenders/{three}")
        r.check("gate: with 2 valid bids (min_valid_bids 2) the tender is opened",
                a.status == 200 and a.json().get("status") == "opened", repr(a)[:300])

        # Re-tendering links the failed tender; a live one cannot be named.
        later = (self.now() + timedelta(days=21)).replace(microsecond=0)
        before = self.c.log_size()
        a = self.req("POST", "/tenders", "gate.tenderer",
                     json_body=self.tender_body("重新招标", later, retender_of=three))
        self.expect("a draft naming a tender that did not fail", a, 422, "retender_invalid")
        r.check("gate: the refused re-tender changed nothing", self.c.log_size() == before)
        a = self.req("POST", "/tenders", "gate.tenderer",
                     json_body=self.tender_body("重新招标", later, retender_of=two))
        self.expect("a draft re-tendering the failed tender", a, 201)
        r.check("gate: the re-tender shows retender_of", a.status == 201 and a.json().get("retender_of") == two,
                repr(a)[:300])


def check_gate(ctx, results):
    Gate(ctx, results).run()
