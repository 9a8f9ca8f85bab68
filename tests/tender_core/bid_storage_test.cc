// Bid storage (migration 5: bid_versions + bid_current, `bids` a view;
// migration 6: bid_current merged from a bounded tail of versions) and the
// asynchronous bid commands.
//
// The migration test builds a file at schema version 4 the way the binary of
// migration 2 wrote bids (one wide row per bidder in `bids`, the receipt its
// bid.committed entry), migrates it, and checks every bid and receipt reads
// back the same and still works: replaced, withdrawn, revealed, opened.
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "audit_log/canonical_json.h"
#include "service_fixture.h"
#include "tender_core/service.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

const char* kDeadline = "2025-07-01T02:00:00Z";

// Migration 2 alone, with stand-ins for the server's (3) and evaluation's (4)
// migrations, which tender_core's tests cannot link: a file at version 4.
std::vector<audit::Migration> migrations_up_to_4() {
  std::vector<audit::Migration> out;
  for (auto& m : tender_core_migrations()) {
    if (m.version <= 4) out.push_back(m);
  }
  out.push_back({3, "server (stand-in)", "CREATE TABLE stand_in_3(x INTEGER);"});
  out.push_back({4, "evaluation (stand-in)", "CREATE TABLE stand_in_4(x INTEGER);"});
  return out;
}

std::vector<audit::Migration> migrations_now() {
  auto out = tender_core_migrations();
  out.push_back({3, "server (stand-in)", "CREATE TABLE stand_in_3(x INTEGER);"});
  out.push_back({4, "evaluation (stand-in)", "CREATE TABLE stand_in_4(x INTEGER);"});
  return out;
}

// What migration 2's submit_bid wrote: the withheld bid.committed entry and
// the wide `bids` row whose receipt_index is that entry's index.
std::uint64_t old_submit(CoreFixture& f, const Actor& a, const std::string& tender,
                         const std::string& commitment) {
  std::uint64_t receipt = 0;
  Status st = f.ledger->execute([&](audit::WriteTxn& txn) -> Status {
    SUNBID_ASSIGN_OR_RETURN(std::string source,
                            txn.personal_digest("network_address", a.source_address, tender));
    const auto index = static_cast<std::int64_t>(txn.log_size());
    const std::string bid_id = "B" + std::to_string(index);
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement ins,
        txn.db().prepare(
            "INSERT INTO bids(id, tender_id, bidder_uscc, commitment, "
            "receipt_index, submitted_ms, source_digest) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    ins.bind(1, bid_id).bind(2, tender).bind(3, a.enterprise_uscc).bind(4, commitment);
    ins.bind(5, index).bind(6, txn.now_ms()).bind(7, source);
    SUNBID_TRY(ins.run());
    audit::EntryDraft d;
    d.actor = a.account;
    d.role = a.role;
    d.type = "bid.committed";
    d.source = source;
    d.tender = tender;
    d.release_at_ms = ms(kDeadline);
    d.payload = {{"bid_id", bid_id},
                 {"bidder_uscc", a.enterprise_uscc},
                 {"commitment", commitment},
                 {"tender_id", tender}};
    SUNBID_ASSIGN_OR_RETURN(receipt, txn.append(d));
    return ok_status();
  });
  if (!st.ok()) FAIL(st.error().to_string());
  return receipt;
}

// What migration 2's create_draft and publish left in `tenders` (the columns
// of migration 11 do not exist yet, so today's publish cannot run on such a
// file): a published tender whose frozen rules have no min_bidders and state
// their periods in seconds (before migration 21).
std::string old_publish(CoreFixture& f, const Market& m, std::string_view deadline,
                        int min_valid_bids) {
  auto rules = tender_rules_from_json(rules_json(deadline, min_valid_bids));
  REQUIRE(rules.ok());
  boost::json::object frozen = to_json(*rules);
  frozen.erase("min_bidders");
  // Before migration 21 the periods were stated in seconds.
  frozen.erase("candidate_publicity_days");
  frozen.erase("award_publicity_days");
  frozen.erase("vote_window_days");
  frozen["candidate_publicity_s"] = 259200;
  frozen["award_publicity_s"] = 259200;
  frozen["vote_window_s"] = 604800;
  std::string id;
  Status st = f.ledger->execute([&](audit::WriteTxn& txn) -> Status {
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement next,
        txn.db().prepare("INSERT INTO core_counters(name, next) VALUES ('tender', 1) ON "
                         "CONFLICT(name) DO UPDATE SET next = next + 1 RETURNING next"));
    SUNBID_ASSIGN_OR_RETURN(bool row, next.step());
    if (!row) return make_error("test", "no counter row");
    id = "T" + std::to_string(next.column_int64(0));
    next.reset();
    SUNBID_ASSIGN_OR_RETURN(auto tier, Registry::service_tier(txn.db(), "T2"));
    SUNBID_ASSIGN_OR_RETURN(std::string rules_text,
                            audit::to_canonical_json(boost::json::value(frozen)));
    SUNBID_ASSIGN_OR_RETURN(std::string tier_text,
                            audit::to_canonical_json(boost::json::value(to_json(*tier))));
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement ins,
        txn.db().prepare("INSERT INTO tenders(id, community_id, title, status, rules_json, "
                         "tier_json, decision_method, min_valid_bids, bid_deadline_ms, "
                         "reveal_window_s, candidate_publicity_s, award_publicity_s, created_ms, "
                         "published_ms, publish_index) VALUES (?, ?, '招标', 'published', ?, ?, "
                         "'owners_vote', ?, ?, 86400, 259200, 259200, ?, ?, 0)"));
    ins.bind(1, id).bind(2, m.tenderer.community_id).bind(3, rules_text).bind(4, tier_text);
    ins.bind(5, std::int64_t{min_valid_bids}).bind(6, rules->bid_deadline_ms);
    ins.bind(7, txn.now_ms()).bind(8, txn.now_ms());
    return ins.run();
  });
  if (!st.ok()) FAIL(st.error().to_string());
  return id;
}

