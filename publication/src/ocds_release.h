// How one public audit entry of a tender changes the tender's OCDS release
// (docs/ocds.md has the mapping table). Internal to the publication module.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "publication/ocds.h"

namespace sunbid::publication::detail {

// The release entry `entry` (the parsed audit entry: index, time, type,
// tender, payload) makes, given the tender's previous release (nullptr
// before its first); nullopt when the entry is not a stage of the tender's
// public record. Names the entries do not carry are read from `db`'s
// registers. Amounts in the result are decimal strings (ocds_json.h).
Result<std::optional<boost::json::object>> next_release(audit::Database& db,
                                                        const OcdsSettings& settings,
                                                        const boost::json::object* previous,
                                                        const boost::json::object& entry);

}  // namespace sunbid::publication::detail
