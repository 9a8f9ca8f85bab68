#include "server/public_body.h"

#include <zlib.h>

#include <boost/beast/core/string.hpp>

#include <stdexcept>

#include "audit_log/sha256.h"
#include "http/text.h"

namespace sunbid::server {

namespace {

// Whether a q parameter's value is zero ("0", "0.", "0.0", "0.000").
bool zero_q(std::string_view v) {
  if (v.empty() || v.front() != '0') return false;
  v.remove_prefix(1);
  if (v.empty()) return true;
  if (v.front() != '.') return false;
  v.remove_prefix(1);
  for (char c : v) {
    if (c != '0') return false;
  }
  return true;
}

}  // namespace

bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim_ows(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
  }
  return false;
}

bool accepts_gzip(std::string_view header) {
  bool star = false, gzip_listed = false, gzip_ok = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim_ows(item.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view param = trim_ows(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        zero = zero_q(trim_ows(param.substr(2)));
      }
    }
    if (boost::beast::iequals(coding, "gzip") || boost::beast::iequals(coding, "x-gzip")) {
      gzip_listed = true;
      gzip_ok = !zero;
    } else if (coding == "*") {
      star = !zero;
    }
  }
  return gzip_listed ? gzip_ok : star;
}

std::string gzip(std::string_view body, int level) {
  z_stream z{};
  // windowBits 15 + 16: the gzip wrapper; memLevel 8 is zlib's default.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t written = out.size() - z.avail_out;
  deflateEnd(&z);
  // deflateBound is an upper bound for a single Z_FINISH call.
  if (rc != Z_STREAM_END) throw std::logic_error("deflate did not finish within deflateBound");
  out.resize(written);
  return out;
}

PublicBody make_public_body(std::string identity, bool compress) {
  PublicBody b;
  b.digest = hex_encode(sha256(identity)).substr(0, 16);
  if (compress) b.gzipped = gzip(identity, 6);
  b.identity = std::move(identity);
  return b;
}

Response public_answer(const Request& request, const PublicBody& body, std::string content_type,
                       std::string_view cache_control) {
  // Below this size a compressed body saves less than its headers cost.
  constexpr std::size_t kMinCompressed = 1024;
  const bool use_gzip = body.identity.size() >= kMinCompressed && accepts_gzip(request.accept_encoding);
  const std::string etag = "\"" + body.digest + (use_gzip ? "-gzip" : "") + "\"";
  Response r;
  r.content_type = std::move(content_type);
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("Cache-Control", std::string(cache_control));
  if (none_match_hits(request.if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (use_gzip) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = body.gzipped.empty() ? gzip(body.identity, 1) : body.gzipped;
  } else {
    r.body = body.identity;
  }
  return r;
}

}  // namespace sunbid::server
