"""The only code that touches the organisation's systems (SQL databases, file sets, mailboxes).

>>> from varna.connectors import MemoryConnector
>>> crm = MemoryConnector({"customers": [{"id": 1, "email": "a@example.se"}]}, name="crm")
>>> with crm.transaction():
...     crm.update("customers", {"id": 1}, {"email": None})
1
"""

from varna.connectors.base import Connector, Key, Row
from varna.connectors.files import FilesConnector
from varna.connectors.memory import MemoryConnector
from varna.connectors.registry import (
    ConnectorPool,
    ConnectorRegistry,
    build_registry,
    default_registry,
    open_connectors,
)
from varna.connectors.sql import SQLConnector

__all__ = [
    "Connector",
    "ConnectorPool",
    "ConnectorRegistry",
    "FilesConnector",
    "Key",
    "MemoryConnector",
    "Row",
    "SQLConnector",
    "build_registry",
    "default_registry",
    "open_connectors",
]
