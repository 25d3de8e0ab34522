"""Voice notes for outreach: several stored recordings (a signed-off flyer translation's
paragraphs, in reading order) joined into one Ogg/Opus file with a short pause between
them, the form messaging apps play as a voice message. The parts are already normalised
(:mod:`.convert`), so they are decoded and encoded again as they are."""

from __future__ import annotations

import io
from collections.abc import Sequence

import av

from .convert import OPUS_BITRATE, RATE, encode

PAUSE_MS = 700


def _frames(ogg: bytes) -> list:
    with av.open(io.BytesIO(ogg), mode="r") as container:
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=RATE)
        frames = []
        for frame in container.decode(container.streams.audio[0]):
            frames.extend(resampler.resample(frame))
        frames.extend(resampler.resample(None))
        return frames


def _silence(milliseconds: int):
    frame = av.AudioFrame(format="fltp", layout="mono", samples=RATE * milliseconds // 1000)
    frame.sample_rate = RATE
    for plane in frame.planes:
        plane.update(bytes(plane.buffer_size))
    return frame


def join_recordings(parts: Sequence[bytes], *, pause_ms: int = PAUSE_MS) -> bytes:
    """One Ogg/Opus file of the Ogg/Opus ``parts`` in order, ``pause_ms`` of silence
    between them; the same parts always give the same bytes. Raises ``ValueError`` when
    there are no parts."""
    if not parts:
        raise ValueError("a voice note needs at least one recording")
    frames: list = []
    for index, part in enumerate(parts):
        frames += ([_silence(pause_ms)] if index else []) + _frames(part)
    return encode(frames, fmt="ogg", codec="libopus", bit_rate=OPUS_BITRATE)
