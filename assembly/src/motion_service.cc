#include "assembly/motion_service.h"

#include "motion_internal.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "audit_log/canonical_json.h"
#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "assembly/selection_plan.h"
#include "evaluation/owners_vote.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/time.h"

namespace sunbid::assembly {

using audit::Statement;
using audit::WriteTxn;

namespace detail {

Error refusal(std::string code, std::string_view zh, std::string_view en,
              boost::json::object details) {
  return make_error(std::move(code), std::string(zh) + " / " + std::string(en), std::move(details));
}

Error not_found(std::string_view id) {
  return refusal("motion_not_found", "议题不存在", "no such motion", {{"motion_id", id}});
}

Error wrong_status(MotionStatus s) {
  return refusal("motion_wrong_status", "议题所处阶段不允许此操作",
                 "the motion is not in the status this command needs", {{"status", to_string(s)}});
}

Status require_tenderer_of(const core::Actor& a, std::string_view community) {
  if (a.role != "tenderer") {
    return refusal("not_tenderer", "此操作须由招标人执行", "this command needs the role tenderer");
  }
  if (a.community_id != community) {
    return refusal("not_tenderer_of_community", "只有本小区的招标人可以操作",
                   "only a tenderer of this community may do this");
  }
  return {};
}

boost::json::value options_json(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

boost::json::object request_json(const MotionInput& in) {
  boost::json::object o{{"title", in.title},
                        {"text", in.text},
                        {"kind", to_string(in.kind)},
                        {"matter_item", in.matter_item},
                        {"window_days", in.window_days}};
  if (in.options) o["options"] = options_json(*in.options);
  if (in.plan) o["plan"] = *in.plan;
  if (in.paper_ballots) o["paper_ballots"] = true;
  return o;
}

MotionInput input_from(const boost::json::object& o) {
  MotionInput in;
  in.title = std::string(o.at("title").as_string());
  in.text = std::string(o.at("text").as_string());
  in.kind = o.at("kind").as_string() == "selection_plan" ? MotionKind::selection_plan
                                                         : MotionKind::general;
  in.matter_item = static_cast<int>(o.at("matter_item").as_int64());
  in.window_days = o.at("window_days").as_int64();
  if (const auto* opts = o.if_contains("options")) {
    std::vector<std::string> v;
    for (const auto& s : opts->as_array()) v.emplace_back(s.as_string());
    in.options = std::move(v);
  }
  if (const auto* p = o.if_contains("plan")) in.plan = p->as_object();
  if (const auto* p = o.if_contains("paper_ballots")) in.paper_ballots = p->as_bool();
  return in;
}

Result<boost::json::value> parse(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec) return make_error(audit::kStorageError, "议题记录损坏 / a motion row is corrupt");
  return v;
}

std::optional<std::int64_t> opt_int(Statement* st, int col) {
  if (st->column_is_null(col)) return std::nullopt;
  return st->column_int64(col);
}

constexpr const char* kMotionColumns =
    "SELECT id, community_id, status, request_json, created_by, created_ms, noticed_ms, "
    "opens_ms, closes_ms, total_area_centi_m2, total_heads, result_json, tally_ms "
    "FROM assembly_motions ";

Result<MotionView> read_row(Statement* st) {
  MotionView m;
  m.id = std::string(st->column_text(0));
  m.community_id = std::string(st->column_text(1));
  auto status = motion_status_from(st->column_text(2));
  if (!status) return make_error(audit::kStorageError, "议题状态损坏 / a motion status is corrupt");
  m.status = *status;
  SUNBID_ASSIGN_OR_RETURN(boost::json::value req, parse(st->column_text(3)));
  if (!req.is_object()) return make_error(audit::kStorageError, "议题记录损坏 / corrupt motion");
  m.input = input_from(req.as_object());
  m.options = effective_options(m.input);
  m.created_by = std::string(st->column_text(4));
  m.created_ms = st->column_int64(5);
  m.noticed_ms = opt_int(st, 6);
  m.opens_ms = opt_int(st, 7);
  m.closes_ms = opt_int(st, 8);
  m.total_area_centi_m2 = opt_int(st, 9);
  m.total_heads = opt_int(st, 10);
  if (!st->column_is_null(11)) {
    SUNBID_ASSIGN_OR_RETURN(boost::json::value r, parse(st->column_text(11)));
    if (r.is_object()) m.result = std::move(r.as_object());
  }
  m.tally_ms = opt_int(st, 12);
  return m;
}

Result<std::optional<MotionView>> find(audit::Database& db, std::string_view id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached(std::string(kMotionColumns) + "WHERE id = ?"));
  st->bind(1, id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<MotionView> out;
  if (row) {
    auto m = read_row(st);
    st->reset();
    if (!m.ok()) return std::move(m).error();
    out = std::move(*m);
    return out;
  }
  st->reset();
  return out;
}

Result<MotionView> load(audit::Database& db, std::string_view id) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<MotionView> m, find(db, id));
  if (!m) return not_found(id);
  return std::move(*m);
}

