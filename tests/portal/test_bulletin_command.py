"""`youse bulletin --month --format --out`: each format from the published bulletin or built fresh as a
draft (said on stderr); clear errors and a non-zero exit on bad input."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.portal.bulletin_sample import accept_reports, sample_content  # noqa: F401  (fixture)
from youse.portal.bulletin import services

pytestmark = pytest.mark.django_db

JUNE = dt.date(2020, 6, 1)


def run(*args: str) -> str:
    err = io.StringIO()
    call_command("bulletin", *args, stderr=err, stdout=io.StringIO())
    return err.getvalue()


@pytest.mark.parametrize(("fmt", "magic"), [("html", b"<!doctype html>"), ("pdf", b"%PDF"), ("docx", b"PK")])
def test_it_writes_each_format_of_the_published_bulletin(personas, sample_content, tmp_path, fmt, magic):  # noqa: F811
    accept_reports(personas, JUNE)
    bulletin = services.draft_bulletin(personas.department, JUNE)
    services.edit_commentary(personas.department, bulletin, {"overview": "发布版综述。"})
    services.publish_bulletin(personas.department, bulletin)
    out = tmp_path / f"b.{fmt}"
    err = run("--month", "2020-06", "--format", fmt, "--out", str(out))
    assert "the published bulletin, version 1" in err
    assert out.read_bytes().startswith(magic)
    if fmt == "html":
        assert "发布版综述。" in out.read_text() and "草稿" not in out.read_text()


def test_without_a_published_bulletin_it_renders_a_fresh_draft_and_says_so(personas, sample_content, tmp_path):  # noqa: F811
    accept_reports(personas, JUNE)
    out = tmp_path / "b.html"
    err = run("--month", "2020-06", "--format", "html", "--out", str(out))
    assert "no published bulletin; rendering a draft" in err
    assert "草稿 draft" in out.read_text()
    assert sample_content == [JUNE]
    from youse.portal.models import Bulletin

    assert not Bulletin.objects.exists()  # nothing written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2020-13", "--format", "pdf"], "--month: not a month"),
        (["--month", "June", "--format", "pdf"], "use YYYY-MM"),
        (["--month", "2020-06", "--format", "odt"], "--format must be one of html, pdf, docx"),
        (["--month", "2999-01", "--format", "pdf"], "has not begun"),
        (["--month", "2020-06", "--format", "pdf"], "no report has been accepted"),
    ],
)
def test_it_fails_clearly_on_bad_input(personas, sample_content, tmp_path, args, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        run(*args, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_a_missing_output_folder_is_an_error(personas, sample_content, tmp_path):  # noqa: F811
    accept_reports(personas, JUNE)
    with pytest.raises(CommandError, match="does not exist"):
        run("--month", "2020-06", "--format", "html", "--out", str(tmp_path / "no" / "x.html"))


def test_the_command_exits_non_zero_on_error(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "youse.cli",
            "bulletin",
            "--month",
            "2020-06",
            "--format",
            "odt",
            "--out",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "--format must be one of" in done.stderr
