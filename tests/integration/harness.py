"""Black-box harness: a real `sunbid serve` in a temp data dir, a pinned-TLS
HTTP client, and the contract (schemas/openapi.json) every answer is checked
against.

Only the standard library, python3-requests and python3-jsonschema.
"""
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

import requests
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

API = "/api/v1"
OPENAPI_URI = "urn:sunbid:openapi"


class Skip(Exception):
    """Raised by a check that cannot run here (not a pass)."""


class Results:
    """Counts passed, failed and skipped checks and prints each failure."""

    def __init__(self, verbose=False):
        self.passed, self.failed, self.skipped, self.known = 0, [], [], []
        self.verbose = verbose

    def ok(self, name):
        self.passed += 1
        if self.verbose:
            print(f"  ok    {name}")

    def fail(self, name, why):
        self.failed.append((name, why))
        print(f"  FAIL  {name}: {why}")

    def skip(self, name, why):
        self.skipped.append((name, why))
        if self.verbose:
            print(f"  skip  {name}: {why}")

    def known_bug(self, name, cond, bug, got=""):
        """A check that fails because of a recorded server defect."""
        if cond:
            self.fail(name, "passes now: the known bug is fixed; remove it from KNOWN_BUGS")
        else:
            self.known.append((name, bug))
            print(f"  KNOWN BUG  {name}: {bug}; got {got!r}")

    def check(self, name, cond, why=""):
        if cond:
            self.ok(name)
        else:
            self.fail(name, why or "condition false")
        return cond


# ---- the contract ------------------------------------------------------------
def _absolute_refs(node):
    """Makes "#/components/..." references absolute, so that any fragment of
    the document validates on its own against the registry."""
    if isinstance(node, dict):
        return {k: (OPENAPI_URI + v if k == "$ref" and isinstance(v, str) and v.startswith("#/components/")
                    else _absolute_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute_refs(v) for v in node]
    return node


class Contract:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = _absolute_refs(json.load(f))
        self.registry = Registry().with_resource(
            OPENAPI_URI, Resource.from_contents(self.doc, default_specification=DRAFT202012))
        self.ops = []  # (method, template, regex, operation)
        for template, item in self.doc["paths"].items():
            rx = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            for method, op in item.items():
                self.ops.append((method.upper(), template, re.compile(rx), op))
        self._validators = {}

    def schemas(self):
        return self.doc["components"]["schemas"]

    def validator(self, schema):
        key = json.dumps(schema, sort_keys=True)
        v = self._validators.get(key)
        if v is None:
            v = Draft202012Validator(schema, registry=self.registry)
            self._validators[key] = v
        return v

    def component(self, name):
        return {"$ref": f"{OPENAPI_URI}#/components/schemas/{name}"}

    def errors(self, schema, value):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300]
                for e in self.validator(schema).iter_errors(value)]

    def find(self, method, path):
        """The operation for METHOD and a path below /api/v1, or None."""
        for m, template, rx, op in self.ops:
            if m == method and rx.match(path):
                return template, op
        return None

    def operation_by_template(self, method, template):
        return self.doc["paths"][template][method.lower()]

    def response_problems(self, method, path, status, content_type, body):
        """Problems of one answer against the contract (empty list: valid)."""
        found = self.find(method, path)
        if found is None:
            # Unknown paths and methods still answer the error body.
            if status < 400:
                return [f"{method} {path} answered {status} but is not in the contract"]
            return self._check_body(self.component("Error"), "application/json", content_type, body)
        template, op = found
        resp = op["responses"].get(str(status))
        if resp is None:
            return [f"{method} {template}: status {status} is not in the contract"]
        content = resp.get("content")
        if not content:
            return [] if not body else [f"{method} {template} {status}: body not expected"]
        # The answer's own media type when the operation offers several
        # (e.g. JSON or, asked with Accept, a PDF); else the first.
        got_ct = (content_type or "").split(";")[0].strip()
        want_ct = got_ct if got_ct in content else next(iter(content))
        return self._check_body(content[want_ct]["schema"], want_ct, content_type, body)

    def _check_body(self, schema, want_ct, content_type, body):
        ct = (content_type or "").split(";")[0].strip()
        if ct != want_ct:
            return [f"content type {content_type!r}, contract says {want_ct}"]
        if want_ct == "application/json":
            try:
                value = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                return [f"body is not JSON: {e}"]
        elif want_ct == "application/pdf":
            return [] if body.startswith(b"%PDF-") else ["body is not a PDF"]
        else:
            try:
                value = body.decode("utf-8")
            except UnicodeDecodeError:
                return ["text body is not UTF-8"]
        problems = self.errors(schema, value)
        # Every audit entry's payload is checked against its type's schema.
        if not problems and isinstance(value, dict) and isinstance(value.get("items"), list):
            payloads = self.schemas()["AuditPayloads"]["x-payloads"]
            for item in value["items"]:
                if isinstance(item, dict) and "type" in item and "payload" in item:
                    s = payloads.get(item["type"])
                    if s is None:
                        problems.append(f"entry type {item['type']} has no payload schema")
                    else:
                        problems += [f"entry {item.get('index')} ({item['type']}): {p}"
                                     for p in self.errors(s, item["payload"])]
        return problems


