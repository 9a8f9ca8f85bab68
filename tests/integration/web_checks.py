"""Issue 15's foundation over real HTTPS: the browser's cookie session
(Set-Cookie attributes, no token in the answer, bearer or cookie, the Origin
check on cookie writes and on a cookie login, logout clearing it), the
bilingual error texts, GET /tenders's district and tier filters, and the web
app's files at / when the server serves a build."""

from harness import API


def check_web(ctx, results):
    c, r = ctx.client, results
    user, password = ctx.credentials["supervisor"]
    origin = f"https://127.0.0.1:{c.server.port}"
    body = {"username": user, "password": password, "cookie": True}

    # A cookie login from another site is refused; nothing is set.
    a = c.request("POST", "/sessions", json_body=body, headers={"Origin": "https://evil.example"})
    r.check("web: a cookie login from another Origin is 403 origin_mismatch",
            a.status == 403 and a.json()["error"]["code"] == "origin_mismatch"
            and "Set-Cookie" not in a.headers, f"{a.status} {a.body[:200]!r}")
    e = a.json()["error"] if a.status == 403 else {}
    r.check("web: errors carry message_zh and message_en",
            e.get("message_zh") == "请求来源不是本站"
            and e.get("message_en") == "the request's Origin is not this site", repr(e))

    a = c.request("POST", "/sessions", json_body=body, headers={"Origin": origin})
    set_cookie = a.headers.get("Set-Cookie", "")
    r.check("web: a cookie login answers without a token and sets the HttpOnly cookie",
            a.status == 201 and "token" not in a.json()
            and set_cookie.startswith("__Host-sunbid_session=")
            and "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" in set_cookie,
            f"{a.status} {set_cookie!r} {a.body[:200]!r}")
    cookie = set_cookie.split(";")[0]

    def call(method, path, origin_header):
        h = {"Cookie": cookie}
        if origin_header is not None:
            h["Origin"] = origin_header
        return c.request(method, path, headers=h)

    r.check("web: the cookie authenticates a read (the access record, supervisors only)",
            call("GET", "/access-record", None).status == 200)
    for bad in (None, "https://evil.example", origin.replace("https", "http")):
        a = call("DELETE", "/sessions/others", bad)
        r.check(f"web: a cookie write with Origin {bad!r} is 403 origin_mismatch",
                a.status == 403 and a.json()["error"]["code"] == "origin_mismatch",
                f"{a.status} {a.body[:200]!r}")
    r.check("web: a cookie write with our Origin works",
            call("DELETE", "/sessions/others", origin).status == 200)
    a = call("DELETE", "/sessions/current", origin)
    r.check("web: logout clears the cookie",
            a.status == 204 and a.headers.get("Set-Cookie", "").endswith("; Max-Age=0"),
            f"{a.status} {a.headers.get('Set-Cookie')!r}")
    r.check("web: the closed session's cookie no longer authenticates",
            call("GET", "/access-record", None).status == 401)
    r.check("web: a stale cookie is ignored on public reads",
            call("GET", "/tenders", None).status == 200)

    # Bearer clients are unchanged.
    tok = c.login(user, password)
    r.check("web: a bearer login still answers its token", bool(tok))

    # GET /me: the caller's own account; an owner's units, area, head and open votes.
    a = c.request("GET", "/me")
    r.check("web: GET /me without a session is 401", a.status == 401 and a.code == "unauthenticated", repr(a))
    a = c.request("GET", "/me", token=tok)
    me = a.json() if a.status == 200 else {}
    r.check("web: GET /me as a supervisor: the account, no community, no owner part",
            me.get("username") == user and me.get("role") == "supervisor"
            and me.get("community") is None and me.get("owner") is None, repr(a))
    if "owner" in ctx.credentials:
        a = c.request("GET", "/me", token=c.login(*ctx.credentials["owner"]))
        owner = (a.json() if a.status == 200 else {}).get("owner") or {}
        # The set-up roster (checks.setup_accounts): one sold unit of 89.50 m².
        r.check("web: GET /me as an owner: their unit, area and head from the roster",
                a.status == 200 and a.json()["community"]["id"] == ctx.community_id
                and [u["unit"] for u in owner.get("units", [])] == ["1-0101"]
                and owner.get("area_centi_m2") == 8950 and owner.get("heads") == 1
                and isinstance(owner.get("open_votes"), list), repr(a))

    # GET /tenders's filters answer (their results are in server_tests [static]).
    for q in ({"district": "湖里区"}, {"tier": "T2"}, {"community": "C-none"}):
        a = c.request("GET", "/tenders", params=q)
        r.check(f"web: GET /tenders?{list(q)[0]}= answers 200", a.status == 200, a.body[:200])
    a = c.request("GET", "/tenders", params={"tier": "T9"})
    r.check("web: GET /tenders?tier=T9 is empty", a.status == 200 and a.json()["items"] == [])

    # The web app, when this server serves a build (sunbid's default is
    # ./web/dist of its working directory).
    a = c.raw("GET", "/")
    if a.status == 200 and (a.content_type or "").startswith("text/html"):
        csp = a.headers.get("Content-Security-Policy", "")
        r.check("web: / is the app, no-cache, its CSP without unsafe-eval",
                a.headers.get("Cache-Control") == "no-cache" and "script-src 'self'" in csp
                and "unsafe-eval" not in csp and "Strict-Transport-Security" in a.headers, repr(a.headers))
        r.check("web: a client route answers index.html", c.raw("GET", "/tenders/T1").body == a.body)
        r.check("web: no path leaves the web root",
                all(c.raw("GET", t).status in (404, 400) for t in
                    ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd")))
    a = c.raw("GET", API + "/no/such/thing")
    r.check("web: an API 404 stays JSON",
            a.status == 404 and (a.content_type or "").startswith("application/json"))
