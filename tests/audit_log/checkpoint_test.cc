// C2SP tlog-checkpoint and signed-note tests. Golden values come from the Go
// reference (golang.org/x/mod/sumdb/note note_test.go: the PeterNeumann key
// pair and its signed message) and were re-derived independently with Python's
// `cryptography` package (Ed25519 is deterministic, RFC 8032).
#include "audit_log/checkpoint.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "temp_dir.h"

namespace {

using namespace sunbid::audit;
using sunbid::Hash;

const std::string kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kGoSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kGoNote =
    kGoText +
    "\n\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

// tree-heads.json root of the 8-leaf reference tree, and the checkpoint over it
// signed with the Go test key (signature computed with Python `cryptography`).
const std::string kRoot8Hex = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
const std::string kCheckpointBody =
    "PeterNeumann\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
const std::string kCheckpointNote = kCheckpointBody +
                                    "\n\xE2\x80\x94 PeterNeumann "
                                    "x08gozdSgLMzAnw63LH1RGViJhUfW60EUGKY7Kmr004fQNOSqfrcd1hIk3BCtd"
                                    "cLWIqvGtX67sL24VN+44uTlxMnbAA=\n";

Verifier go_verifier() {
  auto v = Verifier::parse(kGoVerifierKey);
  REQUIRE(v.ok());
  return std::move(v).value();
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto i = s.find(from);
  REQUIRE(i != std::string::npos);
  return s.replace(i, from.size(), to);
}

}  // namespace

TEST_CASE("key id of the Go test key and its verifier key string", "[checkpoint]") {
  auto v = go_verifier();
  CHECK(v.name() == "PeterNeumann");
  CHECK(v.key_id() == 0xc74f20a3u);
  CHECK(v.verifier_key() == kGoVerifierKey);

  auto pub = sunbid::base64_decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  REQUIRE(pub.has_value());
  REQUIRE(pub->size() == 33);
  CHECK(ed25519_key_id("PeterNeumann", std::span<const std::uint8_t, 32>(pub->data() + 1, 32)) ==
        0xc74f20a3u);

  auto signer = SigningKey::from_signer_key(kGoSignerKey);
  REQUIRE(signer.ok());
  CHECK(signer->verifier_key() == kGoVerifierKey);
}

TEST_CASE("the Go reference note opens and is reproduced byte for byte", "[checkpoint]") {
  auto v = go_verifier();
  auto text = v.open_note(kGoNote);
  REQUIRE(text.ok());
  CHECK(*text == kGoText);

  auto signer = SigningKey::from_signer_key(kGoSignerKey);
  REQUIRE(signer.ok());
  CHECK(signer->sign_note(kGoText) == kGoNote);
  CHECK(signer->sign_note(kCheckpointBody) == kCheckpointNote);
}

