"""Alexa request verification: a request signed like Amazon's passes; every fault is refused with a reason."""
from __future__ import annotations

import json
import posixpath
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from werkzeug.datastructures import Headers

from skill.config import ConfigError, Settings
from skill.web.verify import (
    RequestVerifier,
    TimestampVerifier,
    Verification,
    VerificationConfig,
    VerificationConfigError,
    VerificationException,
    verifier_for,
)
from skill.web.verify_cert import fetch_chain
from tests.signing import CERT_FILE, SigningCA, SigningCert

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
# A copy of ../shared/amazon/echo-api-cert-7.pem: Amazon's real signing chain, valid 2019-05-22..2020-05-15.
AMAZON_CHAIN = Path(__file__).resolve().parent / "fixtures" / "echo-api-cert-7.pem"
AMAZON_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-7.pem"


# ---------------------------------------------------------------- helpers

def envelope_body(*, request_type: str = "LaunchRequest", timestamp: datetime | str | None = NOW,
                  app_id: str | None = SKILL_ID, session_app_id: str | None = None) -> bytes:
    system: dict = {"user": {"userId": "amzn1.ask.account.person"}, "device": {"deviceId": "d"}}
    if app_id is not None:
        system["application"] = {"applicationId": app_id}
    request: dict = {"type": request_type, "requestId": "amzn1.echo-api.request.1", "locale": "en-US"}
    if timestamp is not None:
        request["timestamp"] = timestamp if isinstance(timestamp, str) else timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    envelope: dict = {"version": "1.0", "context": {"System": system}, "request": request}
    if session_app_id is not None:
        envelope["session"] = {"new": True, "sessionId": "s", "application": {"applicationId": session_app_id},
                               "user": {"userId": "amzn1.ask.account.person"}}
    return json.dumps(envelope, indent=1).encode()


def parse(body: bytes) -> RequestEnvelope:
    return DefaultSerializer().deserialize(body.decode(), RequestEnvelope)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountingFetch:
    """A certificate host that serves chains by file name and remembers every download."""

    def __init__(self, chains: dict[str, bytes]) -> None:
        self.chains, self.calls = chains, []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append(posixpath.basename(url))
        return self.chains[posixpath.basename(url)]


def config(files: tuple[Path, Path], **changes) -> VerificationConfig:
    roots, cert_dir = files
    return VerificationConfig(**{"skill_ids": frozenset({SKILL_ID}), "trust_roots": roots, "cert_dir": cert_dir,
                                 "clock": Clock(), **changes})


def refused(verifier, headers, body: bytes, reason: str, envelope: RequestEnvelope | None = None) -> None:
    with pytest.raises(VerificationException, match=reason):
        verifier.verify(headers, body, envelope if envelope is not None else parse(body))


@pytest.fixture(scope="module")
def ca() -> SigningCA:
    return SigningCA()


@pytest.fixture(scope="module")
def cert(ca: SigningCA) -> SigningCert:
    return ca.issue()


@pytest.fixture
def files(ca: SigningCA, cert: SigningCert, tmp_path: Path) -> tuple[Path, Path]:
    return ca.write_offline_files(tmp_path, cert)


@pytest.fixture
def verification(files) -> Verification:
    return Verification(config(files))


def install(files: tuple[Path, Path], cert: SigningCert, name: str = CERT_FILE) -> None:
    (files[1] / name).write_bytes(cert.chain_pem)


# ---------------------------------------------------------------- the signed request

def test_signed_request_passes(verification, cert):
    body = envelope_body()
    assert verification.verify(cert.headers(body), body, parse(body)) is None


def test_body_may_be_text_and_headers_any_case(verification, cert):
    body = envelope_body()
    headers = Headers({name.lower(): value for name, value in cert.headers(body).items()})
    verification.verify(headers, body.decode(), parse(body))


def test_body_changed_by_one_byte_is_refused(verification, cert):
    body = envelope_body()
    headers = cert.headers(body)
    tampered = body.replace(b"LaunchRequest", b"LaunchRequesu")
    refused(verification, headers, tampered, "signature does not match", parse(body))


def test_reserialised_body_is_refused(verification, cert):
    """The signature covers the bytes as received, not the JSON they parse to."""
    body = envelope_body()
    compact = json.dumps(json.loads(body), separators=(",", ":")).encode()
    refused(verification, cert.headers(body), compact, "signature does not match")


