"""Mosquitto configuration templates for the hall hub and a runner for a private broker."""
from __future__ import annotations

from broker_config.local_broker import BrokerError, LocalBroker, find_mosquitto, password_line

__all__ = ["BrokerError", "LocalBroker", "find_mosquitto", "password_line"]
