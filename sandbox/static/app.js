/* The sandbox chat page: act as a persona, talk to the bot, watch changes live (SSE).
 * Plain browser JavaScript; every message is rendered from text + entities with DOM nodes,
 * so only Telegram's formatting reaches the page and everything else stays text. */
"use strict";

const $ = (id) => document.getElementById(id);

const S = {
  bot: null,
  users: [],
  persona: null,
  chats: [],
  allChats: [],
  chatId: null,
  view: null,
  topic: "all", // "all", null (General) or a thread id
  replyTo: null,
  keyboardOpen: true,
  seenToasts: new Set(),
  toastsPrimed: new Set(),
  pressed: new Set(),
};

// --- control API ------------------------------------------------------------------------

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!body.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body.result;
}

const post = (path, body) =>
  api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

function showError(error) {
  showToast(`⚠ ${error.message || error}`);
}

// --- small helpers ----------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const COLORS = ["#e17076", "#7bc862", "#e5ca77", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

function avatar(title, id) {
  const letters = (title || "?")
    .split(/\s+/)
    .map((word) => (word.match(/\p{L}|\p{N}/u) || [""])[0])
    .filter(Boolean)
    .slice(0, 2)
    .join("");
  const node = el("div", { class: "avatar", "aria-hidden": "true" }, letters.toUpperCase() || "?");
  node.style.background = COLORS[Math.abs(Number(id) || 0) % COLORS.length];
  return node;
}

function time(unix) {
  return new Date(unix * 1000).toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" });
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} Б`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} КБ`;
  return `${(bytes / 1024 / 1024).toFixed(1)} МБ`;
}

let toastTimer = null;
function showToast(text) {
  const toast = $("toast");
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.hidden = true), 3200);
}

function showAlert(text) {
  $("alert-text").textContent = text;
  const dialog = $("alert-dialog");
  if (!dialog.open) dialog.showModal();
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// --- rendering Telegram entities ------------------------------------------------------------

const FILE_ICON = '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M7 3h7l5 5v13H7z M14 3v5h5" stroke="currentColor" stroke-width="1.8" fill="none" stroke-linejoin="round"/></svg>';

const SAFE_URL = /^(https?:|tg:|mailto:)/i;

function entityElement(entity, covered) {
  switch (entity.type) {
    case "bold": return el("b");
    case "italic": return el("i");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "spoiler": {
      const node = el("span", { class: "spoiler", title: "Скрытый текст" });
      node.addEventListener("click", (event) => {
        event.stopPropagation();
        node.classList.add("revealed");
      });
      return node;
    }
    case "code": return el("code");
    case "pre": return el("pre", { "data-language": entity.language || null });
    case "blockquote":
    case "expandable_blockquote": return el("blockquote");
    case "text_link": {
      const url = entity.url || "";
      return SAFE_URL.test(url)
        ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", title: url })
        : el("span", { class: "entity-link", title: url });
    }
    case "url": {
      const url = /^[a-z]+:/i.test(covered) ? covered : `http://${covered}`;
      return SAFE_URL.test(url)
        ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" })
        : el("span");
    }
    case "email": return el("a", { href: `mailto:${covered}` });
    case "bot_command": {
      const node = el("span", { class: "entity-link", title: "Отправить команду" });
      node.addEventListener("click", (event) => {
        event.stopPropagation();
        sendText(covered);
      });
      return node;
    }
    case "mention":
    case "hashtag":
    case "cashtag":
    case "text_mention": return el("span", { class: "entity-link" });
    case "date_time": return el("span", { title: new Date((entity.unix_time || 0) * 1000).toLocaleString("ru-RU") });
    default: return el("span");
  }
}

/** Text with entities (UTF-16 offsets, as JavaScript strings count) as DOM nodes. */
function renderEntities(text, entities) {
  const root = document.createDocumentFragment();
  const sorted = (entities || [])
    .filter((e) => e.length > 0)
    .slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);

  function build(parent, start, end, list) {
    let position = start;
    let index = 0;
    while (index < list.length) {
      const entity = list[index];
      if (entity.offset >= end) break;
      const entityStart = Math.max(entity.offset, position);
      if (entityStart > position) parent.append(text.slice(position, entityStart));
      const entityEnd = Math.min(entity.offset + entity.length, end);
      const inner = [];
      let next = index + 1;
      while (next < list.length && list[next].offset < entityEnd) {
        inner.push(list[next]);
        next += 1;
      }
      let node = entityElement(entity, text.slice(entityStart, entityEnd));
      let target = node;
      if (entity.type === "pre") {
        target = el("code");
        node.append(target);
      }
      if (entityEnd > entityStart) build(target, entityStart, entityEnd, inner);
      parent.append(node);
      position = Math.max(position, entityEnd);
      index = next;
    }
    if (position < end) parent.append(text.slice(position, end));
  }

  build(root, 0, text.length, sorted);
  return root;
}

