#include "server/tender_view_cache.h"

#include <mutex>

namespace sunbid::server {

std::string TenderViewCache::key(std::string_view tender_id, const core::Actor& viewer) {
  // NUL-separated: none of the fields can contain a NUL.
  std::string k;
  k.reserve(tender_id.size() + viewer.role.size() + viewer.community_id.size() +
            viewer.enterprise_uscc.size() + viewer.owner_key.size() + 4);
  for (std::string_view part :
       {tender_id, std::string_view(viewer.role), std::string_view(viewer.community_id),
        std::string_view(viewer.enterprise_uscc), std::string_view(viewer.owner_key)}) {
    k.append(part);
    k.push_back('\0');
  }
  return k;
}

std::optional<Response> TenderViewCache::find(const std::string& key, std::uint64_t commits,
                                              std::int64_t now_ms) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.commits != commits || now_ms >= e.valid_until_ms) return std::nullopt;
  return e.answer;
}

void TenderViewCache::insert(std::string key, std::uint64_t commits, std::int64_t valid_until_ms,
                             const Response& answer) {
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries && !entries_.contains(key)) entries_.clear();
  entries_.insert_or_assign(std::move(key), Entry{commits, valid_until_ms, answer});
}

}  // namespace sunbid::server
