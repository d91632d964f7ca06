"""E-mail to people: one-time codes, receipts and notices, sent over SMTP."""