// --- personas and the chat list -------------------------------------------------------------

async function loadUsers() {
  const state = await api("/control/state");
  S.bot = state.bot;
  S.users = state.users;
  const select = $("persona");
  select.replaceChildren(
    ...S.users.map((user) =>
      el("option", { value: user.id }, user.username ? `${user.full_name} (@${user.username})` : user.full_name),
    ),
  );
  const saved = Number(localStorage.getItem("sandbox.persona"));
  const known = S.users.find((user) => user.id === (S.persona || saved));
  S.persona = known ? known.id : S.users.length ? S.users[0].id : null;
  if (S.persona) select.value = String(S.persona);
  if (!S.users.length) openPersonaDialog();
}

async function loadChats() {
  if (!S.persona) {
    S.chats = [];
    renderChatList();
    return;
  }
  const [mine, all] = await Promise.all([api(`/control/users/${S.persona}/chats`), api("/control/chats")]);
  S.chats = mine;
  S.allChats = all;
  renderChatList();
}

function renderChatList() {
  const list = $("chat-list");
  const items = [];
  for (const chat of S.chats) {
    const title = chat.type === "private" ? botName() : chat.title;
    const subtitle = chat.type === "private" && chat.not_started ? "Нажмите, чтобы начать" : chat.last_text;
    items.push(
      el(
        "button",
        {
          class: `chat-item${chat.id === S.chatId ? " active" : ""}`,
          type: "button",
          onclick: () => openChat(chat.id),
        },
        avatar(title, chat.id),
        el(
          "div",
          { class: "chat-item-body" },
          el(
            "div",
            { class: "chat-item-title" },
            title,
            el("span", { class: "badge" }, chat.type === "private" ? "бот" : chat.is_forum ? "темы" : "группа"),
          ),
          el("div", { class: "chat-item-last" }, subtitle || "—"),
        ),
      ),
    );
  }
  const mineIds = new Set(S.chats.map((chat) => chat.id));
  const others = S.allChats.filter((chat) => chat.type !== "private" && !mineIds.has(chat.id));
  if (others.length) {
    items.push(el("h3", {}, "Другие группы"));
    for (const chat of others) {
      items.push(
        el(
          "div",
          { class: "chat-item" },
          avatar(chat.title, chat.id),
          el("div", { class: "chat-item-body" },
            el("div", { class: "chat-item-title" }, chat.title),
            el("div", { class: "chat-item-last" }, `${chat.members_count} участн.`)),
          el("button", {
            class: "join",
            type: "button",
            onclick: () => act(() => post("/control/join_group", { user_id: S.persona, chat_id: chat.id }))
              .then(() => openChat(chat.id)),
          }, "Вступить"),
        ),
      );
    }
  }
  list.replaceChildren(...items);
}

function botName() {
  return (S.bot && S.bot.first_name) || "Бот";
}

// --- one chat -------------------------------------------------------------------------------

