// Owner onboarding (issue 13 §1): activation codes, their check symbol and
// normalisation, the activation key file, issuing, activation, reset, the
// certificate tail, the vote-proximity flag — and that no code, HMAC, tail
// or owner key ever enters the log.
#include "accounts/activation.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "accounts_fixture.h"
#include "audit_log/log_store.h"
#include "audit_log/time_format.h"

using namespace sunbid;
using namespace sunbid::testing;
using accounts::Role;

namespace {

const accounts::ActivationKey kKey(std::array<std::uint8_t, 32>{1, 2, 3, 4, 5, 6, 7, 8});

constexpr std::string_view kRoster =
    "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
    "2-1-101,8950,K1,王芳,sold,\n"
    "1-2-1502,10050,K2,李明,sold,a7b9\n"
    "1-2-1503,9000,K3,,sold,\n"
    "1-3-0101,7000,K3,,sold,\n"
    "3-1-101,5000,DEV,开发商,unsold,\n"
    "3-1-102,5000,DEV,开发商,unsold,\n";

struct Onboarding : AccountsFixture {
  Onboarding() {
    accounts::add_roster_hooks(*registry);
    auto c = registry->create_community(admin, {"金山花园", "湖里区", "金山街道", "金山路1号"});
    REQUIRE(c.ok());
    community = c->id;
    REQUIRE(registry->import_roster(admin, community, kRoster).ok());
  }

  accounts::Issuer tenderer() const {
    return {accounts::Actor{"acct-tenderer", "tenderer", "10.0.0.1"}, Role::kTenderer, community};
  }
  accounts::Issuer supervisor_issuer() const {
    return {accounts::Actor{"acct-supervisor", "supervisor", "10.0.0.2"}, Role::kSupervisor,
            std::nullopt};
  }

  Result<accounts::IssuedBatch> issue(const accounts::IssueRequest& req,
                                      const accounts::Issuer& who) {
    return ledger->run<accounts::IssuedBatch>([&](audit::WriteTxn& txn) {
      return accounts::issue_activation_codes(txn, kKey, req, who);
    });
  }
  Result<accounts::IssuedBatch> issue_all() {
    accounts::IssueRequest req;
    req.community_id = community;
    return issue(req, tenderer());
  }

  Result<accounts::Activated> activate(std::string code, std::string username,
                                       std::optional<std::string> tail = std::nullopt,
                                       std::string password = "new-password-1",
                                       accounts::VoteProximity near = {}) {
    auto hash = accounts::hash_password(password, accounts::ScryptParams{16, 1, 1});
    REQUIRE(hash.ok());
    accounts::ActivationInput in;
    in.code = std::move(code);
    in.username = std::move(username);
    in.certificate_tail = std::move(tail);
    return ledger->run<accounts::Activated>([&](audit::WriteTxn& txn) {
      return accounts::activate_with_code(
          txn, kKey, in, *hash, accounts::Actor{"anonymous", "anonymous", "10.9.9.9"}, near);
    });
  }

  // The log size and every row of the tables onboarding touches.
  std::string state() {
    auto db = reader();
    std::string out = std::to_string(*audit::log_size(db)) + "|";
    for (const char* sql :
         {"SELECT hex(code_hmac), state, ifnull(ended_ms, 0), ifnull(used_account, '') FROM "
          "activation_codes ORDER BY 1",
          "SELECT id, username, hex(password_hash), ifnull(disabled_ms, 0) FROM accounts ORDER BY "
          "1",
          "SELECT hex(token_hash), account_id FROM sessions ORDER BY 1",
          "SELECT log_index, account_id FROM activation_flags ORDER BY 1"}) {
      auto st = db.prepare(sql);
      REQUIRE(st.ok());
      while (*st->step()) {
        for (int i = 0; i < 4; ++i) out += std::string(st->column_text(i)) + ",";
        out += ";";
      }
      out += "|";
    }
    return out;
  }

  const accounts::IssuedCode& code_of(const accounts::IssuedBatch& b, std::string_view key) {
    for (const auto& c : b.codes) {
      if (c.owner_key == key) return c;
    }
    FAIL("no code for " << key);
    return b.codes.front();
  }

