// The trail tamper vectors shared with the web app (issue 15): a valid tender
// trail made by the real ledger (tests/vectors/tamper/trail.json) and
// one-byte changes at byte offsets of that file, each with the error code and
// the entry `sunbid-verify trail` must blame (tests/vectors/tamper/cases.json).
// web/tests/unit/trail.test.ts reads the same two files and checks that the
// browser verifier blames the same entry.
//
// The files are written by the hidden test "[.generate]" below:
//   SUNBID_WRITE_VECTORS=1 ./build/dev/tests/audit_log_tests "[.generate]"
// It builds a small log, takes T1's trail, and derives each change from the
// trail's own text (so the offsets stay right), asserting the blame it means
// before writing. The visible test then checks the committed files.
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "audit_log/sha256.h"
#include "audit_log/trail.h"
#include "audit_test_support.h"
#include "vectors.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::TestLog;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string vectors_path(const std::string& name) {
  return std::string(SUNBID_VECTORS_DIR) + "/tamper/" + name;
}

// What verify_trail says: "ok", or its code and the entry it names (-1: none).
struct Verdict {
  std::string code;
  std::int64_t entry = -1;
  std::string message;
};

Verdict verdict(std::string_view trail, const std::string& key) {
  auto r = verify_trail(trail, key);
  if (r.ok()) return {"ok", -1, ""};
  Verdict v{r.error().code, -1, r.error().message};
  if (auto it = r.error().details.find("entry"); it != r.error().details.end()) {
    v.entry = it->value().as_int64();
  }
  return v;
}

struct Case {
  std::string name;
  std::size_t offset = 0;
  std::uint8_t byte = 0;
  std::string code;
  std::int64_t entry = -1;
};

// The offset just after `needle` found at or after `from` (REQUIREd present).
std::size_t after(const std::string& text, std::string_view needle, std::size_t from = 0) {
  auto p = text.find(needle, from);
  REQUIRE(p != std::string::npos);
  return p + needle.size();
}

// Where entry k's object starts in the trail text.
std::size_t entry_at(const std::string& trail, int k) {
  return after(trail, "{\"index\":" + std::to_string(k) + ",\"entry\":\"");
}

char other_hex(char c) {
  return c == '0' ? '1' : '0';
}
char other_digit(char c) {
  return c == '9' ? '0' : static_cast<char>(c + 1);
}

}  // namespace

TEST_CASE("trail tamper vectors: sunbid-verify blames the listed entry", "[vectors]") {
  const std::string trail = read_file(vectors_path("trail.json"));
  auto doc = boost::json::parse(read_file(vectors_path("cases.json")));
  const std::string key(doc.at("key").as_string());
  const auto& cases = doc.at("cases").as_array();
  REQUIRE(cases.size() >= 15);
  {
    auto whole = verify_trail(trail, key);
    REQUIRE(whole.ok());
    CHECK(whole->entries.size() == static_cast<std::size_t>(doc.at("entries").as_int64()));
  }
  for (const auto& c : cases) {
    const std::string name(c.at("name").as_string());
    INFO(name);
    std::string t = trail;
    const auto offset = static_cast<std::size_t>(c.at("offset").as_int64());
    REQUIRE(offset < t.size());
    const std::string byte = sunbid::testing::from_hex(c.at("byte").as_string());
    REQUIRE(byte.size() == 1);
    REQUIRE(t[offset] != byte[0]);
    t[offset] = byte[0];
    Verdict v = verdict(t, key);
    CHECK(v.code == std::string(c.at("code").as_string()));
    const auto& want = c.at("entry");
    CHECK(v.entry == (want.is_null() ? -1 : want.as_int64()));
    if (v.entry >= 0) {
      // The blame reads "entry N: reason", as sunbid-verify prints it.
      CHECK(v.message.rfind("entry " + std::to_string(v.entry) + ":", 0) == 0);
    }
  }
}

