# Forum-style threads

community-threads-button = 💬 Discussions
thread-list-title = 💬 Discussions of the community “{ $community }”: { $count ->
    [one] { $count } thread
   *[other] { $count } threads
}
thread-list-empty = 💬 The community “{ $community }” has no discussions yet. Start the first one!
thread-list-empty-guest = 💬 No discussions in “{ $community }” yet. Members of the community can start one.
thread-list-item = { $marks }{ $title } ({ $replies })
thread-new-button = ➕ New thread
thread-title = 💬 <b>{ $title }</b>
thread-meta = By { $author } · replies: { $replies } · last: { $last }
thread-closed-note = 🔒 The thread is closed: { $reason }
thread-post-header = <b>{ $number }.</b> { $author }, { $when }
thread-post-quote = ↪️ <i>{ $author }: “{ $text }”</i>
thread-post-body = { $text }
thread-post-file = 📎 { $name }
thread-full-post = 💬 { $title } — { $author }
thread-post-edited = (edited)
thread-back-button = ← To the discussion
thread-list-back-button = ← To the discussions
thread-reply-button = ✍️ Reply
thread-follow-button = 🔔 Follow
thread-unfollow-button = 🔕 Unfollow
thread-followed = I'll tell you about new replies in this thread.
thread-unfollowed = No more news of replies in this thread.
thread-open-button = Open the thread
thread-ask-title = What shall we call the thread? Short, up to 120 characters. /cancel to stop.
thread-ask-opening = The thread's first message: a text, a file, a photo or a video (with a caption). /cancel to stop.
thread-ask-reply = Your reply in “{ $title }”: a text, a file, a photo or a video. /cancel to stop.
thread-ask-quote-reply = A reply with a quote in “{ $title }”: send a text, a file, a photo or a video. /cancel to stop.
thread-title-length = A thread's title is 3 to { $max } characters.
thread-post-empty = Send a text, a file, a photo or a video — or /cancel.
thread-post-too-long = The message is longer than { $max } characters: split it into several.
thread-closed = The thread is closed: { $reason }
thread-not-found = Thread not found: it may have been deleted.
thread-members-only = Only the community's members can write in its discussions.
thread-notice-reply = 💬 A new reply in “{ $title }” — { $author }: { $text }
thread-notice-replies = 💬 New replies in “{ $title }”.
post-blocked = The message was not published: it breaks { $clauses }. Fix the text and send it again.
post-held = The message went to the moderators: it will appear in the thread once checked.
post-approved = ✅ Your message in “{ $title }” is published.
post-rejected = A moderator did not publish your message in “{ $title }”.
case-header-post = 💬 <b>A discussion post to check</b>
case-thread = Thread: { $title }
case-post-button-keep = ✅ Publish
case-post-button-del = ❌ Reject
case-post-button-hist = 📋 The member's history
case-post-outcome-keep = ✅ Published: { $name }
case-post-outcome-del = ❌ Rejected: { $name }
thread-pin-button = 📌 Pin
thread-unpin-button = 📌 Unpin
thread-close-button = 🔒 Close the thread
thread-reopen-button = 🔓 Reopen the thread
thread-ask-close-reason = Why is the thread closed? Everyone will see the reason.
post-edit-button = ✏️ Edit
post-remove-button = 🗑 Delete
post-ask-edit = Send the message's new text. /cancel to stop.
post-ask-remove-reason = Why is the message deleted? Its author will see the reason.
post-removed = The message was deleted.
post-removed-by-moderator = A moderator deleted your message in “{ $title }”: { $reason }
post-edit-too-late = A message can be edited or deleted within { $minutes } min of publication.
search-filter-threads-off = 💬 Discussions
search-filter-threads-on = 💬 Discussions ✓
search-thread-result = 💬 { $title } ({ $replies })
search-found-threads = 💬 “{ $query }” in discussions: { $count ->
    [one] { $count } thread
   *[other] { $count } threads
}
forum-post =
    💬 { $author }:
    { $text }
thread-move-button = ↪️ Move
thread-move-choose = Where shall the thread “{ $title }” go?
thread-moved = The thread moved to the community “{ $community }”.
post-orphaned = The discussion “{ $title }” was removed, so your reply that was waiting for review will not be published. Your text, so it is not lost:
    { $text }
case-post-outcome-orphaned = 🗑 The discussion was removed — the reply will not be published; its author has been told. Card closed by { $name }.
case-post-orphaned = This reply's discussion was removed, so it cannot be published. The card is closed and the author has been told.
