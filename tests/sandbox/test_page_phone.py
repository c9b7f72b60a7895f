"""The chat page at a phone's width (390×844) in headless Chromium.

Needs Debian's Chromium and the `playwright` package, like tests/e2e/test_browser.py; skips
and says which is missing otherwise. Screenshots of a failure go to the test's tmp_path."""

import shutil
from pathlib import Path

import pytest

from sandbox import SandboxClient, SandboxServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip(
    "playwright.async_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed: apt-get install -y chromium", allow_module_level=True)

PHONE = {"width": 390, "height": 844}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def page(server: SandboxServer, tmp_path):
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS
        )
        try:
            page = await browser.new_page(viewport=PHONE)
            page.set_default_timeout(10_000)
            yield page
        except Exception:
            await page.screenshot(path=str(tmp_path / "failure.png"))
            raise
        finally:
            await browser.close()


async def test_the_chat_list_fits_a_phone_and_reset_is_whole(
    server: SandboxServer, client: SandboxClient, page, tmp_path
) -> None:
    anna = await client.create_user("Анна", last_name="Петрова", username="anna_teacher")
    await client.create_group(
        "Модераторы: учителя математики и информатики", creator_id=anna.id, members=[anna.id]
    )
    await page.goto(f"{server.base_url}/#persona={anna.id}&live=0")
    await page.locator(".chat-item", has_text="Модераторы").first.wait_for()
    await page.screenshot(path=str(tmp_path / "list.png"))

    page_width = await page.evaluate("document.documentElement.scrollWidth")
    footer = await page.evaluate(
        "(() => { const f = document.querySelector('.sidebar-foot');"
        " return [f.scrollWidth, f.clientWidth]; })()"
    )
    reset = await page.locator("#reset").bounding_box()
    assert page_width <= PHONE["width"], "the page scrolls sideways"
    assert footer[0] <= footer[1], "the footer scrolls sideways"
    assert reset is not None and reset["x"] >= 0
    assert reset["x"] + reset["width"] <= PHONE["width"], "«Сбросить» is cut"


async def test_an_empty_private_chat_offers_the_start_button_it_names(
    server: SandboxServer, client: SandboxClient, page
) -> None:
    # Started before (as the demo's staff are) but with nothing in the chat yet.
    olga = await client.create_user("Ольга", started=True)
    await page.goto(f"{server.base_url}/#persona={olga.id}&chat={olga.id}&live=0")
    await page.locator("#messages", has_text="Нажмите «Начать»").wait_for()
    start = page.locator("#start-button")
    assert await start.is_visible()
    await start.click()
    await page.locator(".message", has_text="/start").wait_for()
    [greeting] = await client.updates(kind="message")
    assert greeting["payload"]["text"] == "/start"
