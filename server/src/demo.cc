#include "server/demo.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "accounts/accounts.h"
#include "audit_log/sha256.h"
#include "evaluation/service.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

namespace sunbid::server {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

template <class T>
Status drop(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return {};
}

Result<std::string> random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  return hex_encode(b);
}

// A deterministic spread of unit areas (45.00–180.00 m²) by building and
// floor plan: small two-room flats, the common three-room, large flats.
std::int64_t unit_area(int building, int floor, int unit) {
  static constexpr std::array<std::int64_t, 4> kPlans = {4560, 8950, 12030, 14480};
  std::int64_t base = kPlans[static_cast<std::size_t>(unit - 1)];
  if (building == 5) base += 3500;             // the riverside building: larger plans
  if (floor == 11 && unit == 4) base = 18000;  // top-floor duplex
  std::int64_t jitter = ((building * 37 + floor * 11 + unit * 7) % 9) * 25;  // ≤ 2 m²
  return std::min<std::int64_t>(18000, base + jitter);
}

struct Roster {
  std::string csv;
  std::vector<std::pair<std::string, std::string>> sample_owners;  // (owner_key, name)
};

// 金山花园: 5 buildings × 10 floors × 4 units = 200 units. Units whose number
// falls on the developer's unsold list share its owner_key DEV; three
// families own two flats each.
Roster demo_roster() {
  static constexpr std::array<const char*, 12> kSurnames = {"陈", "林", "黄", "吴", "郑", "王",
                                                            "李", "张", "蔡", "许", "洪", "杨"};
  static constexpr std::array<const char*, 10> kGiven = {"志强", "秀英", "建国", "海燕", "浩然",
                                                         "丽华", "文杰", "淑珍", "明辉", "雅婷"};
  Roster r;
  r.csv = "unit,area_centi_m2,owner_key,owner_name,status\n";
  int owner = 0;
  std::string last_key, last_name;
  for (int b = 1; b <= 5; ++b) {
    for (int f = 2; f <= 11; ++f) {
      for (int u = 1; u <= 4; ++u) {
        std::string unit = std::to_string(b) + "-" + std::to_string(f) + "0" + std::to_string(u);
        std::int64_t area = unit_area(b, f, u);
        bool unsold = (b == 5 && f >= 9) || (b == 3 && f == 11 && u >= 3);
        // Three families own the flat next door too: 1-202, 2-602, 4-1004.
        bool second_flat = (b == 1 && f == 2 && u == 2) || (b == 2 && f == 6 && u == 2) ||
                           (b == 4 && f == 10 && u == 4);
        std::string key, name, status = "sold";
        if (unsold) {
          key = "DEV";
          name = "厦门金山置业有限公司";
          status = "unsold";
        } else if (second_flat) {
          key = last_key;
          name = last_name;
        } else {
          ++owner;
          char buf[16];
          std::snprintf(buf, sizeof buf, "O-%04d", owner);
          key = buf;
          name = owner == 1
                     ? std::string("陈志强")
                     : std::string(kSurnames[static_cast<std::size_t>(owner) % kSurnames.size()]) +
                           kGiven[static_cast<std::size_t>(owner * 7) % kGiven.size()];
          if (owner >= 2 && r.sample_owners.size() < 3) r.sample_owners.emplace_back(key, name);
        }
        last_key = key;
        last_name = name;
        r.csv += unit + "," + std::to_string(area) + "," + key + "," + name + "," + status + "\n";
      }
    }
  }
  return r;
}

Status write_private_file(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    return make_error("io_error", "无法创建目录 / cannot create " + path.parent_path().string());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return make_error("io_error", "无法写入 / cannot write " + path.string());
  }
  ::chmod(path.c_str(), 0600);
  return {};
}

