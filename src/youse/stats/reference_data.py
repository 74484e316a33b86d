"""The statistics module's reference data, loaded by data migrations and then edited in the admin:
the default early-warning rules. Their thresholds come from the targets of clause 一(二); the
department confirms them (verified=False until it does).

This module is read only by migrations: code never consults these lists at run time."""

POLICY = "陕西省人民政府关于有色金属工业调结构促转型增效益的实施意见 一(二)"
SOURCE = f"{POLICY}; default early-warning thresholds proposed by the platform, to be confirmed by the department"

# (code, name, indicator, scope kind, period kind, comparison, threshold, periods running, message)
WARNING_RULES = [
    (
        "al-utilisation-province",
        "全省电解铝产能利用率连续3个月低于75%",
        "al_utilisation",
        "province",
        "month",
        "lt",
        "75",
        3,
        "{scope}电解铝产能利用率连续{n}个月低于{threshold}{unit}（{periods}），最近为{value}{unit}，"
        "距80%的目标差距较大。",
    ),
    (
        "al-utilisation-city",
        "市电解铝产能利用率连续3个月低于75%",
        "al_utilisation",
        "city",
        "month",
        "lt",
        "75",
        3,
        "{scope}电解铝产能利用率连续{n}个月低于{threshold}{unit}（{periods}），最近为{value}{unit}。",
    ),
    (
        "production-growth-province",
        "全省生产规模增速连续两个季度低于8%",
        "production_growth",
        "province",
        "quarter",
        "lt",
        "8",
        2,
        "{scope}有色金属产量同比增速连续{n}个季度低于{threshold}{unit}（{periods}），最近为{value}{unit}。",
    ),
    (
        "city-value-added-decline",
        "市工业增加值同比下降",
        "value_added_growth",
        "city",
        "month",
        "lt",
        "0",
        1,
        "{scope}有色金属工业增加值同比下降（{periods}：{value}{unit}）。",
    ),
    (
        "base-share-decline",
        "基地产值占全省比重下降",
        "output_value_share_change",
        "base",
        "year",
        "lt",
        "0",
        1,
        "{scope}产值占全省比重同比变化{value}{unit}（{periods}），比重下降。",
    ),
]


def load(apps) -> None:
    from decimal import Decimal

    WarningRule = apps.get_model("stats", "WarningRule")
    for code, name, indicator, scope, period, comparison, threshold, consecutive, message in WARNING_RULES:
        WarningRule.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "indicator": indicator,
                "scope_kind": scope,
                "period_kind": period,
                "comparison": comparison,
                "threshold": Decimal(threshold),
                "consecutive": consecutive,
                "message": message,
                "active": True,
                "source": SOURCE,
                "verified": False,
            },
        )


def unload(apps) -> None:
    WarningRule = apps.get_model("stats", "WarningRule")
    WarningRule.objects.filter(code__in=[r[0] for r in WARNING_RULES], warnings__isnull=True).delete()