  std::string community;
};

std::string strip(std::string_view grouped) {
  std::string s;
  for (char c : grouped) {
    if (c != '-') s.push_back(c);
  }
  return s;
}

}  // namespace

TEST_CASE("activation code: 13 symbols, groups of four, a check symbol in GF(32)", "[activation]") {
  for (int i = 0; i < 50; ++i) {
    auto code = accounts::new_activation_code();
    REQUIRE(code.ok());
    REQUIRE(code->size() == 13);
    for (char c : *code) CHECK(accounts::kCrockfordAlphabet.find(c) != std::string_view::npos);
    CHECK(accounts::check_symbol(code->substr(0, 12)) == (*code)[12]);
    CHECK(accounts::normalize_activation_code(*code) == *code);
    const std::string grouped = accounts::format_activation_code(*code);
    CHECK(grouped.size() == 16);
    CHECK(grouped[4] == '-');
    CHECK(grouped[9] == '-');
    CHECK(grouped[14] == '-');
  }
  // A fixed vector (docs/activation.md): all zeros has check 0; the data
  // 000000000001 (v11 = 1) has check α^19·α^11 = α^30 = α^-1.
  CHECK(accounts::check_symbol("000000000000") == '0');
  const char c1 = accounts::check_symbol("000000000001");
  CHECK(accounts::gf32_mul(static_cast<std::uint8_t>(accounts::kCrockfordAlphabet.find(c1)), 2) ==
        1);
}

TEST_CASE("activation code: every single substitution and every transposition is caught",
          "[activation]") {
  std::mt19937 rng(42);
  for (int n = 0; n < 200; ++n) {
    std::string code(12, '0');
    for (char& c : code) c = accounts::kCrockfordAlphabet[rng() % 32];
    code.push_back(accounts::check_symbol(code));
    REQUIRE(accounts::normalize_activation_code(code));
    for (std::size_t i = 0; i < code.size(); ++i) {
      for (char s : accounts::kCrockfordAlphabet) {
        if (s == code[i]) continue;
        std::string bad = code;
        bad[i] = s;
        CHECK_FALSE(accounts::normalize_activation_code(bad));
      }
      for (std::size_t j = i + 1; j < code.size(); ++j) {
        if (code[i] == code[j]) continue;
        std::string bad = code;
        std::swap(bad[i], bad[j]);
        CHECK_FALSE(accounts::normalize_activation_code(bad));
      }
    }
  }
}

TEST_CASE("activation code: input is case-insensitive, I/L read as 1, O as 0, separators ignored",
          "[activation]") {
  std::string code = "0A1B2C3D4E5F";
  code.push_back(accounts::check_symbol(code));
  std::string typed =
      "oa-ib 2c3d-4e5f-" + std::string(1, static_cast<char>(std::tolower(code[12])));
  CHECK(accounts::normalize_activation_code(typed) == code);
  std::string with_l = "0aLb2c3d4e5f" + std::string(1, code[12]);
  CHECK(accounts::normalize_activation_code(with_l) == code);
  CHECK(accounts::normalize_activation_code(accounts::format_activation_code(code)) == code);
  // Not a symbol, too short, too long.
  CHECK_FALSE(accounts::normalize_activation_code("UA1B2C3D4E5F" + std::string(1, code[12])));
  CHECK_FALSE(accounts::normalize_activation_code(code.substr(0, 12)));
  CHECK_FALSE(accounts::normalize_activation_code(code + "0"));
  CHECK_FALSE(accounts::normalize_activation_code(""));
}

TEST_CASE("activation key: a 0600 file created once, refused when others may read it",
          "[activation]") {
  TempDir dir;
  const auto file = accounts::activation_key_file(dir.path());
  auto k1 = accounts::ActivationKey::load_or_create(file);
  REQUIRE(k1.ok());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto k2 = accounts::ActivationKey::load_or_create(file);
  REQUIRE(k2.ok());
  CHECK(k1->code_hmac("0000000000000") == k2->code_hmac("0000000000000"));
  CHECK(k1->code_hmac("0000000000000") != kKey.code_hmac("0000000000000"));
  REQUIRE(::chmod(file.c_str(), 0644) == 0);
  auto k3 = accounts::ActivationKey::load_or_create(file);
  REQUIRE_FALSE(k3.ok());
  CHECK(k3.error().code == "key_file_permissions");
}

