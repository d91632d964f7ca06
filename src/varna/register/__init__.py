"""The declarative register (persondataregister, GDPR Art. 30): models, vocabulary, loader, checks.

>>> from varna.register import load_register
>>> register = load_register("varna.yaml")   # doctest: +SKIP
"""

from varna.register.loader import load_register, parse_register
from varna.register.model import Register

__all__ = ["Register", "load_register", "parse_register"]
