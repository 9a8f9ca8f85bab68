#include "server/demo.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "accounts/accounts.h"
#include "assembly/motion_service.h"
#include "assembly/selection_plan.h"
#include "audit_log/sha256.h"
#include "evaluation/service.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/calendar.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

namespace sunbid::server {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
// How far back the demo's past starts: the owners' vote tender's 21 days
// of bidding, 2 of reveal, the committee's beacon day (up to a week's
// holiday later), 15 of candidate publicity, then its vote, open at `now`
// (a 20-day window, so open for days yet), as is the motion's (noticed
// after the tender's review, 16 days before its 21-day window).
constexpr std::int64_t kPastDays = 50;
// Before that past, the owners pass the community's selection plans (选聘方案,
// docs/motions.md; no tender publishes without one): noticed this many days
// before it, their 7-day window opens 16 days after the notice and closes
// (rolled past rest days) before the past begins.
constexpr std::int64_t kPlanLeadDays = 30;
constexpr std::int64_t kPlanWindowDays = 7;
// The demo tenders' budget (fen per m² and month, within tier T2's
// 180–300) and contract term, as their plans fix them.
constexpr std::int64_t kBudgetMinFen = 200;
constexpr std::int64_t kBudgetMaxFen = 300;
constexpr std::int64_t kContractTermMonths = 36;
constexpr std::int64_t kVoteWindowDays = 20;
constexpr std::int64_t kMotionWindowDays = 21;

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

Status seed_demo_experts(audit::Ledger& ledger, eval::EvaluationService& evaluation,
                         const core::Actor& admin) {
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

// The three qualified bidders' offers (厦门海湾物业 meets A/3★ exactly):
// the floor of 条例 44, so a tender opens; the other two enterprises would
// be refused at submission (bidder_not_qualified).
struct Offer {
  std::int64_t price;  // fen per m² per month
  const char* plan;
};
constexpr std::array<Offer, 3> kOffers = {{
    {268, "驻场团队18人，24小时秩序维护，电梯维保外包至原厂，季度业主满意度调查。"},
    {239, "驻场团队15人，保洁每日两次，绿化每月修剪，智慧门禁升级。"},
    {252, "驻场团队16人，秩序维护三班倒，电梯日常巡检，每月公示收支。"},
}};

struct SealedOffer {
  std::string commitment;
  boost::json::object opening;  // {salt_hex, bid}: what the bidder keeps to reveal
};

// The bid of `uscc` in `tender`, sealed as the browser does
// (docs/bid-commitment.md) with a fresh 32-byte salt.
Result<SealedOffer> seal_offer(const std::string& tender, const std::string& uscc, const Offer& o) {
  std::array<std::uint8_t, core::kBidSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  boost::json::object bid{
      {"tender_id", tender},
      {"bidder_uscc", uscc},
      {"price_fen_per_m2_month", o.price},
      {"staffing", {{"项目经理", 1}, {"秩序维护员", 8}, {"保洁员", 6}}},
      {"service_plan", o.plan},
      {"documents", boost::json::array{boost::json::object{
                        {"name", "服务方案.pdf"}, {"sha256_hex", hex_encode(sha256(o.plan))}}}}};
  SUNBID_ASSIGN_OR_RETURN(core::Bid parsed, core::bid_from_json(bid));
  SUNBID_ASSIGN_OR_RETURN(std::string canonical, core::canonical_bid(parsed));
  SealedOffer s;
  s.commitment = hex_encode(core::bid_commitment(salt, canonical));
  s.opening = {{"salt_hex", hex_encode(std::span<const std::uint8_t>(salt))}, {"bid", bid}};
  return s;
}

// 10:00 Beijing time (02:00 UTC) of the UTC day `days` after `from_ms`.
std::int64_t ten_am_after(std::int64_t from_ms, std::int64_t days) {
  return (from_ms + days * kDayMs) / kDayMs * kDayMs + 2 * 3'600'000;
}

// A tender of the community for 二级服务 (tier T2) decided by the owners'
// vote (the candidate publicity is the vote notice: 15 days, 物业管理条例
// art. 12), drafted by the tenderer now.
Result<std::string> draft_tender(audit::Ledger& ledger, core::TenderService& service,
                                 const core::Actor& tenderer, const std::string& community,
                                 const std::string& title, std::int64_t deadline_ms,
                                 std::int64_t vote_window_days, const std::string& plan_motion) {
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
      {"bid_deadline", core::format_rfc3339_ms(deadline_ms)},
      {"reveal_window_s", 2 * 86'400},
      {"candidate_publicity_days", 15},
      {"vote_window_days", vote_window_days},
      {"award_publicity_days", 3},
      {"selection_plan_motion", plan_motion},
      {"budget_fen_per_m2_month", {{"min", kBudgetMinFen}, {"max", kBudgetMaxFen}}},
      {"contract_term_months", kContractTermMonths}};
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(core::Community c, core::Registry::community(db, community));
    rules["area_centi_m2"] = c.totals.total_area_centi_m2;
  }
  return service.create_draft(tenderer, {community, title, rules});
}

// The demo's part: who acts in the tenders.
struct Cast {
  core::Actor tenderer;
  core::Actor supervisor;
  std::vector<core::Actor> clerks;      // ent1..ent5
  std::vector<std::string> usccs;       // theirs
  std::vector<core::Actor> evaluators;  // evaluator1..9
};

// The owners' vote tender, from the clock's time (the demo's past) through
// every stage: published, three bids sealed and revealed, the opening
// record, the committee drawn (the beacon: a demo value of the index), every
// member's declaration and pass/fail review (all pass), the candidates
// publicized; the vote opens 15 days later (the caller's clock, catch_up).
Result<std::string> seed_vote_tender(audit::Ledger& ledger, ManualClock& clock,
                                     core::TenderService& service,
                                     eval::EvaluationService& evaluation,
                                     const std::string& community, const Cast& cast,
                                     const std::string& plan_motion) {
  const std::int64_t deadline = ten_am_after(clock.now_ms(), 21);
  SUNBID_ASSIGN_OR_RETURN(
      std::string id,
      draft_tender(ledger, service, cast.tenderer, community,
                   "金山花园物业服务企业选聘（2027—2029年）业主表决", deadline, kVoteWindowDays,
                   plan_motion));
  SUNBID_TRY(drop(service.publish(cast.tenderer, id)));
  std::vector<SealedOffer> sealed;
  for (std::size_t i = 0; i < kOffers.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(SealedOffer s, seal_offer(id, cast.usccs[i], kOffers[i]));
    SUNBID_TRY(drop(service.submit_bid(cast.clerks[i], id, s.commitment)));
    sealed.push_back(std::move(s));
  }
  clock.set_ms(deadline + 3'600'000);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    SUNBID_TRY(
        drop(service.reveal_bid(cast.clerks[i], id, sealed[i].opening.at("salt_hex").as_string(),
                                sealed[i].opening.at("bid"))));
  }
  SUNBID_TRY(evaluation.catch_up(id));  // bidding closed: the pool list is committed
  clock.set_ms(deadline + 2 * kDayMs + 1000);
  SUNBID_TRY(drop(service.tick(clock.now_ms())));  // the reveal window closed: the opening
  SUNBID_TRY(ledger.publish_checkpoint());

