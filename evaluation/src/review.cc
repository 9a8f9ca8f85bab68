#include "evaluation/review.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace sunbid::eval {

namespace {

// Blank = only ASCII whitespace and U+3000 (ideographic space, E3 80 80),
// which an IME easily produces instead of a reason.
bool is_blank(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      ++i;
    } else if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

Status check_list(const std::vector<std::string>& list, const char* code, const char* what) {
  if (list.empty()) return make_error(code, std::string(what) + "为空 / list is empty");
  std::vector<std::string> sorted = list;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].empty()) return make_error(code, std::string(what) + "中有空标识 / empty id");
    if (i > 0 && sorted[i] == sorted[i - 1])
      return make_error(code, std::string(what) + "中标识重复 / id appears twice",
                        {{"id", sorted[i]}});
  }
  return ok_status();
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

Status validate_review_submission(const std::vector<std::string>& members,
                                  const std::vector<std::string>& bids,
                                  const std::vector<std::string>& criteria,
                                  const ReviewSubmission& submission) {
  if (!contains(members, submission.member))
    return make_error("not_a_committee_member",
                      "提交人不是评审委员会成员 / submitter is not a committee member",
                      {{"member", submission.member}});
  if (!contains(bids, submission.bid_id))
    return make_error("unknown_bid", "所评投标不是有效投标 / bid is not a valid bid",
                      {{"bid_id", submission.bid_id}});
  std::set<std::string> seen;
  for (const CriterionMark& m : submission.marks) {
    if (!contains(criteria, m.criterion))
      return make_error("unknown_criterion",
                        "评审因素不在招标文件中 / criterion is not in the tender",
                        {{"criterion", m.criterion}});
    if (!seen.insert(m.criterion).second)
      return make_error("criterion_marked_twice", "同一评审因素评了两次 / criterion marked twice",
                        {{"criterion", m.criterion}});
    if (!m.pass && is_blank(m.reason))
      return make_error("fail_without_reason", "不合格必须说明理由 / a fail needs a reason",
                        {{"criterion", m.criterion}});
  }
  for (const std::string& c : criteria) {
    if (!seen.count(c))
      return make_error("criterion_not_marked", "有评审因素未评 / a criterion is not marked",
                        {{"criterion", c}});
  }
  return ok_status();
}

Result<ReviewOutcome> aggregate_review(const std::vector<std::string>& members,
                                       const std::vector<std::string>& bids,
                                       const std::vector<std::string>& criteria,
                                       const std::vector<ReviewSubmission>& submissions) {
  SUNBID_TRY(check_list(members, "invalid_committee", "评审委员会名单"));
  SUNBID_TRY(check_list(bids, "invalid_bids", "有效投标名单"));
  SUNBID_TRY(check_list(criteria, "invalid_criteria", "评审因素"));

  std::map<std::pair<std::string, std::string>, const ReviewSubmission*> by_member_bid;
  for (const ReviewSubmission& s : submissions) {
    SUNBID_TRY(validate_review_submission(members, bids, criteria, s));
    if (!by_member_bid.emplace(std::make_pair(s.member, s.bid_id), &s).second)
      return make_error("duplicate_submission",
                        "同一成员对同一投标提交了两次 / member reviewed the bid twice",
                        {{"member", s.member}, {"bid_id", s.bid_id}});
  }

  ReviewOutcome out;
  out.members = members;
  std::sort(out.members.begin(), out.members.end());
  out.criteria = criteria;
  std::vector<std::string> sorted_bids = bids;
  std::sort(sorted_bids.begin(), sorted_bids.end());

  const std::size_t expected = members.size() * bids.size();
  if (by_member_bid.size() != expected) {
    boost::json::object details{{"missing", expected - by_member_bid.size()}};
    for (const auto& b : sorted_bids) {
      for (const auto& m : out.members) {
        if (!by_member_bid.count({m, b}) && !details.contains("member")) {
          details["member"] = m;
          details["bid_id"] = b;
        }
      }
    }
    return make_error("review_incomplete", "评审尚未完成 / the review is not complete",
                      std::move(details));
  }

  const auto committee = static_cast<std::int64_t>(members.size());
  for (const std::string& bid : sorted_bids) {
    BidReview review;
    review.bid_id = bid;
    review.qualified = true;
    for (const std::string& criterion : criteria) {
      CriterionOutcome c;
      c.criterion = criterion;
      for (const std::string& member : out.members) {
        const ReviewSubmission* s = by_member_bid.at({member, bid});
        const auto mark =
            std::find_if(s->marks.begin(), s->marks.end(),
                         [&](const CriterionMark& m) { return m.criterion == criterion; });
        if (mark->pass) {
          ++c.pass_count;
        } else {
          ++c.fail_count;
          c.reasons.push_back({member, mark->reason});
        }
      }
      c.failed = 2 * c.fail_count > committee;
      if (c.failed) review.qualified = false;
      review.criteria.push_back(std::move(c));
    }
    if (review.qualified) out.qualified.push_back(bid);
    out.bids.push_back(std::move(review));
  }
  return out;
}

Result<CandidateList> narrow_candidates(const std::vector<QualifiedBid>& qualified, std::size_t cap,
                                        CapMethod method, const std::optional<Hash>& seed) {
  if (cap == 0)
    return make_error("invalid_parameters",
                      "候选人数上限必须大于零 / candidate cap must be positive",
                      {{"parameter", "cap"}});
  CandidateList out;
  out.method = method;
  out.cap = cap;
  out.qualified = qualified;
  std::sort(out.qualified.begin(), out.qualified.end(),
            [](const QualifiedBid& a, const QualifiedBid& b) { return a.bid_id < b.bid_id; });
  for (std::size_t i = 0; i < out.qualified.size(); ++i) {
    const QualifiedBid& q = out.qualified[i];
    if (q.bid_id.empty() || (i > 0 && q.bid_id == out.qualified[i - 1].bid_id))
      return make_error("invalid_bids", "投标标识为空或重复 / bid id empty or repeated",
                        {{"bid_id", q.bid_id}});
    if (method == CapMethod::kLowestPrice && q.price_fen <= 0)
      return make_error("invalid_bids", "报价必须为正 / price must be positive",
                        {{"bid_id", q.bid_id}});
  }

  if (method == CapMethod::kLowestPrice) {
    std::vector<KeyedId> by_price;
    for (const auto& q : out.qualified) by_price.push_back({q.bid_id, q.price_fen});
    out.cutoff = cutoff(std::move(by_price), cap, Prefer::kSmallest);
  } else {
    for (const auto& q : out.qualified) {
      (out.qualified.size() <= cap ? out.cutoff.certain : out.cutoff.tied).push_back(q.bid_id);
    }
    if (out.qualified.size() > cap) out.cutoff.draw_count = cap;
  }

  if (!out.cutoff.needs_draw()) {
    out.candidates = out.cutoff.certain;
  } else if (seed) {
    out.seed = seed;
    out.candidates = resolve_cutoff(out.cutoff, *seed);
  }
  return out;
}

}  // namespace sunbid::eval
