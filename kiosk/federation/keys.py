"""The federation signing key and its self-signed certificate: created, rotated, published.

The key signs SAML responses and assertions (RSA-SHA256) and OpenID Connect ID tokens (RS256).
Files are owner-only and live beside the district secret. A rotation keeps the previous
certificate published (SAML metadata, JWKS) until ``kiosk federation remove-old``, so partners
that cached it keep validating while they pick up the new one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kiosk.config import Config
from kiosk.errors import ConfigError

KEY_BITS = 3072
CERT_YEARS = 10


@dataclass(frozen=True)
class KeyPaths:
    key: Path
    cert: Path
    old_cert: Path


def key_paths(config: Config) -> KeyPaths:
    f = config.federation
    return KeyPaths(
        config.resolve(f.key_file), config.resolve(f.cert_file), config.resolve(f.old_cert_file)
    )


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)  # a crash never leaves half a key behind


def new_pair(common_name: str, key_bits: int = KEY_BITS) -> tuple[bytes, bytes]:
    """A new RSA key and its self-signed certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "Front Desk")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def ensure_keys(config: Config) -> bool:
    """Create the signing key and certificate when missing; True when they were created."""
    paths = key_paths(config)
    if paths.key.exists() and paths.cert.exists():
        return False
    key_pem, cert_pem = new_pair(f"{config.district.name} Front Desk")
    _write_private(paths.cert, cert_pem)
    _write_private(paths.key, key_pem)
    return True


def rotate(config: Config) -> None:
    """A new key and certificate; the current certificate stays published as the old one."""
    paths = key_paths(config)
    if not (paths.key.exists() and paths.cert.exists()):
        raise ConfigError("fed_no_key")
    _write_private(paths.old_cert, paths.cert.read_bytes())
    key_pem, cert_pem = new_pair(f"{config.district.name} Front Desk")
    _write_private(paths.cert, cert_pem)
    _write_private(paths.key, key_pem)


def remove_old(config: Config) -> bool:
    """Stop publishing the previous certificate; True when there was one."""
    path = key_paths(config).old_cert
    if not path.exists():
        return False
    path.unlink()
    return True


@dataclass(frozen=True)
class SigningKeys:
    """The loaded key material: the current pair and every certificate still published."""

    key_path: Path
    cert_path: Path
    key_pem: bytes
    cert_pem: bytes
    published: tuple[bytes, ...]  # PEM certificates, current first

    @property
    def kid(self) -> str:
        return key_id(self.cert_pem)


def key_id(cert_pem: bytes) -> str:
    der = x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:12]).decode().rstrip("=")


def load(config: Config) -> SigningKeys:
    paths = key_paths(config)
    if not (paths.key.exists() and paths.cert.exists()):
        raise ConfigError("fed_key_missing", path=str(paths.key))
    cert = paths.cert.read_bytes()
    published = [cert]
    if paths.old_cert.exists():
        published.append(paths.old_cert.read_bytes())
    return SigningKeys(paths.key, paths.cert, paths.key.read_bytes(), cert, tuple(published))


def cert_body(cert_pem: bytes) -> str:
    """The base64 body of a PEM certificate, as SAML metadata carries it."""
    lines = cert_pem.decode().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))


def jwks(keys: SigningKeys) -> dict[str, list[dict[str, str]]]:
    """Every published certificate's public key as a JSON Web Key (RS256, signing)."""
    from joserfc.jwk import RSAKey

    out = []
    for pem in keys.published:
        public = x509.load_pem_x509_certificate(pem).public_key()
        jwk = RSAKey.import_key(
            public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).as_dict(private=False)
        jwk.update({"kid": key_id(pem), "use": "sig", "alg": "RS256"})
        out.append(jwk)
    return {"keys": out}
