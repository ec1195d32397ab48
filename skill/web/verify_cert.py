"""Alexa's signing certificate: URL rules, fetching, chain validation and a bounded per-URL cache.

The rules and constants are ask-sdk-webservice-support's; the chain check is cryptography's X.509
verification API instead of the package's certvalidator (which needs oscrypto, broken on OpenSSL 3).
"""
from __future__ import annotations

import functools
import http.client
import os
import posixpath
import socket
import ssl
import threading
import urllib.request
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import certifi
from ask_sdk_webservice_support.verifier_constants import (
    CERT_CHAIN_DOMAIN,
    CERT_CHAIN_URL_HOSTNAME,
    CERT_CHAIN_URL_PORT,
    CERT_CHAIN_URL_PROTOCOL,
    CERT_CHAIN_URL_STARTPATH,
)
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.web.verify_errors import VerificationConfigError, VerificationException

# The package builds this with os.path.sep; a URL path separator is always "/".
CERT_URL_START_PATH = CERT_CHAIN_URL_STARTPATH.replace(os.path.sep, "/")
# A real chain is about 6 KiB; anything far larger is not a certificate chain.
MAX_CHAIN_BYTES = 64 * 1024

Fetch = Callable[[str, float], bytes]  # (canonical URL, timeout in seconds) -> PEM bytes


def canonical_cert_url(url: str) -> str:
    """Apply Amazon's rules to a SignatureCertChainUrl and return the normalised URL to load.

    Scheme and host compare case-insensitively, the path case-sensitively after normalisation
    (so /echo.api/../echo.api/x passes and /EcHo.aPi/x does not); the port is absent or 443.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationException("certificate URL does not parse") from exc
    if parts.scheme.lower() != CERT_CHAIN_URL_PROTOCOL:
        raise VerificationException("certificate URL is not https")
    if parts.hostname != CERT_CHAIN_URL_HOSTNAME:  # urlsplit lower-cases hostname
        raise VerificationException("certificate URL has the wrong host")
    if port not in (None, CERT_CHAIN_URL_PORT):
        raise VerificationException("certificate URL has the wrong port")
    if "@" in parts.netloc or parts.query or parts.fragment:
        raise VerificationException("certificate URL has a user, query or fragment")
    path = posixpath.normpath(parts.path)
    if not path.startswith(CERT_URL_START_PATH):
        raise VerificationException(f"certificate URL path is outside {CERT_URL_START_PATH}")
    # Load what was checked: the normalised path on the one allowed host.
    return f"https://{CERT_CHAIN_URL_HOSTNAME}{path}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx then surfaces as an HTTPError
        return None


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class _Deadline:
    """Cuts a download's connections when its time is up, whatever they are doing: connecting,
    the TLS handshake, the headers or the body. Per-operation socket timeouts cannot: a server
    trickling a byte a second never lets one expire."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor of our own: TLS wrapping detaches the original socket object, and
        # shutting down a duplicate shuts down the connection itself.
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._sockets[-1].shutdown(socket.SHUT_RDWR)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()


def _watched(connection_class: type[http.client.HTTPConnection], deadline: _Deadline):
    class Watched(connection_class):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = self._connect  # http.client's hook for making the TCP socket

        @staticmethod
        def _connect(*args, **kwargs) -> socket.socket:
            sock = socket.create_connection(*args, **kwargs)
            deadline.watch(sock)
            return sock

    return Watched


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self._deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(context=_tls())
        self._deadline = deadline

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self._deadline), req, context=self._context)


def fetch_chain(url: str, timeout: float) -> bytes:
    """GET a certificate chain, all of it (connect, TLS, headers, body) within `timeout` seconds."""
    deadline = _Deadline(timeout)
    try:
        # Built per download (cheap) so proxy settings in the environment are read as they are now.
        opener = urllib.request.build_opener(_DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline),
                                             _NoRedirects)
        with opener.open(url, timeout=timeout) as response:
            body = bytearray()
            while chunk := response.read1(16 * 1024):
                body += chunk
                if len(body) > MAX_CHAIN_BYTES:
                    raise VerificationException("certificate chain download too large")
            if deadline.expired:  # a cut connection can look like a short, complete body
                raise VerificationException(f"certificate chain download too slow (over {timeout:g} s)")
            return bytes(body)
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError, HTTPError, timeouts
        if deadline.expired:
            raise VerificationException(f"certificate chain download too slow (over {timeout:g} s)") from exc
        raise VerificationException(f"certificate chain download failed: {exc}") from exc
    finally:
        deadline.close()


