// Small text helpers of HTTP header parsing.
#pragma once

#include <string_view>

namespace sunbid::server {

// Without the optional white space (spaces and tabs) around it (RFC 9110 5.6.3).
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace sunbid::server
