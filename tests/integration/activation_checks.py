"""(j) owners: onboarding from the roster with activation codes, over HTTPS,
black-box (issue 13 §1; docs/activation.md).

- The admin imports a roster with the optional certificate_tail column; the
  community's tenderer issues codes (another community's tenderer is
  refused); each code is 12 Crockford base32 symbols and a check symbol
  recomputed HERE from the documented GF(32) rule, grouped XXXX-XXXX-XXXX-C,
  with its link {public_base_url}/activate#code=…, its building, units and
  areas; the answer is no-store.
- An owner activates (typed in lower case with spaces), logs in, and cannot
  use the code again; a typo, a never-issued code, a revoked code and an
  expired code are each refused with their own code and change nothing; the
  certificate tail is asked when the roster carries one.
- Re-issuing for a key with an account: refused without reissue, refused to
  the tenderer with it, a supervisor's reset code resets the password of the
  same account and ends its sessions.
- Failed activations are throttled (429 too_many_activation_attempts).
- No code, no code HMAC and no certificate tail appears in any log entry or
  in the server's output.

Runs last: it moves the dev clock (sessions expire across the jump).
"""
import re
import secrets

from scenarios import parse_time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")


def gf32_mul(a, b):
    r = 0
    for _ in range(5):
        if b & 1:
            r ^= a
        b >>= 1
        a <<= 1
        if a & 0x20:
            a ^= 0x25  # x^5 = x^2 + 1
    return r


def alpha_pow(k):
    v = 1
    for _ in range(k % 31):
        v = gf32_mul(v, 2)
    return v


def check_symbol(data12):
    """docs/activation.md: c = α^19 · Σ α^i · v_i over the 12 data symbols."""
    s = 0
    for i, ch in enumerate(data12):
        s ^= gf32_mul(alpha_pow(i), ALPHABET.index(ch))
    return ALPHABET[gf32_mul(alpha_pow(19), s)]


def plain(code):
    return code.replace("-", "")


def grouped(plain13):
    return "-".join([plain13[0:4], plain13[4:8], plain13[8:12], plain13[12]])


