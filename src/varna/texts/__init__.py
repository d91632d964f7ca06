"""Every word a person reads, in gettext catalogs: the catalogs, the glossary of legal terms,
citations and the one sentence per retention rule.

Sits below the engines and the renderer (``dsr`` and ``render`` both use it, neither imports the
other) and above the register, whose enumerations it names.
"""

from varna.texts.catalog import N_, Texts, languages, texts_for

__all__ = ["N_", "Texts", "languages", "texts_for"]
