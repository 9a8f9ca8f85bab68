// The golden vectors shared with the web app (tests/vectors/*.json, issue
// 15): the C++ tests and web/tests/unit read the same files.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace sunbid::testing {

inline boost::json::value read_vectors(const std::string& name) {
  std::ifstream in(std::string(SUNBID_VECTORS_DIR) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str());
}

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace sunbid::testing
