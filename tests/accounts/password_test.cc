// Password hashing with scrypt (accounts/password.h): RFC 7914's vectors and
// the production parameters. Moved here from tests/server/unit_test.cc.
#include "accounts/password.h"

#include <catch2/catch.hpp>

#include "audit_log/sha256.h"

using namespace sunbid;
using namespace sunbid::accounts;

namespace {
std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}
}  // namespace

TEST_CASE("scrypt matches RFC 7914 test vectors", "[password]") {
  // RFC 7914 §12, second and third vectors.
  auto a = scrypt_derive("password", bytes("NaCl"), ScryptParams{1024, 8, 16}, 64);
  REQUIRE(a.ok());
  CHECK(hex_encode(*a) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d"
        "9830dac727afb94a83ee6d8360cbdfa2cc0640");
  auto b = scrypt_derive("pleaseletmein", bytes("SodiumChloride"), ScryptParams{16384, 8, 1}, 64);
  REQUIRE(b.ok());
  CHECK(hex_encode(*b) ==
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d497052"
        "42a9af9e61e85dc0d651e40dfcf017b45575887");
}

TEST_CASE("production scrypt parameters: N=2^15, r=8, p=1, 16-byte salt, 32 bytes", "[password]") {
  ScryptParams p;
  CHECK(p == ScryptParams{32768, 8, 1});
  // Worked out with Python's hashlib.scrypt.
  std::vector<std::uint8_t> salt(16);
  for (int i = 0; i < 16; ++i) salt[i] = static_cast<std::uint8_t>(i);
  auto d = scrypt_derive("correct horse", salt, p, 32);
  REQUIRE(d.ok());
  CHECK(hex_encode(*d) == "5c662628ac4eb1068a287e2aa2a202ae248e98db04d61d3327e7342db6ec7097");
  auto h = hash_password("correct horse", p);
  REQUIRE(h.ok());
  CHECK(h->salt.size() == 16);
  CHECK(h->hash.size() == 32);
  CHECK(verify_password("correct horse", *h));
  CHECK_FALSE(verify_password("correct horsf", *h));
  auto h2 = hash_password("correct horse", p);
  REQUIRE(h2.ok());
  CHECK(h2->salt != h->salt);                                                // fresh salt each time
  CHECK_FALSE(scrypt_derive("x", salt, ScryptParams{1000, 8, 1}, 32).ok());  // N not 2^k
}