TEST_CASE("checkpoint body: golden format and strict parsing", "[checkpoint]") {
  Checkpoint cp{"PeterNeumann", 8, *sunbid::hash_from_hex(kRoot8Hex)};
  CHECK(format_checkpoint_body(cp) == kCheckpointBody);
  auto parsed = parse_checkpoint_body(kCheckpointBody);
  REQUIRE(parsed.ok());
  CHECK(*parsed == cp);

  auto verified = go_verifier().verify_checkpoint(kCheckpointNote, "PeterNeumann");
  REQUIRE(verified.ok());
  CHECK(*verified == cp);
  CHECK(go_verifier().verify_checkpoint(kCheckpointNote, "other.example/log").error().code ==
        "checkpoint_origin_mismatch");

  // Extension lines are kept; the empty tree has size "0".
  Checkpoint ext{"example.com/log", 0, sunbid::sha256(std::string_view()), {"ext one", "two"}};
  const std::string ext_text = format_checkpoint_body(ext);
  CHECK(ext_text ==
        "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\ntwo\n");
  auto ext_parsed = parse_checkpoint_body(ext_text);
  REQUIRE(ext_parsed.ok());
  CHECK(*ext_parsed == ext);

  auto max = parse_checkpoint_body("o\n18446744073709551615\n" +
                                   std::string("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
  REQUIRE(max.ok());
  CHECK(max->size == 18446744073709551615ull);

  const std::string root_line = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  for (const std::string& bad : {
           std::string("o\n08\n") + root_line,                                       // leading zero
           std::string("o\n00\n") + root_line,                                       // leading zero
           std::string("o\n+8\n") + root_line,                                       // sign
           std::string("o\n 8\n") + root_line,                                       // space
           std::string("o\n18446744073709551616\n") + root_line,                     // 2^64
           std::string("\n8\n") + root_line,                                         // empty origin
           std::string("o\n8\n") + "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",  // no padding
           std::string("o\n8\n") +
               "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",  // non-canonical
           std::string("o\n8\n") + "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",  // 31 bytes
           std::string("o\n8\n") +
               "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",               // url alphabet
           std::string("o\n8\n") + root_line.substr(0, root_line.size() - 1),  // no final \n
           std::string("o\n8\n") + root_line + "\n",                           // empty extension
           std::string("o\r\n8\n") + root_line,                                // CR in origin
           std::string("o\n8\n"),                                              // no root
           std::string(""),
       }) {
    INFO(bad);
    auto r = parse_checkpoint_body(bad);
    REQUIRE(!r.ok());
    CHECK(r.error().code == "checkpoint_malformed");
  }
  CHECK(!check_checkpoint(Checkpoint{"two\nlines", 1, {}}).ok());
  CHECK(!check_checkpoint(Checkpoint{"", 1, {}}).ok());
}

TEST_CASE("verifier key strings: every mangling of the Go key is refused", "[checkpoint]") {
  // As in the Go package's TestNewVerifier: every proper substring and every
  // single-byte increment must fail to parse.
  const std::string& k = kGoVerifierKey;
  for (std::size_t i = 0; i <= k.size(); ++i) {
    for (std::size_t j = i + 1; j <= k.size(); ++j) {
      if (i == 0 && j == k.size()) continue;
      INFO(k.substr(i, j - i));
      CHECK(!Verifier::parse(k.substr(i, j - i)).ok());
    }
  }
  for (std::size_t i = 0; i < k.size(); ++i) {
    std::string b = k;
    ++b[i];
    INFO(b);
    CHECK(!Verifier::parse(b).ok());
  }
  CHECK(Verifier::parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
            .error()
            .code == "verifier_key_hash_mismatch");
  CHECK(Verifier::parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=")
            .error()
            .code == "verifier_key_malformed");
  // Uppercase hex in the key id is accepted, as by Go's strconv.ParseUint.
  CHECK(Verifier::parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
}

TEST_CASE("tampered, truncated or foreign notes are refused", "[checkpoint]") {
  auto v = go_verifier();
  auto code = [&](const std::string& note) {
    auto r = v.verify_checkpoint(note);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  REQUIRE(code(kCheckpointNote) == "ok");

  // Tampered text: a different size or root.
  CHECK(code(replace(kCheckpointNote, "\n8\n", "\n9\n")) == "signature_invalid");
  CHECK(code(replace(kCheckpointNote, "Xcna", "Ycna")) == "signature_invalid");
  // Tampered signature bytes (still canonical base64 of 68 bytes).
  CHECK(code(replace(kCheckpointNote, "x08gozdS", "x08gozdT")) == "signature_invalid");
  // A key id that is not ours: an unknown signer, so no signature by this key.
  CHECK(code(replace(kCheckpointNote, "x08goz", "x08gAz")) == "note_unverified");
  // Truncated notes.
  CHECK(code(kCheckpointNote.substr(0, kCheckpointNote.size() - 1)) == "note_malformed");
  CHECK(code(kCheckpointBody) == "note_malformed");
  CHECK(code(kCheckpointBody + "\n") == "note_malformed");
  CHECK(code(kCheckpointNote.substr(0, kCheckpointNote.size() - 10) + "\n") == "note_malformed");
  // Garbled base64 in the signature line; a hyphen instead of the em dash.
  CHECK(code(replace(kCheckpointNote, "x08goz", "x08go!")) == "note_malformed");
  CHECK(code(replace(kCheckpointNote, "\xE2\x80\x94 ", "- ")) == "note_malformed");
  // Control characters and invalid UTF-8 anywhere.
  CHECK(code(replace(kCheckpointNote, "Peter", "Pe\tter")) == "note_malformed");
  CHECK(code(replace(kCheckpointNote, "Peter", "Pe\xFFter")) == "note_malformed");

  // The wrong key: a freshly generated key with the same name.
  sunbid::testing::TempDir dir;
  auto other = SigningKey::load_or_create(dir / "k", "PeterNeumann");
  REQUIRE(other.ok());
  const std::string foreign = other->sign_note(kCheckpointBody);
  CHECK(code(foreign) == "note_unverified");
  // Our signature next to a foreign one still verifies (unknown signatures ignored).
  const std::string cosigned = kCheckpointNote + foreign.substr(kCheckpointBody.size() + 1);
  CHECK(code(cosigned) == "ok");
  auto parsed = parse_signed_checkpoint(cosigned);
  REQUIRE(parsed.ok());
  CHECK(parsed->second.size() == 2);
  CHECK(parsed->second[0].key_id == 0xc74f20a3u);
  CHECK(parsed->second[0].signature.size() == 64);

  // A checkpoint note whose size line has a leading zero, validly signed.
  auto signer = SigningKey::from_signer_key(kGoSignerKey);
  REQUIRE(signer.ok());
  const std::string zero = signer->sign_note(replace(kCheckpointBody, "\n8\n", "\n08\n"));
  CHECK(v.open_note(zero).ok());
  CHECK(code(zero) == "checkpoint_malformed");
  CHECK(parse_signed_checkpoint(zero).error().code == "checkpoint_malformed");
}

TEST_CASE("signing key file: created 0600, reloaded, refused when exposed", "[checkpoint]") {
  sunbid::testing::TempDir dir;
  const auto file = dir / "log.key";
  auto key = SigningKey::load_or_create(file, "sunbid.example/log");
  REQUIRE(key.ok());

  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::filesystem::directory_iterator(dir.path()) != std::filesystem::directory_iterator());
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);  // no temporary file left behind

  // The stored key is the Go skey form of the same key.
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  CHECK(line.rfind("PRIVATE+KEY+sunbid.example/log+", 0) == 0);
  auto from_line = SigningKey::from_signer_key(line);
  REQUIRE(from_line.ok());
  CHECK(from_line->verifier_key() == key->verifier_key());

  // Reload gives the same key; a note signed before verifies after.
  const std::string note = key->sign_note(
      format_checkpoint_body(Checkpoint{"sunbid.example/log", 3, sunbid::sha256("x")}));
  auto again = SigningKey::load_or_create(file, "sunbid.example/log");
  REQUIRE(again.ok());
  CHECK(again->verifier_key() == key->verifier_key());
  auto v = Verifier::parse(again->verifier_key());
  REQUIRE(v.ok());
  auto cp = v->verify_checkpoint(note, "sunbid.example/log");
  REQUIRE(cp.ok());
  CHECK(cp->size == 3);

  CHECK(SigningKey::load_or_create(file, "other.example/log").error().code == "key_name_mismatch");
  CHECK(SigningKey::load_or_create(dir / "x.key", "bad name").error().code == "key_name_invalid");
  CHECK(SigningKey::load_or_create(dir / "y.key", "a+b").error().code == "key_name_invalid");

  REQUIRE(::chmod(file.c_str(), 0640) == 0);
  auto exposed = SigningKey::load_or_create(file, "sunbid.example/log");
  REQUIRE(!exposed.ok());
  CHECK(exposed.error().code == "key_file_permissions");
  CHECK(exposed.error().details.at("mode").as_string() == "0640");
  CHECK(exposed.error().to_string().find("PRIVATE") == std::string::npos);
  REQUIRE(::chmod(file.c_str(), 0604) == 0);
  CHECK(SigningKey::load_or_create(file, "sunbid.example/log").error().code ==
        "key_file_permissions");

  // A corrupted key file is refused, not replaced.
  const auto broken = dir / "broken.key";
  {
    std::ofstream out(broken);
    out << "PRIVATE+KEY+sunbid.example/log+00000000+AAAA\n";
  }
  REQUIRE(::chmod(broken.c_str(), 0600) == 0);
  CHECK(SigningKey::load_or_create(broken, "sunbid.example/log").error().code ==
        "signer_key_malformed");
}
