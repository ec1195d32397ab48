"""A stand-in for Amazon's request signing, for tests, benches and local trials of a verified server.

A throwaway root and intermediate (made by trustme) issue a leaf shaped like Amazon's signing
certificate, and the leaf's key signs request bodies. Serve with BACKCOACH_TRUST_ROOTS and
BACKCOACH_CERT_DIR pointing at the files write_offline_files() makes.

trustme's own leaf certificates mark the SAN critical beside a non-empty subject, which the Web PKI
policy (rightly) refuses, so the leaf is built here the way public CAs, Amazon included, build it.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import trustme
from ask_sdk_webservice_support.verifier_constants import CERT_CHAIN_DOMAIN, SIGNATURE_CERT_CHAIN_URL_HEADER
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.web.verify import SIGNATURE_256_HEADER

CERT_FILE = "echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com/echo.api/{CERT_FILE}"


@dataclass(frozen=True)
class SigningCert:
    chain_pem: bytes  # leaf first, then the intermediate: what Amazon's certificate URL serves
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    def sign(self, body: bytes) -> str:
        """Base64 RSA PKCS#1 v1.5 SHA-256 signature of `body`, as in the Signature-256 header."""
        if not isinstance(self.private_key, rsa.RSAPrivateKey):
            raise TypeError("Alexa signatures are RSA; this certificate's key is not")
        return base64.b64encode(self.private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")

    def headers(self, body: bytes, cert_url: str = CERT_URL) -> dict[str, str]:
        return {SIGNATURE_CERT_CHAIN_URL_HEADER: cert_url, SIGNATURE_256_HEADER: self.sign(body)}


class SigningCA:
    """A root you can trust and an intermediate that issues Amazon-shaped signing certificates."""

    def __init__(self) -> None:
        self.root = trustme.CA()
        self._issuer = self.root.create_child_ca()
        self._issuer_key = serialization.load_pem_private_key(self._issuer.private_key_pem.bytes(), None)
        self._issuer_cert = x509.load_pem_x509_certificate(self._issuer.cert_pem.bytes())

    @property
    def root_pem(self) -> bytes:
        return self.root.cert_pem.bytes()

    def issue(self, *dns_names: str, not_before: datetime | None = None, not_after: datetime | None = None,
              private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
              digital_signature: bool = True) -> SigningCert:
        """A leaf for `dns_names` (default echo-api.amazon.com), valid a day either side of now unless told."""
        names = dns_names or (CERT_CHAIN_DOMAIN,)
        now = datetime.now(timezone.utc)
        key = private_key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ski = self._issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self._issuer_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.KeyUsage(
                digital_signature=digital_signature, content_commitment=False, key_encipherment=True,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .sign(self._issuer_key, hashes.SHA256())
        )
        return SigningCert(leaf.public_bytes(serialization.Encoding.PEM) + self._issuer.cert_pem.bytes(), key)

    def write_offline_files(self, directory: Path, cert: SigningCert, file_name: str = CERT_FILE) -> tuple[Path, Path]:
        """Write the trust roots file and a certificate directory holding `cert`; returns (roots, cert_dir)."""
        roots = directory / "trust-roots.pem"
        roots.write_bytes(self.root_pem)
        cert_dir = directory / "certs"
        cert_dir.mkdir(exist_ok=True)
        (cert_dir / file_name).write_bytes(cert.chain_pem)
        return roots, cert_dir