async function openChat(chatId) {
  if (S.chatId !== chatId) {
    S.topic = "all";
    S.replyTo = null;
    S.keyboardOpen = true;
  }
  S.chatId = chatId;
  $("app").classList.add("chat-open");
  await refreshView();
  renderChatList();
  $("text").focus();
}

async function refreshView() {
  if (!S.persona || S.chatId === null) return;
  try {
    S.view = await api(`/control/chat_view?user_id=${S.persona}&chat_id=${S.chatId}`);
  } catch (error) {
    S.view = null;
    S.chatId = null;
    $("app").classList.remove("chat-open");
    renderEmpty();
    return;
  }
  renderView();
}

function renderEmpty() {
  $("chat-title").textContent = "Выберите чат";
  $("chat-subtitle").textContent = "";
  $("chat-avatar").replaceChildren();
  $("messages").replaceChildren(el("div", { class: "empty-state" }, el("p", {}, "Выберите чат слева.")));
  $("topics").hidden = true;
  $("reply-keyboard").hidden = true;
  $("start-bar").hidden = true;
  $("composer").hidden = false;
}

function renderView() {
  const view = S.view;
  const chat = view.chat;
  const isPrivate = chat.type === "private";
  const title = isPrivate ? view.bot.first_name : chat.title;
  $("chat-title").textContent = title;
  const avatarNode = avatar(title, chat.id);
  $("chat-avatar").replaceWith(avatarNode);
  avatarNode.id = "chat-avatar";

  const subtitle = $("chat-subtitle");
  subtitle.classList.toggle("typing", Boolean(view.chat_action));
  if (view.chat_action) {
    subtitle.textContent = actionLabel(view.chat_action.action);
    setTimeout(refreshView, 5200);
  } else if (isPrivate) {
    subtitle.textContent = view.user.blocked ? "бот заблокирован" : `бот · @${view.bot.username}`;
  } else {
    const botState = { member: "бот — участник", administrator: "бот — администратор", creator: "бот — владелец" };
    subtitle.textContent = `${chat.members_count} участн. · ${botState[chat.bot_status] || "бота нет в группе"}`;
  }

  renderTopics(chat);
  renderMessages(view);
  renderReplyKeyboard(view.reply_keyboard);
  renderComposer(view);
  renderToasts(view);
}

function actionLabel(action) {
  const labels = {
    typing: "печатает…",
    upload_photo: "отправляет фото…",
    upload_video: "отправляет видео…",
    record_video: "записывает видео…",
    upload_document: "отправляет файл…",
    record_voice: "записывает голосовое…",
    upload_voice: "отправляет голосовое…",
    choose_sticker: "выбирает стикер…",
    find_location: "ищет место…",
  };
  return labels[action] || "действует…";
}

function renderTopics(chat) {
  const bar = $("topics");
  if (!chat.is_forum) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  const chip = (label, value, extra) =>
    el("button", {
      class: `topic${S.topic === value ? " active" : ""}${extra || ""}`,
      type: "button",
      onclick: () => {
        S.topic = value;
        renderView();
      },
    }, label);
  bar.replaceChildren(
    chip("Все", "all"),
    chip("# Общий", null),
    ...chat.topics.map((topic) =>
      chip(`# ${topic.name}${topic.closed ? " (закрыта)" : ""}`, topic.thread_id, topic.closed ? " closed" : ""),
    ),
    el("button", { class: "topic", type: "button", onclick: createTopic }, "+ тема"),
  );
}

function visibleMessages(view) {
  if (!view.chat.is_forum || S.topic === "all") return view.messages;
  return view.messages.filter((message) => (message.thread_id || null) === S.topic);
}

