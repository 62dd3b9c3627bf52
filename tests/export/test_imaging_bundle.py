"""Imaging in the bundle and on a stick: a standard DICOM file set whose DICOMDIR reads back
with pydicom (the same studies, series and SOP Instance UIDs) over images byte-identical to
the disc's; listed in README.txt and Summary.pdf; in SHA256SUMS; left out by choice. And the
pathology department's letter."""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from pathlib import Path

import pytest

from app.export.bundle import build_bundle
from app.export.bundle_options import BundleOptions
from app.export.imaging_fileset import write_file_set
from app.export.request_letter import request_letter_pdf
from app.ingest.dicom_disc import read_disc
from app.ingest.extract import Options
from app.records.imaging import list_studies, set_in_bundle
from app.records.imaging_import import import_disc
from app.records.importer import import_bytes
from app.records.records_requests import add_request
from app.records.request_letters import save_letter_details
from app.vault.binder import Binder
from tests.dicom_files import BOB, make_disc
from tests.fixtures import make_pdf


def person_id(binder: Binder) -> int:
    return int(binder.db.execute("SELECT id FROM people").fetchone()[0])


def disc_content(folder: Path) -> dict[str, tuple[str, str, str]]:
    """SOP Instance UID -> (study UID, series UID, SHA-256) of each image on a disc."""
    disc = read_disc(folder)
    return {
        i.sop_instance_uid: (
            s.study_uid,
            se.series_uid,
            hashlib.sha256(Path(i.path).read_bytes()).hexdigest(),
        )
        for s in disc.studies
        for se in s.series
        for i in se.instances
    }


def file_set_content(folder: Path) -> dict[str, tuple[str, str, str]]:
    """The same, read back through the file set's DICOMDIR with pydicom's FileSet."""
    import pydicom
    from pydicom.fileset import FileSet

    file_set = FileSet(pydicom.dcmread(folder / "DICOMDIR"))
    found = {}
    for instance in file_set:
        series = instance.node.parent
        study = series.parent
        found[instance.ReferencedSOPInstanceUIDInFile] = (
            study._record.StudyInstanceUID,
            series._record.SeriesInstanceUID,
            hashlib.sha256(Path(instance.path).read_bytes()).hexdigest(),
        )
    return found


