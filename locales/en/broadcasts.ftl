# Broadcasts: free announcements from methodists and admins
command-broadcast = Broadcast to members
broadcast-ask-audience = Who should get it? Tick communities or “All members”, then press “Next”.
broadcast-everyone = All members
broadcast-next-button = Next ▶
broadcast-choose-audience = Tick at least one community.
broadcast-ask-content = Send the announcement text (up to { $max } characters) or a file with a caption. /cancel to stop.
broadcast-text-length = The text is 1 to { $max } characters.
broadcast-caption-length = A file's caption is up to { $max } characters.
broadcast-content-kind = Send a text or a file (as a document); photos and voice notes cannot be broadcast.
broadcast-ask-when = When should it go? Press “Now” or write a date and time, e.g. 20.12.2026 10:00.
broadcast-now-button = 📣 Now
broadcast-preview = ☝️ This is what members will see.
    To: { $audience }
    Recipients: { $count }
    When: { $when ->
        [now] at once
       *[other] { $when }
    }
broadcast-send-button = ✅ Send ({ $count })
broadcast-file-title = file
broadcast-queued = 📣 The broadcast has started, recipients: { $count }. Progress shows in this message.
broadcast-scheduled = 🕒 The broadcast is scheduled for { $when }, recipients: { $count }.
broadcast-stop-button = ⏹ Stop
broadcast-stopped = The broadcast is stopped; not sent: { $count }.
