#include "evaluation/committee_draw.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "audit_log/canonical_json.h"
#include "evaluation/draw.h"

namespace sunbid::eval {

namespace {

constexpr std::string_view kPoolDomainTag = "sunbid/expert-pool/v1\n";

// Writes the serialization into a buffer sized in advance (one allocation for
// the whole pool; this loop dominates the draw for a 10^5 pool).
class Writer {
 public:
  explicit Writer(char* out) : p_(out) {}
  void u64(std::uint64_t v) {
    for (int b = 0; b < 8; ++b) *p_++ = static_cast<char>(v >> (56 - 8 * b));
  }
  void str(std::string_view s) {
    u64(s.size());
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void sorted_list(const std::vector<std::string>& list) {
    u64(list.size());
    if (std::is_sorted(list.begin(), list.end())) {  // the usual case: no copy
      for (const auto& s : list) str(s);
      return;
    }
    std::vector<std::string_view> sorted(list.begin(), list.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto s : sorted) str(s);
  }

 private:
  char* p_;
};

std::vector<std::string> sorted_distinct(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool contains(const std::vector<std::string>& sorted, const std::string& s) {
  return std::binary_search(sorted.begin(), sorted.end(), s);
}

std::vector<const Expert*> sorted_by_account(const std::vector<Expert>& pool) {
  // Sorting (account view, expert) pairs keeps the compared bytes one
  // indirection closer than sorting expert pointers.
  std::vector<std::pair<std::string_view, const Expert*>> keyed;
  keyed.reserve(pool.size());
  for (const auto& e : pool) keyed.emplace_back(e.account, &e);
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Expert*> order;
  order.reserve(pool.size());
  for (const auto& [account, e] : keyed) order.push_back(e);
  return order;
}

// Every account non-empty and listed once (`sorted` by account).
Status check_pool_accounts(const std::vector<const Expert*>& sorted) {
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i]->account.empty()) {
      return make_error("invalid_expert", "专家账号为空 / expert account is empty");
    }
    if (i > 0 && sorted[i]->account == sorted[i - 1]->account) {
      return make_error("duplicate_expert",
                        "专家库中账号重复 / expert account appears twice in the pool",
                        {{"account", sorted[i]->account}});
    }
  }
  return ok_status();
}

Hash digest_sorted(const std::vector<const Expert*>& sorted) {
  std::size_t size = kPoolDomainTag.size() + 8;
  for (const Expert* e : sorted) {
    size += 32 + e->account.size() + e->employer_uscc.size();
    for (const auto& s : e->specialties) size += 8 + s.size();
    for (const auto& s : e->related_usccs) size += 8 + s.size();
  }
  std::string buf(size, '\0');
  std::memcpy(buf.data(), kPoolDomainTag.data(), kPoolDomainTag.size());
  Writer w(buf.data() + kPoolDomainTag.size());
  w.u64(sorted.size());
  for (const Expert* e : sorted) {
    w.str(e->account);
    w.str(e->employer_uscc);
    w.sorted_list(e->specialties);
    w.sorted_list(e->related_usccs);
  }
  return sha256(buf);
}

boost::json::array sorted_distinct_array(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  boost::json::array a;
  for (auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

std::string expert_record_json(const Expert& e) {
  boost::json::object o{{"account", e.account},
                        {"employer_uscc", e.employer_uscc},
                        {"related_usccs", sorted_distinct_array(e.related_usccs)},
                        {"specialties", sorted_distinct_array(e.specialties)},
                        {"title", e.title}};
  auto c = audit::to_canonical_json(o);
  return c.ok() ? *c : std::string();  // strings and arrays only: cannot fail
}

Hash pool_leaf(const Hash& salt, const Expert& e) {
  Sha256 h;
  h.update(kPoolLeafTag);
  h.update(std::span<const std::uint8_t>(salt));
  h.update(expert_record_json(e));
  return h.finish();
}

Result<PoolSplit> split_pool(const std::vector<Expert>& pool,
                             const std::vector<std::string>& bidder_usccs,
                             const std::vector<std::string>& excluded_accounts) {
  const std::vector<const Expert*> sorted = sorted_by_account(pool);
  SUNBID_TRY(check_pool_accounts(sorted));
  const auto bidders = sorted_distinct(bidder_usccs);
  const auto excluded = sorted_distinct(excluded_accounts);
  PoolSplit out;
  for (const Expert* e : sorted) {
    const std::size_t before = out.exclusions.size();
    if (!e->employer_uscc.empty() && contains(bidders, e->employer_uscc)) {
      out.exclusions.push_back({e->account, "employed_by_bidder", e->employer_uscc});
    }
    for (const auto& uscc : e->related_usccs) {
      if (contains(bidders, uscc))
        out.exclusions.push_back({e->account, "related_to_bidder", uscc});
    }
    if (contains(excluded, e->account)) {
      out.exclusions.push_back({e->account, "takes_part_in_decision", ""});
    }
    if (out.exclusions.size() == before) out.eligible.push_back(*e);
  }
  std::sort(out.exclusions.begin(), out.exclusions.end(),
            [](const Exclusion& a, const Exclusion& b) {
              return std::tie(a.account, a.reason, a.bidder_uscc) <
                     std::tie(b.account, b.reason, b.bidder_uscc);
            });
  out.exclusions.erase(std::unique(out.exclusions.begin(), out.exclusions.end()),
                       out.exclusions.end());
  return out;
}

namespace {

// The sampler of draw_positions and draw_replacement_positions: the quotas
// in order, then the rest, `total` positions in all. `seats_limit`: refuse
// when the quotas alone need more positions (the fresh draw).
Result<std::vector<std::size_t>> sample_positions(const std::vector<Expert>& list,
                                                  const std::vector<SpecialtyQuota>& quotas,
                                                  std::size_t total,
                                                  std::optional<std::size_t> seats_limit,
                                                  const Hash& seed) {
  const auto has = [&](std::size_t pos, const std::string& specialty) {
    const auto& s = list[pos].specialties;
    return std::find(s.begin(), s.end(), specialty) != s.end();
  };
  DrawStream stream(seed);
  std::vector<bool> taken(list.size(), false);
  std::vector<std::size_t> drawn;
  for (const auto& q : quotas) {
    std::size_t have = 0;
    for (const auto p : drawn) have += has(p, q.specialty) ? 1 : 0;
    const std::size_t need = q.min > have ? q.min - have : 0;
    std::vector<std::size_t> qualifying;
    for (std::size_t p = 0; p < list.size(); ++p) {
      if (!taken[p] && has(p, q.specialty)) qualifying.push_back(p);
    }
    if (qualifying.size() < need || (seats_limit && drawn.size() + need > *seats_limit)) {
      boost::json::object details{
          {"specialty", q.specialty}, {"min", q.min}, {"qualifying", qualifying.size() + have}};
      if (seats_limit) details["seats"] = *seats_limit;
      return make_error("committee_specialty_unavailable",
                        "可抽取的该专业专家人数不足 / too few eligible experts of a required "
                        "specialty",
                        std::move(details));
    }
    if (need == 0) continue;
    for (const auto i : stream.sample(qualifying.size(), need)) {
      taken[qualifying[i]] = true;
      drawn.push_back(qualifying[i]);
    }
  }
  std::vector<std::size_t> rest;
  for (std::size_t p = 0; p < list.size(); ++p) {
    if (!taken[p]) rest.push_back(p);
  }
  for (const auto i : stream.sample(rest.size(), total - drawn.size())) drawn.push_back(rest[i]);
  return drawn;
}

}  // namespace

Result<PositionDraw> draw_positions(const std::vector<Expert>& list,
                                    const std::vector<SpecialtyQuota>& quotas,
                                    std::size_t committee_size, std::size_t reserve_size,
                                    const Hash& seed) {
  if (committee_size == 0) {
    return make_error("invalid_committee_size",
                      "评审委员会人数必须大于零 / committee size must be positive");
  }
  std::size_t quota_total = 0;
  for (const auto& q : quotas) quota_total += q.min;
  if (quota_total > committee_size) {
    return make_error("committee_specialties_invalid",
                      "专业人数要求之和超过评审委员会人数 / the specialty minimums exceed the "
                      "committee size",
                      {{"committee_size", committee_size}, {"minimums", quota_total}});
  }
  if (list.size() < committee_size) {
    return make_error("too_few_experts",
                      "可抽取的专家人数不足 / too few eligible experts for the committee",
                      {{"eligible", list.size()}, {"committee_size", committee_size}});
  }
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::size_t> drawn,
      sample_positions(list, quotas, std::min(list.size(), committee_size + reserve_size),
                       std::nullopt, seed));
  PositionDraw out;
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    (i < committee_size ? out.members : out.reserves).push_back(drawn[i]);
  }
  return out;
}

Hash expert_pool_digest(const std::vector<Expert>& pool) {
  return digest_sorted(sorted_by_account(pool));
}

Result<CommitteeDraw> draw_committee(const std::vector<Expert>& pool,
                                     const std::vector<std::string>& bidder_usccs,
                                     const std::vector<std::string>& excluded_accounts,
                                     std::size_t committee_size, std::size_t reserve_size,
                                     const Hash& seed) {
  if (committee_size == 0) {
    return make_error("invalid_committee_size",
                      "评审委员会人数必须大于零 / committee size must be positive");
  }
  const std::vector<const Expert*> sorted = sorted_by_account(pool);
  SUNBID_TRY(check_pool_accounts(sorted));

  CommitteeDraw out;
  out.seed = seed;
  out.committee_size = committee_size;
  out.reserve_size = reserve_size;
  out.bidder_usccs = sorted_distinct(bidder_usccs);
  out.excluded_accounts = sorted_distinct(excluded_accounts);
  out.pool_size = sorted.size();
  out.pool_digest = digest_sorted(sorted);

  std::vector<const Expert*> eligible;
  eligible.reserve(sorted.size());
  for (const Expert* e : sorted) {
    const std::size_t before = out.exclusions.size();
    if (!e->employer_uscc.empty() && contains(out.bidder_usccs, e->employer_uscc)) {
      out.exclusions.push_back({e->account, "employed_by_bidder", e->employer_uscc});
    }
    for (const auto& uscc : e->related_usccs) {
      if (contains(out.bidder_usccs, uscc)) {
        out.exclusions.push_back({e->account, "related_to_bidder", uscc});
      }
    }
    if (contains(out.excluded_accounts, e->account)) {
      out.exclusions.push_back({e->account, "takes_part_in_decision", ""});
    }
    if (out.exclusions.size() == before) eligible.push_back(e);
  }
  std::sort(out.exclusions.begin(), out.exclusions.end(),
            [](const Exclusion& a, const Exclusion& b) {
              return std::tie(a.account, a.reason, a.bidder_uscc) <
                     std::tie(b.account, b.reason, b.bidder_uscc);
            });
  // A relation declared twice gives one record.
  out.exclusions.erase(std::unique(out.exclusions.begin(), out.exclusions.end()),
                       out.exclusions.end());
  out.eligible_count = eligible.size();

  if (eligible.size() < committee_size) {
    return make_error("too_few_experts",
                      "可抽取的专家人数不足 / too few eligible experts for the committee",
                      {{"pool_size", out.pool_size},
                       {"excluded", out.pool_size - out.eligible_count},
                       {"eligible", out.eligible_count},
                       {"committee_size", committee_size}});
  }

  DrawStream stream(seed);
  const std::size_t k = std::min(eligible.size(), committee_size + reserve_size);
  const std::vector<std::size_t> picked = stream.sample(eligible.size(), k);
  for (std::size_t i = 0; i < picked.size(); ++i) {
    (i < committee_size ? out.members : out.reserves).push_back(eligible[picked[i]]->account);
  }
  return out;
}

Result<std::vector<std::size_t>> draw_replacement_positions(
    const std::vector<Expert>& list, const std::vector<SpecialtyQuota>& quotas, std::size_t seats,
    const Hash& seed) {
  if (seats == 0) {
    return make_error("invalid_committee_size",
                      "补抽席位数必须大于零 / the number of seats to draw must be positive");
  }
  if (list.size() < seats) {
    return make_error("too_few_experts",
                      "可抽取的专家人数不足 / too few eligible experts for the vacant seats",
                      {{"eligible", list.size()}, {"committee_size", seats}});
  }
  return sample_positions(list, quotas, seats, seats, seed);
}

std::optional<std::size_t> next_reserve(const std::vector<std::vector<std::string>>& seated,
                                        const std::vector<std::vector<std::string>>& reserves,
                                        const std::vector<SpecialtyQuota>& quotas) {
  if (reserves.empty()) return std::nullopt;
  const auto has = [](const std::vector<std::string>& s, const std::string& specialty) {
    return std::find(s.begin(), s.end(), specialty) != s.end();
  };
  for (const auto& q : quotas) {
    std::size_t have = 0;
    for (const auto& s : seated) have += has(s, q.specialty) ? 1 : 0;
    if (have >= q.min) continue;
    for (std::size_t i = 0; i < reserves.size(); ++i) {
      if (has(reserves[i], q.specialty)) return i;
    }
    // No reserve holds it: the seat goes to a fresh draw (replacement-N).
    return std::nullopt;
  }
  return 0;
}

}  // namespace sunbid::eval
