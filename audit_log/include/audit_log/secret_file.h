// A 32-byte secret kept in a file of its own (the digest key, the
// activation key): 64 lowercase hex characters and a line feed, mode 0600.
//
// load_or_create_secret_file opens the file, or creates it with 32 fresh
// random bytes (RAND_bytes) when it does not exist: O_CREAT | O_EXCL (a
// process that loses the race loads the winner's), written, fsynced, its
// directory fsynced; never followed through a symbolic link. A file that
// group or others may access is refused, as is one that is not 64 hex
// characters. Buffers holding the secret are cleansed.
//
// Errors name the key in both languages (`what_zh`, `what_en`, e.g. "摘要密钥",
// "digest key"): `key_file_io` (with details.path), `key_file_permissions`
// (details.mode), `key_file_invalid`, `crypto_failure`.
//
// Thread-safety: safe for concurrent use (the file system arbitrates).
#pragma once

#include <filesystem>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::audit {

// The secret's bytes; the caller cleanses its copy when done.
Result<Hash> load_or_create_secret_file(const std::filesystem::path& file, std::string_view what_zh,
                                        std::string_view what_en);

}  // namespace sunbid::audit
