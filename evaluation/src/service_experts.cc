// EvaluationService: the expert pool's records (专家库: added, updated,
// effective-dated) and the committee's pool commitment (docs/committee-draw.md).
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "accounts/accounts.h"
#include "accounts/relations.h"
#include "audit_log/canonical_json.h"
#include "eval_store.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "evaluation/service.h"
#include "tender_core/time.h"
#include "tender_core/unchecked_reads.h"
#include "tender_core/uscc.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using detail::refusal;

namespace {

constexpr std::size_t kMaxSpecialtyBytes = 64;
constexpr std::size_t kMaxTitleBytes = 64;
constexpr std::size_t kMaxListItems = 64;

Error expert_invalid(std::string_view field, std::string_view zh, std::string_view en,
                     boost::json::object details = {}) {
  details["field"] = field;
  return refusal("expert_invalid", zh, en, std::move(details));
}

// ASCII white space and U+3000 (ideographic space) anywhere, trimmed.
std::string without_spaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 2;
      continue;
    }
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') continue;
    out += s[i];
  }
  return out;
}

std::string trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Conflict data must match the bidders' codes byte for byte: spaces out,
// upper case, then GB 32100 (tender_core's validator).
Result<std::string> normalised_uscc(std::string_view raw, std::string_view field) {
  std::string code = without_spaces(raw);
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto info = core::validate_uscc(code);
  if (!info.ok()) {
    return expert_invalid(field, "统一社会信用代码无效", "not a valid unified social credit code",
                          {{"uscc_error", info.error().code}});
  }
  return code;
}

Result<std::vector<std::string>> normalised_usccs(const std::vector<std::string>& raw) {
  if (raw.size() > kMaxListItems) {
    return expert_invalid("related_usccs", "关联单位过多", "too many related USCCs");
  }
  std::set<std::string> out;
  for (const auto& r : raw) {
    SUNBID_ASSIGN_OR_RETURN(std::string code, normalised_uscc(r, "related_usccs"));
    out.insert(std::move(code));
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<std::string>> normalised_specialties(const std::vector<std::string>& raw) {
  if (raw.size() > kMaxListItems) {
    return expert_invalid("specialties", "专业过多", "too many specialties");
  }
  std::set<std::string> out;
  for (const auto& r : raw) {
    std::string s = trimmed(r);
    if (s.empty() || s.size() > kMaxSpecialtyBytes || s.find('\n') != std::string::npos) {
      return expert_invalid("specialties", "专业须为1至64字节且不含换行",
                            "a specialty must be 1..64 bytes without a line break");
    }
    out.insert(std::move(s));
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::string> normalised_title(std::string_view raw) {
  std::string t = trimmed(raw);
  if (t.size() > kMaxTitleBytes || t.find('\n') != std::string::npos) {
    return expert_invalid("title", "职称须不超过64字节且不含换行",
                          "the title must be at most 64 bytes without a line break");
  }
  return t;
}

// Stores a version and appends its entry: the account, when it takes effect
// and a salted digest of the record (the record itself is private until a
// decision releases the list it was drawn from; docs/committee-draw.md).
Result<std::uint64_t> record_version(WriteTxn& txn, const core::Actor& admin, const Expert& e,
                                     std::int64_t effective_ms, std::string_view type) {
  auto& db = txn.db();
  const std::uint64_t idx = txn.log_size();
  const std::string record = expert_record_json(e);
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT INTO eval_expert_versions(account, seq, effective_ms, recorded_idx, "
                "record_json) VALUES (?1, (SELECT count(*) FROM eval_expert_versions WHERE "
                "account = ?1), ?2, ?3, ?4)"));
  ins->bind(1, e.account).bind(2, effective_ms).bind(3, static_cast<std::int64_t>(idx));
  ins->bind(4, detail::serialize(detail::expert_json(e)));
  SUNBID_TRY(ins->run());
  SUNBID_ASSIGN_OR_RETURN(
      Statement * cur,
      db.cached("INSERT OR REPLACE INTO eval_experts(account, specialties, employer_uscc, "
                "related_usccs, added_ms, title) VALUES (?, ?, ?, ?, coalesce((SELECT added_ms "
                "FROM eval_experts WHERE account = ?), ?), ?)"));
  cur->bind(1, e.account).bind(2, detail::serialize(detail::string_array(e.specialties)));
  cur->bind(3, e.employer_uscc).bind(4, detail::serialize(detail::string_array(e.related_usccs)));
  cur->bind(5, e.account).bind(6, txn.now_ms()).bind(7, e.title);
  SUNBID_TRY(cur->run());
  SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d, detail::draft_for(txn, admin, type, ""));
  SUNBID_ASSIGN_OR_RETURN(std::string digest, txn.personal_digest("expert_record", record, ""));
  d.payload = {{"account", e.account},
               {"effective_from", core::format_rfc3339_ms(effective_ms)},
               {"record_digest", digest}};
  return txn.append(d);
}

Result<std::optional<Expert>> current_record(audit::Database& db, std::string_view account) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st, db.cached("SELECT record_json FROM eval_expert_versions WHERE account = ? "
                                "ORDER BY seq DESC LIMIT 1"));
  st->bind(1, account);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<Expert> out;
  if (row) {
    std::string text(st->column_text(0));
    st->reset();
    SUNBID_ASSIGN_OR_RETURN(boost::json::value v, detail::parse_json(text));
    if (v.is_object()) out = detail::expert_of(v.get_object());
    return out;
  }
  st->reset();
  return out;
}

