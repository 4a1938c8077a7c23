"""Reading a card's QR code in webcam frames (issue 17): codes made by segno, printed on a
card, held tilted, out of focus, in a dim room, turned 15° or upside down, read back to the
exact text; the frames that cannot be read say why; nothing but a card's or a slip's code
gives a text (tests/capture/card_images.py makes the frames)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from capture.card.qr_text import parse
from capture.card.reader import MESSAGES, CardRead, CardReader, Hint, accepted
from resources.i18n import catalogue
from tests.capture import card_images as frames


@pytest.fixture(scope="module")
def reader() -> CardReader:
    return CardReader()


@pytest.mark.parametrize("name", sorted(frames.READABLE))
def test_every_readable_frame_gives_its_exact_text(reader: CardReader, name: str) -> None:
    read = reader.read(frames.frame(name))
    assert read.hint is Hint.FOUND
    assert read.text == frames.EXPECTED[name]
    assert read.corners is not None and len(read.corners) == 4
    if name == "slip":
        assert read.is_slip
    else:
        expected_id = frames.CARD_ID_NO_OLD if name == "no_old_id" else frames.CARD_ID
        assert not read.is_slip and parse(read.text).personal_id == expected_id


def test_a_grey_frame_reads_as_well(reader: CardReader) -> None:
    grey = cv2.cvtColor(frames.frame("warped"), cv2.COLOR_BGR2GRAY)
    assert reader.read(grey).text == frames.CARD_TEXT


@pytest.mark.parametrize(("name", "hint"), [
    ("too_close", Hint.TOO_CLOSE), ("dark", Hint.TOO_DARK), ("glare", Hint.GLARE),
    ("no_card", Hint.NO_CODE), ("other_qr", Hint.NOT_A_CARD),
])  # fmt: skip
def test_a_frame_that_cannot_be_read_says_why(reader: CardReader, name: str, hint: Hint) -> None:
    read = reader.read(frames.frame(name))
    assert (read.text, read.hint) == (None, hint)


def test_a_code_half_out_of_the_picture_asks_for_the_whole_code(reader: CardReader) -> None:
    read = reader.read(frames.card_frame(pose=frames.aimed(3.0, qr_y=0.12), seed=21))
    assert (read.text, read.hint) == (None, Hint.NO_CODE)


def test_nothing_but_a_card_or_a_slip_is_accepted() -> None:
    assert accepted(frames.CARD_TEXT) and accepted(frames.CARD_TEXT_NO_OLD)
    assert accepted(frames.SLIP_TEXT)
    for text in (frames.OTHER_TEXT, "", "8934567890123", "001089012345", "ES1",
                 "001089012345|12A456789|Nguyễn Văn An", "ES2|x|y"):  # fmt: skip
        assert not accepted(text), text


@pytest.mark.parametrize("shape", [(1, 1, 3), (12, 9, 3), (480, 640), (720, 1280, 3)])
def test_blank_and_noise_frames_give_no_text(reader: CardReader, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(shape))
    for image in (np.zeros(shape, np.uint8), np.full(shape, 255, np.uint8),
                  rng.integers(0, 256, shape, dtype=np.uint8)):  # fmt: skip
        read = reader.read(image)
        assert isinstance(read, CardRead) and read.text is None and read.hint is not Hint.FOUND


def test_every_hint_is_said_in_vietnamese() -> None:
    vi = catalogue("vi")
    assert set(MESSAGES) == set(Hint)
    for hint in Hint:
        assert vi.gettext(hint.message) != hint.message, hint
