// Secrets that must hold in the audit log (issue 11, items 12, 13, 16, 17):
// withheld entries are blinded and shown as stubs, source digests are salted
// per entry, the files are private, and the verifier names a changed entry.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "audit_log/digest_key.h"
#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/merkle.h"
#include "audit_log/time_format.h"
#include "audit_log/trail.h"
#include "audit_log/verify.h"
#include "audit_test_support.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::kTestEpochMs;
using sunbid::testing::TestLog;

namespace {

std::vector<StoredEntry> all_entries(TestLog& log) {
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto e = read_entries(*db, 0, 1u << 20);
  REQUIRE(e.ok());
  return std::move(e).value();
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode & 07777);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("every entry appended withheld carries a fresh 32-byte blind, public ones none",
          "[secrets]") {
  TestLog log(false);
  REQUIRE(log.ledger
              ->execute([](WriteTxn& txn) -> Status {
                for (int i = 0; i < 3; ++i) {
                  EntryDraft d;
                  d.type = "ballot.cast";
                  d.tender = "T1";
                  d.payload = {{"choice", "B1"}};
                  if (i != 1) d.release_at_ms = kTestEpochMs + 1000;
                  SUNBID_TRY(txn.append(d));
                }
                return {};
              })
              .ok());
  auto entries = all_entries(log);
  REQUIRE(entries.size() == 3);
  std::set<std::string> blinds;
  for (std::size_t i = 0; i < 3; ++i) {
    auto payload = boost::json::parse(entries[i].bytes).at("payload").as_object();
    if (i == 1) {
      CHECK_FALSE(payload.contains("blind"));
      continue;
    }
    std::string b(payload.at("blind").as_string());
    CHECK(b.size() == 64);
    CHECK(b.find_first_not_of("0123456789abcdef") == std::string::npos);
    blinds.insert(b);
    // Still exactly nine members: the blind lives in the payload.
    TopLevelFields f;
    CHECK(parse_entry(entries[i].bytes, f).ok());
  }
  CHECK(blinds.size() == 2);

  // Only the log adds a blind.
  Status st = log.ledger->execute([](WriteTxn& txn) -> Status {
    EntryDraft d;
    d.type = "ballot.cast";
    d.payload = {{"blind", std::string(64, 'a')}};
    return txn.append(d).ok() ? Status{} : make_error("refused", "refused");
  });
  CHECK_FALSE(st.ok());
}

TEST_CASE("golden vector: a blinded entry (docs/audit-entry.md)", "[secrets]") {
  EntryDraft d;
  d.type = "ballot.cast";
  d.tender = "T1";
  d.actor = "acct-0000000000000001";
  d.role = "owner";
  d.payload = {{"choice", "B20"}, {"round", 2}};
  const std::string blind = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff";
  auto bytes = encode_entry(d, 7, kTestEpochMs, Hash{}, "ab" + std::string(62, '0'), blind);
  REQUIRE(bytes.ok());
  CHECK(
      *bytes ==
      R"({"actor":"acct-0000000000000001","index":7,"payload":{"blind":"0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff","choice":"B20","round":2},"prev":"0000000000000000000000000000000000000000000000000000000000000000","role":"owner","source":"ab00000000000000000000000000000000000000000000000000000000000000","tender":"T1","time":"2026-01-01T00:00:00.000Z","type":"ballot.cast"})");
  CHECK(hex_encode(entry_hash(*bytes)) ==
        "1a9d9eaf968d6cd42a17196a143aa3bf9aac74c18c81a92f59565296ca8f5fb1");
  CHECK(hex_encode(leaf_hash(*bytes)) ==
        "1af305a8f60633d52341ded7c8276cec4744eb27356cccfd816db93b8a8d9ac1");
  CHECK(encode_stub(7, *bytes) == R"({"entry_hash":")" + hex_encode(entry_hash(*bytes)) +
                                      R"(","index":7,"leaf_hash":")" +
                                      hex_encode(leaf_hash(*bytes)) + R"("})");
  auto stub = parse_stub(encode_stub(7, *bytes));
  REQUIRE(stub);
  CHECK(stub->index == 7);
  CHECK(stub->leaf_hash == leaf_hash(*bytes));
  CHECK_FALSE(parse_stub(R"({"entry_hash":"x","index":7,"leaf_hash":"y"})"));
}

