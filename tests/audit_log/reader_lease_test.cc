// The ledger's one pool of reader connections (issue 12: it replaces the
// server's and tender_core's pools) and ReadTxn, the read transaction that
// ends on every path.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "audit_log/log_store.h"
#include "audit_test_support.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::TestLog;

namespace {

Status append_one(Ledger& l) {
  return l.execute([](WriteTxn& txn) -> Status {
    EntryDraft d;
    d.type = "tender.note";
    d.payload = {{"n", static_cast<std::int64_t>(txn.log_size())}};
    return txn.append(d).ok() ? Status{} : make_error("append_failed", "append failed");
  });
}

}  // namespace

TEST_CASE("reader leases: a returned connection is lent again, two at once differ",
          "[reader_lease]") {
  TestLog log(false);
  sqlite3* first = nullptr;
  {
    auto a = log.ledger->reader();
    REQUIRE(a.ok());
    first = a->db().handle();
    auto b = log.ledger->reader();
    REQUIRE(b.ok());
    CHECK(b->db().handle() != first);  // both lent at once: two connections
  }
  auto again = log.ledger->reader();
  REQUIRE(again.ok());
  // The pool keeps idle connections: one of the two comes back.
  auto other = log.ledger->reader();
  REQUIRE(other.ok());
  CHECK((again->db().handle() == first || other->db().handle() == first));
}

TEST_CASE("ReadTxn: one snapshot inside, the newest data after", "[reader_lease]") {
  TestLog log(false);
  REQUIRE(append_one(*log.ledger).ok());
  auto lease = log.ledger->reader();
  REQUIRE(lease.ok());
  {
    ReadTxn txn(lease->db());
    REQUIRE(txn.begun().ok());
    CHECK(*log_size(txn.db()) == 1);
    REQUIRE(append_one(*log.ledger).ok());
    CHECK(*log_size(txn.db()) == 1);  // the snapshot of the transaction
  }
  // Ended: the connection is not left in a transaction.
  CHECK(sqlite3_get_autocommit(lease->db().handle()) != 0);
  CHECK(*log_size(lease->db()) == 2);
}
