#!/usr/bin/env python3
"""Sets up sunbid data for bench/https_vs_nginx.sh, through the API only.

    https_bench_setup.py BASE CAFILE ADMIN_PASSWORD TENDERS ENTERPRISES

Creates a service tier, a community with its tenderer and one owner,
ENTERPRISES enterprises (valid USCCs, ratings, one account and one session
each), TENDERS selection plans the owner passes by motion (the server runs
with --dev-clock: the setup moves it past each motion's notice and window;
docs/motions.md) and TENDERS published tenders, each following its own plan;
prints one JSON object:
{"admin_token", "tenders": [...], "enterprise_tokens": [...]}.
Any refusal stops with the status and body on stderr (exit 1).
"""
import datetime
import json
import sys

import requests

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc(n):
    """A GB 32100-2015 valid code: enterprise (91), Xiamen (350200), org code n."""
    body8 = "%08d" % (10000000 + n)
    c = 11 - sum(int(d) * w for d, w in zip(body8, ORG_WEIGHTS)) % 11
    org = body8 + ("X" if c == 10 else "0" if c == 11 else str(c))
    first17 = "91350200" + org
    s = sum(ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return first17 + ALPHABET[(31 - s % 31) % 31]


def parse(t):
    return datetime.datetime.strptime(t[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def main():
    base, cafile, admin_pw = sys.argv[1:4]
    n_tenders, n_enterprises = int(sys.argv[4]), int(sys.argv[5])
    http = requests.Session()  # keep-alive; `verify` per request (a Session's is
    # overridden by REQUESTS_CA_BUNDLE)

    def call(method, path, body=None, token=None, want=(200, 201)):
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        r = http.request(method, base + path, data=json.dumps(body) if body is not None else None,
                         headers=h, verify=cafile)
        if r.status_code not in want:
            sys.exit("setup: %s %s -> %d %s" % (method, path, r.status_code, r.text))
        return r.json() if r.text else {}

    def login(user, pw):
        return call("POST", "/sessions", {"username": user, "password": pw})["token"]

    admin = login("admin", admin_pw)
    call("PUT", "/service-tiers", {"items": [{
        "code": "T2", "name": "二级", "min_fen_per_m2_month": 100, "max_fen_per_m2_month": 400,
        "required_items": ["保洁"]}]}, admin)
    cid = call("POST", "/communities", {"name": "基准小区", "district": "思明区", "street": "鹭江街道",
                                        "address": "厦门市思明区鹭江道 1 号"}, admin)["id"]
    pw = "bench-password"
    call("POST", "/accounts", {"username": "bench.tenderer", "password": pw, "role": "tenderer",
                               "display_name": "tenderer", "community_id": cid}, admin)
    codes = [uscc(i) for i in range(n_enterprises)]
    ratings = []
    for i, code in enumerate(codes):
        call("POST", "/enterprises", {"uscc": code, "name": "基准物业%d有限公司" % i}, admin)
        ratings.append({"uscc": code, "credit_grade": "AA", "credit_score": 9000, "star_rating": 4,
                        "blacklisted": False, "effective_from": "2020-01-01T00:00:00Z"})
        call("POST", "/accounts", {"username": "bench.e%d" % i, "password": pw, "role": "enterprise",
                                   "display_name": "enterprise %d" % i, "enterprise_uscc": code},
             admin)
    call("PUT", "/registry/ratings", {"items": ratings}, admin)
    tenderer = login("bench.tenderer", pw)
    # The selection plans (one live tender per plan): created and noticed,
    # the owner votes for each when the windows open, tallied at the close.
    r = http.put(base + "/communities/%s/roster" % cid, verify=cafile,
                 data="unit,area_centi_m2,owner_key,owner_name,status\n1-101,12000000,BK1,基准业主,sold\n"
                 .encode("utf-8"), headers={"Content-Type": "text/csv; charset=utf-8",
                                            "Authorization": "Bearer " + admin})
    if r.status_code != 200:
        sys.exit("setup: PUT roster -> %d %s" % (r.status_code, r.text))
    call("POST", "/accounts", {"username": "bench.owner", "password": pw, "role": "owner",
                               "display_name": "owner", "community_id": cid, "owner_key": "BK1"}, admin)
    budget, term = {"min": 100, "max": 400}, 36
    plan = {"tier": "T2", "budget_fen_per_m2_month": budget, "contract_term_months": term,
            "thresholds": {"min_credit_grade": "A", "min_star_rating": 3},
            "decision": {"method": "lowest_price"}}
    plans = []
    for i in range(n_tenders):
        m = call("POST", "/communities/%s/motions" % cid, {
            "title": "选聘方案 %d" % (i + 1), "text": "物业服务企业选聘方案", "kind": "selection_plan",
            "matter_item": 4, "window_days": 7, "plan": plan}, tenderer)
        opens = call("POST", "/motions/%s/notice" % m["id"], {}, tenderer)["opens_at"]
        plans.append(m["id"])

    def advance_to(at):
        now = call("GET", "/health")["time"]
        secs = (parse(at) - parse(now)).total_seconds()
        call("POST", "/dev/clock", {"advance_s": max(1, int(secs) + 60)}, login("admin", admin_pw))

    advance_to(opens)
    owner = login("bench.owner", pw)
    for mid in plans:
        call("POST", "/motions/%s/ballots" % mid, {"choice": "for"}, owner)
    advance_to(call("GET", "/motions/%s" % plans[-1])["closes_at"])
    for mid in plans:
        if call("GET", "/motions/%s" % mid)["status"] != "passed":
            sys.exit("setup: selection plan %s did not pass" % mid)
    admin, tenderer = login("admin", admin_pw), login("bench.tenderer", pw)
    deadline = (parse(call("GET", "/health")["time"]) + datetime.timedelta(days=30)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    tenders = []
    for i in range(n_tenders):
        t = call("POST", "/tenders", {
            "community_id": cid, "title": "基准招标 %d" % (i + 1), "service_tier": "T2",
            "area_centi_m2": 12000000, "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
            "criteria": [{"code": "plan", "title": "服务方案"}], "committee_size": 5,
            "min_valid_bids": 1, "candidate_cap": 5, "candidate_cap_method": "lowest_price",
            "decision": {"method": "lowest_price"}, "beacon_source": "上证指数收盘价",
            "bid_deadline": deadline, "reveal_window_s": 86400, "candidate_publicity_days": 5,
            "vote_window_days": 0, "vote_window_s": 0, "award_publicity_days": 5,
            "selection_plan_motion": plans[i], "budget_fen_per_m2_month": budget,
            "contract_term_months": term}, tenderer)
        call("POST", "/tenders/%s/publish" % t["id"], None, tenderer)
        tenders.append(t["id"])
    tokens = [login("bench.e%d" % i, pw) for i in range(n_enterprises)]
    print(json.dumps({"admin_token": admin, "tenders": tenders, "enterprise_tokens": tokens}))


main()