// Every row of `bids` (a table before migration 5, a view after), one line each.
std::vector<std::string> bids_rows(CoreFixture& f) {
  auto db = f.reader();
  auto st = db.prepare(
      "SELECT tender_id || '|' || bidder_uscc || '|' || id || '|' || commitment || '|' || "
      "receipt_index || '|' || submitted_ms || '|' || coalesce(source_digest, 'NULL') FROM bids "
      "ORDER BY tender_id, bidder_uscc");
  REQUIRE(st.ok());
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.emplace_back(st->column_text(0));
  }
  return out;
}

// Collects the completions of an asynchronous command.
template <class T>
struct Completion {
  std::atomic<int> calls{0};
  std::promise<Result<T>> promise;
  std::future<Result<T>> future = promise.get_future();

  std::function<void(Result<T>)> callback() {
    return [this](Result<T> r) {
      if (calls.fetch_add(1) == 0) promise.set_value(std::move(r));
    };
  }
  Result<T> wait() {
    REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return future.get();
  }
};

}  // namespace

TEST_CASE(
    "migrations 5, 6 and 11 move bids of a version-4 file, every bid and receipt still reads") {
  CoreFixture f(ms("2025-06-01T00:00:00Z"), 4096, migrations_up_to_4());
  {
    auto db = f.reader();
    CHECK(*db.query_int64("PRAGMA user_version") == 4);
  }
  Market m = setup_market(f);
  const std::string t1 = old_publish(f, m, kDeadline, 2);
  const std::string t2 = old_publish(f, m, kDeadline, 1);
  std::vector<SealedBid> sealed;
  std::vector<std::uint64_t> receipts;
  for (std::size_t i = 0; i < m.enterprises.size(); ++i) {
    sealed.push_back(seal(t1, m.enterprises[i].enterprise_uscc, 200 + static_cast<int>(i),
                          static_cast<std::uint8_t>(i + 1)));
    receipts.push_back(old_submit(f, m.enterprises[i], t1, sealed.back().commitment));
  }
  const SealedBid other = seal(t2, kUsccA, 222, 9);
  const std::uint64_t other_receipt = old_submit(f, m.enterprises[0], t2, other.commitment);
  const auto before = bids_rows(f);
  REQUIRE(before.size() == 5);

  f.open(migrations_now());
  auto db = f.reader();
  CHECK(*db.query_int64("PRAGMA user_version") == kTenderCoreSchemaVersion);
  CHECK(*db.query_int64("SELECT count(*) FROM bid_versions") == 5);
  CHECK(*db.query_int64("SELECT count(*) FROM bid_current") == 5);
  // Migration 6: the migrated bids are all merged; no tail yet.
  CHECK(*db.query_int64("SELECT merged_upto FROM bid_merge") ==
        *db.query_int64("SELECT max(receipt_index) FROM bid_versions"));
  CHECK(*db.query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'bids' AND type = "
                        "'view'") == 1);
  // The view shows every row as the table held it.
  CHECK(bids_rows(f) == before);
  // Migration 21: the frozen rules state their periods in calendar days.
  auto rules = tender_rules_from_json(detail::unchecked_view(db, t1)->rules);
  REQUIRE(rules.ok());
  CHECK(rules->candidate_publicity_days == 3);
  CHECK(rules->award_publicity_days == 3);
  CHECK(rules->vote_window_days == 7);
  CHECK(rules->vote_window_s == 0);
  // Each bidder still sees its own bid with its receipt.
  for (std::size_t i = 0; i < m.enterprises.size(); ++i) {
    auto own = TenderService::bids_visible_to(db, t1, m.enterprises[i], f.clock.now_ms());
    REQUIRE(own.ok());
    REQUIRE(own->size() == 1);
    CHECK((*own)[0].commitment == sealed[i].commitment);
    CHECK((*own)[0].receipt_index == receipts[i]);
    CHECK((*own)[0].bid_id == "B" + std::to_string(receipts[i]));
  }
  auto own2 = TenderService::bids_visible_to(db, t2, m.enterprises[0], f.clock.now_ms());
  REQUIRE(own2->size() == 1);
  CHECK(own2->at(0).receipt_index == other_receipt);

  // A migrated bid is replaced (same id, `replaces` its old receipt) and
  // another withdrawn, through the new storage.
  sealed[0] = seal(t1, kUsccA, 199, 42);
  auto replaced = expect_one_entry(
      f, [&] { return f.service->submit_bid(m.enterprises[0], t1, sealed[0].commitment); });
  CHECK(replaced->replaced);
  CHECK(replaced->bid_id == "B" + std::to_string(receipts[0]));
  auto entries = f.all_entries();
  auto replace_entry = boost::json::parse(entries[replaced->log_index]).as_object();
  CHECK(replace_entry["payload"].as_object()["replaces"].as_int64() ==
        static_cast<std::int64_t>(receipts[0]));
  (void)expect_one_entry(f, [&] { return f.service->withdraw_bid(m.enterprises[3], t1); });

  // Reveal and open: the migrated commitments open.
  f.clock.set_ms(ms(kDeadline));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  for (std::size_t i = 0; i < 3; ++i) {
    (void)expect_one_entry(f, [&] {
      return f.service->reveal_bid(m.enterprises[i], t1, sealed[i].salt_hex, sealed[i].bid);
    });
  }
  f.clock.set_ms(ms(kDeadline) + kDayMs);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db2 = f.reader();
  auto opening = detail::unchecked_opening_record(db2, t1);
  REQUIRE(opening.ok());
  REQUIRE(opening->size() == 3);
  for (const auto& row : *opening) {
    CHECK(row.valid);
    REQUIRE(row.bid.has_value());
  }
  CHECK(opening->at(0).bid->price_fen_per_m2_month == 199);
  // Migration 11: t2's one bidder is below the floor of 3 (its frozen
  // min_valid_bids 1 reads as min_bidders 3): it fails unopened, and its bid
  // entry, withheld until the deadline by the old rule, now waits for a
  // reveal window that never opens. (This test used to open t2's one bid.)
  CHECK(*detail::unchecked_view(db2, t2)->end_reason == "too_few_bidders");
  CHECK(detail::unchecked_opening_record(db2, t2).error().code == "opening_not_public");
  CHECK(*db2.query_int64("SELECT release_at_ms FROM audit_withheld WHERE idx = " +
                         std::to_string(other_receipt)) ==
        std::numeric_limits<std::int64_t>::max());
  CHECK(*db2.query_int64("SELECT release_at_ms FROM audit_withheld WHERE idx = " +
                         std::to_string(receipts[1])) < ms(kDeadline) + kDayMs);
  CHECK(*db2.query_int64("SELECT min_bidders FROM tenders WHERE id = '" + t1 + "'") == 3);
  CHECK(*db2.query_strings("SELECT min_credit_grade FROM tenders WHERE id = ?", {t1}) ==
        std::vector<std::string>{"A"});
  CHECK(*db2.query_int64("SELECT min_star_rating FROM tenders WHERE id = '" + t1 + "'") == 3);
}

