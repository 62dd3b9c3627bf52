"""An image's header read straight from its bytes (app/ingest/dicom_elements.py) says exactly
what pydicom says, or is left to pydicom: on every file of pydicom's test set, on headers
made here to be awkward (character sets, sequences, private elements, odd values), and on
headers cut short or damaged byte by byte."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import app.ingest.dicom_header as dicom_header
from app.ingest.dicom_header import DicomHeader, read_header, read_header_with_pydicom
from app.ingest.refusal import Refused
from tests.dicom_files import ADA, image

PYDICOM = "dicom/pydicom-test-files"
Outcome = DicomHeader | tuple[str, str]


def outcome(read: Callable[[Path], DicomHeader], path: Path) -> Outcome:
    try:
        return read(path)
    except Refused as exc:
        return (type(exc).__name__, str(exc))


@pytest.fixture
def left_to_pydicom(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files `read_header` had pydicom read."""
    names: list[str] = []
    reading = dicom_header._read_with_pydicom

    def counted(path: Path, size: int, handle: Any) -> DicomHeader:
        names.append(path.name)
        return reading(path, size, handle)

    monkeypatch.setattr(dicom_header, "_read_with_pydicom", counted)
    yield names


def agree(path: Path, left_to_pydicom: list[str] | None = None) -> Outcome:
    """What `read_header` says of `path`, checked against pydicom's reading (which is not
    counted as left to pydicom)."""
    quick = outcome(read_header, path)
    counted = len(left_to_pydicom) if left_to_pydicom is not None else 0
    reference = outcome(read_header_with_pydicom, path)
    if left_to_pydicom is not None:
        del left_to_pydicom[counted:]
    assert quick == reference, path.name
    return quick


@pytest.mark.corpus
def test_every_dicom_file_of_pydicoms_test_set_reads_as_pydicom_reads_it(
    corpus: Path, left_to_pydicom: list[str]
) -> None:
    files = [
        p
        for p in sorted((corpus / PYDICOM).rglob("*"))
        if p.is_file() and dicom_header.has_preamble(p)
    ]
    assert len(files) > 100
    read = {path: agree(path, left_to_pydicom) for path in files}
    # Most are read without pydicom; what it still reads is the unusual: big endian,
    # deflated, reports and plans, damaged or odd headers.
    quick = len(files) - len(set(left_to_pydicom))
    assert quick > 0.8 * len(files)
    assert "ExplVR_BigEnd.dcm" in left_to_pydicom and "CT_small.dcm" not in left_to_pydicom
    ct = read[corpus / PYDICOM / "CT_small.dcm"]
    assert isinstance(ct, DicomHeader) and ct.modality == "CT" and ct.rows == 128


def save(ds: Any, path: Path, implicit: bool = False) -> Path:
    from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
    ds.save_as(path, enforce_file_format=True)
    return path


def ct(number: int = 1, **facts: Any) -> Any:
    from pydicom.uid import generate_uid

    return image(ADA, generate_uid(), generate_uid(), number, rows=8, columns=8, **facts)


def with_sequences(ds: Any) -> Any:
    """Nested sequences of undefined length, and a private block with a long value that
    sits between the study's elements and the patient's."""
    from pydicom import Dataset
    from pydicom.sequence import Sequence

    inner = Dataset()
    inner.CodeValue, inner.CodingSchemeDesignator, inner.CodeMeaning = "T-D3000", "SRT", "Chest"
    item = Dataset()
    item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    item.ReferencedSOPInstanceUID = "1.2.3.4.5"
    item.AnatomicRegionSequence = Sequence([inner])
    ds.ReferencedImageSequence = Sequence([item, item])
    ds["ReferencedImageSequence"].is_undefined_length = True
    item["AnatomicRegionSequence"].is_undefined_length = True
    for each in (item, inner):
        each.is_undefined_length_sequence_item = True
    ds.add_new(0x00090010, "LO", "ACME IMAGING")
    ds.add_new(0x00091001, "OB", bytes(100_000))  # the header runs past the first read
    ds.add_new(0x00091002, "SQ", Sequence([inner]))
    return ds


def un_sequence(path: Path) -> Path:
    """A private element of VR UN and undefined length: a sequence in implicit VR."""
    data = path.read_bytes()
    placeholder = b"\x09\x00\x20\x10LO\x0c\x00PLACEHOLDER "
    item = b"\x10\x00\x10\x00" + (4).to_bytes(4, "little") + b"ABCD"  # implicit: tag, length
    sequence = (
        b"\x09\x00\x20\x10UN\x00\x00\xff\xff\xff\xff"
        + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
        + item
        + b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
        + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    )
    assert data.count(placeholder) == 1
    path.write_bytes(data.replace(placeholder, sequence))
    return path


