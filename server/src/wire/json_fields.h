// Reading a strictly parsed JSON object into typed fields: every member the
// caller does not take is refused as `unknown_field`, every wrong type as
// `invalid_field`, every absent required member as `missing_field`; details
// name the member as a JSON pointer.
//
// Thread-safety: one thread at a time per reader.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::server {

// `invalid_field` (400): the member at `pointer` is not of the `expected` type.
inline Error field_type_error(const std::string& pointer, std::string_view expected) {
  return make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                    {{"field", pointer}, {"expected", std::string(expected)}});
}

// One member of a body to read into `out`: required(name, out) or
// optional(name, out); JsonFields::read_all reads a list of them in order.
struct Field {
  std::string_view name;
  std::variant<std::string*, std::optional<std::string>*, std::int64_t*, bool*,
               std::optional<bool>*, boost::json::value*>
      out;
};
inline Field required(std::string_view n, std::string& out) {
  return {n, &out};
}
inline Field required(std::string_view n, std::int64_t& out) {
  return {n, &out};
}
inline Field required(std::string_view n, bool& out) {
  return {n, &out};
}
inline Field required(std::string_view n, boost::json::value& out) {
  return {n, &out};
}
inline Field optional(std::string_view n, std::optional<std::string>& out) {
  return {n, &out};
}
inline Field optional(std::string_view n, std::optional<bool>& out) {
  return {n, &out};
}

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& object, std::string prefix = "")
      : object_(object), prefix_(std::move(prefix)) {}

  Result<std::string> required_string(std::string_view name) {
    SUNBID_ASSIGN_OR_RETURN(auto v, optional_string(name));
    if (!v) return missing(name);
    return std::move(*v);
  }
  Result<std::optional<std::string>> optional_string(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return std::optional<std::string>{};
    if (!v->is_string()) return wrong_type(name, "string");
    return std::optional<std::string>(std::string(v->as_string()));
  }
  Result<std::int64_t> required_int(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return missing(name);
    if (!v->is_int64()) return wrong_type(name, "integer");
    return v->as_int64();
  }
  Result<bool> required_bool(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return missing(name);
    if (!v->is_bool()) return wrong_type(name, "boolean");
    return v->as_bool();
  }
  Result<std::optional<bool>> optional_bool(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return std::optional<bool>{};
    if (!v->is_bool()) return wrong_type(name, "boolean");
    return std::optional<bool>(v->as_bool());
  }
  // The member as it is (any JSON type); absent or null is missing.
  Result<boost::json::value> required_value(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return missing(name);
    return *v;
  }
  // The member as it is (nullptr when absent or null), taken.
  const boost::json::value* optional_value(std::string_view name) {
    taken_.insert(std::string(name));
    const boost::json::value* v = object_.if_contains(name);
    return v && !v->is_null() ? v : nullptr;
  }
  Result<std::vector<std::string>> optional_string_array(std::string_view name) {
    taken_.insert(std::string(name));
    std::vector<std::string> out;
    const boost::json::value* v = object_.if_contains(name);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) return wrong_type(name, "array of strings");
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) return wrong_type(name, "array of strings");
      out.emplace_back(item.as_string());
    }
    return out;
  }
  // Reads each field in order, then refuses any other member (finish).
  Status read_all(std::initializer_list<Field> fields) {
    for (const Field& field : fields) {
      SUNBID_TRY(std::visit([&](auto* out) { return read_into(field.name, out); }, field.out));
    }
    return finish();
  }
  // Refuses the first member that was not taken.
  Status finish() const {
    for (const auto& kv : object_) {
      if (!taken_.contains(std::string(kv.key()))) {
        return make_error("unknown_field", "未知字段 / unknown field",
                          {{"field", pointer(kv.key())}});
      }
    }
    return {};
  }

 private:
  Status read_into(std::string_view name, std::string* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, required_string(name));
    return {};
  }
  Status read_into(std::string_view name, std::optional<std::string>* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, optional_string(name));
    return {};
  }
  Status read_into(std::string_view name, std::int64_t* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, required_int(name));
    return {};
  }
  Status read_into(std::string_view name, bool* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, required_bool(name));
    return {};
  }
  Status read_into(std::string_view name, std::optional<bool>* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, optional_bool(name));
    return {};
  }
  Status read_into(std::string_view name, boost::json::value* out) {
    SUNBID_ASSIGN_OR_RETURN(*out, required_value(name));
    return {};
  }

  std::string pointer(std::string_view name) const {
    std::string p = prefix_ + "/";
    for (char c : name) {
      if (c == '~') {
        p += "~0";
      } else if (c == '/') {
        p += "~1";
      } else {
        p += c;
      }
    }
    return p;
  }
  Error missing(std::string_view name) const {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", pointer(name)}});
  }
  Error wrong_type(std::string_view name, std::string_view expected) const {
    return field_type_error(pointer(name), expected);
  }

  const boost::json::object& object_;
  std::string prefix_;
  std::set<std::string> taken_;
};

}  // namespace sunbid::server
