"""A bare MQTT echo in its own process: the floor that the controller's latency is set against."""
from __future__ import annotations

import argparse
import signal
import threading

from hall.bus import MqttBus
from hall.config import MqttSettings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--inbound", required=True)
    parser.add_argument("--outbound", required=True)
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    bus: MqttBus

    def echo(topic: str, payload: bytes) -> None:
        bus.publish(args.outbound, payload, qos=1)

    bus = MqttBus("bench-echo", MqttSettings(port=args.port, username=args.user,
                                             password=args.password),
                  on_message=echo, subscriptions=((args.inbound, 1),))
    bus.start()
    bus.wait_connected(10)
    print("ready", flush=True)
    stop.wait()
    bus.stop()


if __name__ == "__main__":
    main()
