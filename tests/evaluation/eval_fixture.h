// The tender_core fixture reopened with the accounts' and evaluation's
// schemas, an EvaluationService, a community's tenderer accounts (real rows
// of the accounts module), an expert pool, and a tender brought to `opened`.
#pragma once

#include <algorithm>
#include <boost/json/parse.hpp>

#include "../tender_core/service_fixture.h"
#include "accounts/accounts.h"
#include "accounts/relations.h"
#include "accounts/schema.h"
#include "audit_log/log_store.h"
#include "evaluation/schema.h"
#include "evaluation/service.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::testing {

class EvalFixture : public CoreFixture {
 public:
  static std::vector<audit::Migration> with_evaluation() {
    auto all = core::tender_core_migrations();
    for (auto& m : accounts::accounts_migrations()) all.push_back(std::move(m));
    for (auto& m : eval::evaluation_migrations()) all.push_back(std::move(m));
    return all;
  }

  // Opened with evaluation's migrations from the start: a file that reached
  // tender_core's newest version (5) without evaluation's (4) is refused.
  EvalFixture() : CoreFixture(ms("2025-06-01T00:00:00Z"), 4096, with_evaluation()) {
    eval = std::make_unique<eval::EvaluationService>(*ledger, clock, *service);
  }

  // The community's tenderer accounts, as evaluation reads them
  // (accounts::tenderer_account_ids: sorted ids).
  std::vector<std::string> tenderers(const std::string& community) {
    auto db = reader();
    auto ids = accounts::tenderer_account_ids(db, community);
    if (!ids.ok()) FAIL(ids.error().to_string());
    return *ids;
  }

  // Makes `ids` tenderer accounts of `community`: each one missing is
  // created through the accounts module with that id (username = id), one
  // "account.created" entry each. Accounts are never deleted, so an account
  // of the community not in `ids` fails the test.
  void set_tenderers(const std::string& community, const std::vector<std::string>& ids) {
    for (const auto& have : tenderers(community)) {
      if (std::find(ids.begin(), ids.end(), have) == ids.end()) {
        FAIL("tenderer account " + have + " of " + community + " exists already");
      }
    }
    add_tenderers(community, ids);
  }

  // Creates those of `ids` that are not yet tenderer accounts of `community`.
  void add_tenderers(const std::string& community, const std::vector<std::string>& ids) {
    const auto existing = tenderers(community);
    for (const auto& id : ids) {
      if (std::find(existing.begin(), existing.end(), id) != existing.end()) continue;
      accounts::NewAccount a;
      a.username = id;
      a.role = accounts::Role::kTenderer;
      a.display_name = "业委会 " + id;
      a.community_id = community;
      REQUIRE(accounts::validate_new_account(a).ok());
      auto hash = accounts::hash_password("tenderer-password", accounts::ScryptParams{16, 1, 1});
      REQUIRE(hash.ok());
      auto created = ledger->run<std::string>([&](audit::WriteTxn& txn) {
        return accounts::create_account_with_id(txn, id, a, *hash, accounts::Actor{});
      });
      if (!created.ok()) FAIL(created.error().to_string());
    }
  }

  // (log size, digest of tender_core's and evaluation's tables)
  std::pair<std::uint64_t, std::string> eval_snapshot() {
    auto db = reader();
    auto n = audit::log_size(db);
    REQUIRE(n.ok());
    std::string all;
    for (const char* table :
         {"eval_experts", "eval_committee", "eval_reviews", "eval_review_state",
          "eval_pending_draws", "eval_draws", "eval_clearing", "eval_vote_rounds",
          "eval_roster_snapshot", "eval_ballots", "eval_committee_votes", "eval_decisions",
          "eval_expert_versions", "eval_pool_commitments", "eval_decision_recusals"}) {
      auto st = db.prepare(std::string("SELECT * FROM ") + table);
      REQUIRE(st.ok());
      while (true) {
        auto row = st->step();
        REQUIRE(row.ok());
        if (!*row) break;
        for (int c = 0; c < 10; ++c) {
          all += std::string(st->column_text(c)) + "|";
        }
        all += "\n";
      }
      all += "#";
    }
    auto d = core::core_tables_digest(db);
    REQUIRE(d.ok());
    return {*n, *d + hex_encode(sha256(all))};
  }

