"""The `hall` command as a user runs it: real processes, real broker, real output."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from hall.protocol import messages as m

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "hall" / "data" / "sample_hall.toml"


def hall(*args: str, timeout_s: float = 120, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hall", *args], capture_output=True, text=True,
                          timeout=timeout_s, cwd=ROOT, env={**os.environ, **(env or {})})


def test_protocol_schema_writes_one_valid_json_schema_per_message(tmp_path):
    result = hall("protocol", "schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = sorted(tmp_path.glob("*.schema.json"))
    assert {f.name.removesuffix(".schema.json") for f in files} == {
        cls.KIND for cls in m.ALL_MESSAGES}
    for f in files:
        jsonschema.Draft202012Validator.check_schema(json.loads(f.read_text(encoding="utf-8")))


def test_docs_list_every_message_of_the_protocol():
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    missing = [cls.KIND for cls in m.ALL_MESSAGES if f"`{cls.KIND}`" not in text]
    assert missing == []


def test_controller_with_a_broken_config_says_what_is_wrong(tmp_path):
    bad = tmp_path / "hall.toml"
    bad.write_text('[hall]\nid = "Bad Hall"\nname_zh = "x"\nname_en = "x"\n', encoding="utf-8")
    result = hall("controller", "--config", str(bad))
    assert result.returncode == 4
    assert "a hall needs at least one [[business]]" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_runs_a_simulated_hall_headless_and_reports_what_happened():
    result = hall("demo", "--headless", "--duration", "6", "--speed", "60",
                  "--date", "2026-11-24", timeout_s=90)
    assert result.returncode == 0, result.stderr
    assert "Demo finished:" in result.stdout
    assert "参保登记" in result.stdout
    assert "窗口1" in result.stdout
    issued = int(result.stdout.split("Demo finished: ")[1].split(" tickets issued")[0])
    assert issued > 0


def test_bench_prints_each_figure_beside_its_floor(tmp_path):
    out = tmp_path / "bench.json"
    result = hall("bench", "--ops", "30", "--devices", "12", "--json", str(out), timeout_s=240)
    assert result.returncode == 0, result.stderr
    assert "raw MQTT two-hop round trip (floor)" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["devices"] == 12
    assert [f["count"] for f in figures["figures"]] == [30, 30, 30, 30]
    assert figures["sustained_tickets_per_s"] > 0


def test_the_checked_in_schemas_are_the_ones_the_code_generates():
    from hall.protocol.schema import all_schemas

    folder = ROOT / "docs" / "protocol-schemas"
    stored = {f.name.removesuffix(".schema.json"): json.loads(f.read_text(encoding="utf-8"))
              for f in folder.glob("*.schema.json")}
    assert stored == all_schemas(), "run: hall protocol schema --out docs/protocol-schemas"


def test_demo_with_a_screen_opens_the_display_wall_too():
    result = hall("demo", "--duration", "5", "--speed", "60", "--date", "2026-11-24", timeout_s=90,
                  env={"DISPLAY": ":99", "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "Demo finished:" in result.stdout
    assert "No screen found" not in result.stdout


def test_a_manager_pushes_lists_and_retracts_a_notice_from_the_command_line(broker, controller):
    common = ["--hall-id", controller.topics.hall_id, "--port", str(broker.port),
              "--password-file", str(broker.directory / "manager.secret")]
    pushed = hall("notice", "push", "--text-zh", "今日 16:00 起暂停办理异地就医备案", "--urgent",
                  "--expires", "2099-01-01T00:00:00+08:00", *common)
    assert pushed.returncode == 0, pushed.stderr
    notice_id = pushed.stdout.split()[1]
    listed = hall("notice", "list", *common)
    assert notice_id in listed.stdout and "URGENT" in listed.stdout
    assert "暂停办理异地就医备案" in listed.stdout
    assert hall("notice", "retract", notice_id, *common).returncode == 0
    assert "no notices in force" in hall("notice", "list", *common).stdout


def test_a_device_account_cannot_push_notices(broker, controller):
    result = hall("notice", "push", "--text-zh", "假通知", "--user", "device",
                  "--hall-id", controller.topics.hall_id, "--port", str(broker.port),
                  "--password-file", str(broker.directory / "device.secret"))
    assert result.returncode == 1
    assert "may this account do that?" in result.stderr
    assert "Traceback" not in result.stderr
    assert controller.store.notices_in_force() == []


def test_imported_appointments_can_be_checked_in_at_the_kiosk(broker, controller, make_device,
                                                              tmp_path):
    csv_file = tmp_path / "bookings.csv"
    csv_file.write_text("code,business,date,start,end\n"
                        "YY0001,cross_region_filing,2026-11-24,09:30,10:00\n"
                        "YY0002,chronic_disease,2026-11-24,14:00,14:30\n", encoding="utf-8")
    env = {"HALL_STORE_PATH": str(controller.config.store_path), "HALL_MQTT_PASSWORD": "x"}
    result = hall("appointments", "import", str(csv_file), "--config", str(SAMPLE), env=env)
    assert result.returncode == 0, result.stderr
    assert "imported 2 appointments" in result.stdout
    kiosk, _ = make_device(broker, "kiosk-1")
    answer = kiosk.request(m.CheckInAppointment, code="YY0001")
    assert answer.ticket.kind is m.TicketKind.APPOINTMENT


def test_a_bad_booking_file_names_the_line(tmp_path):
    csv_file = tmp_path / "bookings.csv"
    csv_file.write_text("code,business,date,start,end\nYY0001,no_such,2026-11-24,09:30,10:00\n",
                        encoding="utf-8")
    result = hall("appointments", "import", str(csv_file), "--config", str(SAMPLE),
                  env={"HALL_STORE_PATH": str(tmp_path / "h.db"), "HALL_MQTT_PASSWORD": "x"})
    assert result.returncode == 4
    assert "bookings.csv:2: unknown business 'no_such'" in result.stderr


def test_broker_check_accepts_the_project_templates_and_a_generated_config(broker):
    assert hall("broker", "check").returncode == 0
    result = hall("broker", "check", "--config", str(broker.config_file))
    assert result.returncode == 0, result.stderr
    assert "starts Mosquitto" in result.stdout


def test_broker_check_says_what_mosquitto_refused(tmp_path):
    bad = tmp_path / "mosquitto.conf"
    bad.write_text("listener 1883 127.0.0.1\nallow_anonymous false\nnot_an_option 3\n",
                   encoding="utf-8")
    result = hall("broker", "check", "--config", str(bad))
    assert result.returncode == 1
    assert 'Unknown configuration variable "not_an_option"' in result.stderr