TEST_CASE("issuing: one code per key without an account, letters data, expiry per LAW §10",
          "[activation]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  REQUIRE(batch->codes.size() == 4);  // K1, K2, K3, DEV
  // Ordered by building, then first unit: building 1 (K2 at 1-2-1502, K3
  // at 1-2-1503 and 1-3-0101), building 2 (K1), building 3 (the developer).
  CHECK(batch->codes[0].owner_key == "K2");
  CHECK(batch->codes[1].owner_key == "K3");
  CHECK(batch->codes[0].building == "1");
  CHECK(batch->codes[1].building == "1");
  CHECK(batch->codes[2].building == "2");
  CHECK(batch->codes[3].building == "3");
  const auto& k3 = f.code_of(*batch, "K3");
  REQUIRE(k3.units.size() == 2);
  CHECK(k3.units[0].unit == "1-2-1503");
  CHECK(k3.units[1].unit == "1-3-0101");
  CHECK(k3.area_centi_m2 == 16000);
  CHECK(k3.building == "1");
  CHECK(k3.purpose == accounts::CodePurpose::kActivate);
  const auto& dev = f.code_of(*batch, "DEV");
  CHECK(dev.developer);
  CHECK(dev.area_centi_m2 == 10000);
  CHECK(dev.headcount == 1);
  // Issued 2025-06-01 08:00 China time: day 1 is 2 June, day 60 is 31 July
  // (a Thursday), so the code lasts to 24:00 China time of 31 July.
  CHECK(batch->expires_ms == ms("2025-07-31T16:00:00Z"));
  std::set<std::string> codes;
  for (const auto& c : batch->codes) {
    CHECK(c.expires_ms == batch->expires_ms);
    CHECK(accounts::normalize_activation_code(c.code));
    codes.insert(c.code);
  }
  CHECK(codes.size() == 4);
  CHECK(batch->codes_revoked == 0);
  // Re-issuing for every key without an account revokes the first codes.
  auto again = f.issue_all();
  REQUIRE(again.ok());
  CHECK(again->codes_revoked == 4);
}

TEST_CASE("issuing: who may, and refusals change nothing", "[activation]") {
  Onboarding f;
  REQUIRE(f.create(AccountsFixture::new_account("owner1", Role::kOwner, f.community, std::nullopt,
                                                "K1"))
              .ok());
  const auto before = f.state();
  auto refused = [&](accounts::IssueRequest req, const accounts::Issuer& who, std::string code,
                     std::string field = "") {
    if (req.community_id.empty()) req.community_id = f.community;
    auto r = f.issue(req, who);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == code);
    if (!field.empty()) CHECK(r.error().details.at("field").as_string() == field);
    CHECK(f.state() == before);
  };
  accounts::IssueRequest req;
  auto other = f.tenderer();
  other.community_id = "C999";
  refused(req, other, "not_tenderer_of_community");
  refused(req, {accounts::Actor{"acct-x", "owner"}, Role::kOwner, f.community}, "forbidden");
  req.community_id = "C999";
  refused(req, f.supervisor_issuer(), "community_not_found");
  req.community_id = "";
  req.owner_keys = std::vector<std::string>{"K2", "K9"};
  refused(req, f.tenderer(), "owner_key_unknown", "/owner_keys/1");
  req.owner_keys = std::vector<std::string>{"K2", "K2"};
  refused(req, f.tenderer(), "invalid_field", "/owner_keys/1");
  req.owner_keys = std::vector<std::string>{"K1"};
  refused(req, f.tenderer(), "owner_has_account", "/owner_keys/0");
  refused(req, f.supervisor_issuer(), "owner_has_account", "/owner_keys/0");
  req.reissue = true;
  refused(req, f.tenderer(), "reset_needs_supervisor", "/reissue");
  req.owner_keys.reset();
  refused(req, f.supervisor_issuer(), "invalid_field", "/reissue");
  req.reissue = false;
  req.valid_days = 0;
  refused(req, f.tenderer(), "invalid_field", "/valid_days");

  // A community without a roster.
  auto c = f.registry->create_community(f.admin, {"空小区", "湖里区", "金山街道", "1号"});
  REQUIRE(c.ok());
  const auto before2 = f.state();
  accounts::IssueRequest empty;
  empty.community_id = c->id;
  auto r = f.issue(empty, f.supervisor_issuer());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "roster_not_imported");
  CHECK(f.state() == before2);

  // Keys without an account only: K1 holds one.
  accounts::IssueRequest all;
  all.community_id = f.community;
  auto batch = f.issue(all, f.supervisor_issuer());
  REQUIRE(batch.ok());
  CHECK(batch->codes.size() == 3);
  for (const auto& code : batch->codes) CHECK(code.owner_key != "K1");
}

