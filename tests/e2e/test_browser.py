"""A person at the chat page: headless Chromium onboards a teacher by clicking.

Needs Debian's Chromium (`apt-get install chromium`, which .ci/run does) and the
`playwright` package from the test extra; without either it skips and says which.
"""

import os
import shutil
from pathlib import Path

import pytest

from bot.demo import TEACHER
from tests.e2e.conftest import Player

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip(
    "playwright.async_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if not Path(CHROMIUM).exists():
    pytest.skip(
        "Chromium is not installed: apt-get install -y chromium (.ci/run does)",
        allow_module_level=True,
    )

# Where to keep the screenshot: the README's picture is refreshed with
# METODSET_SCREENSHOT_DIR=docs pytest tests/e2e/test_browser.py
SCREENSHOT_DIR = os.environ.get("METODSET_SCREENSHOT_DIR")


async def test_a_teacher_onboards_and_joins_by_clicking(world, tmp_path) -> None:
    base_url = world.base_url
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 860})
            page.set_default_timeout(15_000)
            await page.goto(f"{base_url}/")
            await page.select_option("#persona", str(TEACHER.telegram_id))
            # The page opens the persona's chat with the bot; a new persona presses "Начать".
            await page.locator("#start-button").click()

            async def tap(label: str) -> None:
                await page.locator("#messages button", has_text=label).last.click()

            async def write(text: str, expect: str) -> None:
                await page.fill("#text", text)
                await page.locator("#send").click()
                await page.locator("#messages", has_text=expect).wait_for()

            await tap("✅ Согласен")
            await page.locator("#messages", has_text="Как вас зовут?").wait_for()
            await write("Иванова Мария Петровна", "организац")
            await write("Гимназия № 5", "Что такое «Гимназия № 5»?")
            await tap("Школа")
            await tap("Учитель-предметник")
            await tap("Математика")
            await tap("Готово")
            await page.locator("#messages", has_text="Теперь выберите сообщество").wait_for()
            await tap("Смотреть сообщества")
            await tap("Учителя математики")
            await tap("Вступить")
            await page.locator("#messages", has_text="✅ Вы участник").wait_for()
            alert = page.get_by_role("button", name="OK", exact=True)
            await alert.wait_for()  # the bot's show_alert answer, as Telegram shows it
            await alert.click()

            shot = Path(SCREENSHOT_DIR or tmp_path) / "sandbox-chat.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        except Exception:
            await page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        finally:
            await browser.close()

    teacher = Player(world, TEACHER.telegram_id)
    card = await teacher.sees("✅ Вы участник")
    assert "Учителя математики" in card.content
