"""The monitoring module's tick duties (youse.core.tick): computed hour and day readings, then alarms.

Both are idempotent over a look-back window (MONITORING_TICK_LOOKBACK_HOURS, default 6), so a tick that
runs twice, or late, does the right thing once. After a longer outage (a journal replayed hours later)
catch up with aggregates.compute_all(now, start=...) and alarms.evaluate_all(now, start=...)."""

import datetime as dt

from youse.core.tick import duty
from youse.monitoring import aggregates, alarms


@duty("monitoring.aggregates", "Compute hourly and daily readings (HJ 212 Appendix D) that devices did not send")
def compute_aggregates(now: dt.datetime) -> str:
    points, hours, days = aggregates.compute_all(now)
    return f"{points} points, {hours} hour rows and {days} day rows computed or updated"


@duty("monitoring.alarms", "Open, extend and close exceedance and data-quality alarms; repeated exceedances")
def evaluate_alarms(now: dt.datetime) -> str:
    outcome = alarms.evaluate_all(now)
    return (
        f"{len(outcome.opened)} alarms opened, {len(outcome.closed)} closed, "
        f"{len(outcome.repeated)} repeated exceedances opened"
    )
