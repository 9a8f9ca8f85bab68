// sunbid-error-codes: prints the error-code registry as the OpenAPI contract's
// x-error-codes object, {code: {status, kind, zh, en}}, sorted by code.
// scripts/gen-error-codes.py writes it into schemas/openapi.json; the test
// tests/server/error_kinds_test.cc checks the file against the registry.
#include "audit_log/error_codes.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "server/error_response.h"

int main() {
  std::vector<sunbid::ErrorCodeInfo> codes(sunbid::error_codes().begin(),
                                           sunbid::error_codes().end());
  std::sort(codes.begin(), codes.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  boost::json::object out;
  for (const auto& c : codes) {
    boost::json::object o;
    o["status"] = sunbid::server::http_status(c.kind);
    o["kind"] = sunbid::to_string(c.kind);
    o["zh"] = c.zh;
    o["en"] = c.en;
    out[c.code] = std::move(o);
  }
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}
