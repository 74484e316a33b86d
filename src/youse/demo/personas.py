"""The demo personas: one user per role and scope, all with the published password `youse-demo`.

They are `demo_persona` users, which the sign-in backend refuses unless DEBUG is on (core/auth.py)."""

from youse.core import services as core_services
from youse.core.models import Division, ResponsibleUnit, User
from youse.core.roles import Role
from youse.registry.models import Enterprise

PASSWORD = "youse-demo"
DEPARTMENT = "gxt"
# (username, role, display name, scope): the scope is a unit code, a division code or an enterprise key
# (catalogue.PERSONA_ENTERPRISES).
OTHERS = (
    ("hbt", Role.PROVINCIAL_UNIT, "省环境保护厅", "hbt"),
    ("fgw", Role.PROVINCIAL_UNIT, "省发展改革委", "fgw"),
    ("yulin", Role.CITY, "榆林市工业和信息化局", "610800"),
    ("baoji", Role.CITY, "宝鸡市工业和信息化局", "610300"),
    ("ent-a", Role.ENTERPRISE, "", "ent-a"),
    ("ent-b", Role.ENTERPRISE, "", "ent-b"),
)
USERNAMES = (DEPARTMENT, *(p[0] for p in OTHERS))


def create_department() -> User:
    """The department persona comes first: it is the actor of every other demo row."""
    return core_services.create_user(
        None,
        DEPARTMENT,
        Role.DEPARTMENT,
        password=PASSWORD,
        display_name="省工信厅",
        demo_persona=True,
        is_staff=True,
        reason="示例数据：演示账号",
    )


def create_others(actor: User, enterprises: dict[str, Enterprise]) -> list[User]:
    """The remaining personas; `enterprises` maps ent-a / ent-b to their enterprise."""
    users = []
    for username, role, display_name, scope in OTHERS:
        kwargs: dict[str, object] = {}
        if role == Role.PROVINCIAL_UNIT:
            kwargs["unit"] = ResponsibleUnit.objects.get(code=scope)
        elif role == Role.CITY:
            kwargs["division"] = Division.objects.get(code=scope, valid_to__isnull=True)
        elif role == Role.ENTERPRISE:
            kwargs["enterprise"] = enterprises[scope]
            display_name = enterprises[scope].short_name
        users.append(
            core_services.create_user(
                actor,
                username,
                role,
                password=PASSWORD,
                display_name=display_name,
                demo_persona=True,
                # The environment department keeps the emission limits in the admin (clause 二(五)).
                is_staff=(username == "hbt"),
                reason="示例数据：演示账号",
                **kwargs,
            )
        )
    return users


def sign_ins() -> list[dict[str, str]]:
    """The demo sign-ins as `youse up` prints them: username, role, scope, password."""
    users = {u.username: u for u in User.objects.filter(demo_persona=True, username__in=USERNAMES)}
    rows = []
    for username in USERNAMES:
        user = users.get(username)
        if user is not None:
            rows.append(
                {
                    "username": username,
                    "role": str(user.get_role_display()),
                    "scope": str(user.scope_label),
                    "password": PASSWORD,
                }
            )
    return rows
