"""A CDN-like host for the benchmark: stlite and Pyodide from ``https://cdn.jsdelivr.net``,
answered by a local TLS server.

A reader's browser gets stlite and Pyodide from jsDelivr: another origin than the page, over
TLS, with CORS and a year of immutable caching. Pages built with the default URLs (ours) and
competitors' pages (which hard-code the CDN) then run unchanged. Chromium is told to resolve
``cdn.jsdelivr.net`` to the local server (``--host-resolver-rules``) and to bypass the
blocking proxy for it; the server answers with a certificate made for this run.

The certificate is trusted through ``--ignore-certificate-errors-spki-list`` (its public key's
hash), not ``--ignore-certificate-errors``: Chromium does not write responses that carry a
certificate error into its HTTP cache, so with the latter a second page would download
everything again and frames would not share downloads as they do from the real CDN
(checked with Chromium 156).

Known differences from jsDelivr: HTTP/1.1 (jsDelivr speaks HTTP/2 and HTTP/3: one
connection instead of up to six), no compression (jsDelivr sends brotli or gzip for
JavaScript and wasm), and loopback speed unless ``run.py --net`` emulates a link.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import importlib
import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stlite_docs.settings import DEFAULT_JS_URL, DEFAULT_PYODIDE_URL

CDN_HOST = "cdn.jsdelivr.net"
CDN_ORIGIN = f"https://{CDN_HOST}"
#: Where the offline distribution's folders are served on the CDN host (the paths of the
#: pinned default URLs).
STLITE_PATH = DEFAULT_JS_URL[len(CDN_ORIGIN) : DEFAULT_JS_URL.rindex("/")]
PYODIDE_PATH = DEFAULT_PYODIDE_URL[len(CDN_ORIGIN) : DEFAULT_PYODIDE_URL.rindex("/")]

#: What jsDelivr sends with a file of a pinned npm version (besides its content type).
JSDELIVR_HEADERS = {
    "Cache-Control": "public, max-age=31536000, s-maxage=31536000, immutable",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "*",
    "Timing-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
}


class CertificateUnavailable(RuntimeError):
    """Neither the ``cryptography`` package nor the ``openssl`` command is here."""


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    #: base64 of the sha256 of the DER SubjectPublicKeyInfo, as Chromium's SPKI list wants it
    spki_sha256: str

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        context.set_alpn_protocols(["http/1.1"])
        return context


def _spki_hash(der: bytes) -> str:
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def _with_cryptography(folder: Path, host: str) -> Certificate:
    x509: Any = importlib.import_module("cryptography.x509")
    oid: Any = importlib.import_module("cryptography.x509.oid")
    hashes: Any = importlib.import_module("cryptography.hazmat.primitives.hashes")
    ec: Any = importlib.import_module("cryptography.hazmat.primitives.asymmetric.ec")
    ser: Any = importlib.import_module("cryptography.hazmat.primitives.serialization")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(oid.NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cdn-cert.pem", folder / "cdn-key.pem"
    cert_path.write_bytes(cert.public_bytes(ser.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    )
    spki = key.public_key().public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return Certificate(cert_path, key_path, _spki_hash(spki))


def _with_openssl(folder: Path, host: str) -> Certificate:
    cert_path, key_path = folder / "cdn-cert.pem", folder / "cdn-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key_path),
            "-out",
            str(cert_path),
            "-days",
            "7",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host}",
        ],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        ["openssl", "x509", "-in", str(cert_path), "-pubkey", "-noout"],
        check=True,
        capture_output=True,
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"],
        input=public,
        check=True,
        capture_output=True,
    ).stdout
    return Certificate(cert_path, key_path, _spki_hash(der))


def make_certificate(folder: Path, host: str = CDN_HOST) -> Certificate:
    """A self-signed certificate for ``host``, made now (never stored in the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(ImportError):
        return _with_cryptography(folder, host)
    if shutil.which("openssl"):
        return _with_openssl(folder, host)
    raise CertificateUnavailable(
        "the CDN-like transport needs the cryptography package "
        "(pip install cryptography) or the openssl command"
    )


def chromium_args(port: int, certificate: Certificate) -> list[str]:
    """Send the CDN host to the local TLS server on ``port`` and trust its certificate."""
    return [
        f"--host-resolver-rules=MAP {CDN_HOST} 127.0.0.1:{port}",
        f"--proxy-bypass-list={CDN_HOST}",
        f"--ignore-certificate-errors-spki-list={certificate.spki_sha256}",
    ]


def mounts(dist_root: Path) -> dict[str, Path]:
    """URL path prefix on the CDN host -> folder of the offline distribution."""
    return {STLITE_PATH: dist_root / "stlite", PYODIDE_PATH: dist_root / "pyodide"}
