"""What the bot tells people other than the one who pressed: cards to moderators, "published"
announcements, notices to authors, members and followers, forum-topic sync, event
announcements and reminders, deadline reminders, survey invitations.

handlers/ and scheduler/ both use it; it uses storage/ and the delivery outbox (a table in
storage/), and the Telegram kit in bot/ (texts, buttons); it never imports handlers/ or
scheduler/. Nothing here commits: a handler's update is committed once by the session
middleware, and sends to other people are queued in the outbox in that same transaction or
run after it by ``AfterCommit``, so a rolled-back update never tells anyone anything."""
