"""Issue 11, finding 17: a reconnecting wall is never shown the broker's older snapshot."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from display_wall.screen_state import WallModel
from hall.protocol import messages as m
from tests.display_wall.wall_sample import NOW, busy_morning


def model() -> WallModel:
    wall = WallModel()
    for message in busy_morning():
        wall.apply(message, NOW)
    return wall


def snapshot_of(wall: WallModel) -> m.QueueSnapshot:
    assert wall.queue is not None
    return wall.queue


def test_an_older_retained_snapshot_does_not_replace_a_newer_one():
    wall = model()
    newer = snapshot_of(wall)
    stale = replace(newer, updated_at=newer.updated_at - timedelta(minutes=3),
                    businesses=newer.businesses[:1])
    wall.apply(stale, NOW + timedelta(seconds=5))
    assert wall.queue is newer
    window = wall.windows[1]
    wall.apply(replace(window, updated_at=window.updated_at - timedelta(seconds=1),
                       staff_name="旧"), NOW)
    assert wall.windows[1] is window


def test_the_wall_is_stale_until_the_restarted_controller_has_republished():
    wall = model()
    before = snapshot_of(wall).updated_at
    back = NOW + timedelta(minutes=1)
    wall.apply(m.Presence(device_id="controller", role=m.Role.CONTROLLER,
                          status=m.DeviceStatus.ONLINE, at=back), back)
    assert before < back and wall.state(back, connected=True).is_stale
    wall.apply(replace(snapshot_of(wall), updated_at=back), back)
    assert not wall.state(back, connected=True).is_stale
