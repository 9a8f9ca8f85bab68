#include "evaluation/scoring.h"

#include <algorithm>
#include <cassert>
#include <unordered_set>

#include "tender_core/bid_commitment.h"

namespace sunbid::eval {

namespace {

constexpr std::int64_t kFullScore = 10'000;  // 100.00 points in hundredths
// The reveal's bound (tender_core): every revealed price can be scored.
constexpr std::int64_t kMaxPriceFen = core::kMaxBidPriceFen;
constexpr std::int64_t kMaxK = 1'000'000;

Error candidates_error(std::string message, boost::json::object details = {}) {
  return make_error("invalid_candidates", std::move(message), std::move(details));
}

// Non-empty, distinct ids.
Status check_ids(std::vector<std::string> ids, std::string_view code, std::string_view what) {
  if (ids.empty()) return make_error(std::string(code), std::string(what) + "为空 / list is empty");
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty())
      return make_error(std::string(code), std::string(what) + "中有空标识 / empty id in list");
    if (i > 0 && ids[i] == ids[i - 1])
      return make_error(std::string(code), std::string(what) + "中标识重复 / id appears twice",
                        {{"id", ids[i]}});
  }
  return ok_status();
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Checks votes against members and candidates; returns per-candidate counts
// (sorted by bid id, every candidate present) and the votes sorted by member.
Result<std::vector<VoteCount>> count_votes(const std::vector<std::string>& members,
                                           const std::vector<std::string>& candidates,
                                           const std::vector<MemberVote>& votes) {
  SUNBID_TRY(check_ids(members, "invalid_members", "决策成员名单"));
  SUNBID_TRY(check_ids(candidates, "invalid_candidates", "候选人名单"));
  const std::vector<std::string> sorted_members = sorted(members);
  std::vector<VoteCount> tally;
  for (const auto& c : sorted(candidates)) tally.push_back({c, 0});
  std::unordered_set<std::string> voted;
  for (const MemberVote& v : votes) {
    if (!std::binary_search(sorted_members.begin(), sorted_members.end(), v.member))
      return make_error("vote_by_non_member", "投票人不是决策成员 / vote by someone not a member",
                        {{"member", v.member}});
    if (!voted.insert(v.member).second)
      return make_error("duplicate_vote", "同一成员本轮重复投票 / member voted twice in one round",
                        {{"member", v.member}});
    auto it =
        std::lower_bound(tally.begin(), tally.end(), v.bid_id,
                         [](const VoteCount& c, const std::string& id) { return c.bid_id < id; });
    if (it == tally.end() || it->bid_id != v.bid_id)
      return make_error("vote_for_non_candidate",
                        "所投对象不是本轮候选人 / vote for a bid that is not a candidate",
                        {{"member", v.member}, {"bid_id", v.bid_id}});
    ++it->votes;
  }
  return tally;
}

std::vector<MemberVote> sorted_votes(std::vector<MemberVote> votes) {
  std::sort(votes.begin(), votes.end(),
            [](const MemberVote& a, const MemberVote& b) { return a.member < b.member; });
  return votes;
}

}  // namespace

std::uint64_t round_half_up(Uint128 a, Uint128 b) {
  assert(b > 0);
  return static_cast<std::uint64_t>((2 * a + b) / (2 * b));
}

Decision decide_among(std::vector<std::string> best, const std::optional<Hash>& seed) {
  std::sort(best.begin(), best.end());
  Decision d;
  if (best.empty()) {
    d.kind = Decision::Kind::kFailed;
    return d;
  }
  if (best.size() == 1) {
    d.kind = Decision::Kind::kWinner;
    d.winner = best.front();
    return d;
  }
  d.tied = best;
  if (!seed) {
    d.kind = Decision::Kind::kNeedsDraw;
    return d;
  }
  d.kind = Decision::Kind::kWinner;
  d.winner = draw_among(std::move(best), 1, *seed).front();
  d.by_draw = true;
  d.seed = seed;
  return d;
}

