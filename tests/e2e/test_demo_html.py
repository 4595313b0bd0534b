"""``python -m bot demo --html FILE``, opened in a real headless browser (Debian's chromium).

The demo is run as the README says (a subprocess, both languages at once), the page is loaded
by chromium from disk, and what chromium built (``--dump-dom``) and drew (``--screenshot``) is
checked: the channel's posts, buttons with their labels, ephemeral answers, threads, the DMs and
the Home tab, and that no raw Slack markup leaks into the text.

Without chromium on PATH the tests skip — except when ``CI`` or ``KLYNGE_REQUIRE_BROWSER`` is
set, where they fail: ``.ci/run`` installs chromium, so CI always runs them.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import re
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.i18n import format_date

LANGUAGES = ("en", "da")
WIDTH, HEIGHT = 1200, 800
DEMO_TIMEOUT = 120.0
BROWSER_TIMEOUT = 60.0


@dataclass(frozen=True)
class Expected:
    """What one language's page must show (the bot's own words, as the demo makes it say them)."""

    poll: str
    started: str
    buttons: frozenset[str]
    ephemeral: str
    home: str
    facilitator_dm: str
    follow_up_dm: str
    takeaways: tuple[str, ...]  # with & and <…> as members typed them
    follow_up_day: str  # four weeks after the meeting on 9 December 2026 (the demo's fixed days)


EXPECTED = {
    "en": Expected(
        poll="Which topic shall we take up next?",
        started="Autumn meeting has started",
        buttons=frozenset({"I'm coming", "Can't come", "I'm here", "Take-home message", "Done"}),
        ephemeral="Only visible to Anne Holm",
        home="Upcoming meetings",
        facilitator_dm="You facilitate",
        follow_up_dm="Delayed prescription for otitis media",
        takeaways=("— & write that", "<every 6 months>"),
        follow_up_day="Wednesday 6 January 2027",
    ),
    "da": Expected(
        poll="Hvilket emne tager vi op næste gang?",
        started="Efterårsmøde er begyndt",
        buttons=frozenset({"Jeg kommer", "Jeg kan ikke", "Jeg er her", "Pointe", "Gennemført"}),
        ephemeral="Kun synlig for Anne Holm",
        home="Kommende møder",
        facilitator_dm="Du er tovholder",
        follow_up_dm="Udskudt recept ved mellemørebetændelse",
        takeaways=("— & skriv det", "<hver 6. måned>"),
        follow_up_day="onsdag den 6. januar 2027",
    ),
}


@dataclass
class Dom(HTMLParser):
    """The text chromium's DOM holds: per pane (``<section id>``), button labels, mentions.

    Text inside ``<code>`` and ``<pre>`` is kept apart: there Slack shows markup as typed."""

    panes: dict[str, str] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)
    _pane: str | None = None
    _code_depth: int = 0
    _open: list[tuple[str, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        self.classes.update(classes)
        if tag == "section":
            self._pane = found.get("id")
            self.panes[self._pane or ""] = ""
        elif tag in {"code", "pre"}:
            self._code_depth += 1
        if tag == "button" or (tag == "a" and "btn" in classes):
            self._open.append(("button", []))
        elif tag == "span" and "mention" in classes:
            self._open.append(("mention", []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._pane = None
        elif tag in {"code", "pre"}:
            self._code_depth -= 1
        elif self._open and (
            (tag in {"button", "a"} and self._open[-1][0] == "button")
            or (tag == "span" and self._open[-1][0] == "mention")
        ):
            kind, parts = self._open.pop()
            target = self.buttons if kind == "button" else self.mentions
            target.append("".join(parts).replace(" ↗", "").strip())

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)
        if self._pane is not None and self._code_depth == 0:
            self.panes[self._pane] += data + " "


@dataclass(frozen=True)
class Page:
    language: str
    html: str
    dom: Dom
    png: bytes
    again: str  # the page a second run of the demo wrote


def _browser() -> str:
    browser = shutil.which("chromium")
    if browser is not None:
        return browser
    reason = "chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI") or os.environ.get("KLYNGE_REQUIRE_BROWSER"):
        pytest.fail(reason + " — required here because CI or KLYNGE_REQUIRE_BROWSER is set")
    pytest.skip(reason)


async def _run(args: list[str], *, seconds: float, what: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with asyncio.timeout(seconds):
            out, err = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"{what} took longer than {seconds:.0f} s") from None
    assert process.returncode == 0, f"{what} failed ({process.returncode}): {err.decode()[-2000:]}"
    return out


async def _write_page(language: str, page: Path) -> None:
    said = await _run(
        [sys.executable, "-m", "bot", "demo", "--language", language, "--html", str(page)],
        seconds=DEMO_TIMEOUT,
        what=f"python -m bot demo --html ({language})",
    )
    assert str(page) in said.decode(), said.decode()


async def _make_page(browser: str, language: str, folder: Path) -> dict[str, str]:
    """The demo's page, written twice by two runs (in two processes), seen by chromium."""
    page, again = folder / f"demo-{language}.html", folder / f"demo-{language}-again.html"
    await asyncio.gather(_write_page(language, page), _write_page(language, again))
    chromium = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars"]
    png = folder / f"demo-{language}.png"
    dump = [*chromium, f"--user-data-dir={folder / f'dom-{language}'}", "--dump-dom"]
    shoot = [*chromium, f"--user-data-dir={folder / f'png-{language}'}", f"--screenshot={png}"]
    shoot.append(f"--window-size={WIDTH},{HEIGHT}")
    dom, _ = await asyncio.gather(
        _run([*dump, page.as_uri()], seconds=BROWSER_TIMEOUT, what="chromium --dump-dom"),
        _run(
            [*shoot, page.as_uri() + "#step-meeting"],
            seconds=BROWSER_TIMEOUT,
            what="chromium --screenshot",
        ),
    )
    (folder / f"dom-{language}.html").write_bytes(dom)
    return {
        "html": str(page),
        "again": str(again),
        "dom": str(folder / f"dom-{language}.html"),
        "png": str(png),
    }


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    """Both languages' pages, made once per test run (xdist workers share them through a lock
    file in the run's common temporary folder)."""
    browser = _browser()
    base = tmp_path_factory.getbasetemp()
    # xdist workers each have a folder in the run's one; without xdist the run has just its own.
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo-html"
    folder.mkdir(exist_ok=True)
    made = folder / "made.json"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():

            async def both() -> list[dict[str, str]]:
                return list(
                    await asyncio.gather(
                        *(_make_page(browser, language, folder) for language in LANGUAGES)
                    )
                )

            made.write_text(json.dumps(dict(zip(LANGUAGES, asyncio.run(both()), strict=True))))
    paths = json.loads(made.read_text())
    result = {}
    for language, files in paths.items():
        dom = Dom()
        dom.feed(Path(files["dom"]).read_text(encoding="utf-8"))
        result[language] = Page(
            language,
            Path(files["html"]).read_text(encoding="utf-8"),
            dom,
            Path(files["png"]).read_bytes(),
            Path(files["again"]).read_text(encoding="utf-8"),
        )
    return result


