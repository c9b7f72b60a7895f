"""A local stand-in for the Telegram Bot API, on loopback.

Point aiogram at it with ``TelegramAPIServer.from_base(server.base_url)``; drive personas
with :class:`SandboxClient` or the chat page at ``/``.
"""

from .client import ChatMessage, ChatView, SandboxClient, SandboxError, SandboxTimeout, SandboxUser
from .ratelimit import ManualClock, RateLimits
from .server import SandboxServer, create_app
from .state import SandboxState

__all__ = [
    "ChatMessage",
    "ChatView",
    "ManualClock",
    "RateLimits",
    "SandboxClient",
    "SandboxError",
    "SandboxServer",
    "SandboxState",
    "SandboxTimeout",
    "SandboxUser",
    "create_app",
]
