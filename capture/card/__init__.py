"""Reading a citizen's chip ID card: its QR text (issue 17)."""