// The expert pool (专家库): the nine demo evaluators, with specialties and
// employers. evaluator9 works for 厦门鹭岛物业 — a bidder of the demo
// tender — so the committee draw must leave it out. Pool entries that exist
// already are skipped (expert_exists writes nothing), so this also fills
// the pool of a demo database seeded before the pool existed.
struct DemoExpert {
  const char* specialty;
  const char* second;
  const char* employer;  // "" = none (retired, university)
};
constexpr std::array<DemoExpert, 9> kDemoExperts = {{
    {"物业管理", "", "91350503MA31DKY80A"},
    {"工程造价", "物业管理", ""},
    {"法律", "", ""},
    {"消防安全", "物业管理", ""},
    {"财务审计", "", ""},
    {"电梯设备", "", "91350200MA31E12PXF"},
    {"园林绿化", "物业管理", ""},
    {"安防系统", "", ""},
    {"物业管理", "", "91350200776049653A"},  // employed by a bidder
}};

Status seed_demo_experts(audit::Ledger& ledger, const Clock& clock, core::TenderService& service,
                         const core::Actor& admin) {
  eval::EvaluationService evaluation(ledger, clock, service);
  SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
  for (std::size_t i = 0; i < kDemoExperts.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(
        auto account, accounts::find_account_by_username(db, "evaluator" + std::to_string(i + 1)));
    if (!account || account->role != accounts::Role::kEvaluator) continue;
    eval::ExpertInput in;
    in.account = account->id;
    in.specialties.emplace_back(kDemoExperts[i].specialty);
    if (*kDemoExperts[i].second) in.specialties.emplace_back(kDemoExperts[i].second);
    if (*kDemoExperts[i].employer) in.employer_uscc = kDemoExperts[i].employer;
    auto added = evaluation.add_expert(admin, in);
    if (!added.ok() && added.error().code != "expert_exists") return std::move(added).error();
  }
  return {};
}

core::Actor demo_admin_actor(const accounts::AccountRecord& admin) {
  core::Actor a;
  a.account = admin.id;
  a.role = "admin";
  a.source_address = "127.0.0.1";
  return a;
}

}  // namespace

