"""`youse tick`: the platform's time-based duties, run by cron or a systemd timer (and by `youse up`).

Each app registers its duties here (in its AppConfig.ready). A duty must be idempotent: running the tick
twice in a minute, or after a missed day, does the right thing once. Each duty runs in its own
transaction, so one failing duty neither undoes nor blocks the others."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

Duty = Callable[[dt.datetime], str]  # receives "now", returns a one-line summary of what it did


@dataclass(frozen=True)
class RegisteredDuty:
    name: str
    run: Duty
    description: str


DUTIES: dict[str, RegisteredDuty] = {}


def duty(name: str, description: str) -> Callable[[Duty], Duty]:
    def register(fn: Duty) -> Duty:
        DUTIES[name] = RegisteredDuty(name, fn, description)
        return fn

    return register
