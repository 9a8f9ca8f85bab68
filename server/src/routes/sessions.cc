// Sessions and accounts: login and logout, new accounts and the
// supervisor's approvals, disabling an account (accounts.h).
#include <boost/json/object.hpp>

#include "accounts/relations.h"
#include "audit_log/time_format.h"
#include "http/answer.h"
#include "http/cookie.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "server/limits.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

namespace {

Error wrong_credentials() {
  return make_error("invalid_credentials", "用户名或密码错误 / wrong username or password");
}

// On the login pool: the password check, then the session's ledger command.
// `done` runs once, with the answer.
void login(Services& s, const ReqSession& req, accounts::Actor actor, std::int64_t now,
           const std::function<void(Result<Response>)>& done) {
  auto lease = s.ledger().reader();
  if (!lease.ok()) return done(std::move(lease).error());
  auto account = accounts::check_login(lease->db(), req.username, req.password, s.dummy_password());
  const bool password_right = account.ok() || account.error().code == "account_disabled";
  if (!account.ok() && account.error().code == "invalid_credentials") {
    s.metrics.login_failures.fetch_add(1);
  }
  // The throttle forgets the failures once the password was right, also for
  // a disabled account (which still cannot log in).
  if (password_right) s.throttle.succeeded(req.username, actor.client_address.value_or(""));
  if (!account.ok()) return done(std::move(account).error());
  auto token = accounts::new_session_token();
  if (!token.ok()) return done(std::move(token).error());
  const std::int64_t expires =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(limits::kSessionLifetime).count();
  actor.account_id = account->id;
  actor.role = std::string(accounts::role_name(account->role));
  accounts::AccountRecord rec = std::move(account).value();
  accounts::SessionToken tok = *token;
  const bool cookie = req.cookie.value_or(false);
  s.ledger().submit(
      [tok, rec, expires, actor](audit::WriteTxn& txn) {
        return accounts::open_session(txn, tok, rec, expires, actor);
      },
      [&s, tok, rec, expires, now, cookie, done](Status st) {
        if (!st.ok()) return done(std::move(st).error());
        s.metrics.logins.fetch_add(1);
        boost::json::object o{{"role", std::string(accounts::role_name(rec.role))},
                              {"account_id", rec.id},
                              {"expires_at", format_rfc3339_ms(expires)}};
        if (!cookie) {
          o["token"] = accounts::format_session_token(tok);
          return done(created(o));
        }
        // The token goes only into the cookie, which script cannot read.
        Response r = created(o);
        r.headers.emplace_back("Set-Cookie", session_cookie(accounts::format_session_token(tok),
                                                            (expires - now) / 1000));
        done(std::move(r));
      });
}

}  // namespace

// POST /sessions: admitted here (name length, queue bound, throttle), the
// scrypt check on the login pool.
Result<Pending> post_sessions(Ctx& c, const ReqSession& req) {
  Services& s = c.s;
  // A cookie login from another site's page would plant that site's
  // session in the browser (login CSRF): only our own pages ask for one.
  if (req.cookie.value_or(false) && !is_own_origin(c.call.request.origin, c.call.request.host)) {
    return make_error("origin_mismatch", "请求来源不是本站 / the request's Origin is not this site",
                      {{"origin", c.call.request.origin}});
  }
  // No account has a longer name: refused before any throttle state or
  // scrypt is spent on it.
  if (req.username.size() > limits::kMaxUsernameBytes) {
    s.metrics.login_failures.fetch_add(1);
    return wrong_credentials();
  }
  if (s.pending_logins.fetch_add(1) >= s.options.limits.max_pending_logins) {
    s.pending_logins.fetch_sub(1);
    return make_error("login_busy", "登录繁忙，请稍后再试 / too many logins in progress",
                      {{"retry_after_s", 1}});
  }
  const std::int64_t now = c.now_ms();
  if (auto wait = s.throttle.begin(req.username, c.call.client_address, now)) {
    s.pending_logins.fetch_sub(1);
    s.metrics.login_throttled.fetch_add(1);
    return make_error("too_many_attempts",
                      "登录失败次数过多，请稍后再试 / too many failed logins; try later",
                      {{"retry_after_s", *wait}});
  }
  return Pending{[&s, req, actor = c.call.actor(), now](auto done) {
    struct Admitted {
      std::atomic<int>& n;
      ~Admitted() { n.fetch_sub(1); }
    } admitted{s.pending_logins};
    login(s, req, actor, now, done);
  }};
}

// DELETE /sessions/current. The session is dropped from the cache now and
// again once its row is gone, so that a request racing the commit cannot
// leave it cached.
Result<Pending> delete_session(Ctx& c) {
  const accounts::SessionToken tok = *c.call.token;  // present: the policy requires a session
  const Hash key = session_token_hash(tok);
  SessionCache& sessions = c.s.sessions;
  sessions.erase(key);
  return ledger_command<bool>(
      c.ledger(),
      [tok, actor = c.call.actor()](audit::WriteTxn& txn) -> Result<bool> {
        SUNBID_TRY(accounts::close_session(txn, tok, actor));
        return true;
      },
      [&sessions, key](bool) -> Result<Response> {
        sessions.erase(key);
        // The browser forgets its cookie; a bearer client ignores this.
        Response r = no_content();
        r.headers.emplace_back("Set-Cookie", cleared_session_cookie());
        return r;
      });
}