Result<DemoSeed> seed_demo(audit::Ledger& ledger, const Clock& clock,
                           const std::filesystem::path& data_dir,
                           const accounts::ScryptParams& scrypt) {
  DemoSeed seed;
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(auto existing,
                            accounts::find_account_by_username(db, kDemoAdminUsername));
    if (existing) {
      seed.already_seeded = true;
      core::TenderService service(ledger, clock);
      SUNBID_TRY(seed_demo_experts(ledger, clock, service, demo_admin_actor(*existing)));
      return seed;
    }
  }

  core::Registry registry(ledger);
  core::TenderService service(ledger, clock);

  // Accounts go through create_account in their own ledger command each.
  auto add_account = [&](const std::string& username, accounts::Role role,
                         const std::string& display, std::optional<std::string> community,
                         std::optional<std::string> uscc, std::optional<std::string> owner_key,
                         const std::string& note) -> Result<core::Actor> {
    accounts::NewAccount a;
    a.username = username;
    a.role = role;
    a.display_name = display;
    a.community_id = std::move(community);
    a.enterprise_uscc = std::move(uscc);
    a.owner_key = std::move(owner_key);
    SUNBID_TRY(accounts::validate_new_account(a));
    SUNBID_ASSIGN_OR_RETURN(std::string password, random_hex(6));
    SUNBID_ASSIGN_OR_RETURN(accounts::PasswordHash hash, accounts::hash_password(password, scrypt));
    std::string id;
    SUNBID_TRY(ledger.execute([&](audit::WriteTxn& txn) -> Status {
      SUNBID_ASSIGN_OR_RETURN(id, accounts::create_account(txn, a, hash, accounts::Actor{}));
      return {};
    }));
    seed.accounts.push_back({username, password, std::string(accounts::role_name(role)), note});
    core::Actor actor;
    actor.account = id;
    actor.role = std::string(accounts::role_name(role));
    actor.source_address = "127.0.0.1";
    actor.community_id = a.community_id.value_or("");
    actor.enterprise_uscc = a.enterprise_uscc.value_or("");
    actor.owner_key = a.owner_key.value_or("");
    return actor;
  };

  SUNBID_ASSIGN_OR_RETURN(core::Actor admin,
                          add_account(std::string(kDemoAdminUsername), accounts::Role::kAdmin,
                                      "平台运营管理员", {}, {}, {}, "platform operator"));
  SUNBID_ASSIGN_OR_RETURN(
      core::Actor supervisor,
      add_account("supervisor", accounts::Role::kSupervisor, "湖里区住建局 监督员", {}, {}, {},
                  "district housing bureau"));

  // The community and its roster.
  SUNBID_ASSIGN_OR_RETURN(core::Community community,
                          registry.create_community(
                              admin, {"金山花园", "湖里区", "金山街道", "厦门市湖里区金山路88号"}));
  seed.community_id = community.id;
  Roster roster = demo_roster();
  SUNBID_TRY(drop(registry.import_roster(admin, community.id, roster.csv)));

  // 服务等级 with reference prices in fen per m² per month.
  SUNBID_TRY(drop(registry.replace_service_tiers(
      admin, {{"T1", "一级服务", 250, 400, {"保洁", "秩序维护", "绿化", "电梯维保", "24小时客服"}},
              {"T2", "二级服务", 180, 300, {"保洁", "秩序维护", "绿化", "电梯维保"}},
              {"T3", "三级服务", 100, 200, {"保洁", "秩序维护"}}})));

  // Five enterprises with real, valid USCCs; ratings in force since 2025.
  struct Company {
    std::string uscc, name, grade;
    std::int32_t score, stars;
    bool blacklisted;
  };
  const std::vector<Company> companies = {
      {"91350200776049653A", "厦门鹭岛物业服务有限公司", "AAA", 9520, 5, false},
      {"91350500798359476R", "漳州九龙江物业管理有限公司", "AA", 8810, 4, false},
      {"91350503MA31DKY80A", "厦门海湾物业有限公司", "A", 7900, 3, false},
      {"91350200MA31E12PXF", "厦门筼筜物业有限公司", "B", 6400, 2, false},  // below the thresholds
      {"913502000728319549", "厦门失信物业有限公司", "C", 4000, 1, true},   // blacklisted
  };
  std::int64_t rated_from = 0;
  {
    auto t = core::parse_rfc3339_ms("2025-01-01T00:00:00Z");
    if (!t.ok()) return std::move(t).error();
    rated_from = *t;
  }
  std::vector<core::RatingInput> ratings;
  for (const auto& c : companies) {
    SUNBID_TRY(drop(registry.register_enterprise(admin, {c.uscc, c.name})));
    ratings.push_back({c.uscc, {c.grade, c.score, c.stars, c.blacklisted, rated_from}});
  }
  SUNBID_TRY(drop(registry.record_ratings(admin, ratings)));

  SUNBID_ASSIGN_OR_RETURN(
      core::Actor tenderer,
      add_account("tenderer", accounts::Role::kTenderer, "金山花园业委会 陈主任", community.id, {},
                  {}, "owners' committee of " + community.id));
  std::vector<core::Actor> clerks;
  for (std::size_t i = 0; i < companies.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(
        core::Actor clerk,
        add_account("ent" + std::to_string(i + 1), accounts::Role::kEnterprise,
                    companies[i].name + " 投标专员", {}, companies[i].uscc, {},
                    companies[i].name + " (" + companies[i].grade + ", " +
                        std::to_string(companies[i].stars) + "★" +
                        (companies[i].blacklisted ? ", blacklisted" : "") + ")"));
    clerks.push_back(std::move(clerk));
  }
  SUNBID_TRY(drop(add_account("owner1", accounts::Role::kOwner, "陈志强", community.id, {},
                              "O-0001", "O-0001, two flats (1-201, 1-202)")));
  for (std::size_t i = 0; i < roster.sample_owners.size(); ++i) {
    const auto& [key, name] = roster.sample_owners[i];
    SUNBID_TRY(drop(add_account("owner" + std::to_string(i + 2), accounts::Role::kOwner, name,
                                community.id, {}, key, key)));
  }
  for (int i = 1; i <= 9; ++i) {
    SUNBID_TRY(drop(add_account("evaluator" + std::to_string(i), accounts::Role::kEvaluator,
                                "评标专家" + std::to_string(i), {}, {}, {},
                                std::string("expert pool: ") +
                                    kDemoExperts[static_cast<std::size_t>(i - 1)].specialty +
                                    (i == 9 ? ", employed by bidder 厦门鹭岛物业" : ""))));
  }
  SUNBID_TRY(seed_demo_experts(ledger, clock, service, admin));
  (void)supervisor;

  // The tender: published now, deadline 25 days later at 10:00 Beijing time.
  std::int64_t now = clock.now_ms();
  std::int64_t deadline = (now + 25 * kDayMs) / kDayMs * kDayMs + 2 * 3'600'000;
  boost::json::object rules{
      {"service_tier", "T2"},
      {"area_centi_m2", 0},
      {"qualification", {{"min_credit_grade", "A"}, {"min_star_rating", 3}}},
      {"criteria",
       boost::json::array{boost::json::object{{"code", "staffing"}, {"title", "人员配置"}},
                          boost::json::object{{"code", "plan"}, {"title", "服务方案"}},
                          boost::json::object{{"code", "emergency"}, {"title", "应急预案"}}}},
      {"committee_size", 5},
      {"min_valid_bids", 2},
      {"candidate_cap", 3},
      {"candidate_cap_method", "lowest_price"},
      {"decision", {{"method", "owners_vote"}, {"allow_runoff", true}}},
      {"beacon_source",
       "各阶段结束后第一个交易日上证综合指数收盘值 / SSE Composite close, first "
       "trading day after each stage"},
      {"bid_deadline", core::format_rfc3339_ms(deadline)},
      {"reveal_window_s", 2 * 86'400},
      {"candidate_publicity_days", 15},  // the vote notice: 15 days (物业管理条例 12)
      {"vote_window_days", 14},
      {"award_publicity_days", 3}};
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(core::Community c, core::Registry::community(db, community.id));
    rules["area_centi_m2"] = c.totals.total_area_centi_m2;
  }
  SUNBID_ASSIGN_OR_RETURN(
      seed.tender_id,
      service.create_draft(tenderer,
                           {community.id, "金山花园物业服务项目招标（2026—2028年）", rules}));
  SUNBID_TRY(drop(service.publish(tenderer, seed.tender_id)));

  // Three sealed bids from the three qualified enterprises (厦门海湾物业 meets
  // A/3★ exactly): the floor of 条例 44, so the tender opens; the other two
  // enterprises would be refused at submission (bidder_not_qualified). Their
  // openings are kept for the demo's reveal step.
  struct Offer {
    std::size_t clerk;
    std::int64_t price;
    std::string plan;
  };
  const std::vector<Offer> offers = {
      {0, 268, "驻场团队18人，24小时秩序维护，电梯维保外包至原厂，季度业主满意度调查。"},
      {1, 239, "驻场团队15人，保洁每日两次，绿化每月修剪，智慧门禁升级。"},
      {2, 252, "驻场团队16人，秩序维护三班倒，电梯日常巡检，每月公示收支。"},
  };
  for (const auto& o : offers) {
    std::array<std::uint8_t, core::kBidSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
      return make_error("crypto_failure", "随机数生成失败 / random generation failed");
    }
    boost::json::object bid{
        {"tender_id", seed.tender_id},
        {"bidder_uscc", companies[o.clerk].uscc},
        {"price_fen_per_m2_month", o.price},
        {"staffing", {{"项目经理", 1}, {"秩序维护员", 8}, {"保洁员", 6}}},
        {"service_plan", o.plan},
        {"documents", boost::json::array{boost::json::object{
                          {"name", "服务方案.pdf"}, {"sha256_hex", hex_encode(sha256(o.plan))}}}}};
    SUNBID_ASSIGN_OR_RETURN(core::Bid parsed, core::bid_from_json(bid));
    SUNBID_ASSIGN_OR_RETURN(std::string canonical, core::canonical_bid(parsed));
    std::string commitment = hex_encode(core::bid_commitment(salt, canonical));
    SUNBID_TRY(drop(service.submit_bid(clerks[o.clerk], seed.tender_id, commitment)));
    boost::json::object opening{{"salt_hex", hex_encode(std::span<const std::uint8_t>(salt))},
                                {"bid", bid}};
    SUNBID_TRY(
        write_private_file(data_dir / "demo-bids" / ("ent" + std::to_string(o.clerk + 1) + ".json"),
                           boost::json::serialize(opening) + "\n"));
  }
  return seed;
}

}  // namespace sunbid::server