Status set_status(audit::Database& db, std::string_view id, MotionStatus s) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("UPDATE assembly_motions SET status = ? WHERE id = ?"));
  st->bind(1, to_string(s)).bind(2, id);
  return st->run();
}

audit::EntryDraft draft(const core::Actor& actor, std::string_view type, std::string_view id) {
  audit::EntryDraft d;
  d.actor = actor.account;
  d.role = actor.role;
  d.type = std::string(type);
  d.subject = motion_subject(id);
  if (!actor.source_address.empty()) {
    d.source_address = actor.source_address;
    d.source_scope = motion_subject(id);
  }
  return d;
}

audit::EntryDraft system_draft(std::string_view type, std::string_view id) {
  audit::EntryDraft d;
  d.type = std::string(type);
  d.subject = motion_subject(id);
  return d;
}

Error window_closed() {
  return refusal("vote_window_closed", "不在表决期内", "the vote window is not open");
}

Status check_choice(const MotionView& m, std::string_view choice) {
  if (choice == kAbstain || std::find(m.options.begin(), m.options.end(), choice) != m.options.end())
    return {};
  return refusal("motion_choice_invalid", "所选不是本议题的选项",
                 "the choice is not an option of this motion", {{"choice", choice}});
}

Result<std::int64_t> roster_area(audit::Database& db, std::string_view motion_id,
                                 std::string_view owner_key) {
  SUNBID_ASSIGN_OR_RETURN(Statement * w,
                          db.cached("SELECT area_centi_m2 FROM assembly_roster_snapshot WHERE "
                                    "motion_id = ? AND owner_key = ?"));
  w->bind(1, motion_id).bind(2, owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool on_roster, w->step());
  const std::int64_t area = on_roster ? w->column_int64(0) : 0;
  w->reset();
  if (!on_roster) {
    return refusal("owner_not_on_roster", "业主不在表决名册中",
                   "the owner is not on the roster snapshot");
  }
  return area;
}

std::int64_t tally_at(const MotionView& m) {
  return m.tally_ms.value_or(m.closes_ms.value_or(0));
}

bool visible(const MotionView& m, const core::Actor& viewer) {
  if (m.status != MotionStatus::draft) return true;
  if (viewer.role == "admin" || viewer.role == "supervisor") return true;
  return viewer.role == "tenderer" && viewer.community_id == m.community_id;
}

}  // namespace detail

using namespace detail;

