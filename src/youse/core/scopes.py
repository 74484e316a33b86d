"""The one scoping function (DESIGN.md: every query is scoped).

A model that users see declares how its rows relate to a scope with a `scope` attribute:

    scope = ScopePaths(prefecture=("division__prefecture",), enterprise=("pk",))

`prefecture` lookups lead to the city-level division a row belongs to; `enterprise` lookups lead to the
enterprise that owns it. A row matches when any of its paths matches. Every list, detail page and API
call gets its rows from `visible()`; `get_visible_or_404()` turns another scope's row into a 404, so an
enterprise cannot even learn that another's row exists."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from youse.core import audit
from youse.core.models import AuditEvent
from youse.core.roles import Role, role_has


@dataclass(frozen=True)
class ScopePaths:
    prefecture: tuple[str, ...] = ()
    enterprise: tuple[str, ...] = ()
    # Rows the public may see (published ones); None: the public sees none.
    public: Q | None = None


def _any(paths: tuple[str, ...], value: object) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{path: value})
    return q


def scope_filter(user, model: type[models.Model]) -> Q:
    paths: ScopePaths = model.scope
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else Role.PUBLIC
    if not getattr(user, "is_active", True):
        role = Role.PUBLIC
    if role in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT):
        return Q()
    if role == Role.CITY and user.division_id:
        return _any(paths.prefecture, user.division_id)
    if role == Role.ENTERPRISE and user.enterprise_id:
        return _any(paths.enterprise, user.enterprise_id)
    return paths.public if paths.public is not None else Q(pk__in=[])


def visible(user, queryset: models.QuerySet | type[models.Model]) -> models.QuerySet:
    """The rows of `queryset` that `user` may see."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return qs.filter(scope_filter(user, qs.model))


def is_visible(user, obj: models.Model) -> bool:
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def refuse(user, capability: str, obj: models.Model | None, why: str) -> None:
    """Record an authorisation failure. Written in its own autocommit step: the refused change is not."""
    audit.record(
        user,
        AuditEvent.Action.REFUSED,
        obj,
        reason=f"{capability}: {why}",
        object_repr=None if obj is not None else capability,
    )


def get_visible_or_404(user, queryset: models.QuerySet | type[models.Model], **lookup) -> models.Model:
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        return visible(user, qs).get(**lookup)
    except qs.model.DoesNotExist:
        obj = qs.filter(**lookup).first()
        if obj is not None:
            refuse(user, "view", obj, "outside the user's scope")
        raise Http404(f"No {qs.model._meta.verbose_name} matches the given query.") from None


def require(user, capability: str, obj: models.Model | None = None) -> None:
    """Raise (and audit) unless `user` holds `capability` and, for an object, has it in scope.

    Out-of-scope objects raise Http404 rather than PermissionDenied: existence is itself information."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else Role.PUBLIC
    if obj is not None and obj.pk is not None and not is_visible(user, obj):
        refuse(user, capability, obj, "outside the user's scope")
        raise Http404(f"No {obj._meta.verbose_name} matches the given query.")
    if not role_has(role, capability) and not (
        getattr(user, "is_authenticated", False) and _unit_has(user, capability)
    ):
        refuse(user, capability, obj, f"role {role or 'anonymous'} lacks {capability}")
        raise PermissionDenied(f"Your role may not {capability}.")


def _unit_has(user, capability: str) -> bool:
    from youse.core.roles import UNIT_CAPABILITIES

    if getattr(user, "role", None) != Role.PROVINCIAL_UNIT or not getattr(user, "unit_id", None):
        return False
    return capability in UNIT_CAPABILITIES.get(user.unit.code, frozenset())


def can(user, capability: str) -> bool:
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else Role.PUBLIC
    return role_has(role, capability) or (getattr(user, "is_authenticated", False) and _unit_has(user, capability))
