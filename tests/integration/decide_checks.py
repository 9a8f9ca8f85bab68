"""(h) rules: the self-executing decision, over real HTTPS (issue 11 item 5;
民法典 arts. 278, 280; 物业管理条例 art. 19).

One owners_vote tender of its own (accounts prefixed "dec."), brought to
its vote by the scenario machinery of scenarios.py, then:
- once the vote has opened the tenderer cannot cancel (409
  cancel_requires_supervisor) and a supervisor must cite the rule violated
  (422 rule_required);
- when the window closes the platform tallies and decides by itself (the
  tick of POST /dev/clock): the award is public before anyone calls
  POST /decision, the decision.made entry's actor is "system", and
  POST /decision then answers the stored result without appending;
- a supervisor cancels citing the rule: 200, Tender.cancel_rule shows it,
  and the public tender.cancelled entry carries it.
"""
import scenarios
from scenarios import CANDIDATE_PUBLICITY_DAYS, VOTE_DAYS, Scenarios

RULE = "《物业管理条例》第十九条"


class DecideScenario(Scenarios):
    def __init__(self, ctx, results):
        super().__init__(ctx, results, methods=["owners_vote"], prefix="dec")

    def run(self):
        self.setup()
        self.publish_and_bid()
        self.reveal()
        self.open_and_review()
        self.self_executing()

    def self_executing(self):
        r, p = self.r, self.p
        t = self.tenders["owners_vote"]
        self.advance_past_days(CANDIDATE_PUBLICITY_DAYS)
        self.login([self.sup] + self.tenderers + list(self.owner_accounts.values()))
        # The vote has opened: the tenderer is bound.
        a = self.req("POST", f"/tenders/{t.id}/cancel", f"{p}.tenderer0", json_body={"reason": "改用其他方式"})
        r.check("decide: tenderer cancel after the vote opened → 409 cancel_requires_supervisor",
                a.status == 409 and a.code == "cancel_requires_supervisor", repr(a))
        a = self.req("POST", f"/tenders/{t.id}/cancel", self.sup, json_body={"reason": "违规"})
        r.check("decide: supervisor cancel without the rule violated → 422 rule_required",
                a.status == 422 and a.code == "rule_required", repr(a))
        X = t.bid_of[0]
        for key in ("SC-A", "SC-B", "SC-C", "SC-DEV"):
            a = self.req("POST", f"/tenders/{t.id}/ballots", self.owner_accounts[key],
                         json_body={"candidate_bid_id": X})
            self.expect(f"owners_vote: {key} votes", a, 201)
        a = self.req("POST", f"/tenders/{t.id}/decision", f"{p}.tenderer0")
        r.check("decide: POST /decision while the window is open → 409 vote_window_open",
                a.status == 409 and a.code == "vote_window_open", repr(a))
        # The window closes; only the clock moves (its tick decides).
        self.advance_past_days(VOTE_DAYS)
        self.login([f"{p}.tenderer0", self.sup])
        a = self.req("GET", f"/tenders/{t.id}")
        r.check("decide: the tick decided the owners' vote with no click (award_publicized)",
                a.status == 200 and a.json().get("status") == "award_publicized"
                and a.json().get("awarded_bid_id") == X, repr(a))
        made = [e for e in self.entries_since(self.start_index)
                if e.get("tender") == t.id and e.get("type") == "decision.made"]
        r.check("decide: the decision.made entry is the system's",
                len(made) == 1 and made[0].get("actor") == "system", repr(made)[:400])
        size = self.c.log_size()
        first = self.req("POST", f"/tenders/{t.id}/decision", f"{p}.tenderer0")
        again = self.req("POST", f"/tenders/{t.id}/decision", f"{p}.tenderer0")
        r.check("decide: POST /decision answers the stored result, twice the same, nothing appended",
                first.status == 200 and again.status == 200 and first.json() == again.json()
                and first.json().get("winner") == X and self.c.log_size() == size,
                f"{first!r} {again!r}")
        # Only a supervisor, citing the rule violated, sets the decision aside.
        a = self.req("POST", f"/tenders/{t.id}/cancel", self.sup,
                     json_body={"reason": "表决程序违反规定", "rule": RULE})
        r.check("decide: supervisor cancel citing the rule → 200 cancelled, cancel_rule shown",
                a.status == 200 and a.json().get("status") == "cancelled"
                and a.json().get("cancel_rule") == RULE, repr(a))
        a = self.req("GET", f"/tenders/{t.id}")
        r.check("decide: GET /tenders/{id} shows the rule violated",
                a.status == 200 and a.json().get("cancel_rule") == RULE, repr(a))
        cancelled = [e for e in self.entries_since(self.start_index)
                     if e.get("tender") == t.id and e.get("type") == "tender.cancelled"]
        r.check("decide: the public tender.cancelled entry names the rule and the supervisor",
                len(cancelled) == 1 and cancelled[0].get("payload", {}).get("rule") == RULE
                and cancelled[0].get("role") == "supervisor", repr(cancelled)[:400])


def check_decide(ctx, results):
    DecideScenario(ctx, results).run()


__all__ = ["check_decide", "scenarios"]