TEST_CASE("activation: single use, binds (community, owner key), refusals change nothing",
          "[activation]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  const std::string k1 = f.code_of(*batch, "K1").code;

  auto refused = [&](std::string code, std::string username, std::string want,
                     std::optional<std::string> tail = std::nullopt) {
    const auto before = f.state();
    auto r = f.activate(code, username, tail);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == want);
    CHECK(f.state() == before);
    // The answer never repeats the code.
    const std::string text = r.error().to_string();
    CHECK(text.find(strip(code)) == std::string::npos);
    CHECK(text.find(code) == std::string::npos);
  };
  // A typo (one symbol changed) is caught by the check symbol.
  std::string typo = k1;
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  refused(typo, "wang.fang", "activation_code_invalid");
  // A well-formed code that was never issued.
  std::string never = "ZZZZZZZZZZZZ";
  never.push_back(accounts::check_symbol(never));
  refused(never, "wang.fang", "activation_code_unknown");
  refused(k1, "X", "invalid_field");  // username too short

  auto db = f.reader();
  CHECK(accounts::check_presented_code(db, kKey, k1, f.clock.now_ms()).ok());
  // Typed in lower case with spaces.
  std::string typed;
  for (char c : k1) typed.push_back(c == '-' ? ' ' : static_cast<char>(std::tolower(c)));
  auto a = f.activate(typed, "wang.fang");
  REQUIRE(a.ok());
  CHECK_FALSE(a->reset);
  CHECK(a->community_id == f.community);
  auto acct = accounts::find_account_by_id(db, a->account_id);
  REQUIRE(acct.ok());
  REQUIRE(*acct);
  CHECK((*acct)->role == Role::kOwner);
  CHECK((*acct)->owner_key == "K1");
  CHECK((*acct)->community_id == f.community);
  CHECK((*acct)->display_name == "王芳");
  CHECK(accounts::check_login(db, "wang.fang", "new-password-1", (*acct)->password).ok());

  refused(k1, "wang.fang2", "activation_code_used");
  // A fresh code for a key that holds an account, issued before the account
  // existed, is refused: only a supervisor's reset code may.
  accounts::IssueRequest k3;
  k3.community_id = f.community;
  k3.owner_keys = std::vector<std::string>{"K3"};
  auto b3 = f.issue(k3, f.tenderer());
  REQUIRE(b3.ok());
  REQUIRE(f.create(AccountsFixture::new_account("admin.made", Role::kOwner, f.community,
                                                std::nullopt, "K3"))
              .ok());
  refused(b3->codes[0].code, "k3.owner", "owner_has_account");
  // A username taken.
  refused(f.code_of(*batch, "DEV").code, "wang.fang", "username_taken");
}

