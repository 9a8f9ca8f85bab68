// The server digest key: a 32-byte secret, generated once per data directory
// and kept like the log's signing key (DATA_DIR/digest.key, mode 0600,
// refused when group or others may read it). It salts the per-entry source
// digests (docs/audit-entry.md): the salt of entry n's address digest is
// HMAC-SHA-256(key, be64(n) ‖ kind), so no two entries share a salt and
// nobody without the key can link them, while the server (for a supervisor)
// can recompute any entry's salt and open its digest.
//
// Thread-safety: immutable after load; safe for concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::audit {

class DigestKey {
 public:
  // Loads DATA_DIR/digest.key, creating it (O_EXCL, 0600, fsync) when
  // absent. Errors: `key_file_permissions` (readable by group or others),
  // `key_file_io`, `key_file_invalid`.
  static Result<DigestKey> load_or_create(const std::filesystem::path& file);
  // For tests: a key from fixed bytes.
  explicit DigestKey(const std::array<std::uint8_t, 32>& bytes) : key_(bytes) {}

  // HMAC-SHA-256(key, be64(index) ‖ kind): the salt of one entry's digest.
  Hash entry_salt(std::uint64_t index, std::string_view kind) const;
  // hex(SHA-256(entry_salt(index, kind) ‖ value)): the digest entry `index`
  // carries for `value`.
  std::string entry_digest(std::uint64_t index, std::string_view kind,
                           std::string_view value) const;

 private:
  std::array<std::uint8_t, 32> key_{};
};

// The digest key's file inside a data directory.
inline std::filesystem::path digest_key_file(const std::filesystem::path& data_dir) {
  return data_dir / "digest.key";
}

}  // namespace sunbid::audit