  std::string beacon_date;
  std::vector<core::OpeningRow> opening;
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(beacon_date, evaluation.required_beacon_date(db, id, "committee"));
    SUNBID_ASSIGN_OR_RETURN(opening, core::TenderService::opening(db, id, cast.supervisor));
  }
  SUNBID_ASSIGN_OR_RETURN(core::ChinaDate day, core::parse_china_date(beacon_date));
  clock.set_ms(std::max(clock.now_ms(), core::china_midnight_ms(day) + 16 * 3'600'000));
  SUNBID_ASSIGN_OR_RETURN(eval::CommitteeDrawn drawn,
                          evaluation.draw_committee(cast.supervisor, id, "3412.56", beacon_date));
  for (const std::string& member : drawn.members) {
    auto who = std::find_if(cast.evaluators.begin(), cast.evaluators.end(),
                            [&](const core::Actor& a) { return a.account == member; });
    if (who == cast.evaluators.end()) {
      return make_error("internal_error",
                        "抽取的专家不在演示专家库 / drawn expert not in the demo pool");
    }
    SUNBID_TRY(drop(evaluation.declare(*who, id, true, std::nullopt)));
    for (const auto& row : opening) {
      eval::ReviewInput in;
      in.bid_id = row.bid_id;
      for (const char* code : {"staffing", "plan", "emergency"}) {
        in.marks.push_back({code, true, std::nullopt});
      }
      SUNBID_TRY(drop(evaluation.submit_review(*who, id, in)));
    }
  }
  return id;
}

