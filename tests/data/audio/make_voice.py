"""Write tests/data/audio/voice.wav: 2.5 seconds of a synthetic voice-like sound (a
220 Hz tone with harmonics and a 3 Hz wobble, faded in and out), 48 kHz mono 16-bit.
Made by this script, not recorded: no person's voice is in the test data."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 48_000
SECONDS = 2.5


def sample(t: float) -> float:
    fade = min(1.0, t / 0.2, (SECONDS - t) / 0.2)
    wobble = 1 + 0.05 * math.sin(2 * math.pi * 3 * t)
    return 0.25 * fade * (math.sin(2 * math.pi * 220 * wobble * t)
                          + 0.5 * math.sin(2 * math.pi * 440 * wobble * t)
                          + 0.25 * math.sin(2 * math.pi * 660 * wobble * t))


def main() -> None:
    path = Path(__file__).with_name("voice.wav")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(sample(i / RATE) * 32767))
                                 for i in range(int(RATE * SECONDS))))


if __name__ == "__main__":
    main()