TEST_CASE("activation: expiry and revocation by re-issue", "[activation]") {
  Onboarding f;
  auto first = f.issue_all();
  REQUIRE(first.ok());
  accounts::IssueRequest k1;
  k1.community_id = f.community;
  k1.owner_keys = std::vector<std::string>{"K1"};
  auto second = f.issue(k1, f.tenderer());
  REQUIRE(second.ok());
  CHECK(second->codes_revoked == 1);
  {
    const auto before = f.state();
    auto r = f.activate(f.code_of(*first, "K1").code, "wang.fang");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "activation_code_revoked");
    CHECK(f.state() == before);
  }
  // The last instant of validity, then one millisecond later.
  f.clock.set_ms(second->expires_ms - 1);
  {
    auto db = f.reader();
    CHECK(accounts::check_presented_code(db, kKey, second->codes[0].code, f.clock.now_ms()).ok());
  }
  f.clock.set_ms(second->expires_ms);
  const auto before = f.state();
  auto r = f.activate(second->codes[0].code, "wang.fang");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "activation_code_expired");
  CHECK(f.state() == before);
}

TEST_CASE("activation: the certificate tail is asked when the roster carries one", "[activation]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  const std::string k2 = f.code_of(*batch, "K2").code;
  for (auto [tail, want] : {std::pair<std::optional<std::string>, std::string>{
                                std::nullopt, "certificate_tail_required"},
                            {std::string(""), "certificate_tail_required"},
                            {std::string("A7B8"), "certificate_tail_mismatch"}}) {
    const auto before = f.state();
    auto r = f.activate(k2, "li.ming", tail);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == want);
    CHECK(f.state() == before);
  }
  // Compared after trimming and upper-casing.
  auto ok = f.activate(k2, "li.ming", std::string(" A7b9 "));
  REQUIRE(ok.ok());
  // The tail is stored only as a salted digest.
  auto db = f.reader();
  auto st = db.prepare("SELECT count(*) FROM roster_certificate_tails");
  REQUIRE(st.ok());
  REQUIRE(*st->step());
  CHECK(st->column_int64(0) == 1);
  auto rows =
      db.prepare("SELECT 1 FROM roster_units WHERE owner_name LIKE '%a7b9%' OR unit LIKE '%a7b9%'");
  REQUIRE(rows.ok());
  CHECK_FALSE(*rows->step());
}

TEST_CASE("reset: a supervisor's code keeps the account id, sets the password, ends sessions",
          "[activation]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  auto a = f.activate(f.code_of(*batch, "K1").code, "wang.fang");
  REQUIRE(a.ok());
  // Two sessions of the owner.
  auto db = f.reader();
  auto acct = accounts::find_account_by_id(db, a->account_id);
  REQUIRE(acct.ok());
  for (int i = 0; i < 2; ++i) {
    auto tok = accounts::new_session_token();
    REQUIRE(tok.ok());
    REQUIRE(f.ledger
                ->run<bool>([&](audit::WriteTxn& txn) -> Result<bool> {
                  SUNBID_TRY(accounts::open_session(txn, *tok, **acct, f.clock.now_ms() + kDayMs,
                                                    accounts::Actor{}));
                  return true;
                })
                .ok());
  }
  accounts::IssueRequest req;
  req.community_id = f.community;
  req.owner_keys = std::vector<std::string>{"K1"};
  req.reissue = true;
  auto reset = f.issue(req, f.supervisor_issuer());
  REQUIRE(reset.ok());
  REQUIRE(reset->codes.size() == 1);
  CHECK(reset->codes[0].purpose == accounts::CodePurpose::kReset);
  CHECK(reset->codes[0].account_id == a->account_id);

  // A reset keeps the username: another one is refused.
  {
    const auto before = f.state();
    auto r = f.activate(reset->codes[0].code, "someone.else", std::nullopt, "reset-password-2");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_field");
    CHECK(f.state() == before);
  }
  auto r = f.activate(reset->codes[0].code, "", std::nullopt, "reset-password-2");
  REQUIRE(r.ok());
  CHECK(r->reset);
  CHECK(r->account_id == a->account_id);
  CHECK(r->username == "wang.fang");
  CHECK(r->sessions_revoked == 2);
  auto after = accounts::find_account_by_id(db, a->account_id);
  REQUIRE(after.ok());
  CHECK(accounts::check_login(db, "wang.fang", "reset-password-2", (*after)->password).ok());
  CHECK_FALSE(accounts::check_login(db, "wang.fang", "new-password-1", (*after)->password).ok());
  CHECK(*db.query_int64("SELECT count(*) FROM sessions") == 0);
  CHECK(*db.query_int64("SELECT count(*) FROM accounts") == 1);
  // The reset is logged with the account and the sessions revoked.
  const auto entries = f.all_entries();
  CHECK(entries.back().find("\"type\":\"account.password_reset\"") != std::string::npos);
  CHECK(entries.back().find("\"sessions_revoked\":2") != std::string::npos);
  CHECK(entries.back().find(a->account_id) != std::string::npos);
}