namespace {

// motion.opened: the roster snapshot frozen, the window's end computed with
// the calendar in force at the opening.
Status open_motion(WriteTxn& txn, const MotionView& m) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT unit, area_centi_m2, owner_key, status FROM "
                                    "roster_units WHERE community_id = ? ORDER BY unit"));
  st->bind(1, m.community_id);
  std::vector<eval::RosterUnit> units;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    units.push_back({std::string(st->column_text(0)), st->column_int64(1),
                     std::string(st->column_text(2)), st->column_text(3) == "unsold"});
  }
  st->reset();
  SUNBID_ASSIGN_OR_RETURN(eval::RosterWeights w, eval::owner_weights_from_units(units));
  const std::string subject = motion_subject(m.id);
  std::vector<std::pair<std::string, std::int64_t>> digested;
  digested.reserve(w.owners.size());
  SUNBID_ASSIGN_OR_RETURN(Statement * ins,
                          db.cached("INSERT INTO assembly_roster_snapshot(motion_id, owner_key, "
                                    "area_centi_m2) VALUES (?, ?, ?)"));
  for (const auto& o : w.owners) {
    ins->reset();
    ins->bind(1, m.id).bind(2, o.owner_key).bind(3, o.area_centi_m2);
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(std::string dg, txn.personal_digest("owner_key", o.owner_key, subject));
    digested.emplace_back(std::move(dg), o.area_centi_m2);
  }
  std::sort(digested.begin(), digested.end());
  boost::json::array lines;
  for (const auto& [dg, area] : digested) lines.push_back({dg, area});
  auto canon = audit::to_canonical_json(lines);
  if (!canon.ok()) return std::move(canon).error();

  const std::int64_t opens = *m.opens_ms;
  SUNBID_ASSIGN_OR_RETURN(core::CalendarHistory history, core::Registry::calendar_history(db));
  const auto closes = core::granted_period_end_ms(history, opens, m.input.window_days);
  if (!closes) return make_error("internal_error", "表决期无法计算 / the window end is unknown");
  // With paper ballots the tally waits for the papers stamped before the
  // window's end: kPaperLateDays calendar days more (docs/motions.md).
  const std::int64_t tally =
      m.input.paper_ballots ? *closes + kPaperLateDays * 86'400'000LL : *closes;
  SUNBID_ASSIGN_OR_RETURN(Statement * up,
                          db.cached("UPDATE assembly_motions SET status = 'open', closes_ms = ?, "
                                    "total_area_centi_m2 = ?, total_heads = ?, tally_ms = ? "
                                    "WHERE id = ?"));
  up->bind(1, *closes).bind(2, w.total_area_centi_m2).bind(3, w.total_heads).bind(4, tally);
  up->bind(5, m.id);
  SUNBID_TRY(up->run());
  audit::EntryDraft d = system_draft("motion.opened", m.id);
  const eval::Approval rule = approval_for(m.input.matter_item);
  d.payload = {{"motion_id", m.id},
               {"community_id", m.community_id},
               {"matter_item", m.input.matter_item},
               {"approval", approval_name(rule)},
               {"options", options_json(m.options)},
               {"opens_at", core::format_rfc3339_ms(opens)},
               {"closes_at", core::format_rfc3339_ms(*closes)},
               {"calendar_version", history.in_force_at(opens).version},
               {"roster",
                {{"digest", hex_encode(sha256(*canon))},
                 {"owners", w.owners.size()},
                 {"total_area_centi_m2", w.total_area_centi_m2},
                 {"total_heads", w.total_heads}}}};
  if (m.input.paper_ballots) d.payload["tally_at"] = core::format_rfc3339_ms(tally);
  SUNBID_TRY(txn.append(d));
  return {};
}

// The 表决结果公告 (docs/documents.md): the motion's result as a document of
// the subject motion:<id>, its source the plain facts of the close (the
// motion.closed payload's tally, the motion, its community and tenderer).
Status publish_motion_result(WriteTxn& txn, const MotionView& m,
                             const boost::json::object& closed) {
  auto& db = txn.db();
  boost::json::object s;
  s["kind"] = core::kMotionResultKind;
  s["format"] = 1;
  s["motion_id"] = m.id;
  s["title"] = m.input.title;
  // The organisation that puts the motion, never a person (as the tender notices).
  SUNBID_ASSIGN_OR_RETURN(std::string kind, core::account_tenderer_kind(db, m.created_by));
  SUNBID_TRY(core::put_notice_parties(db, m.community_id, kind, s));
  s["matter_item"] = m.input.matter_item;
  s["approval"] = closed.at("approval");
  s["tally"] = closed.at("tally");
  s["outcome"] = closed.at("outcome");
  s["winner"] = closed.at("winner").is_string() ? closed.at("winner") : boost::json::value("");
  boost::json::array options;
  for (const auto& o : m.options) {
    const auto& t = closed.at("tally").as_object();
    std::int64_t area = 0, heads = 0;
    for (const auto& x : t.at("options").as_array()) {
      if (x.at("option") != boost::json::value(o)) continue;
      area = x.at("area_centi_m2").as_int64();
      heads = x.at("heads").as_int64();
    }
    options.push_back(boost::json::object{
        {"option", o},
        {"approved", eval::approves(approval_for(m.input.matter_item), area, heads,
                                    t.at("participating_area_centi_m2").as_int64(),
                                    t.at("participating_heads").as_int64())}});
  }
  s["options"] = std::move(options);
  s["opened_ms"] = m.opens_ms.value_or(0);
  s["closes_ms"] = m.closes_ms.value_or(0);
  s["closed_ms"] = txn.now_ms();
  auto index =
      core::publish_document(txn, system_draft("document.published", m.id),
                             core::motion_document_subject(m.id), core::kMotionResultKind, s);
  if (!index.ok()) return std::move(index).error();
  return {};
}