@pytest.fixture(params=LANGUAGES)
def page(request: pytest.FixtureRequest, pages: dict[str, Page]) -> Page:
    return pages[request.param]


def _expected(page: Page) -> Expected:
    return EXPECTED[page.language]


def test_the_page_is_self_contained(page: Page) -> None:
    assert page.html.startswith("<!DOCTYPE html>")
    assert "<script" not in page.html
    for loads in ("src=", "<link", "@import", "url("):  # nothing fetched: inline CSS only
        assert loads not in page.html


def test_two_runs_write_the_same_page_byte_for_byte(page: Page) -> None:
    """The demo starts at a fixed moment (and nothing else in it is left to chance), so the page
    and the README's pictures only change when the bot does."""
    assert page.again == page.html
    assert "24. november 2026" in page.html or "24 November 2026" in page.html


def _channel_steps(page: Page) -> list[tuple[str, str]]:
    """The channel's steps in order: each divider's HTML and what follows it up to the next."""
    channel = page.html[page.html.index('<section class="pane channel"') :]
    parts = re.split(r'(<div class="step"[^>]*>.*?</div>)', channel)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_each_step_is_dated_by_its_own_first_item(page: Page) -> None:
    steps = _channel_steps(page)
    assert len(steps) == 8  # set-up, plan, poll, a week/day/hour before, meeting, follow-up
    for divider, body in steps:
        first = re.search(r'<time datetime="(\d{4})-(\d{2})-(\d{2})T', body)
        if first is None:
            continue
        day = datetime(*(int(part) for part in first.groups()))
        assert f"{format_date(day, page.language)}</span>" in divider, (divider, first.group(0))
    follow_up, shown = steps[-1]
    assert 'id="step-after"' in follow_up
    assert _expected(page).follow_up_day in follow_up
    assert '<div class="note">' in shown  # the channel tells what happened in the members' DMs
    assert "Camilla Ørsted" in shown


def test_the_channel_shows_the_posts_of_the_meeting(page: Page) -> None:
    channel = page.dom.panes["channel"]
    assert _expected(page).poll in channel
    assert _expected(page).started in channel
    for takeaway in _expected(page).takeaways:
        assert takeaway in channel  # & and <…> typed by members come through as typed


def test_buttons_are_drawn_with_their_labels_and_styles(page: Page) -> None:
    assert _expected(page).buttons <= set(page.dom.buttons)
    assert {"btn", "primary", "danger"} <= page.dom.classes


def test_mentions_show_names_and_no_raw_markup_leaks(page: Page) -> None:
    assert "@Bo Jensen" in page.dom.mentions
    for pane, text in page.dom.panes.items():
        assert "<@U" not in text, pane
        assert "@U0" not in text, pane
        assert not re.search(r"<https?://|&(?:amp|lt|gt);", text), pane
        assert not re.search(r"(?<![\w*])\*(?=\S)[^*\n]+?(?<=\S)\*(?![\w*])", text), pane
        assert not re.search(r"(?<!\w)_(?=\S)[^_\n]+?(?<=\S)_(?!\w)", text), pane
        assert not re.search(r":[a-z][a-z0-9_]+:", text), pane


def test_ephemeral_answers_are_marked_and_threads_nest(page: Page) -> None:
    assert _expected(page).ephemeral in page.dom.panes["channel"]
    assert {"ephemeral", "thread"} <= page.dom.classes


def test_each_members_direct_messages_have_a_pane(page: Page) -> None:
    assert _expected(page).facilitator_dm in page.dom.panes["dm-U0ANNE"]
    assert _expected(page).follow_up_dm in page.dom.panes["dm-U0CAMILLA"]


def test_the_home_tab_shows_the_members_meetings(page: Page) -> None:
    home = page.dom.panes["home-U0ANNE"]
    assert _expected(page).home in home
    assert "Anne Holm" in home


def test_the_screenshot_is_a_drawn_page_of_the_asked_size(page: Page) -> None:
    width, height, pixels = _png(page.png)
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(page.png) > 30_000  # a blank page of this size compresses to about 5 kB
    assert len(set(pixels)) > 100  # many colours: text, avatars, buttons, the sidebar


def _png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the (still filtered) pixel bytes of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, width, height, compressed = 8, 0, 0, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length
    return width, height, zlib.decompress(compressed)