  std::unique_ptr<eval::EvaluationService> eval;
};

// The beacon date the tender's draw of `purpose` must carry (the first
// trading day after the entry that fixed its inputs). The clock moves to
// 00:00 China time of that date when it is still before it (a beacon of a
// later date is refused: beacon_date_in_future).
inline std::string beacon_date_for(EvalFixture& f, const std::string& tender,
                                   std::string_view purpose) {
  auto db = f.reader();
  auto d = f.eval->required_beacon_date(db, tender, purpose);
  if (!d.ok()) FAIL(d.error().to_string());
  auto day = core::parse_china_date(*d);
  REQUIRE(day.ok());
  const std::int64_t starts = core::china_midnight_ms(*day);
  if (f.clock.now_ms() < starts) f.clock.set_ms(starts);
  return *d;
}

template <class F>
void expect_eval_refused(EvalFixture& f, F&& command, std::string_view code) {
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const auto before = f.eval_snapshot();
  auto r = command();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  CHECK(r.error().message.find(" / ") != std::string::npos);
  CHECK(f.eval_snapshot() == before);
}

// The command succeeds and appends exactly `count` entries (one, but two for
// the review submission that concludes the review).
template <class F>
auto expect_eval_entries(EvalFixture& f, std::uint64_t count, F&& command) {
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const auto before = f.eval_snapshot();
  auto r = command();
  if (!r.ok()) FAIL(r.error().to_string());
  const auto after = f.eval_snapshot();
  CHECK(after.first == before.first + count);
  CHECK(after.second != before.second);
  return r;
}

// The command succeeds and changes nothing (an idempotent answer).
template <class F>
auto expect_eval_unchanged(EvalFixture& f, F&& command) {
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const auto before = f.eval_snapshot();
  auto r = command();
  if (!r.ok()) FAIL(r.error().to_string());
  CHECK(f.eval_snapshot() == before);
  return r;
}

template <class F>
auto expect_eval_one_entry(EvalFixture& f, F&& command) {
  return expect_eval_entries(f, 1, std::forward<F>(command));
}

// The command publicizes the candidates or records the award: its own entry,
// then a document.published for each of `kinds`, in order, after it
// (docs/documents.md): candidate_publicity and evaluation_report after the
// review's conclusion, award_publicity and evaluation_report_named after the
// award.
template <class F>
auto expect_eval_entry_and_documents(EvalFixture& f, std::vector<std::string_view> kinds,
                                     F&& command) {
  auto r = expect_eval_entries(f, 1 + kinds.size(), std::forward<F>(command));
  const auto all = f.all_entries();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    auto e = boost::json::parse(all[all.size() - kinds.size() + i]).as_object();
    CHECK(e["type"].as_string() == "document.published");
    CHECK(e["payload"].as_object()["kind"].as_string() == kinds[i]);
  }
  return r;
}

// The entries a public reader of the log sees in full at `now` (a withheld
// entry is a stub until released): the feed's rule over the stored log.
inline std::vector<boost::json::object> public_entries(EvalFixture& f, std::int64_t now) {
  auto db = f.reader();
  auto n = audit::log_size(db);
  auto es = audit::read_entries(db, 0, *n);
  REQUIRE(es.ok());
  std::vector<boost::json::object> out;
  for (const auto& e : *es) {
    if (e.release_at_ms && now < *e.release_at_ms) continue;  // a stub
    out.push_back(boost::json::parse(e.bytes).as_object());
  }
  return out;
}