// motion.closed: the one tally of the motion, from the frozen roster and the
// last ballot of each owner.
Status close_motion(WriteTxn& txn, const MotionView& m) {
  auto& db = txn.db();
  std::vector<eval::OwnerWeight> owners;
  {
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            db.cached("SELECT owner_key, area_centi_m2 FROM "
                                      "assembly_roster_snapshot WHERE motion_id = ?"));
    st->bind(1, m.id);
    while (true) {
      SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      owners.push_back({std::string(st->column_text(0)), st->column_int64(1)});
    }
    st->reset();
  }
  std::vector<MotionBallot> ballots;
  {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * st,
        db.cached("SELECT owner_key, choice FROM assembly_ballots WHERE motion_id = ?"));
    st->bind(1, m.id);
    while (true) {
      SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      ballots.push_back({std::string(st->column_text(0)), std::string(st->column_text(1))});
    }
    st->reset();
  }
  // Counted paper ballots join the same tally (an electronic ballot of the
  // same owner has marked its paper one superseded).
  std::optional<boost::json::object> paper;
  if (m.input.paper_ballots) {
    SUNBID_ASSIGN_OR_RETURN(paper, counted_paper_ballots(db, m.id, ballots));
  }
  SUNBID_ASSIGN_OR_RETURN(
      MotionTally t,
      tally_motion(std::move(owners), m.total_area_centi_m2.value_or(0), m.total_heads.value_or(0),
                   m.options, m.input.matter_item, ballots));
  boost::json::object payload{
      {"motion_id", m.id},
      {"matter_item", m.input.matter_item},
      {"approval", approval_name(approval_for(m.input.matter_item))},
      {"tally", tally_json(t.vote)},
      {"outcome", to_string(t.outcome)},
      {"winner", t.winner.empty() ? boost::json::value(nullptr) : boost::json::value(t.winner)}};
  if (paper) payload["paper_ballots"] = std::move(*paper);
  SUNBID_ASSIGN_OR_RETURN(
      Statement * up,
      db.cached("UPDATE assembly_motions SET status = ?, result_json = ? WHERE id = ?"));
  up->bind(1, to_string(t.outcome)).bind(2, boost::json::serialize(payload)).bind(3, m.id);
  SUNBID_TRY(up->run());
  audit::EntryDraft d = system_draft("motion.closed", m.id);
  d.payload = payload;
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
  // A passed selection plan's tenders cite this entry (selection_plan.h).
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ix, db.cached("UPDATE assembly_motions SET closed_index = ? WHERE id = ?"));
  ix->bind(1, static_cast<std::int64_t>(index)).bind(2, m.id);
  SUNBID_TRY(ix->run());
  // 表决结果公告 right after motion.closed (docs/documents.md).
  return publish_motion_result(txn, m, payload);
}

Result<MotionBallotCast> ballot_command(WriteTxn& txn, const core::Actor& owner,
                                        std::string_view id, std::string_view choice) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, id));
  if (m.status == MotionStatus::draft) return not_found(id);
  if (owner.community_id != m.community_id || owner.owner_key.empty()) {
    return refusal("not_an_owner", "不是本小区业主", "not an owner of this community");
  }
  const std::int64_t now = txn.now_ms();
  if (m.status != MotionStatus::open || !m.closes_ms || now < *m.opens_ms || now >= *m.closes_ms) {
    return window_closed();
  }
  SUNBID_TRY(check_choice(m, choice));
  SUNBID_ASSIGN_OR_RETURN(const std::int64_t area, roster_area(db, id, owner.owner_key));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * prior,
      db.cached("SELECT 1 FROM assembly_ballots WHERE motion_id = ? AND owner_key = ?"));
  prior->bind(1, id).bind(2, owner.owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool replaced, prior->step());
  prior->reset();
  const std::string subject = motion_subject(id);
  SUNBID_ASSIGN_OR_RETURN(std::string owner_digest,
                          txn.personal_digest("owner_key", owner.owner_key, subject));
  audit::EntryDraft d = draft(owner, "motion.ballot_cast", id);
  d.payload = {{"motion_id", id}, {"owner", owner_digest}, {"area_centi_m2", area},
               {"heads", 1},      {"choice", choice},      {"replaces_earlier", replaced}};
  // One owner, one ballot: the electronic one stands, a paper ballot of the
  // same owner is superseded (recorded here, in this command's one entry).
  if (m.input.paper_ballots) {
    SUNBID_ASSIGN_OR_RETURN(bool superseded, supersede_paper_ballot(db, id, owner.owner_key));
    if (superseded) d.payload["supersedes_paper"] = true;
  }
  // Ballot secrecy: public once the motion is tallied.
  d.release_at_ms = tally_at(m);
  MotionBallotCast out;
  out.replaced = replaced;
  SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
  SUNBID_ASSIGN_OR_RETURN(out.entry, audit::read_entry_bytes(db, out.log_index));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT OR REPLACE INTO assembly_ballots(motion_id, owner_key, choice, "
                "area_centi_m2, cast_ms, log_index) VALUES (?, ?, ?, ?, ?, ?)"));
  ins->bind(1, id).bind(2, owner.owner_key).bind(3, choice).bind(4, area).bind(5, now);
  ins->bind(6, static_cast<std::int64_t>(out.log_index));
  SUNBID_TRY(ins->run());
  return out;
}

}  // namespace