# ---- the server process ----------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`sunbid serve --dev-clock` in a fresh data directory."""

    def __init__(self, binary, admin_password="integration-admin-pw"):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="sunbid-integration-")
        self.data_dir = os.path.join(self.dir, "data")
        self.port = free_port()
        self.admin_password = admin_password
        self.proc = None
        self.log_path = os.path.join(self.dir, "serve.log")

    @property
    def cert(self):
        return os.path.join(self.data_dir, "tls-cert.pem")

    @property
    def base(self):
        return f"https://127.0.0.1:{self.port}"

    def add_admin(self, username="admin"):
        r = subprocess.run([self.binary, "account", "add", "--data-dir", self.data_dir, "--role",
                            "admin", "--username", username],
                           input=self.admin_password + "\n", capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"sunbid account add failed ({r.returncode}): {r.stderr}")

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data_dir, "--listen",
             f"127.0.0.1:{self.port}", "--dev-clock"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sunbid serve exited with {self.proc.returncode}: "
                                   + open(self.log_path).read())
            if os.path.exists(self.cert):
                try:
                    r = requests.get(self.base + API + "/health", verify=self.cert, timeout=2)
                    if r.status_code == 200:
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        raise RuntimeError("sunbid serve did not answer /health within 60 s")

    def stop(self):
        """SIGTERM; returns (exit code, log text)."""
        if self.proc is None:
            return None, ""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.log.close()
        return code, open(self.log_path, encoding="utf-8", errors="replace").read()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the client ---------------------------------------------------------------
class Answer:
    def __init__(self, status, content_type, body, headers):
        self.status, self.content_type, self.body, self.headers = status, content_type, body, headers

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def code(self):
        try:
            return self.json()["error"]["code"]
        except Exception:
            return None

    def __repr__(self):
        return f"{self.status} {self.body[:200]!r}"


