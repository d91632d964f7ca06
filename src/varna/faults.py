"""Fault injection for crash tests: named points where a process can be made to die.

``VARNA_FAULT=<point>`` (read once, at import) arms one point; when the process reaches it, it
ends at once with ``os._exit(FAULT_EXIT)``: no ``finally`` blocks, no flushing, no commits, as
after a power cut or ``kill -9``. Unset (always, outside tests), a point costs one comparison
with ``None``. The points are listed in :data:`POINTS` (an erasure) and
:data:`RETENTION_POINTS` (a retention batch) so a test can walk all of them.
"""

from __future__ import annotations

import os

FAULT_EXIT = 87
_ARMED = os.environ.get("VARNA_FAULT") or None

#: Every point, in the order an erasure of one system passes them.
POINTS = (
    "erasure.after_plan_journalled",  # the plan is in the journal, nothing else done
    "erasure.after_intent",  # intent event and journal claim committed, system untouched
    "erasure.after_system_change",  # the system's transaction committed, no outcome yet
    "erasure.after_outcome",  # outcome event and journal "done" mark committed together
    "erasure.before_journal_closed",  # every system done, the journal entry still open
    "erasure.after_journal_closed",  # the journal entry closed, the request not yet answered
)

#: The points a retention batch passes, in order (:mod:`varna.retention.executor`).
RETENTION_POINTS = (
    "retention.after_keys_chosen",  # a batch's keys read, nothing recorded or changed
    "retention.after_intent",  # the batch's intent event committed, the system untouched
    "retention.after_system_commit",  # the system's transaction committed, no outcome yet
    "retention.after_outcome",  # the batch's outcome event committed, next batch not started
)

#: The points any request passes while it is carried out (:meth:`RightsOps._answering`).
REQUEST_POINTS = (
    # a right that changes data: claimed (``executing``) and committed, nothing carried out
    # yet; an access or export: its open request found under the execution lock
    "request.after_claim",
    # an access or export: the systems read, the request not yet claimed nor answered
    "request.after_reading",
)


#: The point a request answered in its receipt's transaction passes (an access vouched for
#: through the API): every move made and the extract kept, nothing committed yet.
RECEIPT_POINTS = ("request.answered_at_receipt",)


def fault_point(name: str) -> None:
    """End the process here if ``VARNA_FAULT`` names this point."""
    if _ARMED is not None and name == _ARMED:
        os._exit(FAULT_EXIT)