Result<std::uint64_t> random_below(std::uint64_t n) {
  const std::uint64_t remainder = (0 - n) % n;
  for (;;) {
    std::uint64_t w = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&w), sizeof w) != 1) {
      return make_error(audit::kStorageError, "随机数生成失败 / RAND_bytes failed");
    }
    if (remainder == 0 || w < 0 - remainder) return w % n;
  }
}

}  // namespace

namespace detail {

Result<CommittedList> shuffle_and_salt(std::vector<Expert> list) {
  // The committed order: a Fisher–Yates shuffle from server randomness, so
  // no public value maps a position to an expert.
  for (std::size_t i = list.size(); i > 1; --i) {
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t j, random_below(i));
    std::swap(list[i - 1], list[static_cast<std::size_t>(j)]);
  }
  CommittedList out;
  for (const auto& e : list) {
    Hash salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
      return make_error(audit::kStorageError, "随机数生成失败 / RAND_bytes failed");
    }
    out.commitments.emplace_back(hex_encode(pool_leaf(salt, e)));
    out.opened.push_back({{"salt", hex_encode(salt)}, {"account", e.account}});
  }
  out.list = std::move(list);
  return out;
}

}  // namespace detail

Result<std::uint64_t> EvaluationService::add_expert(const core::Actor& admin,
                                                    const ExpertInput& in) {
  SUNBID_TRY(detail::require_role(admin, "admin"));
  if (in.account.empty() || in.account.find('\n') != std::string::npos) {
    return refusal("expert_invalid", "专家账号无效", "the expert account is empty or invalid",
                   {{"field", "account_username"}});
  }
  Expert e;
  e.account = in.account;
  SUNBID_ASSIGN_OR_RETURN(e.specialties, normalised_specialties(in.specialties));
  SUNBID_ASSIGN_OR_RETURN(e.related_usccs, normalised_usccs(in.related_usccs));
  if (in.employer_uscc && !without_spaces(*in.employer_uscc).empty()) {
    SUNBID_ASSIGN_OR_RETURN(e.employer_uscc, normalised_uscc(*in.employer_uscc, "employer_uscc"));
  }
  if (in.title) {
    SUNBID_ASSIGN_OR_RETURN(e.title, normalised_title(*in.title));
  }
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    SUNBID_ASSIGN_OR_RETURN(std::optional<Expert> existing, current_record(txn.db(), e.account));
    if (existing) {
      return refusal("expert_exists", "该账号已在专家库中", "the account is already in the pool",
                     {{"account", in.account}});
    }
    return record_version(txn, admin, e, txn.now_ms(), "expert.added");
  });
}

