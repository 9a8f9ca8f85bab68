"""(g) End-to-end scenarios over real HTTPS, black-box: one tender per
decision method (owners_vote, composite_score, lowest_price, lottery,
committee_vote, vote_then_lottery), from the community set-up to the award
and to an exported trail that `sunbid-verify trail --key` accepts (and a
trail with one byte changed refuses).

The six tenders run in lockstep on the dev clock (one clock jump per stage
for all of them), so that the accounts log in once per stage: every login
costs a scrypt on the server. Every expected outcome (roster totals,
qualified bids, candidates, owners' tally under 民法典 art. 278, composite
scores, lottery and shortlist draws) is computed here from the rules in
DESIGN.md and docs/, never read from the server. The confidentiality checks
of the bidding, reveal, review and vote stages run as every role.
"""
import hashlib
import json
import os
import re
import secrets
import struct
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import checks

DAY = 86400
REVEAL_S = DAY
PUBLICITY_DAYS = 3  # calendar days (docs/periods.md): the award publicity
# The candidate publicity: 15 days for every method, as owners_vote needs
# (its vote notice goes out with it: 物业管理条例 art. 12), so that the six
# tenders keep moving together.
CANDIDATE_PUBLICITY_DAYS = 15
VOTE_DAYS = 7       # the owners' vote, calendar days
VOTE_S = 7 * DAY    # a committee round, seconds
CHINA = timezone(timedelta(hours=8))


def days_end(opened, days):
    """The exclusive end of a period of `days` calendar days granted from
    `opened` (an aware datetime) with the default calendar: day 1 is the next
    China date, the end is 24:00 China time of day `days`, moved past
    Saturdays and Sundays (docs/periods.md)."""
    last = opened.astimezone(CHINA).date() + timedelta(days=days)
    while last.weekday() >= 5:
        last += timedelta(days=1)
    return datetime(last.year, last.month, last.day, tzinfo=CHINA) + timedelta(days=1)
METHODS = ["owners_vote", "composite_score", "lowest_price", "lottery", "committee_vote",
           "vote_then_lottery"]

# Real, valid USCCs (tests/tender_core/uscc_test.cc); the first is the one
# checks.py registers in its setup.
USCCS = ["91350200776049653A", "91350500798359476R", "91350503MA31DKY80A", "91350200MA31E12PXF"]
# credit grade, credit score (hundredths), stars: all above the tenders'
# thresholds (grade A, 3 stars).
RATINGS = [("AA", 8800, 4), ("AAA", 9600, 5), ("A", 8000, 3), ("AA", 9000, 4)]
PRICES = [230, 245, 260]  # fen per m² per month, enterprises 0..2 (3 does not bid)

# The roster: a two-unit owner (one head), four one-unit owners, and two
# unsold units of the developer (together one head, voted by the developer).
ROSTER = [("1-101", 8950, "SC-A", "陈志强", "sold"), ("1-102", 8950, "SC-A", "陈志强", "sold"),
          ("1-201", 12030, "SC-B", "林秀英", "sold"), ("1-202", 11000, "SC-C", "王建国", "sold"),
          ("2-101", 9500, "SC-D", "李娜", "sold"), ("2-102", 10040, "SC-E", "张伟", "sold"),
          ("2-201", 14400, "SC-DEV", "厦门鹭江置业有限公司", "unsold"),
          ("2-202", 13000, "SC-DEV", "厦门鹭江置业有限公司", "unsold")]
OWNER_ACCOUNTS = {"SC-A": "scen.owner.a", "SC-B": "scen.owner.b", "SC-C": "scen.owner.c",
                  "SC-D": "scen.owner.d", "SC-DEV": "scen.owner.dev"}  # SC-E never votes
N_EXPERTS = 7  # committee 5 + reserves; expert 6 is employed by bidder 0
COMPOSITE = {"method": "composite_score", "weights_bp": {"price": 5000, "credit": 3000, "star": 2000},
             "benchmark": "mean", "k_above": 100, "k_below": 50}
DECISIONS = {"owners_vote": {"method": "owners_vote", "allow_runoff": True},
             "composite_score": COMPOSITE,
             "lowest_price": {"method": "lowest_price"},
             "lottery": {"method": "lottery"},
             "committee_vote": {"method": "committee_vote"},
             "vote_then_lottery": {"method": "vote_then_lottery", "shortlist_size": 2}}
CRITERIA = [{"code": "staffing", "title": "人员配置"}, {"code": "plan", "title": "服务方案"}]

# Server defects found by these scenarios and not yet fixed (check name ->
# what is wrong): reported on every run; once fixed, the check fails until
# its line is removed. (Fixed: committee members and vote choices in the
# public log before the decision / the window's close.)
KNOWN_BUGS = {}


# ---- rules, computed independently of the server -----------------------------------
def canonical(v):
    # Equals canonical JSON here: every key is in the BMP, no control characters.
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def commitment(salt, bid):
    return hashlib.sha256(b"sunbid/bid/v1\n" + salt + canonical(bid)).hexdigest()


def roster_totals(rows):
    """(units, headcount, total area): one head per owner however many units
    (SPC interpretation art. 9), all unsold units together one head."""
    area = sum(r[1] for r in rows)
    sold_owners = {r[2] for r in rows if r[4] == "sold"}
    heads = len(sold_owners) + (1 if any(r[4] == "unsold" for r in rows) else 0)
    return len(rows), heads, area


def owners_vote_winner(rows, ballots):
    """民法典 art. 278 with exact integers. ballots: owner key -> last choice
    (a bid id or "abstain"). Returns (winner or None, explanation)."""
    _, total_heads, total_area = roster_totals(rows)
    area = {}
    for r in rows:
        area[r[2]] = area.get(r[2], 0) + r[1]
    p_area = sum(area[k] for k in ballots)
    p_heads = len(ballots)
    if not (3 * p_area >= 2 * total_area and 3 * p_heads >= 2 * total_heads):
        return None, "quorum missed"
    for c in sorted({v for v in ballots.values() if v != "abstain"}):
        c_area = sum(area[k] for k, v in ballots.items() if v == c)
        c_heads = sum(1 for v in ballots.values() if v == c)
        if 2 * c_area > p_area and 2 * c_heads > p_heads:
            return c, f"{c}: area {c_area}/{p_area}, heads {c_heads}/{p_heads}"
    return None, "no double majority"


def rhu(a, b):
    return (2 * a + b) // (2 * b)


def composite_totals(params, bids):
    """bids: bid id -> (price, credit score, stars); docs/composite-score.md."""
    prices = [p for p, _, _ in bids.values()]
    bench = rhu(sum(prices), len(prices)) if params["benchmark"] == "mean" else min(prices)
    w = params["weights_bp"]
    out = {}
    for bid, (p, credit, stars) in bids.items():
        k = params["k_above"] if p > bench else params["k_below"]
        price_score = max(0, 10000 - rhu(k * abs(p - bench) * 100, bench))
        out[bid] = rhu(w["price"] * price_score + w["credit"] * credit + w["star"] * stars * 2000, 10000)
    return out


class Stream:
    """docs/draw.md: SHA-256 in counter mode, unbiased uniform(n)."""

    def __init__(self, seed):
        self.seed, self.i, self.words = seed, 0, []

    def word(self):
        if not self.words:
            blk = hashlib.sha256(self.seed + struct.pack(">Q", self.i)).digest()
            self.i += 1
            self.words = [int.from_bytes(blk[8 * j:8 * j + 8], "big") for j in range(4)]
        return self.words.pop(0)

    def uniform(self, n):
        r = 2 ** 64 % n
        while True:
            w = self.word()
            if w < 2 ** 64 - r:
                return w % n


def draw_seed(purpose, tender, root_hex, beacon, beacon_date):
    """docs/draw.md: the beacon date is part of the seed (seed_version 2)."""
    return hashlib.sha256(b"sunbid/draw/v1\n" + purpose.encode() + b"\n" + tender.encode() + b"\n"
                          + bytes.fromhex(root_hex) + beacon.encode() + b"\n"
                          + beacon_date.encode() + b"\n").digest()


