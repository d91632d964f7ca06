"""Verifying that the person asking is the person the data is about (GDPR Art. 12(6)).

- :mod:`varna.verify.codes`: the e-mail one-time code (six digits, fifteen minutes, five tries,
  kept only as a keyed hash, compared in constant time, rate-limited per address and per client).
- :mod:`varna.verify.plugins`: the door for other verifiers (e-ID such as BankID or Freja+),
  entry-point group ``varna.verifiers``, and the contract they keep.
- :mod:`varna.verify.mailer`: sending e-mail over SMTP.

What a verified assurance unlocks is decided by the request lifecycle, not here.
"""
