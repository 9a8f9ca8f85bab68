#include "evaluation/committee_draw.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "evaluation/draw.h"

namespace sunbid::eval {

namespace {

constexpr std::string_view kPoolDomainTag = "sunbid/expert-pool/v1\n";

void put_u64(std::string& out, std::uint64_t v) {
  for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>(v >> (56 - 8 * b)));
}

void put_str(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}

void put_sorted_list(std::string& out, std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  put_u64(out, list.size());
  for (const auto& s : list) put_str(out, s);
}

std::vector<std::string> sorted_distinct(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool contains(const std::vector<std::string>& sorted, const std::string& s) {
  return std::binary_search(sorted.begin(), sorted.end(), s);
}

std::vector<const Expert*> sorted_by_account(const std::vector<Expert>& pool) {
  std::vector<const Expert*> order;
  order.reserve(pool.size());
  for (const auto& e : pool) order.push_back(&e);
  std::sort(order.begin(), order.end(),
            [](const Expert* a, const Expert* b) { return a->account < b->account; });
  return order;
}

Hash digest_sorted(const std::vector<const Expert*>& sorted) {
  std::string buf(kPoolDomainTag);
  put_u64(buf, sorted.size());
  for (const Expert* e : sorted) {
    put_str(buf, e->account);
    put_str(buf, e->employer_uscc);
    put_sorted_list(buf, e->specialties);
    put_sorted_list(buf, e->related_usccs);
  }
  return sha256(buf);
}

}  // namespace

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
    for (const auto& uscc : sorted_distinct(e->related_usccs)) {
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

}  // namespace sunbid::eval
