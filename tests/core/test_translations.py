"""The Chinese (zh-hans) catalogue: complete, faithful to its placeholders, compiled, and in use.

The platform is Chinese-first: a request without a language cookie is served in zh-hans, and the English
switch (POST /i18n/setlang/) brings back the English source strings."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

import youse

LC_MESSAGES = Path(youse.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

SITE_TITLE_EN = "Nonferrous Metals Industry Monitoring and Regulation Platform"
SITE_TITLE_ZH = "有色金属产业监测调控平台"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(text: str) -> list[Entry]:
    """A small reader for the subset of the PO format that xgettext/msgmerge write (obsolete entries skipped)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple[str, int] | None = None
    obsolete = False

    def flush() -> None:
        nonlocal cur, obsolete
        if cur is not None and not obsolete and (cur.msgstr or cur.msgid):
            entries.append(cur)
        cur, obsolete = None, False

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            flush()
            target = None
            continue
        if cur is None:
            cur = Entry(line=number)
        if line.startswith("#~"):
            obsolete = True
        elif line.startswith("#,"):
            cur.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif m := keyword.match(line):
            kw, index, value = m.group(1), m.group(2), ast.literal_eval(m.group(3))
            if kw.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                cur.msgstr[target[1]] = value
            else:
                target = (kw, 0)
                setattr(cur, kw, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                cur.msgstr[target[1]] += value
            else:
                setattr(cur, target[0], getattr(cur, target[0]) + value)
        else:
            raise ValueError(f"{PO_PATH.name}:{number}: cannot read {line!r}")
    flush()
    return entries


PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu]")
BRACES = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def placeholders(s: str) -> set[str]:
    s = s.replace("%%", "")
    return set(PERCENT.findall(s)) | set(BRACES.findall(s)) | set(TAG.findall(s))


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


def test_it_parses_a_catalogue_with_continuations_plurals_and_obsolete_entries() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Two "\n"lines %(n)s"\nmsgstr "两行 %(n)s"\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] "%(n)s 个"\n\n'
        'msgctxt "menu"\nmsgid "Say \\"hi\\""\nmsgstr "说“你好”"\n\n'
        '#~ msgid "gone"\n#~ msgstr "已删除"\n'
    )
    header, wrapped, plural, quoted = parse_po(text)
    assert header.msgid == "" and header.msgstr[0] == "Language: zh_Hans\n"
    assert wrapped.msgid == "Two lines %(n)s" and wrapped.flags == {"fuzzy", "python-format"}
    assert plural.msgid_plural == "%(n)s units" and plural.msgstr == {0: "%(n)s 个"}
    assert quoted.msgctxt == "menu" and quoted.msgid == 'Say "hi"'
    assert placeholders("%(a)s and %s, {0} {name} <b>x</b> 100%%") == {"%(a)s", "%s", "{0}", "{name}", "<b>", "</b>"}


def test_it_has_a_complete_catalogue_without_fuzzy_entries(catalogue: list[Entry]) -> None:
    header = next(e for e in catalogue if not e.msgid)
    assert "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    entries = messages(catalogue)
    assert len(entries) > 400
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert fuzzy == []
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert untranslated == []
    # zh has one plural form: every plural entry carries exactly msgstr[0].
    assert all(sorted(e.msgstr) == [0] for e in entries if e.msgid_plural is not None)


def test_it_keeps_every_placeholder_and_tag(catalogue: list[Entry]) -> None:
    wrong = []
    for e in messages(catalogue):
        source = e.msgid_plural if e.msgid_plural is not None else e.msgid
        expected = placeholders(source)
        if e.msgid_plural is not None:
            assert placeholders(e.msgid) <= expected, e.msgid
        wrong += [(e.msgid, s) for s in e.msgstr.values() if placeholders(s) != expected]
    assert wrong == []


