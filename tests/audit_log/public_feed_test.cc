// The public feed's rule, in the log (issue 12: moved down from the server):
// public_entries shows a withheld entry as its stub until its release, the
// released and public ones byte for byte, and bounds a page in bytes.
#include <catch2/catch.hpp>

#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_test_support.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::kTestEpochMs;
using sunbid::testing::TestLog;

TEST_CASE("public_entries: stubs until the release instant, then the bytes", "[public_feed]") {
  TestLog log(false);
  const std::int64_t release = kTestEpochMs + 1000;
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                for (int i = 0; i < 4; ++i) {
                  EntryDraft d;
                  d.type = i % 2 ? "tender.note" : "ballot.cast";
                  d.tender = "T1";
                  d.payload = {{"i", i}};
                  if (i % 2 == 0) d.release_at_ms = release;
                  SUNBID_TRY(txn.append(d));
                }
                return {};
              })
              .ok());
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto stored = read_entries(*db, 0, 4);
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == 4);

  auto before = public_entries(*db, 0, 100, release - 1, 1 << 20);
  REQUIRE(before.ok());
  CHECK(before->log_size == 4);
  CHECK(before->next == 4);
  REQUIRE(before->items.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& e = (*stored)[i];
    CHECK(withheld_at(e, release - 1) == (i % 2 == 0));
    if (i % 2 == 0) {
      CHECK(before->items[i] == encode_stub(e.index, e.bytes));
      CHECK(before->items[i].find("ballot") == std::string::npos);
    } else {
      CHECK(before->items[i] == e.bytes);
    }
  }
  // At the release instant exactly, everything is public.
  auto at = public_entries(*db, 0, 100, release, 1 << 20);
  REQUIRE(at.ok());
  for (std::size_t i = 0; i < 4; ++i) CHECK(at->items[i] == (*stored)[i].bytes);
}

TEST_CASE("public_entries: a page stops once it holds max_bytes, never empty", "[public_feed]") {
  TestLog log(false);
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                for (int i = 0; i < 50; ++i) {
                  EntryDraft d;
                  d.type = "tender.note";
                  d.payload = {{"text", std::string(100, 'x')}};
                  SUNBID_TRY(txn.append(d));
                }
                return {};
              })
              .ok());
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto one = public_entries(*db, 0, 50, kTestEpochMs, 1);
  REQUIRE(one.ok());
  CHECK(one->items.size() == 1);
  CHECK(one->next == 1);
  auto some = public_entries(*db, 10, 50, kTestEpochMs, 1000);
  REQUIRE(some.ok());
  CHECK(some->items.size() > 1);
  CHECK(some->items.size() < 40);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i + 1 < some->items.size(); ++i) bytes += some->items[i].size() + 1;
  CHECK(bytes < 1000);  // the last item is the one that crossed the bound
  CHECK(some->next == 10 + some->items.size());
  auto tail = public_entries(*db, 45, 200, kTestEpochMs, 1 << 20);
  REQUIRE(tail.ok());
  CHECK(tail->items.size() == 5);
  CHECK(tail->next == 50);
}