std::string motion_subject(std::string_view motion_id) {
  return "motion:" + std::string(motion_id);
}

MotionService::MotionService(audit::Ledger& ledger, const Clock& clock, core::Registry& registry)
    : ledger_(ledger), clock_(clock) {
  registry.set_roster_lock_hook(
      [](audit::Database& db, std::string_view community) -> Result<bool> {
        return roster_locked(db, community);
      });
}

Result<MotionView> MotionService::create(const core::Actor& tenderer, std::string_view community_id,
                                         const MotionInput& input) {
  SUNBID_TRY(require_tenderer_of(tenderer, community_id));
  SUNBID_TRY(validate(input));
  return ledger_.run<MotionView>([&](WriteTxn& txn) -> Result<MotionView> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(core::Community community, core::Registry::community(db, community_id));
    (void)community;
    if (input.kind == MotionKind::selection_plan) {
      // The plan's tier exists and its budget lies within the tier's range.
      SUNBID_ASSIGN_OR_RETURN(SelectionPlan plan, selection_plan_from_json(*input.plan));
      SUNBID_ASSIGN_OR_RETURN(auto tier, core::Registry::service_tier(db, plan.tier));
      SUNBID_TRY(check_plan_tier(plan, tier ? &*tier : nullptr));
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * q,
                            db.cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM assembly_motions"));
    SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
    const std::int64_t seq = row ? q->column_int64(0) : 1;
    q->reset();
    const std::string id = "M" + std::to_string(seq);
    const boost::json::object req = request_json(input);
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO assembly_motions(id, seq, community_id, status, request_json, "
                  "created_by, created_ms) VALUES (?, ?, ?, 'draft', ?, ?, ?)"));
    ins->bind(1, id).bind(2, seq).bind(3, community_id).bind(4, boost::json::serialize(req));
    ins->bind(5, tenderer.account).bind(6, txn.now_ms());
    SUNBID_TRY(ins->run());
    audit::EntryDraft d = draft(tenderer, "motion.created", id);
    d.payload = req;
    d.payload["motion_id"] = id;
    d.payload["community_id"] = community_id;
    d.payload["approval"] = approval_name(approval_for(input.matter_item));
    d.payload["options"] = options_json(effective_options(input));
    // A draft is the tenderer's until its notice (as a tender's draft).
    d.release_at_ms = audit::kReleaseAtEvent;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
    SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, id));
    m.log_index = index;
    return m;
  });
}

