"""One public base URL, in the hub's hall.toml: the controller hands every QR its whole URL."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from broker_config import LocalBroker
from hall.config import SAMPLE_HALL, HallConfig, load_config
from hall.core.rating_token import token_from_scan
from hall.protocol import messages as m
from printer.slips import ticket_slip_for
from tests.conftest import config_env
from tests.support import STAFF_PIN

BASE = "https://ybj.example.gov.cn:8443/hall"


@pytest.fixture
def make_config(tmp_path: Path, hall_id: str) -> Callable[[LocalBroker], HallConfig]:
    def make(broker: LocalBroker) -> HallConfig:
        config = load_config(SAMPLE_HALL, env=config_env(broker, hall_id, tmp_path / "hall.db"))
        return replace(config, public_base_url=BASE)
    return make


def test_receipts_and_pads_get_their_rating_url_from_the_hubs_public_base_url(
        broker, controller, make_device):
    pad, pad_inbox = make_device(broker, "pad-3", m.Role.COUNTER)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    answer = kiosk.request(m.TakeTicket, business="cross_region_filing")
    assert isinstance(answer, m.TicketAnswer)
    assert answer.rating_url == f"{BASE}/r/{answer.rating_token}"
    # The receipt prints the controller's URL; a kiosk's own --rating-url still overrides it.
    assert ticket_slip_for(answer, "大厅", "").rating_url == answer.rating_url
    assert ticket_slip_for(answer, "大厅", "http://other").rating_url.startswith("http://other/r/")
    assert token_from_scan(answer.rating_url) == answer.rating_token

    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    invite = pad_inbox.wait_for(lambda t, msg: isinstance(msg, m.RatingInvite))[1]
    assert isinstance(invite, m.RatingInvite)
    assert invite.rating_url == f"{BASE}/r/{invite.rating_token}"
