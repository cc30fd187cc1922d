"""The widget in a real browser: Debian's headless Chromium, driven by Playwright, against the
real action and Rasa servers (demo mode, with a known demo key so that tokens can be forged).

Run by scripts/test.sh in its own environment (.venv-browser):

    .venv-browser/bin/python -m pytest --confcutdir=tests/browser tests/browser

A therapist signs in with the demo sign-in, asks about a client by keyboard, sees the facts of
the database and the attendance timeline, clicks a button, reloads and finds the conversation;
a forged token, an expired token and a second therapist asking for the first one's
conversation get no client data; axe-core finds no serious or critical accessibility fault;
nothing of the conversation is kept in the browser's storage; a link from Slack
(`#open=follow-ups`) asks for the follow-ups after sign-in, without typing. The screenshot the
README shows (docs/widget.png) is taken here.
"""
from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.live.servers import MODEL, running_servers

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "reconnect" / "channels" / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = ROOT / "docs" / "widget.png"
TODAY = date(2026, 3, 16)  # tests.conftest.TEST_TODAY
DEMO_SECRET = "browser-test-demo-key-" + "x" * 20
REPLY_TIMEOUT = 90_000


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    assert MODEL.exists(), f"{MODEL} is missing: scripts/test.sh trains it first"
    with running_servers(tmp_path_factory.mktemp("browser"), TODAY,
                         settings={"RECONNECT_DEMO_SECRET": DEMO_SECRET}) as bot:
        yield bot


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _page(chromium, servers, fragment: str = "", **options) -> Page:
    context = chromium.new_context(viewport={"width": 1100, "height": 1000}, **options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{servers.url}/webhooks/widget/{fragment}")
    return page


def _sign_in(page: Page, staff_id: str) -> None:
    page.wait_for_selector(f"#demo-staff option[value='{staff_id}']", state="attached")
    page.select_option("#demo-staff", staff_id)
    page.click("#demo-sign-in button")
    expect(page.locator(".rc-who")).to_contain_text("Signed in as")


def _say(page: Page, text: str) -> None:
    box = page.locator(".rc-form textarea")
    box.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")  # keyboard only


def _token(staff_id: str, lifetime: int) -> str:
    now = int(time.time())
    return jwt.encode({"sub": staff_id, "iss": "reconnect-demo", "iat": now - 3600,
                       "exp": now + lifetime}, DEMO_SECRET, algorithm="HS256")


def _dana_facts(servers) -> dict:
    """Dana Whitfield's last 90 days, read from the database with plain SQL."""
    first = (TODAY - timedelta(days=89)).isoformat()
    last = (TODAY + timedelta(days=1)).isoformat()
    path = servers.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT a.status, count(*) FROM appointments a JOIN clients c ON c.id = a.client_id "
            "WHERE c.first_name = 'Dana' AND c.last_name = 'Whitfield' "
            "AND a.start >= ? AND a.start < ? GROUP BY a.status", (first, last)).fetchall()
    return dict(rows)


def _storage(page: Page) -> str:
    return page.evaluate("JSON.stringify([localStorage, sessionStorage, document.cookie])")


def test_a_therapist_chats_clicks_reloads_and_finds_the_conversation(servers, chromium):
    page = _page(chromium, servers)
    expect(page.locator(".rc-notice")).to_contain_text("sign in", ignore_case=True)
    _sign_in(page, "T01")

    _say(page, "pull up Dana Whitfield")
    summary = page.locator(".rc-bot", has_text="Dana Whitfield: attendance")
    expect(summary).to_be_visible(timeout=REPLY_TIMEOUT)
    facts = _dana_facts(servers)
    expect(summary).to_contain_text(
        f"Last 90 days: {facts.get('attended', 0)} attended, {facts.get('no_show', 0)} no-shows")
    timeline = page.locator(".rc-figure img")
    expect(timeline).to_have_attribute("alt", re.compile(
        r"^Attendance timeline of Dana Whitfield from .*In person, Monday morning"))
    assert timeline.evaluate("img => img.complete && img.naturalWidth > 0")
    assert timeline.get_attribute("src").startswith("data:image/svg+xml;base64,")
    # Line breaks and lists are kept: the safety steps come as a list.
    assert page.locator(".rc-bot li").count() >= 3

    _say(page, "pull up Maya")
    chen = page.get_by_role("button", name="Maya Chen")
    expect(chen).to_be_visible(timeout=REPLY_TIMEOUT)
    chen.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".rc-user").last).to_contain_text("Maya Chen")
    expect(page.locator(".rc-bot", has_text="Maya Chen: attendance")).to_be_visible(
        timeout=REPLY_TIMEOUT)
    expect(page.locator(".rc-typing")).to_have_text("", timeout=REPLY_TIMEOUT)
    page.locator(".rc-figure").last.scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    page.reload()
    expect(page.locator(".rc-who")).to_contain_text("Dr. Alex Rivera")
    log = page.locator(".rc-log")
    expect(log).to_contain_text("pull up Dana Whitfield")
    expect(log).to_contain_text("Maya Chen: attendance")
    expect(page.locator(".rc-figure img")).to_have_count(2)
    assert "Dana" not in _storage(page) and "Maya" not in _storage(page)
    assert _storage(page) == '[{},{},""]'  # the sign-in cookie is HttpOnly

    # The conversation goes on after the reload.
    before = page.locator(".rc-bot").count()
    _say(page, "thanks")
    expect(page.locator(".rc-bot")).not_to_have_count(before, timeout=REPLY_TIMEOUT)

    page.click("text=Sign out")
    expect(log).to_be_empty()
    expect(page.locator(".rc-notice")).to_contain_text("signed out")
    page.context.close()