// DELETE /sessions/others: the caller ends every other session of its
// account (a token left on another device, a leaked one).
Result<Pending> delete_other_sessions(Ctx& c) {
  const accounts::SessionToken tok = *c.call.token;
  const Hash keep = session_token_hash(tok);
  const std::string account_id = c.call.session->account.id;
  SessionCache& sessions = c.s.sessions;
  sessions.erase_account(account_id, &keep);
  return ledger_command<std::int64_t>(
      c.ledger(),
      [tok, actor = c.call.actor()](audit::WriteTxn& txn) {
        return accounts::close_other_sessions(txn, tok, actor);
      },
      [&sessions, keep, account_id](std::int64_t closed) -> Result<Response> {
        sessions.erase_account(account_id, &keep);
        return ok_json(boost::json::object{{"sessions_closed", closed}});
      });
}

namespace {

// POST /accounts and POST /account-approvals take the same body; an account
// whose enterprise or owner binding another account holds is refused by the
// first (409 account_binding_held) and waits for a supervisor by the second
// (security A7). The password is hashed when the command starts (worker).
Result<Pending> new_account(Ctx& c, const ReqNewAccount& req, bool approval) {
  audit::Ledger& ledger = c.ledger();
  {
    // Communities and rosters are never deleted: reading before the command
    // is enough.
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger.reader());
    SUNBID_TRY(accounts::check_account_relations(lease.db(), req.account));
  }
  return pending<std::string>(
      [&ledger, account = req.account, password = req.password, approval,
       scrypt = c.s.options.scrypt, actor = c.call.actor()](auto done) {
        auto hash = accounts::hash_password(password, scrypt);
        if (!hash.ok()) return done(std::move(hash).error());
        auto id = std::make_shared<std::string>();
        ledger.submit(
            [account, approval, hash = std::move(hash).value(), actor,
             id](audit::WriteTxn& txn) -> Status {
              SUNBID_ASSIGN_OR_RETURN(
                  *id, approval ? accounts::request_account_approval(txn, account, hash, actor)
                                : accounts::create_unshared_account(txn, account, hash, actor));
              return {};
            },
            [id, done](Status st) {
              if (!st.ok()) return done(std::move(st).error());
              done(*id);
            });
      },
      [account = req.account, approval](std::string id) -> Result<Response> {
        boost::json::object o{{"id", id},
                              {"username", account.username},
                              {"role", std::string(accounts::role_name(account.role))}};
        if (account.role == accounts::Role::kTenderer && !approval) {
          o["tenderer_kind"] = accounts::tenderer_kind_name(
              account.tenderer_kind.value_or(accounts::TendererKind::kOwnersCommittee));
        }
        if (!approval) return created(o);
        o["state"] = "pending";
        return json_response(202, o);
      });
}

}  // namespace

Result<Pending> post_accounts(Ctx& c, const ReqNewAccount& req) {
  return new_account(c, req, false);
}
Result<Pending> post_account_approval(Ctx& c, const ReqNewAccount& req) {
  return new_account(c, req, true);
}

Result<Pending> post_approve_account(Ctx& c, const ReqEmpty&) {
  return ledger_command<accounts::ApprovedAccount>(
      c.ledger(),
      [approval_id = c.id(), actor = c.call.actor()](audit::WriteTxn& txn) {
        return accounts::approve_account(txn, approval_id, actor);
      },
      [approval_id = c.id()](accounts::ApprovedAccount a) -> Result<Response> {
        return created(boost::json::object{{"id", a.account_id},
                                           {"username", a.username},
                                           {"role", std::string(accounts::role_name(a.role))},
                                           {"approval", approval_id}});
      });
}

// GET /account-approvals?limit=&cursor=: the requests waiting for a
// supervisor, oldest first, each with the account that holds its binding
// now; never password material.
Result<Response> get_account_approvals(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n, list_limit(c.query()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto page,
                          accounts::pending_approvals(lease.db(), query_text(c.query(), "cursor"),
                                                      static_cast<std::size_t>(n)));
  boost::json::array items;
  for (const auto& a : page.items) {
    items.push_back({{"id", a.id},
                     {"state", "pending"},
                     {"username", a.username},
                     {"role", std::string(accounts::role_name(a.role))},
                     {"display_name", a.display_name},
                     {"community_id", or_null(a.community_id)},
                     {"enterprise_uscc", or_null(a.enterprise_uscc)},
                     {"owner_key", or_null(a.owner_key)},
                     {"requested_by", a.requested_by},
                     {"requested_at", format_rfc3339_ms(a.requested_ms)},
                     {"binding_held_by", or_null(a.binding_held_by)}});
  }
  return page_answer(std::move(items), page.next_cursor);
}

// POST /accounts/{id}/disable {reason}: the account can no longer log in,
// and its sessions end at once (the cache drops them before and after the
// commit).
Result<Pending> post_disable_account(Ctx& c, const ReqDisableAccount& req) {
  const std::string account_id = c.id();
  SessionCache& sessions = c.s.sessions;
  sessions.erase_account(account_id);
  return ledger_command<bool>(
      c.ledger(),
      [account_id, reason = req.reason, actor = c.call.actor()](audit::WriteTxn& txn) {
        return accounts::disable_account(txn, account_id, reason, actor);
      },
      [account_id, &sessions](bool changed) -> Result<Response> {
        sessions.erase_account(account_id);
        return ok_json(boost::json::object{
            {"id", account_id}, {"disabled", true}, {"already_disabled", !changed}});
      });
}

}  // namespace sunbid::server::routes
