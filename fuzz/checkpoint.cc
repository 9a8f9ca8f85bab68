// Fuzzes the checkpoint / signed-note parsers and the verifier with arbitrary
// bytes. Besides "no crash, no hang", it checks two invariants:
//  - a note that parses as a signed checkpoint re-formats to its own text
//    (the body format is canonical);
//  - a note the fixed verifier accepts also parses unpinned, to the same
//    checkpoint.
#include "audit_log/checkpoint.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace sunbid::audit;

// The Go note package's public test key (golang.org/x/mod/sumdb/note); the seed
// corpus holds notes signed with it, so the verifying paths are reached.
const Verifier& fixed_verifier() {
  static const Verifier v =
      Verifier::parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto unpinned = parse_signed_checkpoint(input);
  if (unpinned.ok()) {
    auto note = parse_signed_note(input);
    if (!note.ok() || format_checkpoint_body(unpinned->first) != note->text) __builtin_trap();
  }

  auto parsed_key = Verifier::parse(input);
  if (parsed_key.ok()) {
    auto again = Verifier::parse(parsed_key->verifier_key());
    if (!again.ok() || again->key_id() != parsed_key->key_id()) __builtin_trap();
  }

  auto verified = fixed_verifier().verify_checkpoint(input);
  if (verified.ok() && (!unpinned.ok() || !(unpinned->first == *verified))) __builtin_trap();
  (void)fixed_verifier().verify_checkpoint(input, "PeterNeumann");
  return 0;
}