def test_it_names_the_platform_and_its_modules_in_the_agreed_terms(catalogue: list[Entry]) -> None:
    # The agreed terms are the plain msgids; a msgid with a context (pgettext) is another message.
    by_id = {e.msgid: e.msgstr[0] for e in messages(catalogue) if e.msgctxt is None}
    assert by_id[SITE_TITLE_EN] == SITE_TITLE_ZH
    expected = {
        "Registry": "企业登记",
        "Statistics & targets": "统计与目标",
        "Online monitoring": "在线监测",
        "Aluminium capacity": "电解铝产能",
        "Enforcement": "执法检查",
        "Electricity surcharges": "电价加价",
        "Supervision": "督查督办",
        "Public portal": "公开门户",
        "Audit trail": "审计记录",
        "Sign in": "登录",
        "Sign out": "退出登录",
        "Planned": "规划",
        "Approved": "已核准/备案",
        "Under construction": "在建",
        "Operating": "运行",
        "Idle": "停产/闲置",
        "Exited (dismantled)": "已退出（拆除）",
        "unified social credit code": "统一社会信用代码",
        "Design capacity": "设计产能",
        "Value-chain stage": "产业链环节",
        "Production unit": "生产单元",
        "Plant": "厂区",
        "Industrial base": "产业基地",
        "Lead unit": "牵头单位",
        "Synthetic demo data": "示例数据",
    }
    assert {k: by_id.get(k) for k in expected} == expected


def test_it_ships_a_compiled_catalogue_that_agrees_with_the_po(catalogue: list[Entry]) -> None:
    with MO_PATH.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.info().get("plural-forms") == "nplurals=1; plural=0;"
    disagree = []
    for e in messages(catalogue):
        if e.msgid_plural is not None:
            got = {
                n: (
                    mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else mo.ngettext(e.msgid, e.msgid_plural, n)
                )
                for n in (1, 2, 5)
            }
            if set(got.values()) != {e.msgstr[0]}:
                disagree.append((e.msgid, got, e.msgstr[0]))
        else:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
            if got != e.msgstr[0]:
                disagree.append((e.msgid, got, e.msgstr[0]))
    assert disagree == [], "django.mo is stale: run `youse compilemessages -l zh_Hans` in src/youse"


def test_it_translates_through_django_for_zh_hans() -> None:
    from youse.registry.models import ProductionUnit

    with translation.override("zh-hans"):
        assert translation.gettext(SITE_TITLE_EN) == SITE_TITLE_ZH
        assert str(ProductionUnit._meta.verbose_name) == "生产单元"
    with translation.override("en"):
        assert translation.gettext(SITE_TITLE_EN) == SITE_TITLE_EN


NAV_ZH = [
    "总览",
    "企业登记",
    "统计与目标",
    "在线监测",
    "电解铝产能",
    "执法检查",
    "电价加价",
    "督查督办",
    "公开门户",
    "政策文件",
]
NAV_EN = [
    "Overview",
    "Registry",
    "Statistics &amp; targets",
    "Online monitoring",
    "Aluminium capacity",
    "Enforcement",
    "Electricity surcharges",
    "Supervision",
    "Public portal",
    "The policy",
]


def department_without_language_cookie(personas) -> Client:
    """A signed-in client that has never chosen a language, as a first visit is."""
    client = Client()
    client.force_login(personas.department)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    return client


def nav(html: str) -> str:
    match = re.search(r'<nav class="ys-nav".*?</nav>', html, re.S)
    assert match, "no module navigation on the page"
    return match.group(0)


def test_it_serves_pages_in_chinese_without_a_language_cookie(personas) -> None:
    client = department_without_language_cookie(personas)
    html = client.get("/policy/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert SITE_TITLE_ZH in html and SITE_TITLE_EN not in html
    menu = nav(html)
    assert [label for label in NAV_ZH if label not in menu] == []
    assert [label for label in NAV_EN if label in menu] == []
    assert "Registry" not in html
    assert "退出登录" in html and "Sign out" not in html


def test_it_shows_the_sign_in_page_in_chinese(client, db) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert SITE_TITLE_ZH in html and SITE_TITLE_EN not in html
    for label in ("登录", "用户名", "密码"):
        assert label in html
    for label in (">Sign in<", "Username", "Password"):
        assert label not in html


def test_it_switches_to_english_and_back(personas) -> None:
    client = department_without_language_cookie(personas)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/policy/"})
    assert response.status_code == 302 and response["Location"] == "/policy/"
    html = client.get("/policy/").content.decode()
    assert '<html lang="en">' in html
    assert SITE_TITLE_EN in html and SITE_TITLE_ZH not in html
    menu = nav(html)
    assert [label for label in NAV_EN if label not in menu] == []
    assert [label for label in NAV_ZH if label in menu] == []
    assert "Sign out" in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/policy/"})
    html = client.get("/policy/").content.decode()
    assert SITE_TITLE_ZH in html and "企业登记" in nav(html)


def test_it_shows_the_english_sign_in_page_after_switching(client, db) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert SITE_TITLE_EN in html
    assert "Username" in html and "Password" in html and "用户名" not in html
