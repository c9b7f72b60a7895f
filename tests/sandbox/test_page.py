"""The chat page and the live event stream served by the same process."""

import asyncio
import json

import aiohttp
from aiogram import Bot

from sandbox import SandboxClient, SandboxServer


async def test_page_and_assets_are_served(server: SandboxServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.base_url}/") as response:
            page = await response.text()
            assert response.status == 200
            assert '<html lang="ru">' in page and "/static/app.js" in page
        for asset, kind in (("app.js", "javascript"), ("app.css", "text/css")):
            async with session.get(f"{server.base_url}/static/{asset}") as response:
                assert response.status == 200
                assert kind in response.headers["Content-Type"]
                body = await response.text()
                assert "http://" not in body.replace("http://${covered}", "")  # nothing remote


async def test_event_stream_reports_chat_changes(
    server: SandboxServer, bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{server.base_url}/control/events") as stream,
    ):
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        await stream.content.readline()  # "retry: ..."
        sent = await bot.send_message(user.id, "привет")

        async def next_event() -> dict:
            while True:
                line = (await stream.content.readline()).decode()
                if line.startswith("data: "):
                    return json.loads(line[len("data: ") :])

        event = await asyncio.wait_for(next_event(), 5)
        while event["type"] != "message":
            event = await asyncio.wait_for(next_event(), 5)
        assert event == {"type": "message", "chat_id": user.id, "message_id": sent.message_id}


async def test_page_control_endpoints(server: SandboxServer, client: SandboxClient) -> None:
    anna = await client.create_user("Анна", username="anna")
    boris = await client.create_user("Борис")
    group = await client.create_group("Учительская", creator_id=boris.id, members=[anna.id])

    chats = await client.user_chats(anna.id)
    assert [chat["type"] for chat in chats] == ["private", "supergroup"]
    assert chats[0].get("not_started") is True
    info = await client.chat_info(group["id"])
    assert {member["user_id"]: member["status"] for member in info["members"]} == {
        boris.id: "creator",
        anna.id: "member",
        server.bot_id: "member",
    }
    state = await client.state()
    assert [user["id"] for user in state["users"]] == [anna.id, boris.id]

    await client.reset()
    assert await client.users() == []