@pytest.mark.parametrize("token, reason", [
    (jwt.encode({"sub": "T01", "iss": "reconnect-demo", "exp": int(time.time()) + 3600},
                "a key that is not the server's, 32+ chars", algorithm="HS256"),
     "could not be verified"),
    (_token("T01", lifetime=-600), "expired"),
])
def test_a_forged_or_expired_token_gets_no_client_data(servers, chromium, token, reason):
    page = _page(chromium, servers)
    page.route("**/demo/token", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"token": token})))
    page.reload()
    expect(page.locator(".rc-notice")).to_contain_text(reason)
    expect(page.locator(".rc-notice")).to_contain_text("sign in", ignore_case=True)
    expect(page.locator(".rc-form textarea")).to_be_disabled()
    # The same token, used by hand in the page, opens no socket and gets no reply.
    outcome = page.evaluate("""token => new Promise(done => {
        const s = io({path: '/socket.io', auth: {token}, reconnection: false});
        const got = [];
        s.onAny((event, data) => got.push([event, data]));
        s.on('connect_error', e => { got.push(['connect_error', e.message]);
          s.emit('user_uttered', {message: 'pull up Dana Whitfield'});
          setTimeout(() => done(got), 3000); });
    })""", token)
    assert [event for event, _ in outcome] == ["connect_error"]
    assert "Dana" not in page.content() and "Dana" not in json.dumps(outcome[1:])
    page.context.close()


def test_a_second_therapist_using_the_first_ones_conversation_id_gets_nothing(
        servers, chromium):
    first = _page(chromium, servers)
    _sign_in(first, "T01")
    _say(first, "pull up Ellen Brooks")
    expect(first.locator(".rc-bot", has_text="Ellen Brooks: attendance")).to_be_visible(
        timeout=REPLY_TIMEOUT)
    first.context.close()

    page = _page(chromium, servers)
    _sign_in(page, "T02")
    expect(page.locator(".rc-log")).not_to_contain_text("Ellen")
    # By hand: T02's token, asking for T01's conversation and claiming to be T01.
    got = page.evaluate("""() => fetch('demo/token').then(r => r.json()).then(({token}) =>
      new Promise(done => {
        const s = io({path: '/socket.io', auth: {token}});
        const got = [];
        s.onAny((event, data) => got.push([event, data]));
        s.on('connect', () => {
          s.emit('session_request', {session_id: 'T01:widget'});
          s.emit('user_uttered', {message: 'what does her record say?', session_id: 'T01:widget',
                                  metadata: {staff_id: 'T01'}});
          s.emit('user_uttered', {message: 'pull up Ellen Brooks', session_id: 'T01:widget',
                                  metadata: {staff_id: 'T01'}});
        });
        setTimeout(() => done(got), 25000);
      }))""")
    said = json.dumps(got)
    assert any(event == "history" for event, _ in got)
    assert "Ellen Brooks: attendance" not in said and "Current run" not in said
    assert "I found no client called" in said  # T02's own, empty-handed conversation
    page.context.close()


def test_the_page_has_no_serious_accessibility_fault_and_fits_a_phone(servers, chromium):
    page = _page(chromium, servers, bypass_csp=True)  # axe is injected as a script
    _sign_in(page, "T03")
    _say(page, "hello")
    expect(page.locator(".rc-bot")).not_to_have_count(0, timeout=REPLY_TIMEOUT)
    for width, height in ((1100, 1000), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Every control has a name a screen reader reads out; the log is a live region.
    assert page.locator(".rc-log").get_attribute("aria-live") == "polite"
    expect(page.get_by_role("textbox", name="Message to Reconnect")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    page.context.close()


def test_a_link_from_slack_opens_the_follow_ups_after_sign_in(servers, chromium):
    page = _page(chromium, servers, "#open=follow-ups")
    _sign_in(page, "T03")
    # Asked for without typing, shown as the user's request, answered by the dialogue.
    expect(page.locator(".rc-user").last).to_contain_text("Follow-ups due")
    expect(page.locator(".rc-bot").last).to_contain_text(
        re.compile(r"Your follow-ups due by|No follow-ups due"), timeout=REPLY_TIMEOUT)
    assert page.evaluate("location.hash") == "" and page.url.endswith("/webhooks/widget/")
    assert _storage(page) == '[{},{},""]'
    page.context.close()
