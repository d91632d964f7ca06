"""The service: ``Varna`` owns every operation; the CLI, the web app and workers are doors.

``Varna`` is composed of one class per area of operations, each in its own module, all built on
:class:`~varna.core.base.VarnaBase` (the resources: settings, register, state, audit, keys,
clock, connectors):

- :mod:`varna.core.register_ops`: check the register (and the live systems), publish
- :mod:`varna.core.request_ops`: the request lifecycle (receive, verify, plan, approve, refuse,
  extend, close) and the requests list
- :mod:`varna.core.rights_ops`: the rights themselves (access, export, rectify, erase,
  restrict/lift, object), each answering its request
- :mod:`varna.core.retention_ops`: retention plan and run
- :mod:`varna.core.audit_ops`: verify, checkpoints, export

A door parses input, calls one method and formats the typed result. A decision between two calls
belongs here, not in a door.
"""

from __future__ import annotations

from varna.core.service import Varna

__all__ = ["Varna"]
