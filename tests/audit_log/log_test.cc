// The audit log through the ledger: appends, rollback of a refused command's
// entries, Merkle storage, checkpoints, proofs, personal digests, withheld
// entries, export and trails.
#include <catch2/catch.hpp>

#include <boost/json/serialize.hpp>
#include <sys/stat.h>

#include "audit_log/checkpoint.h"
#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "audit_log/verify.h"
#include "audit_test_support.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::TestLog;

namespace {

std::vector<StoredEntry> all_entries(Ledger& l) {
  auto r = l.open_reader();
  REQUIRE(r.ok());
  auto e = read_entries(*r, 0, UINT64_MAX >> 1);
  REQUIRE(e.ok());
  return std::move(e).value();
}

}  // namespace

TEST_CASE("entries are chained, indexed and canonical") {
  TestLog log(false);
  log.fill(250, 10);
  auto entries = all_entries(*log.ledger);
  REQUIRE(entries.size() == 250);
  Hash prev{};
  TopLevelFields scratch;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto v = parse_entry(entries[i].bytes, scratch);
    REQUIRE(v.ok());
    CHECK(v->index == i);
    CHECK(v->prev == prev);
    prev = entry_hash(entries[i].bytes);
  }
  // The first entry, byte for byte (its time is the manual clock's start).
  CHECK(entries[0].bytes ==
        R"({"actor":"system","index":0,"payload":{"n":0,"text":"测试 / test"},"prev":")" +
            std::string(64, '0') +
            R"(","role":"system","source":null,"tender":"T1","time":"2026-01-01T00:00:00.000Z","type":"test.entry"})");
  // Golden hashes computed independently (Python hashlib; docs/audit-entry.md).
  CHECK(hex_encode(entry_hash(entries[0].bytes)) ==
        "85c3015be8929503b19f7284fd5a677da01d0e20eb5ef7047cbe7114e5a0b952");
  CHECK(hex_encode(leaf_hash(entries[0].bytes)) ==
        "b5105b0cf6a1b64dccb78102c422bdc19e2e39c0cee5010cc7ad9689e4986047");
}

TEST_CASE("a refused command's entries are rolled back with it") {
  TestLog log(false);
  log.fill(5, 5);
  Status refused = log.ledger->execute([](WriteTxn& txn) -> Status {
    EntryDraft d;
    d.type = "test.refused";
    SUNBID_TRY(txn.append(d));
    SUNBID_TRY(txn.append(d));
    return make_error("refused_for_test", "测试 / test");
  });
  REQUIRE_FALSE(refused.ok());
  log.fill(3, 3);
  auto entries = all_entries(*log.ledger);
  REQUIRE(entries.size() == 8);
  TopLevelFields scratch;
  for (const auto& e : entries) CHECK(e.bytes.find("test.refused") == std::string::npos);
  // The chain continues across the refusal: the verifier accepts it.
  log.ledger->stop();
  auto report = verify_log_database(log.db_file(), {log.ledger->verifier_key(), 1});
  REQUIRE(report.ok());
  CHECK(report->entries == 8);
}

TEST_CASE("the committed root equals the root over stored nodes and a naive recomputation") {
  TestLog log(false);
  log.fill(1000, 37);
  auto info = log.ledger->committed_log();
  CHECK(info.size == 1000);
  auto reader = log.ledger->open_reader();
  REQUIRE(reader.ok());
  for (std::uint64_t size : {1ULL, 2ULL, 3ULL, 511ULL, 512ULL, 513ULL, 999ULL, 1000ULL}) {
    auto root = root_at(size, node_reader(*reader));
    REQUIRE(root.ok());
    // Naive: fold leaves pairwise per RFC 6962 from the stored entries.
    auto entries = read_entries(*reader, 0, size);
    REQUIRE(entries.ok());
    std::function<Hash(std::size_t, std::size_t)> mth = [&](std::size_t b, std::size_t e) -> Hash {
      if (e - b == 1) return leaf_hash((*entries)[b].bytes);
      std::size_t k = 1;
      while (k * 2 < e - b) k *= 2;
      return node_hash(mth(b, b + k), mth(b + k, e));
    };
    CHECK(*root == mth(0, size));
    if (size == 1000) CHECK(*root == info.root);
  }
}

