#include "server/static_site.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace sunbid::server {

namespace {

std::string_view content_type_of(std::string_view name) {
  struct Kind {
    std::string_view ext, type;
  };
  static constexpr Kind kKinds[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const Kind& k : kKinds) {
    if (name.ends_with(k.ext)) return k.type;
  }
  return "application/octet-stream";
}

// A path the site may hold: absolute, no empty, "." or ".." segment, no
// backslash or NUL.
bool is_clean(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  std::size_t i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "." || seg == ".." || (seg.empty() && j != path.size())) return false;
    i = j + 1;
  }
  return true;
}

Response not_found_json() {
  Response r;
  r.status = 404;
  r.body = R"({"error":{"code":"not_found","message":"未找到 / not found","details":{},)"
           R"("message_zh":"未找到","message_en":"not found"}})";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

Result<std::shared_ptr<const StaticSite>> StaticSite::load(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  auto site = std::make_shared<StaticSite>();
  std::error_code ec;
  if (!fs::is_regular_file(root / "index.html", ec)) {
    return make_error("io_error", "网页目录中没有 index.html / the web root has no index.html",
                      {{"path", root.string()}});
  }
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in) {
      return make_error("io_error", "无法读取网页文件 / cannot read a web file",
                        {{"path", it->path().string()}});
    }
    std::string rel = "/" + it->path().lexically_relative(root).generic_string();
    // Hidden files and directories (Vite's .vite/manifest.json) are the
    // build's, not the site's.
    if (rel.find("/.") != std::string::npos) continue;
    File f;
    f.body = std::move(body).str();
    f.content_type = std::string(content_type_of(rel));
    f.immutable = rel.starts_with("/assets/");
    site->total_bytes_ += f.body.size();
    site->files_.emplace(std::move(rel), std::move(f));
  }
  if (ec) {
    return make_error("io_error", "无法读取网页目录 / cannot read the web root",
                      {{"path", root.string()}, {"reason", ec.message()}});
  }
  return std::shared_ptr<const StaticSite>(std::move(site));
}

Response StaticSite::serve(const File& f) const {
  Response r;
  r.content_type = f.content_type;
  r.body = f.body;
  r.headers.emplace_back("Cache-Control",
                         f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Content-Security-Policy", std::string(kAppCsp));
  return r;
}

Response StaticSite::answer(std::string_view path) const {
  if (path == "/api" || path.starts_with("/api/") || !is_clean(path)) return not_found_json();
  if (path != "/") {
    if (auto it = files_.find(std::string(path)); it != files_.end()) return serve(it->second);
    // A missing file (its name has a dot, or it is under /assets/) is a 404;
    // anything else is a client route of the app.
    std::string_view last = path.substr(path.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos || path.starts_with("/assets/")) {
      return not_found_json();
    }
  }
  return serve(files_.at("/index.html"));
}

}  // namespace sunbid::server
