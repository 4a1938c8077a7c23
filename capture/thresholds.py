"""Every threshold of the portrait checks in one place, with where it comes from.

The measurements behind each line are in ``capture/CALIBRATION.md`` (re-run them with
``python bench/quality.py --calibrate``). Values are for the full-resolution upright frame.
"""

from __future__ import annotations

# face_count: a second face at least this fraction of the largest's area fails (DESIGN §7).
SECOND_FACE_AREA = 0.25

# face_size: inter-eye distance in frame pixels (ISO 19794-5: ≥ 90 recommended; we fail < 60).
IED_FAIL = 60.0
IED_WARN = 90.0
# When the eyes are not found, IED is estimated from the face box width (astronaut 0.46,
# Grace Hopper 0.36 with glasses: the mean).
IED_PER_FACE_WIDTH = 0.41

# Head geometry from the Haar face box (brows to lower lip / chin), measured on both faces:
CHIN_BELOW_BOX = 0.03  # chin this far (× box height) below the box bottom
HEAD_PER_BOX = 1.40  # chin-to-crown = this × box height (hair/cap excluded ≈ skull top)

# framing: the 3:4 crop with chin-to-crown = 75 % of its height (ICAO 70–80 %).
CHIN_CROWN_FRACTION = 0.75
CROWN_MARGIN = 0.10  # crown this far (× crop height) below the crop top → eyes ≈ 53 % from bottom
FRAMING_TOLERANCE = 0.03  # overflow (× crop height) we pad silently

# head_roll: eye-line angle (ICAO ±8°).
ROLL_MAX_DEG = 8.0

# sharpness: variance of the Laplacian of the face resized to SHARPNESS_WIDTH px.
SHARPNESS_WIDTH = 128
SHARPNESS_FAIL = 100.0
SHARPNESS_WARN = 250.0

# exposure: face luminance (inner face), fractions of clipped pixels (OFIQ: ≤ 25, ≥ 247).
EXPOSURE_MEAN = (0.25, 0.80)
CLIPPED_DARK = 25
CLIPPED_BRIGHT = 247
CLIPPED_MAX_FRACTION = 0.05

# lighting: histogram intersection of the two cheeks (OFIQ illumination uniformity).
LIGHTING_MIN = 0.50
LIGHTING_BINS = 16

# background: the area around the head inside the crop.
BACKGROUND_MIN_LUMA = 0.45  # "light": mean luminance ≥ 45 % of range
BACKGROUND_MAX_GRADIENT = 0.06  # "plain": mean Scharr magnitude (÷ 255·16) at 128 px wide
BACKGROUND_WIDTH = 128

# eyes: glare = fraction of near-white pixels in an eye box.
GLARE_LEVEL = 250
GLARE_MAX_FRACTION = 0.04

# Frame-level checks used to name the cause when no face is found.
FRAME_DARK = 0.18  # mean luminance below this: "too dark" rather than "no face"
FRAME_BRIGHT = 0.90
