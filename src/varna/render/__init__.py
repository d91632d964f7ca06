"""Documents from the register: the privacy policy, the Art. 30 record, extracts and receipts."""