def lottery_pick(ids, seed):
    ids = sorted(ids, key=lambda s: s.encode("utf-8"))
    return ids[Stream(seed).uniform(len(ids))]


def all_strings(v):
    """Every string (keys and values) in a JSON value."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from all_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from all_strings(x)
    elif isinstance(v, str):
        yield v


def has_key(v, key):
    if isinstance(v, dict):
        return key in v or any(has_key(x, key) for x in v.values())
    if isinstance(v, list):
        return any(has_key(x, key) for x in v)
    return False


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


# The budget (fen per m² and month; its max is the price ceiling, 最高投标限价)
# and contract term every tender of this suite states, as its plan fixes them.
BUDGET = {"min": 150, "max": 300}
TERM_MONTHS = 36


def plan_of(rules):
    """The selection plan (选聘方案, docs/motions.md) that tender `rules`
    (a ReqNewTender body) match exactly."""
    return {"tier": rules["service_tier"],
            "budget_fen_per_m2_month": rules.get("budget_fen_per_m2_month", BUDGET),
            "contract_term_months": rules.get("contract_term_months", TERM_MONTHS),
            "thresholds": rules["qualification"], "decision": rules["decision"]}


def pass_selection_plans(results, client, community, tenderer, voters, admin, plans):
    """The owners of `community` pass `plans` (SelectionPlan objects) by
    motions of kind selection_plan, through the API: `tenderer` (username,
    password) creates and notices them, the dev clock moves to their opening,
    `voters` [(username, password)] (owners holding at least 2/3 of the
    roster's area and heads) vote for, and the clock moves past the close,
    where the platform tallies them. Returns the motions' ids, in order, or
    None when one did not pass. The shared dev clock jumps about 25 days
    (every session ends): call it before the community's tenders are
    published, and log in again afterwards. `admin` is (username, password)."""
    def tok(who):
        return client.login(*who)

    def now():
        return parse_time(client.request("GET", "/health").json()["time"])

    def advance_to(t):
        a = client.request("POST", "/dev/clock", token=tok(admin),
                           json_body={"advance_s": max(1, int((t - now()).total_seconds()) + 60)})
        results.check("plans: POST /dev/clock → 200", a.status == 200, repr(a)[:300])

    t = tok(tenderer)
    ids, opens = [], None
    for i, plan in enumerate(plans):
        a = client.request("POST", f"/communities/{community}/motions", token=t, json_body={
            "title": f"物业服务企业选聘方案（{plan['decision']['method']}）",
            "text": "提请业主共同决定物业服务企业选聘方案。", "kind": "selection_plan",
            "matter_item": 4, "window_days": 7, "plan": plan})
        if not results.check(f"plans: {community} selection plan {i} → 201", a.status == 201, repr(a)[:400]):
            return None
        mid = a.json()["id"]
        a = client.request("POST", f"/motions/{mid}/notice", token=t)
        if not results.check(f"plans: notice {mid} → 200", a.status == 200, repr(a)[:300]):
            return None
        opens = parse_time(a.json()["opens_at"])
        ids.append(mid)
    advance_to(opens)
    for v in voters:
        vt = tok(v)
        for mid in ids:
            a = client.request("POST", f"/motions/{mid}/ballots", token=vt, json_body={"choice": "for"})
            results.check(f"plans: {v[0]} votes for {mid} → 201", a.status == 201, repr(a)[:300])
    closes = max(parse_time(client.request("GET", f"/motions/{mid}").json()["closes_at"]) for mid in ids)
    advance_to(closes)
    ok = True
    for mid in ids:
        a = client.request("GET", f"/motions/{mid}")
        ok = results.check(f"plans: {mid} passed at its close",
                           a.status == 200 and a.json().get("status") == "passed", repr(a)[:300]) and ok
    return ids if ok else None


# ---- the scenarios ---------------------------------------------------------------------
class Tender:
    def __init__(self, method):
        self.method = method
        self.id = None
        self.sealed = {}      # enterprise index -> (salt, bid, commitment)
        self.bid_of = {}      # enterprise index -> bid id
        self.members = []     # the active committee after the declarations
        self.drawn = []       # everyone the draw named (members and reserves)
        self.candidates = []
        self.expected = None  # the winner computed here
        self.baseline_trail = None


class Scenarios:
    def __init__(self, ctx, results, methods=None, prefix="scen"):
        """`prefix` names the accounts, so another step can run its own
        scenario on the same server (tests/integration/decide_checks.py)."""
        self.ctx, self.r, self.c = ctx, results, ctx.client
        self.p = prefix
        self.owner_accounts = {k: v.replace("scen.", f"{prefix}.", 1) for k, v in OWNER_ACCOUNTS.items()}
        self.pw = {}
        self.tok = {}
        # username -> account id, shared by every scenario run on this server:
        # the expert pool is the platform's, so a later run (decide_checks.py)
        # logs in as the experts an earlier one created.
        self.ids = ctx.__dict__.setdefault("scenario_account_ids", {})
        self.tenders = {m: Tender(m) for m in (methods or METHODS)}
        self.plans = {}  # method -> the passed selection plan's motion id
        self.spare_plans = []  # passed lowest_price plans no tender follows yet

    # -- plumbing
    def req(self, method, path, who=None, **kw):
        return self.c.request(method, path, token=self.tok.get(who) if who else None, **kw)

    def expect(self, name, a, status):
        return self.r.check(f"scenario: {name} → {status}", a.status == status, repr(a))

    def login(self, names):
        def one(n):
            return n, self.c.login(n, self.pw[n])
        with ThreadPoolExecutor(max_workers=3) as pool:
            for n, t in pool.map(one, names):
                self.tok[n] = t

    def advance(self, seconds):
        # Only the admin moves the dev clock; its session may have expired
        # with the previous jump.
        self.login(["admin"])
        a = self.req("POST", "/dev/clock", "admin", json_body={"advance_s": seconds})
        self.expect(f"POST /dev/clock advance {seconds} s", a, 200)
        self.now = parse_time(a.json()["time"])
        return a

    def advance_past_days(self, days):
        """Past the end of a period of `days` calendar days opened at most
        now (the server's clock)."""
        now = parse_time(self.req("GET", "/health").json()["time"])
        return self.advance(int((days_end(now, days) - now).total_seconds()) + 2)

    def account(self, username, role, **extra):
        """Creates the account; False when an earlier run on this server did."""
        self.pw[username] = f"scen-pw-{username}"
        if username in self.ids:
            return False
        body = {"username": username, "password": self.pw[username], "role": role,
                "display_name": f"{role} {username}", **extra}
        a = self.req("POST", "/accounts", "admin", json_body=body)
        if a.status == 409 and a.code == "account_binding_held":
            # Issue 11 (security A7): setup's enterprise account holds the
            # first USCC; a second account needs a supervisor's approval.
            p = self.req("POST", "/account-approvals", "admin", json_body=body)
            self.expect(f"POST /account-approvals {username} ({role})", p, 202)
            a = self.req("POST", f"/account-approvals/{p.json()['id']}/approve", self.sup)
        self.expect(f"POST /accounts {username} ({role})", a, 201)
        self.ids[username] = a.json()["id"]
        return True

    def entries_since(self, start, who=None):
        items, cursor = [], start
        while cursor is not None:
            a = self.req("GET", "/audit/entries", who, params={"start": cursor})
            if a.status != 200:
                self.r.fail("scenario: GET /audit/entries", repr(a))
                break
            page = a.json()
            items += page["items"]
            cursor = page.get("next_cursor")
        return items

    def trail(self, t, who=None):
        a = self.req("GET", f"/tenders/{t.id}/trail", who)
        self.expect(f"{t.method}: GET trail", a, 200)
        return a

    def wait_checkpoint(self):
        """A trail holds the entries its checkpoint covers: waits (≤ 10 s)
        for a signed checkpoint covering the whole log."""
        size = self.c.log_size()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cp = self.req("GET", "/audit/checkpoint").body.decode().split("\n")
            if len(cp) > 1 and cp[1].isdigit() and int(cp[1]) >= size:
                return
            time.sleep(0.2)
        self.r.fail("scenario: a checkpoint covers the log within 10 s", f"log size {size}")

    def retry_pending(self, fn):
        """A draw waits for a signed checkpoint covering its fixing entry
        (published at most once a second): retried on 409 checkpoint_pending."""
        deadline = time.monotonic() + 8
        while True:
            a = fn()
            if not (a.status == 409 and a.code == "checkpoint_pending") or time.monotonic() > deadline:
                return a
            time.sleep(0.3)

    def beacon_date(self, path, body):
        """The date a draw's beacon must carry (the first trading day after
        the entry that fixed its inputs, docs/draw.md): the refusal of any
        other date names it. The dev clock then reaches that date."""
        a = self.req("POST", path, self.sup, json_body=dict(body, beacon_date="2000-01-03"))
        ok = a.status == 422 and a.code == "beacon_date_not_allowed"
        self.r.check(f"scenario: POST {path.split('/')[-1]} with a beacon of a wrong date is refused "
                     f"(422 beacon_date_not_allowed) and names the date", ok, repr(a)[:300])
        if not ok:
            return "2000-01-03"
        day = a.json()["error"]["details"]["required"]
        self.reach_beacon_day(day)
        return day

    def reach_beacon_day(self, day):
        """A beacon dated after the server's today (China time) is refused
        (409 beacon_date_in_future): the dev clock moves to 00:00 China time
        of `day` (YYYY-MM-DD) when it is still before, and the sessions that
        the jump expired are renewed."""
        y, m, d = (int(x) for x in day.split("-"))
        starts = datetime(y, m, d, tzinfo=CHINA)
        now = self.now_server()
        if now >= starts:
            return
        self.advance(int((starts - now).total_seconds()) + 1)
        names = [n for n in self.tok if n != "admin" and n in self.pw]
        with ThreadPoolExecutor(max_workers=3) as pool:
            for n, t in pool.map(lambda n: (n, self.try_login(n)), names):
                if t:
                    self.tok[n] = t

    def try_login(self, name):
        try:
            return self.c.login(name, self.pw[name])
        except RuntimeError:
            return None

    def bug_or_check(self, name, cond, got=""):
        if name in KNOWN_BUGS:
            self.r.known_bug(name, cond, KNOWN_BUGS[name], got)
        else:
            self.r.check(name, cond, got)

    # -- the stages
    def run(self):
        t0 = time.monotonic()
        self.setup()
        self.publish_and_bid()
        self.reveal()
        self.open_and_review()
        self.decide()
        self.finish()
        self.ctx.scenario_world = self  # (i) draws_checks builds on its accounts and pool
        print(f"   scenarios: {len(self.tenders)} tenders in {time.monotonic() - t0:.1f} s")

    def setup(self):
        c, r = self.c, self.r
        self.pw["admin"] = self.ctx.server.admin_password
        self.pw["user.supervisor"] = checks.PASSWORD.format("supervisor")
        self.pw["user.evaluator"] = checks.PASSWORD.format("evaluator")
        self.login(["admin", "user.supervisor"])
        self.sup = "user.supervisor"
        self.start_index = c.log_size()
        a = self.req("POST", "/communities", "admin", json_body={
            "name": "鹭江花园", "district": "思明区", "street": "鹭江街道", "address": "厦门市思明区鹭江道 100 号"})
        self.expect("POST /communities", a, 201)
        self.community = a.json()["id"]
        csv = "unit,area_centi_m2,owner_key,owner_name,status\n" + "".join(
            f"{u},{ar},{k},{n},{s}\n" for u, ar, k, n, s in ROSTER)
        a = self.req("PUT", f"/communities/{self.community}/roster", "admin", data=csv.encode("utf-8"),
                     headers={"Content-Type": "text/csv; charset=utf-8"})
        self.expect("PUT roster", a, 200)
        units, heads, area = roster_totals(ROSTER)
        got = a.json() if a.status == 200 else {}
        r.check(f"scenario: roster totals = {units} units, {heads} heads (multi-unit owner one, "
                f"developer's unsold units one), {area} centi-m²",
                (got.get("units"), got.get("owners_headcount"), got.get("total_area_centi_m2"))
                == (units, heads, area), repr(got))
        a = self.req("PUT", "/service-tiers", "admin", json_body={"items": [
            {"code": "T2", "name": "二级服务", "min_fen_per_m2_month": 150, "max_fen_per_m2_month": 300,
             "required_items": ["保洁", "秩序维护"]}]})
        self.expect("PUT /service-tiers", a, 200)
        for i, u in enumerate(USCCS):
            a = self.req("POST", "/enterprises", "admin", json_body={"uscc": u, "name": f"鹭江物业服务有限公司{i}"})
            # checks.py's setup registered the first one already.
            r.check(f"scenario: POST /enterprises {u} → 201 (409 if registered by setup)",
                    a.status == 201 or (a.status == 409 and (u == checks.ENTERPRISE_USCC or self.p != "scen")),
                    repr(a))
        eff = rfc3339(parse_time(self.req("GET", "/health").json()["time"]) - timedelta(days=1))
        a = self.req("PUT", "/registry/ratings", "admin", json_body={"items": [
            {"uscc": u, "credit_grade": g, "credit_score": s, "star_rating": st, "blacklisted": False,
             "effective_from": eff} for u, (g, s, st) in zip(USCCS, RATINGS)]})
        self.expect("PUT /registry/ratings", a, 200)
        for i in range(5):  # the deciding committee of the committee methods: odd, >= 5
            self.account(f"{self.p}.tenderer{i}", "tenderer", community_id=self.community)
        for i, u in enumerate(USCCS):
            self.account(f"{self.p}.ent{i}", "enterprise", enterprise_uscc=u)
        for key, name in self.owner_accounts.items():
            self.account(name, "owner", community_id=self.community, owner_key=key)
        for i in range(N_EXPERTS):
            name = f"scen.expert{i}"
            if not self.account(name, "evaluator"):
                continue  # in the pool already
            body = {"account_username": name, "specialties": ["物业管理"], "related_usccs": []}
            if i == N_EXPERTS - 1:
                body["employer_uscc"] = USCCS[0]  # employed by a bidder: never drawn
            a = self.req("POST", "/experts", "admin", json_body=body)
            self.expect(f"POST /experts {name}", a, 201)
        self.experts = [f"scen.expert{i}" for i in range(N_EXPERTS)]
        self.enterprises = [f"{self.p}.ent{i}" for i in range(4)]
        self.tenderers = [f"{self.p}.tenderer{i}" for i in range(5)]
        # One login per account that acts before the deadline.
        self.login([f"{self.p}.tenderer0", f"{self.p}.owner.a", f"scen.expert0"] + self.enterprises)

    def viewers(self):
        """Every role (and the public) that is not a bidder."""
        return [None, "admin", self.sup, f"{self.p}.tenderer0", f"{self.p}.owner.a", f"scen.expert0", f"{self.p}.ent3"]

    def tender_rules(self, method):
        """The body of POST /tenders for `method` (its plan's fields included)."""
        vote = method in ("owners_vote", "committee_vote", "vote_then_lottery")
        return {"community_id": self.community, "title": f"鹭江花园物业服务招标（{method}）",
                "service_tier": "T2", "area_centi_m2": sum(x[1] for x in ROSTER),
                "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
                "criteria": CRITERIA, "committee_size": 5, "min_valid_bids": 2, "candidate_cap": 3,
                "candidate_cap_method": "lowest_price", "decision": DECISIONS[method],
                "beacon_source": "上证综合指数次一交易日收盘值",
                "reveal_window_s": REVEAL_S, "candidate_publicity_days": CANDIDATE_PUBLICITY_DAYS,
                "vote_window_days": VOTE_DAYS if method == "owners_vote" else 0,
                "vote_window_s": VOTE_S if vote and method != "owners_vote" else 0,
                "award_publicity_days": PUBLICITY_DAYS,
                "budget_fen_per_m2_month": BUDGET, "contract_term_months": TERM_MONTHS,
                **({"selection_plan_motion": self.plans[method]} if method in self.plans else {})}

    def pass_plans(self):
        """The owners pass one selection plan per method before any tender
        is published (the dev clock jumps; everyone logs in again)."""
        methods = list(self.tenders)
        # Two spare lowest_price plans for the later checks' tenders of this
        # community (draws_checks, secrets_checks): one live tender per plan.
        spares = ["lowest_price"] * 2
        voters = [(n, self.pw[n]) for k, n in self.owner_accounts.items() if k != "SC-E"]
        ids = pass_selection_plans(self.r, self.c, self.community,
                                   (f"{self.p}.tenderer0", self.pw[f"{self.p}.tenderer0"]),
                                   voters, ("admin", self.pw["admin"]),
                                   [plan_of(self.tender_rules(m)) for m in methods + spares]) or []
        self.plans.update(zip(methods, ids))
        self.spare_plans = ids[len(methods):]
        self.login(["admin", self.sup, f"{self.p}.tenderer0", f"{self.p}.owner.a", "scen.expert0"]
                   + self.enterprises)

    def publish_and_bid(self):
        r = self.r
        if self.tenders and not self.plans:
            self.pass_plans()
        now = parse_time(self.req("GET", "/health").json()["time"])
        self.deadline = (now + timedelta(days=21)).replace(microsecond=0)
        for t in self.tenders.values():
            body = dict(self.tender_rules(t.method), bid_deadline=rfc3339(self.deadline))
            a = self.req("POST", "/tenders", f"{self.p}.tenderer0", json_body=body)
            self.expect(f"{t.method}: POST /tenders (draft)", a, 201)
            t.id = a.json()["id"]
            a = self.req("POST", f"/tenders/{t.id}/publish", f"{self.p}.tenderer0")
            self.expect(f"{t.method}: publish", a, 200)
            a = self.req("POST", f"/tenders/{t.id}/publish", f"{self.p}.tenderer0")
            r.check(f"scenario: {t.method}: publishing again is idempotent",
                    a.status == 200 and a.json().get("already_published") is True, repr(a))
        self.wait_checkpoint()
        for t in self.tenders.values():
            t.baseline_trail = [(e["index"], e["entry"]) for e in self.trail(t).json()["entries"]]
        # Sealed bids: enterprises 0..2 on every tender.
        self.first_bid_index = self.c.log_size()
        for t in self.tenders.values():
            for i in range(3):
                salt = secrets.token_bytes(32)
                plan = f"服务方案 {t.method} 投标人{i} {secrets.token_hex(6)}：24小时门岗，每日两次清扫"
                bid = {"tender_id": t.id, "bidder_uscc": USCCS[i], "price_fen_per_m2_month": PRICES[i],
                       "staffing": {"保安": 6 + i, "保洁": 4, "客服": 2}, "service_plan": plan,
                       "documents": [{"name": "服务方案.pdf",
                                      "sha256_hex": hashlib.sha256(plan.encode()).hexdigest()}]}
                t.sealed[i] = (salt, bid, commitment(salt, bid))
            if t.method == "owners_vote":
                # Bidder 1 first commits to another price, then replaces it.
                first = dict(t.sealed[1][1], price_fen_per_m2_month=299)
                a = self.req("POST", f"/tenders/{t.id}/bids", f"{self.p}.ent1",
                             json_body={"commitment_sha256_hex": commitment(secrets.token_bytes(32), first)})
                r.check("scenario: owners_vote: first commitment → 201, replaced false",
                        a.status == 201 and a.json().get("replaced") is False, repr(a))
            if t.method == "composite_score":
                # Enterprise 3 bids and withdraws before the deadline.
                a = self.req("POST", f"/tenders/{t.id}/bids", f"{self.p}.ent3",
                             json_body={"commitment_sha256_hex": "ab" * 32})
                self.expect("composite_score: enterprise 3 commits", a, 201)
                a = self.req("DELETE", f"/tenders/{t.id}/bids/mine", f"{self.p}.ent3")
                self.expect("composite_score: enterprise 3 withdraws", a, 200)
            for i in range(3):
                a = self.req("POST", f"/tenders/{t.id}/bids", self.enterprises[i],
                             json_body={"commitment_sha256_hex": t.sealed[i][2]})
                ok = a.status == 201 and isinstance(a.json().get("log_index"), int)
                r.check(f"scenario: {t.method}: bidder {i} commits → 201 with its receipt", ok, repr(a))
                if t.method == "owners_vote" and i == 1:
                    r.check("scenario: owners_vote: second commitment replaced the first",
                            ok and a.json().get("replaced") is True, repr(a))
        self.check_sealed()

    def check_sealed(self):
        """Before the deadline nobody but a bidder learns who has bid or how
        many: the tender as every role, the public log, the trail."""
        r = self.r
        usccs = USCCS[:3] + [USCCS[3]]
        self.wait_checkpoint()
        for t in self.tenders.values():
            commits = [s[2] for s in t.sealed.values()]
            for who in self.viewers():
                a = self.req("GET", f"/tenders/{t.id}", who)
                body = a.body.decode("utf-8", "replace")
                v = a.json() if a.status == 200 else {}
                leak = [x for x in commits + ["ab" * 32] if x in body]
                r.check(f"scenario: {t.method}: before the deadline GET /tenders/{{id}} as {who or 'public'} "
                        f"shows no bid", a.status == 200 and not v.get("bids") and not leak,
                        f"{a.status} bids={v.get('bids')} leaked={leak}")
            for i in range(3):
                a = self.req("GET", f"/tenders/{t.id}", self.enterprises[i])
                bids = a.json().get("bids") or [] if a.status == 200 else []
                r.check(f"scenario: {t.method}: before the deadline bidder {i} sees its own bid only",
                        a.status == 200 and [b["bidder_uscc"] for b in bids] == [USCCS[i]], repr(bids)[:300])
            for who in self.viewers():
                a = self.req("GET", "/tenders", who, params={"community_id": self.community})
                body = a.body.decode("utf-8", "replace")
                leak = [x for x in commits + USCCS if x in body]
                r.check(f"scenario: {t.method}: before the deadline GET /tenders as {who or 'public'} shows no bid",
                        a.status == 200 and not leak and not any(i.get("bids") for i in a.json()["items"]),
                        f"{a!r} leaked {leak}")
            now_trail = [(e["index"], e["entry"]) for e in self.trail(t).json()["entries"]]
            r.check(f"scenario: {t.method}: before the deadline the trail is the same as before any bid",
                    now_trail == t.baseline_trail, f"{len(now_trail)} vs {len(t.baseline_trail)} entries")
        items = self.entries_since(self.first_bid_index)
        bad = []
        all_commits = [s[2] for t in self.tenders.values() for s in t.sealed.values()] + ["ab" * 32]
        for e in items:
            if "leaf_hash" in e:
                if set(e) != {"entry_hash", "index", "leaf_hash"}:
                    bad.append(e)
                continue
            text = json.dumps(e, ensure_ascii=False)
            if e.get("type", "").startswith("bid.") or any(x in text for x in all_commits + usccs):
                bad.append(e)
        withheld = sum(1 for e in items if "leaf_hash" in e)
        r.check(f"scenario: before the deadline the public log ({len(items)} entries since the first bid, "
                f"{withheld} withheld) names no bid, bidder, commitment or tender of a bid",
                not bad and withheld >= 3 * len(self.tenders), repr(bad[:2])[:500])

    def reveal(self):
        r = self.r
        self.advance(int((self.deadline - self.now_server()).total_seconds()) + 3600)
        self.login(["admin", self.sup, f"{self.p}.tenderer0", f"{self.p}.owner.a", f"scen.expert0"] + self.enterprises)
        for t in self.tenders.values():
            a = self.req("POST", f"/tenders/{t.id}/bids", f"{self.p}.ent3", json_body={"commitment_sha256_hex": "cd" * 32})
            r.check(f"scenario: {t.method}: a bid after the deadline → 409",
                    a.status == 409 and a.code == "bid_after_deadline", repr(a))
            for i in range(3):
                salt, bid, _ = t.sealed[i]
                a = self.req("POST", f"/tenders/{t.id}/bids/mine/reveal", self.enterprises[i],
                             json_body={"salt_hex": salt.hex(), "bid": bid})
                self.expect(f"{t.method}: bidder {i} reveals", a, 200)
        # Until the reveal window closes, nobody sees a price, salt or plan.
        secrets_ = [(s[0].hex(), s[1]["service_plan"]) for t in self.tenders.values() for s in t.sealed.values()]
        words = [x for pair in secrets_ for x in pair]
        for t in self.tenders.values():
            for who in self.viewers() + self.enterprises[:3]:
                own = []
                if who in self.enterprises[:3]:
                    own = list(t.sealed[self.enterprises.index(who)][:2])
                    own = [own[0].hex(), own[1]["service_plan"]]
                for path in (f"/tenders/{t.id}", f"/tenders/{t.id}/opening", f"/tenders/{t.id}/candidates",
                             f"/tenders/{t.id}/trail"):
                    a = self.req("GET", path, who)
                    body = a.body.decode("utf-8", "replace")
                    leak = [w for w in words if w in body and w not in own]
                    price = has_key(a.json(), "price_fen_per_m2_month") if a.status == 200 and not own else False
                    r.check(f"scenario: {t.method}: in the reveal window GET {path.replace(t.id, '{id}')} as "
                            f"{who or 'public'} shows no price, salt or plan",
                            not leak and not price and (a.status != 200 or "opening" not in path),
                            f"{a.status} leaked {leak[:2]} price key {price}")
        for who in (None, "admin", self.sup):
            items = self.entries_since(self.first_bid_index, who)
            text = json.dumps(items, ensure_ascii=False)
            leak = [w for w in words if w in text]
            r.check(f"scenario: in the reveal window /audit/entries as {who or 'public'} shows no price, salt or plan",
                    not leak and not has_key(items, "price_fen_per_m2_month"), repr(leak[:2]))

    def now_server(self):
        return parse_time(self.req("GET", "/health").json()["time"])

    def open_and_review(self):
        r = self.r
        closes = self.deadline + timedelta(seconds=REVEAL_S)
        self.advance(int((closes - self.now_server()).total_seconds()) + 1)
        self.login([self.sup, f"{self.p}.tenderer0"] + self.experts)
        for t in self.tenders.values():
            a = self.req("GET", f"/tenders/{t.id}/opening")
            self.expect(f"{t.method}: GET /opening after the reveal window", a, 200)
            rows = a.json()["items"] if a.status == 200 else []
            by_uscc = {x["bidder_uscc"]: x for x in rows}
            ok = len(rows) == 3 and all(x["valid"] for x in rows)
            for i in range(3):
                row = by_uscc.get(USCCS[i])
                ok = ok and row is not None and row["bid"] == t.sealed[i][1]
                if row:
                    t.bid_of[i] = row["bid_id"]
            r.check(f"scenario: {t.method}: the opening record holds the three revealed bids exactly "
                    f"(the withdrawn and the replaced commitment are gone)", ok, repr(rows)[:400])
        for t in self.tenders.values():
            self.committee(t)
        for t in self.tenders.values():
            self.review(t)
        self.check_committee_secret("after the review")

    def committee(self, t):
        r = self.r
        beacon = {"beacon": "3301.25"}
        beacon["beacon_date"] = self.beacon_date(f"/tenders/{t.id}/committee/draw", beacon)
        a = self.retry_pending(lambda: self.req("POST", f"/tenders/{t.id}/committee/draw", self.sup,
                                                json_body=beacon))
        self.expect(f"{t.method}: committee draw", a, 201)
        d = a.json()
        members, reserves = d.get("members", []), d.get("reserves", [])
        mine = {self.ids[x]: x for x in self.experts}
        employed = self.ids[self.experts[-1]]
        pool = {p["account"] for p in d.get("inputs", {}).get("pool", [])} or set(mine)
        eligible = len(pool) - 1  # the expert employed by bidder 0 is excluded
        r.check(f"scenario: {t.method}: 5 members and min(5, eligible − 5) reserves drawn from the pool, "
                f"never the expert employed by a bidder", len(members) == 5
                and len(reserves) == min(5, eligible - 5) and employed not in members + reserves
                and set(members + reserves) <= pool, repr(d)[:300])
        t.drawn = members + reserves
        # Evaluators are refused every decision read.
        for m in t.drawn:
            if m in mine:
                a = self.req("GET", f"/tenders/{t.id}/award", mine[m])
                r.check(f"scenario: {t.method}: an evaluator is refused GET /award → 403",
                        a.status == 403, repr(a))
        # Seat by seat: a member this test cannot act for (an expert other
        # checks put in the pool) does not respond and the supervisor
        # replaces it; the first member it can act for declares a conflict;
        # either way the next reserve takes the seat.
        queue = list(reserves)
        conflict = False
        t.members = []
        for m in members:
            while m is not None:
                if m not in mine:
                    a = self.req("POST", f"/tenders/{t.id}/committee/replace", self.sup,
                                 json_body={"member": m, "reason": "未在规定时间内响应"})
                    what = "a member who does not respond is replaced by the next reserve"
                elif not conflict:
                    a = self.req("POST", f"/tenders/{t.id}/committee/declaration", mine[m],
                                 json_body={"no_conflict": False, "detail": "曾在投标人处任职"})
                    conflict = True
                    what = "a declared conflict frees the seat for the next reserve"
                else:
                    a = self.req("POST", f"/tenders/{t.id}/committee/declaration", mine[m],
                                 json_body={"no_conflict": True})
                    self.expect(f"{t.method}: member declares no conflict", a, 200)
                    t.members.append(m)
                    break
                nxt = queue.pop(0) if queue else None
                if not r.check(f"scenario: {t.method}: {what}",
                               a.status == 200 and a.json().get("successor") == nxt and nxt, repr(a)):
                    return
                m = nxt
        a = self.req("GET", f"/tenders/{t.id}/clearing-report", mine[t.members[0]])
        self.expect(f"{t.method}: a member reads the clearing report", a, 200)

    def review(self, t):
        """Fails per bid (enterprise index -> members failing `staffing`):
        one fail never disqualifies; in lowest_price three of five fail
        the cheapest bid, which is then not a candidate."""
        r = self.r
        fails = {2: 1}
        if t.method == "lowest_price":
            fails = {0: 3, 2: 1}
        mine = {self.ids[x]: x for x in self.experts}
        last = None
        for k, m in enumerate(t.members):
            for i in range(3):
                fail = k < fails.get(i, 0)
                marks = [{"criterion": "staffing", "pass": not fail},
                         {"criterion": "plan", "pass": True}]
                if fail:
                    marks[0]["reason"] = "秩序维护人员配置低于招标文件要求"
                a = self.req("POST", f"/tenders/{t.id}/reviews", mine.get(m), json_body={
                    "bid_id": t.bid_of[i], "marks": marks, "strengths": "服务经验丰富",
                    "weaknesses": "夜间巡查频次偏低", "risks": "人员流动"})
                self.expect(f"{t.method}: review", a, 201)
                last = a
            if k == 0:
                # Issue 11 (security A8): the supervisor follows progress, not marks.
                a = self.req("GET", f"/tenders/{t.id}/reviews", self.sup)
                body = a.json() if a.status == 200 else {}
                progress = {p["member"]: p["submitted"] for p in body.get("progress", [])}
                r.check(f"scenario: {t.method}: the supervisor sees who submitted, not the marks",
                        a.status == 200 and body.get("items") == [] and progress.get(m) == 3, repr(a))
        # A bid fails a criterion when a majority fails it; qualifies with no failed criterion.
        qualified = sorted(t.bid_of[i] for i in range(3) if 2 * fails.get(i, 0) <= len(t.members))
        t.candidates = qualified  # the cap (3) does not bite
        r.check(f"scenario: {t.method}: the last review publicizes the candidates",
                last is not None and last.status == 201 and last.json().get("next") == "candidates_publicized",
                repr(last))
        a = self.req("GET", f"/tenders/{t.id}/candidates")
        got = sorted(x["bid_id"] for x in a.json()["items"]) if a.status == 200 else None
        r.check(f"scenario: {t.method}: candidates = the qualified bids computed here {qualified}",
                got == qualified, repr(a))
        self.check_report_before_decision(t)

    def check_report_before_decision(self, t):
        """The 评标报告 by seat before the decision (docs/documents.md): listed to the supervisor and
        the community's tenderer, not to the public; its PDF is the public's 404 document_not_found,
        and private (no-store) for the supervisor once rendered."""
        r = self.r

        def reports(who):
            a = self.req("GET", f"/tenders/{t.id}/documents", who)
            return [i for i in a.json().get("items", []) if i["kind"] == "evaluation_report"] \
                if a.status == 200 else None
        sup, tenderer, public = reports(self.sup), reports(f"{self.p}.tenderer0"), reports(None)
        ok = sup is not None and len(sup) == 1 and tenderer is not None and len(tenderer) == 1 \
            and public == []
        if ok:
            pdf = f"/tenders/{t.id}/documents/{sup[0]['log_index']}.pdf"
            anon = self.req("GET", pdf)
            ok = anon.status == 404 and anon.code == "document_not_found"
            if sup[0].get("status") == "rendered":
                a = self.req("GET", pdf, self.sup)
                ok = ok and a.status == 200 and a.headers.get("Cache-Control") == "private, no-store"
        r.check(f"scenario: {t.method}: before the decision the 评标报告 by seat is the supervisor's and "
                f"the tenderer's, the public's 404", ok, f"supervisor {sup}, tenderer {tenderer}, public {public}")

    def check_committee_secret(self, when, tenders=None):
        """《招标投标法》 art. 37: the committee list stays confidential until
        the result: no member's account id or username in the public log or
        trail of the tender before the decision."""
        self.wait_checkpoint()
        items = self.entries_since(self.start_index)
        for t in tenders or self.tenders.values():
            names = {x for x in self.experts if self.ids[x] in t.drawn}
            secret = set(t.drawn) | names
            found = set()
            for e in items:
                if e.get("tender") == t.id:
                    found |= secret & set(all_strings(e))
            for e in self.trail(t).json()["entries"]:
                found |= secret & set(all_strings(json.loads(e["entry"])))
            self.bug_or_check(f"scenario: {t.method}: {when}, before the decision, the public log and trail "
                              f"name no committee member", not found, sorted(found))

    def check_votes_secret(self, t, choices):
        """No ballot or committee-vote choice in the public log or trail
        before its window closes."""
        self.wait_checkpoint()
        items = [e for e in self.entries_since(self.start_index) if e.get("tender") == t.id]
        items += [json.loads(e["entry"]) for e in self.trail(t).json()["entries"]]
        found = set()
        for e in items:
            if e.get("type") in ("ballot.cast", "committee_vote.cast"):
                found |= set(choices) & set(all_strings(e.get("payload", {})))
        self.bug_or_check(f"scenario: {t.method}: while the vote window is open the public log and trail "
                          f"show no vote's choice", not found, sorted(found))

    def decide(self):
        r = self.r
        self.advance_past_days(CANDIDATE_PUBLICITY_DAYS)
        self.login([self.sup] + self.tenderers + list(self.owner_accounts.values()))
        T = self.tenders
        X, Y, Z = (T["owners_vote"].bid_of[i] for i in range(3))
        # owners_vote: A votes Z, then replaces it with X; B, C vote X; D abstains; the developer votes Y.
        tv = T["owners_vote"]
        plan = [("SC-A", Z), ("SC-A", X), ("SC-B", X), ("SC-C", X), ("SC-D", "abstain"), ("SC-DEV", Y)]
        seen = set()
        for key, choice in plan:
            a = self.req("POST", f"/tenders/{tv.id}/ballots", self.owner_accounts[key],
                         json_body={"candidate_bid_id": choice})
            r.check(f"scenario: owners_vote: {key} votes {choice} → 201 (replaced={key in seen})",
                    a.status == 201 and a.json().get("replaced") is (key in seen), repr(a))
            seen.add(key)
        tv.ballots = {}
        for key, choice in plan:
            tv.ballots[key] = choice
        tv.expected, why = owners_vote_winner(ROSTER, tv.ballots)
        r.check(f"scenario: owners_vote: the vote computed here has a winner ({why})", tv.expected == X, why)
        a = self.req("POST", f"/tenders/{tv.id}/decision", f"{self.p}.tenderer0")
        r.check("scenario: owners_vote: deciding while the window is open → 409 vote_window_open",
                a.status == 409 and a.code == "vote_window_open", repr(a))
        a = self.req("GET", f"/tenders/{tv.id}/award", f"{self.p}.tenderer0")
        r.check("scenario: owners_vote: no award before the decision → 409", a.status == 409, repr(a))
        self.check_votes_secret(tv, [X, Y, Z, "abstain"])

        # composite_score and lowest_price decide at once.
        tc = T["composite_score"]
        totals = composite_totals(COMPOSITE, {tc.bid_of[i]: (PRICES[i], RATINGS[i][1], RATINGS[i][2])
                                              for i in range(3)})
        best = max(totals.values())
        tc.expected = [b for b, s in totals.items() if s == best][0]
        a = self.req("POST", f"/tenders/{tc.id}/decision", f"{self.p}.tenderer0")
        self.expect("composite_score: decision", a, 200)
        got = {s["bid_id"]: s["total"] for s in a.json().get("scores", [])} if a.status == 200 else {}
        r.check(f"scenario: composite_score: the scores are the ones computed here {totals}", got == totals, repr(got))
        r.check("scenario: composite_score: the highest total wins",
                a.status == 200 and a.json().get("winner") == tc.expected, repr(a))
        tl = T["lowest_price"]
        tl.expected = min(tl.candidates, key=lambda b: PRICES[list(tl.bid_of.values()).index(b)])
        r.check("scenario: lowest_price: the cheapest bid was disqualified, the next one is expected",
                tl.expected == tl.bid_of[1])
        a = self.req("POST", f"/tenders/{tl.id}/decision", f"{self.p}.tenderer0")
        r.check("scenario: lowest_price: the lowest qualified price wins",
                a.status == 200 and a.json().get("winner") == tl.expected, repr(a))

        # lottery: the decision leaves a draw pending; the supervisor's beacon picks.
        tlo = T["lottery"]
        a = self.req("POST", f"/tenders/{tlo.id}/decision", f"{self.p}.tenderer0")
        r.check("scenario: lottery: the decision waits for the draw",
                a.status == 200 and a.json().get("next") == "draw:lottery", repr(a))
        tlo.expected = self.lottery(tlo, tlo.candidates, "712.33")

        # committee_vote: the five tenderers (the deciding committee frozen at
        # publication) vote 3–2. Every vote in, the platform decides by itself.
        tcv = T["committee_vote"]
        A, B = tcv.bid_of[0], tcv.bid_of[2]
        votes = dict(zip(self.tenderers, [A, B, A, B, A]))
        for n, (who, bid) in enumerate(votes.items()):
            if n == len(votes) - 1:
                # While a vote is still missing nothing of the votes is public.
                self.check_votes_secret(tcv, list(tcv.bid_of.values()))
            a = self.req("POST", f"/tenders/{tcv.id}/committee-votes", who,
                         json_body={"candidate_bid_id": bid, "round": 1})
            self.expect(f"committee_vote: {who} votes", a, 201)
        counts = {b: list(votes.values()).count(b) for b in set(votes.values())}
        tcv.expected = next((b for b, n in counts.items() if 2 * n > len(self.tenderers)), None)
        a = self.req("POST", f"/tenders/{tcv.id}/decision", f"{self.p}.tenderer0")
        r.check("scenario: committee_vote: a majority of all members wins (everyone voted: decided "
                "by the platform, POST /decision answers it)",
                a.status == 200 and a.json().get("winner") == tcv.expected, repr(a))

        # vote_then_lottery: votes 2–2–1 shortlist two, the draw picks one of them.
        tvl = T["vote_then_lottery"]
        votes = dict(zip(self.tenderers, [tvl.bid_of[1], tvl.bid_of[1], tvl.bid_of[2], tvl.bid_of[2],
                                          tvl.bid_of[0]]))
        for n, (who, bid) in enumerate(votes.items()):
            if n == len(votes) - 1:
                self.check_votes_secret(tvl, list(tvl.bid_of.values()))
            a = self.req("POST", f"/tenders/{tvl.id}/committee-votes", who,
                         json_body={"candidate_bid_id": bid, "round": 1})
            self.expect(f"vote_then_lottery: {who} votes", a, 201)
        shortlist = [tvl.bid_of[1], tvl.bid_of[2]]
        a = self.req("POST", f"/tenders/{tvl.id}/decision", f"{self.p}.tenderer0")
        r.check("scenario: vote_then_lottery: the platform shortlisted two; the decision waits for "
                "the draw → 409 decision_pending_draw",
                a.status == 409 and a.code == "decision_pending_draw", repr(a))
        tvl.expected = self.lottery(tvl, shortlist, "2026.13")
        self.check_committee_secret("while the owners vote", [tv])

        # The owners' window closes: the platform decides (the /dev/clock
        # tick) before anyone clicks; POST /decision answers the stored result.
        self.advance_past_days(VOTE_DAYS)
        self.login([f"{self.p}.tenderer0", self.sup])
        a = self.req("GET", f"/tenders/{tv.id}/award")
        r.check("scenario: owners_vote: decided by the platform with no click (award public)",
                a.status == 200 and a.json().get("awarded_bid_id") == tv.expected, repr(a))
        a = self.req("POST", f"/tenders/{tv.id}/decision", f"{self.p}.tenderer0")
        self.expect("owners_vote: decision", a, 200)
        r.check("scenario: owners_vote: the winner is the one computed here (art. 278 double majority)",
                a.status == 200 and a.json().get("winner") == tv.expected, repr(a))

    def lottery(self, t, ids, beacon):
        """The supervisor enters the beacon; the winner is recomputed here
        from the logged checkpoint root (docs/draw.md). Returns it."""
        r = self.r
        body = {"purpose": "lottery", "beacon": beacon}
        body["beacon_date"] = self.beacon_date(f"/tenders/{t.id}/draws", body)
        a = self.retry_pending(lambda: self.req("POST", f"/tenders/{t.id}/draws", self.sup, json_body=body))
        self.expect(f"{t.method}: lottery draw", a, 201)
        if a.status != 201:
            return None
        d = a.json()
        draw = d.get("draw", {})
        root = draw.get("checkpoint", {}).get("root", "")
        seed = draw_seed("lottery", t.id, root, beacon, body["beacon_date"]) if len(root) == 64 else b""
        r.check(f"scenario: {t.method}: the lottery seed recomputed from the checkpoint root and beacon",
                seed.hex() == draw.get("seed"), repr(draw)[:300])
        expected = lottery_pick(ids, seed) if seed else None
        r.check(f"scenario: {t.method}: the drawn winner is sorted(ids)[uniform(n)] computed here",
                d.get("winner") == expected, f"server {d.get('winner')}, here {expected}")
        return expected

    def record_contracts(self):
        """The tenderer records each awarded tender's signed contract (招标投标法
        art. 46; docs/contract.md): public, once, with its OCDS contract
        release; bad input and other roles are refused."""
        r = self.r
        tenderer = f"{self.p}.tenderer0"
        self.login([tenderer, self.sup, f"{self.p}.owner.a", f"{self.p}.ent3"])
        today = (self.now_server() + timedelta(hours=8)).date()
        notices = self.issue_award_notices(tenderer)
        for t in self.tenders.values():
            body = {"signed_on": today.isoformat(), "term_months": 36,
                    "document_sha256_hex": hashlib.sha256(f"合同 {t.id}".encode()).hexdigest()}
            bad = dict(body, signed_on=(today + timedelta(days=1)).isoformat())
            a = self.req("POST", f"/tenders/{t.id}/contract", tenderer, json_body=bad)
            r.check(f"scenario: {t.method}: a contract signed tomorrow → 422 contract_invalid /signed_on",
                    a.status == 422 and a.code == "contract_invalid"
                    and a.json().get("error", {}).get("details", {}).get("field") == "/signed_on", repr(a))
            a = self.req("POST", f"/tenders/{t.id}/contract", f"{self.p}.ent3", json_body=body)
            self.expect(f"{t.method}: an enterprise records a contract", a, 403)
            a = self.req("POST", f"/tenders/{t.id}/contract", tenderer, json_body=body)
            self.expect(f"{t.method}: the tenderer records the contract", a, 201)
            c = a.json() if a.status == 201 else {}
            r.check(f"scenario: {t.method}: the contract names the winner, not late, due 30 days after the notice",
                    c.get("awarded_bid_id") == t.expected and c.get("late") == []
                    and c.get("signed_on") == body["signed_on"]
                    and parse_time(c.get("due_at", "1970-01-01T00:00:00Z"))
                    > parse_time(c.get("award_notice_at", "1970-01-01T00:00:00Z")) + timedelta(days=30),
                    repr(c)[:400])
            r.check(f"scenario: {t.method}: the contract's 30 days count from the 中标通知书",
                    t.id in notices and c.get("award_notice_at") == notices[t.id].get("issued_at")
                    and c.get("due_at") == notices[t.id].get("contract_due_at"),
                    f"{c!r}"[:300] + f" notice {notices.get(t.id)!r}"[:300])
            a = self.req("POST", f"/tenders/{t.id}/contract", tenderer, json_body=body)
            r.check(f"scenario: {t.method}: a second contract → 409 contract_already_recorded",
                    a.status == 409 and a.code == "contract_already_recorded", repr(a))
            a = self.req("GET", f"/tenders/{t.id}/contract")
            r.check(f"scenario: {t.method}: GET /contract is public and is the recorded one",
                    a.status == 200 and a.json().get("log_index") == c.get("log_index")
                    and a.json().get("document_sha256_hex") == body["document_sha256_hex"], repr(a))
        a = self.req("GET", "/contract-flags", self.sup)
        on_time = {t.id for t in self.tenders.values()}
        r.check("scenario: GET /contract-flags (supervisor) lists no contract signed on time",
                a.status == 200 and not any(x.get("tender_id") in on_time for x in a.json().get("items", [])),
                repr(a))
        a = self.req("GET", "/contract-flags", tenderer)
        self.expect("GET /contract-flags as a tenderer", a, 403)

    def _pdf_text(self, item):
        """The listed document's PDF as text without whitespace ("" when it is not the listed one)."""
        a = self.req("GET", item["url"][len("/api/v1"):])
        if a.status != 200 or hashlib.sha256(a.body).hexdigest() != item.get("sha256_hex"):
            return ""
        text = subprocess.run(["pdftotext", "-", "-"], input=a.body, capture_output=True,
                              timeout=120).stdout.decode("utf-8")
        return re.sub(r"\s+", "", text)

    def issue_award_notices(self, tenderer):
        """The tenderer issues each awarded tender's 中标通知书 (招标投标法 art. 45;
        docs/documents.md): once (a repeat answers the first issue), with the notice to
        the winner and the result notice to every other bidder, read back against the API;
        the owners' vote also has its 投票结果公告. Returns {tender id: the notice}."""
        r, out = self.r, {}
        for t in self.tenders.values():
            a = self.req("POST", f"/tenders/{t.id}/award-notice", f"{self.p}.ent3")
            self.expect(f"{t.method}: an enterprise issues the award notice", a, 403)
            a = self.req("POST", f"/tenders/{t.id}/award-notice", tenderer)
            self.expect(f"{t.method}: the tenderer issues the award notice", a, 201)
            n = a.json() if a.status == 201 else {}
            out[t.id] = n
            a = self.req("POST", f"/tenders/{t.id}/award-notice", tenderer)
            r.check(f"scenario: {t.method}: a repeated award notice → 200, the first issue, nothing appended",
                    a.status == 200 and a.json().get("already_issued") is True
                    and a.json().get("log_index") == n.get("log_index")
                    and a.json().get("issued_at") == n.get("issued_at"), repr(a))
        self.c.documents_settled()
        self.wait_checkpoint()
        self.c.documents_settled()
        for t in self.tenders.values():
            n = out.get(t.id, {})
            items = self.req("GET", f"/tenders/{t.id}/documents").json().get("items", [])
            by_kind = {i["kind"]: i for i in items}
            opening = self.req("GET", f"/tenders/{t.id}/opening").json().get("items", [])
            win = next((x for x in opening if x["bid_id"] == t.expected), None)
            notice, result = by_kind.get("award_notice"), by_kind.get("award_result_notice")
            ok = notice is not None and result is not None and win is not None \
                and notice["log_index"] == n.get("notice_log_index") \
                and result["log_index"] == n.get("result_notice_log_index")
            flat = self._pdf_text(notice) if ok else ""
            price = win["bid"]["price_fen_per_m2_month"] if win and win.get("bid") else 0
            r.check(f"scenario: {t.method}: the 中标通知书 names the winner, its price, the 30 days and the "
                    f"e-signature gap; its footer its log index",
                    ok and "中标通知书" in flat and f"信用代码{win['bidder_uscc']}" in flat
                    and f"中标价格{price // 100}.{price % 100:02d}" in flat and "30日内" in flat
                    and "电子签名法" in flat and f"本文件登记于透明日志第{notice['log_index']}条" in flat,
                    f"{n!r} {sorted(by_kind)} {flat[:300]}")
            flat = self._pdf_text(result) if ok else ""
            others = [x["bidder_uscc"] for x in opening if x["bid_id"] != t.expected]
            r.check(f"scenario: {t.method}: the 中标结果通知书 lists the {len(others)} other bidders and the winner",
                    ok and "中标结果通知书" in flat and f"信用代码{win['bidder_uscc']}" in flat
                    and all(u in flat for u in others), flat[:300])
            if t.method == "owners_vote":
                votes = [i for i in items if i["kind"] == "vote_result"]
                made = [json.loads(e["entry"]) for e in self.trail(t).json().get("entries", [])]
                tallies = [e["payload"]["tally"] for e in made
                           if e["type"] == "decision.made" and "tally" in e["payload"]]
                flat = self._pdf_text(votes[-1]) if votes else ""
                tally = tallies[-1] if tallies else {}
                want = [f"{tally.get('participating_heads')}人/{tally.get('total_heads')}人=",
                        "门槛2/3", "门槛1/2", "为中标人", win["bidder_uscc"] if win else "?"]
                r.check(f"scenario: owners_vote: one 投票结果公告 per counted round ({len(tallies)}), read back: "
                        f"participation against 2/3, the winner, the chart's thresholds",
                        votes and len(votes) == len(tallies) and all(w in flat for w in want),
                        f"{len(votes)} vs {len(tallies)}; missing {[w for w in want if w not in flat]}")
            elif any(i["kind"] == "vote_result" for i in items):
                r.fail(f"scenario: {t.method}: a 投票结果公告 without an owners' vote", str(sorted(by_kind)))
        return out

    def finish(self):
        r = self.r
        self.advance_past_days(PUBLICITY_DAYS)
        self.record_contracts()
        self.login(["scen.expert1"])
        key = self.req("GET", "/audit/key").body.decode()
        self.wait_checkpoint()
        verify = self.ctx.args.sunbid_verify
        tmp = tempfile.mkdtemp(prefix="sunbid-trails-", dir=self.ctx.server.dir)
        keyfile = os.path.join(tmp, "key")
        open(keyfile, "w").write(key)
        for t in self.tenders.values():
            a = self.req("GET", f"/tenders/{t.id}/award")
            v = a.json() if a.status == 200 else {}
            r.check(f"scenario: {t.method}: GET /award names the winner computed here, status awarded",
                    a.status == 200 and t.expected and v.get("awarded_bid_id") == t.expected
                    and v.get("status") == "awarded", f"{a!r}, expected {t.expected}")
            a = self.req("GET", f"/tenders/{t.id}/award", f"scen.expert1")
            r.check(f"scenario: {t.method}: after the award an evaluator is still refused GET /award → 403",
                    a.status == 403, repr(a))
            a = self.trail(t)
            trail = a.json()
            types = [json.loads(e["entry"])["type"] for e in trail["entries"]]
            want = {"tender.published", "bid.committed", "bid.revealed", "tender.opened", "committee.drawn",
                    "committee.declared", "review.submitted", "review.concluded", "decision.made",
                    "tender.awarded", "award_notice.issued", "contract.recorded"}
            want |= {"owners_vote": {"decision.vote_opened", "ballot.cast"},
                     "lottery": {"draw.made"}, "committee_vote": {"committee_vote.cast"},
                     "vote_then_lottery": {"committee_vote.cast", "draw.made"}}.get(t.method, set())
            r.check(f"scenario: {t.method}: the trail holds every stage's entry", want <= set(types),
                    str(sorted(want - set(types))))
            path = os.path.join(tmp, f"trail-{t.method}.json")
            open(path, "wb").write(a.body)
            if not verify or not os.path.exists(verify):
                r.fail("scenario: sunbid-verify", f"no binary at {verify} (pass --sunbid-verify)")
                continue
            p = subprocess.run([verify, "trail", "--key", keyfile, path], capture_output=True, text=True,
                               timeout=120)
            r.check(f"scenario: {t.method}: sunbid-verify trail --key accepts the trail → exit 0",
                    p.returncode == 0, (p.stdout + p.stderr)[-600:])
            # One byte changed in one entry (a digit of its time).
            k = len(trail["entries"]) // 2
            entry = trail["entries"][k]["entry"]
            pos = entry.index('"time":"') + len('"time":"') + 3
            trail["entries"][k]["entry"] = entry[:pos] + ("1" if entry[pos] != "1" else "2") + entry[pos + 1:]
            bad = os.path.join(tmp, f"trail-{t.method}-tampered.json")
            open(bad, "w", encoding="utf-8").write(json.dumps(trail, ensure_ascii=False))
            p = subprocess.run([verify, "trail", "--key", keyfile, bad], capture_output=True, text=True,
                               timeout=120)
            r.check(f"scenario: {t.method}: one byte changed in entry {trail['entries'][k]['index']} → "
                    f"sunbid-verify exits 1 naming it", p.returncode == 1
                    and f"entry {trail['entries'][k]['index']}" in p.stdout + p.stderr,
                    f"exit {p.returncode}: " + (p.stdout + p.stderr)[-300:])


def check_scenarios(ctx, results):
    Scenarios(ctx, results).run()