Result<MotionView> MotionService::give_notice(const core::Actor& tenderer,
                                              std::string_view motion_id,
                                              std::optional<std::int64_t> opens_ms) {
  if (tenderer.role != "tenderer") return require_tenderer_of(tenderer, "").error();
  return ledger_.run<MotionView>([&](WriteTxn& txn) -> Result<MotionView> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
    if (!visible(m, tenderer)) return not_found(motion_id);
    SUNBID_TRY(require_tenderer_of(tenderer, m.community_id));
    if (m.status != MotionStatus::draft) return wrong_status(m.status);
    const std::int64_t now = txn.now_ms();
    const std::int64_t earliest = earliest_opening_ms(now);
    const std::int64_t opens = opens_ms.value_or(earliest);
    if (opens < earliest) {
      return refusal("motion_notice_too_short", "表决须在公告十五日后开始",
                     "the window must open at least 15 calendar days after the notice",
                     {{"earliest_opens_at", core::format_rfc3339_ms(earliest)}});
    }
    SUNBID_ASSIGN_OR_RETURN(core::Community c, core::Registry::community(db, m.community_id));
    if (c.roster_version == 0) {
      return refusal("motion_roster_missing", "该小区尚无业主名册", "the community has no roster");
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * up,
                            db.cached("UPDATE assembly_motions SET status = 'noticed', "
                                      "noticed_ms = ?, opens_ms = ? WHERE id = ?"));
    up->bind(1, now).bind(2, opens).bind(3, motion_id);
    SUNBID_TRY(up->run());
    // The announcement makes the draft's entry public.
    SUNBID_TRY(
        audit::release_tender_entries(db, motion_subject(motion_id), audit::kReleaseAtEvent, now));
    audit::EntryDraft d = draft(tenderer, "motion.noticed", motion_id);
    d.payload = {{"motion_id", motion_id},
                 {"noticed_at", core::format_rfc3339_ms(now)},
                 {"opens_at", core::format_rfc3339_ms(opens)},
                 {"window_days", m.input.window_days}};
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
    SUNBID_ASSIGN_OR_RETURN(MotionView out, load(db, motion_id));
    out.log_index = index;
    return out;
  });
}

Result<MotionView> MotionService::cancel(const core::Actor& tenderer, std::string_view motion_id,
                                         std::optional<std::string> reason) {
  if (tenderer.role != "tenderer") return require_tenderer_of(tenderer, "").error();
  SUNBID_TRY(catch_up(motion_id));
  return ledger_.run<MotionView>([&](WriteTxn& txn) -> Result<MotionView> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
    if (!visible(m, tenderer)) return not_found(motion_id);
    SUNBID_TRY(require_tenderer_of(tenderer, m.community_id));
    if (m.status != MotionStatus::draft && m.status != MotionStatus::noticed)
      return wrong_status(m.status);
    SUNBID_TRY(set_status(db, motion_id, MotionStatus::cancelled));
    audit::EntryDraft d = draft(tenderer, "motion.cancelled", motion_id);
    d.payload = {{"motion_id", motion_id}, {"from", to_string(m.status)}};
    if (reason) d.payload["reason"] = *reason;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
    SUNBID_ASSIGN_OR_RETURN(MotionView out, load(db, motion_id));
    out.log_index = index;
    return out;
  });
}

Result<MotionBallotCast> MotionService::cast_ballot(const core::Actor& owner,
                                                    std::string_view motion_id,
                                                    std::string_view choice) {
  if (owner.role != "owner")
    return refusal("not_owner", "此操作须由业主执行", "this command needs the role owner");
  SUNBID_TRY(catch_up(motion_id));
  return ledger_.run<MotionBallotCast>(
      [&](WriteTxn& txn) { return ballot_command(txn, owner, motion_id, choice); });
}

void MotionService::cast_ballot_async(core::Actor owner, std::string motion_id, std::string choice,
                                      std::function<void(Result<MotionBallotCast>)> done) {
  if (owner.role != "owner")
    return done(refusal("not_owner", "此操作须由业主执行", "this command needs the role owner"));
  if (auto st = catch_up(motion_id); !st.ok()) return done(std::move(st).error());
  auto out = std::make_shared<MotionBallotCast>();
  ledger_.submit(
      [owner = std::move(owner), motion_id = std::move(motion_id), choice = std::move(choice),
       out](WriteTxn& txn) -> Status {
        SUNBID_ASSIGN_OR_RETURN(*out, ballot_command(txn, owner, motion_id, choice));
        return ok_status();
      },
      [out, done = std::move(done)](Status st) {
        if (!st.ok()) return done(std::move(st).error());
        done(std::move(*out));
      });
}

// One due transition per command: the opening, then (later) the close.
Result<int> MotionService::apply_due(std::string_view motion_id) {
  int applied = 0;
  for (int step = 0; step < 2; ++step) {
    SUNBID_ASSIGN_OR_RETURN(bool did, ledger_.run<bool>([&](WriteTxn& txn) -> Result<bool> {
      auto& db = txn.db();
      SUNBID_ASSIGN_OR_RETURN(std::optional<MotionView> m, find(db, motion_id));
      if (!m) return false;
      const std::int64_t now = txn.now_ms();
      if (m->status == MotionStatus::noticed && m->opens_ms && now >= *m->opens_ms) {
        SUNBID_TRY(open_motion(txn, *m));
        return true;
      }
      if (m->status == MotionStatus::open && m->closes_ms && now >= tally_at(*m)) {
        SUNBID_TRY(close_motion(txn, *m));
        return true;
      }
      return false;
    }));
    if (!did) break;
    ++applied;
  }
  return applied;
}