Result<CompositeResult> composite_score(const CompositeParams& params,
                                        const std::vector<CompositeCandidate>& candidates,
                                        const std::optional<Hash>& tie_seed) {
  const auto bad_param = [](std::string what) {
    return make_error("invalid_parameters",
                      "综合评分参数无效 / composite-score parameter is invalid",
                      {{"parameter", std::move(what)}});
  };
  for (std::int64_t w : {params.weight_price_bp, params.weight_credit_bp, params.weight_star_bp}) {
    if (w < 0 || w > kFullScore) return bad_param("weights");
  }
  if (params.weight_price_bp + params.weight_credit_bp + params.weight_star_bp != 10'000)
    return bad_param("weights");
  if (params.k_above < 0 || params.k_above > kMaxK) return bad_param("k_above");
  if (params.k_below < 0 || params.k_below > kMaxK) return bad_param("k_below");

  std::vector<std::string> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) ids.push_back(c.bid_id);
  SUNBID_TRY(check_ids(ids, "invalid_candidates", "候选人名单"));
  for (const auto& c : candidates) {
    if (c.price_fen <= 0 || c.price_fen > kMaxPriceFen)
      return candidates_error("报价必须为正 / price must be positive", {{"bid_id", c.bid_id}});
    if (c.credit_score < 0 || c.credit_score > kFullScore)
      return candidates_error("信用分超出 0–10000 / credit score outside 0–10000",
                              {{"bid_id", c.bid_id}});
    if (c.stars < 0 || c.stars > 5)
      return candidates_error("星级超出 0–5 / star rating outside 0–5", {{"bid_id", c.bid_id}});
  }

  CompositeResult out;
  out.params = params;
  out.candidates = candidates;
  std::sort(
      out.candidates.begin(), out.candidates.end(),
      [](const CompositeCandidate& a, const CompositeCandidate& b) { return a.bid_id < b.bid_id; });

  if (params.benchmark == CompositeParams::Benchmark::kMean) {
    Uint128 sum = 0;
    for (const auto& c : out.candidates) sum += static_cast<std::uint64_t>(c.price_fen);
    out.benchmark_fen = static_cast<std::int64_t>(round_half_up(sum, out.candidates.size()));
  } else {
    out.benchmark_fen =
        std::min_element(out.candidates.begin(), out.candidates.end(),
                         [](const auto& a, const auto& b) { return a.price_fen < b.price_fen; })
            ->price_fen;
  }
  const std::int64_t b = out.benchmark_fen;  // > 0: every price is > 0

  std::int64_t best_total = -1;
  std::vector<std::string> best;
  for (const auto& c : out.candidates) {
    CompositeScore s;
    s.bid_id = c.bid_id;
    const std::int64_t k = c.price_fen > b ? params.k_above : params.k_below;
    const std::uint64_t deviation =
        static_cast<std::uint64_t>(c.price_fen > b ? c.price_fen - b : b - c.price_fen);
    const std::uint64_t deduction =
        round_half_up(static_cast<Uint128>(k) * deviation * 100, static_cast<std::uint64_t>(b));
    s.price_score = deduction >= static_cast<std::uint64_t>(kFullScore)
                        ? 0
                        : kFullScore - static_cast<std::int64_t>(deduction);
    s.credit_score = c.credit_score;
    s.star_score = c.stars * 2'000;
    const std::int64_t weighted = params.weight_price_bp * s.price_score +
                                  params.weight_credit_bp * s.credit_score +
                                  params.weight_star_bp * s.star_score;  // ≤ 10^8
    s.total =
        static_cast<std::int64_t>(round_half_up(static_cast<std::uint64_t>(weighted), 10'000));
    if (s.total > best_total) {
      best_total = s.total;
      best.clear();
    }
    if (s.total == best_total) best.push_back(c.bid_id);
    out.scores.push_back(std::move(s));
  }
  out.decision = decide_among(std::move(best), tie_seed);
  return out;
}

Result<LowestPriceResult> lowest_price(const std::vector<PricedCandidate>& candidates,
                                       const std::optional<Hash>& tie_seed) {
  std::vector<std::string> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) ids.push_back(c.bid_id);
  SUNBID_TRY(check_ids(ids, "invalid_candidates", "候选人名单"));
  LowestPriceResult out;
  out.candidates = candidates;
  std::sort(out.candidates.begin(), out.candidates.end(),
            [](const PricedCandidate& a, const PricedCandidate& b) { return a.bid_id < b.bid_id; });
  out.lowest_price_fen = out.candidates.front().price_fen;
  for (const auto& c : out.candidates) {
    if (c.price_fen <= 0)
      return candidates_error("报价必须为正 / price must be positive", {{"bid_id", c.bid_id}});
    out.lowest_price_fen = std::min(out.lowest_price_fen, c.price_fen);
  }
  std::vector<std::string> best;
  for (const auto& c : out.candidates) {
    if (c.price_fen == out.lowest_price_fen) best.push_back(c.bid_id);
  }
  out.decision = decide_among(std::move(best), tie_seed);
  return out;
}

Result<Decision> lottery(const std::vector<std::string>& candidate_ids, const Hash& seed) {
  SUNBID_TRY(check_ids(candidate_ids, "invalid_candidates", "候选人名单"));
  Decision d;
  d.kind = Decision::Kind::kWinner;
  d.tied = sorted(candidate_ids);
  d.winner = draw_among(d.tied, 1, seed).front();
  d.by_draw = true;
  d.seed = seed;
  return d;
}

Result<CommitteeRound> committee_vote_round(const std::vector<std::string>& members,
                                            const std::vector<std::string>& remaining,
                                            const std::vector<MemberVote>& votes,
                                            const std::optional<Hash>& elimination_seed) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<VoteCount> tally, count_votes(members, remaining, votes));
  CommitteeRound out;
  out.members = sorted(members);
  out.remaining = sorted(remaining);
  out.votes = sorted_votes(votes);
  out.tally = tally;
  const auto all_members = static_cast<std::int64_t>(members.size());
  for (const VoteCount& c : tally) {
    if (2 * c.votes > all_members) {
      out.kind = CommitteeRound::Kind::kWinner;
      out.winner = c.bid_id;
      return out;
    }
  }
  if (tally.size() == 1) {
    // The last candidate standing still lacks a majority of all members.
    out.kind = CommitteeRound::Kind::kFailed;
    return out;
  }
  std::int64_t fewest = tally.front().votes;
  for (const VoteCount& c : tally) fewest = std::min(fewest, c.votes);
  std::vector<std::string> last;
  for (const VoteCount& c : tally) {
    if (c.votes == fewest) last.push_back(c.bid_id);
  }
  if (last.size() >= 2) out.fewest = last;
  Decision pick = decide_among(std::move(last), elimination_seed);
  if (pick.kind == Decision::Kind::kNeedsDraw) {
    out.kind = CommitteeRound::Kind::kNeedsDraw;
    return out;
  }
  if (pick.by_draw) out.seed = pick.seed;
  out.kind = CommitteeRound::Kind::kEliminated;
  out.eliminated = pick.winner;  // "winner" of the elimination draw
  for (const auto& c : out.remaining) {
    if (c != out.eliminated) out.next_round.push_back(c);
  }
  return out;
}

