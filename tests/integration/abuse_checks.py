"""(i) secrets: limits and insiders (issue 11, items 14 and 15; security
A7-A11, A16-A18, B1), black-box against the server's default configuration.
The limits lowered by configuration are tested in tests/server/abuse_test.cc.
"""
import json
import os
import subprocess
import time

from checks import ENTERPRISE_USCC, PASSWORD

ANONYMOUS_BODY_LIMIT = 16 * 1024       # limits::kMaxAnonymousBodyBytes
OBJECTION_TEXT_LIMIT = 16 * 1024       # limits::kMaxObjectionTextBytes
USERNAME_LIMIT = 64                    # limits::kMaxUsernameBytes


def check_abuse(ctx, results):
    c = ctx.client
    # Earlier steps move the dev clock past the sessions' lifetime.
    tok = {role: c.login(*ctx.credentials[role]) for role in ctx.credentials}
    j = {"Content-Type": "application/json"}

    # -- bodies are read only after authentication (A11) ----------------------
    before = c.log_size()
    pad = b'{"username":"admin","password":"' + b"x" * ANONYMOUS_BODY_LIMIT + b'"}'
    a = c.request("POST", "/sessions", data=pad, headers=j)
    results.check("limits: anonymous body over 16 KiB → 413 body_too_large",
                  a.status == 413 and a.code == "body_too_large", repr(a))
    t = time.monotonic()
    status, head = c.headers_only("PUT", f"/api/v1/communities/{ctx.community_id}/roster",
                                  {"Content-Length": str(2 * 1024 * 1024), "Content-Type": "text/csv"})
    results.check(f"limits: anonymous 2 MiB roster upload → 413 before the body "
                  f"({time.monotonic() - t:.1f} s)", status == 413, head[:300])
    status, head = c.headers_only("PUT", f"/api/v1/communities/{ctx.community_id}/roster",
                                  {"Content-Length": str(2 * 1024 * 1024), "Content-Type": "text/csv",
                                   "Authorization": "Bearer " + tok["tenderer"]})
    results.check("limits: a tenderer's 2 MiB roster upload → 413 (16 MiB only for an admin)",
                  status == 413, head[:300])
    results.check("limits: refused bodies changed nothing", c.log_size() == before)

    # -- logins (A9) -------------------------------------------------------------
    before = c.log_size()
    huge = "u" * (USERNAME_LIMIT + 1)
    codes = [c.request("POST", "/sessions", json_body={"username": huge, "password": "p" * 8}).code
             for _ in range(8)]
    results.check("limits: a username over 64 bytes → 401 invalid_credentials, never throttled",
                  codes == ["invalid_credentials"] * 8, str(codes))
    results.check("limits: refused logins changed nothing", c.log_size() == before)

    # -- /dev/clock is the admin's (A16) ---------------------------------------
    before = c.log_size()
    a = c.request("POST", "/dev/clock", json_body={"advance_s": 60})
    results.check("insiders: anonymous POST /dev/clock → 401 (loopback included)",
                  a.status == 401 and a.code == "unauthenticated", repr(a))
    a = c.request("POST", "/dev/clock", token=tok["supervisor"], json_body={"advance_s": 60})
    results.check("insiders: a supervisor's POST /dev/clock → 403", a.status == 403, repr(a))
    results.check("insiders: refused clock moves changed nothing", c.log_size() == before)

    # --dev-clock only on a loopback listen address (A16): refused at start.
    data = os.path.join(ctx.server.dir, "dev-clock-public")
    try:
        p = subprocess.run([ctx.server.binary, "serve", "--data-dir", data, "--listen", "0.0.0.0:0",
                            "--dev-clock"], capture_output=True, text=True, timeout=30)
        results.check("insiders: serve --dev-clock --listen 0.0.0.0:0 → refused at start",
                      p.returncode != 0 and "dev_clock_not_loopback" in p.stderr, p.stderr[-300:])
    except subprocess.TimeoutExpired:
        results.fail("insiders: serve --dev-clock --listen 0.0.0.0:0 → refused at start",
                     "the server started")

    # -- a forwarded request is never loopback (B1) -----------------------------
    a = c.request("GET", "/metrics")
    results.check("limits: GET /metrics from loopback without a session → 200", a.status == 200, repr(a))
    a = c.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    results.check("limits: GET /metrics with X-Forwarded-For: 127.0.0.1 → 401 (proxied, not loopback)",
                  a.status == 401, repr(a))

    # -- objections: size limit (A10) --------------------------------------------
    before = c.log_size()
    text = "异" * (OBJECTION_TEXT_LIMIT // 3 + 1)  # 3 bytes each: just over the limit
    a = c.request("POST", f"/tenders/{ctx.tender_id}/objections", token=tok["enterprise"],
                  json_body={"text": text})
    results.check("limits: an objection over 16 KiB → 413 objection_too_long",
                  a.status == 413 and a.code == "objection_too_long", repr(a))
    results.check("limits: the refused objection changed nothing", c.log_size() == before)

    # -- one binding per account, or a supervisor's approval (A7) ------------------
    before = c.log_size()
    body = {"username": "abuse.twin", "password": "abuse-twin-pw", "role": "enterprise",
            "display_name": "孪生账户", "enterprise_uscc": ENTERPRISE_USCC}
    a = c.request("POST", "/accounts", token=tok["admin"], json_body=body)
    results.check("insiders: a second account on a held USCC → 409 account_binding_held",
                  a.status == 409 and a.code == "account_binding_held", repr(a))
    results.check("insiders: the refused account changed nothing", c.log_size() == before)
    a = c.request("POST", "/account-approvals", token=tok["admin"], json_body=body)
    results.check("insiders: the admin asks for it → 202 pending", a.status == 202, repr(a))
    approval = a.json().get("id") if a.status == 202 else "none"
    a = c.request("GET", "/account-approvals", token=tok["supervisor"])
    mine = [x for x in a.json().get("items", []) if x.get("id") == approval] if a.status == 200 else []
    results.check("insiders: GET /account-approvals shows the supervisor the pending request and "
                  "the account that holds its binding, no password material",
                  len(mine) == 1 and mine[0]["state"] == "pending"
                  and mine[0]["enterprise_uscc"] == ENTERPRISE_USCC and mine[0]["binding_held_by"]
                  and "password" not in json.dumps(a.json()), repr(a)[:300])
    a = c.request("GET", "/account-approvals", token=tok["admin"])
    results.check("insiders: the admin cannot list the requests it waits on → 403", a.status == 403, repr(a))
    a = c.request("POST", f"/account-approvals/{approval}/approve", token=tok["admin"])
    results.check("insiders: the admin cannot approve its own request → 403", a.status == 403, repr(a))
    a = c.request("POST", f"/account-approvals/{approval}/approve", token=tok["supervisor"])
    results.check("insiders: a supervisor approves → 201", a.status == 201, repr(a))
    listed = c.request("GET", "/account-approvals", token=tok["supervisor"])
    results.check("insiders: an approved request leaves the list",
                  listed.status == 200 and all(x["id"] != approval for x in listed.json()["items"]),
                  repr(listed)[:300])
    twin = c.login("abuse.twin", "abuse-twin-pw") if a.status == 201 else None

    # -- disabling an account ends its sessions at once (A17) ----------------------
    if twin:
        account_id = a.json()["id"]
        other = c.login("abuse.twin", "abuse-twin-pw")
        a = c.request("DELETE", "/sessions/others", token=twin)
        results.check("accounts: DELETE /sessions/others → 200, 1 closed",
                      a.status == 200 and a.json().get("sessions_closed") == 1, repr(a))
        a = c.request("GET", "/tenders", token=other)
        results.check("accounts: the other session is gone → 401", a.status == 401, repr(a))
        a = c.request("POST", f"/accounts/{account_id}/disable", token=tok["admin"],
                      json_body={"reason": "集成测试"})
        results.check("accounts: the admin disables the account → 200", a.status == 200, repr(a))
        a = c.request("GET", "/tenders", token=twin)
        results.check("accounts: the disabled account's session ends at once → 401",
                      a.status == 401 and a.code == "session_invalid", repr(a))
        a = c.request("POST", "/sessions", json_body={"username": "abuse.twin", "password": "abuse-twin-pw"})
        results.check("accounts: a disabled account cannot log in → 403 account_disabled",
                      a.status == 403 and a.code == "account_disabled", repr(a))

    # -- pages: trail and objections of a tender the scenarios left (A10) -----------
    a = c.request("GET", "/tenders", params={"limit": 500})
    tenders = [t["id"] for t in a.json().get("items", [])] if a.status == 200 else []
    walked = False
    for tid in tenders:
        first = c.request("GET", f"/tenders/{tid}/trail", params={"limit": 2})
        if first.status != 200 or first.json().get("next_cursor") is None:
            continue
        size = first.json()["tree_size"]
        indices = [e["index"] for e in first.json()["entries"]]
        page, pages = first.json(), 1
        while page.get("next_cursor") is not None and pages < 50:
            nxt = c.request("GET", f"/tenders/{tid}/trail",
                            params={"tree_size": size, "cursor": page["next_cursor"], "limit": 2})
            if nxt.status != 200:
                results.fail(f"limits: trail page {pages + 1} of {tid}", repr(nxt))
                break
            page = nxt.json()
            pages += 1
            results.check(f"limits: trail page {pages} of {tid} is against tree_size {size}",
                          page["tree_size"] == size and len(page["entries"]) <= 2)
            indices += [e["index"] for e in page["entries"]]
        whole = c.request("GET", f"/tenders/{tid}/trail", params={"tree_size": size})
        results.check(f"limits: trail of {tid} walked in {pages} pages = the whole trail at tree_size {size}",
                      whole.status == 200 and [e["index"] for e in whole.json()["entries"]] == indices,
                      f"{indices[:10]}…")
        walked = True
        break
    if not walked:
        results.skip("limits: trail pages", "no tender with more than two trail entries (scenarios not run)")
    a = c.request("GET", f"/tenders/{ctx.tender_id}/objections", params={"limit": 100000})
    results.check("limits: GET objections?limit beyond the page size → 400 invalid_query",
                  a.status == 400 and a.code == "invalid_query", repr(a))