TEST_CASE("activation near an owners' vote is flagged to supervisors", "[activation]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  std::int64_t asked_horizon = 0;
  accounts::VoteProximity near = [&](audit::Database&, std::string_view community, std::int64_t now,
                                     std::int64_t horizon) -> Result<bool> {
    CHECK(community == f.community);
    asked_horizon = horizon - now;
    return community == f.community;
  };
  accounts::VoteProximity far = [](audit::Database&, std::string_view, std::int64_t,
                                   std::int64_t) -> Result<bool> { return false; };
  auto a = f.activate(f.code_of(*batch, "K1").code, "wang.fang", std::nullopt, "pw-123456", near);
  REQUIRE(a.ok());
  CHECK(a->near_vote);
  CHECK(asked_horizon == 15 * kDayMs);
  auto b = f.activate(f.code_of(*batch, "K3").code, "k3.owner", std::nullopt, "pw-123456", far);
  REQUIRE(b.ok());
  CHECK_FALSE(b->near_vote);
  auto db = f.reader();
  auto flags = accounts::activation_flags(db, std::nullopt, std::nullopt, 10);
  REQUIRE(flags.ok());
  REQUIRE(flags->items.size() == 1);
  CHECK(flags->items[0].account_id == a->account_id);
  CHECK(flags->items[0].log_index == a->log_index);
  CHECK_FALSE(flags->items[0].reset);
  auto none = accounts::activation_flags(db, std::string_view("C999"), std::nullopt, 10);
  REQUIRE(none.ok());
  CHECK(none->items.empty());
  const auto entries = f.all_entries();
  CHECK(entries[a->log_index].find("\"near_vote\":true") != std::string::npos);
  CHECK(entries[b->log_index].find("\"near_vote\":false") != std::string::npos);
}

TEST_CASE("no code, HMAC, certificate tail or owner key ever enters the log", "[activation]") {
  Onboarding f;
  std::vector<std::string> secrets = {"a7b9", "A7B9", "\"K1\"", "\"K2\"", "\"K3\"", "\"DEV\""};
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  accounts::IssueRequest k1;
  k1.community_id = f.community;
  k1.owner_keys = std::vector<std::string>{"K1", "K2"};
  auto again = f.issue(k1, f.supervisor_issuer());
  REQUIRE(again.ok());
  for (const auto* b : {&*batch, &*again}) {
    for (const auto& c : b->codes) {
      secrets.push_back(c.code);
      const std::string n = strip(c.code);
      secrets.push_back(n);
      const Hash h = kKey.code_hmac(n);
      secrets.push_back(hex_encode(h));
      std::string upper = hex_encode(h);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
      secrets.push_back(upper);
    }
  }
  REQUIRE(f.activate(f.code_of(*again, "K1").code, "wang.fang").ok());
  REQUIRE(f.activate(f.code_of(*again, "K2").code, "li.ming", std::string("a7b9")).ok());
  accounts::IssueRequest reset;
  reset.community_id = f.community;
  reset.owner_keys = std::vector<std::string>{"K1"};
  reset.reissue = true;
  auto r = f.issue(reset, f.supervisor_issuer());
  REQUIRE(r.ok());
  secrets.push_back(r->codes[0].code);
  secrets.push_back(strip(r->codes[0].code));
  secrets.push_back(hex_encode(kKey.code_hmac(strip(r->codes[0].code))));
  REQUIRE(f.activate(r->codes[0].code, "", std::nullopt, "another-pw-3").ok());

  const auto entries = f.all_entries();
  bool saw_issue = false, saw_activated = false, saw_reset = false;
  for (const auto& e : entries) {
    for (const auto& s : secrets) {
      INFO(e);
      CHECK(e.find(s) == std::string::npos);
    }
    saw_issue = saw_issue || e.find("activation.codes_issued") != std::string::npos;
    saw_activated = saw_activated || e.find("account.activated") != std::string::npos;
    saw_reset = saw_reset || e.find("account.password_reset") != std::string::npos;
  }
  CHECK(saw_issue);
  CHECK(saw_activated);
  CHECK(saw_reset);
  // One entry per issuing batch, with counts.
  CHECK(entries.size() >= 6);
  bool counted = false;
  for (const auto& e : entries) {
    if (e.find("activation.codes_issued") != std::string::npos &&
        e.find("\"codes_revoked\":2") != std::string::npos &&
        e.find("\"activation_codes\":2") != std::string::npos) {
      counted = true;
    }
  }
  CHECK(counted);
}

