// Owners' assembly motions (业主大会议题, docs/motions.md): a tenderer's
// draft, notice and cancellation, owners' secret ballots with their
// receipts, public turnout, the motion and its trail. The rules are
// assembly::MotionService's; these handlers decode, call and shape.
#include <boost/json/object.hpp>

#include "audit_log/trail.h"
#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/time.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

namespace {

boost::json::value time_or_null(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return boost::json::value(core::format_rfc3339_ms(*ms));
}

boost::json::object motion_json(const assembly::MotionView& m) {
  boost::json::array options;
  for (const auto& o : m.options) options.emplace_back(o);
  boost::json::object o{
      {"id", m.id},
      {"community_id", m.community_id},
      {"status", assembly::to_string(m.status)},
      {"title", m.input.title},
      {"text", m.input.text},
      {"kind", assembly::to_string(m.input.kind)},
      {"matter_item", m.input.matter_item},
      {"approval", assembly::approval_name(assembly::approval_for(m.input.matter_item))},
      {"options", std::move(options)},
      {"window_days", m.input.window_days},
      {"plan", m.input.plan ? boost::json::value(*m.input.plan) : boost::json::value(nullptr)},
      {"created_at", core::format_rfc3339_ms(m.created_ms)},
      {"noticed_at", time_or_null(m.noticed_ms)},
      {"opens_at", time_or_null(m.opens_ms)},
      {"closes_at", time_or_null(m.closes_ms)},
      {"result", m.result ? boost::json::value(*m.result) : boost::json::value(nullptr)}};
  if (m.input.paper_ballots) {
    o["paper_ballots"] = true;
    o["tally_at"] = time_or_null(m.tally_ms);
  }
  return o;
}

Result<Response> answer_command(const assembly::MotionView& m, int status) {
  boost::json::object o = motion_json(m);
  o["log_index"] = idx(m.log_index);
  return json_response(status, o);
}

boost::json::object paper_step_json(const assembly::PaperBallotStep& p) {
  return {{"paper_ballot_id", p.paper_ballot_id},
          {"status", p.status},
          {"log_index", idx(p.log_index)},
          {"entry", p.entry}};
}

boost::json::object paper_ballot_json(const assembly::PaperBallotView& v) {
  boost::json::array entries;
  for (const auto& e : v.entries) {
    boost::json::value proxy = nullptr;
    if (e.proxy_authorisation_sha256_hex) {
      proxy = boost::json::object{
          {"name", e.proxy_name ? boost::json::value(*e.proxy_name) : boost::json::value(nullptr)},
          {"authorisation_sha256_hex", *e.proxy_authorisation_sha256_hex}};
    }
    entries.push_back(boost::json::object{{"entry", e.entry},
                                          {"account_id", e.account_id},
                                          {"choice", e.choice},
                                          {"scan_sha256_hex", e.scan_sha256_hex},
                                          {"proxy", proxy},
                                          {"stamped_at", time_or_null(e.stamped_ms)},
                                          {"entered_at", core::format_rfc3339_ms(e.entered_ms)},
                                          {"log_index", idx(e.log_index)}});
  }
  auto opt = [](const std::optional<std::string>& s) {
    return s ? boost::json::value(*s) : boost::json::value(nullptr);
  };
  return {{"id", v.id},
          {"owner_key", v.owner_key},
          {"area_centi_m2", v.area_centi_m2},
          {"status", v.status},
          {"choice", opt(v.choice)},
          {"proxy", v.proxy},
          {"entries", std::move(entries)},
          {"resolved_by", opt(v.resolved_by)},
          {"resolution", opt(v.resolution)}};
}

}  // namespace

Result<Response> post_motion(Ctx& c, const ReqMotion& req) {
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, c.s.motions.create(c.viewer, c.id(), req.input));
  return answer_command(m, 201);
}

Result<Response> get_community_motions(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::vector<assembly::MotionView> all,
                          assembly::MotionService::community_motions(lease.db(), c.id(), c.viewer));
  boost::json::array items;
  for (const auto& m : all) items.push_back(motion_json(m));
  return page_answer(std::move(items), std::nullopt);
}

Result<Response> get_motion(Ctx& c) {
  SUNBID_TRY(c.s.motions.catch_up(c.id()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m,
                          assembly::MotionService::motion(lease.db(), c.id(), c.viewer));
  return ok_json(motion_json(m));
}

Result<Response> post_motion_notice(Ctx& c, const ReqMotionNotice& req) {
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m,
                          c.s.motions.give_notice(c.viewer, c.id(), req.opens_ms));
  return answer_command(m, 200);
}