Result<EvaluationService::ExpertAdded> EvaluationService::add_expert_account(
    const core::Actor& admin, std::string_view username, ExpertInput input) {
  SUNBID_TRY(detail::require_role(admin, "admin"));
  std::optional<accounts::AccountRecord> account;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger_.reader());
    SUNBID_ASSIGN_OR_RETURN(account, accounts::find_account_by_username(lease.db(), username));
  }
  if (!account) {
    return make_error("account_not_found", "账户不存在 / no such account",
                      {{"field", "/account_username"}});
  }
  if (account->role != accounts::Role::kEvaluator) {
    return make_error("expert_not_evaluator",
                      "专家库只收评标专家账户 / only evaluator accounts enter the expert pool",
                      {{"field", "/account_username"},
                       {"role", std::string(accounts::role_name(account->role))}});
  }
  input.account = account->id;
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index, add_expert(admin, input));
  return ExpertAdded{account->id, log_index};
}

Result<std::uint64_t> EvaluationService::update_expert(const core::Actor& admin,
                                                       std::string_view account,
                                                       const ExpertUpdate& up) {
  SUNBID_TRY(detail::require_role(admin, "admin"));
  std::optional<std::vector<std::string>> specialties, related;
  std::optional<std::string> employer, title;
  if (up.specialties) {
    SUNBID_ASSIGN_OR_RETURN(specialties, normalised_specialties(*up.specialties));
  }
  if (up.related_usccs) {
    SUNBID_ASSIGN_OR_RETURN(related, normalised_usccs(*up.related_usccs));
  }
  if (up.employer_uscc) {
    employer = std::string();
    if (!without_spaces(*up.employer_uscc).empty()) {
      SUNBID_ASSIGN_OR_RETURN(employer, normalised_uscc(*up.employer_uscc, "employer_uscc"));
    }
  }
  if (up.title) {
    SUNBID_ASSIGN_OR_RETURN(title, normalised_title(*up.title));
  }
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    SUNBID_ASSIGN_OR_RETURN(std::optional<Expert> e, current_record(txn.db(), account));
    if (!e) {
      return refusal("expert_not_found", "专家库中没有该账号", "the account is not in the pool",
                     {{"account", account}});
    }
    const std::int64_t effective = up.effective_from_ms.value_or(txn.now_ms());
    if (effective < txn.now_ms()) {
      // A back-dated version would rewrite the record a past draw used.
      return expert_invalid("effective_from", "生效时间不得早于现在",
                            "the effective time must not be in the past");
    }
    if (specialties) e->specialties = *specialties;
    if (related) e->related_usccs = *related;
    if (employer) e->employer_uscc = *employer;
    if (title) e->title = *title;
    return record_version(txn, admin, *e, effective, "expert.updated");
  });
}

