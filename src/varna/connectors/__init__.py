"""The only code that touches the organisation's systems (SQL databases, file sets, mailboxes)."""