// document.published entries of `kind` that a public reader sees now.
inline int public_entries_of_kind(EvalFixture& f, std::string_view kind) {
  int count = 0;
  for (auto& o : public_entries(f, f.clock.now_ms())) {
    if (o["type"].as_string() == "document.published" &&
        o["payload"].as_object()["kind"].as_string() == kind) {
      ++count;
    }
  }
  return count;
}

// The award: decision.made (or draw.made), the 中标结果公示 and the named 评标报告.
template <class F>
auto expect_award_entries(EvalFixture& f, F&& command) {
  return expect_eval_entry_and_documents(f, {"award_publicity", "evaluation_report_named"},
                                         std::forward<F>(command));
}

}  // namespace sunbid::testing

namespace sunbid::testing {

// A published tender with bids from kUsccA..kUsccD at `prices` (0 = no bid),
// all revealed, brought to `opened`; a checkpoint covering the opening is
// published. `edit` adjusts the rules before publication.
struct OpenedTender {
  std::string id;
  Market market;
  std::vector<std::string> bid_ids;  // opening record order (by USCC)
};

inline OpenedTender open_tender(EvalFixture& f, const std::vector<std::int64_t>& prices,
                                const std::function<void(boost::json::object&)>& edit = {},
                                std::optional<Market> existing = std::nullopt) {
  OpenedTender o;
  o.market = existing ? *existing : setup_market(f);
  f.add_tenderers(o.market.tenderer.community_id, {o.market.tenderer.account});
  const std::int64_t start = f.clock.now_ms();
  const std::string deadline = core::format_rfc3339_ms(start + 21 * kDayMs);
  auto rules = rules_json(deadline, 3, 86400);
  if (edit) edit(rules);
  // The committee methods' deciding committee is frozen at publication: an
  // odd number of at least 5 tenderer accounts of the community (legal M7).
  if (const auto* d = rules.if_contains("decision"); d && d->is_object()) {
    const auto* m = d->as_object().if_contains("method");
    if (m && m->is_string() &&
        (m->as_string() == "committee_vote" || m->as_string() == "vote_then_lottery")) {
      f.set_tenderers(o.market.tenderer.community_id,
                      {"tenderer-1", "tenderer-2", "tenderer-3", "tenderer-4", "tenderer-5"});
    }
  }
  fit_vote_window(rules);
  auto id = f.service->create_draft(o.market.tenderer,
                                    {o.market.tenderer.community_id, "物业服务招标", rules});
  REQUIRE(id.ok());
  auto p = f.service->publish(o.market.tenderer, *id);
  if (!p.ok()) FAIL(p.error().to_string());
  o.id = *id;
  std::vector<SealedBid> sealed;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    if (prices[i] == 0) {
      sealed.emplace_back();
      continue;
    }
    const auto& ent = o.market.enterprises[i];
    sealed.push_back(seal(o.id, ent.enterprise_uscc, prices[i], static_cast<std::uint8_t>(i + 1)));
    auto r = f.service->submit_bid(ent, o.id, sealed.back().commitment);
    REQUIRE(r.ok());
  }
  f.clock.set_ms(start + 21 * kDayMs + 3600'000);
  for (std::size_t i = 0; i < prices.size(); ++i) {
    if (prices[i] == 0) continue;
    auto r =
        f.service->reveal_bid(o.market.enterprises[i], o.id, sealed[i].salt_hex, sealed[i].bid);
    if (!r.ok()) FAIL(r.error().to_string());
  }
  // Bidding has closed: the committee's pool list is committed (as the
  // server's background tick does).
  REQUIRE(f.eval->catch_up(o.id).ok());
  f.clock.set_ms(start + 22 * kDayMs + 1000);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  auto rec = core::detail::unchecked_opening_record(db, o.id);
  REQUIRE(rec.ok());
  for (const auto& r : *rec) o.bid_ids.push_back(r.bid_id);
  REQUIRE(f.ledger->publish_checkpoint().ok());
  return o;
}

inline void add_pool(EvalFixture& f, int n, const std::string& prefix = "expert-") {
  for (int i = 0; i < n; ++i) {
    eval::ExpertInput e;
    e.account = prefix + (i < 10 ? "0" : "") + std::to_string(i);
    e.specialties = {"物业管理"};
    auto r = f.eval->add_expert(f.admin, e);
    REQUIRE(r.ok());
  }
}

inline core::Actor evaluator(const std::string& account) {
  return CoreFixture::actor(account, "evaluator");
}

}  // namespace sunbid::testing

