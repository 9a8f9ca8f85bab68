#include "http/answer.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace sunbid::server {

Response json_response(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Response text_response(std::string body) {
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

boost::json::value or_null(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::array hex_list(const std::vector<Hash>& hashes) {
  boost::json::array a;
  for (const Hash& h : hashes) a.emplace_back(hex_encode(h));
  return a;
}

Response page_answer(boost::json::array items, const std::optional<std::string>& next) {
  return ok_json(boost::json::object{{"items", std::move(items)}, {"next_cursor", or_null(next)}});
}

}  // namespace sunbid::server