// Security review A2: a run-off ballot's every field is public or guessable
// (voter, owner digest, area, source from round 1; prev from the public
// entry before; the time within the neighbours' window; the choice from
// three). Without a blind the review's search finds the leaf at once; with
// it, the same search finds nothing.
TEST_CASE("the run-off brute force of the security review fails to find the leaf", "[secrets]") {
  TestLog log(false);
  struct Voter {
    std::string account, owner, source;
    std::int64_t area;
  };
  std::vector<Voter> voters;
  for (int i = 0; i < 20; ++i) {
    voters.push_back({"acct-" + std::to_string(1000 + i), std::string(63, 'a') + char('a' + i % 6),
                      std::string(63, 'b') + char('a' + i % 6), 8000 + 37 * i});
  }
  auto ballot = [](const Voter& v, const std::string& choice, bool replaced) {
    EntryDraft d;
    d.actor = v.account;
    d.role = "owner";
    d.type = "ballot.cast";
    d.tender = "T1";
    d.source = v.source;
    d.payload = {{"tender_id", "T1"},           {"round", 2}, {"owner", v.owner},
                 {"area_centi_m2", v.area},     {"heads", 1}, {"choice", choice},
                 {"replaces_earlier", replaced}};
    return d;
  };
  const Voter& secret_voter = voters[13];
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                EntryDraft before;
                before.type = "tender.round_opened";
                before.tender = "T1";
                SUNBID_TRY(txn.append(before));
                log.clock.advance_ms(700);
                EntryDraft d = ballot(secret_voter, "B20", false);
                d.release_at_ms = kTestEpochMs + 86'400'000;
                SUNBID_TRY(txn.append(d));
                log.clock.advance_ms(900);
                EntryDraft after;
                after.type = "tender.round_tick";
                after.tender = "T1";
                SUNBID_TRY(txn.append(after));
                return {};
              })
              .ok());
  auto entries = all_entries(log);
  REQUIRE(entries.size() == 3);
  // What the public sees: entries 0 and 2 in full, entry 1 as its stub.
  const Hash target = leaf_hash(entries[1].bytes);
  const Hash prev = entry_hash(entries[0].bytes);
  auto time_of = [](const std::string& bytes) {
    auto t = boost::json::parse(bytes).at("time").as_string();
    return *parse_rfc3339_ms_utc(std::string_view(t));
  };
  const std::int64_t t0 = time_of(entries[0].bytes), t2 = time_of(entries[2].bytes);
  auto search = [&](const std::string& blind) -> std::optional<std::string> {
    for (const Voter& v : voters) {
      for (const char* choice : {"B10", "B20", "abstain"}) {
        for (bool repl : {false, true}) {
          for (std::int64_t t = t0; t <= t2; ++t) {
            auto bytes = encode_entry(ballot(v, choice, repl), 1, t, prev, std::nullopt, blind);
            if (bytes.ok() && leaf_hash(*bytes) == target) return v.account + " " + choice;
          }
        }
      }
    }
    return std::nullopt;
  };
  // The search itself is right: told the blind, it finds the ballot.
  std::string blind(boost::json::parse(entries[1].bytes).at("payload").at("blind").as_string());
  auto found = search(blind);
  REQUIRE(found);
  CHECK(*found == secret_voter.account + " B20");
  // Without it (as the attacker is), it finds nothing: the blind has 256 bits.
  CHECK_FALSE(search(""));
}

