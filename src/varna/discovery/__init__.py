"""Discovery: find personal data in text, with Swedish detectors and a fast first pass.

``detectors/`` holds one small class per kind of data, ``registry`` the ``varna.detectors``
door, ``matcher`` the Hyperscan and pure-Python first passes, ``engine`` the scanner over
streams of ``(locator, text)`` pieces, ``columns`` the column-name heuristics and ``textio``
the JSONL text interface.
"""
