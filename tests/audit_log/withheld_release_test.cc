// Entries withheld until an event (kReleaseAtEvent): move_tender_release (an
// amended deadline) leaves them alone, release_tender_entries releases them
// (and entries withheld until an exact instant the event came before) at the
// event's time, and nothing else.
#include <catch2/catch.hpp>

#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "audit_test_support.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::TestLog;

namespace {

std::vector<std::optional<std::int64_t>> releases(Ledger& l) {
  auto db = l.open_reader();
  REQUIRE(db.ok());
  auto n = log_size(*db);
  REQUIRE(n.ok());
  auto e = read_entries(*db, 0, *n);
  REQUIRE(e.ok());
  std::vector<std::optional<std::int64_t>> out;
  for (const auto& s : *e) out.push_back(s.release_at_ms);
  return out;
}

Status append_withheld(WriteTxn& txn, const std::string& tender, const std::string& type,
                       std::optional<std::int64_t> release) {
  EntryDraft d;
  d.type = type;
  d.tender = tender;
  d.payload = {{"n", static_cast<std::int64_t>(txn.log_size())}};
  d.release_at_ms = release;
  return txn.append(d).ok() ? Status{} : make_error("append_failed", "append failed");
}

}  // namespace

TEST_CASE("withheld until an event: an amendment does not move it, the event releases it") {
  TestLog log(false);
  const std::int64_t now = sunbid::testing::kTestEpochMs;
  const std::int64_t deadline = now + 86'400'000;
  const std::int64_t window_close = now + 2 * 86'400'000;
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                SUNBID_TRY(append_withheld(txn, "T1", "bid.committed", deadline));
                SUNBID_TRY(append_withheld(txn, "T1", "committee.drawn", kReleaseAtEvent));
                SUNBID_TRY(append_withheld(txn, "T1", "ballot.cast", window_close));
                SUNBID_TRY(append_withheld(txn, "T2", "committee.drawn", kReleaseAtEvent));
                return append_withheld(txn, "T1", "tender.opened", std::nullopt);
              })
              .ok());
  // The amendment moves the bid, not the entry withheld until the event.
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                return move_tender_release(txn.db(), "T1", deadline + 1000);
              })
              .ok());
  auto r = releases(*log.ledger);
  CHECK(r[0] == deadline + 1000);
  CHECK(r[1] == kReleaseAtEvent);
  CHECK(r[2] == deadline + 1000);  // the move is for bids: a vote entry would move too
  CHECK(r[3] == kReleaseAtEvent);
  CHECK_FALSE(r[4].has_value());

  // The event releases exactly T1's entries withheld until it.
  log.clock.advance_ms(5000);
  const std::int64_t event = log.clock.now_ms();
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                return release_tender_entries(txn.db(), "T1", kReleaseAtEvent, txn.now_ms());
              })
              .ok());
  r = releases(*log.ledger);
  CHECK(r[0] == deadline + 1000);
  CHECK(r[1] == event);
  CHECK(r[3] == kReleaseAtEvent);
  // An instant already past releases nothing; a matching future instant does.
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                SUNBID_TRY(release_tender_entries(txn.db(), "T1", event - 1, txn.now_ms()));
                return release_tender_entries(txn.db(), "T1", deadline + 1000, txn.now_ms());
              })
              .ok());
  r = releases(*log.ledger);
  CHECK(r[0] == event);
  CHECK(r[2] == event);
  CHECK(r[3] == kReleaseAtEvent);

  // The trail at the event includes T1's released entries.
  REQUIRE(log.ledger->publish_checkpoint().ok());
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto t1 = tender_trail(*db, "T1", log.ledger->verifier_key(), event);
  REQUIRE(t1.ok());
  CHECK(t1->at("entries").as_array().size() == 4);
  auto t2 = tender_trail(*db, "T2", log.ledger->verifier_key(), event);
  REQUIRE(t2.ok());
  CHECK(t2->at("entries").as_array().empty());
}