function renderMessages(view) {
  const box = $("messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  const byId = new Map(view.messages.map((message) => [message.message_id, message]));
  const nodes = visibleMessages(view).map((message) => renderMessage(message, byId, view));
  if (!nodes.length) {
    const hint = view.chat.type === "private" ? "Здесь пока пусто. Нажмите «Начать»." : "Сообщений пока нет.";
    nodes.push(el("div", { class: "empty-state" }, el("p", {}, hint)));
  }
  box.replaceChildren(...nodes);
  S.stickToBottom = nearBottom || box.dataset.chat !== String(S.chatId);
  if (S.stickToBottom) box.scrollTop = box.scrollHeight;
  box.dataset.chat = String(S.chatId);
}

/** Media that finish loading grow the list; keep the newest message in sight. */
function keepBottom() {
  if (S.stickToBottom) $("messages").scrollTop = $("messages").scrollHeight;
}

function serviceText(message) {
  const data = message.service_data || {};
  switch (message.service) {
    case "new_chat_members": {
      const names = (data.names || []).join(", ");
      return data.actor && !(data.names || []).includes(data.actor.split(" ")[0])
        ? `${data.actor} добавил(а): ${names}`
        : `${names} вступил(а) в группу`;
    }
    case "left_chat_member": return `${data.name} покинул(а) группу`;
    case "forum_topic_created": return `${data.actor} создал(а) тему «${data.name}»`;
    case "forum_topic_edited": return `Тема переименована: «${data.name || ""}»`;
    case "forum_topic_closed": return "Тема закрыта";
    case "forum_topic_reopened": return "Тема открыта снова";
    case "pinned_message": return `${data.actor} закрепил(а): «${(data.text || "").slice(0, 60)}»`;
    default: return message.service;
  }
}

function renderMessage(message, byId, view) {
  if (message.service) return el("div", { class: "service" }, serviceText(message));
  const own = message.sender_id === S.persona;
  const bubble = el("div", {
    class: "bubble",
    title: "Нажмите, чтобы ответить",
    onclick: (event) => {
      if (!event.target.closest("a")) setReplyTo(message);
    },
  });
  if (view.chat.type !== "private" && !own) {
    bubble.append(el("div", { class: "sender" }, message.sender_name, message.via_bot ? el("span", { class: "via" }, ` через @${view.bot.username}`) : null));
  } else if (message.via_bot) {
    bubble.append(el("div", { class: "sender" }, el("span", { class: "via" }, `через @${view.bot.username}`)));
  }
  if (message.forward_from) bubble.append(el("div", { class: "forwarded" }, `Переслано от ${message.forward_from}`));
  if (message.reply_to_message_id) {
    const replied = byId.get(message.reply_to_message_id);
    bubble.append(el("div", { class: "quote" }, replied ? `${replied.sender_name}: ${replied.text || replied.caption || "медиа"}` : "Сообщение удалено"));
  }
  if (message.media) bubble.append(renderMedia(message.media));
  if (message.poll) bubble.append(renderPoll(message.poll));
  const text = message.text !== null && message.text !== undefined ? message.text : message.caption;
  const entities = message.text !== null && message.text !== undefined ? message.entities : message.caption_entities;
  const meta = el("span", { class: "meta" }, `${message.edited ? "изменено · " : ""}${message.pinned ? "закреплено · " : ""}${time(message.date)}`);
  if (text) {
    const body = el("div", { class: "body" });
    body.append(renderEntities(text, entities));
    body.append(meta);
    bubble.append(body);
  } else {
    bubble.append(meta);
  }
  const column = el("div", { class: "message" }, bubble);
  if (message.buttons && message.buttons.length) column.append(renderInlineKeyboard(message));
  return el("div", { class: `row${own ? " own" : ""}`, "data-message-id": message.message_id }, column);
}

function renderMedia(media) {
  if (media.kind === "photo") {
    return el("img", { class: "media-photo", src: media.url, alt: "Фото", onload: keepBottom });
  }
  if (media.kind === "video" && (media.mime_type || "").startsWith("video/")) {
    return el("video", {
      class: "media-video",
      src: media.url,
      controls: true,
      preload: "metadata",
      onloadedmetadata: keepBottom,
    });
  }
  return el(
    "a",
    { class: "file", href: media.url, download: media.file_name || "file", onclick: (event) => event.stopPropagation() },
    fileIcon(media.kind),
    el("span", {}, el("div", { class: "file-name" }, media.file_name || "файл"), el("div", { class: "file-size" }, size(media.file_size))),
  );
}

function fileIcon(kind) {
  const icon = el("span", { class: "file-icon" });
  if (kind === "video") icon.textContent = "▶";
  else icon.innerHTML = FILE_ICON; // a constant SVG, not message content
  return icon;
}

function renderPoll(poll) {
  return el(
    "div",
    { class: "poll" },
    el("div", { class: "poll-question" }, poll.question),
    ...poll.options.map((option) => el("div", { class: "poll-option" }, option.text)),
    el("div", { class: "poll-state" }, `${poll.is_anonymous ? "Анонимный опрос" : "Опрос"}${poll.is_closed ? " · завершён" : ""}`),
  );
}

function renderInlineKeyboard(message) {
  const keyboard = el("div", { class: "inline-keyboard" });
  for (const row of message.buttons) {
    const rowNode = el("div", { class: "ik-row" });
    for (const button of row) {
      const key = `${message.chat_id}:${message.message_id}:${button.callback_data || button.text}`;
      let kind = "";
      if (button.url) kind = "↗";
      else if (button.copy_text) kind = "⧉";
      else if (button.switch_inline_query !== undefined || button.switch_inline_query_current_chat !== undefined) kind = "@";
      else if (button.web_app || button.login_url) kind = "◫";
      rowNode.append(
        el("button", {
          class: `ik-button${S.pressed.has(key) ? " pressed" : ""}`,
          type: "button",
          title: button.callback_data ? `callback_data: ${button.callback_data}` : button.url || "",
          onclick: (event) => {
            event.stopPropagation();
            pressInline(message, button, key);
          },
        }, button.text, kind ? el("span", { class: "ik-kind" }, kind) : null),
      );
    }
    keyboard.append(rowNode);
  }
  return keyboard;
}

async function pressInline(message, button, key) {
  if (button.url) {
    window.open(button.url, "_blank", "noopener");
    return;
  }
  if (button.copy_text) {
    try {
      await navigator.clipboard.writeText(button.copy_text.text || "");
      showToast("Скопировано");
    } catch (error) {
      showToast(button.copy_text.text || "");
    }
    return;
  }
  if (button.callback_data === undefined) {
    showToast("Такие кнопки песочница не нажимает");
    return;
  }
  S.pressed.add(key);
  renderView();
  await act(() => post("/control/press_button", {
    user_id: S.persona,
    chat_id: message.chat_id,
    message_id: message.message_id,
    data: button.callback_data,
    wait: 0,
  }));
  setTimeout(() => {
    S.pressed.delete(key);
    if (S.view) renderView();
  }, 1500);
}

function renderToasts(view) {
  const key = `${S.persona}:${S.chatId}`;
  const fresh = view.toasts.filter((toast) => !S.seenToasts.has(toast.callback_query_id));
  view.toasts.forEach((toast) => S.seenToasts.add(toast.callback_query_id));
  if (!S.toastsPrimed.has(key)) {
    S.toastsPrimed.add(key); // answers from before the chat was opened are not replayed
    return;
  }
  const last = fresh[fresh.length - 1];
  if (!last) return;
  if (last.url) window.open(last.url, "_blank", "noopener");
  if (!last.text) return;
  if (last.show_alert) showAlert(last.text);
  else showToast(last.text);
}

function renderReplyKeyboard(keyboard) {
  const box = $("reply-keyboard");
  const toggle = $("keyboard-toggle");
  const rows = keyboard && keyboard.rows ? keyboard.rows : [];
  toggle.hidden = !rows.length;
  if (keyboard && keyboard.placeholder) $("text").placeholder = keyboard.placeholder;
  else $("text").placeholder = "Сообщение";
  const open = rows.length && S.keyboardOpen && !keyboard.collapsed;
  box.hidden = !open;
  if (!open) return;
  box.replaceChildren(
    ...rows.map((row) =>
      el("div", { class: "rk-row" }, ...row.map((text) => el("button", { class: "rk-button", type: "button", onclick: () => sendText(text) }, text))),
    ),
  );
}

function renderComposer(view) {
  const isPrivate = view.chat.type === "private";
  const notStarted = isPrivate && (view.chat.not_started || !view.user.started);
  const blocked = isPrivate && view.user.blocked;
  // As in Telegram, an empty private chat offers START (the empty chat's hint names it).
  const empty = isPrivate && !view.messages.length;
  $("start-bar").hidden = !(notStarted || blocked || empty);
  $("start-button").textContent = blocked ? "Разблокировать бота" : "Начать";
  $("composer").hidden = notStarted || blocked;
  $("commands-button").hidden = !view.commands.length;
  const closedTopic = view.chat.is_forum && S.topic !== "all" && S.topic !== null
    && (view.chat.topics.find((topic) => topic.thread_id === S.topic) || {}).closed;
  $("text").disabled = Boolean(closedTopic);
  $("send").disabled = Boolean(closedTopic);
}

function setReplyTo(message) {
  S.replyTo = message;
  $("reply-bar").hidden = false;
  $("reply-bar-text").textContent = `${message.sender_name}: ${message.text || message.caption || "медиа"}`;
  $("text").focus();
}

function clearReply() {
  S.replyTo = null;
  $("reply-bar").hidden = true;
}

// --- acting -----------------------------------------------------------------------------------

async function act(fn) {
  try {
    return await fn();
  } catch (error) {
    showError(error);
    return null;
  }
}

function currentThread() {
  if (!S.view || !S.view.chat.is_forum) return null;
  if (S.replyTo && S.replyTo.thread_id) return S.replyTo.thread_id;
  return S.topic === "all" ? null : S.topic;
}

async function sendText(text) {
  if (!text.trim() || !S.persona) return;
  const result = await act(() => post("/control/send_text", {
    user_id: S.persona,
    chat_id: S.chatId,
    text,
    thread_id: currentThread(),
    reply_to: S.replyTo ? S.replyTo.message_id : null,
  }));
  if (result) {
    clearReply();
    await refreshView();
  }
}

async function sendFile(file) {
  const kind = file.type.startsWith("image/") ? "photo" : file.type.startsWith("video/") ? "video" : "document";
  const form = new FormData();
  form.append("user_id", String(S.persona));
  form.append("chat_id", String(S.chatId));
  form.append("kind", kind);
  const caption = $("text").value.trim();
  if (caption) form.append("caption", caption);
  const thread = currentThread();
  if (thread) form.append("thread_id", String(thread));
  if (S.replyTo) form.append("reply_to", String(S.replyTo.message_id));
  form.append("file", file, file.name);
  const result = await act(() => api("/control/send_file", { method: "POST", body: form }));
  if (result) {
    $("text").value = "";
    clearReply();
    await refreshView();
  }
}

async function createTopic() {
  const name = prompt("Название темы");
  if (!name) return;
  const result = await act(() => post("/control/topics", { user_id: S.persona, chat_id: S.chatId, name }));
  if (result) {
    S.topic = result.thread_id;
    await refreshView();
  }
}

function renderChatMenu() {
  const menu = $("chat-menu");
  const view = S.view;
  const items = [];
  const item = (label, fn, danger) =>
    el("button", {
      type: "button",
      class: danger ? "danger" : null,
      onclick: async () => {
        menu.hidden = true;
        await act(fn);
        await Promise.all([loadChats(), refreshView()]);
      },
    }, label);
  if (!view) return;
  const chat = view.chat;
  if (chat.type === "private") {
    items.push(item("Перезапустить (/start)", () => post("/control/start", { user_id: S.persona })));
    items.push(view.user.blocked
      ? item("Разблокировать бота", () => post("/control/unblock_bot", { user_id: S.persona }))
      : item("Заблокировать бота", () => post("/control/block_bot", { user_id: S.persona }), true));
  } else {
    const admin = chat.my_status === "creator" || chat.my_status === "administrator";
    const botIn = chat.bot_status === "member" || chat.bot_status === "administrator";
    if (!botIn) items.push(item("Добавить бота", () => post("/control/add_bot", { user_id: S.persona, chat_id: chat.id })));
    if (botIn && admin && chat.bot_status !== "administrator") {
      items.push(item("Сделать бота администратором", () => post("/control/set_member", { actor_id: S.persona, chat_id: chat.id, user_id: view.bot.id, status: "administrator" })));
    }
    if (botIn && admin) items.push(item("Удалить бота из группы", () => post("/control/remove_bot", { user_id: S.persona, chat_id: chat.id }), true));
    if (chat.is_forum) items.push(item("Новая тема", async () => createTopic()));
    items.push(item("Покинуть группу", () => post("/control/leave_group", { user_id: S.persona, chat_id: chat.id }), true));
  }
  menu.replaceChildren(...items);
}

function renderCommandsMenu() {
  const menu = $("commands-menu");
  const commands = (S.view && S.view.commands) || [];
  menu.replaceChildren(
    ...commands.map((command) =>
      el("button", {
        type: "button",
        onclick: () => {
          menu.hidden = true;
          sendText(`/${command.command}`);
        },
      }, el("span", { class: "cmd" }, `/${command.command}`), command.description),
    ),
  );
}

// --- dialogs --------------------------------------------------------------------------------

function openPersonaDialog() {
  $("persona-error").textContent = "";
  $("persona-form").reset();
  $("persona-dialog").showModal();
}

async function submitPersona(event) {
  const form = $("persona-form");
  if (event.submitter && event.submitter.value === "cancel") return;
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form).entries());
  try {
    const user = await post("/control/users", {
      first_name: data.first_name.trim(),
      last_name: data.last_name.trim() || null,
      username: data.username.trim() || null,
      language_code: data.language_code,
    });
    $("persona-dialog").close();
    S.persona = user.id;
    localStorage.setItem("sandbox.persona", String(user.id));
    await loadUsers();
    await loadChats();
    await openChat(user.id);
  } catch (error) {
    $("persona-error").textContent = error.message;
  }
}