def test_signature_by_another_key_is_refused(verification, ca):
    other = ca.issue()  # trusted and valid, but not the certificate the URL points at
    body = envelope_body()
    refused(verification, other.headers(body), body, "signature does not match")


@pytest.mark.parametrize("drop", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_header_is_refused(verification, cert, drop):
    body = envelope_body()
    headers = {k: v for k, v in cert.headers(body).items() if k != drop}
    refused(verification, headers, body, "missing SignatureCertChainUrl or Signature-256")


def test_legacy_sha1_signature_header_is_not_used(verification, cert):
    body = envelope_body()
    headers = cert.headers(body)
    headers["Signature"] = headers.pop("Signature-256")
    refused(verification, headers, body, "missing")


@pytest.mark.parametrize("signature", ["not base64!", "QUJD=x", "ÿÿÿÿ"])
def test_signature_not_base64_is_refused(verification, cert, signature):
    body = envelope_body()
    headers = {**cert.headers(body), "Signature-256": signature}
    refused(verification, headers, body, "not base64")


# ---------------------------------------------------------------- certificate URL

@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://S3.AmazonAWS.com/echo.api/echo-api-cert.pem",
])
def test_accepted_cert_urls(verification, cert, url):
    body = envelope_body()
    verification.verify(cert.headers(body, cert_url=url), body, parse(body))


@pytest.mark.parametrize("url, reason", [
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "is not https"),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", "has the wrong host"),
    ("https://s3.amazonaws.com.notamazon.com/echo.api/echo-api-cert.pem", "has the wrong host"),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path is outside /echo.api/"),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path is outside /echo.api/"),
    ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "path is outside /echo.api/"),
    ("https://s3.amazonaws.com/echo.api", "path is outside /echo.api/"),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "has the wrong port"),
    ("https://s3.amazonaws.com:abc/echo.api/echo-api-cert.pem", "does not parse"),
    ("https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", "has a user, query or fragment"),
    ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=1", "has a user, query or fragment"),
    ("", "is not https"),
])
def test_refused_cert_urls_load_nothing(files, cert, url, reason):
    fetch = CountingFetch({CERT_FILE: cert.chain_pem})
    verification = Verification(config(files, cert_dir=None, fetch=fetch))
    body = envelope_body()
    refused(verification, cert.headers(body, cert_url=url), body, f"certificate URL {reason}")
    assert fetch.calls == []


def test_certificate_missing_from_cert_dir_is_refused(verification, cert):
    body = envelope_body()
    url = "https://s3.amazonaws.com/echo.api/absent.pem"
    refused(verification, cert.headers(body, cert_url=url), body, "absent.pem is not in the certificate directory")


# ---------------------------------------------------------------- certificate chain

@pytest.mark.parametrize("names", [("example.com",), ("*.amazon.com",), ("echo-api.amazon.com.evil.com",)])
def test_certificate_for_another_name_is_refused(verification, ca, files, names):
    wrong = ca.issue(*names)
    install(files, wrong)
    body = envelope_body()
    refused(verification, wrong.headers(body), body, "not for echo-api.amazon.com")


def test_expired_certificate_is_refused(verification, ca, files):
    old = ca.issue(not_before=NOW - timedelta(days=30), not_after=NOW - timedelta(seconds=1))
    install(files, old)
    body = envelope_body()
    refused(verification, old.headers(body), body, "expired or not yet valid")


def test_not_yet_valid_certificate_is_refused(verification, ca, files):
    early = ca.issue(not_before=NOW + timedelta(minutes=5), not_after=NOW + timedelta(days=30))
    install(files, early)
    body = envelope_body()
    refused(verification, early.headers(body), body, "expired or not yet valid")


def test_certificate_from_untrusted_ca_is_refused(verification, files):
    stranger = SigningCA().issue()
    install(files, stranger)
    body = envelope_body()
    refused(verification, stranger.headers(body), body, "certificate chain not trusted")


def test_chain_missing_its_intermediate_is_refused(verification, cert, files):
    leaf_only = x509.load_pem_x509_certificates(cert.chain_pem)[0]
    (files[1] / CERT_FILE).write_bytes(leaf_only.public_bytes(Encoding.PEM))
    body = envelope_body()
    refused(verification, cert.headers(body), body, "certificate chain not trusted")