TEST_CASE("checkpoints are signed after commits and the final one covers the whole log") {
  TestLog log(true, std::chrono::milliseconds(50));
  log.fill(100, 10);
  std::string key = log.ledger->verifier_key();
  // The publisher signs within the interval.
  std::optional<StoredCheckpoint> cp;
  for (int i = 0; i < 200 && !(cp && cp->tree_size == 100); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto r = log.ledger->open_reader();
    REQUIRE(r.ok());
    auto latest = latest_checkpoint(*r);
    REQUIRE(latest.ok());
    cp = *latest;
  }
  REQUIRE(cp);
  CHECK(cp->tree_size == 100);
  auto verified = verify_checkpoint_note(cp->note, key);
  REQUIRE(verified.ok());
  CHECK(verified->origin == "test.sunbid.local/log");
  CHECK(verified->root == log.ledger->committed_log().root);

  log.fill(7, 7);
  log.ledger->stop();
  auto db = Database::open(log.db_file(), Database::Mode::kReadOnly);
  REQUIRE(db.ok());
  auto final_cp = latest_checkpoint(*db);
  REQUIRE(final_cp.ok());
  REQUIRE(*final_cp);
  CHECK((*final_cp)->tree_size == 107);
}

TEST_CASE("the signing key file is private and stable across restarts") {
  TestLog log(false);
  std::string key = log.ledger->verifier_key();
  struct stat st {};
  REQUIRE(::stat(signing_key_file(log.dir.path()).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  log.ledger.reset();
  log.open(false);
  CHECK(log.ledger->verifier_key() == key);
  CHECK(key.rfind("test.sunbid.local/log+", 0) == 0);
}

TEST_CASE("the log head survives a restart and appends continue the chain") {
  TestLog log(false);
  log.fill(77, 11);
  auto root = log.ledger->committed_log().root;
  log.ledger.reset();
  log.open(false);
  CHECK(log.ledger->committed_log().size == 77);
  CHECK(log.ledger->committed_log().root == root);
  log.fill(23, 5);
  log.ledger->stop();
  auto report = verify_log_database(log.db_file(), {log.ledger->verifier_key(), 1});
  REQUIRE(report.ok());
  CHECK(report->entries == 100);
  CHECK(report->checkpoints_checked >= 2);  // one at each stop
}

TEST_CASE("inclusion and consistency proofs are served against stored checkpoints") {
  TestLog log(false);
  log.fill(300, 50);
  REQUIRE(log.ledger->publish_checkpoint().ok());
  log.fill(333, 111);
  REQUIRE(log.ledger->publish_checkpoint().ok());
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  std::string key = log.ledger->verifier_key();
  for (std::uint64_t index : {0ULL, 1ULL, 150ULL, 299ULL, 500ULL, 632ULL}) {
    auto a = prove_inclusion(*db, index, std::nullopt);
    REQUIRE(a.ok());
    CHECK(a->tree_size == 633);
    auto cp = verify_checkpoint_note(a->checkpoint.note, key);
    REQUIRE(cp.ok());
    auto entries = read_entries(*db, index, index + 1);
    REQUIRE(entries.ok());
    CHECK(a->leaf == leaf_hash((*entries)[0].bytes));
    CHECK(verify_inclusion(a->leaf, index, cp->size, a->proof, cp->root).ok());
  }
  auto old_size = prove_inclusion(*db, 10, 300);
  REQUIRE(old_size.ok());
  CHECK(old_size->tree_size == 300);
  auto not_stored = prove_inclusion(*db, 10, 301);
  REQUIRE_FALSE(not_stored.ok());
  CHECK(not_stored.error().code == "checkpoint_not_found");
  auto beyond = prove_inclusion(*db, 633, std::nullopt);
  REQUIRE_FALSE(beyond.ok());

  auto c = prove_consistency(*db, 300, std::nullopt);
  REQUIRE(c.ok());
  auto cp1 = verify_checkpoint_note(c->first_checkpoint.note, key);
  auto cp2 = verify_checkpoint_note(c->checkpoint.note, key);
  REQUIRE(cp1.ok());
  REQUIRE(cp2.ok());
  CHECK(verify_consistency(300, 633, c->proof, cp1->root, cp2->root).ok());
}

TEST_CASE("personal digests are salted, reused within a scope, and open for supervisors") {
  TestLog log(false);
  std::string d1, d2, d3, d4;
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                SUNBID_ASSIGN_OR_RETURN(d1, txn.personal_digest("owner_key", "3-2-1502", "T1"));
                SUNBID_ASSIGN_OR_RETURN(d2, txn.personal_digest("owner_key", "3-2-1502", "T1"));
                SUNBID_ASSIGN_OR_RETURN(d3, txn.personal_digest("owner_key", "3-2-1502", "T2"));
                SUNBID_ASSIGN_OR_RETURN(d4, txn.personal_digest("phone", "13800000000", ""));
                return {};
              })
              .ok());
  CHECK(d1 == d2);  // one owner's ballots in one tender link to each other
  CHECK(d1 != d3);  // but not across tenders
  CHECK(d1 != hex_encode(sha256("3-2-1502")));  // never an unsalted hash
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto opened = open_personal_digest(*db, d4);
  REQUIRE(opened.ok());
  CHECK(opened->value == "13800000000");
  CHECK(opened->salt.size() == 16);
  Sha256 h;
  h.update(std::span<const std::uint8_t>(opened->salt)).update(std::string_view("13800000000"));
  CHECK(hex_encode(h.finish()) == d4);
  CHECK_FALSE(open_personal_digest(*db, std::string(64, 'a')).ok());
}