TEST_CASE("asynchronous bid commands: same answers, callback exactly once") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline);
  auto a = seal(t, kUsccA, 250, 1);

  SECTION("submit, replace and withdraw succeed once each, after the entry is durable") {
    const auto before = f.log_size();
    Completion<BidReceipt> first;
    f.service->submit_bid_async(m.enterprises[0], t, a.commitment, first.callback());
    auto r1 = first.wait();
    REQUIRE(r1.ok());
    CHECK_FALSE(r1->replaced);
    CHECK(r1->log_index == before);
    CHECK(f.log_size() == before + 1);  // durable when the callback ran

    Completion<BidReceipt> second;
    f.service->submit_bid_async(m.enterprises[0], t, seal(t, kUsccA, 240, 2).commitment,
                                second.callback());
    auto r2 = second.wait();
    REQUIRE(r2.ok());
    CHECK(r2->replaced);
    CHECK(r2->bid_id == r1->bid_id);

    Completion<std::uint64_t> withdrawn;
    f.service->withdraw_bid_async(m.enterprises[0], t, withdrawn.callback());
    auto w = withdrawn.wait();
    REQUIRE(w.ok());
    CHECK(*w == before + 2);
    auto db = f.reader();
    auto own = TenderService::bids_visible_to(db, t, m.enterprises[0], f.clock.now_ms());
    CHECK(own->empty());
    f.ledger->stop();  // drains: a late second call would show now
    CHECK(first.calls == 1);
    CHECK(second.calls == 1);
    CHECK(withdrawn.calls == 1);
  }

  SECTION("refusals before and inside the ledger change nothing") {
    REQUIRE(f.service->tick(f.clock.now_ms()).ok());
    const auto before = f.snapshot();
    Completion<BidReceipt> malformed;
    f.service->submit_bid_async(m.enterprises[0], t, "00", malformed.callback());
    auto r = malformed.wait();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "commitment_invalid");

    Completion<BidReceipt> not_enterprise;
    f.service->submit_bid_async(m.tenderer, t, a.commitment, not_enterprise.callback());
    r = not_enterprise.wait();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "not_an_enterprise");

    Completion<std::uint64_t> no_bid;
    f.service->withdraw_bid_async(m.enterprises[1], t, no_bid.callback());
    auto w = no_bid.wait();
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().code == "bid_not_found");

    Completion<std::uint64_t> early;
    f.service->reveal_bid_async(m.enterprises[0], t, a.salt_hex, a.bid, early.callback());
    w = early.wait();
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().code == "not_in_reveal_window");

    Completion<std::uint64_t> bad_salt;
    f.service->reveal_bid_async(m.enterprises[0], t, "zz", a.bid, bad_salt.callback());
    w = bad_salt.wait();
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().code == "salt_invalid");

    CHECK(f.snapshot() == before);
    f.ledger->stop();
    CHECK(malformed.calls == 1);
    CHECK(not_enterprise.calls == 1);
    CHECK(no_bid.calls == 1);
    CHECK(early.calls == 1);
    CHECK(bad_salt.calls == 1);
  }

  SECTION("reveal in the window; a mismatch is refused; after the deadline submit is refused") {
    REQUIRE(f.service->submit_bid(m.enterprises[0], t, a.commitment).ok());
    // Three bidders, so the tender opens (条例 44).
    REQUIRE(f.service->submit_bid(m.enterprises[2], t, seal(t, kUsccC, 230, 5).commitment).ok());
    REQUIRE(f.service->submit_bid(m.enterprises[3], t, seal(t, kUsccD, 220, 6).commitment).ok());
    f.clock.set_ms(ms(kDeadline));
    Completion<BidReceipt> late;
    f.service->submit_bid_async(m.enterprises[1], t, seal(t, kUsccB, 1, 3).commitment,
                                late.callback());
    auto l = late.wait();
    REQUIRE_FALSE(l.ok());
    CHECK(l.error().code == "bid_after_deadline");

    auto wrong = a.bid;
    wrong["price_fen_per_m2_month"] = 251;
    Completion<std::uint64_t> mismatch;
    f.service->reveal_bid_async(m.enterprises[0], t, a.salt_hex, wrong, mismatch.callback());
    auto mm = mismatch.wait();
    REQUIRE_FALSE(mm.ok());
    CHECK(mm.error().code == "reveal_mismatch");

    const auto before = f.log_size();
    Completion<std::uint64_t> revealed;
    f.service->reveal_bid_async(m.enterprises[0], t, a.salt_hex, a.bid, revealed.callback());
    auto rv = revealed.wait();
    REQUIRE(rv.ok());
    CHECK(*rv == before);
    f.ledger->stop();
    CHECK(late.calls == 1);
    CHECK(mismatch.calls == 1);
    CHECK(revealed.calls == 1);
  }
}

