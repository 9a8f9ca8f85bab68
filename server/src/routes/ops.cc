// Operations: health, metrics, and the dev clock of --dev-clock.
#include <boost/json/object.hpp>

#include "audit_log/time_format.h"
#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "tender_core/documents.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

Result<Response> get_health(Ctx& c) {
  const bool failing = c.ledger().failure().has_value();
  boost::json::object o{{"status", failing ? "failing" : "ok"},
                        {"time", format_rfc3339_ms(c.now_ms())}};
  return json_response(failing ? 503 : 200, o);
}

Result<Response> get_metrics(Ctx& c) {
  std::string out;
  auto line = [&](std::string_view name, std::string_view type, std::string_view help,
                  std::uint64_t value) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
    out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
    out += std::string(name) + " " + std::to_string(value) + "\n";
  };
  const Metrics& m = c.s.metrics;
  out += "# HELP sunbid_http_responses_total HTTP responses by status class.\n";
  out += "# TYPE sunbid_http_responses_total counter\n";
  for (std::size_t k = 1; k <= 5; ++k) {
    out += "sunbid_http_responses_total{class=\"" + std::to_string(k) + "xx\"} " +
           std::to_string(m.responses_by_class[k].load()) + "\n";
  }
  line("sunbid_logins_total", "counter", "Successful logins.", m.logins.load());
  line("sunbid_login_failures_total", "counter", "Failed logins.", m.login_failures.load());
  line("sunbid_login_throttled_total", "counter", "Logins refused by throttling.",
       m.login_throttled.load());
  audit::Ledger& ledger = c.ledger();
  auto stats = ledger.stats();
  line("sunbid_ledger_commands_total", "counter", "Ledger commands run.", stats.commands);
  line("sunbid_ledger_commits_total", "counter", "Ledger transactions committed.", stats.commits);
  line("sunbid_ledger_failed_commands_total", "counter", "Ledger commands refused or failed.",
       stats.failed_commands);
  line("sunbid_ledger_stopped", "gauge", "1 when the ledger has stopped for good.",
       ledger.failure() ? 1 : 0);
  line("sunbid_audit_log_size", "gauge", "Entries in the audit log.", ledger.committed_log().size);
  {
    // The document worker's backlog (docs/documents.md): 0 once every
    // published document has its PDF and document.rendered entry.
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger.reader());
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t unrendered, core::unrendered_count(lease.db()));
    line("sunbid_documents_unrendered", "gauge",
         "Official documents published but not yet rendered.", unrendered);
  }
  if (c.s.options.extra_metrics) out += c.s.options.extra_metrics();
  Response r = text_response(std::move(out));
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

// The jump is logged first, so a trail read later shows why time leapt; the
// jump's transitions are applied before the answer.
Result<Response> post_dev_clock(Ctx& c, const ReqDevClock& req) {
  const accounts::Actor actor = c.call.actor();
  const std::int64_t seconds = req.advance_s;
  SUNBID_TRY(c.ledger().run<bool>([&](audit::WriteTxn& txn) -> Result<bool> {
    audit::EntryDraft d;
    d.actor = actor.account_id;
    d.role = actor.role;
    d.source_address = actor.client_address;
    d.type = "dev.clock_advanced";
    d.payload["advance_s"] = seconds;
    SUNBID_TRY(txn.append(d));
    return true;
  }));
  c.s.options.dev_clock->advance_ms(seconds * 1000);
  const std::int64_t now = c.now_ms();
  SUNBID_ASSIGN_OR_RETURN(int applied, c.s.tick.run(now));
  return ok_json(
      boost::json::object{{"time", format_rfc3339_ms(now)}, {"transitions_applied", applied}});
}

}  // namespace sunbid::server::routes
