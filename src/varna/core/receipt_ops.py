"""The receipts a person gets when a right is carried out (Art. 12(1), 16-19): PDF documents in
their language, built from the outcome and the register; the rights in ``RightsOps`` return one
with their outcome when asked, so a shell makes one call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from varna.core.base import VarnaBase


class ReceiptOps(VarnaBase):
    """Receipts for the person, as PDF."""

    def erasure_receipt(self, outcome: Any, *, lang: str, at: datetime) -> bytes:
        """The erasure receipt for the person, as PDF."""
        from varna.documents import receipt_pdf
        from varna.documents.frame import authority_info
        from varna.dsr.context import controller_info

        reg = self.register
        names = {k: s.name.get(lang) for k, s in reg.systems.items()}
        return receipt_pdf(
            outcome.plan,
            outcome.receipts,
            controller=controller_info(reg),
            system_names=names,
            lang=lang,
            at=at,
            complaint=authority_info(reg.controller.supervisory_authority, lang),
            register=reg,
        )

    def restriction_receipt(self, outcome: Any, *, ground: Any, lang: str, at: datetime) -> bytes:
        """The restriction receipt for the person, as PDF (Art. 18): the ground, what processing
        is still allowed (18(2)), the recipients told (Art. 19) and the complaint route."""
        from varna.documents import restriction_document
        from varna.documents.frame import authority_info
        from varna.dsr.context import controller_info
        from varna.render.writers import to_pdf

        reg = self.register
        doc = restriction_document(
            outcome.plan,
            ground=ground,
            controller=controller_info(reg),
            system_names={k: v.name.get(lang) for k, v in reg.systems.items()},
            lang=lang,
            at=at,
            complaint=authority_info(reg.controller.supervisory_authority, lang),
            register=reg,
        )
        return to_pdf(doc)

    def rectification_receipt(
        self, plan: Any, *, notified: Sequence[str], lang: str, at: datetime
    ) -> bytes:
        """The rectification receipt for the person, as PDF: the fields corrected per system and
        the recipients told (Art. 19)."""
        from varna.documents import rectification_document
        from varna.documents.frame import authority_info
        from varna.dsr.context import controller_info
        from varna.render.writers import to_pdf

        reg = self.register
        doc = rectification_document(
            plan,
            notified=list(notified),
            controller=controller_info(reg),
            system_names={k: v.name.get(lang) for k, v in reg.systems.items()},
            recipient_names={k: v.name.get(lang) for k, v in reg.recipients.items()},
            lang=lang,
            at=at,
            complaint=authority_info(reg.controller.supervisory_authority, lang),
            register=reg,
        )
        return to_pdf(doc)