TEST_CASE(
    "asynchronous submissions from many threads: every callback once, every receipt distinct") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline);
  constexpr int kPerBidder = 25;
  std::atomic<int> calls{0};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::vector<std::uint64_t> receipts;
  // Sealed here: Catch2's assertions are not for other threads.
  std::vector<std::vector<std::string>> commitments(m.enterprises.size());
  for (std::size_t b = 0; b < m.enterprises.size(); ++b) {
    for (int i = 0; i < kPerBidder; ++i) {
      commitments[b].push_back(
          seal(t, m.enterprises[b].enterprise_uscc, 200 + i, static_cast<std::uint8_t>(i))
              .commitment);
    }
  }
  std::vector<std::thread> threads;
  for (std::size_t b = 0; b < m.enterprises.size(); ++b) {
    threads.emplace_back([&, b] {
      for (int i = 0; i < kPerBidder; ++i) {
        f.service->submit_bid_async(m.enterprises[b], t,
                                    commitments[b][static_cast<std::size_t>(i)],
                                    [&](Result<BidReceipt> r) {
                                      calls.fetch_add(1);
                                      if (!r.ok()) {
                                        failures.fetch_add(1);
                                        return;
                                      }
                                      std::lock_guard lock(mu);
                                      receipts.push_back(r->log_index);
                                    });
      }
    });
  }
  for (auto& th : threads) th.join();
  f.ledger->stop();  // completes everything queued
  const int total = static_cast<int>(m.enterprises.size()) * kPerBidder;
  CHECK(calls == total);
  CHECK(failures == 0);
  std::sort(receipts.begin(), receipts.end());
  CHECK(std::adjacent_find(receipts.begin(), receipts.end()) == receipts.end());
  CHECK(receipts.size() == static_cast<std::size_t>(total));
  auto db = f.reader();
  CHECK(*db.query_int64("SELECT count(*) FROM bid_versions") == total);
  CHECK(*db.query_int64("SELECT count(*) FROM bids") ==
        static_cast<std::int64_t>(m.enterprises.size()));
}

