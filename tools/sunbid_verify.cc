// sunbid-verify: checks sunbid's audit log offline, trusting nothing but a
// pinned verifier key. Built from audit_log (and, for recomputation, the pure
// functions of evaluation); never linked with server code.
//
//   sunbid-verify log DB_FILE_OR_EXPORT_DIR [--key VKEY]
//   sunbid-verify checkpoint --key VKEY FILE
//   sunbid-verify consistency --key VKEY OLD_CHECKPOINT DB_FILE
//   sunbid-verify trail --key VKEY FILE
//
// VKEY is the verifier key string (name+keyid+base64key) or a file holding it.
// Exit 0 with a one-line summary; 1 with "entry N: <reason>" or the
// checkpoint at fault; 2 on unusable input.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "assembly/recompute_motion.h"
#include "audit_log/trail.h"
#include "audit_log/verify.h"
#include "evaluation/recompute.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

int report_error(const Error& e) {
  std::fprintf(stderr, "%s\n", e.message.c_str());
  return e.code == "input_unusable" ? 2 : 1;
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --key takes the key itself or a file holding it.
std::optional<std::string> resolve_key(const std::string& arg) {
  if (arg.empty()) return std::nullopt;
  std::error_code ec;
  if (std::filesystem::is_regular_file(arg, ec)) {
    auto text = read_text(arg);
    if (!text) return std::nullopt;
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
    return text;
  }
  return arg;
}

std::string pin_note(const LogReport& r) {
  return r.key_pinned ? "key pinned" : r.key_note;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sunbid-verify — 审计日志离线验证 / offline verification of the sunbid audit log"};
  app.require_subcommand(1);
  std::string key_arg;

  auto* log =
      app.add_subcommand("log", "验证整个日志 / verify a database copy or an export directory");
  std::string log_path;
  log->add_option("PATH", log_path, "sunbid.db copy or export directory")->required();
  log->add_option("--key", key_arg, "pinned verifier key (string or file)");

  auto* cp = app.add_subcommand("checkpoint", "验证检查点签名 / verify a signed checkpoint");
  std::string cp_file;
  cp->add_option("--key", key_arg, "pinned verifier key (string or file)")->required();
  cp->add_option("FILE", cp_file, "checkpoint note")->required();

  auto* cons = app.add_subcommand("consistency",
                                  "旧检查点与数据库一致 / an old checkpoint against a database");
  std::string old_file, db_file;
  cons->add_option("--key", key_arg, "pinned verifier key (string or file)")->required();
  cons->add_option("OLD_CHECKPOINT", old_file, "an older checkpoint note")->required();
  cons->add_option("DB_FILE", db_file, "sunbid.db copy")->required();

  auto* trail =
      app.add_subcommand("trail", "验证招标或议题轨迹 / verify an exported tender or motion trail");
  std::string trail_file;
  trail->add_option("--key", key_arg, "pinned verifier key (string or file)")->required();
  trail->add_option("FILE", trail_file, "trail JSON")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  std::optional<std::string> key = resolve_key(key_arg);
  if (!key_arg.empty() && !key) {
    std::fprintf(stderr, "unusable input: cannot read the key %s\n", key_arg.c_str());
    return 2;
  }
  VerifyOptions options;
  options.pinned_key = key;

  if (log->parsed()) {
    auto t0 = std::chrono::steady_clock::now();
    std::error_code ec;
    auto r = std::filesystem::is_directory(log_path, ec) ? verify_log_export(log_path, options)
                                                         : verify_log_database(log_path, options);
    if (!r.ok()) return report_error(r.error());
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string covered =
        r->checkpoint ? fmt::format("checkpoint {} at size {} ({} checked)", r->checkpoint->origin,
                                    r->checkpoint->size, r->checkpoints_checked)
                      : std::string("no checkpoint");
    std::printf("OK: %llu entries (%llu withheld), root %s, %s; %s; %.2f s (%.0f entries/s)\n",
                static_cast<unsigned long long>(r->entries),
                static_cast<unsigned long long>(r->withheld), hex_encode(r->root).c_str(),
                covered.c_str(), pin_note(*r).c_str(), s, static_cast<double>(r->entries) / s);
    return 0;
  }
  if (cp->parsed()) {
    auto note = read_text(cp_file);
    if (!note) {
      std::fprintf(stderr, "unusable input: cannot read %s\n", cp_file.c_str());
      return 2;
    }
    auto c = verify_checkpoint_note(*note, *key);
    if (!c.ok()) return report_error(c.error());
    std::printf("OK: checkpoint %s, tree size %llu, root %s, signed by the pinned key\n",
                c->origin.c_str(), static_cast<unsigned long long>(c->size),
                hex_encode(c->root).c_str());
    return 0;
  }
  if (cons->parsed()) {
    auto note = read_text(old_file);
    if (!note) {
      std::fprintf(stderr, "unusable input: cannot read %s\n", old_file.c_str());
      return 2;
    }
    auto r = verify_consistency_with_database(*note, db_file, options);
    if (!r.ok()) return report_error(r.error());
    std::printf(
        "OK: the log only grew: %llu entries, consistent with the old checkpoint; key "
        "pinned\n",
        static_cast<unsigned long long>(r->entries));
    return 0;
  }
  if (trail->parsed()) {
    auto text = read_text(trail_file);
    if (!text) {
      std::fprintf(stderr, "unusable input: cannot read %s\n", trail_file.c_str());
      return 2;
    }
    auto t = verify_trail(*text, key);
    if (!t.ok()) return report_error(t.error());
    // Recompute every draw, the review, the narrowing and the decision.
    auto lines = eval::recompute_trail(*t, *key);
    // A motion's trail (GET /motions/{id}/trail): its tally and outcome.
    for (auto& l : assembly::recompute_motion_trail(*t)) lines.push_back(std::move(l));
    std::size_t mismatches = 0;
    std::size_t pending = 0;
    for (const auto& l : lines) {
      if (l.pending) {
        ++pending;
      } else if (!l.matches) {
        ++mismatches;
      }
      std::printf("%s %s: %s\n", l.pending ? "pending " : (l.matches ? "ok      " : "MISMATCH"),
                  l.what.c_str(), l.detail.c_str());
    }
    if (mismatches > 0) {
      std::fprintf(stderr, "%zu of %zu recomputations do not match the trail\n", mismatches,
                   lines.size());
      return 1;
    }
    std::printf(
        "OK: trail of %zu entries, every inclusion proof valid against checkpoint %s at "
        "size %llu; %zu recomputations match; %zu pending (entries withheld until the "
        "decision); key pinned\n",
        t->entries.size(), t->origin.c_str(), static_cast<unsigned long long>(t->tree_size),
        lines.size() - pending, pending);
    return 0;
  }
  return 2;
}