TEST_CASE("source digests are salted per entry and open with the digest key", "[secrets]") {
  TestLog log(false);
  REQUIRE(log.ledger
              ->execute([](WriteTxn& txn) -> Status {
                for (int i = 0; i < 3; ++i) {
                  EntryDraft d;
                  d.type = i == 0 ? "objection.filed" : "ballot.cast";
                  d.tender = "T1";
                  d.source_address = "198.51.100.7";
                  d.source_scope = "T1";
                  SUNBID_TRY(txn.append(d));
                }
                return {};
              })
              .ok());
  auto entries = all_entries(log);
  std::set<std::string> sources;
  for (const auto& e : entries) {
    std::string s(boost::json::parse(e.bytes).at("source").as_string());
    CHECK(s.size() == 64);
    CHECK(e.bytes.find("198.51.100.7") == std::string::npos);
    sources.insert(s);
  }
  // The objector's entry cannot be linked to the same person's ballots.
  CHECK(sources.size() == 3);
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  for (std::uint64_t i = 0; i < 3; ++i) {
    auto opened = open_source_digest(*db, log.ledger->digest_key(), i);
    REQUIRE(opened.ok());
    CHECK(opened->value == "198.51.100.7");
    CHECK(opened->scope == "T1");
  }
  // The value is stored once per (scope, kind).
  auto rows = db->query_int64(
      "SELECT count(*) FROM personal_data WHERE kind = 'network_address' AND value = "
      "'198.51.100.7'");
  REQUIRE(rows.ok());
  CHECK(*rows == 1);
  // The salt is HMAC-SHA-256(key, be64(index) ‖ kind): another key gives
  // other digests.
  DigestKey other(std::array<std::uint8_t, 32>{1});
  std::string s0(boost::json::parse(entries[0].bytes).at("source").as_string());
  CHECK(log.ledger->digest_key().entry_digest(0, "network_address", "198.51.100.7") == s0);
  CHECK(other.entry_digest(0, "network_address", "198.51.100.7") != s0);
  // Against OpenSSL's one-shot HMAC: HMAC-SHA-256(key, be64(n) ‖ kind).
  std::array<std::uint8_t, 32> kb{};
  for (std::size_t i = 0; i < kb.size(); ++i) kb[i] = static_cast<std::uint8_t>(i * 7 + 1);
  DigestKey fixed(kb);
  for (std::uint64_t n : {0ull, 5ull, 0x0102030405060708ull}) {
    std::string msg;
    for (int i = 0; i < 8; ++i) msg.push_back(static_cast<char>(n >> (56 - 8 * i)));
    msg += "network_address";
    Hash want{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), kb.data(), 32, reinterpret_cast<const unsigned char*>(msg.data()),
         msg.size(), want.data(), &len);
    CHECK(fixed.entry_salt(n, "network_address") == want);
  }
}

TEST_CASE("the data directory, database, WAL and keys are private", "[secrets]") {
  TestLog log(false);
  log.fill(10, 5);
  const auto dir = log.dir.path();
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(database_file(dir)) == 0600);
  CHECK(mode_of(database_file(dir).string() + "-wal") == 0600);
  CHECK(mode_of(database_file(dir).string() + "-shm") == 0600);
  CHECK(mode_of(digest_key_file(dir)) == 0600);
  CHECK(mode_of(signing_key_file(dir)) == 0600);

  // An older installation's files are tightened at open.
  log.ledger.reset();
  REQUIRE(::chmod(database_file(dir).c_str(), 0644) == 0);
  REQUIRE(::chmod(dir.c_str(), 0755) == 0);
  log.open(false);
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(database_file(dir)) == 0600);

  // A digest key readable by others is refused, like the signing key.
  log.ledger.reset();
  REQUIRE(::chmod(digest_key_file(dir).c_str(), 0640) == 0);
  LedgerOptions o;
  o.data_dir = dir;
  o.clock = &log.clock;
  o.log_origin = "test.sunbid.local/log";
  auto refused = Ledger::open(std::move(o));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "key_file_permissions");
  REQUIRE(::chmod(digest_key_file(dir).c_str(), 0600) == 0);
  log.open(false);
}

