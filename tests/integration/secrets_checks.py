"""(i) secrets: blinded stubs and the access record (issue 11, items 12, 13).

Runs after the scenarios, reusing their community, tenderer and enterprises:
a fresh tender gets three sealed bids; before the deadline the feed shows
each as its stub {entry_hash, index, leaf_hash}, the chain and the tree
verify through it; after the deadline the released entry carries its blind
and hashes to the stub. Logins and logouts leave no public entry; they are in
the access record that only supervisors read, whose head is committed daily
in the public entry access_record.committed.
"""
import hashlib
import json
import re
import secrets
from datetime import timedelta

import checks
import scenarios
from harness import Skip
from scenarios import (BUDGET, CRITERIA, DECISIONS, DAY, PUBLICITY_DAYS, REVEAL_S, ROSTER, TERM_MONTHS,
                       USCCS, parse_time, rfc3339)

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _entries_raw(c, start, end):
    """The exact bytes of items [start, end) (the feed embeds them verbatim)."""
    a = c.request("GET", "/audit/entries", params={"start": start, "end": end})
    return a.json()["items"], checks._entry_bytes(a.body)


def check_secrets(ctx, results):
    c, r = ctx.client, results
    pw = lambda u: f"scen-pw-{u}"  # noqa: E731 (the scenarios' passwords)
    try:
        tenderer = c.login("scen.tenderer0", pw("scen.tenderer0"))
        ents = [c.login(f"scen.ent{i}", pw(f"scen.ent{i}")) for i in range(3)]
    except RuntimeError as e:
        raise Skip(f"needs the scenarios' accounts: {e}")
    sup = c.login(*ctx.credentials["supervisor"])
    admin = c.login(*ctx.credentials["admin"])
    world = getattr(ctx, "scenario_world", None)
    if world is None or not getattr(world, "community", None):
        raise Skip("no community from the scenarios")
    community = world.community  # scen.tenderer0's community

    # -- logins and logouts write nothing public
    size = c.log_size()
    tok = c.login("scen.ent3", pw("scen.ent3"))
    c.request("DELETE", "/sessions/current", token=tok)
    r.check("secrets: a login and a logout append no public entry", c.log_size() == size,
            f"{size} → {c.log_size()}")

    # -- a tender with three sealed bids
    now = parse_time(c.request("GET", "/health").json()["time"])
    deadline = (now + timedelta(days=21)).replace(microsecond=0)
    body = {"community_id": community, "title": "鹭江花园物业服务招标（secrets）",
            "service_tier": "T2", "area_centi_m2": sum(x[1] for x in ROSTER),
            "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
            "criteria": CRITERIA, "committee_size": 5, "min_valid_bids": 2, "candidate_cap": 3,
            "candidate_cap_method": "lowest_price", "decision": DECISIONS["lowest_price"],
            "beacon_source": "上证综合指数次一交易日收盘值", "bid_deadline": rfc3339(deadline),
            "reveal_window_s": REVEAL_S, "candidate_publicity_days": PUBLICITY_DAYS,
            "vote_window_s": 0, "award_publicity_days": PUBLICITY_DAYS,
            "budget_fen_per_m2_month": BUDGET, "contract_term_months": TERM_MONTHS,
            "selection_plan_motion": world.spare_plans.pop(0) if world.spare_plans else "M0"}
    a = c.request("POST", "/tenders", token=tenderer, json_body=body)
    if a.status != 201:
        raise Skip(f"cannot draft a tender with the scenarios' rules: {a!r}")
    tid = a.json()["id"]
    a = c.request("POST", f"/tenders/{tid}/publish", token=tenderer)
    r.check("secrets: publish the tender", a.status == 200, repr(a))
    receipts = []
    for i, t in enumerate(ents):
        a = c.request("POST", f"/tenders/{tid}/bids", token=t,
                      json_body={"commitment_sha256_hex": secrets.token_hex(32)})
        r.check(f"secrets: bidder {i} commits", a.status == 201, repr(a))
        if a.status == 201:
            receipts.append(a.json()["log_index"])
    # A public entry after the last bid, so the chain runs through every stub.
    checks_serial = secrets.token_hex(3)
    a = c.request("POST", "/accounts", token=admin, json_body={
        "username": f"secrets.{checks_serial}", "password": "secrets-password", "role": "evaluator",
        "display_name": "保密检查"})
    r.check("secrets: a public entry after the bids", a.status == 201, repr(a))
    end = c.log_size()
    lo = min(receipts) - 1
    items, raws = _entries_raw(c, lo, end)
    by_index = {it["index"]: (it, raw) for it, raw in zip(items, raws)}
    stubs = {}
    for k in receipts:
        it, _ = by_index[k]
        ok = set(it) == {"entry_hash", "index", "leaf_hash"} and HEX64.match(it["entry_hash"]) \
            and HEX64.match(it["leaf_hash"])
        r.check(f"secrets: bid entry {k} is a stub {{entry_hash, index, leaf_hash}} before the deadline",
                bool(ok), repr(it)[:300])
        stubs[k] = it
    # The chain verifies through the stubs: each next entry's prev is the
    # previous entry's (or stub's) hash.
    broken = []
    for i in range(lo, end - 1):
        it, raw = by_index[i]
        nxt, _ = by_index[i + 1]
        h = it["entry_hash"] if "entry_hash" in it else hashlib.sha256(raw).hexdigest()
        if "prev" in nxt and nxt["prev"] != h:
            broken.append(i + 1)
    r.check(f"secrets: the hash chain verifies through the stubs (entries {lo}..{end - 1})", not broken,
            repr(broken))
    # The tree too: the stub's leaf hash is the one the inclusion proof proves.
    scen = scenarios.Scenarios(ctx, r)
    scen.wait_checkpoint()
    for k, it in stubs.items():
        a = c.request("GET", "/audit/proof/inclusion", params={"index": k})
        r.check(f"secrets: stub {k}'s leaf hash is the proven leaf",
                a.status == 200 and a.json()["leaf_hash"] == it["leaf_hash"], repr(a)[:300])

    # -- the access record: supervisors only, hash-chained
    for who, token, status in (("an enterprise", ents[0], 403), ("the admin", admin, 403), ("anonymous", None, 401)):
        a = c.request("GET", "/access-record", token=token)
        r.check(f"secrets: GET /access-record as {who} → {status}", a.status == status, repr(a))
    records, cursor = [], 0
    while cursor is not None:
        a = c.request("GET", "/access-record", token=sup, params={"start": cursor, "limit": 500})
        if a.status != 200:
            r.fail("secrets: GET /access-record as a supervisor → 200", repr(a))
            break
        page = a.json()
        records += page["items"]
        cursor = page["next_cursor"]
    prev, bad = "0" * 64, []
    for it in records:
        rec = json.loads(it["record"])
        h = hashlib.sha256(it["record"].encode("utf-8")).hexdigest()
        if rec["prev"] != prev or h != it["hash"] or rec["seq"] != it["seq"]:
            bad.append(it["seq"])
        prev = h
    events = {(json.loads(it["record"])["event"]) for it in records}
    r.check(f"secrets: the access record ({len(records)} records) chains and holds logins and logouts",
            not bad and {"session.created", "session.closed"} <= events, repr(bad[:5]))

    # -- past the deadline: the bids are released with their blinds
    a = c.request("POST", "/dev/clock", token=admin, json_body={"advance_s": 22 * DAY})
    r.check("secrets: past the deadline (POST /dev/clock)", a.status == 200, repr(a))
    items, raws = _entries_raw(c, lo, end)
    for it, raw in zip(items, raws):
        if it["index"] not in stubs:
            continue
        stub = stubs[it["index"]]
        blind = it.get("payload", {}).get("blind", "")
        ok = "type" in it and HEX64.match(blind) and hashlib.sha256(raw).hexdigest() == stub["entry_hash"] \
            and hashlib.sha256(b"\0" + raw).hexdigest() == stub["leaf_hash"]
        r.check(f"secrets: released entry {it['index']} carries a 32-byte blind and hashes to its stub",
                bool(ok), repr(it)[:300])

    # -- the daily commitment of the access record
    commits = [e for e in scen.entries_since(size) if e.get("type") == "access_record.committed"]
    hashes = {it["hash"] for it in records}
    a = c.request("GET", "/access-record", token=sup, params={"start": 0, "limit": 1000})
    hashes |= {it["hash"] for it in a.json()["items"]} if a.status == 200 else set()
    r.check(f"secrets: {len(commits)} daily access_record.committed entries show only the head hash, "
            "which is a record's hash",
            bool(commits) and all(set(e["payload"]) == {"day", "head_sha256"} and e["payload"]["head_sha256"] in hashes
                                  for e in commits), repr(commits[:2])[:300])
