#include "evaluation/owners_vote.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace sunbid::eval {

namespace {

// Bound on areas and totals: keeps 3·x and sums far from int64 overflow.
constexpr std::int64_t kMaxTotal = std::int64_t{1} << 53;

// Open-addressing index from a key to its position, for the 10^6-owner tally:
// one flat array and no allocation per key (std::unordered_map's node per key
// dominated the tally time). Keys are views into strings the caller keeps.
class KeyIndex {
 public:
  static constexpr std::uint32_t kAbsent = UINT32_MAX;

  explicit KeyIndex(std::size_t expected) {
    std::size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, Slot{0, kAbsent});
    mask_ = capacity - 1;
    keys_.reserve(expected);
  }

  // Adds key with the next position; false if it was already there.
  bool insert(std::string_view key) {
    const std::uint64_t h = std::hash<std::string_view>{}(key);
    std::size_t pos = h & mask_;
    while (slots_[pos].index != kAbsent) {
      if (slots_[pos].hash == h && keys_[slots_[pos].index] == key) return false;
      pos = (pos + 1) & mask_;
    }
    slots_[pos] = Slot{h, static_cast<std::uint32_t>(keys_.size())};
    keys_.push_back(key);
    return true;
  }

  // The key's position, or kAbsent.
  std::uint32_t find(std::string_view key) const {
    const std::uint64_t h = std::hash<std::string_view>{}(key);
    std::size_t pos = h & mask_;
    while (slots_[pos].index != kAbsent) {
      if (slots_[pos].hash == h && keys_[slots_[pos].index] == key) return slots_[pos].index;
      pos = (pos + 1) & mask_;
    }
    return kAbsent;
  }

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint32_t index;
  };
  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  std::size_t mask_ = 0;
};

Error roster_error(std::string message, boost::json::object details = {}) {
  return make_error("invalid_roster", std::move(message), std::move(details));
}

}  // namespace

Result<RosterWeights> owner_weights_from_units(const std::vector<RosterUnit>& units) {
  std::vector<const RosterUnit*> by_unit;
  by_unit.reserve(units.size());
  for (const auto& u : units) {
    if (u.unit.empty() || u.owner_key.empty())
      return roster_error("房屋编号或业主标识为空 / unit id or owner key is empty");
    if (u.area_centi_m2 <= 0 || u.area_centi_m2 > kMaxTotal)
      return roster_error("专有部分面积必须为正 / unit area must be positive", {{"unit", u.unit}});
    by_unit.push_back(&u);
  }
  std::sort(by_unit.begin(), by_unit.end(),
            [](const RosterUnit* a, const RosterUnit* b) { return a->unit < b->unit; });
  for (std::size_t i = 1; i < by_unit.size(); ++i) {
    if (by_unit[i]->unit == by_unit[i - 1]->unit)
      return roster_error("房屋编号重复 / unit appears twice", {{"unit", by_unit[i]->unit}});
  }

  std::string developer_key;
  std::unordered_map<std::string_view, std::int64_t> area_by_owner;
  std::int64_t total = 0;
  for (const auto& u : units) {
    if (u.unsold) {
      if (developer_key.empty()) developer_key = u.owner_key;
      if (u.owner_key != developer_key)
        return roster_error(
            "未售房屋须归属同一开发建设单位标识 / unsold units must share the developer's owner "
            "key",
            {{"unit", u.unit}});
    }
    total += u.area_centi_m2;
    if (total > kMaxTotal) return roster_error("总面积超出范围 / total area out of range");
    area_by_owner[u.owner_key] += u.area_centi_m2;
  }
  // The developer's key may also hold `sold` units (sold but not yet
  // delivered): SPC art. 9 counts them with the developer, one person, as
  // the roster importer does (tender_core/roster.h). One roster rule
  // everywhere: a roster the importer accepted never deadlocks the vote.

  RosterWeights out;
  out.owners.reserve(area_by_owner.size());
  for (const auto& [key, area] : area_by_owner) out.owners.push_back({std::string(key), area});
  std::sort(out.owners.begin(), out.owners.end(),
            [](const OwnerWeight& a, const OwnerWeight& b) { return a.owner_key < b.owner_key; });
  out.total_area_centi_m2 = total;
  out.total_heads = static_cast<std::int64_t>(out.owners.size());
  return out;
}

std::vector<Ballot> last_ballot_per_owner(const std::vector<Ballot>& in_log_order) {
  std::unordered_map<std::string_view, std::size_t> last;
  last.reserve(in_log_order.size());
  for (std::size_t i = 0; i < in_log_order.size(); ++i) last[in_log_order[i].owner_key] = i;
  std::vector<Ballot> out;
  out.reserve(last.size());
  for (std::size_t i = 0; i < in_log_order.size(); ++i) {
    if (last[in_log_order[i].owner_key] == i) out.push_back(in_log_order[i]);
  }
  return out;
}

bool approves(Approval rule, std::int64_t area, std::int64_t heads, std::int64_t part_area,
              std::int64_t part_heads) {
  if (rule == Approval::kThreeQuarters) {
    // A zero participation approves nothing (the quorum fails first anyway).
    return part_heads > 0 && 4 * area >= 3 * part_area && 4 * heads >= 3 * part_heads;
  }
  return 2 * area > part_area && 2 * heads > part_heads;
}

