"""(o) three kinds of tenderer and menu services (菜单式服务), over real
HTTPS, black-box (issue 13 §3; docs/tenderer-kinds.md; work points 三(三)
and 十四).

Two end-to-end runs with the scenario machinery of scenarios.py, each a
community of its own:
- a `provisional_committee` (临时物业管理委员会) community: its
  lowest_price tender passes the same plan gate and runs to the award; the
  tender notice and the OCDS procuringEntity name the provisional committee;
  its community refuses a tenderer account of another kind (409
  tenderer_kind_mixed) and a menu tender (403 menu_not_allowed);
- a `community_office` (社区) community: the 社区 puts the selection plan
  motion with two item packages as its options; the owners pass one; a
  tender whose menu_items differ is refused (422 selection_plan_mismatch,
  field menu_items), one without items or with an item off the menu too
  (menu_item_missing / menu_item_unknown), a committee method too (422
  rules_invalid_value decision.method); the matching menu tender
  publishes, three companies bid per-item prices, a fourth and a fifth
  company's reveals pricing an item the tender does not list or missing
  one are refused (422 menu_item_unknown / menu_item_missing) and stay
  unrevealed; the opening record flags the items priced outside their
  reference range (computed here) without invalidating the bids; the
  review, the decision (lowest total) and the award follow, and
  `sunbid-verify trail --key` accepts the trail. The 社区 never votes in a
  committee (403 forbidden by the policy table's kind column).

Expected values are computed here from the rules, never read from the server.
"""
import hashlib
import json
import secrets
from datetime import timedelta

import scenarios
from gate_checks import uscc
from scenarios import (BUDGET, CANDIDATE_PUBLICITY_DAYS, TERM_MONTHS, Scenarios, commitment,
                       parse_time, plan_of, rfc3339)

# The menu tier (fen per m² and month): each item with its reference range.
MENU = [{"code": "security", "name": "秩序维护", "min_fen_per_m2_month": 60, "max_fen_per_m2_month": 100},
        {"code": "cleaning", "name": "保洁", "min_fen_per_m2_month": 40, "max_fen_per_m2_month": 70},
        {"code": "greening", "name": "绿化", "min_fen_per_m2_month": 20, "max_fen_per_m2_month": 40},
        {"code": "maintenance", "name": "设施设备维护", "min_fen_per_m2_month": 30,
         "max_fen_per_m2_month": 60},
        {"code": "waste", "name": "垃圾清运", "min_fen_per_m2_month": 10, "max_fen_per_m2_month": 30}]
TIERS = [{"code": "T2", "name": "二级服务", "min_fen_per_m2_month": 150, "max_fen_per_m2_month": 300,
          "required_items": ["保洁", "秩序维护"]},
         {"code": "MENU", "name": "菜单式服务", "min_fen_per_m2_month": 100, "max_fen_per_m2_month": 300,
          "required_items": [], "menu_items": MENU}]
PACKAGES = {"基础包": ["security", "cleaning", "waste"],
            "全包": ["security", "cleaning", "greening", "maintenance", "waste"]}
CHOSEN = "全包"
# Per-item prices of bidders 0..2 (their totals are scenarios.PRICES).
ITEM_PRICES = [{"security": 105, "cleaning": 50, "greening": 25, "maintenance": 35, "waste": 15},
               {"security": 90, "cleaning": 60, "greening": 30, "maintenance": 45, "waste": 20},
               {"security": 95, "cleaning": 65, "greening": 15, "maintenance": 60, "waste": 25}]


def menu_flags(prices):
    """The items priced outside their reference range, as the opening record flags them."""
    out = []
    for m in MENU:
        p = prices.get(m["code"])
        if p is not None and not m["min_fen_per_m2_month"] <= p <= m["max_fen_per_m2_month"]:
            out.append({"item": m["code"], "price_fen_per_m2_month": p,
                        "min_fen_per_m2_month": m["min_fen_per_m2_month"],
                        "max_fen_per_m2_month": m["max_fen_per_m2_month"],
                        "side": "below" if p < m["min_fen_per_m2_month"] else "above"})
    return sorted(out, key=lambda f: f["item"])


