"""`[hall] public_base_url` is the one address of the phone rating page, checked with clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from broker_config import LocalBroker
from broker_config.local_broker import free_port
from console.config import load_console_config
from hall.config import SAMPLE_HALL, load_config
from hall.core.errors import ConfigError
from tests.console.test_console_command import hall, hall_toml

NO_SECRET = {"HALL_MQTT_PASSWORD": "not-read-here"}


def with_base_url(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "hall.toml"
    path.write_text(SAMPLE_HALL.read_text(encoding="utf-8").replace("[hall]\n", f"[hall]\n{line}\n", 1),
                    encoding="utf-8")
    return path


def test_the_console_reads_the_halls_public_base_url_and_refuses_to_start_without_it(
        tmp_path: Path, broker: LocalBroker) -> None:
    config = hall_toml(tmp_path, broker, free_port())
    assert load_console_config(config).public_base_url.startswith("https://hall.example:")
    config.write_text(config.read_text(encoding="utf-8").replace("public_base_url", "# was", 1),
                      encoding="utf-8")
    refused = hall("console", "--config", str(config))
    assert refused.returncode == 4
    assert "[hall] public_base_url is missing" in refused.stderr, refused.stderr


def test_a_public_base_url_left_in_the_console_table_is_refused_with_where_it_belongs(
        tmp_path: Path, broker: LocalBroker) -> None:
    config = hall_toml(tmp_path, broker, free_port())
    config.write_text(config.read_text(encoding="utf-8") + 'public_base_url = "https://x"\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"belongs in \[hall\]"):
        load_console_config(config)


@pytest.mark.parametrize("value", ["hall.example.gov.cn", "ftp://hall.example", "https://",
                                   "https://hall.example/?next=1", "https://hall example"])
def test_an_invalid_public_base_url_is_a_clear_configuration_error(tmp_path: Path,
                                                                   value: str) -> None:
    with pytest.raises(ConfigError, match="is not a plain http"):
        load_config(with_base_url(tmp_path, f'public_base_url = "{value}"'), env=NO_SECRET)


def test_a_public_base_url_is_kept_without_its_trailing_slash(tmp_path: Path) -> None:
    config = load_config(with_base_url(tmp_path, 'public_base_url = "https://ybj.example.gov.cn/hall/"'),
                         env=NO_SECRET)
    assert config.public_base_url == "https://ybj.example.gov.cn/hall"
    assert load_config(SAMPLE_HALL, env=NO_SECRET).public_base_url == ""  # a kiosk-only hall: bare codes
