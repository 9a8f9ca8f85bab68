#include "http/context.h"

#include "accounts/access_record.h"
#include "accounts/activation.h"
#include "assembly/selection_plan.h"
#include "audit_log/time_format.h"
#include "tender_core/time.h"

namespace sunbid::server {

namespace {

// The tender service's settings that are server limits (draft size caps).
core::PlatformSettings platform_settings(const limits::Settings& l) {
  core::PlatformSettings s;
  s.max_title_bytes = static_cast<std::size_t>(l.max_tender_title_bytes);
  s.max_rules_bytes = static_cast<std::size_t>(l.max_tender_rules_bytes);
  return s;
}

}  // namespace

accounts::Actor Call::actor() const {
  accounts::Actor a;
  if (session) {
    a.account_id = session->account.id;
    a.role = std::string(accounts::role_name(session->account.role));
  } else {
    a.account_id = "anonymous";
    a.role = "anonymous";
  }
  a.client_address = client_address;
  return a;
}

core::Actor Call::viewer() const {
  core::Actor a;
  if (session) {
    const accounts::AccountRecord& acc = session->account;
    a.account = acc.id;
    a.role = std::string(accounts::role_name(acc.role));
    a.community_id = acc.community_id.value_or("");
    a.enterprise_uscc = acc.enterprise_uscc.value_or("");
    a.owner_key = acc.owner_key.value_or("");
    if (acc.tenderer_kind) a.tenderer_kind = accounts::tenderer_kind_name(*acc.tenderer_kind);
  } else {
    a.account = "anonymous";
    a.role = "public";
  }
  a.source_address = client_address;
  return a;
}

Result<int> PlatformTick::run(std::int64_t now_ms) {
  std::vector<core::TickFailure> failed;
  SUNBID_ASSIGN_OR_RETURN(int applied, evaluation_.tick(now_ms, failed));
  for (const auto& f : failed) {
    std::fprintf(stderr, "sunbid: background tick skipped tender %s: %s\n", f.tender_id.c_str(),
                 f.error.to_string().c_str());
  }
  std::vector<assembly::MotionTickFailure> motion_failures;
  SUNBID_ASSIGN_OR_RETURN(int motions_applied, motions_.tick(motion_failures));
  (void)motions_applied;  // the answer counts tender_core's transitions
  for (const auto& f : motion_failures) {
    std::fprintf(stderr, "sunbid: background tick skipped motion %s: %s\n", f.motion_id.c_str(),
                 f.error.to_string().c_str());
  }
  SUNBID_TRY(commit_access_record(now_ms));
  // Open data follows the log (publication/ocds.h).
  SUNBID_TRY(ocds_.catch_up(ledger_));
  return applied;
}

// The day last done is remembered, so that the tick writes nothing otherwise.
Status PlatformTick::commit_access_record(std::int64_t now_ms) {
  const std::string day = accounts::china_date(accounts::china_day_start_ms(now_ms) - 1);
  {
    std::lock_guard lock(mu_);
    if (!committed_day_.empty() && committed_day_ >= day) return {};
  }
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger_.reader());
    SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> last,
                            accounts::last_committed_day(lease.db()));
    if (!last || *last < day) {
      SUNBID_TRY(ledger_.run<bool>([now_ms](audit::WriteTxn& txn) {
        return accounts::commit_access_record_day(txn, now_ms);
      }));
    }
  }
  std::lock_guard lock(mu_);
  // Also when the record was empty at that day's end: later records belong
  // to later days.
  if (committed_day_ < day) committed_day_ = day;
  return {};
}

Services::Services(ApiOptions o)
    : options(std::move(o)),
      clock(options.clock ? options.clock : &system_clock),
      registry(*options.ledger),
      tenders(*options.ledger, *clock, platform_settings(options.limits)),
      evaluation(*options.ledger, *clock, tenders),
      motions(*options.ledger, *clock, registry),
      replacements(
          options.limits.max_replacements_per_window,
          std::chrono::duration_cast<std::chrono::milliseconds>(options.limits.replacement_window),
          options.limits.max_throttle_keys) {
  registry.set_calendar_hook(evaluation.calendar_hook());
  // No tender publishes without its owners' passed selection plan (issue 13
  // §2): composed with evaluation's publication hook.
  assembly::install_selection_plan_gate(tenders);
  // The roster's certificate tails, kept only as salted digests, and the
  // owner accounts of keys a new roster drops disabled (docs/activation.md).
  accounts::add_roster_hooks(registry);
  activation_key_ = options.activation_key;
}

Result<const accounts::ActivationKey*> Services::activation_key() {
  std::lock_guard lock(key_mu_);
  if (!activation_key_) {
    SUNBID_ASSIGN_OR_RETURN(auto key,
                            accounts::ActivationKey::load_or_create(
                                accounts::activation_key_file(ledger().db_path().parent_path())));
    activation_key_ = std::move(key);
  }
  return &*activation_key_;
}

const accounts::PasswordHash& Services::dummy_password() {
  std::call_once(dummy_once_, [&] {
    auto h = accounts::hash_password("sunbid-dummy-password", options.scrypt);
    if (h.ok()) dummy_hash_ = std::move(h).value();
  });
  return dummy_hash_;
}

Status Services::rate_limit_writes(const Call& call) {
  if (!call.session) return {};
  if (auto wait = replacements.acquire(call.session->account.id, now_ms())) {
    return make_error("too_many_replacements",
                      "提交过于频繁，请稍后再试 / too many submissions; try later",
                      {{"retry_after_s", *wait}});
  }
  return {};
}

}  // namespace sunbid::server