TEST_CASE("the public export shows withheld entries as stubs, --private in full, 0600",
          "[secrets]") {
  TestLog log(false);
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                for (int i = 0; i < 9; ++i) {
                  EntryDraft d;
                  d.type = "bid.committed";
                  d.tender = "T1";
                  d.payload = {{"bidder_uscc", "91350200MA2XXXXX0" + std::to_string(i)}};
                  if (i % 3 == 1) d.release_at_ms = kTestEpochMs + 3'600'000;
                  SUNBID_TRY(txn.append(d));
                }
                return {};
              })
              .ok());
  log.ledger->stop();
  const std::string key = log.ledger->verifier_key();
  auto db = Database::open(log.db_file(), Database::Mode::kReadOnly);
  REQUIRE(db.ok());

  auto pub = log.dir / "public";
  auto s = export_log(*db, key, pub, ExportOptions{kTestEpochMs, false});
  REQUIRE(s.ok());
  CHECK(s->entries == 9);
  CHECK(s->withheld == 3);
  std::string text = read_file(pub / "entries.jsonl");
  CHECK(text.find("91350200MA2XXXXX01") == std::string::npos);
  CHECK(text.find("91350200MA2XXXXX00") != std::string::npos);
  auto report = verify_log_export(pub, {key, 2});
  REQUIRE(report.ok());
  CHECK(report->entries == 9);
  CHECK(report->withheld == 3);

  // A stub whose entry hash was altered breaks the next entry's link.
  {
    auto bad = log.dir / "bad";
    std::filesystem::create_directories(bad);
    std::string t = text;
    auto at = t.find(R"({"entry_hash":")") + 15;
    t[at] = t[at] == '0' ? '1' : '0';
    std::ofstream(bad / "entries.jsonl", std::ios::binary) << t;
    std::filesystem::copy_file(pub / "checkpoint", bad / "checkpoint");
    auto r = verify_log_export(bad, {key, 2});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "entry_invalid");
  }

  // After the release instant the same export is whole.
  auto later = log.dir / "later";
  auto s2 = export_log(*db, key, later, ExportOptions{kTestEpochMs + 3'600'000, false});
  REQUIRE(s2.ok());
  CHECK(s2->withheld == 0);

  auto priv = log.dir / "private";
  auto s3 = export_log(*db, key, priv, ExportOptions{kTestEpochMs, true});
  REQUIRE(s3.ok());
  CHECK(s3->withheld == 3);
  CHECK(read_file(priv / "entries.jsonl").find("91350200MA2XXXXX01") != std::string::npos);
  CHECK(mode_of(priv / "entries.jsonl") == 0600);
  CHECK(mode_of(priv / "checkpoint") == 0600);
  auto r3 = verify_log_export(priv, {key, 2});
  REQUIRE(r3.ok());
  CHECK(r3->withheld == 0);
  // A database copy reports what is withheld at the time of verification.
  auto r4 = verify_log_database(log.db_file(), {key, 2});
  REQUIRE(r4.ok());
  CHECK(r4->withheld == 0);  // the test epoch lies in the past
}

namespace {

// A log whose checkpoints were signed after every 10 entries (sizes 10..100),
// and a tampered copy of it, as an attacker with the file makes one: the
// append-only triggers dropped first.
struct CheckpointedLog {
  TestLog log{false};
  std::string key;
  CheckpointedLog() {
    for (int i = 0; i < 10; ++i) {
      log.fill(10, 10);
      REQUIRE(log.ledger->publish_checkpoint().ok());
    }
    log.ledger->stop();
    key = log.ledger->verifier_key();
  }
  std::filesystem::path tampered(std::uint64_t k, bool rewrite_nodes) {
    auto copy = log.dir / ("copy-" + std::to_string(k) + (rewrite_nodes ? "n" : "") + ".db");
    std::filesystem::copy_file(log.db_file(), copy,
                               std::filesystem::copy_options::overwrite_existing);
    auto db = Database::open(copy, Database::Mode::kReadWrite);
    REQUIRE(db.ok());
    REQUIRE(db->exec("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;")
                .ok());
    REQUIRE(
        db->exec("UPDATE audit_entries SET entry = replace(entry, '测试', '篡改') WHERE idx = " +
                 std::to_string(k))
            .ok());
    if (rewrite_nodes) {
      // The attacker also rewrites every stored node to match the changed
      // entry (all but the signed roots, which it cannot forge).
      auto entries = read_entries(*db, 0, 100);
      REQUIRE(entries.ok());
      Frontier f;
      std::vector<std::pair<NodeId, Hash>> nodes;
      for (const auto& e : *entries) f.append(leaf_hash(e.bytes), &nodes);
      auto up = db->prepare("UPDATE merkle_nodes SET hash = ? WHERE level = ? AND idx = ?");
      REQUIRE(up.ok());
      for (const auto& [id, h] : nodes) {
        up->bind_blob(1, h)
            .bind(2, std::int64_t{id.level})
            .bind(3, static_cast<std::int64_t>(id.index));
        REQUIRE(up->run().ok());
        up->reset();
      }
    }
    return copy;
  }
};

std::int64_t blamed(const Error& e) {
  auto it = e.details.find("entry");
  return it == e.details.end() ? -1 : it->value().as_int64();
}

}  // namespace

