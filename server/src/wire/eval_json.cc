#include "wire/eval_json.h"

#include "http/answer.h"

namespace sunbid::server {

namespace {

boost::json::array string_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object committee_drawn_json(const eval::CommitteeDrawn& d) {
  return {{"log_index", idx(d.log_index)},
          {"members", string_array(d.members)},
          {"reserves", string_array(d.reserves)},
          {"seed_hex", d.seed_hex},
          {"checkpoint_size", idx(d.checkpoint_size)},
          {"checkpoint_root_hex", d.checkpoint_root_hex},
          {"inputs", d.record}};
}

boost::json::object seat_change_json(const eval::SeatChange& s) {
  return {
      {"log_index", idx(s.log_index)},
      {"successor", s.successor ? boost::json::value(*s.successor) : nullptr},
      {"replacement_draw", s.replacement_draw ? boost::json::value(*s.replacement_draw) : nullptr}};
}

boost::json::object committee_json(const eval::CommitteeView& v) {
  return {{"members", string_array(v.members)},
          {"reserves", string_array(v.reserves)},
          {"declared", string_array(v.declared)},
          {"vacant_seats", v.vacant_seats},
          {"pending_draw", v.pending_draw ? boost::json::value(*v.pending_draw) : nullptr}};
}

boost::json::object stage_json(const eval::StageResult& s, bool with_record) {
  boost::json::object o;
  if (with_record) o = s.record;
  o["log_index"] = idx(s.log_index);
  o["next"] = s.next;
  if (s.candidates) o["candidates"] = string_array(*s.candidates);
  if (s.winner) o["winner"] = *s.winner;
  return o;
}

boost::json::object marks_json(const std::vector<eval::MarksView>& marks) {
  boost::json::array items;
  for (const auto& m : marks) {
    items.push_back({{"member", m.member}, {"bid_id", m.bid_id}, {"review", m.marks}});
  }
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace sunbid::server
