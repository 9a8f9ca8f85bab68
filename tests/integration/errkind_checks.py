"""(a) error codes (issue 12, errors with a kind): every error answer of the
whole run names a code of the contract's x-error-codes (generated from the
registry audit_log/src/error_codes.cc, docs/errors.md) and answers that
code's status. Installed right after the accounts are set up, it watches
every later request of the run; each (code, status) pair counts once."""


def check_errkind(ctx, results):
    codes = ctx.contract.doc.get("x-error-codes")
    results.check("x-error-codes: present in schemas/openapi.json", isinstance(codes, dict) and codes)
    if not isinstance(codes, dict):
        return
    for code, entry in codes.items():
        if entry.get("kind") == "internal" and entry.get("status") != 500:
            results.fail(f"x-error-codes: {code}", f"kind internal with status {entry.get('status')}")
    client = ctx.client
    validate = client.validate
    seen = set()

    def validate_and_check_code(method, path, a):
        validate(method, path, a)
        if a.status < 400 or not a.body:
            return
        try:
            code = a.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return  # the contract check already reports a malformed error body
        if (code, a.status) in seen:
            return
        seen.add((code, a.status))
        name = f"x-error-codes: {code} → {a.status}"
        entry = codes.get(code)
        if entry is None:
            results.fail(name, f"{method} {path}: the code is not in x-error-codes")
        elif entry.get("status") != a.status:
            results.fail(name, f"{method} {path}: x-error-codes says {entry.get('status')}")
        else:
            results.ok(name)

    client.validate = validate_and_check_code
