from __future__ import annotations

from pathlib import Path

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.core.catalogue import PriorityRule
from hall.core.errors import ConfigError


def test_the_sample_hall_is_a_realistic_medical_insurance_hall():
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    cat = config.catalogue
    assert len(cat.businesses) == 10
    assert len(cat.windows) == 8
    assert "异地就医备案" in [b.name_zh for b in cat.businesses]
    assert any(len(w.businesses) > 1 for w in cat.windows)
    assert cat.rules.priority_rule is PriorityRule.INTERLEAVE
    assert str(config.timezone) == "Asia/Shanghai"


def test_environment_overrides_the_file(tmp_path):
    config = load_config(SAMPLE_HALL, env={
        "HALL_ID": "hall-7", "HALL_MQTT_PORT": "18830", "HALL_MQTT_USERNAME": "ctl",
        "HALL_MQTT_PASSWORD": "s3cret", "HALL_STORE_PATH": str(tmp_path / "h.db"),
        "HALL_AUTO_HOURS": "0"})
    assert config.catalogue.hall_id == "hall-7"
    assert (config.mqtt.port, config.mqtt.username, config.mqtt.password) == (
        18830, "ctl", "s3cret")
    assert config.store_path == tmp_path / "h.db"
    assert config.auto_hours is False


def test_the_password_comes_from_its_file_relative_to_the_config(tmp_path):
    text = SAMPLE_HALL.read_text(encoding="utf-8")
    (tmp_path / "hall.toml").write_text(text, encoding="utf-8")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "controller.secret").write_text("from-file\n", encoding="utf-8")
    config = load_config(tmp_path / "hall.toml", env={})
    assert config.mqtt.password == "from-file"


def test_a_missing_password_file_is_a_clear_config_error(tmp_path):
    (tmp_path / "hall.toml").write_text(SAMPLE_HALL.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="password file"):
        load_config(tmp_path / "hall.toml", env={})


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('prefix = "B"', 'prefix = "A"'), "duplicate ticket prefix"),
    (lambda t: t.replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
     "unknown timezone"),
    (lambda t: t.replace('priority_rule = "interleave"', 'priority_rule = "loudest"'),
     "priority_rule|loudest"),
    (lambda t: t.replace('mon = ["09:00-12:00"', 'mon = ["12:00-09:00"'), "closes before"),
    (lambda t: t + "\n[[window\n", "cannot read"),
])
def test_a_broken_config_is_refused_with_a_reason(tmp_path, edit, message):
    path: Path = tmp_path / "hall.toml"
    path.write_text(edit(SAMPLE_HALL.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={"HALL_MQTT_PASSWORD": "x"})