TEST_CASE("sunbid-verify names the changed entry: first, middle and last", "[secrets]") {
  CheckpointedLog c;
  REQUIRE(verify_log_database(c.log.db_file(), {c.key, 2}).ok());
  for (std::uint64_t k : {0u, 57u, 99u}) {
    INFO("entry " << k);
    auto r = verify_log_database(c.tampered(k, false), {c.key, 2});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "entry_invalid");
    CHECK(blamed(r.error()) == static_cast<std::int64_t>(k));
    CHECK(r.error().message.rfind("entry " + std::to_string(k) + ": its bytes no longer match",
                                  0) == 0);
  }
}

TEST_CASE("rewritten Merkle nodes cannot move the blame to another entry", "[secrets]") {
  CheckpointedLog c;
  for (std::uint64_t k : {0u, 57u, 99u}) {
    INFO("entry " << k);
    auto r = verify_log_database(c.tampered(k, true), {c.key, 2});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "entry_invalid");
    // The signed checkpoints bracket it (the one of size 60 differs, 50
    // matches): the blame is a range that holds k, never another entry.
    const std::int64_t first = blamed(r.error());
    auto last_it = r.error().details.find("last");
    const std::int64_t last =
        last_it == r.error().details.end() ? first : last_it->value().as_int64();
    CHECK(first <= static_cast<std::int64_t>(k));
    CHECK(last >= static_cast<std::int64_t>(k));
    CHECK(last - first < 10);
  }
}

TEST_CASE("blame_changed_entry trusts only nodes that hash to a genuine parent", "[secrets]") {
  std::vector<Hash> genuine;
  for (int i = 0; i < 13; ++i) genuine.push_back(leaf_hash("entry " + std::to_string(i)));
  Frontier f;
  std::vector<std::pair<NodeId, Hash>> stored;
  for (const auto& h : genuine) f.append(h, &stored);
  const Hash root = f.root();
  std::map<NodeId, Hash> nodes(stored.begin(), stored.end());
  NodeReader reader = [&](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
    std::vector<Hash> out;
    for (const auto& id : ids) out.push_back(nodes.at(id));
    return out;
  };
  for (std::size_t k = 0; k < genuine.size(); ++k) {
    auto leaves = genuine;
    leaves[k] = leaf_hash("changed");
    auto b = blame_changed_entry(leaves, {{13, root}}, &reader);
    REQUIRE(b);
    CHECK(b->exact());
    CHECK(b->first == k);
  }
  CHECK_FALSE(blame_changed_entry(genuine, {{13, root}}, &reader));
  // A forged sibling node is not believed: the blame stays on the entry.
  auto leaves = genuine;
  leaves[4] = leaf_hash("changed");
  nodes[{0, 5}] = leaf_hash("forged");
  auto b = blame_changed_entry(leaves, {{13, root}}, &reader);
  REQUIRE(b);
  CHECK(b->first <= 4);
  CHECK(b->last >= 4);
}