Result<bool> EvaluationService::commit_pool_if_due(std::string_view tender) {
  return ledger_.run<bool>([&](WriteTxn& txn) -> Result<bool> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(core::TenderView view, core::detail::unchecked_view(db, tender));
    using S = core::TenderStatus;
    if (view.status != S::reveal && view.status != S::opened) return false;
    SUNBID_ASSIGN_OR_RETURN(bool done, pool_committed(db, tender));
    if (done) return false;
    SUNBID_ASSIGN_OR_RETURN(std::optional<std::uint64_t> closing,
                            detail::bid_closing_index(db, tender));
    if (!closing) return false;
    SUNBID_ASSIGN_OR_RETURN(std::int64_t closing_ms, detail::entry_time_ms(db, *closing));
    SUNBID_ASSIGN_OR_RETURN(std::vector<Expert> pool, detail::pool_as_of(db, *closing, closing_ms));
    SUNBID_ASSIGN_OR_RETURN(auto snapshot, core::TenderService::rating_snapshot(db, tender));
    std::vector<std::string> bidders;
    for (const auto& [uscc, rating] : snapshot) bidders.push_back(uscc);
    std::sort(bidders.begin(), bidders.end());
    bidders.erase(std::unique(bidders.begin(), bidders.end()), bidders.end());
    // 评定分离: the accounts that close or take part in the decision never evaluate.
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> excluded,
                            accounts::tenderer_account_ids(db, view.community_id));
    std::sort(excluded.begin(), excluded.end());
    excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
    SUNBID_ASSIGN_OR_RETURN(PoolSplit split, split_pool(pool, bidders, excluded));
    SUNBID_ASSIGN_OR_RETURN(detail::CommittedList committed,
                            detail::shuffle_and_salt(std::move(split.eligible)));
    const std::vector<Expert>& list = committed.list;
    boost::json::array& commitments = committed.commitments;
    boost::json::array& opened = committed.opened;
    boost::json::array pool_records;
    for (const auto& e : pool) pool_records.push_back(detail::expert_json(e));
    const std::uint64_t idx = txn.log_size();
    boost::json::object priv{{"fixed_ms", closing_ms},
                             {"pool", std::move(pool_records)},
                             {"bidder_usccs", detail::string_array(bidders)},
                             {"excluded_accounts", detail::string_array(excluded)},
                             {"list", std::move(opened)}};
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO eval_pool_commitments(tender_id, purpose, log_index, fixed_index, "
                  "list_json) VALUES (?, 'committee', ?, ?, ?)"));
    ins->bind(1, tender).bind(2, static_cast<std::int64_t>(idx));
    ins->bind(3, static_cast<std::int64_t>(*closing)).bind(4, detail::serialize(priv));
    SUNBID_TRY(ins->run());
    audit::EntryDraft d;
    d.type = "committee.pool_committed";
    d.tender = std::string(tender);
    d.payload = {{"tender_id", tender},
                 {"purpose", draw_purpose::kCommittee},
                 {"fixed_index", *closing},
                 {"list_size", list.size()},
                 {"commitments", std::move(commitments)}};
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t appended, txn.append(d));
    (void)appended;
    return true;
  });
}

Result<bool> EvaluationService::pool_committed(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> done,
      db.query_strings("SELECT tender_id FROM eval_pool_commitments WHERE tender_id = ? AND "
                       "purpose = 'committee' UNION ALL SELECT tender_id FROM eval_committee "
                       "WHERE tender_id = ? LIMIT 1",
                       {tender, tender}));
  return !done.empty();
}

Result<std::string> EvaluationService::required_beacon_date(audit::Database& db,
                                                            std::string_view tender,
                                                            std::string_view purpose) const {
  // A draw over a committed list (the committee, a fresh draw replacement-N):
  // after the later of its fixing entry and its commitment.
  const bool replacement = detail::is_replacement_purpose(purpose);
  if (replacement) {
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    if (!p || p->purpose != purpose) {
      return refusal("no_pending_draw", "没有等待该信标的抽取",
                     "no draw of this purpose is pending", {{"purpose", purpose}});
    }
  }
  if (purpose == draw_purpose::kCommittee || replacement) {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * st, db.cached("SELECT log_index, fixed_index FROM eval_pool_commitments WHERE "
                                  "tender_id = ? AND purpose = ?"));
    st->bind(1, tender).bind(2, purpose);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) {
      st->reset();
      return refusal("pool_not_committed", "专家名单尚未承诺（投标截止后生成）",
                     "the expert list is not committed yet (it is, once bidding has closed)");
    }
    const auto log_index = static_cast<std::uint64_t>(st->column_int64(0));
    const auto fixed = static_cast<std::uint64_t>(st->column_int64(1));
    st->reset();
    SUNBID_ASSIGN_OR_RETURN(CivilDate d,
                            detail::required_beacon_date(db, fixed, log_index, is_rest_day_));
    return to_string(d);
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
  if (!p || p->purpose != purpose) {
    return refusal("no_pending_draw", "没有等待该信标的抽取", "no draw of this purpose is pending",
                   {{"purpose", purpose}});
  }
  SUNBID_ASSIGN_OR_RETURN(
      CivilDate d, detail::required_beacon_date(db, p->fixed_index, std::nullopt, is_rest_day_));
  return to_string(d);
}

}  // namespace sunbid::eval
