// The web application's files (web/dist, issue 15), served at `/` beside
// the API at /api/v1. The whole directory is read into memory once at start
// (a built app is a few MB), so a request never touches the file system and
// no path a client sends can name a file outside it: a lookup is an exact
// match against the files found at start, never a path join.
//
//   /assets/*      Vite's content-hashed files: Cache-Control public,
//                  max-age one year, immutable;
//   /index.html and every path that is not a file (the app's client
//                  routes, e.g. /tenders/T1): index.html, no-cache;
//   a missing path whose last segment has a dot (a file name), or a path
//                  that is not clean (.., //, \, NUL): 404 as JSON, like the
//                  API; so are /api and everything under /api/.
// Every answer carries the app's Content-Security-Policy (kAppCsp): scripts
// and styles only from this origin, no inline script, no eval.
//
// Thread-safety: immutable after load(); answer() is safe for concurrent use.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit_log/result.h"
#include "server/http_message.h"

namespace sunbid::server {

inline constexpr std::string_view kAppCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

class StaticSite {
 public:
  // Reads every regular file below `root` (symbolic links are not
  // followed; hidden files and directories, a name starting with a dot, are
  // skipped). Errors: `io_error` when `root` has no index.html or a file
  // cannot be read.
  static Result<std::shared_ptr<const StaticSite>> load(const std::filesystem::path& root);

  // The answer to GET `path` (percent-decoded, without the query).
  Response answer(std::string_view path) const;
  std::size_t file_count() const { return files_.size(); }
  std::uint64_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string body;
    std::string content_type;
    bool immutable = false;
  };
  Response serve(const File& f) const;

  std::unordered_map<std::string, File> files_;  // "/assets/x.js" -> file
  std::uint64_t total_bytes_ = 0;
};

}  // namespace sunbid::server