class KindScenario(Scenarios):
    """One lowest_price tender of a community whose tenderers are of `kind`."""
    KIND = "owners_committee"
    NAME = ""

    def __init__(self, ctx, results, prefix):
        super().__init__(ctx, results, methods=["lowest_price"], prefix=prefix)

    def account(self, username, role, **extra):
        if role == "tenderer":
            extra = dict(extra, tenderer_kind=self.KIND)
        return super().account(username, role, **extra)

    def setup(self):
        super().setup()
        a = self.req("PUT", "/service-tiers", "admin", json_body={"items": TIERS})
        self.expect("kinds: PUT /service-tiers with a menu tier", a, 200)
        r, p = self.r, self.p
        a = self.req("GET", "/me", f"{p}.tenderer0")
        r.check(f"kinds: GET /me of a {self.KIND} tenderer names its kind",
                a.status == 200 and a.json().get("tenderer_kind") == self.KIND, repr(a)[:300])
        a = self.req("GET", "/me", f"{p}.owner.a")
        r.check("kinds: GET /me of an owner has no tenderer kind",
                a.status == 200 and a.json().get("tenderer_kind") is None, repr(a)[:300])
        other = "community_office" if self.KIND != "community_office" else "owners_committee"
        size = self.c.log_size()
        a = self.req("POST", "/accounts", "admin", json_body={
            "username": f"{p}.other-kind", "password": "kinds-pw-other", "role": "tenderer",
            "display_name": "另一类招标人", "community_id": self.community, "tenderer_kind": other})
        r.check(f"kinds: a {other} tenderer in a {self.KIND} community → 409 tenderer_kind_mixed, "
                f"nothing appended",
                a.status == 409 and a.code == "tenderer_kind_mixed"
                and a.json()["error"]["details"].get("community_kind") == self.KIND
                and self.c.log_size() == size, repr(a)[:400])

    def decide(self):
        r = self.r
        self.advance_past_days(CANDIDATE_PUBLICITY_DAYS)
        self.login([self.sup] + self.tenderers)
        t = self.tenders["lowest_price"]
        t.expected = min(t.candidates, key=lambda b: scenarios.PRICES[list(t.bid_of.values()).index(b)])
        a = self.req("POST", f"/tenders/{t.id}/decision", f"{self.p}.tenderer0")
        r.check(f"kinds: {self.KIND}: the lowest qualified total wins",
                a.status == 200 and a.json().get("winner") == t.expected, repr(a)[:300])

    def check_names(self):
        """The tender notice and the OCDS procuringEntity name the organisation of the kind."""
        r = self.r
        t = self.tenders["lowest_price"]
        a = self.req("GET", f"/tenders/{t.id}/ocds")
        rel = a.json()["releases"][0] if a.status == 200 and a.json().get("releases") else {}
        pe = rel.get("tender", {}).get("procuringEntity", {})
        party = next((x for x in rel.get("parties", []) if x.get("id") == pe.get("id")), {})
        r.check(f"kinds: {self.KIND}: the OCDS procuringEntity is 鹭江花园{self.NAME[0]}, its kind in zh and en",
                pe.get("name") == "鹭江花园" + self.NAME[0]
                and party.get("details", {}).get("tendererKind") == self.KIND
                and party.get("details", {}).get("tendererKindName") == f"{self.NAME[1]} / {self.NAME[2]}",
                json.dumps(party, ensure_ascii=False)[:400])
        self.c.documents_settled()
        a = self.req("GET", f"/tenders/{t.id}/documents")
        items = [i for i in a.json().get("items", []) if i["kind"] == "tender_notice"] if a.status == 200 else []
        text = self._pdf_text(items[0]) if items else ""
        want = (self.NAME[1] + self.NAME[2]).replace(" ", "")
        r.check(f"kinds: {self.KIND}: the 招标公告 names the tenderer 鹭江花园{self.NAME[0]} and its kind "
                f"in zh and en", ("鹭江花园" + self.NAME[0]) in text and want in text, text[:300])

    def run(self):
        self.setup()
        self.publish_and_bid()
        self.reveal()
        self.open_and_review()
        self.decide()
        self.check_names()
        self.finish()


class ProvisionalScenario(KindScenario):
    KIND = "provisional_committee"
    NAME = ("临时物业管理委员会", "临时物业管理委员会", "provisional property management committee")

    def publish_and_bid(self):
        super().publish_and_bid()
        # A committee may not tender menu services (the 社区's alone).
        r, p = self.r, self.p
        body = dict(self.tender_rules("lowest_price"), service_tier="MENU", menu_items=PACKAGES[CHOSEN],
                    bid_deadline=rfc3339(self.deadline))
        body.pop("selection_plan_motion", None)
        a = self.req("POST", "/tenders", f"{p}.tenderer0", json_body=body)
        self.expect("kinds: a provisional committee drafts a menu tender", a, 201)
        if a.status == 201:
            size = self.c.log_size()
            b = self.req("POST", f"/tenders/{a.json()['id']}/publish", f"{p}.tenderer0")
            r.check("kinds: publishing a provisional committee's menu tender → 403 menu_not_allowed, "
                    "nothing appended", b.status == 403 and b.code == "menu_not_allowed"
                    and self.c.log_size() == size, repr(b)[:300])


