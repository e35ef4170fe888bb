"""The HTTP layer against small misbehaving servers on 127.0.0.1 (tests/support/stub.py):
redirects never carry credentials to another origin (F2), secrets never reach a message or a
traceback (F6), ``--timeout`` bounds the whole request and answers have a size cap (F7), and
every HTTP error is one line with a hint for its status."""

from __future__ import annotations

import base64
import traceback

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app

from conftest import MINI
from support.stub import JSON, Answer, Stub, huge, redirect, reflect, trickle, trickle_head

USER, PASSWORD, TOKEN = "alice", "s3cret-PASSWORD", "tok-SECRET-123"
ASK_TRUE = Answer(200, {"Content-Type": JSON}, b'{"head":{},"boolean":true}')
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("SEROKG_USER", "SEROKG_PASSWORD", "SEROKG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def _netrc(monkeypatch, tmp_path, text: str) -> None:
    path = tmp_path / "netrc"
    path.write_text(text)
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))


CREDENTIALS = {
    "basic-env": lambda mp, tmp: (mp.setenv("SEROKG_USER", USER), mp.setenv("SEROKG_PASSWORD", PASSWORD)),
    "token-env": lambda mp, tmp: mp.setenv("SEROKG_TOKEN", TOKEN),
    "netrc": lambda mp, tmp: _netrc(mp, tmp, f"machine 127.0.0.1 login {USER} password {PASSWORD}\n"),
}
SECRETS = (PASSWORD, TOKEN, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())