TEST_CASE("write the trail tamper vectors", "[.generate]") {
  if (std::getenv("SUNBID_WRITE_VECTORS") == nullptr) return;
  TestLog log(false);
  // Twelve entries; T1's trail holds 0,1,2,4,5,6,8,10,11 (so 0-1-2 and
  // 4-5-6 and 10-11 are chain-linked inside the trail, 8 has no neighbour).
  REQUIRE(log.ledger
              ->execute([&](WriteTxn& txn) -> Status {
                for (int i = 0; i < 12; ++i) {
                  EntryDraft d;
                  d.type = "test.entry";
                  d.actor = i % 2 ? "acct-0000000000000001" : "system";
                  d.role = i % 2 ? "tenderer" : "system";
                  const bool t1 = i != 3 && i != 7 && i != 9;
                  d.tender =
                      t1 ? std::optional<std::string>("T1") : std::optional<std::string>("T2");
                  d.payload = {{"n", i}, {"text", "测试 / test"}};
                  if (i == 6) d.payload["note"] = "第一行\n\"引号\" \\ end";
                  SUNBID_TRY(txn.append(d));
                  log.clock.advance_ms(1007);
                }
                return {};
              })
              .ok());
  REQUIRE(log.ledger->publish_checkpoint().ok());
  const std::string key = log.ledger->verifier_key();
  auto db = log.ledger->open_reader();
  REQUIRE(db.ok());
  auto obj = tender_trail(*db, "T1", key, log.clock.now_ms());
  REQUIRE(obj.ok());
  const std::string trail = boost::json::serialize(*obj);
  REQUIRE(verify_trail(trail, key).ok());

  std::vector<Case> cases;
  auto add = [&](std::string name, std::size_t offset, char byte, std::string code,
                 std::int64_t entry) {
    REQUIRE(offset < trail.size());
    cases.push_back(
        {std::move(name), offset, static_cast<std::uint8_t>(byte), std::move(code), entry});
  };
  auto add_raw = [&](std::string name, std::size_t offset, std::uint8_t byte, std::string code,
                     std::int64_t entry) {
    cases.push_back({std::move(name), offset, byte, std::move(code), entry});
  };
  // Inside an entry: the bytes change, so its leaf no longer proves in.
  {
    std::size_t p = after(trail, R"(\"n\":4)", entry_at(trail, 4)) - 1;
    add("entry 4: a payload digit", p, '5', "proof_invalid", 4);
  }
  {
    std::size_t p = after(trail, "test.entry", entry_at(trail, 0)) - 1;
    add("entry 0: a letter of its type", p, 'z', "proof_invalid", 0);
  }
  {
    // 测 is E6 B5 8B; 8C makes another valid character.
    std::size_t p = after(trail, "测", entry_at(trail, 5)) - 1;
    add_raw("entry 5: one byte of a Chinese character (still valid UTF-8)", p, 0x8C,
            "proof_invalid", 5);
    add_raw("entry 5: a byte that is not UTF-8 (the trail is no longer JSON)", p - 2, 0xFF,
            "input_unusable", -1);
  }
  {
    // The entry's \n escape is \\n in the trail's text: n -> t.
    std::size_t p = after(trail, R"(第一行\\n)", entry_at(trail, 6)) - 1;
    add("entry 6: an escape inside a string (\\n becomes \\t)", p, 't', "proof_invalid", 6);
  }
  {
    std::size_t p = after(trail, R"(\"prev\":\")", entry_at(trail, 2));
    add("entry 2: its prev (the chain link to entry 1 breaks first)", p, other_hex(trail[p]),
        "entry_invalid", 2);
  }
  {
    std::size_t p = after(trail, R"(\"prev\":\")", entry_at(trail, 8));
    add("entry 8: its prev (no neighbour in the trail: the proof fails)", p, other_hex(trail[p]),
        "proof_invalid", 8);
  }
  {
    std::size_t p = after(trail, R"(\"prev\":\")", entry_at(trail, 10));
    while (!(trail[p] >= 'a' && trail[p] <= 'f')) ++p;
    add("entry 10: an uppercase hex digit in prev", p, static_cast<char>(trail[p] - 'a' + 'A'),
        "entry_invalid", 10);
  }
  {
    std::size_t p = after(trail, R"({\"actor)", entry_at(trail, 1) - 1) - 5;
    add("entry 1: a key renamed out of order (actor -> zctor)", p, 'z', "entry_invalid", 1);
  }
  {
    std::size_t p = after(trail, R"(\"acct-0000000000000001\")", entry_at(trail, 11));
    add("entry 11: whitespace instead of a comma (not canonical JSON)", p, ' ', "entry_invalid",
        11);
  }
  {
    std::size_t p = after(trail, R"(\"time\":\")", entry_at(trail, 11)) + 22;
    add("entry 11 (the last): a millisecond digit of its time", p, other_digit(trail[p]),
        "proof_invalid", 11);
  }
  {
    std::size_t p = after(trail, R"("proof":[")", entry_at(trail, 5));
    add("entry 5: a hash of its inclusion proof", p, other_hex(trail[p]), "proof_invalid", 5);
  }
  {
    // The trail's own index member 4 -> 3: the verifier names the index the
    // trail claims, whose entry carries another.
    std::size_t p = entry_at(trail, 4) - std::string_view(R"(,"entry":")").size() - 1;
    add("trail index 4 claimed as 3 (entry 3: carries index 4)", p, '3', "entry_invalid", 3);
  }
  {
    std::size_t p = after(trail, R"(\n12\n)");
    add("checkpoint: its root hash", p, trail[p] == 'A' ? 'B' : 'A', "checkpoint_invalid", -1);
  }
  {
    std::size_t p = after(trail, "\xE2\x80\x94 ");
    p = after(trail, " ", p) + 40;
    add("checkpoint: its signature", p, trail[p] == 'A' ? 'B' : 'A', "checkpoint_invalid", -1);
  }
  {
    std::size_t p = after(trail, R"("tree_size":1)");
    add("tree_size claimed as 13", p, '3', "checkpoint_invalid", -1);
  }
  {
    // The trail's key member is informative: the pinned key decides.
    std::size_t p = after(trail, R"("key":")") + 1;
    add("the trail's own key member (ignored: the pinned key decides)", p,
        trail[p] == 'x' ? 'y' : 'x', "ok", -1);
  }
  boost::json::array out;
  for (const Case& c : cases) {
    std::string t = trail;
    REQUIRE(t[c.offset] != static_cast<char>(c.byte));
    t[c.offset] = static_cast<char>(c.byte);
    Verdict v = verdict(t, key);
    INFO(c.name << ": " << v.code << " " << v.entry << " " << v.message);
    REQUIRE(v.code == c.code);
    REQUIRE(v.entry == c.entry);
    out.emplace_back(boost::json::object{
        {"name", c.name},
        {"offset", static_cast<std::int64_t>(c.offset)},
        {"byte", hex_encode(std::span<const std::uint8_t>(&c.byte, 1))},
        {"code", c.code},
        {"entry", c.entry < 0 ? boost::json::value(nullptr) : boost::json::value(c.entry)},
        {"message", v.message}});
  }
  std::filesystem::create_directories(vectors_path(""));
  {
    std::ofstream f(vectors_path("trail.json"), std::ios::binary);
    f << trail;
  }
  boost::json::object cases_doc{
      {"description",
       "One-byte changes of trail.json (a T1 trail made by the real ledger): offset is a byte "
       "offset into trail.json, byte the new value (hex); code and entry are what "
       "sunbid-verify trail answers (entry: the log index it blames, null when none); message "
       "is its text. Read by tests/audit_log/trail_vectors_test.cc and "
       "web/tests/unit/trail.test.ts."},
      {"key", key},
      {"entries", static_cast<std::int64_t>(verify_trail(trail, key)->entries.size())},
      {"cases", std::move(out)}};
  std::ofstream f(vectors_path("cases.json"), std::ios::binary);
  f << boost::json::serialize(cases_doc) << "\n";
}