class OfficeScenario(KindScenario):
    KIND = "community_office"
    NAME = ("所在社区", "社区", "community office")

    def tender_rules(self, method):
        return dict(super().tender_rules(method), service_tier="MENU", menu_items=PACKAGES[CHOSEN])

    def viewers(self):
        """Every role that is not a bidder (enterprise 3 bids here, refused at its reveal)."""
        return [v for v in super().viewers() if v != f"{self.p}.ent3"]

    def pass_plans(self):
        """The 社区 puts the plan with two item packages as its options; the
        owners (2/3 of area and heads) choose 全包. A spare general plan
        for the refusal checks is not needed: each refusal names no plan or
        this one."""
        r, c, p = self.r, self.c, self.p
        plan = dict(plan_of(self.tender_rules("lowest_price")), menu_packages=PACKAGES)
        tok = self.tok[f"{p}.tenderer0"]
        bad = {"title": "菜单式服务选聘方案", "text": "请业主按预算选择服务菜单包。", "kind": "selection_plan",
               "matter_item": 4, "window_days": 7, "plan": plan}
        a = c.request("POST", f"/communities/{self.community}/motions", token=tok, json_body=bad)
        r.check("kinds: a menu plan whose options are not its packages → 422 motion_invalid /options",
                a.status == 422 and a.code == "motion_invalid"
                and a.json()["error"]["details"].get("field") == "options", repr(a)[:300])
        off = dict(plan, menu_packages={"基础包": ["security", "spa"], "全包": PACKAGES[CHOSEN]})
        a = c.request("POST", f"/communities/{self.community}/motions", token=tok,
                      json_body=dict(bad, plan=off, options=list(PACKAGES)))
        r.check("kinds: a package with an item off the tier's menu → 422 menu_item_unknown",
                a.status == 422 and a.code == "menu_item_unknown", repr(a)[:300])
        a = c.request("POST", f"/communities/{self.community}/motions", token=tok,
                      json_body=dict(bad, options=list(PACKAGES)))
        if not self.expect("kinds: the 社区 creates the menu plan motion", a, 201):
            return
        mid = a.json()["id"]
        a = c.request("POST", f"/motions/{mid}/notice", token=tok)
        self.expect("kinds: the 社区 notices the motion", a, 200)
        opens = parse_time(a.json()["opens_at"])
        self.advance(int((opens - self.now_server()).total_seconds()) + 60)
        voters = [n for k, n in self.owner_accounts.items() if k != "SC-E"]
        self.login(voters + [f"{p}.tenderer0"])
        a = self.req("POST", f"/motions/{mid}/ballots", f"{p}.tenderer0", json_body={"choice": CHOSEN})
        r.check("kinds: the 社区 does not vote on the owners' motion (403)", a.status == 403, repr(a)[:300])
        for n in voters:
            a = self.req("POST", f"/motions/{mid}/ballots", n, json_body={"choice": CHOSEN})
            self.expect(f"kinds: {n} chooses {CHOSEN}", a, 201)
        closes = parse_time(self.req("GET", f"/motions/{mid}").json()["closes_at"])
        self.advance(int((closes - self.now_server()).total_seconds()) + 60)
        a = self.req("GET", f"/motions/{mid}")
        m = a.json() if a.status == 200 else {}
        r.check(f"kinds: the menu plan passed with the package {CHOSEN}",
                m.get("status") == "passed" and (m.get("result") or {}).get("winner") == CHOSEN, repr(a)[:400])
        self.plans["lowest_price"] = mid
        self.login(["admin", self.sup, f"{p}.tenderer0", f"{p}.owner.a", "scen.expert0"] + self.enterprises)

    def refusals(self):
        """Tenders that contradict the menu rules are refused at publication (nothing appended)."""
        r, p = self.r, self.p
        base = dict(self.tender_rules("lowest_price"), bid_deadline=rfc3339(self.deadline))
        cases = [
            ("menu_items other than the chosen package", dict(base, menu_items=PACKAGES["基础包"]),
             422, "selection_plan_mismatch", "menu_items"),
            ("no menu_items", {k: v for k, v in base.items() if k != "menu_items"},
             422, "menu_item_missing", "menu_items"),
            ("an item off the menu", dict(base, menu_items=["security", "spa"]),
             422, "menu_item_unknown", "menu_items[1]"),
            ("a committee method (the 社区 is no committee)",
             dict(base, service_tier="T2", decision={"method": "committee_vote"}, vote_window_s=7 * 86400,
                  menu_items=None), 422, "rules_invalid_value", "decision.method"),
        ]
        for what, body, status, code, field in cases:
            body = {k: v for k, v in body.items() if v is not None}
            a = self.req("POST", "/tenders", f"{p}.tenderer0", json_body=body)
            if not self.expect(f"kinds: draft with {what}", a, 201):
                continue
            size = self.c.log_size()
            b = self.req("POST", f"/tenders/{a.json()['id']}/publish", f"{p}.tenderer0")
            details = b.json().get("error", {}).get("details", {}) if b.status >= 400 else {}
            r.check(f"kinds: publishing a 社区 tender with {what} → {status} {code} ({field}), nothing appended",
                    b.status == status and b.code == code and details.get("field") == field
                    and self.c.log_size() == size, repr(b)[:400])

    def publish_and_bid(self):
        r, p = self.r, self.p
        if not self.plans:
            self.pass_plans()
        now = self.now_server()
        self.deadline = (now + timedelta(days=21)).replace(microsecond=0)
        self.refusals()
        t = self.tenders["lowest_price"]
        body = dict(self.tender_rules("lowest_price"), bid_deadline=rfc3339(self.deadline))
        a = self.req("POST", "/tenders", f"{p}.tenderer0", json_body=body)
        self.expect("kinds: the 社区 drafts the menu tender", a, 201)
        t.id = a.json()["id"]
        a = self.req("POST", f"/tenders/{t.id}/publish", f"{p}.tenderer0")
        self.expect("kinds: the matching menu tender publishes", a, 200)
        self.wait_checkpoint()
        t.baseline_trail = [(e["index"], e["entry"]) for e in self.trail(t).json()["entries"]]
        self.first_bid_index = self.c.log_size()
        for i in range(3):
            salt = secrets.token_bytes(32)
            plan = f"菜单式服务方案 投标人{i} {secrets.token_hex(6)}"
            bid = {"tender_id": t.id, "bidder_uscc": scenarios.USCCS[i],
                   "price_fen_per_m2_month": sum(ITEM_PRICES[i].values()), "item_prices": ITEM_PRICES[i],
                   "staffing": {"保安": 4, "保洁": 3}, "service_plan": plan,
                   "documents": [{"name": "服务方案.pdf", "sha256_hex": hashlib.sha256(plan.encode()).hexdigest()}]}
            r.check(f"kinds: bidder {i}'s item prices sum to its total {scenarios.PRICES[i]}",
                    bid["price_fen_per_m2_month"] == scenarios.PRICES[i])
            t.sealed[i] = (salt, bid, commitment(salt, bid))
            a = self.req("POST", f"/tenders/{t.id}/bids", self.enterprises[i],
                         json_body={"commitment_sha256_hex": t.sealed[i][2]})
            self.expect(f"kinds: bidder {i} commits", a, 201)
        # Two more companies commit bids that price an item the tender does
        # not list, or miss one: a sealed bid cannot be checked before its
        # reveal, which refuses it.
        self.bad = {}
        for j, (who, prices) in enumerate([
                (self.enterprises[3], dict(ITEM_PRICES[1], spa=10)),
                (self.extra_enterprise, {k: v for k, v in ITEM_PRICES[1].items() if k != "greening"})]):
            salt = secrets.token_bytes(32)
            bid = {"tender_id": t.id, "bidder_uscc": self.usccs_of[who], "price_fen_per_m2_month": sum(prices.values()),
                   "item_prices": prices, "staffing": {}, "service_plan": f"方案 {j}", "documents": []}
            self.bad[who] = (salt, bid)
            a = self.req("POST", f"/tenders/{t.id}/bids", who,
                         json_body={"commitment_sha256_hex": commitment(salt, bid)})
            self.expect(f"kinds: {who} commits a bid with wrong items", a, 201)
        self.check_sealed()

    def setup(self):
        super().setup()
        # A fifth company (rated) for the second wrong bid.
        self.usccs_of = {self.enterprises[i]: scenarios.USCCS[i] for i in range(4)}
        code = uscc("91", "K" + secrets.token_hex(2).upper().replace("0", "1")[:3] + "0001")
        a = self.req("POST", "/enterprises", "admin", json_body={"uscc": code, "name": "菜单物业服务有限公司"})
        self.expect("kinds: POST /enterprises (fifth company)", a, 201)
        eff = rfc3339(self.now_server() - timedelta(days=1))
        a = self.req("PUT", "/registry/ratings", "admin", json_body={"items": [
            {"uscc": code, "credit_grade": "AA", "credit_score": 8800, "star_rating": 4, "blacklisted": False,
             "effective_from": eff}]})
        self.expect("kinds: PUT /registry/ratings (fifth company)", a, 200)
        self.extra_enterprise = f"{self.p}.ent4"
        self.account(self.extra_enterprise, "enterprise", enterprise_uscc=code)
        self.usccs_of[self.extra_enterprise] = code
        self.enterprises.append(self.extra_enterprise)
        self.login([self.extra_enterprise])

    def reveal(self):
        super().reveal()
        r = self.r
        t = self.tenders["lowest_price"]
        for who, code, item in ((self.enterprises[3], "menu_item_unknown", "spa"),
                                (self.extra_enterprise, "menu_item_missing", "greening")):
            salt, bid = self.bad[who]
            size = self.c.log_size()
            a = self.req("POST", f"/tenders/{t.id}/bids/mine/reveal", who,
                         json_body={"salt_hex": salt.hex(), "bid": bid})
            details = a.json().get("error", {}).get("details", {}) if a.status >= 400 else {}
            r.check(f"kinds: a reveal whose bid {'prices an item the tender does not list' if item == 'spa' else 'misses an item'} "
                    f"→ 422 {code} naming {item}, nothing appended",
                    a.status == 422 and a.code == code and details.get("item") == item
                    and self.c.log_size() == size, repr(a)[:300])

    def open_and_review(self):
        r = self.r
        closes = self.deadline + timedelta(seconds=scenarios.REVEAL_S)
        self.advance(int((closes - self.now_server()).total_seconds()) + 1)
        self.login([self.sup, f"{self.p}.tenderer0"] + self.experts)
        t = self.tenders["lowest_price"]
        a = self.req("GET", f"/tenders/{t.id}/opening")
        rows = a.json()["items"] if a.status == 200 else []
        by = {x["bidder_uscc"]: x for x in rows}
        ok = len(rows) == 5
        for i in range(3):
            row = by.get(scenarios.USCCS[i]) or {}
            ok = ok and row.get("valid") is True and row.get("bid") == t.sealed[i][1]
            got = sorted(row.get("menu_flags", []), key=lambda f: f["item"])
            r.check(f"kinds: bidder {i}'s opening row flags {[f['item'] for f in menu_flags(ITEM_PRICES[i])]} "
                    f"outside their reference range, and stays valid",
                    row.get("valid") is True and got == menu_flags(ITEM_PRICES[i]), repr(row)[:400])
            if row:
                t.bid_of[i] = row["bid_id"]
        for who in self.bad:
            row = by.get(self.usccs_of[who]) or {}
            ok = ok and row.get("valid") is False and row.get("reason") == "not_revealed"
        r.check("kinds: the opening record holds the three valid menu bids and the two refused ones unrevealed",
                ok, repr(rows)[:500])
        opened = [e for e in self.entries_since(self.first_bid_index)
                  if e.get("tender") == t.id and e.get("type") == "tender.opened"]
        rec = {x["bidder_uscc"]: x for x in opened[0]["payload"]["record"]} if opened else {}
        r.check("kinds: the tender.opened entry carries each valid bid's item prices and flags",
                all(rec.get(scenarios.USCCS[i], {}).get("item_prices") == ITEM_PRICES[i]
                    and sorted(rec[scenarios.USCCS[i]].get("menu_flags", []), key=lambda f: f["item"])
                    == menu_flags(ITEM_PRICES[i]) for i in range(3)), repr(opened)[:500])
        self.committee(t)
        self.review(t)

    def decide(self):
        # The 社区 casts no committee vote: the policy table's kind column.
        t = self.tenders["lowest_price"]
        self.login([f"{self.p}.tenderer0"])
        a = self.req("POST", f"/tenders/{t.id}/committee-votes", f"{self.p}.tenderer0",
                     json_body={"candidate_bid_id": t.bid_of[1], "round": 1})
        self.r.check("kinds: a community office's committee vote → 403 forbidden (tenderer_kind)",
                     a.status == 403 and a.code == "forbidden"
                     and a.json()["error"]["details"].get("tenderer_kind") == "community_office", repr(a)[:300])
        super().decide()


def check_kinds(ctx, results):
    ProvisionalScenario(ctx, results, "prov").run()
    OfficeScenario(ctx, results, "office").run()


__all__ = ["check_kinds"]
