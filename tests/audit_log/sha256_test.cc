#include "audit_log/sha256.h"

#include <catch2/catch.hpp>

using namespace sunbid;

TEST_CASE("sha256 matches FIPS 180-2 examples") {
  CHECK(hex_encode(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 h;
  h.update("a").update(std::string_view("bc"));
  CHECK(h.finish() == sha256("abc"));
  h.update("abc");
  CHECK(h.finish() == sha256("abc"));  // reusable after finish
}

TEST_CASE("hex round trip and refusals") {
  std::vector<std::uint8_t> bytes{0x00, 0x7f, 0xff, 0x10};
  CHECK(hex_encode(bytes) == "007fff10");
  CHECK(hex_decode("007FFF10").value() == bytes);
  CHECK_FALSE(hex_decode("abc"));
  CHECK_FALSE(hex_decode("zz"));
  CHECK_FALSE(hash_from_hex("00"));
}

TEST_CASE("base64 is strict") {
  std::vector<std::uint8_t> bytes{'f', 'o', 'o', 'b'};
  CHECK(base64_encode(bytes) == "Zm9vYg==");
  CHECK(base64_decode("Zm9vYg==").value() == bytes);
  CHECK(base64_decode("").value().empty());
  CHECK_FALSE(base64_decode("Zm9vYg="));    // bad length
  CHECK_FALSE(base64_decode("Zm9v Yg=="));  // whitespace
  CHECK_FALSE(base64_decode("Zm9vYh=="));   // non-canonical trailing bits
  CHECK_FALSE(base64_decode("Zm=vYg=="));   // padding in the middle
}
