"""The hub's manager console: its HTTPS certificate from the hall CA, and its systemd unit."""
from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from provisioning.ca import CLOCK_SKEW, SERVER_VALIDITY, KeyPair
from provisioning.units import WATCHDOG_S, UnitOptions

CONSOLE_UNIT = "hall-console.service"


def console_server_name(hall_id: str) -> str:
    return f"console.{hall_id}.hall.internal"


def issue_console_certificate(ca: KeyPair, hall_id: str, hostnames: tuple[str, ...],
                              addresses: tuple[str, ...], now: dt.datetime) -> KeyPair:
    """A TLS server certificate for the console's names and addresses, signed by the hall CA.

    Managers' browsers trust it once the hall CA is installed on their PCs (deployment.md).
    """
    ca_cert = x509.load_pem_x509_certificate(ca.certificate_pem)
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ValueError("the hall CA key is not an EC key")
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(console_server_name(hall_id))]
    names += [x509.DNSName(h) for h in dict.fromkeys(hostnames) if h]
    names += [x509.IPAddress(ipaddress.ip_address(a))
              for a in dict.fromkeys(("127.0.0.1", *addresses))]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                        console_server_name(hall_id))]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW).not_valid_after(now + SERVER_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM),
                   key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()))


def console_units(options: UnitOptions) -> dict[str, str]:
    return {CONSOLE_UNIT: f"""[Unit]
Description=Hall manager console (web app for managers and IT, and the phone rating page)
# Wants, not Requires: the console rides out a broker or controller restart, marked stale.
Wants=hall-broker.service hall-controller.service
After=hall-broker.service hall-controller.service

[Service]
Type=notify
NotifyAccess=main
WatchdogSec={WATCHDOG_S}
User={options.user}
ExecStart={options.hall_command} console --config {options.config_file}
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
"""}


def add_console_cert_command(actions: argparse._SubParsersAction[argparse.ArgumentParser],
                             default_hub: Path) -> None:
    a = actions.add_parser("console-cert", help="issue the console's HTTPS certificate (hall CA)")
    a.add_argument("--hub", type=Path, default=default_hub, help="the hub's directory")
    a.add_argument("--hostname", action="append", default=[],
                   help="a name managers type for the console (default: the hub's names)")
    a.add_argument("--address", action="append", default=[],
                   help="an address of the console (default: the hub's addresses)")
    a.add_argument("--out", type=Path, help="directory for console.crt and console.key "
                                            "(default: <hub>/console)")
    a.set_defaults(handler=_console_cert)


def _console_cert(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub
    from provisioning.inventory import ProvisioningError

    try:
        hub = Hub(args.hub)
        settings = hub.settings()
        ca = KeyPair(hub.ca_cert.read_bytes(), hub.ca_key.read_bytes())
        pair = issue_console_certificate(
            ca, settings.hall_id, tuple(args.hostname) or settings.hostnames,
            tuple(args.address) or settings.addresses, dt.datetime.now(dt.UTC))
    except (OSError, ValueError, ProvisioningError) as exc:
        print(f"hall provision console-cert: {exc}", file=sys.stderr)
        return 1
    out = args.out or args.hub / "console"
    pair.write(out / "console.crt", out / "console.key")
    print(f"wrote {out / 'console.crt'} and {out / 'console.key'}; in hall.toml [console] set\n"
          f'tls_cert = "{out / "console.crt"}"\ntls_key = "{out / "console.key"}"')
    return 0