@pytest.fixture
def two_studies(binder: Binder, tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """Ada's binder with two imaging studies (CT of March, MRI of May), and a document."""
    pid = person_id(binder)
    make_disc(tmp_path / "ct", series=2, images=3)
    make_disc(tmp_path / "mri", series=1, images=2, modality="MR", study_date="20260510",
              description="Brain", accession="ACC-MRI-1")  # fmt: skip
    for disc in ("ct", "mri"):
        import_disc(binder, pid, read_disc(tmp_path / disc))
    import_bytes(binder, pid, make_pdf(None, "PATHOLOGY REPORT\nFINAL DIAGNOSIS: ..."),
                 "pathology.pdf", options=Options(ocr=False))  # fmt: skip
    return {**disc_content(tmp_path / "ct"), **disc_content(tmp_path / "mri")}


def test_the_bundle_holds_imaging_as_a_dicom_file_set_byte_identical_to_the_discs(
    binder: Binder, tmp_path: Path, two_studies: dict[str, tuple[str, str, str]]
) -> None:
    target = tmp_path / "bundle.zip"
    result = build_bundle(binder, person_id(binder), target)
    assert result.studies == 2
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        imaging = [n for n in names if n.startswith("Imaging/")]
        assert "Imaging/DICOMDIR" in imaging and len(imaging) == 1 + 8
        # Stored as they are: deflating images gains little and costs much.
        images = [n for n in imaging if n != "Imaging/DICOMDIR"]
        assert all(archive.getinfo(n).compress_type == zipfile.ZIP_STORED for n in images)
        archive.extractall(tmp_path / "opened")
        readme = archive.read("README.txt").decode()
        sums = archive.read("SHA256SUMS").decode()
    assert file_set_content(tmp_path / "opened" / "Imaging") == two_studies
    for name in imaging:
        assert f"  {name}\n" in sums
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "opened", capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    assert "2026-03-04  CT scan: Chest with contrast (6 images)" in readme
    assert "2026-05-10  MRI: Brain (2 images)" in readme
    assert "open the file Imaging/DICOMDIR with a DICOM viewer" in readme
    summary = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "opened" / "Summary.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Imaging studies" in summary and "open its" in summary
    assert "Chest with contrast" in summary and "Brain" in summary


def test_a_study_can_be_left_out_and_the_export_can_leave_them_all_out(
    binder: Binder, tmp_path: Path, two_studies: dict[str, tuple[str, str, str]]
) -> None:
    pid = person_id(binder)
    ct, mri = sorted(list_studies(binder, pid), key=lambda s: s.date or "")
    set_in_bundle(binder, ct.id, False)  # "Put this study in bundles" unticked
    build_bundle(binder, pid, tmp_path / "one", BundleOptions(folder=True))
    found = file_set_content(tmp_path / "one" / "Imaging")
    assert {v[0] for v in found.values()} == {mri.study_uid}
    build_bundle(binder, pid, tmp_path / "none", BundleOptions(folder=True, study_ids=()))
    assert not (tmp_path / "none" / "Imaging").exists()
    assert "Imaging/" not in (tmp_path / "none" / "README.txt").read_text()


def test_copy_to_a_stick_writes_the_chosen_studies_with_their_own_dicomdir(
    binder: Binder, tmp_path: Path, two_studies: dict[str, tuple[str, str, str]]
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    ids = [s.id for s in list_studies(binder, person_id(binder))]
    first = write_file_set(binder, ids, stick)
    assert first.name.startswith("Imaging for Ada Example ")
    assert file_set_content(first) == two_studies
    again = write_file_set(binder, ids[:1], stick)  # a second copy never replaces the first
    assert again != first and again.name.endswith("(2)")
    assert len(file_set_content(again)) in (2, 6)
    assert [p.name for p in stick.iterdir() if p.name.startswith(".")] == []


def test_the_dicomdir_of_two_patients_keeps_them_apart(binder: Binder, tmp_path: Path) -> None:
    pid = person_id(binder)
    make_disc(tmp_path / "ada", series=1, images=1)
    make_disc(tmp_path / "bob", patients=(BOB,), series=1, images=1)
    for disc in ("ada", "bob"):
        import_disc(binder, pid, read_disc(tmp_path / disc))
    import pydicom

    folder = write_file_set(binder, [s.id for s in list_studies(binder, pid)], tmp_path)
    index = pydicom.dcmread(folder / "DICOMDIR")
    patients = [r for r in index.DirectoryRecordSequence if r.DirectoryRecordType == "PATIENT"]
    assert sorted(str(r.PatientName) for r in patients) == ["Example^Ada", "Other^Bob"]
    assert len(file_set_content(folder)) == 2


def test_the_pathology_letter_asks_for_slides_and_a_block_of_the_named_case(
    binder: Binder, tmp_path: Path
) -> None:
    request = add_request(
        binder,
        person_id(binder),
        "Riverside General Hospital",
        "",
        department="Department of Pathology",
        items="slides,blocks",
        case_number="S26-04417",
        ship_to="Surgical Pathology, Northgate Cancer Institute, 400 Harbor Road, Boston",
        return_needed=True,
    )
    save_letter_details(binder, request.id, patient_contact="12 Elm Street\n(217) 555-0142")
    path = tmp_path / "letter.pdf"
    path.write_bytes(request_letter_pdf(binder, request.id))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "Request for pathology slides and blocks: Ada Example" in words
    assert "Dear Pathology Department," in words
    assert "S26-04417" in words
    assert "H&E slides and every immunostain" in words
    assert "representative paraffin block" in words
    assert "Northgate Cancer Institute" in words
    assert "returned to you after the review" in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert any(line.split() == ["Pages:", "1"] for line in info.stdout.splitlines())
    # The records department's letter is unchanged for a request without physical items.
    plain = add_request(binder, person_id(binder), "Riverside General Hospital", "All records")
    other = tmp_path / "records.pdf"
    other.write_bytes(request_letter_pdf(binder, plain.id))
    plain_text = subprocess.run(
        ["pdftotext", str(other), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dear Records Department," in plain_text and "slides" not in plain_text


def test_the_dicomdir_written_in_one_pass_is_the_one_pydicom_reads_back_and_rewrites(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pydicom
    import pydicom.uid

    from app.export import imaging_fileset

    pid = person_id(binder)
    make_disc(tmp_path / "ada", series=3, images=4)
    make_disc(tmp_path / "bob", patients=(BOB,), series=2, images=2, description="Tête")
    for disc in ("ada", "bob"):
        import_disc(binder, pid, read_disc(tmp_path / disc))
    ids = [s.id for s in list_studies(binder, pid)]
    monkeypatch.setattr(pydicom.uid, "generate_uid", lambda *args, **kwargs: "1.2.3.4")
    read_back = imaging_fileset.dicomdir_bytes(imaging_fileset._records(binder, ids)[0], False)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was read back")

    monkeypatch.setattr(pydicom, "dcmread", no_reading)
    in_one_pass = imaging_fileset.dicomdir_bytes(imaging_fileset._records(binder, ids)[0])
    assert in_one_pass == read_back
    assert b"T\xc3\xaate" in in_one_pass  # the accented description, in UTF-8