Result<OwnersVoteResult> tally_owners_vote(const OwnersVoteInput& in) {
  if (in.total_area_centi_m2 <= 0 || in.total_area_centi_m2 > kMaxTotal || in.total_heads <= 0)
    return roster_error("业主总面积和总人数必须为正 / total area and headcount must be positive");

  if (in.owners.size() >= KeyIndex::kAbsent)
    return roster_error("业主人数超出范围 / too many owners");
  KeyIndex owner_index(in.owners.size());
  std::int64_t area_sum = 0;
  for (std::size_t i = 0; i < in.owners.size(); ++i) {
    const OwnerWeight& o = in.owners[i];
    if (o.owner_key.empty() || o.area_centi_m2 <= 0 || o.area_centi_m2 > kMaxTotal)
      return roster_error("业主标识为空或面积非正 / owner key empty or area not positive",
                          {{"owner_key", o.owner_key}});
    if (!owner_index.insert(o.owner_key))
      return roster_error("业主标识重复 / owner key appears twice", {{"owner_key", o.owner_key}});
    area_sum += o.area_centi_m2;
    if (area_sum > kMaxTotal) return roster_error("总面积超出范围 / total area out of range");
  }
  if (area_sum != in.total_area_centi_m2 ||
      static_cast<std::int64_t>(in.owners.size()) != in.total_heads) {
    return roster_error(
        "业主名册与总面积、总人数不符 / roster does not match total area and headcount",
        {{"sum_area_centi_m2", area_sum},
         {"total_area_centi_m2", in.total_area_centi_m2},
         {"owners", in.owners.size()},
         {"total_heads", in.total_heads}});
  }

  if (in.candidates.empty()) return make_error("invalid_candidates", "没有候选人 / no candidates");
  OwnersVoteResult out;
  std::vector<std::string> sorted_candidates = in.candidates;
  std::sort(sorted_candidates.begin(), sorted_candidates.end());
  KeyIndex candidate_index(sorted_candidates.size());
  for (std::size_t i = 0; i < sorted_candidates.size(); ++i) {
    if (i > 0 && sorted_candidates[i] == sorted_candidates[i - 1])
      return make_error("invalid_candidates", "候选人重复 / candidate appears twice",
                        {{"bid_id", sorted_candidates[i]}});
    out.candidates.push_back({sorted_candidates[i], 0, 0});
  }
  for (const CandidateTally& c : out.candidates) candidate_index.insert(c.bid_id);

  std::vector<std::uint8_t> voted(in.owners.size(), 0);
  for (const Ballot& b : in.ballots) {
    const std::uint32_t owner = owner_index.find(b.owner_key);
    if (owner == KeyIndex::kAbsent)
      return make_error("ballot_not_on_roster",
                        "投票人不在业主名册中 / ballot from an owner key not on the roster",
                        {{"owner_key", b.owner_key}});
    if (voted[owner]++ != 0)
      return make_error("duplicate_ballot",
                        "同一业主有多张有效选票 / more than one ballot for an owner key",
                        {{"owner_key", b.owner_key}});
    const std::int64_t area = in.owners[owner].area_centi_m2;
    out.participating_area_centi_m2 += area;
    out.participating_heads += 1;
    if (!b.candidate_bid_id) {
      out.abstain_area_centi_m2 += area;
      out.abstain_heads += 1;
      continue;
    }
    const std::uint32_t cand = candidate_index.find(*b.candidate_bid_id);
    if (cand == KeyIndex::kAbsent)
      return make_error("unknown_candidate",
                        "选票所选不是候选人 / ballot names a bid that is not a candidate",
                        {{"owner_key", b.owner_key}, {"bid_id", *b.candidate_bid_id}});
    out.candidates[cand].area_centi_m2 += area;
    out.candidates[cand].heads += 1;
  }

  out.total_area_centi_m2 = in.total_area_centi_m2;
  out.total_heads = in.total_heads;
  // All operands ≤ 2^53 (heads ≤ owners ≤ 2^32), so 3·x cannot overflow.
  out.area_quorum = 3 * out.participating_area_centi_m2 >= 2 * out.total_area_centi_m2;
  out.head_quorum = 3 * out.participating_heads >= 2 * out.total_heads;
  if (!out.area_quorum || !out.head_quorum) {
    out.outcome = OwnersVoteOutcome::kQuorumNotMet;
    return out;
  }
  for (const CandidateTally& c : out.candidates) {
    if (approves(in.approval, c.area_centi_m2, c.heads, out.participating_area_centi_m2,
                 out.participating_heads)) {
      // At most one candidate can hold more than half (or 3/4) of the area.
      out.outcome = OwnersVoteOutcome::kWinner;
      out.winner = c.bid_id;
      return out;
    }
  }
  out.outcome = OwnersVoteOutcome::kRunoff;
  std::vector<KeyedId> by_area;
  for (const CandidateTally& c : out.candidates) by_area.push_back({c.bid_id, c.area_centi_m2});
  out.runoff = cutoff(std::move(by_area), 2, Prefer::kLargest);
  return out;
}

}  // namespace sunbid::eval
