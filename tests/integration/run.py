#!/usr/bin/env python3
"""Black-box integration tests of `sunbid serve` (see README.md here).

    python3 tests/integration/run.py --sunbid build/dev/server/sunbid [-v]

Starts the server in a temp data dir, runs every check, stops it with
SIGTERM and prints "N passed, M failed, K skipped"; exits 1 on any failure.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import urllib3  # noqa: E402

import checks  # noqa: E402
import gate_checks  # noqa: E402
import decide_checks  # noqa: E402
import errkind_checks  # noqa: E402
import periods_checks  # noqa: E402
import periods2_checks  # noqa: E402
import scenarios  # noqa: E402
import draws_checks  # noqa: E402
import redraw_checks  # noqa: E402
import abuse_checks  # noqa: E402
import ocds_checks  # noqa: E402
import docs_checks  # noqa: E402
import secrets_checks  # noqa: E402
import web_checks  # noqa: E402
import letters_checks  # noqa: E402
import activation_checks  # noqa: E402
import motions_checks  # noqa: E402
import kinds_checks  # noqa: E402
import paper_checks  # noqa: E402
from harness import Client, Contract, Results, Server, Skip  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))


class Ctx:
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sunbid", required=True, help="the sunbid binary")
    ap.add_argument("--source", default=SOURCE, help="the source tree (schemas/, server/src/policy.cc)")
    ap.add_argument("--conformance", default=os.path.normpath(os.path.join(SOURCE, "..", "shared", "conformance")))
    ap.add_argument("--sunbid-verify", help="the sunbid-verify binary (default: tools/sunbid-verify "
                    "beside the sunbid binary's server/ directory)")
    ap.add_argument("--only", help="run only checks whose name contains this")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not args.sunbid_verify:
        args.sunbid_verify = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.sunbid))),
                                          "tools", "sunbid-verify")
    urllib3.disable_warnings()  # no warning is expected: verification stays on (pinned certificate)

    results = Results(args.verbose)
    ctx = Ctx()
    ctx.args = args
    ctx.serial = 0
    ctx.contract = Contract(os.path.join(args.source, "schemas", "openapi.json"))
    ctx.policy = checks.read_policy(os.path.join(args.source, "server", "src", "policy.cc"))
    ctx.server = server = Server(os.path.abspath(args.sunbid))
    t0 = time.monotonic()
    try:
        server.add_admin()
        server.start()
        ctx.client = Client(server, ctx.contract, results)
        ctx.credentials = {"admin": ("admin", server.admin_password)}
        ctx.credentials.update({r: (f"user.{r}", checks.PASSWORD.format(r)) for r in checks.ROLES[1:]})
        # The slow client runs beside the other checks (the server drops it
        # only after its header timeout).
        ctx.slow_client = checks.SlowClient(ctx)
        ctx.slow_client.start()
        steps = [("setup accounts", checks.setup_accounts),
                 ("(a) error codes against x-error-codes", errkind_checks.check_errkind),
                 ("(a) schemas", checks.check_schemas),
                 ("(b) examples", checks.check_examples),
                 ("(b) audit entry payloads", checks.check_audit_entries),
                 ("(b) audit proofs", checks.check_audit_proofs),
                 ("(c) authorization matrix", checks.check_authorization),
                 ("(d) JSONTestSuite", checks.check_json_suite),
                 ("(e) TLS", checks.check_tls),
                 ("(f) bad input", checks.check_bad_input),
                 ("(f) expired token", checks.check_expired_token),
                 ("(g) scenarios", scenarios.check_scenarios),
                 ("(h) rules: qualification gate and bidder floor", gate_checks.check_gate),
                 ("(h) rules: self-executing decision", decide_checks.check_decide),
                 ("(h) rules: periods in calendar days", periods_checks.check_periods),
                 ("(h) rules: tender draft size caps", periods2_checks.check_periods2),
                 ("(i) secrets: committee before the decision", draws_checks.check_draws),
                 ("(h) rules: 补抽 fresh draw", redraw_checks.check_redraw),
                 ("(i) secrets: limits and insiders", abuse_checks.check_abuse),
                 ("(i) secrets: blinded stubs and the access record", secrets_checks.check_secrets),
                 ("(j) open data: OCDS releases", ocds_checks.check_ocds),
                 ("(j2) official documents: the 招标公告 as a verifiable PDF", docs_checks.check_docs),
                 ("(k) web: cookie sessions, bilingual errors, the app at /", web_checks.check_web),
                 ("(l) owners: activation letters as a PDF", letters_checks.check_letters),
                 # These move the dev clock (a motion's notice and window; a code's expiry).
                 ("(m) owners: owners' assembly motions", motions_checks.check_motions),
                 ("(n) owners: activation codes", activation_checks.check_activation),
                 ("(o) tenderers: three kinds and menu services", kinds_checks.check_kinds),
                 ("(p) owners: paper ballots of a motion", paper_checks.check_paper)]
        for name, fn in steps:
            if args.only and args.only not in name and fn is not checks.setup_accounts:
                continue
            print(f"== {name}", flush=True)
            t = time.monotonic()
            try:
                fn(ctx, results)
            except Skip as e:
                results.skip(name, str(e))
                print(f"  skip  {name}: {e}")
            except Exception:
                results.fail(name, traceback.format_exc())
            print(f"   ({time.monotonic() - t:.1f} s)", flush=True)
        size = ctx.client.log_size()
        print(f"   {ctx.client.validated} answers were checked against schemas/openapi.json")
        print("== stop (SIGTERM)")
        code, log = server.stop()
        results.check("stop: SIGTERM → exit 0", code == 0, f"exit {code}; log tail {log[-500:]}")
        m = re.search(r"stopped; audit log (\d+) entries, final checkpoint written", log)
        results.check("stop: final checkpoint written", m is not None, log[-500:])
        # The final checkpoint covers every entry: export and read its size.
        out = os.path.join(server.dir, "export")
        r = subprocess.run([server.binary, "audit", "export", "--data-dir", server.data_dir, "--out", out],
                           capture_output=True, text=True, timeout=120)
        cp = open(os.path.join(out, "checkpoint")).read().split("\n") if r.returncode == 0 else []
        results.check(f"stop: final checkpoint size {cp[1] if len(cp) > 1 else '?'} = log size ≥ {size}",
                      len(cp) > 1 and m is not None and int(cp[1]) == int(m.group(1)) >= size,
                      r.stdout + r.stderr)
    except Exception:
        results.fail("harness", traceback.format_exc())
        if server.proc and server.proc.poll() is None:
            server.stop()
    finally:
        if results.failed:
            print(f"server output kept in {server.dir}")
        else:
            server.cleanup()
    for name, why in results.skipped:
        if not args.verbose:
            print(f"  skip  {name}: {why}")
    print(f"{results.passed} passed, {len(results.failed)} failed, {len(results.skipped)} skipped, "
          f"{len(results.known)} known server bugs "
          f"({time.monotonic() - t0:.0f} s)")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