// The community's selection plans (选聘方案, 民法典 art. 278 item 4): M1 and
// M2 for the two demo tenders (one live tender per plan), M3 (the same
// plan) and M4 (decided by the lowest price) for tenders published in the
// browser: created and noticed now, every owner of the roster votes when the window opens (most for, a
// tenth against, a tenth abstaining), and the clock moves past the close,
// where the platform tallies them: passed. Returns the motions' ids.
Result<std::vector<std::string>> seed_selection_plans(audit::Ledger& ledger, ManualClock& clock,
                                                      assembly::MotionService& motions,
                                                      const core::Actor& tenderer,
                                                      const std::string& community,
                                                      const std::string& roster_csv) {
  assembly::MotionInput in;
  in.title = "关于物业服务企业选聘方案的议题";
  in.text =
      "业主委员会提议按以下方案公开招标选聘物业服务企业：二级服务，预算每平方米每月2.00至3.00元"
      "（最高投标限价3.00元），合同期限三年，投标人信用等级不低于A、服务星级不低于三星，"
      "由业主表决定标（可进行第二轮表决）。请各位业主在表决期内投票。";
  in.kind = assembly::MotionKind::selection_plan;
  in.matter_item = 4;
  in.window_days = kPlanWindowDays;
  in.plan = boost::json::object{
      {"tier", "T2"},
      {"budget_fen_per_m2_month", {{"min", kBudgetMinFen}, {"max", kBudgetMaxFen}}},
      {"contract_term_months", kContractTermMonths},
      {"thresholds", {{"min_credit_grade", "A"}, {"min_star_rating", 3}}},
      {"decision", {{"method", "owners_vote"}, {"allow_runoff", true}}}};
  std::vector<std::string> ids;
  std::int64_t opens_ms = 0;
  for (int i = 0; i < 4; ++i) {
    if (i == 3) {
      in.title = "关于物业服务企业选聘方案（最低价定标）的议题";
      in.text =
          "业主委员会提议：二级服务，预算每平方米每月2.00至3.00元，合同期限三年，投标人信用等级"
          "不低于A、服务星级不低于三星，经评审合格的投标人中报价最低者中标。";
      (*in.plan)["decision"] = boost::json::object{{"method", "lowest_price"}};
    }
    SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, motions.create(tenderer, community, in));
    SUNBID_ASSIGN_OR_RETURN(assembly::MotionView n,
                            motions.give_notice(tenderer, m.id, std::nullopt));
    opens_ms = n.opens_ms.value_or(0);
    ids.push_back(m.id);
  }
  std::vector<std::string> keys;
  for (std::size_t at = roster_csv.find('\n'); at != std::string::npos;) {
    const std::size_t end = roster_csv.find('\n', at + 1);
    if (end == std::string::npos) break;
    const std::string line = roster_csv.substr(at + 1, end - at - 1);
    const std::size_t k = line.find(',', line.find(',') + 1);
    const std::string key = line.substr(k + 1, line.find(',', k + 1) - k - 1);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    at = end;
  }
  clock.set_ms(opens_ms);
  std::int64_t closes_ms = opens_ms;
  for (const auto& id : ids) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      core::Actor owner;
      owner.role = "owner";
      // The demo's seed casts them (no account per owner; the key enters
      // the entry only as its salted digest).
      owner.account = "demo-seed";
      owner.community_id = community;
      owner.owner_key = keys[i];
      owner.source_address = "127.0.0.1";
      const char* choice = i % 10 == 3 ? "against" : i % 10 == 7 ? "abstain" : "for";
      SUNBID_TRY(drop(motions.cast_ballot(owner, id, choice)));
    }
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, assembly::MotionService::motion(db, id, tenderer));
    closes_ms = std::max(closes_ms, m.closes_ms.value_or(opens_ms));
  }
  clock.set_ms(closes_ms + 1000);
  for (const auto& id : ids) {
    SUNBID_TRY(motions.catch_up(id));
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, assembly::MotionService::motion(db, id, tenderer));
    if (m.status != assembly::MotionStatus::passed) {
      return make_error("internal_error",
                        "演示的选聘方案未通过 / the demo's selection plan did not pass");
    }
  }
  return ids;
}

