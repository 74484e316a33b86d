"""The demo's credit support list (clause 三(五)), written through credit.services as the department, after
enforcement has finished and the monthly reports are in (the list reads inspections, orders, closures,
alarms, capacity violations and the accepted reports).

- 2020年度: derived as of 2020-12-31 from the default criteria and published. The 2017 campaign's three
  failures had rectified and passed their re-inspections in 2018, so what keeps enterprises off this list
  is mostly size (2020 revenue under the threshold) and, for those founded later, nothing: they are not
  on it at all.
- The current year's list: derived as of the day of the build, so the past year's follow-up counts: the
  overdue rectification orders, the closure executed three days before the build and the one decided,
  the repeated exceedance of the last days and the open capacity violation each exclude an enterprise,
  with the reason naming the order, the closure or the alarms. Revenue is judged by the last full year
  the statistics cover (2020 in the demo). The department includes the enterprise closest below the
  revenue threshold that fails nothing else, against the rules' result and with its reason, and
  publishes the list.

Deterministic: no randomness; the same records give the same lists."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from youse.core.models import User
from youse.credit import services
from youse.credit.models import Edition, Entry

DOCUMENT = "陕工信函〔{year}〕{n}号（示例）"
REASON = "示例数据"
OVERRIDE = (
    "上年主营业务收入略低于标准，但新建高端产品线已投产、订单饱满，属省级专精特新企业；"
    "经省金融办、人民银行西安分行会商，列入名单（示例）"
)


def build(department: User, today: dt.date) -> dict[str, int]:
    with translation.override(settings.LANGUAGE_CODE):
        first = services.derive_edition(
            department, year=2020, as_of=dt.date(2020, 12, 31), reason=REASON,
            note="依据2020年度统计年报及截至2020年12月31日的检查、整改、关停、在线监测和产能台账记录生成（示例）",
        )  # fmt: skip
        services.publish_edition(department, first, document=DOCUMENT.format(year=2021, n=8), reason=REASON)
        if today.year > 2021:
            current = services.derive_edition(department, year=today.year, as_of=today, reason=REASON)
            # The enterprise closest below the revenue threshold, failing nothing else: included, with the reason.
            near = sorted(
                current.entries.filter(failed=",backbone,"),
                key=lambda e: (-Decimal(e.facts.get("revenue_yi") or 0), e.name),
            )
            if near:
                services.override_entry(department, near[0], included=True, reason=OVERRIDE)
            services.publish_edition(
                department, current, document=DOCUMENT.format(year=today.year, n=today.month * 10), reason=REASON
            )
    return counts()


def counts() -> dict[str, int]:
    return {
        "credit_editions": Edition.objects.count(),
        "credit_entries_included": Entry.objects.filter(included=True).count(),
        "credit_entries_excluded": Entry.objects.filter(included=False).count(),
    }
