"""(h) rules: size caps of a tender draft (issue 11 item 15, limits
max_tender_title_bytes 512 and max_tender_rules_bytes 64 KiB by default,
docs/server.md): over a cap POST /tenders is 413 field_too_long and nothing
is stored; at the cap it is accepted."""
from datetime import datetime, timedelta, timezone


def check_periods2(ctx, results):
    c = ctx.client
    r = results
    c.tokens["tenderer"] = c.login(*ctx.credentials["tenderer"])
    now = datetime.strptime(c.request("GET", "/health").json()["time"][:19],
                            "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    deadline = (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def body(title, **more):
        b = {"community_id": ctx.community_id, "title": title, "service_tier": "T2",
             "area_centi_m2": 1000000, "bid_deadline": deadline}
        b.update(more)
        return b

    at_cap = "物" * 170 + "ab"  # 510 + 2 = 512 bytes
    assert len(at_cap.encode()) == 512
    for title, more, field in ((at_cap + "c", {}, "/title"),
                               ("规则过长", {"beacon_source": "x" * (64 * 1024)}, "/rules")):
        before = c.log_size()
        a = c.request("POST", "/tenders", role="tenderer", json_body=body(title, **more))
        ok = a.status == 413 and a.code == "field_too_long"
        r.check(f"rules: POST /tenders with {field} over its cap → 413 field_too_long naming {field}",
                ok and a.json()["error"]["details"].get("field") == field, repr(a)[:300])
        r.check(f"rules: the refused draft ({field}) changed nothing", c.log_size() == before)
    a = c.request("POST", "/tenders", role="tenderer", json_body=body(at_cap))
    r.check("rules: POST /tenders with a title of exactly 512 bytes → 201", a.status == 201, repr(a)[:300])