def _one_line_error(result) -> str:
    """The command failed with exit 1 and exactly one stderr line, no traceback, no secret."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    # not even in the exception chain a debugger or a log handler would show
    text = result.output + "".join(traceback.format_exception(result.exception)) if result.exception else result.output
    for secret in SECRETS:
        assert secret not in text
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    return line


# --- F2: redirects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("creds", sorted(CREDENTIALS))
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_no_credentials_to_another_origin(monkeypatch, tmp_path, creds, code):
    CREDENTIALS[creds](monkeypatch, tmp_path)
    with Stub(ASK_TRUE) as other:
        # localhost and 127.0.0.1 are different origins, as are two ports of one host
        for target in (f"http://localhost:{other.port}/x", f"{other.url}/query", f"https://127.0.0.1:{other.port}/"):
            with Stub(redirect(code, target), routes={}) as start:
                for args in (["sparql", "ASK {}", "--endpoint", f"{start.url}/query"],
                             ["push", "--endpoint", f"{start.url}/store", "--data", str(MINI)]):
                    line = _one_line_error(runner.invoke(app, args))
                    endpoint = args[args.index("--endpoint") + 1]
                    shown = target.split("?")[0]
                    assert line == (f"error: {endpoint} answered HTTP {code} redirecting to {shown}, another origin: "
                                    "serokg sends credentials only to the endpoint's own origin; use that URL as "
                                    "--endpoint if you trust it")
        assert other.seen == []  # nothing at all reached the other origin


def test_same_origin_redirect_is_followed_with_credentials(monkeypatch):
    monkeypatch.setenv("SEROKG_TOKEN", TOKEN)
    with Stub(redirect(307, "/real"), routes={"/real": ASK_TRUE}) as stub:
        result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert '"boolean": true' in result.stdout
        assert [s.path.split("?")[0] for s in stub.seen] == ["/query", "/real"]
        assert all(s.headers.get("Authorization") == f"Bearer {TOKEN}" for s in stub.seen)


def test_same_origin_redirect_that_would_drop_the_body_is_refused():
    with Stub(redirect(302, "/elsewhere"), routes={"/elsewhere": Answer(204)}) as stub:
        line = _one_line_error(runner.invoke(app, ["push", "--endpoint", f"{stub.url}/store", "--data", str(MINI)]))
        assert line == (f"error: {stub.url}/store answered HTTP 302 redirecting to {stub.url}/elsewhere, which would "
                        "drop the PUT body: use that URL as --endpoint")
        assert [s.method for s in stub.seen] == ["PUT"]


def test_redirect_loop_is_bounded():
    with Stub(redirect(307, "/query")) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
        assert line == f"error: {stub.url}/query redirected more than 5 times"
        assert len(stub.seen) == 6


# --- F7: deadline and size cap ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", [trickle(b'{"head":{},"boolean":true}', 0.25), trickle_head(0.05)],
                         ids=["body", "headers"])
def test_timeout_bounds_a_trickling_answer(answer):
    """The whole answer takes ~6-12 s; --timeout 1 stops it (a per-read timeout never fires)."""
    with Stub(answer) as stub:
        for args in (["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"],
                     ["push", "--endpoint", f"{stub.url}/store", "--data", str(MINI)]):
            line = _one_line_error(runner.invoke(app, args + ["--timeout", "1"]))
            assert line == f"error: no answer from {args[args.index('--endpoint') + 1]} within 1 s"


def test_declared_huge_answer_is_refused_before_reading():
    with Stub(huge(300 * 1024 * 1024)) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "SELECT * {?s ?p ?o}", "--endpoint", f"{stub.url}/q"]))
        assert line == (f"error: {stub.url}/q sent an answer of 314,572,800 bytes, more than the limit of "
                        "268,435,456 (--max-size)")


def test_undeclared_huge_answer_stops_at_the_cap():
    with Stub(huge(8 * 1024 * 1024, declared=False)) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "SELECT * {?s ?p ?o}", "--endpoint", f"{stub.url}/q",
                                                   "--max-size", "1"]))
        assert line == f"error: {stub.url}/q sent an answer larger than the limit of 1,048,576 bytes (--max-size)"


# --- F6: secrets -----------------------------------------------------------------------------------


def test_token_with_a_line_break(monkeypatch):
    with Stub(ASK_TRUE) as stub:
        for token in (TOKEN + "\r", TOKEN + "\n", "tok-SECRET-é", f"{TOKEN} x"):
            monkeypatch.setenv("SEROKG_TOKEN", token)
            line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
            assert line == ("error: SEROKG_TOKEN holds a space, a line break, a control or a non-ASCII character "
                            "(a trailing newline from a file?): a bearer token is printable ASCII")
        assert stub.seen == []


def test_password_with_a_control_character(monkeypatch):
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", PASSWORD + "\n")
    with Stub(ASK_TRUE) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
        assert line == "error: the password from SEROKG_USER holds a line break or a control character"


def test_broken_netrc_never_shows_its_tokens(monkeypatch, tmp_path):
    _netrc(monkeypatch, tmp_path, f"machine 127.0.0.1 login {USER} {PASSWORD}\n")  # the keyword 'password' left out
    with Stub(ASK_TRUE) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
        assert line == f"error: cannot read the netrc file {tmp_path / 'netrc'}: it is not valid netrc syntax"


@pytest.mark.parametrize(("endpoint", "message"), [
    ("http://127.0.0.1:1/query?apikey=SECRET-KEY&x=a b",
     "the endpoint 'http://127.0.0.1:1/query' contains a space, a backslash or a control character: "
     "percent-encode it (%20)"),
    ("http://127.0.0.1:1/query?apikey=SECRET-KEY\r\nX: y",
     "the endpoint 'http://127.0.0.1:1/query' contains a space, a backslash or a control character: "
     "percent-encode it (%20)"),
    ("http://127.0.0.1:abc/query?apikey=SECRET-KEY", "the endpoint 'http://127.0.0.1:abc/query' is not a valid URL "
     "(check the host and port)"),
    ("http://alice:SECRET-KEY@127.0.0.1:1/query", "credentials do not belong in the endpoint URL: set SEROKG_USER "
     "and SEROKG_PASSWORD (or SEROKG_TOKEN), or add the host to your netrc file"),
    ("ftp://127.0.0.1/query?apikey=SECRET-KEY", "the endpoint must be an http:// or https:// URL, not "
     "'ftp://127.0.0.1/query'"),
])
def test_bad_endpoints_are_redacted(endpoint, message):
    for args in (["sparql", "ASK {}", "--endpoint", endpoint], ["push", "--endpoint", endpoint, "--data", str(MINI)]):
        line = _one_line_error(runner.invoke(app, args))
        assert line == f"error: {message}"
        assert "SECRET-KEY" not in line


@pytest.mark.parametrize("creds", ["basic-env", "token-env", "netrc"])
def test_error_body_echoing_credentials_is_masked(monkeypatch, tmp_path, creds):
    CREDENTIALS[creds](monkeypatch, tmp_path)
    with Stub(reflect()) as stub:
        auth = ["--auth", "bearer" if creds == "token-env" else "basic"]
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"] + auth))
        assert line.startswith(f"error: {stub.url}/query answered HTTP 400 Bad Request: the store refused the "
                               "request (the store says: ")
        assert ("Authorization: Bearer ***" if creds == "token-env" else "Authorization: Basic ***") in line
        assert stub.seen[0].headers["Authorization"] != "***"  # it was sent, and masked in the message


# --- hints and auth --------------------------------------------------------------------------------


HINTS = {
    401: "no credentials were sent: set SEROKG_USER and SEROKG_PASSWORD (or SEROKG_TOKEN), or add the host to "
         "your netrc file",
    403: "the store forbids this without credentials: set SEROKG_USER and SEROKG_PASSWORD (or SEROKG_TOKEN), or add "
         "the host to your netrc file",
    404: "no such endpoint: check the URL's path (the SPARQL query URL, e.g. …/query or …/sparql)",
    405: "this URL does not accept GET: is it the right endpoint (the SPARQL query URL, e.g. …/query or …/sparql)?",
    500: "the store failed; its log may say why",
    503: "the store failed; its log may say why",
}


@pytest.mark.parametrize("code", sorted(HINTS))
def test_http_errors_are_one_line_with_a_hint(code):
    body = b"<html><body>\n<h1>Error</h1>\n<p>many\nlines</p></body></html>"
    with Stub(Answer(code, {"Content-Type": "text/html"}, body)) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
        reason = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                  500: "Internal Server Error", 503: "Service Unavailable"}[code]
        assert line == f"error: {stub.url}/query answered HTTP {code} {reason}: {HINTS[code]}"


def test_wrong_credentials_hint(monkeypatch):
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", PASSWORD)
    with Stub(Answer(401, {"WWW-Authenticate": 'Basic realm="x"'})) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/query"]))
        assert line == (f"error: {stub.url}/query answered HTTP 401 Unauthorized: the store refused the credentials "
                        "from SEROKG_USER: check them")
        # auto: the first request goes without credentials, the challenge names Basic, the second has them
        assert [s.headers.get("Authorization") for s in stub.seen] == [None, "Basic " + SECRETS[2]]


@pytest.mark.parametrize(("auth", "sent"), [(["--auth", "basic"], True), ([], False)])
def test_forbidden_with_credentials(monkeypatch, auth, sent):
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", PASSWORD)
    with Stub(Answer(403)) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/q", *auth]))
        hint = ("the credentials are valid but not allowed to do this: ask the store's admin for the right" if sent
                else "the store forbids this and did not ask for credentials: try --auth basic or --auth digest")
        assert line == f"error: {stub.url}/q answered HTTP 403 Forbidden: {hint}"


def test_basic_chosen_from_the_challenge(monkeypatch):
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", PASSWORD)
    with Stub(Answer(200, {"Content-Type": JSON}, b'{"head":{},"boolean":true}', challenge='Basic realm="x"')) as s:
        result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{s.url}/query", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert [x.headers.get("Authorization") for x in s.seen] == [None, "Basic " + SECRETS[2]]


def test_push_probes_before_sending_the_body(monkeypatch):
    """With credentials, push asks HEAD first: a challenge is met before a large body is sent."""
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", PASSWORD)
    with Stub(Answer(204, challenge='Basic realm="x"')) as s:
        result = runner.invoke(app, ["push", "--endpoint", f"{s.url}/store", "--data", str(MINI)])
        assert result.exit_code == 0, result.output
        assert [(x.method, x.headers.get("Authorization")) for x in s.seen] == [
            ("HEAD", None), ("HEAD", "Basic " + SECRETS[2]), ("PUT", "Basic " + SECRETS[2])]
        assert s.seen[2].body.count(b"\n") == 312


@pytest.mark.parametrize(("auth", "message"), [
    ("bearer", "--auth bearer needs the token in SEROKG_TOKEN"),
    ("digest", "--auth digest needs SEROKG_USER and SEROKG_PASSWORD, or a netrc entry for the host"),
])
def test_forced_auth_without_credentials(auth, message):
    with Stub(ASK_TRUE) as stub:
        line = _one_line_error(runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"{stub.url}/q", "--auth", auth]))
        assert line == f"error: {message}"
        assert stub.seen == []
