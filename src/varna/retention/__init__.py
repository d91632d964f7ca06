"""Retention (gallring): expiry planned from the register's typed rules, applied set-based."""
