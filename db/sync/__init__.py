"""Field sync (issue 12, DESIGN §11): station keys, identity files, pairing; bundles, receipts
and the merge come next on the same keys."""
