"""The bulletin's factual paragraphs, written from figures already formatted as strings. Pure: no ORM,
no I/O (table-driven tests in tests/portal/test_bulletin_content.py). Every sentence states figures; a
month without them says so ("本月无…") rather than leaving a section empty."""

from django.utils.translation import gettext as _

from youse.portal.bulletin.content_format import comparator

SEP = "；"  # between the items of a list inside a Chinese sentence


def _growth(value: str | None) -> str:
    if value is None:
        return _("no comparable figure a year earlier")
    return _("%(v)s%% year on year") % {"v": value}


def production(
    month: str,
    ytd: str,
    output_t: str | None,
    growth: str | None,
    output_ytd_t: str | None,
    growth_ytd: str | None,
    value_added_ytd: str | None,
    va_growth_ytd: str | None,
    revenue_ytd: str | None,
    deep_share_ytd: str | None,
    top_metals: list[tuple[str, str]],
    capacity_t: str | None,
    capacity_units: int,
) -> list[str]:
    """The province's production, value added and capacity."""
    out = []
    if output_t is None and output_ytd_t is None:
        out.append(_("No accepted monthly report covers %(month)s.") % {"month": month})
    else:
        out.append(
            _(
                "In %(month)s the enterprises' accepted reports give an output of %(t)s t (%(g)s); "
                "in %(ytd)s, %(ty)s t (%(gy)s)."
            )
            % {
                "month": month,
                "t": output_t or "0",
                "g": _growth(growth),
                "ytd": ytd,
                "ty": output_ytd_t or "0",
                "gy": _growth(growth_ytd),
            }
        )
        if value_added_ytd is not None:
            out.append(
                _(
                    "Industrial value added in %(ytd)s was %(va)s 亿元 (%(g)s), main business revenue %(rev)s 亿元; "
                    "deep processing made up %(share)s%% of the output value."
                )
                % {
                    "ytd": ytd,
                    "va": value_added_ytd,
                    "g": _growth(va_growth_ytd),
                    "rev": revenue_ytd or "0",
                    "share": deep_share_ytd if deep_share_ytd is not None else "—",
                }
            )
        if top_metals:
            items = SEP.join(_("%(metal)s %(t)s t") % {"metal": m, "t": t} for m, t in top_metals)
            out.append(_("By metal, the month's largest outputs were: %(items)s.") % {"items": items})
    if capacity_units:
        out.append(
            _("At the end of the month %(n)s production units were operating or idle, with %(t)s t/yr of capacity.")
            % {"n": capacity_units, "t": capacity_t or "0"}
        )
    else:
        out.append(_("No production unit was operating or idle at the end of the month."))
    return out


def utilisation(
    month: str,
    ytd: str,
    value: str | None,
    value_ytd: str | None,
    year_before: str | None,
    target: str | None,
    comparator_code: str,
    status: str | None,
    cities: list[tuple[str, str]],
) -> list[str]:
    """The electrolytic aluminium capacity utilisation against its target."""
    if value is None and value_ytd is None:
        return [_("No electrolytic aluminium output was reported for %(month)s.") % {"month": month}]
    text = _("Electrolytic aluminium capacity utilisation was %(v)s%% in %(month)s and %(vy)s%% in %(ytd)s.") % {
        "v": value if value is not None else "—",
        "month": month,
        "vy": value_ytd if value_ytd is not None else "—",
        "ytd": ytd,
    }
    if year_before is not None:
        text += _(" A year earlier it was %(v)s%%.") % {"v": year_before}
    out = [text]
    if target is not None:
        verdict = _("meets the target") if status == "met" else _("falls short of the target")
        if status in (None, "unknown"):
            verdict = _("cannot yet be judged against the target")
        out.append(
            _("The year to date %(verdict)s (%(cmp)s %(target)s%%).")
            % {"verdict": verdict, "cmp": comparator(comparator_code), "target": target}
        )
    if cities:
        items = SEP.join(f"{c} {v}%" for c, v in cities)
        out.append(_("By city, in the month: %(items)s.") % {"items": items})
    return out


