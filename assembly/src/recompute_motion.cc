#include "assembly/recompute_motion.h"

#include <boost/json/parse.hpp>
#include <map>

#include "assembly/motion.h"

namespace sunbid::assembly {

namespace {

namespace json = boost::json;

std::int64_t num(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::string str(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::object& obj(const json::object& o, std::string_view k) {
  static const json::object empty;
  const auto* v = o.if_contains(k);
  return v && v->is_object() ? v->as_object() : empty;
}

struct Opened {
  std::int64_t total_area = 0;
  std::int64_t total_heads = 0;
  int matter_item = 0;
  std::vector<std::string> options;
};

using Ballots = std::map<std::string, std::pair<std::int64_t, std::string>>;

// One owner, one ballot: the electronic ballot stands; a counted paper
// ballot counts only for an owner without one (docs/motions.md).
Ballots merged(const Ballots& electronic, const Ballots& paper) {
  Ballots all = electronic;
  for (const auto& [digest, b] : paper) all.emplace(digest, b);
  return all;
}

eval::RecomputeLine closed_line(std::uint64_t index, const std::string& motion,
                                const std::optional<Opened>& opened, const Ballots& ballots,
                                const json::object& payload) {
  eval::RecomputeLine line;
  line.what = "entry " + std::to_string(index) + " motion.closed (" + motion +
              "): tally and outcome from the ballot entries";
  if (!opened) {
    line.detail = "no motion.opened entry in the trail";
    return line;
  }
  // Owners who did not vote weigh only in the totals: stand-ins carry their
  // remaining area and headcount (as for the decision vote's recomputation).
  std::vector<eval::OwnerWeight> owners;
  std::vector<MotionBallot> cast;
  std::int64_t voters_area = 0;
  for (const auto& [digest, b] : ballots) {
    owners.push_back({digest, b.first});
    voters_area += b.first;
    cast.push_back({digest, b.second});
  }
  const std::int64_t missing = opened->total_heads - static_cast<std::int64_t>(owners.size());
  const std::int64_t rest = opened->total_area - voters_area;
  for (std::int64_t i = 0; i < missing; ++i) {
    owners.push_back({"~absent-" + std::to_string(i), i == 0 ? rest - (missing - 1) : 1});
  }
  auto t = tally_motion(std::move(owners), opened->total_area, opened->total_heads, opened->options,
                        opened->matter_item, cast);
  if (!t.ok()) {
    line.detail = t.error().message;
    return line;
  }
  const json::object& logged = obj(payload, "tally");
  const json::object mine = tally_json(t->vote);
  const std::string outcome(to_string(t->outcome));
  const std::string approval(approval_name(approval_for(opened->matter_item)));
  const bool tally_ok = logged == mine;
  const bool outcome_ok =
      str(payload, "outcome") == outcome && str(payload, "winner") == t->winner &&
      str(payload, "approval") == approval && num(payload, "matter_item") == opened->matter_item;
  line.matches = tally_ok && outcome_ok;
  line.detail = "participation " + std::to_string(t->vote.participating_area_centi_m2) + " / " +
                std::to_string(t->vote.total_area_centi_m2) + " centi-m², " +
                std::to_string(t->vote.participating_heads) + " / " +
                std::to_string(t->vote.total_heads) + " heads; item " +
                std::to_string(opened->matter_item) + " (" + approval + "): " + outcome +
                (t->winner.empty() ? "" : " (" + t->winner + ")");
  if (!tally_ok) line.detail += "; the logged tally differs";
  if (!outcome_ok) line.detail += "; the logged outcome is " + str(payload, "outcome");
  return line;
}

}  // namespace

std::vector<eval::RecomputeLine> recompute_motion_trail(const audit::VerifiedTrail& trail) {
  std::vector<eval::RecomputeLine> out;
  std::map<std::string, std::optional<Opened>> opened;
  std::map<std::string, Ballots> ballots;
  std::map<std::string, Ballots> paper;  // counted paper ballots by owner digest
  for (const auto& e : trail.entries) {
    boost::system::error_code ec;
    json::value v = json::parse(e.entry, ec);
    if (ec || !v.is_object()) continue;  // verify_trail checked every entry's form
    const json::object& entry = v.as_object();
    const std::string type = str(entry, "type");
    if (type.rfind("motion.", 0) != 0) continue;
    const json::object& p = obj(entry, "payload");
    const std::string motion = str(p, "motion_id");
    if (type == "motion.opened") {
      Opened o;
      o.total_area = num(obj(p, "roster"), "total_area_centi_m2");
      o.total_heads = num(obj(p, "roster"), "total_heads");
      o.matter_item = static_cast<int>(num(p, "matter_item"));
      if (const auto* opts = p.if_contains("options"); opts && opts->is_array()) {
        for (const auto& s : opts->as_array()) {
          if (s.is_string()) o.options.emplace_back(s.as_string());
        }
      }
      opened[motion] = std::move(o);
    } else if (type == "motion.ballot_cast") {
      ballots[motion][str(p, "owner")] = {num(p, "area_centi_m2"), str(p, "choice")};
    } else if (type == "motion.paper_ballot_entered" || type == "motion.paper_ballot_resolved") {
      // The entry that completes a paper ballot states its state: counted
      // (both copies match, or a supervisor's decision) or not.
      if (str(p, "status") == "counted") {
        paper[motion][str(p, "owner")] = {num(p, "area_centi_m2"), str(p, "choice")};
      } else if (str(p, "status") != "pending") {
        paper[motion].erase(str(p, "owner"));
      }
    } else if (type == "motion.closed") {
      out.push_back(closed_line(e.index, motion, opened[motion],
                                merged(ballots[motion], paper[motion]), p));
    }
  }
  return out;
}

}  // namespace sunbid::assembly
