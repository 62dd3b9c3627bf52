"""Voice recordings of a visit: told by their content, kept as they are, never refused."""

from __future__ import annotations

import struct

import pytest

from app.ingest import sniff
from app.ingest.extract import extract
from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused
from app.records.documents import read_original
from app.records.importer import Outcome, import_bytes
from app.vault.binder import Binder
from tests.fixtures import make_pdf, make_wav

# An MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz) and the silence of one frame.
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)
ID3_TAG = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"TIT2\x00\x00\x00\x00\x00\x00"
OGG_VORBIS = b"OggS\x00\x02" + bytes(20) + b"\x01\x1e\x01vorbis" + bytes(40)
OGG_THEORA = b"OggS\x00\x02" + bytes(20) + b"\x01\x2a\x80theora" + bytes(40)
FLAC = b"fLaC\x80\x00\x00\x22" + bytes(34)


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(brand: bytes, *handlers: bytes) -> bytes:
    """An MP4 file's outline: ftyp, then one track per handler ("soun", "vide")."""
    ftyp = box(b"ftyp", brand + bytes(4) + brand + b"isom")
    tracks = b"".join(
        box(b"trak", box(b"mdia", box(b"hdlr", bytes(8) + handler + bytes(12))))
        for handler in handlers
    )
    return ftyp + box(b"mdat", bytes(64)) + box(b"moov", tracks)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_wav(None), sniff.WAV),
        (ID3_TAG + MP3_FRAME, sniff.MP3),
        (MP3_FRAME * 2, sniff.MP3),
        (OGG_VORBIS, sniff.OGG),
        (FLAC, sniff.FLAC),
        (mp4(b"M4A "), sniff.M4A),
        (mp4(b"mp42", b"soun"), sniff.M4A),
        (mp4(b"isom", b"soun"), sniff.M4A),
    ],
    ids=["wav", "mp3-id3", "mp3-frames", "ogg", "flac", "m4a", "mp42-audio", "isom-audio"],
)
def test_a_recording_is_told_by_its_content(data: bytes, expected: str) -> None:
    assert sniff.sniff(data) == expected
    assert extract(data, "whatever.pdf").media_type == expected, "the name does not decide"


@pytest.mark.parametrize(
    "data",
    [mp4(b"mp42", b"vide", b"soun"), mp4(b"isom"), OGG_THEORA],
    ids=["mp4-video", "mp4-unknown-tracks", "ogg-video"],
)
def test_a_video_is_not_a_recording(data: bytes) -> None:
    assert sniff.sniff(data) not in sniff.AUDIO
    with pytest.raises(Refused, match="does not know this kind of file"):
        extract(data, "visit.mp4")


def test_text_that_starts_like_a_tag_is_still_text() -> None:
    assert sniff.sniff(b"ID3 tags are metadata in MP3 files.\n") == sniff.TEXT
    assert sniff.sniff(make_pdf(None, "RIFF WAVE fLaC OggS")) == sniff.PDF


def test_a_recording_has_no_text_and_a_title_from_its_name() -> None:
    found = extract(make_wav(None), "Dr_Chen-second-opinion.wav")
    assert found.text == ""
    assert found.text_status == "none"
    assert found.pages is None
    assert found.kind is DocumentKind.OTHER
    assert found.title == "Dr Chen second opinion"
    assert found.thumbnail is None


def test_a_recording_is_imported_and_kept_exactly(binder: Binder) -> None:
    data = make_wav(None, seconds=0.5)
    result = import_bytes(binder, 1, data, "visit recording.wav")
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    assert result.document.media_type == sniff.WAV
    assert read_original(binder, result.document.id) == data
    again = import_bytes(binder, 1, data, "copy.wav")
    assert again.status is Outcome.DUPLICATE
    assert sniff.extension_for(sniff.WAV) == ".wav"