// An owners' assembly motion (议题) of 民法典 art. 278 item 9 (other major
// matters: more than half), noticed now; its window opens 16 days later.
Result<std::string> seed_motion(assembly::MotionService& motions, const core::Actor& tenderer,
                                const std::string& community) {
  assembly::MotionInput in;
  in.title = "关于续签小区电梯维保与增设电动车充电桩的议题";
  in.text =
      "业主委员会提议：一、由物业服务企业在2号楼、4号楼架空层增设电动车集中充电桩共40个，"
      "费用由公共收益列支；二、电梯维保合同续签三年。请各位业主在表决期内投票。";
  in.kind = assembly::MotionKind::general;
  in.matter_item = 9;
  in.window_days = kMotionWindowDays;
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, motions.create(tenderer, community, in));
  SUNBID_TRY(drop(motions.give_notice(tenderer, m.id, std::nullopt)));
  return m.id;
}

core::Actor demo_admin_actor(const accounts::AccountRecord& admin) {
  core::Actor a;
  a.account = admin.id;
  a.role = "admin";
  a.source_address = "127.0.0.1";
  return a;
}

}  // namespace

Result<DemoSeed> seed_demo(audit::Ledger& ledger, ManualClock& clock,
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
      eval::EvaluationService evaluation(ledger, clock, service);
      SUNBID_TRY(seed_demo_experts(ledger, evaluation, demo_admin_actor(*existing)));
      return seed;
    }
  }

  // The demo's past: everything up to the bidding tender happens in it, the
  // clock moving forward through the owners' vote tender's stages.
  const std::int64_t now = clock.now_ms();
  clock.set_ms(now - (kPastDays + kPlanLeadDays) * kDayMs);
  core::Registry registry(ledger);
  core::TenderService service(ledger, clock);
  eval::EvaluationService evaluation(ledger, clock, service);
  assembly::MotionService motions(ledger, clock, registry);
  assembly::install_selection_plan_gate(service);

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
  Cast cast;
  cast.tenderer = tenderer;
  cast.supervisor = supervisor;
  for (std::size_t i = 0; i < companies.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(
        core::Actor clerk,
        add_account("ent" + std::to_string(i + 1), accounts::Role::kEnterprise,
                    companies[i].name + " 投标专员", {}, companies[i].uscc, {},
                    companies[i].name + " (" + companies[i].grade + ", " +
                        std::to_string(companies[i].stars) + "★" +
                        (companies[i].blacklisted ? ", blacklisted" : "") + ")"));
    cast.clerks.push_back(std::move(clerk));
    cast.usccs.push_back(companies[i].uscc);
  }
  SUNBID_TRY(drop(add_account("owner1", accounts::Role::kOwner, "陈志强", community.id, {},
                              "O-0001", "O-0001, two flats (1-201, 1-202)")));
  for (std::size_t i = 0; i < roster.sample_owners.size(); ++i) {
    const auto& [key, name] = roster.sample_owners[i];
    SUNBID_TRY(drop(add_account("owner" + std::to_string(i + 2), accounts::Role::kOwner, name,
                                community.id, {}, key, key)));
  }
  for (int i = 1; i <= 9; ++i) {
    SUNBID_ASSIGN_OR_RETURN(
        core::Actor expert,
        add_account("evaluator" + std::to_string(i), accounts::Role::kEvaluator,
                    "评标专家" + std::to_string(i), {}, {}, {},
                    std::string("expert pool: ") +
                        kDemoExperts[static_cast<std::size_t>(i - 1)].specialty +
                        (i == 9 ? ", employed by bidder 厦门鹭岛物业" : "")));
    cast.evaluators.push_back(std::move(expert));
  }
  SUNBID_TRY(seed_demo_experts(ledger, evaluation, admin));

  // The bidding tender (T1) is drafted first, to be published at `now`
  // with its deadline 25 days later at 10:00 Beijing time. The owners' vote
  // tender's past runs through every stage, then the motion's notice; at
  // `now` both windows are open.
  // First the owners pass the selection plans the two tenders follow.
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> plans,
      seed_selection_plans(ledger, clock, motions, tenderer, community.id, roster.csv));
  if (clock.now_ms() > now - kPastDays * kDayMs) {
    return make_error("internal_error",
                      "演示的选聘方案表决超出预定时间 / the demo's plans ran beyond their time");
  }
  clock.set_ms(now - kPastDays * kDayMs);
  SUNBID_ASSIGN_OR_RETURN(seed.tender_id,
                          draft_tender(ledger, service, tenderer, community.id,
                                       "金山花园物业服务项目招标（2026—2028年）",
                                       ten_am_after(now, 25), kVoteWindowDays, plans[0]));
  SUNBID_ASSIGN_OR_RETURN(seed.vote_tender_id, seed_vote_tender(ledger, clock, service, evaluation,
                                                                community.id, cast, plans[1]));
  SUNBID_ASSIGN_OR_RETURN(seed.motion_id, seed_motion(motions, tenderer, community.id));
  if (clock.now_ms() > now) {
    return make_error("internal_error",
                      "演示数据的过去超出当前时间 / the demo's past ran beyond now");
  }
  clock.set_ms(now);
  SUNBID_TRY(evaluation.catch_up(seed.vote_tender_id));
  SUNBID_TRY(motions.catch_up(seed.motion_id));
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger.open_reader());
    SUNBID_ASSIGN_OR_RETURN(auto round,
                            eval::EvaluationService::open_round(db, seed.vote_tender_id, now));
    SUNBID_ASSIGN_OR_RETURN(assembly::Turnout turnout,
                            assembly::MotionService::turnout(db, seed.motion_id));
    if (!round || turnout.status != assembly::MotionStatus::open) {
      return make_error("internal_error",
                        "演示的业主表决未开放 / the demo's owners' votes are not open");
    }
  }

  // The bidding tender published now; the sealed bids' openings are kept
  // for the demo's reveal.
  SUNBID_TRY(drop(service.publish(tenderer, seed.tender_id)));
  for (std::size_t i = 0; i < kOffers.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(SealedOffer sealed,
                            seal_offer(seed.tender_id, cast.usccs[i], kOffers[i]));
    SUNBID_TRY(drop(service.submit_bid(cast.clerks[i], seed.tender_id, sealed.commitment)));
    SUNBID_TRY(
        write_private_file(data_dir / "demo-bids" / ("ent" + std::to_string(i + 1) + ".json"),
                           boost::json::serialize(sealed.opening) + "\n"));
  }
  return seed;
}

}  // namespace sunbid::server