TEST_CASE("roster re-import: keys it drops lose their accounts and unused codes, logged",
          "[activation][roster]") {
  Onboarding f;
  auto batch = f.issue_all();
  REQUIRE(batch.ok());
  auto k1 = f.activate(f.code_of(*batch, "K1").code, "wang.fang");
  REQUIRE(k1.ok());
  REQUIRE(f.activate(f.code_of(*batch, "K3").code, "k3.owner").ok());
  const auto log_before = f.all_entries().size();

  // K1 (an account) and K2 (an unused code) leave the roster; K3 and DEV stay.
  constexpr std::string_view kSmaller =
      "unit,area_centi_m2,owner_key,owner_name,status\n"
      "1-2-1503,9000,K3,,sold\n"
      "3-1-101,5000,DEV,开发商,unsold\n";
  REQUIRE(f.registry->import_roster(f.admin, f.community, kSmaller).ok());
  auto db = f.reader();
  auto acct = accounts::find_account_by_id(db, k1->account_id);
  REQUIRE(acct.ok());
  REQUIRE(*acct);
  CHECK((*acct)->disabled);
  auto kept = accounts::find_account_by_username(db, "k3.owner");
  REQUIRE(kept.ok());
  REQUIRE(*kept);
  CHECK_FALSE((*kept)->disabled);
  auto disabled = accounts::disabled_owner_accounts(db, f.community);
  REQUIRE(disabled.ok());
  CHECK(*disabled == std::vector<std::string>{k1->account_id});
  {
    const auto before = f.state();
    auto r = f.activate(f.code_of(*batch, "K2").code, "li.ming", std::string("a7b9"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "activation_code_revoked");
    CHECK(f.state() == before);
  }
  // The import's entry first, then one disable and one revocation entry.
  const auto entries = f.all_entries();
  REQUIRE(entries.size() == log_before + 3);
  CHECK(entries[log_before].find("community.roster_imported") != std::string::npos);
  CHECK(entries[log_before + 1].find("account.disabled") != std::string::npos);
  CHECK(entries[log_before + 1].find(k1->account_id) != std::string::npos);
  CHECK(entries[log_before + 1].find("roster_key_removed") != std::string::npos);
  CHECK(entries[log_before + 2].find("activation.codes_revoked") != std::string::npos);
  CHECK(entries[log_before + 2].find("\"codes_revoked\":1") != std::string::npos);
  for (std::size_t i = log_before; i < entries.size(); ++i) {
    CHECK(entries[i].find("\"K1\"") == std::string::npos);
    CHECK(entries[i].find("\"K2\"") == std::string::npos);
  }

  // The same roster again: nothing more to disable or revoke.
  REQUIRE(f.registry->import_roster(f.admin, f.community, kSmaller).ok());
  CHECK(f.all_entries().size() == log_before + 4);
  // K1 returns: its account stays disabled (a supervisor decides).
  REQUIRE(f.registry->import_roster(f.admin, f.community, kRoster).ok());
  acct = accounts::find_account_by_id(db, k1->account_id);
  REQUIRE(acct.ok());
  CHECK((*acct)->disabled);
}