def awkward_headers(folder: Path) -> dict[str, Path]:
    from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian

    made: dict[str, Path] = {}

    def add(name: str, ds: Any, implicit: bool = False) -> None:
        made[name] = save(ds, folder / name, implicit)

    latin = ct(description="Poumon  gauche ")
    latin.SpecificCharacterSet = "ISO_IR 100"
    latin.PatientName, latin.InstitutionName = "Müller^Jürgen", "Clínica São José"
    add("latin-1", latin)
    utf8 = ct()
    utf8.SpecificCharacterSet = "ISO_IR 192"
    utf8.PatientName, utf8.SeriesDescription = "Łukasz^Żółć", "Tórax axial"
    add("utf-8", utf8)
    japanese = ct()
    japanese.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    japanese.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    add("japanese", japanese)
    add("implicit", ct(), implicit=True)
    add("sequences", with_sequences(ct()))
    add("sequences implicit", with_sequences(ct()), implicit=True)
    private = ct()
    private.add_new(0x00090010, "LO", "ACME")
    private.add_new(0x00091020, "LO", "PLACEHOLDER")
    add("un sequence", private)
    un_sequence(made["un sequence"])
    several = ct(description="Chest \\Abdomen ", series_description=" Axial \x00")
    several.PatientName = "Example^Ada\\Other^Ada"
    several.SeriesNumber = "3\\4"
    add("several values", several)
    for number in (" 7", "+3", "05", "5.0", "", "1\\2"):
        odd = ct()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydicom says "5.0" is no integer string
            odd.InstanceNumber = number
        add(f"instance number {number!r}", odd)
    empty = ct()
    for keyword in ("PatientName", "StudyDate", "Modality", "SeriesNumber", "Rows"):
        setattr(empty, keyword, None)
    add("empty values", empty)
    no_study = ct()
    del no_study.StudyInstanceUID
    add("no study", no_study)
    for syntax, name in ((ExplicitVRBigEndian, "big endian"), (DeflatedExplicitVRLittleEndian,
                                                               "deflated")):  # fmt: skip
        other = ct()
        other.file_meta.TransferSyntaxUID = syntax
        other.save_as(folder / name, enforce_file_format=True)
        made[name] = folder / name
    lying = save(ct(), folder / "implicit said explicit", implicit=True)
    data = lying.read_bytes()
    implicit_uid = b"1.2.840.10008.1.2\x00"
    lying.write_bytes(data.replace(implicit_uid, b"1.2.840.10008.1.2.1", 1))
    made["implicit said explicit"] = lying
    return made


def test_awkward_headers_read_as_pydicom_reads_them(
    tmp_path: Path, left_to_pydicom: list[str]
) -> None:
    made = awkward_headers(tmp_path)
    read = {name: agree(path, left_to_pydicom) for name, path in made.items()}
    latin, utf8 = read["latin-1"], read["utf-8"]
    assert isinstance(latin, DicomHeader) and isinstance(utf8, DicomHeader)
    assert (latin.patient_name, latin.institution) == ("Müller^Jürgen", "Clínica São José")
    assert latin.study_description == "Poumon gauche"
    assert (utf8.patient_name, utf8.series_description) == ("Łukasz^Żółć", "Tórax axial")
    several = read["several values"]
    assert isinstance(several, DicomHeader)
    assert several.study_description == "Chest\\Abdomen" and several.series_number is None
    no_study = read["no study"]
    assert isinstance(no_study, tuple)
    assert no_study[1].startswith("A DICOM file that does not say which study")
    # Sequences, private elements, other alphabets of one byte and odd padding are read
    # without pydicom; what it must decide is left to it.
    assert set(left_to_pydicom) == {
        "japanese",
        "instance number '5.0'",
        "instance number '1\\\\2'",
        "big endian",
        "deflated",
        "implicit said explicit",
    }


def test_a_header_cut_short_anywhere_reads_as_pydicom_reads_it(tmp_path: Path) -> None:
    whole = save(with_sequences(ct()), tmp_path / "whole")
    data = whole.read_bytes()
    header_end = data.index(b"\xe0\x7f\x10\x00") + 12  # the pixel data element's own header
    cut = tmp_path / "cut"
    for length in [*range(132, 1200), *range(100_000, 101_200, 7), *range(header_end - 8,
                                                                          len(data))]:  # fmt: skip
        cut.write_bytes(data[:length])
        agree(cut)


def test_a_header_damaged_byte_by_byte_reads_as_pydicom_reads_it(tmp_path: Path) -> None:
    data = save(with_sequences(ct()), tmp_path / "whole").read_bytes()
    header_end = data.index(b"\xe0\x7f\x10\x00") + 12
    damaged = tmp_path / "damaged"
    chance = random.Random(19)
    for _ in range(600):
        changed = bytearray(data)
        for _ in range(chance.randint(1, 3)):
            at = chance.choice([chance.randrange(132, 1200), chance.randrange(header_end)])
            changed[at] = chance.randrange(256)
        damaged.write_bytes(changed)
        agree(damaged)