function openGroupDialog() {
  if (!S.persona) {
    openPersonaDialog();
    return;
  }
  $("group-error").textContent = "";
  $("group-form").reset();
  $("group-members").replaceChildren(
    ...S.users
      .filter((user) => user.id !== S.persona)
      .map((user) => el("label", {}, el("input", { type: "checkbox", name: "members", value: user.id, checked: true }), user.full_name)),
  );
  $("group-dialog").showModal();
}

async function submitGroup(event) {
  const form = $("group-form");
  if (event.submitter && event.submitter.value === "cancel") return;
  event.preventDefault();
  const data = new FormData(form);
  try {
    const chat = await post("/control/groups", {
      title: String(data.get("title")).trim(),
      type: data.get("type"),
      is_forum: data.get("is_forum") === "on",
      creator_id: S.persona,
      members: data.getAll("members").map(Number),
      bot_status: data.get("bot_status") || null,
    });
    $("group-dialog").close();
    await loadChats();
    await openChat(chat.id);
  } catch (error) {
    $("group-error").textContent = error.message;
  }
}

// --- live updates -----------------------------------------------------------------------------

const refreshViewSoon = debounce(refreshView, 80);
const refreshChatsSoon = debounce(() => loadChats().catch(showError), 150);
const refreshUsersSoon = debounce(() => loadUsers().then(loadChats).catch(showError), 150);