TEST_CASE("a withheld entry carries its release time beside it, not in it") {
  TestLog log(false);
  const std::int64_t deadline = sunbid::testing::kTestEpochMs + 86'400'000;
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                EntryDraft d;
                d.type = "bid.committed";
                d.tender = "T9";
                d.payload = {{"commitment", std::string(64, 'c')}};
                d.release_at_ms = deadline;
                return txn.append(d).ok() ? Status{} : make_error("x", "x");
              })
              .ok());
  auto entries = all_entries(*log.ledger);
  REQUIRE(entries.size() == 1);
  REQUIRE(entries[0].release_at_ms);
  CHECK(*entries[0].release_at_ms == deadline);
  CHECK(entries[0].bytes.find("release") == std::string::npos);
  // A trail leaves it out until the release time, then includes it.
  REQUIRE(log.ledger->publish_checkpoint().ok());
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto before = tender_trail(*db, "T9", log.ledger->verifier_key(), deadline - 1);
  REQUIRE(before.ok());
  CHECK(before->at("entries").as_array().empty());
  auto after = tender_trail(*db, "T9", log.ledger->verifier_key(), deadline);
  REQUIRE(after.ok());
  CHECK(after->at("entries").as_array().size() == 1);
}

TEST_CASE("audit entries cannot be updated or deleted through SQL") {
  TestLog log(false);
  log.fill(3, 3);
  Status upd = log.ledger->execute([](WriteTxn& txn) -> Status {
    return txn.db().exec("UPDATE audit_entries SET entry = x'00' WHERE idx = 0");
  });
  REQUIRE_FALSE(upd.ok());
  CHECK(upd.error().message.find("append-only") != std::string::npos);
  Status del = log.ledger->execute(
      [](WriteTxn& txn) -> Status { return txn.db().exec("DELETE FROM audit_entries"); });
  REQUIRE_FALSE(del.ok());
  CHECK(all_entries(*log.ledger).size() == 3);
}

TEST_CASE("an exported log and a tender trail verify offline with the pinned key") {
  TestLog log(false);
  log.fill(500, 50);
  log.ledger->stop();
  auto db = Database::open(log.db_file(), Database::Mode::kReadOnly);
  REQUIRE(db.ok());
  std::string key = log.ledger->verifier_key();
  auto out = log.dir / "export";
  auto summary = export_log(*db, key, out, ExportOptions{});
  REQUIRE(summary.ok());
  CHECK(summary->entries == 500);
  auto report = verify_log_export(out, {key, 2});
  REQUIRE(report.ok());
  CHECK(report->entries == 500);
  CHECK(report->key_pinned);

  auto trail = tender_trail(*db, "T1", key, sunbid::testing::kTestEpochMs);
  REQUIRE(trail.ok());
  std::string text = boost::json::serialize(*trail);
  auto verified = verify_trail(text, key);
  REQUIRE(verified.ok());
  CHECK(verified->entries.size() == 167);  // indices divisible by 3

  // Another key is refused; a flipped proof hash is caught.
  TestLog other(false);
  auto wrong = verify_trail(text, other.ledger->verifier_key());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "checkpoint_invalid");
  auto& first_proof = (*trail)["entries"].as_array()[5].as_object()["proof"].as_array()[0];
  std::string h(first_proof.as_string());
  h[0] = h[0] == '0' ? '1' : '0';
  first_proof = h;
  auto bad = verify_trail(boost::json::serialize(*trail), key);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "proof_invalid");
  CHECK(bad.error().message.rfind("entry 15:", 0) == 0);
}