def test_certificate_that_may_not_sign_is_refused(verification, ca, files):
    no_signing = ca.issue(digital_signature=False)
    install(files, no_signing)
    body = envelope_body()
    refused(verification, no_signing.headers(body), body, "key usage does not allow signatures")


def test_non_rsa_certificate_is_refused(verification, ca, cert, files):
    ec_cert = ca.issue(private_key=ec.generate_private_key(ec.SECP256R1()))
    install(files, ec_cert)
    body = envelope_body()
    refused(verification, cert.headers(body), body, "key is not RSA")


@pytest.mark.parametrize("content", [b"", b"hello", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
def test_chain_that_is_not_pem_is_refused(verification, cert, files, content):
    (files[1] / CERT_FILE).write_bytes(content)
    body = envelope_body()
    refused(verification, cert.headers(body), body, "not PEM certificates")


# ---------------------------------------------------------------- the real Amazon chain

@pytest.fixture
def amazon_dir() -> Path:
    return AMAZON_CHAIN.parent


def test_real_amazon_chain_is_trusted_in_december_2019(amazon_dir, cert):
    """Leaf -> Amazon Server CA 1B -> Amazon Root CA 1, a root in certifi's bundle (no extra roots)."""
    when = datetime(2019, 12, 1, tzinfo=timezone.utc)
    verifier = RequestVerifier(VerificationConfig(cert_dir=amazon_dir, clock=Clock(when)))
    key = verifier.signing_key(AMAZON_URL)
    leaf = x509.load_pem_x509_certificates(AMAZON_CHAIN.read_bytes())[0]
    assert key.public_numbers() == leaf.public_key().public_numbers()
    # The chain is accepted, so a body we signed (not Amazon) fails on the signature itself.
    body = envelope_body(timestamp=when)
    refused(verifier, cert.headers(body, cert_url=AMAZON_URL), body, "signature does not match")


def test_real_amazon_chain_is_refused_after_it_expired(amazon_dir):
    verifier = RequestVerifier(VerificationConfig(cert_dir=amazon_dir, clock=Clock(datetime(2021, 1, 1, tzinfo=timezone.utc))))
    with pytest.raises(VerificationException, match="expired"):
        verifier.signing_key(AMAZON_URL)


# ---------------------------------------------------------------- timestamp

@pytest.mark.parametrize("offset_s", [-150, -149, 0, 149, 150])
def test_timestamp_within_150_seconds_passes(verification, cert, offset_s):
    body = envelope_body(timestamp=NOW + timedelta(seconds=offset_s))
    verification.verify(cert.headers(body), body, parse(body))


@pytest.mark.parametrize("offset_s", [-151, 151, -1800])
def test_timestamp_too_old_or_too_far_ahead_is_refused(verification, cert, offset_s):
    body = envelope_body(timestamp=NOW + timedelta(seconds=offset_s))
    refused(verification, cert.headers(body), body, "request timestamp is .* from now")


@pytest.mark.parametrize("offset_s", [-1800, -3600, 1800])
def test_skill_event_may_be_an_hour_old(verification, cert, offset_s):
    body = envelope_body(request_type="AlexaSkillEvent.SkillEnabled", timestamp=NOW + timedelta(seconds=offset_s))
    verification.verify(cert.headers(body), body, parse(body))


def test_skill_event_older_than_an_hour_is_refused(verification, cert):
    body = envelope_body(request_type="AlexaSkillEvent.SkillDisabled", timestamp=NOW - timedelta(seconds=3601))
    refused(verification, cert.headers(body), body, "limit 3600 s")


def test_timestamp_without_zone_is_read_as_utc(verification, cert):
    body = envelope_body(timestamp=NOW.strftime("%Y-%m-%dT%H:%M:%S"))
    verification.verify(cert.headers(body), body, parse(body))


def test_missing_timestamp_is_refused(verification, cert):
    body = envelope_body(timestamp=None)
    refused(verification, cert.headers(body), body, "no timestamp")


def test_timestamp_tolerance_is_capped_and_never_negative():
    with pytest.warns(UserWarning, match="exceeds the maximum"):
        lenient = TimestampVerifier(tolerance_in_millis=10_000_000, clock=Clock())
    body = envelope_body(timestamp=NOW - timedelta(seconds=151))
    refused(lenient, {}, body, "limit 150 s")
    with pytest.raises(VerificationConfigError):
        TimestampVerifier(tolerance_in_millis=-1)


# ---------------------------------------------------------------- skill ID

def test_other_skill_is_refused(verification, cert):
    body = envelope_body(app_id="amzn1.ask.skill.someone-else")
    refused(verification, cert.headers(body), body, "not in the allow-list")


def test_request_without_application_id_is_refused(verification, cert):
    body = envelope_body(app_id=None)
    refused(verification, cert.headers(body), body, "names no application ID")


def test_session_naming_another_skill_is_refused(verification, cert):
    body = envelope_body(session_app_id="amzn1.ask.skill.someone-else")
    refused(verification, cert.headers(body), body, "not in the allow-list")


def test_any_listed_skill_passes(files, cert):
    second = "amzn1.ask.skill.second"
    verification = Verification(config(files, skill_ids=frozenset({SKILL_ID, second})))
    body = envelope_body(app_id=second, session_app_id=second)
    verification.verify(cert.headers(body), body, parse(body))


def test_empty_allow_list_cannot_be_set_up(files):
    with pytest.raises(VerificationConfigError, match="BACKCOACH_SKILL_IDS"):
        Verification(config(files, skill_ids=frozenset()))


# ---------------------------------------------------------------- set-up

def test_unreadable_trust_roots_cannot_be_set_up(files, tmp_path):
    bad = tmp_path / "roots.pem"
    bad.write_text("not a certificate")
    with pytest.raises(VerificationConfigError, match="BACKCOACH_TRUST_ROOTS"):
        Verification(config(files, trust_roots=bad))
    with pytest.raises(VerificationConfigError, match="BACKCOACH_TRUST_ROOTS"):
        Verification(config(files, trust_roots=tmp_path / "absent.pem"))


def test_cert_dir_must_be_a_directory(files, tmp_path):
    with pytest.raises(VerificationConfigError, match="BACKCOACH_CERT_DIR"):
        Verification(config(files, cert_dir=tmp_path / "absent"))


def test_verifier_for_settings(files, cert):
    roots, cert_dir = files
    assert verifier_for(Settings(dev=True)) is None
    verifier = verifier_for(Settings(skill_ids=frozenset({SKILL_ID}), trust_roots=roots, cert_dir=cert_dir,
                                     extra={"clock": Clock()}))
    body = envelope_body()
    verifier.verify(cert.headers(body), body, parse(body))
    refused(verifier, cert.headers(body), body + b" ", "signature does not match")
    with pytest.raises(ConfigError, match="BACKCOACH_SKILL_IDS"):
        verifier_for(Settings(trust_roots=roots, cert_dir=cert_dir))


# ---------------------------------------------------------------- downloading the chain (real urllib, loopback)

class _CertHost(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"no such key"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    """The loopback hosts below must be reached directly, whatever the environment says."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cert_host():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CertHost)
    server.routes, server.hits = {}, []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def via_loopback(port: int):
    """Send the canonical Amazon URL's path to a loopback port, through the real download code."""
    return lambda url, timeout: fetch_chain(f"http://127.0.0.1:{port}{urlsplit(url).path}", timeout)


def test_downloaded_chain_is_used_and_cached(files, cert, cert_host):
    cert_host.routes["/echo.api/echo-api-cert.pem"] = (200, {}, cert.chain_pem)
    verification = Verification(config(files, cert_dir=None, fetch=via_loopback(cert_host.server_port)))
    body = envelope_body()
    verification.verify(cert.headers(body), body, parse(body))
    verification.verify(cert.headers(body, "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem"), body, parse(body))
    assert cert_host.hits == ["/echo.api/echo-api-cert.pem"]


def test_download_error_is_refused(files, cert, cert_host):
    verification = Verification(config(files, cert_dir=None, fetch=via_loopback(cert_host.server_port)))
    body = envelope_body()
    refused(verification, cert.headers(body), body, "download failed: HTTP Error 404")


def test_redirect_is_not_followed(files, cert, cert_host):
    cert_host.routes["/echo.api/echo-api-cert.pem"] = (302, {"Location": "/elsewhere.pem"}, b"")
    cert_host.routes["/elsewhere.pem"] = (200, {}, cert.chain_pem)
    verification = Verification(config(files, cert_dir=None, fetch=via_loopback(cert_host.server_port)))
    body = envelope_body()
    refused(verification, cert.headers(body), body, "download failed: HTTP Error 302")
    assert cert_host.hits == ["/echo.api/echo-api-cert.pem"]


def test_unreachable_host_is_refused(files, cert):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    verification = Verification(config(files, cert_dir=None, fetch=via_loopback(port)))
    body = envelope_body()
    refused(verification, cert.headers(body), body, "download failed")


def test_host_that_never_answers_times_out(files, cert):
    # The kernel completes the connection from the backlog; nobody ever accepts or answers.
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:
        verification = Verification(config(files, cert_dir=None, fetch_timeout=0.2,
                                           fetch=via_loopback(silent.getsockname()[1])))
        body = envelope_body()
        refused(verification, cert.headers(body), body, "download (too slow|failed: .*timed out)")


def _trickling_host(head: bytes, trickle: bytes):
    """Sends `head` at once, then one byte of `trickle` every 20 ms (5 s at most); yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)  # so teardown never waits on a client that did not come
    stop = threading.Event()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            conn.sendall(head)
            for byte in trickle[:250]:
                if stop.wait(0.02):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


@pytest.fixture
def trickling_body_host():
    """Answers 200 with a large Content-Length, then trickles the body."""
    yield from _trickling_host(b"HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n", b"x" * 250)


@pytest.fixture
def trickling_headers_host():
    """Trickles its response headers: each byte well within any per-read socket timeout."""
    yield from _trickling_host(b"HTTP/1.1 200 OK\r\n", b"X-Padding: " + b"p" * 230 + b"\r\n\r\n")


@pytest.mark.parametrize("host", ["trickling_body_host", "trickling_headers_host"])
def test_trickling_download_is_cut_at_one_deadline(request, host):
    port = request.getfixturevalue(host)
    started = time.monotonic()
    with pytest.raises(VerificationException, match="too slow"):
        fetch_chain(f"http://127.0.0.1:{port}/echo.api/echo-api-cert.pem", timeout=0.3)
    assert time.monotonic() - started < 1.5  # not 250 bytes x 20 ms = 5 s


def test_oversized_download_is_refused(cert_host):
    cert_host.routes["/big.pem"] = (200, {}, b"x" * (200 * 1024))
    with pytest.raises(VerificationException, match="too large"):
        fetch_chain(f"http://127.0.0.1:{cert_host.server_port}/big.pem", timeout=2)


# ---------------------------------------------------------------- cache

def test_cache_entry_is_never_used_past_the_leaf_expiry(files, ca):
    short = ca.issue(not_after=NOW + timedelta(hours=1))
    fetch = CountingFetch({CERT_FILE: short.chain_pem})
    clock = Clock()
    verification = Verification(config(files, cert_dir=None, fetch=fetch, clock=clock))

    def send() -> None:
        body = envelope_body(timestamp=clock.now)
        verification.verify(short.headers(body), body, parse(body))

    send()
    clock.now = NOW + timedelta(minutes=59)
    send()
    assert fetch.calls == [CERT_FILE]
    clock.now = NOW + timedelta(hours=1, seconds=1)
    with pytest.raises(VerificationException, match="expired"):
        send()
    assert fetch.calls == [CERT_FILE, CERT_FILE]


def test_cache_is_bounded_least_recently_used_first(files, cert):
    fetch = CountingFetch({name: cert.chain_pem for name in ("a.pem", "b.pem", "c.pem")})
    verification = Verification(config(files, cert_dir=None, fetch=fetch, cache_size=2))
    body = envelope_body()
    for name in ("a.pem", "b.pem", "c.pem", "a.pem", "c.pem"):
        verification.verify(cert.headers(body, f"https://s3.amazonaws.com/echo.api/{name}"), body, parse(body))
    # a was dropped when c arrived (size 2), so it is downloaded again; c stayed.
    assert fetch.calls == ["a.pem", "b.pem", "c.pem", "a.pem"]


def test_concurrent_requests_all_verify(files, cert):
    names = ("a.pem", "b.pem", "c.pem")
    fetch = CountingFetch({name: cert.chain_pem for name in names})
    verification = Verification(config(files, cert_dir=None, fetch=fetch, cache_size=2))
    body = envelope_body()
    envelope = parse(body)
    headers = [cert.headers(body, f"https://s3.amazonaws.com/echo.api/{name}") for name in names]

    def send(i: int) -> None:
        verification.verify(headers[i % 3], body, envelope)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send, range(200)))
    assert set(fetch.calls) == set(names)
