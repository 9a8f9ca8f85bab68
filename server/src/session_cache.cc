#include "server/session_cache.h"

#include <openssl/crypto.h>

#include <cstring>
#include <mutex>

namespace sunbid::server {

Hash session_token_hash(const accounts::SessionToken& token) {
  return sha256(std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
}

std::size_t SessionCache::KeyHash::operator()(const Hash& h) const noexcept {
  // The key is already a uniformly distributed digest.
  std::size_t v;
  std::memcpy(&v, h.data(), sizeof v);
  return v;
}

std::optional<accounts::SessionInfo> SessionCache::find(const Hash& token_hash,
                                                        std::int64_t now_ms) {
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(token_hash);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    bool same = CRYPTO_memcmp(e.token_hash.data(), token_hash.data(), token_hash.size()) == 0;
    if (same && e.session.expires_ms > now_ms) return e.session;
  }
  erase(token_hash);
  return std::nullopt;
}

void SessionCache::insert(const Hash& token_hash, const accounts::SessionInfo& session,
                          std::int64_t now_ms) {
  if (session.expires_ms <= now_ms) return;
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries) {
    std::erase_if(entries_,
                  [now_ms](const auto& kv) { return kv.second.session.expires_ms <= now_ms; });
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  Entry e{token_hash, session};
  // Nothing after authentication needs the password hash: keep it out of
  // long-lived memory.
  e.session.account.password = accounts::PasswordHash{};
  entries_.insert_or_assign(token_hash, std::move(e));
}

void SessionCache::erase(const Hash& token_hash) {
  std::unique_lock lock(mu_);
  entries_.erase(token_hash);
}

void SessionCache::erase_account(const std::string& account_id, const Hash* keep) {
  std::unique_lock lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.session.account.id == account_id && (keep == nullptr || kv.first != *keep);
  });
}

std::size_t SessionCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace sunbid::server
