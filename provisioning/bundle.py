"""A device's config bundle: its identity, its password and the hall CA it pins, in one directory."""
from __future__ import annotations

import io
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hall.config import MqttSettings
from provisioning.ca import write_secret
from provisioning.inventory import DeviceRole, ProvisioningError

DEVICE_FILE = "device.toml"
CA_FILE = "ca.crt"
SECRET_FILE = "mqtt.secret"
# Where a board keeps its bundle; `hall provision pair` writes it there, the units read it.
DEFAULT_BUNDLE_DIR = Path("/etc/hall/device")


@dataclass(frozen=True, slots=True)
class DeviceBundle:
    hall_id: str
    device_id: str
    role: DeviceRole
    window: int
    password: str
    ca_pem: bytes
    ca_fingerprint: str
    server_name: str
    # Where the hub was when the bundle was made; discovery finds it again if it moves.
    host: str
    port: int

    def mqtt_settings(self, directory: Path, host: str = "", port: int = 0) -> MqttSettings:
        """Settings for this device's bus: its own account, TLS pinned to the hall CA."""
        return MqttSettings(host=host or self.host, port=port or self.port, username=self.device_id,
                            password=self.password, ca_file=str(directory / CA_FILE),
                            tls_server_name=self.server_name, follow_hall_id=self.hall_id,
                            follow_ca_fingerprint=self.ca_fingerprint)

    def files(self) -> dict[str, bytes]:
        device = (
            "# Written by `hall provision`; the password is in mqtt.secret, the pinned CA in ca.crt.\n"
            "[device]\n"
            f'hall_id = "{self.hall_id}"\n'
            f'device_id = "{self.device_id}"\n'
            f'role = "{self.role}"\n'
            f"window = {self.window}\n\n"
            "[mqtt]\n"
            f'host = "{self.host}"\n'
            f"port = {self.port}\n"
            f'username = "{self.device_id}"\n'
            f'password_file = "{SECRET_FILE}"\n'
            f'ca_file = "{CA_FILE}"\n'
            f'ca_fingerprint = "{self.ca_fingerprint}"\n'
            f'tls_server_name = "{self.server_name}"\n')
        return {DEVICE_FILE: device.encode(), CA_FILE: self.ca_pem,
                SECRET_FILE: (self.password + "\n").encode()}

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        for name, data in self.files().items():
            write_secret(directory / name, data)
        return directory

    def archive(self) -> bytes:
        """The bundle as a tar.gz, e.g. to seal it into a pairing answer or put it on a USB stick."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in self.files().items():
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()


def bundle_from_archive(data: bytes, directory: Path) -> DeviceBundle:
    """Unpack a bundle archive into `directory` (only the bundle's own three files) and load it."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.name in (DEVICE_FILE, CA_FILE, SECRET_FILE) and member.isfile():
                    extracted = tar.extractfile(member)
                    if extracted is not None:
                        files[member.name] = extracted.read()
    except (tarfile.TarError, OSError) as exc:
        raise ProvisioningError(f"not a device bundle: {exc}") from exc
    if set(files) != {DEVICE_FILE, CA_FILE, SECRET_FILE}:
        raise ProvisioningError(f"a device bundle has {DEVICE_FILE}, {CA_FILE} and {SECRET_FILE}")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    for name, content in files.items():
        write_secret(directory / name, content)
    return load_bundle(directory)


def load_bundle(directory: Path) -> DeviceBundle:
    try:
        raw = tomllib.loads((directory / DEVICE_FILE).read_text(encoding="utf-8"))
        device, mqtt = raw["device"], raw["mqtt"]
        return DeviceBundle(
            hall_id=device["hall_id"], device_id=device["device_id"], role=DeviceRole(device["role"]),
            window=int(device["window"]),
            password=(directory / mqtt["password_file"]).read_text(encoding="utf-8").strip(),
            ca_pem=(directory / mqtt["ca_file"]).read_bytes(), ca_fingerprint=mqtt["ca_fingerprint"],
            server_name=mqtt["tls_server_name"], host=mqtt["host"], port=int(mqtt["port"]))
    except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ProvisioningError(f"cannot read the device bundle in {directory}: {exc}") from exc
