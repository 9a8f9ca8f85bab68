// Issue 15's foundation: the web app's files at `/` (static_site.h), the
// browser's cookie session with its Origin check (http/cookie.h), the
// bilingual error texts, and GET /tenders's district and tier filters.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <fstream>

#include "fixture.h"
#include "server/error_response.h"
#include "server/static_site.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::string header(const Response& r, const std::string& name) {
  for (auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// A built app in miniature: index.html, a hashed asset, a favicon, and a
// secret one level above the root that no request may reach.
struct Site {
  Site() {
    namespace fs = std::filesystem;
    fs::create_directories(dir.path() / "dist" / "assets");
    fs::create_directories(dir.path() / "dist" / ".vite");
    write("dist/.vite/manifest.json", "{}");
    write("dist/index.html", "<!doctype html><title>sunbid</title>");
    write("dist/assets/index-AbC123.js", "console.log(1)");
    write("dist/assets/index-AbC123.css", "body{}");
    write("dist/favicon.ico", "ico");
    write("secret.txt", "do not serve");
    auto s = StaticSite::load(dir.path() / "dist");
    REQUIRE(s.ok());
    site = std::move(s).value();
  }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(dir.path() / rel, std::ios::binary) << text;
  }
  sunbid::testing::TempDir dir;
  std::shared_ptr<const StaticSite> site;
};

struct Browser {
  ApiFixture& f;
  std::string cookie;  // "__Host-sunbid_session=..."
  std::string origin = "https://127.0.0.1:8443";
  std::string host = "127.0.0.1:8443";

  Response call(std::string method, std::string target, std::string body = "") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    if (!r.body.empty()) r.content_type = "application/json";
    r.cookie = cookie;
    r.origin = origin;
    r.host = host;
    r.peer_address = "192.0.2.10";
    return f.api->handle(std::move(r));
  }
};

}  // namespace