class Onboarding:
    def __init__(self, ctx, results):
        self.ctx, self.r, self.c = ctx, results, ctx.client
        self.tok, self.pw = {}, {}
        self.tag = secrets.token_hex(3)

    def req(self, method, path, who=None, **kw):
        return self.c.request(method, path, token=self.tok.get(who) if who else None, **kw)

    def expect(self, name, a, status, code=None):
        ok = a.status == status and (code is None or a.code == code)
        return self.r.check(f"activation: {name} → {status}{' ' + code if code else ''}", ok,
                            repr(a)[:400])

    def refused(self, name, body, status, code):
        before = self.c.log_size()
        a = self.req("POST", "/activate", json_body=body)
        self.expect(name, a, status, code)
        self.r.check(f"activation: {name}: changed nothing", self.c.log_size() == before)
        for s in self.secrets:
            self.r.check(f"activation: {name}: the answer repeats no code", s.encode() not in a.body)
        return a

    def login(self, user, pw):
        a = self.req("POST", "/sessions", json_body={"username": user, "password": pw})
        return a.json()["token"] if a.status == 201 else None

    def run(self):
        c, r = self.c, self.r
        self.secrets = []
        self.tok["admin"] = c.login("admin", self.ctx.server.admin_password)
        # Another community's tenderer (earlier steps moved the clock: a fresh session).
        self.tok["other.tenderer"] = c.login(*self.ctx.credentials["tenderer"])
        start = c.log_size()

        # -- the community, its roster with certificate tails, its tenderer, a supervisor
        a = self.req("POST", "/communities", "admin", json_body={
            "name": "激活测试小区", "district": "湖里区", "street": "金山街道", "address": "金山路 9 号"})
        self.expect("POST /communities", a, 201)
        self.community = a.json()["id"]
        roster = ("unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
                  "2-1-0101,8950,A1,王芳,sold,\n"
                  "2-1-0102,8950,A4,林海,sold,\n"
                  "1-1-0201,10050,A2,李明,sold,Q7Z4\n"
                  "1-1-0202,9000,A3,陈敏,sold,\n"
                  "1-2-0101,7000,A3,陈敏,sold,\n"
                  "3-1-0101,5000,DEV,建设单位,unsold,\n")
        a = self.req("PUT", f"/communities/{self.community}/roster", "admin", data=roster.encode("utf-8"),
                     headers={"Content-Type": "text/csv; charset=utf-8"})
        self.expect("PUT roster with certificate_tail", a, 200)
        for user, role in ((f"act.tenderer.{self.tag}", "tenderer"), (f"act.sup.{self.tag}", "supervisor")):
            self.pw[user] = f"act-pw-{user}"
            extra = {"community_id": self.community} if role == "tenderer" else {}
            a = self.req("POST", "/accounts", "admin", json_body={
                "username": user, "password": self.pw[user], "role": role, "display_name": role, **extra})
            self.expect(f"POST /accounts {role}", a, 201)
            self.tok[role] = c.login(user, self.pw[user])
        codes_path = f"/communities/{self.community}/activation-codes"

        # -- issuing
        before = c.log_size()
        a = self.req("POST", codes_path, "other.tenderer", json_body={})
        self.expect("another community's tenderer issues", a, 403, "not_tenderer_of_community")
        r.check("activation: refused issue changed nothing", c.log_size() == before)
        a = self.req("POST", codes_path, json_body={})
        self.expect("anonymous issues", a, 401, "unauthenticated")
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["NOBODY"]})
        self.expect("a key not on the roster", a, 422, "owner_key_unknown")
        a = self.req("POST", codes_path, "tenderer")
        self.expect("the tenderer issues codes for every key (no body)", a, 201)
        r.check("activation: the issuing answer is no-store",
                a.headers.get("Cache-Control") == "no-store", str(a.headers))
        batch = a.json()
        codes = {x["owner_key"]: x for x in batch["codes"]}
        r.check("activation: one code per owner key", sorted(codes) == ["A1", "A2", "A3", "A4", "DEV"], str(sorted(codes)))
        r.check("activation: letters ordered by building, then first unit",
                [x["owner_key"] for x in batch["codes"]] == ["A2", "A3", "A1", "A4", "DEV"],
                str([x["owner_key"] for x in batch["codes"]]))
        a3 = codes["A3"]
        r.check("activation: an owner's units, areas and building",
                a3["building"] == "1" and a3["area_centi_m2"] == 16000 and a3["headcount"] == 1
                and [u["unit"] for u in a3["units"]] == ["1-1-0202", "1-2-0101"], str(a3))
        r.check("activation: the developer's code is marked", codes["DEV"]["developer"] is True)
        for k, x in codes.items():
            self.secrets += [x["code"], plain(x["code"])]
            r.check(f"activation: code of {k} is XXXX-XXXX-XXXX-C", bool(CODE_RE.match(x["code"])), x["code"])
            p = plain(x["code"])
            r.check(f"activation: code of {k} has the documented check symbol",
                    check_symbol(p[:12]) == p[12], x["code"])
            r.check(f"activation: code of {k} links to /activate#code=",
                    x["activation_url"] == "https://127.0.0.1:8443/activate#code=" + x["code"], x["activation_url"])
            r.check(f"activation: code of {k} expires with the batch", x["expires_at"] == batch["expires_at"])
        issued_at, expires_at = parse_time(batch["issued_at"]), parse_time(batch["expires_at"])
        r.check("activation: a 60-day code lasts at least 60 days", (expires_at - issued_at).days >= 60,
                f"{issued_at} → {expires_at}")
        r.check("activation: the batch is one entry", c.log_size() == before + 1)

        # -- activating
        typo = plain(codes["A1"]["code"])
        typo = ("B" if typo[0] != "B" else "C") + typo[1:]
        self.refused("a typo (the check symbol fails)", {"code": grouped(typo), "username": f"a1.{self.tag}",
                                                         "password": "owner-pw-a1"}, 422, "activation_code_invalid")
        never = "".join(secrets.choice(ALPHABET) for _ in range(12))
        never = grouped(never + check_symbol(never))
        self.refused("a code never issued", {"code": never, "username": f"a1.{self.tag}",
                                             "password": "owner-pw-a1"}, 422, "activation_code_unknown")
        typed = codes["A1"]["code"].lower().replace("-", " ").replace("1", "l").replace("0", "o")
        a = self.req("POST", "/activate", json_body={"code": typed, "username": f"a1.{self.tag}",
                                                     "password": "owner-pw-a1"})
        self.expect("activate A1 (typed lower case, spaces, l for 1, o for 0)", a, 201)
        a1_id = a.json().get("account_id")
        r.check("activation: A1's account is an owner's of the community",
                a.json().get("role") == "owner" and a.json().get("community_id") == self.community
                and a.json().get("reset") is False, repr(a))
        r.check("activation: A1 logs in with the chosen password",
                self.login(f"a1.{self.tag}", "owner-pw-a1") is not None)
        self.refused("the same code again", {"code": codes["A1"]["code"], "username": f"a1b.{self.tag}",
                                             "password": "owner-pw-a1"}, 409, "activation_code_used")

        # -- the certificate tail
        body = {"code": codes["A2"]["code"], "username": f"a2.{self.tag}", "password": "owner-pw-a2"}
        self.refused("A2 without the certificate tail", body, 422, "certificate_tail_required")
        self.refused("A2 with a wrong certificate tail", dict(body, certificate_tail="Q7Z5"), 422,
                     "certificate_tail_mismatch")
        a = self.req("POST", "/activate", json_body=dict(body, certificate_tail=" q7z4 "))
        self.expect("activate A2 with its certificate tail", a, 201)

        # -- re-issue revokes; an account's key needs a supervisor's reset code
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["A3"]})
        self.expect("re-issue for A3", a, 201)
        new_a3 = a.json()["codes"][0]
        self.secrets += [new_a3["code"], plain(new_a3["code"])]
        r.check("activation: the re-issue revoked A3's first code", a.json()["codes_revoked"] == 1, repr(a))
        self.refused("A3's revoked code", {"code": a3["code"], "username": f"a3.{self.tag}",
                                           "password": "owner-pw-a3"}, 409, "activation_code_revoked")
        a = self.req("POST", "/activate", json_body={"code": new_a3["code"], "username": f"a3.{self.tag}",
                                                     "password": "owner-pw-a3"})
        self.expect("activate A3 with the new code", a, 201)
        a3_id = a.json().get("account_id")
        a3_token = self.login(f"a3.{self.tag}", "owner-pw-a3")
        r.check("activation: A3 logs in", a3_token is not None)
        before = c.log_size()
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["A3"]})
        self.expect("a code for a key with an account, without reissue", a, 409, "owner_has_account")
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["A3"], "reissue": True})
        self.expect("reissue by the tenderer", a, 403, "reset_needs_supervisor")
        r.check("activation: refused issues changed nothing", c.log_size() == before)
        a = self.req("POST", codes_path, "supervisor", json_body={"owner_keys": ["A3"], "reissue": True})
        self.expect("reissue by a supervisor (a reset code)", a, 201)
        reset = a.json()["codes"][0]
        self.secrets += [reset["code"], plain(reset["code"])]
        r.check("activation: the reset code names A3's account",
                reset["purpose"] == "reset" and reset.get("account_id") == a3_id, str(reset))
        a = self.req("POST", "/activate", json_body={"code": reset["code"], "password": "owner-pw-a3-new"})
        self.expect("reset A3's password", a, 201)
        r.check("activation: the reset keeps the account and ends its sessions",
                a.json().get("account_id") == a3_id and a.json().get("reset") is True
                and a.json().get("sessions_revoked", 0) >= 1, repr(a))
        a = self.c.request("GET", "/tenders", token=a3_token) if a3_token else None
        r.check("activation: A3's old session no longer works", a is not None and a.status == 401, repr(a))
        r.check("activation: A3 logs in with the new password",
                self.login(f"a3.{self.tag}", "owner-pw-a3-new") is not None)
        r.check("activation: A3's old password no longer works",
                self.login(f"a3.{self.tag}", "owner-pw-a3") is None)
        # An activate code whose key got an account since (the admin made
        # one): only a supervisor's reset code may act on that key.
        a = self.req("POST", "/accounts", "admin", json_body={
            "username": f"dev.{self.tag}", "password": "admin-made-dev", "role": "owner",
            "display_name": "建设单位", "community_id": self.community, "owner_key": "DEV"})
        self.expect("the admin creates the developer's account", a, 201)
        self.refused("an activate code for a key that holds an account",
                     {"code": codes["DEV"]["code"], "username": f"dev2.{self.tag}", "password": "owner-pw-dev"},
                     409, "owner_has_account")

        # -- supervisors read the flagged activations
        a = self.req("GET", "/activation-flags", "supervisor", params={"community_id": self.community})
        self.expect("GET /activation-flags as a supervisor", a, 200)
        r.check("activation: no vote near, nothing flagged", a.json().get("items") == [], repr(a))
        a = self.req("GET", "/activation-flags", "tenderer")
        self.expect("GET /activation-flags as a tenderer", a, 403, "forbidden")

        # -- the log and the server's output hold no code, HMAC or tail
        entries = []
        cursor = start
        while cursor is not None:
            a = self.req("GET", "/audit/entries", params={"start": cursor})
            page = a.json()
            entries += page["items"]
            cursor = page.get("next_cursor")
        text = "\n".join(repr(e) for e in entries)
        types = {e.get("type") for e in entries}
        r.check("activation: issue, activation and reset entries are logged",
                {"activation.codes_issued", "account.activated", "account.password_reset"} <= types,
                str(sorted(t for t in types if t)))
        leaked = [s for s in self.secrets + ["Q7Z4", "q7z4", "\"A1\"", "\"A2\"", "\"A3\""] if s in text]
        r.check("activation: no code, certificate tail or owner key in any entry", not leaked, str(leaked))
        log = open(self.ctx.server.log_path, encoding="utf-8", errors="replace").read()
        leaked = [s for s in self.secrets if s in log]
        r.check("activation: no code in the server's output", not leaked, str(leaked))

        # -- throttle: one address guessing one code
        guess = "".join(secrets.choice(ALPHABET) for _ in range(12))
        guess = grouped(guess + check_symbol(guess))
        statuses = []
        before = c.log_size()
        for _ in range(8):
            a = self.req("POST", "/activate", json_body={"code": guess, "username": f"g.{self.tag}",
                                                         "password": "guess-pw-1"})
            statuses.append(a.status)
            if a.status == 429:
                break
        r.check("activation: guesses are throttled after 5 free failures (429 too_many_activation_attempts)",
                statuses[:5] == [422] * 5 and statuses[-1] == 429 and a.code == "too_many_activation_attempts"
                and int(a.headers.get("Retry-After", "0")) >= 1, f"{statuses} {a!r}")
        r.check("activation: throttled guesses changed nothing", c.log_size() == before)

        # -- expiry: a 1-day code, then the clock past its end
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["A4"], "valid_days": 1})
        self.expect("a 1-day code for A4", a, 201)
        dev = a.json()["codes"][0]
        self.secrets += [dev["code"]]
        now = parse_time(self.req("GET", "/health").json()["time"])
        secs = int((parse_time(dev["expires_at"]) - now).total_seconds()) + 2
        a = self.req("POST", "/dev/clock", "admin", json_body={"advance_s": secs})
        self.expect("the dev clock past the code's expiry", a, 200)
        self.refused("an expired code", {"code": dev["code"], "username": f"a4.{self.tag}",
                                         "password": "owner-pw-a4"}, 409, "activation_code_expired")
        # Sessions expired across the jump: the steps after this one log in again.
        for role, (user, pw) in self.ctx.credentials.items():
            t = self.login(user, pw)
            if t:
                c.tokens[role] = t

        # -- a roster re-imported without A1 and A4: A1's account is disabled
        #    and its live session ends at once; A4's unused code is revoked
        #    (docs/activation.md, "A roster re-imported without a key")
        self.tok["admin"] = c.login("admin", self.ctx.server.admin_password)
        self.tok["tenderer"] = c.login(f"act.tenderer.{self.tag}", self.pw[f"act.tenderer.{self.tag}"])
        a = self.req("POST", codes_path, "tenderer", json_body={"owner_keys": ["A4"]})
        self.expect("a fresh code for A4", a, 201)
        a4 = a.json()["codes"][0]["code"] if a.status == 201 else "0000-0000-0000-0"
        self.secrets.append(a4)
        self.tok["a1"] = self.login(f"a1.{self.tag}", "owner-pw-a1")
        self.expect("GET /me as A1's owner before the re-import", self.req("GET", "/me", "a1"), 200)
        before = c.log_size()
        smaller = ("unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
                   "1-1-0201,10050,A2,李明,sold,Q7Z4\n"
                   "1-1-0202,9000,A3,陈敏,sold,\n"
                   "1-2-0101,7000,A3,陈敏,sold,\n"
                   "3-1-0101,5000,DEV,建设单位,unsold,\n")
        a = self.req("PUT", f"/communities/{self.community}/roster", "admin", data=smaller.encode("utf-8"),
                     headers={"Content-Type": "text/csv; charset=utf-8"})
        self.expect("PUT a roster without A1 and A4", a, 200)
        self.expect("A1's session after the re-import", self.req("GET", "/me", "a1"), 401)
        a = self.req("POST", "/sessions", json_body={"username": f"a1.{self.tag}", "password": "owner-pw-a1"})
        self.expect("A1's owner logs in after the re-import", a, 403, "account_disabled")
        self.refused("A4's code after the re-import", {"code": a4, "username": f"a4.{self.tag}",
                                                      "password": "owner-pw-a4"}, 409, "activation_code_revoked")
        a = self.req("GET", "/audit/entries", params={"start": before})
        items = a.json().get("items", []) if a.status == 200 else []
        kinds = [e.get("type") for e in items]
        disabled = [e for e in items if e.get("type") == "account.disabled"]
        revoked = [e for e in items if e.get("type") == "activation.codes_revoked"]
        r.check("activation: the re-import logs the roster, then one account.disabled and one "
                "activation.codes_revoked", kinds[:3] == ["community.roster_imported", "account.disabled",
                                                          "activation.codes_revoked"], str(kinds))
        r.check("activation: the disabled account is A1's, reason roster_key_removed",
                len(disabled) == 1 and disabled[0]["payload"]["reason"].startswith("roster_key_removed"),
                repr(disabled)[:300])
        r.check("activation: one unused code revoked",
                len(revoked) == 1 and revoked[0]["payload"]["codes_revoked"] == 1, repr(revoked)[:300])


def check_activation(ctx, results):
    Onboarding(ctx, results).run()