namespace sunbid::testing {

// A tender whose review passed every bid, with its candidates publicized;
// `to_vote` then moves the clock to the end of the candidate publicity.
struct Deciding {
  OpenedTender t;
  std::map<std::string, std::string> bid_of;  // uscc -> bid id
  std::vector<std::string> candidates;
  std::uint64_t concluded_index = 0;
};

inline Deciding to_candidates(EvalFixture& f, const std::vector<std::int64_t>& prices,
                              const std::function<void(boost::json::object&)>& edit) {
  add_pool(f, 10);
  Deciding d;
  d.t = open_tender(f, prices, edit);
  auto db = f.reader();
  auto rec = core::detail::unchecked_opening_record(db, d.t.id);
  for (const auto& r : *rec) d.bid_of[r.bidder_uscc] = r.bid_id;
  auto drawn = f.eval->draw_committee(f.supervisor, d.t.id, "3301.25",
                                      beacon_date_for(f, d.t.id, "committee"));
  REQUIRE(drawn.ok());
  auto crit = core::tender_rules_from_json(core::detail::unchecked_view(db, d.t.id)->rules);
  REQUIRE(crit.ok());
  std::optional<eval::StageResult> last;
  for (const auto& m : drawn->members) {
    REQUIRE(f.eval->declare(evaluator(m), d.t.id, true, std::nullopt).ok());
    for (const auto& b : d.t.bid_ids) {
      eval::ReviewInput in;
      in.bid_id = b;
      for (const auto& c : crit->criteria) in.marks.push_back({c.code, true, std::nullopt});
      auto res = f.eval->submit_review(evaluator(m), d.t.id, in);
      REQUIRE(res.ok());
      last = *res;
    }
  }
  REQUIRE(last->next == "candidates_publicized");
  d.candidates = *last->candidates;
  d.concluded_index = last->log_index;
  return d;
}

// The tenderer's POST /decision now that votes decide themselves: a
// decision already made answers as stored; when the platform has just
// decided a round into the next one or a pending draw (vote_window_open,
// decision_pending_draw), answers the state it waits in ("vote_round",
// "draw:<purpose>") with the stored record.
inline eval::StageResult decide_or_state(EvalFixture& f, const core::Actor& tenderer,
                                         const std::string& tender) {
  auto r = f.eval->decide(tenderer, tender);
  if (r.ok()) return *r;
  if (r.error().code != "vote_window_open" && r.error().code != "decision_pending_draw") {
    FAIL(r.error().to_string());
  }
  auto db = f.reader();
  auto d = eval::EvaluationService::decision(db, tender, f.supervisor);
  REQUIRE(d.ok());
  eval::StageResult out;
  out.next = std::string(d->at("state").as_string());
  if (const auto* rec = d->if_contains("result"); rec && rec->is_object()) {
    out.record = rec->as_object();
  }
  return out;
}

// The first stored checkpoint covering entry `index`.
inline audit::StoredCheckpoint first_covering(EvalFixture& f, std::uint64_t index) {
  auto db = f.reader();
  auto cps = audit::all_checkpoints(db);
  REQUIRE(cps.ok());
  for (const auto& c : *cps) {
    if (c.tree_size > index) return c;
  }
  FAIL("no checkpoint covers entry " << index);
  return {};
}

}  // namespace sunbid::testing
