"""Turning what a browser recorded, or a file someone chose, into audio every phone plays.

Anything FFmpeg reads (through PyAV, no shell) is decoded, mixed down to mono at 48 kHz,
its loudness normalised (EBU R128 ``loudnorm``, to -16 LUFS with peaks under -1.5 dBTP,
so that every word in a kit sounds about as loud as the next) and encoded twice: Opus in
Ogg, the stored form whose SHA-256 a signed wording carries, and AAC in MPEG-4 for
iPhones before iOS 18.4, which play neither Ogg nor WebM Opus. Both are written with
FFmpeg's bit-exact flags, so the same sound always gives the same bytes and is stored once.

Input that is not audio, holds no sound, uses a codec this build cannot decode, or runs
over the length limit raises :class:`~glossary.errors.InputError` with a message for the
person who sent it; nothing is stored by this module.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

import av
import av.error
from av.audio.stream import AudioStream

from ..errors import InputError
from ..i18n import _l

RATE = 48_000
OPUS_BITRATE = 32_000
AAC_BITRATE = 64_000
LOUDNESS = "I=-16:TP=-1.5:LRA=11"
MIN_MS = 300


@dataclass(frozen=True)
class Converted:
    """One recording in the forms the app keeps: ``ogg`` (Opus), ``m4a`` (AAC), their
    length in milliseconds and ``sha256``, the hex SHA-256 of ``ogg``."""

    ogg: bytes
    m4a: bytes
    duration_ms: int

    @property
    def sha256(self) -> str:
        """The content hash the recording is stored and signed under."""
        return hashlib.sha256(self.ogg).hexdigest()


def convert(data: bytes, *, max_seconds: int) -> Converted:
    """Decode ``data`` (any container and codec FFmpeg reads) and return it normalised as
    Ogg/Opus and MPEG-4/AAC. Raises :class:`InputError` for a file that is not audio, has
    no sound, uses a codec that cannot be decoded, is cut off, is shorter than 0.3 s or
    longer than ``max_seconds``."""
    frames = _decode(data, max_seconds=max_seconds)
    samples = sum(frame.samples for frame in frames)
    duration_ms = samples * 1000 // RATE
    if duration_ms < MIN_MS:
        raise InputError(_l("The recording is empty or too short to hear."), field="audio")
    return Converted(ogg=encode(frames, fmt="ogg", codec="libopus", bit_rate=OPUS_BITRATE),
                     m4a=encode(frames, fmt="ipod", codec="aac", bit_rate=AAC_BITRATE),
                     duration_ms=duration_ms)


def _not_audio() -> InputError:
    return InputError(_l("This file is not a sound recording that can be read. Record "
                         "again, or choose an audio file (for example Ogg, WebM, MP3, "
                         "M4A or WAV)."), field="audio")


def _too_long(max_seconds: int) -> InputError:
    return InputError(_l("The recording is too long: at most %(seconds)d seconds.",
                         seconds=max_seconds), field="audio")


def _decode(data: bytes, *, max_seconds: int) -> list:
    """Every frame of the first audio stream, normalised, mono, 48 kHz, float planar."""
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError, UnicodeDecodeError) as error:
        raise _not_audio() from error
    with container:
        streams = container.streams.audio
        if not streams:
            raise _not_audio()
        stream = streams[0]
        if stream.duration and stream.time_base and (
                float(stream.duration * stream.time_base) > max_seconds + 1):
            raise _too_long(max_seconds)
        try:
            return _filtered(container, stream, max_seconds=max_seconds)
        except av.error.FFmpegError as error:
            raise InputError(_l("The recording could not be decoded: it may be cut off, "
                                "or its codec is not supported. Record or upload it again."),
                             field="audio") from error


def _filtered(container, stream, *, max_seconds: int) -> list:
    if stream.codec_context is None or stream.codec_context.name is None:
        raise _not_audio()
    graph = None
    frames: list = []
    limit = (max_seconds + 1) * RATE
    total = 0

    def drain(graph) -> None:
        nonlocal total
        while True:
            try:
                frame = graph.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            total += frame.samples
            if total > limit:
                raise _too_long(max_seconds)
            frames.append(frame)

    for frame in container.decode(stream):
        if graph is None:
            graph = _graph(frame)
        frame.pts = None
        graph.push(frame)
        drain(graph)
    if graph is None:
        raise InputError(_l("The recording is empty or too short to hear."), field="audio")
    graph.push(None)
    drain(graph)
    return frames


def _graph(first):
    """abuffer -> mono 48 kHz -> loudnorm -> 48 kHz float planar mono -> sink."""
    graph = av.filter.Graph()
    source = graph.add_abuffer(format=first.format.name, sample_rate=first.sample_rate,
                               layout=first.layout.name, time_base=first.time_base)
    chain = [source,
             graph.add("aresample", f"{RATE}"),
             graph.add("aformat", "sample_fmts=fltp:channel_layouts=mono"),
             graph.add("loudnorm", LOUDNESS),
             graph.add("aresample", f"{RATE}"),
             graph.add("aformat", f"sample_fmts=fltp:channel_layouts=mono:sample_rates={RATE}"),
             graph.add("abuffersink")]
    for left, right in zip(chain, chain[1:], strict=False):
        left.link_to(right)
    graph.configure()
    return graph


def encode(frames: list, *, fmt: str, codec: str, bit_rate: int) -> bytes:
    """Mono 48 kHz float frames, in order, encoded with ``codec`` into a ``fmt`` file,
    bit-exact: the same frames always give the same bytes."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=fmt, options={"fflags": "+bitexact"}) as container:
        stream = cast(AudioStream, container.add_stream(codec, rate=RATE, layout="mono"))
        stream.bit_rate = bit_rate
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        pts = 0
        for frame in frames:
            frame.pts = pts
            frame.time_base = Fraction(1, RATE)
            pts += frame.samples
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
