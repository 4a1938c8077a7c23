"""Fingerprints (DESIGN §6, §8; ARCHITECTURE.md "Fingerprints"): no Qt, no database.

- :mod:`.fingers`: the ten finger positions, the legal capture order, conditions.
- :mod:`.scanner`: the scanner interface every backend implements: :mod:`.sbi` (MOSIP SBI),
  :mod:`.folder` (a scanner tool's image folder), :mod:`.simulator` (synthetic prints);
  :mod:`.backends` picks one from the station's settings (vendor SDKs through ctypes:
  ARCHITECTURE.md, "Fingerprints").
- :mod:`.quality`: the NFIQ 2-inspired score 0–100 with reasons the officer can act on.
- :mod:`.synth`: synthetic prints for tests and the demo (nothing is downloaded).
- :mod:`.segment`: a 4-4-2 slap image cut into fingers.
- :mod:`.storage`: the stored form (WSQ) and reading print files (PNG, BMP, WSQ).
- :mod:`.cli`: ``main.py check-finger``.
"""