TEST_CASE("the web app: files, cache lifetimes, client routes, JSON 404s", "[static]") {
  Site s;
  ApiFixture f(false, {}, {}, s.site);
  auto index = f.call("GET", "/");
  CHECK(index.status == 200);
  CHECK(index.body == "<!doctype html><title>sunbid</title>");
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(header(index, "Cache-Control") == "no-cache");
  CHECK(header(index, "Content-Security-Policy") == kAppCsp);
  CHECK(std::string(kAppCsp).find("unsafe-eval") == std::string::npos);
  CHECK(std::string(kAppCsp).find("unsafe-inline") == std::string::npos);

  auto js = f.call("GET", "/assets/index-AbC123.js");
  CHECK(js.status == 200);
  CHECK(js.body == "console.log(1)");
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(header(js, "Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(f.call("GET", "/assets/index-AbC123.css").content_type == "text/css; charset=utf-8");
  CHECK(header(f.call("GET", "/favicon.ico"), "Cache-Control") == "no-cache");

  // Client routes fall back to index.html, with or without a query.
  for (const char* route :
       {"/tenders", "/tenders/T1", "/login?redirect=%2Faccount", "/index.html"}) {
    auto r = f.call("GET", route);
    CHECK(r.status == 200);
    CHECK(r.body == index.body);
    CHECK(header(r, "Cache-Control") == "no-cache");
  }
  // A missing file is a 404 as JSON, not the app.
  for (const char* missing :
       {"/assets/gone-123.js", "/robots.txt", "/assets/x", "/.vite/manifest.json"}) {
    auto r = f.call("GET", missing);
    CHECK(r.status == 404);
    CHECK(error_code(r) == "not_found");
  }
  // The API's 404s stay JSON, also just outside /api/v1.
  for (const char* api : {"/api/v1/no/such", "/api", "/api/v2/tenders", "/api/"}) {
    auto r = f.call("GET", api);
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/json; charset=utf-8");
    CHECK(error_code(r) == "not_found");
  }
  // The API is unchanged beside it.
  auto health = f.call("GET", "/api/v1/health");
  CHECK(health.status == 200);
  CHECK(header(health, "Cache-Control") == "no-store");
  CHECK(header(health, "Content-Security-Policy").empty());  // the session's default applies
  // Only GET.
  auto post = f.call("POST", "/tenders");
  CHECK(post.status == 405);
}

TEST_CASE("the web app: no path leaves its directory", "[static]") {
  Site s;
  ApiFixture f(false, {}, {}, s.site);
  for (const char* evil :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
        "//secret.txt", "/assets//index-AbC123.js", "/.%2e/secret.txt", "/..\\secret.txt",
        "/%00/index.html", "/assets/./index-AbC123.js"}) {
    auto r = f.call("GET", evil);
    INFO(evil);
    CHECK(r.body.find("do not serve") == std::string::npos);
    CHECK(r.body != "console.log(1)");
  }
  // Directly against the site, with decoded paths.
  CHECK(s.site->answer("/../secret.txt").status == 404);
  CHECK(s.site->answer("/assets/../index.html").status == 404);
  CHECK(s.site->answer(std::string("/index.html\0x", 13)).status == 404);
  CHECK(s.site->file_count() == 4);
}

TEST_CASE("a web root without index.html is refused at start", "[static]") {
  sunbid::testing::TempDir dir;
  auto s = StaticSite::load(dir.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "io_error");
}

TEST_CASE("cookie sessions: login sets the HttpOnly cookie, no token in the answer", "[cookie]") {
  ApiFixture f;
  f.add_account("jiandu", accounts::Role::kSupervisor, "correct horse battery");
  Browser b{f};
  auto login = b.call("POST", "/api/v1/sessions",
                      R"({"username":"jiandu","password":"correct horse battery","cookie":true})");
  REQUIRE(login.status == 201);
  auto body = body_json(login).as_object();
  CHECK_FALSE(body.contains("token"));
  CHECK(body.at("role").as_string() == "supervisor");
  const std::string set = header(login, "Set-Cookie");
  REQUIRE(set.starts_with("__Host-sunbid_session="));
  CHECK(set.find("; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200") !=
        std::string::npos);
  CHECK(set.find("Domain") == std::string::npos);
  const std::string token = set.substr(22, 64);
  CHECK(header(login, "Cache-Control") == "no-store");

  // The cookie authenticates reads and (with our Origin) writes.
  b.cookie = "theme=dark; __Host-sunbid_session=" + token + "; x=1";
  CHECK(b.call("GET", "/api/v1/access-record").status == 200);
  CHECK(b.call("DELETE", "/api/v1/sessions/others").status == 200);

  // A bearer login is unchanged: the token in the body, no cookie.
  auto bearer = f.call("POST", "/api/v1/sessions",
                       R"({"username":"root","password":"correct horse battery"})");
  REQUIRE(bearer.status == 201);
  CHECK(body_json(bearer).as_object().contains("token"));
  CHECK(header(bearer, "Set-Cookie").empty());

  // Logout clears the cookie; the session is gone.
  auto out = b.call("DELETE", "/api/v1/sessions/current");
  CHECK(out.status == 204);
  CHECK(header(out, "Set-Cookie") ==
        "__Host-sunbid_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
  CHECK(b.call("GET", "/api/v1/access-record").status == 401);
  // A stale cookie is ignored on public reads.
  CHECK(b.call("GET", "/api/v1/tenders").status == 200);
}

TEST_CASE("cookie sessions: a write needs our own Origin", "[cookie]") {
  ApiFixture f;
  f.add_account("jiandu", accounts::Role::kSupervisor, "correct horse battery");
  Browser b{f};
  auto login = b.call("POST", "/api/v1/sessions",
                      R"({"username":"jiandu","password":"correct horse battery","cookie":true})");
  REQUIRE(login.status == 201);
  b.cookie = header(login, "Set-Cookie").substr(0, 22 + 64);
  const auto entries = f.ledger->committed_log().size;
  for (const char* origin : {"", "https://evil.example", "http://127.0.0.1:8443",
                             "https://127.0.0.1:8444", "null", "https://127.0.0.1:8443/"}) {
    INFO(origin);
    b.origin = origin;
    auto r = b.call("DELETE", "/api/v1/sessions/current");
    CHECK(r.status == 403);
    CHECK(error_code(r) == "origin_mismatch");
    auto e = body_json(r).at("error");
    CHECK(e.at("message_zh").as_string() == "请求来源不是本站");
    CHECK(e.at("message_en").as_string() == "the request's Origin is not this site");
  }
  // A refused write changed nothing: the session still works.
  CHECK(f.ledger->committed_log().size == entries);
  b.origin = "https://127.0.0.1:8443";
  CHECK(b.call("GET", "/api/v1/access-record").status == 200);
  // Reads need no Origin.
  b.origin = "";
  CHECK(b.call("GET", "/api/v1/access-record").status == 200);
  // The host name compares without case.
  b.origin = "https://LOCALHOST:8443";
  b.host = "localhost:8443";
  CHECK(b.call("DELETE", "/api/v1/sessions/current").status == 204);
}

TEST_CASE("cookie sessions: a cookie login from another site is refused", "[cookie]") {
  ApiFixture f;
  Browser b{f};
  b.origin = "https://evil.example";
  auto r = b.call("POST", "/api/v1/sessions",
                  R"({"username":"root","password":"correct horse battery","cookie":true})");
  CHECK(r.status == 403);
  CHECK(error_code(r) == "origin_mismatch");
  CHECK(header(r, "Set-Cookie").empty());
  // Not a boolean.
  b.origin = "https://127.0.0.1:8443";
  auto bad = b.call("POST", "/api/v1/sessions",
                    R"({"username":"root","password":"correct horse battery","cookie":"yes"})");
  CHECK(bad.status == 400);
  CHECK(error_code(bad) == "invalid_field");
}

TEST_CASE("a bearer token still wins and must be valid, the cookie is not consulted then",
          "[cookie]") {
  ApiFixture f;
  Browser b{f};
  auto login = b.call("POST", "/api/v1/sessions",
                      R"({"username":"root","password":"correct horse battery","cookie":true})");
  b.cookie = header(login, "Set-Cookie").substr(0, 22 + 64);
  Request r;
  r.method = "GET";
  r.target = "/api/v1/access-record";
  r.cookie = b.cookie;
  r.authorization = "Bearer " + std::string(64, '0');
  r.peer_address = "192.0.2.10";
  auto a = f.api->handle(r);
  CHECK(a.status == 401);
  CHECK(error_code(a) == "session_invalid");
}

TEST_CASE("error answers carry message_zh and message_en", "[api][cookie]") {
  auto e = body_json(error_response(make_error("invalid_query", "状态无效 / unknown status")))
               .at("error");
  CHECK(e.at("message").as_string() == "状态无效 / unknown status");
  CHECK(e.at("message_zh").as_string() == "状态无效");
  CHECK(e.at("message_en").as_string() == "unknown status");
  // Without the " / " form: the registry's texts.
  auto g = body_json(error_response(make_error("invalid_query", "?"))).at("error");
  CHECK(g.at("message_zh").as_string() == std::string(find_error_code("invalid_query")->zh));
  CHECK(g.at("message_en").as_string() == std::string(find_error_code("invalid_query")->en));
  // 500: never the cause.
  auto i = body_json(error_response(make_error("storage_error", "disk / full"))).at("error");
  CHECK(i.at("message_zh").as_string() == "服务器内部错误");
  CHECK(i.at("message_en").as_string() == "internal server error");
}

TEST_CASE("GET /tenders filters by district, tier and community", "[static][tenders]") {
  TenderWorld w;
  const std::string t1 = w.published_tender();
  auto ids = [&](const std::string& q) {
    auto r = w.call("GET", "/api/v1/tenders" + q);
    REQUIRE(r.status == 200);
    std::vector<std::string> out;
    const auto doc = body_json(r);
    for (auto& x : doc.at("items").as_array()) out.emplace_back(x.at("id").as_string());
    return out;
  };
  CHECK(ids("") == std::vector<std::string>{t1});
  // 湖里区 percent-encoded.
  CHECK(ids("?district=%E6%B9%96%E9%87%8C%E5%8C%BA") == std::vector<std::string>{t1});
  CHECK(ids("?district=%E6%B5%B7%E6%B2%A7%E5%8C%BA").empty());  // 海沧区
  CHECK(ids("?tier=T2") == std::vector<std::string>{t1});
  CHECK(ids("?tier=T1").empty());
  CHECK(ids("?community=" + w.community) == std::vector<std::string>{t1});
  CHECK(ids("?community=" + w.other_community).empty());
  CHECK(ids("?community_id=" + w.other_community).empty());
  CHECK(ids("?tier=T2&status=published&district=%E6%B9%96%E9%87%8C%E5%8C%BA") ==
        std::vector<std::string>{t1});
}