class Client:
    """requests over the pinned certificate; every answer is checked against
    the contract and a violation is recorded as a failure."""

    def __init__(self, server, contract, results):
        self.server, self.contract, self.results = server, contract, results
        self.http = requests.Session()
        # Pinned: the server's own self-signed certificate, passed on every
        # request (a session-level verify loses to REQUESTS_CA_BUNDLE).
        self.tokens = {}
        self.validated = 0  # answers checked against the contract

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=self.server.cert)
        return ctx

    def request(self, method, path, token=None, json_body=None, data=None, headers=None,
                params=None, role=None, validate=True):
        h = dict(headers or {})
        if token is None and role is not None:
            token = self.tokens[role]
        if token:
            h["Authorization"] = "Bearer " + token
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        r = self.http.request(method, self.server.base + API + path, data=data, headers=h,
                              params=params, timeout=60, verify=self.server.cert)
        a = Answer(r.status_code, r.headers.get("Content-Type"), r.content, r.headers)
        if validate:
            self.validate(method, path, a)
        return a

    def raw(self, method, target, body=b"", headers=None):
        """A request whose target is sent byte for byte (no normalization)."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port,
                                           context=self.ssl_context(), timeout=30)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body or method in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            a = Answer(r.status, r.getheader("Content-Type"), r.read(), dict(r.getheaders()))
        finally:
            conn.close()
        path = target.split("?")[0]
        # The contract describes the representation: check a gzip body decoded.
        checked = a
        if a.headers.get("Content-Encoding") == "gzip":
            checked = Answer(a.status, a.content_type, gzip.decompress(a.body), a.headers)
        if path.startswith(API):
            self.validate(method, path[len(API):], checked)
        else:
            self.validate_error_body(f"{method} {target}", checked)
        return a

    def headers_only(self, method, target, headers):
        """Sends a request head only; returns (status or None, raw answer head)."""
        raw = socket.create_connection(("127.0.0.1", self.server.port), timeout=15)
        s = self.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            head = f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            s.sendall(head.encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (OSError, ssl.SSLError) as e:
            return None, repr(e).encode()
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
        return (int(m.group(1)) if m else None), data

    def chunked_until_answer(self, target, chunk_size, total):
        """POSTs a chunked JSON body of up to TOTAL bytes, stopping as soon as
        an answer arrives; returns (status or None, raw answer head)."""
        import select
        raw = socket.create_connection(("127.0.0.1", self.server.port), timeout=15)
        s = self.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")
        data = b""
        try:
            s.sendall(f"POST {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n".encode())
            sent = 0
            payload = b'{"username":"' + b"a" * chunk_size
            while sent < total:
                # Readable is not enough (TLS 1.3 session tickets arrive after
                # the handshake): only application data counts as an answer.
                if select.select([s], [], [], 0)[0]:
                    s.setblocking(False)
                    try:
                        data += s.recv(4096)
                    except ssl.SSLWantReadError:
                        pass
                    s.setblocking(True)
                    if data:
                        break
                piece = payload if sent == 0 else b"a" * chunk_size
                try:
                    s.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                except (OSError, ssl.SSLError):
                    break
                sent += len(piece)
            s.settimeout(15)
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (OSError, ssl.SSLError) as e:
            if not data:
                return None, repr(e).encode()
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
        return (int(m.group(1)) if m else None), data

    def validate(self, method, path, a):
        problems = self.contract.response_problems(method, path, a.status, a.content_type, a.body)
        self.validated += 1
        name = f"contract: {method} {path} → {a.status}"
        if problems:
            self.results.fail(name, "; ".join(problems[:3]))
        # Passing contract checks are not counted one by one (they run for
        # every answer); failures are.

    def validate_error_body(self, what, a):
        if a.status >= 400 and a.body:
            problems = self.contract._check_body(self.contract.component("Error"), "application/json",
                                                 a.content_type, a.body)
            if problems:
                self.results.fail(f"contract: {what} → {a.status}", "; ".join(problems[:3]))

    def login(self, username, password):
        a = self.request("POST", "/sessions", json_body={"username": username, "password": password})
        if a.status != 201:
            raise RuntimeError(f"login {username} failed: {a}")
        return a.json()["token"]

    def log_size(self):
        self.documents_settled()
        a = self.request("GET", "/audit/entries", params={"start": 0, "end": 0})
        return a.json()["log_size"]

    def documents_settled(self, timeout=60):
        """Waits until the server's document worker has rendered every
        published document (GET /metrics, sunbid_documents_unrendered = 0),
        so that no document.rendered entry, appended a second or two after a
        publication, lands between two reads of the log's size."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            a = self.request("GET", "/metrics", validate=False)
            m = re.search(rb"^sunbid_documents_unrendered (\d+)$", a.body, re.M)
            if a.status != 200 or m is None or m.group(1) == b"0":
                return
            time.sleep(0.1)
