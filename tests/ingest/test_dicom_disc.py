"""Reading an imaging disc: the DICOMDIR or a walk, every file of pydicom's test files read
or skipped with a reason, the broken DICOMDIR variants, and the pictures (made in the
sandbox, refused calmly for a huge header or a compression no decoder reads)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.ingest.dicom_disc import looks_like_disc, read_disc
from app.ingest.dicom_header import modality_words, read_header
from app.ingest.dicom_picture import NO_DECODER, TOO_LARGE, draw_picture
from app.ingest.refusal import Refused
from tests.dicom_files import ADA, BOB, image, make_disc

PYDICOM = "dicom/pydicom-test-files"


def disc_tree(corpus: Path, folder: Path, index: str | None = "DICOMDIR") -> Path:
    """The corpus's three-patient disc, linked into `folder` with one of its DICOMDIR
    variants as its index (the corpus itself is never copied or changed)."""
    source = corpus / PYDICOM / "dicomdirtests"
    folder.mkdir()
    for patient in ("77654033", "98892001", "98892003"):
        (folder / patient).symlink_to(source / patient, target_is_directory=True)
    if index is not None:
        (folder / "DICOMDIR").symlink_to(source / index)
    return folder


@pytest.mark.corpus
def test_every_file_of_pydicoms_test_files_is_read_or_skipped_with_a_reason(
    corpus: Path,
) -> None:
    folder = corpus / PYDICOM
    files = sorted(p for p in folder.iterdir() if p.is_file())
    kept, refused = {}, {}
    for path in files:
        try:
            kept[path.name] = read_header(path)
        except Refused as exc:
            refused[path.name] = str(exc)
    assert len(kept) + len(refused) == len(files)
    assert all(reason.strip() for reason in refused.values())
    # What a person would check: the scans are there, the rest said plainly.
    assert kept["CT_small.dcm"].modality == "CT"
    assert kept["MR_small_jpeg_ls_lossless.dcm"].patient_name == "CompressedSamples^MR1"
    assert "cut short" in refused["MR_truncated.dcm"]
    assert refused["LICENSE.pydicom"].startswith("Not a DICOM image")
    assert refused["zipMR.gz"].startswith("Not a DICOM image")
    assert "which study" in refused["UN_sequence.dcm"]
    # The same folder read as a disc accounts for every file.
    disc = read_disc(folder)
    listed = disc.images + len(disc.skipped)
    assert listed == disc.files_seen == len(list(p for p in folder.rglob("*") if p.is_file()))
    assert not disc.index_used  # no DICOMDIR at its top


@pytest.mark.corpus
def test_the_corpus_disc_lists_its_patients_studies_and_series_in_plain_words(
    corpus: Path, tmp_path: Path
) -> None:
    disc = read_disc(disc_tree(corpus, tmp_path / "disc"))
    assert disc.index_used and not disc.index_note
    assert disc.images == 31
    names = sorted(p.name for p in disc.patients())
    assert names == ["Archibald Doe", "Peter Doe"]
    words = {s.what for s in disc.studies}
    assert words == {"CT scan", "MRI", "X-ray"}
    brain = next(s for s in disc.studies if s.description == "Brain-MRA")
    assert [(s.description, s.images) for s in brain.series] == [
        ("FAST LOCALIZER", 1),
        ("T/S/C RF FAST PILOT", 3),
        ("ANGIO Projected from C", 7),
    ]
    assert brain.date == "2003-05-05"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("variant", "note"),
    [
        ("DICOMDIR-nooffset", ""),
        ("DICOMDIR-reordered", ""),
        ("DICOMDIR-bigEnd", ""),
        ("DICOMDIR-implicit", ""),
        ("DICOMDIR-nopatient", "damaged"),
        ("DICOMDIR-empty.dcm", "lists no images"),
        (None, ""),
    ],
)
def test_a_broken_or_missing_dicomdir_still_finds_every_image(
    corpus: Path, tmp_path: Path, variant: str | None, note: str
) -> None:
    good = read_disc(disc_tree(corpus, tmp_path / "good"))
    disc = read_disc(disc_tree(corpus, tmp_path / "variant", variant))
    uids = {i.sop_instance_uid for s in disc.studies for se in s.series for i in se.instances}
    expected = {i.sop_instance_uid for s in good.studies for se in s.series for i in se.instances}
    assert uids == expected
    assert len(uids) == 31
    if note:
        assert note in disc.index_note
    else:
        assert disc.index_note == ""


def test_a_disc_with_a_viewer_program_skips_it_and_says_so(tmp_path: Path) -> None:
    written = make_disc(tmp_path / "disc", series=2, images=3)
    disc = read_disc(tmp_path / "disc")
    assert disc.index_used
    assert disc.images == len(written) == 6
    skipped = {Path(s.path).name: s.reason for s in disc.skipped}
    assert skipped == {
        "AUTORUN.INF": "Not a DICOM image (a viewer program or other file).",
        "viewer.exe": "Not a DICOM image (a viewer program or other file).",
    }
    study = disc.studies[0]
    assert (study.what, study.body_part, study.institution) == (
        "CT scan",
        "CHEST",
        "Lakeside Imaging",
    )
    assert (study.date, study.accession_number) == ("2026-03-04", "ACC20260304")


def test_a_file_that_claims_to_be_dicom_but_is_not_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "IM000001"
    fake.write_bytes(b"\0" * 128 + b"DICM" + b"this is not a DICOM header at all " * 20)
    with pytest.raises(Refused, match="not really a DICOM file"):
        read_header(fake)


def test_a_truncated_image_is_refused_and_the_rest_of_the_disc_is_read(tmp_path: Path) -> None:
    written = make_disc(tmp_path / "disc", series=1, images=4, index=False, extras=False)
    victim = sorted((tmp_path / "disc").iterdir())[1]
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) - 1000])
    disc = read_disc(tmp_path / "disc")
    assert disc.images == len(written) - 1
    assert [Path(s.path).name for s in disc.skipped] == [victim.name]
    assert "cut short" in disc.skipped[0].reason


def test_two_patients_on_one_disc_are_told_apart(tmp_path: Path) -> None:
    make_disc(tmp_path / "disc", patients=(ADA, BOB), series=1, images=2)
    disc = read_disc(tmp_path / "disc")
    patients = {p.name: p for p in disc.patients()}
    assert set(patients) == {"Ada Example", "Bob Other"}
    only_bob = disc.only(patients["Bob Other"].key)
    assert [s.patient_name for s in only_bob.studies] == ["Other^Bob"]
    assert only_bob.images == 2


def test_a_header_promising_100000_by_100000_pixels_is_kept_without_a_picture(
    tmp_path: Path,
) -> None:
    from pydicom.uid import generate_uid

    ds = image(ADA, generate_uid(), generate_uid(), 1, pixels=b"\0" * 128)
    del ds.Rows, ds.Columns
    ds.add_new(0x00280010, "UL", 100_000)  # Rows and Columns are 16-bit: a hostile header
    ds.add_new(0x00280011, "UL", 100_000)
    path = tmp_path / "huge.dcm"
    ds.save_as(path, enforce_file_format=True)
    header = read_header(path)  # kept: it is what the disc holds
    assert (header.rows, header.columns) == (100_000, 100_000)
    with pytest.raises(Refused) as refused:
        draw_picture(str(path))
    assert str(refused.value) == TOO_LARGE  # refused before decoding, not by running out


def test_a_compression_no_decoder_reads_gets_a_calm_no_picture(tmp_path: Path) -> None:
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEG2000Lossless, generate_uid

    ds = image(ADA, generate_uid(), generate_uid(), 1, rows=8, columns=8)
    ds.file_meta.TransferSyntaxUID = JPEG2000Lossless
    ds.PixelData = encapsulate([b"\xff\x4f" + b"compressed" * 8])
    ds["PixelData"].VR = "OB"
    path = tmp_path / "part2.dcm"
    ds.save_as(path, enforce_file_format=True)
    # JPEG 2000 Part 2 (multi-component): a real transfer syntax no decoder plugin reads.
    raw = path.read_bytes().replace(b"1.2.840.10008.1.2.4.90", b"1.2.840.10008.1.2.4.92", 1)
    path.write_bytes(raw)
    assert read_header(path).transfer_syntax_uid == "1.2.840.10008.1.2.4.92"
    with pytest.raises(Refused) as refused:
        draw_picture(str(path))
    assert str(refused.value) == NO_DECODER


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "MR_small_jpeg_ls_lossless.dcm",
        "MR_small_jp2klossless.dcm",
        "MR_small_RLE.dcm",
        "JPGExtended.dcm",
    ],
)
def test_compressed_images_get_a_picture_with_the_decoders_installed(
    corpus: Path, name: str
) -> None:
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(draw_picture(str(corpus / PYDICOM / name))))
    assert picture.format == "PNG"
    assert picture.size[0] > 0 and len(set(picture.tobytes())) > 10  # a real image, not flat


def test_a_picture_follows_the_header_window(tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    make_disc(tmp_path / "disc", series=1, images=1, extras=False)
    disc = read_disc(tmp_path / "disc")
    chosen = disc.studies[0].series[0].representative()
    assert chosen is not None
    picture = Image.open(BytesIO(draw_picture(chosen.path))).convert("L")
    # The synthetic image rises left to right; its ring is brightest: window 40/400.
    row = [picture.getpixel((x, 2)) for x in range(0, picture.size[0], 8)]
    assert row == sorted(row) and row[0] < row[-1]


def test_modalities_in_plain_words() -> None:
    assert modality_words(["CT"]) == "CT scan"
    assert modality_words(["PT", "CT"]) == "PET-CT"
    assert modality_words(["MG"]) == "mammogram"
    assert modality_words(["US"]) == "ultrasound"
    assert modality_words(["CR"]) == "X-ray"
    assert modality_words(["MR", "SR"]) == "MRI"


def test_a_dropped_folder_is_a_disc_when_it_holds_a_dicomdir_or_mostly_dicom(
    tmp_path: Path,
) -> None:
    make_disc(tmp_path / "indexed", series=1, images=2)
    make_disc(tmp_path / "loose", series=1, images=5, index=False)
    letters = tmp_path / "letters"
    letters.mkdir()
    for n in range(4):
        (letters / f"letter {n}.txt").write_text("Dear doctor")
    assert looks_like_disc([tmp_path / "indexed"])
    assert looks_like_disc([tmp_path / "loose"])
    assert not looks_like_disc([letters])
    assert looks_like_disc(sorted((tmp_path / "loose").glob("*.dcm")))
    os.chmod(letters, 0o755)
