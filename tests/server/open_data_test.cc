// Open data over HTTP: the OCDS feed's codings (gzip, RFC 9110 8.4), strong
// ETags per coding and 304, the kept complete pages (PageCache), and the
// header parsing under them (server/public_body.h).
#include <zlib.h>

#include <catch2/catch.hpp>
#include <string>

#include "server/page_cache.h"
#include "server/public_body.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::string gunzip(const std::string& in) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

// The header's one value ("" when absent); a header sent twice fails (the
// session would send the last one).
std::string header(const Response& r, std::string_view name) {
  std::string out;
  int seen = 0;
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      out = v;
      ++seen;
    }
  }
  CHECK(seen <= 1);
  return out;
}

Response get(TenderWorld& w, const std::string& target, std::string accept_encoding = "",
             std::string if_none_match = "") {
  Request q;
  q.method = "GET";
  q.target = target;
  q.accept_encoding = std::move(accept_encoding);
  q.if_none_match = std::move(if_none_match);
  q.peer_address = "192.0.2.10";
  return w.api->handle(q);
}

}  // namespace

TEST_CASE("public body: Accept-Encoding accepts gzip by name, by star, never at q=0",
          "[open_data][unit]") {
  for (const char* yes : {"gzip", "GZIP", "deflate, gzip", "gzip;q=0.5", "br, gzip ; q=1",
                          "x-gzip", "*", "identity, *;q=0.1", " gzip "}) {
    CAPTURE(yes);
    CHECK(accepts_gzip(yes));
  }
  for (const char* no : {"", "identity", "deflate, br", "gzip;q=0", "gzip;q=0.000", "*;q=0",
                         "gzip;q=0, *", "gzipx", "*, gzip;q=0"}) {
    CAPTURE(no);
    CHECK_FALSE(accepts_gzip(no));
  }
}

TEST_CASE("public body: If-None-Match lists, weak validators and star", "[open_data][unit]") {
  CHECK(none_match_hits("\"a\"", "\"a\""));
  CHECK(none_match_hits(" \"x\" , W/\"a\"", "\"a\""));
  CHECK(none_match_hits("*", "\"a\""));
  CHECK_FALSE(none_match_hits("", "\"a\""));
  CHECK_FALSE(none_match_hits("\"a-gzip\"", "\"a\""));
}

TEST_CASE("public body: gzip decodes to the same bytes, at every level", "[open_data][unit]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"release\":" + std::to_string(i) + ",\"tag\":\"award\"}";
  for (int level : {1, 6, 9}) {
    const std::string z = gzip(text, level);
    CHECK(z.size() < text.size() / 4);
    CHECK(gunzip(z) == text);
  }
  CHECK(gunzip(gzip("", 6)).empty());
  const PublicBody b = make_public_body(text, true);
  CHECK(b.digest == hex_encode(sha256(text)).substr(0, 16));
  CHECK(gunzip(b.gzipped) == text);
  CHECK(make_public_body(text, false).gzipped.empty());
}

TEST_CASE("page cache: finds what it keeps, drops the oldest past its size", "[open_data][unit]") {
  PageCache cache(3000);
  auto page = [](char c) {
    return std::make_shared<const PublicBody>(make_public_body(std::string(1000, c), false));
  };
  cache.put(0, 20, page('a'));
  cache.put(21, 20, page('b'));
  REQUIRE(cache.find(0, 20));
  CHECK(cache.find(0, 20)->identity[0] == 'a');
  CHECK_FALSE(cache.find(0, 21));
  cache.put(0, 20, page('z'));  // kept already: the first stays
  CHECK(cache.find(0, 20)->identity[0] == 'a');
  cache.put(42, 20, page('c'));  // 3 × 1,016 > 3,000: the oldest goes
  CHECK_FALSE(cache.find(0, 20));
  CHECK(cache.find(21, 20));
  CHECK(cache.find(42, 20));
  cache.put(1, 1, std::make_shared<const PublicBody>(make_public_body(std::string(4000, 'x'), false)));
  CHECK_FALSE(cache.find(1, 1));  // larger than the whole cache: never kept
}

TEST_CASE("ocds feed over HTTP: gzip on request, ETag per coding, 304, complete pages immutable",
          "[open_data][ocds]") {
  TenderWorld w;
  w.published_tender();  // the tender's release and its 招标公告's link: 2 releases
  const std::string page1 = "/api/v1/ocds/releases?limit=1";

  const Response plain = get(w, page1);
  REQUIRE(plain.status == 200);
  CHECK(plain.body.starts_with("{\"uri\":"));
  CHECK(header(plain, "Content-Encoding").empty());
  CHECK(header(plain, "Vary") == "Accept-Encoding");
  CHECK(header(plain, "Cache-Control") == "public, max-age=31536000, immutable");
  const std::string etag = header(plain, "ETag");
  CHECK(etag == "\"" + hex_encode(sha256(plain.body)).substr(0, 16) + "\"");

  // Kept: the second answer (from the network thread's cache) is the same.
  const Response again = get(w, page1);
  CHECK(again.body == plain.body);
  CHECK(header(again, "ETag") == etag);

  const Response zipped = get(w, page1, "gzip, deflate");
  REQUIRE(zipped.status == 200);
  CHECK(header(zipped, "Content-Encoding") == "gzip");
  CHECK(header(zipped, "ETag") == etag.substr(0, etag.size() - 1) + "-gzip\"");
  CHECK(gunzip(zipped.body) == plain.body);
  CHECK(zipped.body.size() < plain.body.size());

  const Response not_modified = get(w, page1, "", etag);
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
  CHECK(header(not_modified, "ETag") == etag);
  // The identity ETag does not validate the gzip representation.
  CHECK(get(w, page1, "gzip", etag).status == 200);
  CHECK(get(w, page1, "gzip", header(zipped, "ETag")).status == 304);

  // The feed's end: revalidated, and changed (new ETag) by a new release.
  const Response end = get(w, "/api/v1/ocds/releases?limit=20", "gzip");
  REQUIRE(end.status == 200);
  CHECK(header(end, "Cache-Control") == "public, no-cache");
  const std::string end_etag = header(end, "ETag");
  CHECK(get(w, "/api/v1/ocds/releases?limit=20", "gzip", end_etag).status == 304);
  w.published_tender();
  const Response grown = get(w, "/api/v1/ocds/releases?limit=20", "gzip", end_etag);
  CHECK(grown.status == 200);
  CHECK(header(grown, "ETag") != end_etag);
  CHECK(gunzip(grown.body).size() > gunzip(end.body).size());
  // The complete first page is the same bytes as before.
  CHECK(get(w, page1).body == plain.body);

  // A tender's package: the same codings, revalidated.
  const Response tender = get(w, "/api/v1/tenders/T1/ocds", "gzip");
  REQUIRE(tender.status == 200);
  CHECK(header(tender, "Content-Encoding") == "gzip");
  CHECK(header(tender, "Cache-Control") == "public, no-cache");
  CHECK(get(w, "/api/v1/tenders/T1/ocds", "gzip", header(tender, "ETag")).status == 304);
}
