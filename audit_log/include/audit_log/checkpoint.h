// C2SP tlog-checkpoint bodies inside C2SP signed notes, signed with Ed25519.
// The formats, byte for byte, are in docs/checkpoint.md.
//
// Checkpoint body (c2sp.org/tlog-checkpoint):
//   <origin>\n<decimal tree size>\n<base64 of the 32-byte RFC 6962 root>\n[<extension>\n]...
// Signed note (c2sp.org/signed-note, golang.org/x/mod/sumdb/note):
//   <text, ending in \n>\n— <key name> <base64(4-byte key id ‖ signature)>\n ...
//   Ed25519 key id = first 4 bytes (big-endian) of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
// Verifier key: <name>+<8 lowercase hex key id>+<base64(0x01 ‖ 32-byte public key)>.
// Signer key file (the Go note package's skey form, one line, mode 0600):
//   PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte Ed25519 seed)>\n
//
// Parsing is strict: a note is valid UTF-8 without ASCII control characters
// other than \n, at most 100 signature lines; key names are non-empty, without
// Unicode white space, '+' or control characters; base64 is the canonical
// standard alphabet with padding; the tree size has no leading zero.
//
// Thread-safety: free functions are safe for concurrent use. A Verifier is an
// immutable value, safe for concurrent use. A SigningKey is safe for concurrent
// sign_note / verifier_key calls (each call uses its own OpenSSL context).
//
// Error codes: checkpoint_malformed, note_malformed, note_unverified,
// signature_invalid, checkpoint_origin_mismatch, verifier_key_malformed,
// verifier_key_hash_mismatch, verifier_key_algorithm_unknown,
// signer_key_malformed, signer_key_hash_mismatch, key_name_invalid,
// key_name_mismatch, key_file_permissions, key_file_io, crypto_failure.
// Details name the offending line or field; they never carry private key bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace sunbid::audit {

// A signed tree head: the log `origin` committed to `root` at `size` leaves.
struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  // Optional extension lines, each non-empty and without "\n" (NOT RECOMMENDED
  // by the spec; sunbid writes none, but parses them so it never rejects a
  // well-formed checkpoint).
  std::vector<std::string> extensions;

  bool operator==(const Checkpoint&) const = default;
};

// REQUIRES: check_checkpoint(cp) is ok (a valid origin and extensions).
std::string format_checkpoint_body(const Checkpoint& cp);
// Checks that format_checkpoint_body(cp) would be a valid, parseable note text.
Status check_checkpoint(const Checkpoint& cp);
Result<Checkpoint> parse_checkpoint_body(std::string_view text);

// One "— <name> <base64>" line of a signed note, decoded.
struct SignatureLine {
  std::string name;
  std::uint32_t key_id = 0;
  std::vector<std::uint8_t> signature;  // the bytes after the 4-byte key id

  bool operator==(const SignatureLine&) const = default;
};

struct SignedNote {
  std::string text;  // ends in "\n"
  std::vector<SignatureLine> signatures;
};

// Valid UTF-8, ends in "\n", no ASCII control character but "\n".
Status check_note_text(std::string_view text);
bool is_valid_key_name(std::string_view name);
std::uint32_t ed25519_key_id(std::string_view name, std::span<const std::uint8_t, 32> public_key);

// Shape only: splits text and signature lines and decodes them. No signature is
// checked. Error `note_malformed` (details: reason).
Result<SignedNote> parse_signed_note(std::string_view note);
// Shape only: a signed note whose text is a checkpoint body.
Result<std::pair<Checkpoint, std::vector<SignatureLine>>> parse_signed_checkpoint(
    std::string_view note);

// The log's Ed25519 signing key.
// Invariant: key_id() == ed25519_key_id(name(), public key); the private key
// never leaves this object except into its key file.
class SigningKey {
 public:
  // Loads the key from `file`, or generates one there on first use (created
  // with O_CREAT|O_EXCL and mode 0600, written, fsynced, then renamed into
  // place without replacing a file that appeared meanwhile). Refuses a key file
  // readable or writable by group or others, a file that is not a regular file,
  // and a file whose key is named other than `name`.
  static Result<SigningKey> load_or_create(const std::filesystem::path& file, std::string name);
  // From the Go note package's signer key string "PRIVATE+KEY+name+hex+base64".
  static Result<SigningKey> from_signer_key(std::string_view signer_key);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  std::string verifier_key() const;
  // The full signed note: text, a blank line, one signature line.
  // REQUIRES: check_note_text(text) is ok (checked by assert; a note signed over
  // an invalid text would never open). Aborts if OpenSSL cannot sign, which
  // with a loaded Ed25519 key means memory exhaustion.
  std::string sign_note(std::string_view text) const;

 private:
  SigningKey(EVP_PKEY* pkey, std::string name, std::array<std::uint8_t, 32> public_key);

  EVP_PKEY* pkey_ = nullptr;
  std::string name_;
  std::array<std::uint8_t, 32> public_key_{};
  std::uint32_t key_id_ = 0;
};

// A pinned Ed25519 verifier key.
class Verifier {
 public:
  static Result<Verifier> parse(std::string_view verifier_key);

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  std::string verifier_key() const;

  // The verified text. Signatures by other keys are ignored (C2SP: clients
  // ignore unknown signatures); every signature line with this key's name and
  // id must verify. Errors: note_malformed, note_unverified (no signature by
  // this key), signature_invalid.
  Result<std::string> open_note(std::string_view note) const;
  // open_note, then parse_checkpoint_body; with a non-empty expected_origin the
  // origin must equal it (checkpoint_origin_mismatch).
  Result<Checkpoint> verify_checkpoint(std::string_view note,
                                       std::string_view expected_origin = {}) const;

 private:
  Verifier(std::string name, std::uint32_t key_id, std::array<std::uint8_t, 32> public_key)
      : name_(std::move(name)), key_id_(key_id), public_key_(public_key) {}

  std::string name_;
  std::uint32_t key_id_ = 0;
  std::array<std::uint8_t, 32> public_key_{};
};

}  // namespace sunbid::audit