Status MotionService::catch_up(std::string_view motion_id) {
  auto r = apply_due(motion_id);
  if (!r.ok()) return std::move(r).error();
  return {};
}

Result<int> MotionService::tick(std::vector<MotionTickFailure>& failures) {
  std::vector<std::string> due;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger_.reader());
    const std::int64_t now = clock_.now_ms();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * st,
        lease.db().cached("SELECT id FROM assembly_motions WHERE (status = 'noticed' AND "
                          "opens_ms <= ?) OR (status = 'open' AND COALESCE(tally_ms, closes_ms) <= ?)"));
    st->bind(1, now).bind(2, now);
    while (true) {
      SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      due.emplace_back(st->column_text(0));
    }
    st->reset();
  }
  int applied = 0;
  for (const auto& id : due) {
    auto r = apply_due(id);
    if (!r.ok()) {
      failures.push_back({id, std::move(r).error()});
    } else {
      applied += *r;
    }
  }
  return applied;
}

Result<MotionView> MotionService::motion(audit::Database& db, std::string_view motion_id,
                                         const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
  if (!visible(m, viewer)) return not_found(motion_id);
  return m;
}

Result<std::vector<MotionView>> MotionService::community_motions(audit::Database& db,
                                                                 std::string_view community_id,
                                                                 const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(core::Community community, core::Registry::community(db, community_id));
  (void)community;
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached(std::string(kMotionColumns) +
                                                    "WHERE community_id = ? ORDER BY seq DESC"));
  st->bind(1, community_id);
  std::vector<MotionView> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    auto m = read_row(st);
    if (!m.ok()) {
      st->reset();
      return std::move(m).error();
    }
    if (visible(*m, viewer)) out.push_back(std::move(*m));
  }
  st->reset();
  return out;
}

Result<Turnout> MotionService::turnout(audit::Database& db, std::string_view motion_id) {
  SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
  if (m.status == MotionStatus::draft) return not_found(motion_id);
  Turnout t;
  t.motion_id = m.id;
  t.status = m.status;
  t.opens_ms = m.opens_ms;
  t.closes_ms = m.closes_ms;
  t.total_area_centi_m2 = m.total_area_centi_m2.value_or(0);
  t.total_heads = m.total_heads.value_or(0);
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT COALESCE(SUM(area_centi_m2), 0), COUNT(*) FROM "
                                    "assembly_ballots WHERE motion_id = ?"));
  st->bind(1, motion_id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (row) {
    t.participating_area_centi_m2 = st->column_int64(0);
    t.participating_heads = st->column_int64(1);
  }
  st->reset();
  // Counted paper ballots are participation too (never their choices).
  SUNBID_ASSIGN_OR_RETURN(Statement * pt,
                          db.cached("SELECT COALESCE(SUM(area_centi_m2), 0), COUNT(*) FROM "
                                    "assembly_paper_ballots WHERE motion_id = ? AND "
                                    "status = 'counted'"));
  pt->bind(1, motion_id);
  SUNBID_ASSIGN_OR_RETURN(bool prow, pt->step());
  if (prow) {
    t.participating_area_centi_m2 += pt->column_int64(0);
    t.participating_heads += pt->column_int64(1);
  }
  pt->reset();
  // The same integer rule as the tally (owners_vote.h): 3·part ≥ 2·total.
  t.area_quorum =
      t.total_heads > 0 && 3 * t.participating_area_centi_m2 >= 2 * t.total_area_centi_m2;
  t.head_quorum = t.total_heads > 0 && 3 * t.participating_heads >= 2 * t.total_heads;
  return t;
}

Result<bool> MotionService::roster_locked(audit::Database& db, std::string_view community_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT 1 FROM assembly_motions WHERE community_id = ? AND "
                                    "status = 'open' LIMIT 1"));
  st->bind(1, community_id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  st->reset();
  return row;
}

}  // namespace sunbid::assembly