Result<Response> post_motion_cancel(Ctx& c, const ReqMotionCancel& req) {
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m, c.s.motions.cancel(c.viewer, c.id(), req.reason));
  return answer_command(m, 200);
}

// Owners vote by the thousand near a close: a ledger-async command, batched
// like the decision's ballots. The answer is the receipt: the log index and
// the owner's own entry bytes (its choice inside), to check against an
// inclusion proof once a checkpoint covers it.
Result<Pending> post_motion_ballot(Ctx& c, const ReqMotionBallot& req) {
  SUNBID_TRY(c.s.rate_limit_writes(c.call));
  return pending<assembly::MotionBallotCast>(
      [&s = c.s, viewer = c.viewer, id = c.id(), choice = req.choice](auto done) {
        s.motions.cast_ballot_async(viewer, id, choice, std::move(done));
      },
      [](assembly::MotionBallotCast b) -> Result<Response> {
        return created(boost::json::object{
            {"log_index", idx(b.log_index)}, {"entry", b.entry}, {"replaced", b.replaced}});
      });
}

Result<Response> get_motion_turnout(Ctx& c) {
  SUNBID_TRY(c.s.motions.catch_up(c.id()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(assembly::Turnout t,
                          assembly::MotionService::turnout(lease.db(), c.id()));
  return ok_json(boost::json::object{{"motion_id", t.motion_id},
                                     {"status", assembly::to_string(t.status)},
                                     {"opens_at", time_or_null(t.opens_ms)},
                                     {"closes_at", time_or_null(t.closes_ms)},
                                     {"total_area_centi_m2", t.total_area_centi_m2},
                                     {"total_heads", t.total_heads},
                                     {"participating_area_centi_m2", t.participating_area_centi_m2},
                                     {"participating_heads", t.participating_heads},
                                     {"area_quorum", t.area_quorum},
                                     {"head_quorum", t.head_quorum}});
}

// The motion's trail: the tender trail's format (docs/tender-trail.md) for
// the subject "motion:<id>".
Result<Response> get_motion_trail(Ctx& c) {
  audit::TrailPageRequest page;
  SUNBID_ASSIGN_OR_RETURN(page.tree_size, query_uint(c.query(), "tree_size"));
  SUNBID_ASSIGN_OR_RETURN(page.after, query_uint(c.query(), "cursor"));
  SUNBID_ASSIGN_OR_RETURN(page.limit,
                          query_limit(c.query(), c.s.options.limits.max_trail_entries_per_page));
  SUNBID_TRY(c.s.motions.catch_up(c.id()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  // A draft's trail is its tenderer's: the same visibility as the motion.
  SUNBID_ASSIGN_OR_RETURN(assembly::MotionView m,
                          assembly::MotionService::motion(lease.db(), c.id(), c.viewer));
  SUNBID_ASSIGN_OR_RETURN(boost::json::object trail,
                          audit::tender_trail_page(lease.db(), assembly::motion_subject(m.id),
                                                   c.ledger().verifier_key(), c.now_ms(), page));
  return ok_json(trail);
}

// Paper ballots (书面投票, docs/motions.md): a 监票人 named by the tenderer,
// the two copies, the supervisor's resolution, the private list.
Result<Response> post_motion_scrutineer(Ctx& c, const ReqScrutineer& req) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t index,
                          c.s.motions.designate_scrutineer(c.viewer, c.id(), req.account_id));
  return created(boost::json::object{
      {"motion_id", c.id()}, {"account_id", req.account_id}, {"log_index", idx(index)}});
}

Result<Response> post_motion_paper_ballot(Ctx& c, const ReqPaperBallot& req) {
  SUNBID_ASSIGN_OR_RETURN(assembly::PaperBallotStep p,
                          c.s.motions.enter_paper_ballot(c.viewer, c.id(), req.input));
  return created(paper_step_json(p));
}

Result<Response> get_motion_paper_ballots(Ctx& c) {
  SUNBID_TRY(c.s.motions.catch_up(c.id()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::vector<assembly::PaperBallotView> all,
                          assembly::MotionService::paper_ballots(lease.db(), c.id(), c.viewer));
  boost::json::array items;
  for (const auto& v : all) items.push_back(paper_ballot_json(v));
  return page_answer(std::move(items), std::nullopt);
}

Result<Response> post_motion_paper_ballot_resolve(Ctx& c, const ReqPaperBallotResolve& req) {
  SUNBID_ASSIGN_OR_RETURN(
      assembly::PaperBallotStep p,
      c.s.motions.resolve_paper_ballot(c.viewer, c.id(), c.param("paper_ballot_id"), req.choice,
                                       req.reason));
  return ok_json(paper_step_json(p));
}

}  // namespace sunbid::server::routes
