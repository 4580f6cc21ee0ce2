"""The hall's own certificate authority: the broker's server certificate and its fingerprint."""
from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# A hall CA outlives many boards; the broker's certificate is renewed by `hall provision init --renew`.
CA_VALIDITY = dt.timedelta(days=20 * 365)
SERVER_VALIDITY = dt.timedelta(days=5 * 365)
# Clocks of boards without a real-time clock may lag until NTP runs: accept certificates early.
CLOCK_SKEW = dt.timedelta(days=2)


@dataclass(frozen=True, slots=True)
class KeyPair:
    certificate_pem: bytes
    key_pem: bytes

    def write(self, cert_path: Path, key_path: Path) -> None:
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        cert_path.write_bytes(self.certificate_pem)
        write_secret(key_path, self.key_pem)


def write_secret(path: Path, data: bytes) -> None:
    """Write a file that only its owner may read (chmod 600 before any byte is written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def broker_server_name(hall_id: str) -> str:
    """The name every device checks in the broker's certificate, whatever address the hub has."""
    return f"broker.{hall_id}.hall.internal"


def create_ca(hall_id: str, now: dt.datetime) -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "医保服务大厅"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"hall {hall_id} CA")])
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW).not_valid_after(now + CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def issue_server_certificate(ca: KeyPair, hall_id: str, hostnames: tuple[str, ...],
                             addresses: tuple[str, ...], now: dt.datetime) -> KeyPair:
    """The broker's certificate: the fixed broker name, the hub's host names and its addresses."""
    ca_cert = x509.load_pem_x509_certificate(ca.certificate_pem)
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ValueError("the hall CA key is not an EC key")
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(broker_server_name(hall_id))]
    names += [x509.DNSName(h) for h in dict.fromkeys(hostnames) if h]
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in dict.fromkeys(("127.0.0.1", *addresses))]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                        broker_server_name(hall_id))]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW).not_valid_after(now + SERVER_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def fingerprint(certificate_pem: bytes) -> str:
    """SHA-256 of the certificate's DER form, lowercase hex: what TXT records and bundles pin."""
    cert = x509.load_pem_x509_certificate(certificate_pem)
    return cert.fingerprint(hashes.SHA256()).hex()


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