Result<VoteThenLotteryResult> vote_then_lottery(const std::vector<std::string>& members,
                                                const std::vector<std::string>& candidates,
                                                const std::vector<MemberVote>& votes,
                                                std::size_t shortlist_size,
                                                const std::optional<Hash>& shortlist_seed,
                                                const std::optional<Hash>& lottery_seed) {
  if (shortlist_size == 0)
    return make_error("invalid_parameters", "入围数量必须大于零 / shortlist size must be positive",
                      {{"parameter", "shortlist_size"}});
  SUNBID_ASSIGN_OR_RETURN(std::vector<VoteCount> tally, count_votes(members, candidates, votes));
  VoteThenLotteryResult out;
  out.members = sorted(members);
  out.votes = sorted_votes(votes);
  out.shortlist_size = shortlist_size;
  out.tally = tally;
  std::vector<KeyedId> keyed;
  keyed.reserve(tally.size());
  for (const VoteCount& c : tally) keyed.push_back({c.bid_id, c.votes});
  out.shortlist_cutoff = cutoff(std::move(keyed), shortlist_size, Prefer::kLargest);
  if (out.shortlist_cutoff.needs_draw() && !shortlist_seed) {
    out.waiting_for_shortlist_draw = true;
    out.decision.kind = Decision::Kind::kNeedsDraw;
    out.decision.tied = out.shortlist_cutoff.tied;
    return out;
  }
  out.shortlist = out.shortlist_cutoff.needs_draw()
                      ? resolve_cutoff(out.shortlist_cutoff, *shortlist_seed)
                      : out.shortlist_cutoff.certain;
  out.decision = decide_among(*out.shortlist, lottery_seed);
  return out;
}

}  // namespace sunbid::eval
