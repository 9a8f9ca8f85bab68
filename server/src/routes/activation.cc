// Owner onboarding (issue 13 §1, accounts/activation.h, docs/activation.md):
// issuing activation codes for a community's roster, activating an owner
// account (or resetting its password) with a code, and the supervisors' list
// of activations made shortly before an owners' vote.
//
// Codes appear in exactly one place: the answer that issues them (no-store,
// like every answer). They never reach an error, a log entry or the server's
// standard error.
#include "accounts/activation.h"

#include <boost/json/object.hpp>

#include "accounts/access_record.h"
#include "audit_log/time_format.h"
#include "documents/activation_letters.h"
#include "evaluation/vote_proximity.h"
#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "tender_core/registry.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

namespace {

// The refusals a guesser gets: they stay counted in the activation throttle.
// Any other refusal (a taken username, say) came with a valid code, so the
// attempt is taken back.
bool is_guess(const Error& e) {
  return e.code.starts_with("activation_code_") || e.code.starts_with("certificate_tail_");
}

boost::json::object batch_json(const accounts::IssuedBatch& b, std::string_view base_url) {
  boost::json::array codes;
  codes.reserve(b.codes.size());
  for (const accounts::IssuedCode& c : b.codes) {
    boost::json::array units;
    for (const auto& u : c.units) {
      units.push_back({{"unit", u.unit}, {"area_centi_m2", u.area_centi_m2}});
    }
    boost::json::object o{{"owner_key", c.owner_key},
                          {"building", c.building},
                          {"units", std::move(units)},
                          {"area_centi_m2", c.area_centi_m2},
                          {"headcount", c.headcount},
                          {"developer", c.developer},
                          {"purpose", std::string(accounts::purpose_name(c.purpose))},
                          {"code", c.code},
                          {"activation_url", accounts::activation_link(base_url, c.code)},
                          {"expires_at", format_rfc3339_ms(c.expires_ms)}};
    if (c.account_id) o["account_id"] = *c.account_id;
    codes.push_back(std::move(o));
  }
  return {{"batch_id", b.batch_id},
          {"community_id", b.community_id},
          {"community_name", b.community_name},
          {"roster_version", b.roster_version},
          {"issued_at", format_rfc3339_ms(b.issued_ms)},
          {"expires_at", format_rfc3339_ms(b.expires_ms)},
          {"codes_issued", static_cast<std::int64_t>(b.codes.size())},
          {"codes_revoked", b.codes_revoked},
          {"log_index", idx(b.log_index)},
          {"codes", std::move(codes)}};
}

// Whether the caller asked for the letters (Accept: application/pdf) rather
// than the JSON batch.
bool wants_pdf(const Ctx& c) {
  return c.call.request.accept.find("application/pdf") != std::string::npos;
}

// The activation letters of a batch as one PDF (documents/activation_letters.h):
// one page per owner key, in the batch's order (by building, then first unit).
Result<Response> letters_pdf(Ctx& c, const accounts::IssuedBatch& b) {
  core::Community community;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(community, core::Registry::community(lease.db(), b.community_id));
  }
  documents::ActivationLettersInput in;
  in.community = {community.name, community.district, community.address};
  in.event_time_ms = b.issued_ms;
  in.letters.reserve(b.codes.size());
  for (const accounts::IssuedCode& code : b.codes) {
    documents::ActivationLetter l;
    l.building = code.building;
    l.owner_key = code.owner_key;
    for (const auto& u : code.units) l.units.push_back({u.unit, u.area_centi_m2});
    l.area_total_centi_m2 = code.area_centi_m2;
    l.heads = code.headcount;
    l.code = code.code;
    l.activation_link = accounts::activation_link(c.s.options.public_base_url, code.code);
    // Valid through the last China day (docs/activation.md: to 24:00).
    l.expires_text = accounts::china_date(code.expires_ms - 1);
    in.letters.push_back(std::move(l));
  }
  SUNBID_ASSIGN_OR_RETURN(std::string pdf, documents::render_activation_letters(in));
  Response r;
  r.status = 201;
  r.content_type = "application/pdf";
  r.body = std::move(pdf);
  r.headers.emplace_back("Content-Disposition", "attachment; filename*=UTF-8''activation-letters-" +
                                                    b.community_id + "-" + b.batch_id + ".pdf");
  // The codes are in it: never stored by a cache.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

// POST /communities/{id}/activation-codes {owner_keys?, reissue?, valid_days?}:
// on a worker, because the letters (Accept: application/pdf) are rendered
// after the command, never on the ledger's writer. Codes are never stored in
// the clear, so the letters come only in this answer.
Result<Response> post_activation_codes(Ctx& c, const ReqActivationCodes& req) {
  SUNBID_ASSIGN_OR_RETURN(const accounts::ActivationKey* key, c.s.activation_key());
  const auto& account = c.call.session->account;  // present: the policy requires a session
  accounts::Issuer issuer{c.call.actor(), account.role, account.community_id};
  accounts::IssueRequest request;
  request.community_id = c.id();
  request.owner_keys = req.owner_keys;
  request.reissue = req.reissue;
  request.valid_days = req.valid_days;
  SUNBID_ASSIGN_OR_RETURN(accounts::IssuedBatch b,
                          c.ledger().run<accounts::IssuedBatch>([&](audit::WriteTxn& txn) {
                            return accounts::issue_activation_codes(txn, *key, request, issuer);
                          }));
  if (wants_pdf(c)) return letters_pdf(c, b);
  return created(batch_json(b, c.s.options.public_base_url));
}

// POST /activate {code, username?, password, display_name?, certificate_tail?}:
// admitted here (the throttle, the login queue), the code checked on a
// reader and the password hashed on the login pool, then the ledger command
// that re-checks everything and uses the code.
Result<Pending> post_activate(Ctx& c, const ReqActivate& req) {
  Services& s = c.s;
  SUNBID_ASSIGN_OR_RETURN(const accounts::ActivationKey* key, s.activation_key());
  if (s.pending_logins.fetch_add(1) >= s.options.limits.max_pending_logins) {
    s.pending_logins.fetch_sub(1);
    return make_error("login_busy", "登录繁忙，请稍后再试 / too many logins in progress",
                      {{"retry_after_s", 1}});
  }
  // The throttle's pair is (code, address): the code normalized, so that
  // spacing or case makes no new pair (a malformed one as typed, at most 64
  // bytes: the decoder refused longer). The address's own limit is what
  // bounds guessing across codes. The throttle is memory only: the code
  // never reaches a log.
  const std::string pair = accounts::normalize_activation_code(req.code).value_or(req.code);
  const std::string address = c.call.client_address;
  const std::int64_t now = c.now_ms();
  if (auto wait = s.activation_throttle.begin(pair, address, now)) {
    s.pending_logins.fetch_sub(1);
    return make_error("too_many_activation_attempts",
                      "激活尝试失败次数过多，请稍后再试 / too many failed activation attempts; "
                      "try later",
                      {{"retry_after_s", *wait}});
  }
  return Pending{[&s, key, req, pair, address, now, actor = c.call.actor()](auto done) {
    struct Admitted {
      std::atomic<int>& n;
      ~Admitted() { n.fetch_sub(1); }
    } admitted{s.pending_logins};
    auto finish = [&s, pair, address, done](Result<Response> r) {
      if (r.ok() || !is_guess(r.error())) s.activation_throttle.succeeded(pair, address);
      done(std::move(r));
    };
    {
      auto lease = s.ledger().reader();
      if (!lease.ok()) return finish(std::move(lease).error());
      Status st = accounts::check_presented_code(lease->db(), *key, req.code, now);
      if (!st.ok()) return finish(std::move(st).error());
    }
    auto hash = accounts::hash_password(req.password, s.options.scrypt);
    if (!hash.ok()) return finish(std::move(hash).error());
    accounts::ActivationInput in;
    in.code = req.code;
    in.username = req.username;
    in.display_name = req.display_name;
    in.certificate_tail = req.certificate_tail;
    auto out = std::make_shared<accounts::Activated>();
    s.ledger().submit(
        [key, in = std::move(in), hash = std::move(hash).value(), actor,
         out](audit::WriteTxn& txn) -> Status {
          SUNBID_ASSIGN_OR_RETURN(*out, accounts::activate_with_code(txn, *key, in, hash, actor,
                                                                     eval::owners_vote_near));
          return {};
        },
        [&s, out, finish](Status st) {
          if (!st.ok()) return finish(std::move(st).error());
          // A reset ended the account's sessions: none may stay cached.
          if (out->reset) s.sessions.erase_account(out->account_id);
          finish(created(boost::json::object{{"account_id", out->account_id},
                                             {"username", out->username},
                                             {"role", "owner"},
                                             {"community_id", out->community_id},
                                             {"reset", out->reset},
                                             {"sessions_revoked", out->sessions_revoked},
                                             {"log_index", idx(out->log_index)}}));
        });
  }};
}

// GET /activation-flags?community_id=&cursor=&limit=: the activations and
// resets made within 15 days before an owners' vote, oldest first.
Result<Response> get_activation_flags(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n, list_limit(c.query()));
  // The cursor is the log index of the last flag of the previous page.
  SUNBID_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> after,
                          query_uint(c.query(), "cursor"));
  const std::string community = query_text(c.query(), "community_id");
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(
      auto page,
      accounts::activation_flags(
          lease.db(), community.empty() ? std::nullopt : std::optional<std::string_view>(community),
          after, static_cast<std::size_t>(n)));
  boost::json::array items;
  for (const auto& f : page.items) {
    items.push_back({{"log_index", idx(f.log_index)},
                     {"community_id", f.community_id},
                     {"account_id", f.account_id},
                     {"kind", f.reset ? "reset" : "activation"},
                     {"at", format_rfc3339_ms(f.at_ms)}});
  }
  std::optional<std::string> next;
  if (page.next_cursor) next = std::to_string(*page.next_cursor);
  return page_answer(std::move(items), next);
}

}  // namespace sunbid::server::routes