def read_cert_dir(cert_dir: Path, url: str, timeout: float) -> bytes:
    """Offline stand-in for the certificate host: the URL's file name, read from `cert_dir`."""
    name = posixpath.basename(urlsplit(url).path)
    try:
        return (cert_dir / name).read_bytes()
    except OSError as exc:
        raise VerificationException(f"certificate {name} is not in the certificate directory") from exc


def load_trust_store(extra_roots: Path | None) -> Store:
    """certifi's roots, plus the roots in `extra_roots` (a PEM file) when given."""
    with warnings.catch_warnings():
        # A few roots certifi ships have non-positive serial numbers; cryptography accepts them with a warning.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        roots = x509.load_pem_x509_certificates(Path(certifi.where()).read_bytes())
    if extra_roots is not None:
        try:
            roots += x509.load_pem_x509_certificates(extra_roots.read_bytes())
        except (OSError, ValueError) as exc:
            raise VerificationConfigError(f"BACKCOACH_TRUST_ROOTS: no PEM certificates in {extra_roots}: {exc}") from exc
    return Store(roots)


@dataclass(frozen=True)
class SigningKey:
    """A verified leaf's key, usable while every certificate of its chain is valid."""

    public_key: RSAPublicKey
    valid_from: datetime   # latest not_valid_before in the verified chain
    valid_until: datetime  # earliest not_valid_after in the verified chain (the leaf's, for Amazon)

    def usable_at(self, now: datetime) -> bool:
        return self.valid_from <= now <= self.valid_until


def validate_chain(pem: bytes, store: Store, now: datetime) -> SigningKey:
    """Check a PEM chain (leaf first) as Amazon asks: leaf valid now, SAN holds echo-api.amazon.com,
    chain reaches a trusted root, key may sign. Returns the leaf's RSA key."""
    try:
        leaf, *intermediates = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise VerificationException("certificate chain is not PEM certificates") from exc
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        raise VerificationException("signing certificate is expired or not yet valid")
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        names = x509.SubjectAlternativeName([])
    # Exact name, as the package checks: a wildcard such as *.amazon.com is not enough.
    if CERT_CHAIN_DOMAIN not in names.get_values_for_type(x509.DNSName):
        raise VerificationException(f"signing certificate is not for {CERT_CHAIN_DOMAIN}")
    # Amazon's signing certificate is a Web PKI server certificate for echo-api.amazon.com, so the
    # server verifier's policy (serverAuth EKU, SAN match, CA/B Forum profile) is the one that fits.
    verifier = PolicyBuilder().store(store).time(now).build_server_verifier(x509.DNSName(CERT_CHAIN_DOMAIN))
    try:
        chain = verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        raise VerificationException(f"certificate chain not trusted: {exc}") from exc
    try:
        may_sign = leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    except x509.ExtensionNotFound:
        may_sign = False  # the package (certvalidator validate_usage) requires the extension too
    if not may_sign:
        raise VerificationException("signing certificate's key usage does not allow signatures")
    key = leaf.public_key()
    if not isinstance(key, RSAPublicKey):
        raise VerificationException("signing certificate's key is not RSA")
    return SigningKey(key, max(c.not_valid_before_utc for c in chain), min(c.not_valid_after_utc for c in chain))


class SigningKeyCache:
    """Verified keys by canonical URL: thread-safe, least recently used dropped past `size`,
    and an entry is never returned outside its chain's validity."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise VerificationConfigError("certificate cache size must be at least 1")
        self._size = size
        self._entries: OrderedDict[str, SigningKey] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str, now: datetime) -> SigningKey | None:
        with self._lock:
            key = self._entries.get(url)
            if key is None:
                return None
            if not key.usable_at(now):
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return key

    def put(self, url: str, key: SigningKey) -> None:
        with self._lock:
            self._entries[url] = key
            self._entries.move_to_end(url)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