def capacity_changes(
    schemes: int,
    scheme_t: str,
    commissioned: int,
    commissioned_t: str,
    exited: int,
    exited_t: str,
    closures: int,
    dismantled: int,
    dismantled_t: str,
    month: str,
) -> list[str]:
    if not (schemes or commissioned or exited or closures or dismantled):
        return [_("No capacity changed in %(month)s.") % {"month": month}]
    out = []
    out.append(
        _("%(n)s capacity replacement schemes were approved in the month, for %(t)s t/yr of new capacity.")
        % {"n": schemes, "t": scheme_t}
        if schemes
        else _("No capacity replacement scheme was approved in the month.")
    )
    out.append(
        _(
            "%(c)s production units started production (%(ct)s t/yr) and %(e)s exited (%(et)s t/yr); "
            "%(cl)s closure decisions were executed."
        )
        % {"c": commissioned, "ct": commissioned_t, "e": exited, "et": exited_t, "cl": closures}
    )
    if dismantled:
        out.append(
            _("The dismantling of %(n)s exit lines (%(t)s t/yr) was confirmed.") % {"n": dismantled, "t": dismantled_t}
        )
    return out


def monitoring(
    points: int, alarms: int, hours: str, quality: int, repeated: int, worst: list[tuple[str, str]]
) -> list[str]:
    if not points:
        return [_("No online monitoring point was registered at the end of the month.")]
    if not alarms and not quality:
        return [_("The %(p)s online monitoring points raised no alarm in the month.") % {"p": points}]
    out = [
        _(
            "The %(p)s online monitoring points raised %(a)s exceedance alarms, totalling %(h)s hours above the "
            "limits, and %(q)s data-quality alarms in the month."
        )
        % {"p": points, "a": alarms, "h": hours, "q": quality}
    ]
    if repeated:
        out.append(_("%(n)s repeated exceedances were referred for enforcement.") % {"n": repeated})
    if worst:
        items = SEP.join(_("%(city)s %(h)s hours") % {"city": c, "h": h} for c, h in worst)
        out.append(_("Exceedance hours by city: %(items)s.") % {"items": items})
    return out


def enforcement(month: dict[str, int], total: dict[str, int]) -> list[str]:
    out = []
    if any(month.values()):
        out.append(
            _(
                "In the month %(cases)s enforcement cases were opened and %(insp)s inspections made (%(failed)s "
                "failed); %(issued)s rectification orders were issued and %(rect)s rectified; %(decided)s closures "
                "were decided and %(executed)s executed."
            )
            % {
                "cases": month["cases_opened"],
                "insp": month["inspections"],
                "failed": month["inspections_failed"],
                "issued": month["orders_issued"],
                "rect": month["orders_rectified"],
                "decided": month["closures_decided"],
                "executed": month["closures_executed"],
            }
        )
    else:
        out.append(_("No enforcement act was recorded in the month."))
    if total["cases_total"]:
        out.append(
            _(
                "By the end of the month %(cases)s cases had been opened, %(open)s of them still open; "
                "%(issued)s rectification orders issued, %(rect)s rectified and %(overdue)s overdue; "
                "%(closed)s closures executed."
            )
            % {
                "cases": total["cases_total"],
                "open": total["cases_open"],
                "issued": total["orders_issued_total"],
                "rect": total["orders_rectified_total"],
                "overdue": total["orders_overdue"],
                "closed": total["closures_executed_total"],
            }
        )
    return out


def warnings(fired: int, still_open: int) -> list[str]:
    if not fired and not still_open:
        return [_("No early warning fired in the month, and none is open.")]
    out = []
    out.append(
        _("%(n)s early warnings fired on the month's figures.") % {"n": fired}
        if fired
        else _("No early warning fired on the month's figures.")
    )
    if still_open:
        out.append(_("%(n)s early warnings raised earlier are still open.") % {"n": still_open})
    return out