// Random commitments, replacements and withdrawals over many tenders, far past
// the tail's merge threshold, checked after every step of 97 against a model:
// what each bidder sees of its own bid, the `bids` view, the receipts and the
// replace flags; then again after the ledger is reopened (the writer's tail
// index rebuilt from the file).
TEST_CASE("the tail of bid versions merges into bid_current without changing any live bid") {
  CoreFixture f;
  Market m = setup_market(f);
  constexpr int kTenders = 24;
  std::vector<std::string> tenders;
  for (int i = 0; i < kTenders; ++i) tenders.push_back(publish_tender(f, m, kDeadline, 1));
  struct Live {
    std::string bid_id;
    std::string commitment;
    std::uint64_t receipt;
  };
  std::map<std::pair<std::string, std::string>, Live> model;  // (tender, uscc)
  std::mt19937_64 rng(20261128);
  int ops = 0, withdrawals = 0, refusals = 0;

  auto check_all = [&] {
    auto db = f.reader();
    std::size_t view_rows = 0;
    for (const auto& t : tenders) {
      for (const auto& e : m.enterprises) {
        auto own = TenderService::bids_visible_to(db, t, e, f.clock.now_ms());
        REQUIRE(own.ok());
        auto it = model.find({t, e.enterprise_uscc});
        if (it == model.end()) {
          CHECK(own->empty());
          continue;
        }
        REQUIRE(own->size() == 1);
        CHECK((*own)[0].bid_id == it->second.bid_id);
        CHECK((*own)[0].commitment == it->second.commitment);
        CHECK((*own)[0].receipt_index == it->second.receipt);
        auto st = db.prepare(
            "SELECT id, commitment, receipt_index FROM bids WHERE tender_id = ? "
            "AND bidder_uscc = ?");
        REQUIRE(st.ok());
        st->bind(1, t).bind(2, e.enterprise_uscc);
        REQUIRE(*st->step());
        CHECK(st->column_text(0) == it->second.bid_id);
        CHECK(st->column_text(1) == it->second.commitment);
        CHECK(static_cast<std::uint64_t>(st->column_int64(2)) == it->second.receipt);
      }
    }
    view_rows = static_cast<std::size_t>(*db.query_int64("SELECT count(*) FROM bids"));
    CHECK(view_rows == model.size());
  };

  auto step = [&] {
    const auto& t = tenders[rng() % kTenders];
    const auto& e = m.enterprises[rng() % m.enterprises.size()];
    const auto key = std::make_pair(t, e.enterprise_uscc);
    auto it = model.find(key);
    if (rng() % 5 == 0) {
      auto r = f.service->withdraw_bid(e, t);
      if (it == model.end()) {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "bid_not_found");
        ++refusals;
      } else {
        REQUIRE(r.ok());
        model.erase(it);
        ++withdrawals;
      }
    } else {
      const std::string commitment = hex_encode(sha256(std::to_string(rng())));
      auto r = f.service->submit_bid(e, t, commitment);
      REQUIRE(r.ok());
      CHECK(r->replaced == (it != model.end()));
      if (it != model.end()) {
        CHECK(r->bid_id == it->second.bid_id);
        it->second.commitment = commitment;
        it->second.receipt = r->log_index;
      } else {
        model[key] = {r->bid_id, commitment, r->log_index};
      }
    }
    if (++ops % 97 == 0) check_all();
  };

  for (int i = 0; i < 1300; ++i) step();
  check_all();
  {
    auto db = f.reader();
    // Merges ran: bid_current holds rows, and the tail is shorter than the
    // threshold.
    const auto upto = *db.query_int64("SELECT merged_upto FROM bid_merge");
    CHECK(upto > 0);
    CHECK(*db.query_int64("SELECT count(*) FROM bid_current") > 0);
    CHECK(*db.query_int64("SELECT count(*) FROM bid_versions WHERE receipt_index > " +
                          std::to_string(upto)) < 1024);
  }
  f.open(core::tender_core_migrations());
  for (int i = 0; i < 300; ++i) step();
  check_all();
  CHECK(withdrawals > 50);
  CHECK(refusals > 10);
}