function connectEvents() {
  const source = new EventSource("/control/events");
  const onEvent = (event) => {
    let data = {};
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    const type = data.type;
    if (type === "reset") {
      S.chatId = null;
      S.view = null;
      renderEmpty();
      refreshUsersSoon();
      return;
    }
    if (type === "user") refreshUsersSoon();
    if (["message", "chat", "delete", "edit"].includes(type)) refreshChatsSoon();
    if (S.chatId === null) return;
    const mine = data.chat_id === S.chatId || (type === "toast" && data.user_id === S.persona) || type === "commands";
    if (mine && ["message", "edit", "delete", "toast", "chat", "action", "commands"].includes(type)) refreshViewSoon();
  };
  for (const type of ["message", "edit", "delete", "toast", "chat", "action", "commands", "user", "reset"]) {
    source.addEventListener(type, onEvent);
  }
}

// --- wiring -----------------------------------------------------------------------------------

function wire() {
  $("persona").addEventListener("change", async (event) => {
    S.persona = Number(event.target.value);
    localStorage.setItem("sandbox.persona", String(S.persona));
    S.chatId = null;
    await loadChats();
    if (S.chats.length) await openChat(S.chats[0].id);
  });
  $("new-persona").addEventListener("click", openPersonaDialog);
  $("persona-form").addEventListener("submit", submitPersona);
  $("new-group").addEventListener("click", openGroupDialog);
  $("group-form").addEventListener("submit", submitGroup);
  $("reset").addEventListener("click", async () => {
    if (!confirm("Удалить все персоны, чаты и сообщения песочницы?")) return;
    await act(() => post("/control/reset", {}));
  });
  $("back").addEventListener("click", () => {
    $("app").classList.remove("chat-open");
    S.chatId = null;
    renderChatList();
  });
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("text");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    autosize();
    await sendText(text);
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("text").addEventListener("input", autosize);
  $("file-input").addEventListener("change", async (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) await sendFile(file);
  });
  $("reply-cancel").addEventListener("click", clearReply);
  $("keyboard-toggle").addEventListener("click", () => {
    if (S.view && S.view.reply_keyboard && S.view.reply_keyboard.collapsed) {
      S.view.reply_keyboard.collapsed = false;
      S.keyboardOpen = true;
    } else {
      S.keyboardOpen = !S.keyboardOpen;
    }
    renderReplyKeyboard(S.view && S.view.reply_keyboard);
  });
  $("start-button").addEventListener("click", async () => {
    const blocked = S.view && S.view.user.blocked;
    if (blocked) await act(() => post("/control/unblock_bot", { user_id: S.persona }));
    await act(() => post("/control/start", { user_id: S.persona }));
    await Promise.all([loadChats(), refreshView()]);
  });
  $("chat-menu-button").addEventListener("click", (event) => {
    event.stopPropagation();
    const menu = $("chat-menu");
    renderChatMenu();
    menu.hidden = !menu.hidden || !menu.children.length;
  });
  $("commands-button").addEventListener("click", (event) => {
    event.stopPropagation();
    const menu = $("commands-menu");
    renderCommandsMenu();
    menu.hidden = !menu.hidden;
  });
  document.addEventListener("click", () => {
    $("chat-menu").hidden = true;
    $("commands-menu").hidden = true;
  });
}

function autosize() {
  const input = $("text");
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  input.style.overflowY = input.scrollHeight > 160 ? "auto" : "hidden";
}

async function main() {
  wire();
  // Links like /#persona=100000001&chat=-1000000000001 open a persona's chat directly;
  // "&live=0" leaves the event stream off (for static snapshots).
  const link = new URLSearchParams(location.hash.slice(1));
  if (link.get("live") !== "0") connectEvents();
  if (link.get("persona")) S.persona = Number(link.get("persona"));
  try {
    await loadUsers();
    await loadChats();
    if (link.get("chat")) {
      await openChat(Number(link.get("chat")));
    } else if (S.persona && window.matchMedia("(min-width: 721px)").matches && S.chats.length) {
      await openChat(S.chats[0].id);
    }
  } catch (error) {
    showError(error);
  }
}

main();
