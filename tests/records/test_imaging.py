"""Importing imaging discs into the binder: studies kept byte for byte and never twice, the
report linked, the patient checked, two patients on one disc, a disc pulled out mid-import,
Cancel, and removing a study."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from app.ingest.dicom_disc import read_disc
from app.ingest.extract import Options
from app.progress import CancelFlag
from app.records.errors import InvalidValue
from app.records.imaging import (
    find_report,
    get_study,
    list_instances,
    list_series,
    list_studies,
    remove_study,
)
from app.records.imaging_import import import_disc
from app.records.importer import import_bytes
from app.records.models import DocumentKind
from app.records.people import add_person
from app.vault.binder import Binder
from tests.dicom_files import ADA, BOB, make_disc
from tests.fixtures import make_pdf


def person_id(binder: Binder) -> int:
    return int(binder.db.execute("SELECT id FROM people").fetchone()[0])


def sums_on_disc(folder: Path) -> dict[str, str]:
    """SOP Instance UID -> SHA-256 of each image file on the disc."""
    disc = read_disc(folder)
    return {
        i.sop_instance_uid: hashlib.sha256(Path(i.path).read_bytes()).hexdigest()
        for s in disc.studies
        for se in s.series
        for i in se.instances
    }


def test_a_disc_becomes_a_study_kept_byte_for_byte_and_a_second_import_adds_nothing(
    binder: Binder, tmp_path: Path
) -> None:
    make_disc(tmp_path / "disc", series=2, images=3)
    pid = person_id(binder)
    report = import_disc(binder, pid, read_disc(tmp_path / "disc"))
    assert report.stored == 6 and report.already == 0 and not report.cancelled
    assert [Path(p.path).name for p in report.problems] == ["AUTORUN.INF", "viewer.exe"]
    (study,) = list_studies(binder, pid)
    assert (study.title, study.date, study.images, study.series_count) == (
        "CT scan: Chest with contrast",
        "2026-03-04",
        6,
        2,
    )
    assert (study.institution, study.accession_number, study.body_part) == (
        "Lakeside Imaging",
        "ACC20260304",
        "CHEST",
    )
    series = list_series(binder, study.id)
    assert [s.label for s in series] == ["Series 1 (3 images)", "Series 2 (3 images)"]
    assert all(s.picture and s.picture.startswith(b"\x89PNG") for s in series)
    expected = sums_on_disc(tmp_path / "disc")
    for instance in list_instances(binder, study.id):
        stored = binder.files.read(instance.file_name)
        assert hashlib.sha256(stored).hexdigest() == expected[instance.sop_instance_uid]
        assert instance.sha256 == expected[instance.sop_instance_uid]
    files_before = sorted(binder.files.names())

    again = import_disc(binder, pid, read_disc(tmp_path / "disc"))
    assert again.stored == 0 and again.already == 6
    assert sorted(binder.files.names()) == files_before
    assert len(list_studies(binder, pid)) == 1


def test_the_study_links_to_the_imaging_report_of_its_date_and_accession_number(
    binder: Binder, tmp_path: Path
) -> None:
    pid = person_id(binder)
    text = "CT CHEST WITH CONTRAST\nAccession: ACC20260304\nDate of service: 03/04/2026"
    other = "CT ABDOMEN\nAccession: ACC99990000\nDate of service: 03/04/2026"
    ours = import_bytes(binder, pid, make_pdf(None, text), "ct chest.pdf", DocumentKind.IMAGING,
                        options=Options(ocr=False)).document  # fmt: skip
    import_bytes(binder, pid, make_pdf(None, other), "ct abdomen.pdf", DocumentKind.IMAGING,
                 options=Options(ocr=False))  # fmt: skip
    assert ours is not None and ours.date == "2026-03-04"
    make_disc(tmp_path / "disc", series=1, images=1)
    import_disc(binder, pid, read_disc(tmp_path / "disc"))
    (study,) = list_studies(binder, pid)
    assert study.report_document_id == ours.id
    assert find_report(binder, pid, "2026-03-04", "ACC99990000") != ours.id


def test_a_disc_of_someone_else_is_said_plainly(binder: Binder, tmp_path: Path) -> None:
    pid = person_id(binder)  # Ada Example, born 1970-01-31
    make_disc(tmp_path / "bob", patients=(BOB,), series=1, images=1)
    report = import_disc(binder, pid, read_disc(tmp_path / "bob"))
    assert any("“Bob Other”, not “Ada Example”" in w for w in report.warnings)
    assert any(
        "the birth date 5 May 1955; Ada Example's is 31 Jan 1970" in w for w in report.warnings
    )
    make_disc(tmp_path / "ada", patients=(ADA,), series=1, images=1)
    assert import_disc(binder, pid, read_disc(tmp_path / "ada")).warnings == ()


def test_a_disc_holding_two_patients_asks_which_and_keeps_only_that_one(
    binder: Binder, tmp_path: Path
) -> None:
    pid = person_id(binder)
    make_disc(tmp_path / "disc", patients=(ADA, BOB), series=1, images=2)
    disc = read_disc(tmp_path / "disc")
    with pytest.raises(InvalidValue, match=r"2 patients: Ada Example.*Bob Other"):
        import_disc(binder, pid, disc)
    assert list_studies(binder, pid) == [] and binder.files.names() == []
    ada = next(p for p in disc.patients() if p.name == "Ada Example")
    report = import_disc(binder, pid, disc.only(ada.key))
    assert report.stored == 2
    assert [s.patient_name for s in list_studies(binder, pid)] == ["Example^Ada"]


def test_a_disc_pulled_out_mid_import_keeps_what_was_stored_whole_and_reports_the_rest(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.records.imaging_import as importing

    monkeypatch.setattr(importing, "BATCH_FILES", 3)  # commit every three images
    make_disc(tmp_path / "disc", series=2, images=5)
    disc = read_disc(tmp_path / "disc")
    expected = sums_on_disc(tmp_path / "disc")
    pulled = tmp_path / "pulled out"

    def progress(done: int, total: int, label: str) -> None:
        if done == 7 and not pulled.exists():
            (tmp_path / "disc").rename(pulled)  # the stick is gone

    report = import_disc(binder, person_id(binder), disc, progress)
    assert report.stored == 7
    lost = [p for p in report.problems if p.path.endswith(tuple("0123456789"))]
    assert len(lost) == 3
    assert all("taken out" in p.reason for p in lost)
    (study,) = list_studies(binder, person_id(binder))
    assert study.images == 7
    for instance in list_instances(binder, study.id):
        stored = hashlib.sha256(binder.files.read(instance.file_name)).hexdigest()
        assert stored == expected[instance.sop_instance_uid]
    assert binder.check().ok
    # Put back, the same disc completes the study and stores nothing twice.
    pulled.rename(tmp_path / "disc")
    again = import_disc(binder, person_id(binder), read_disc(tmp_path / "disc"))
    assert (again.stored, again.already) == (3, 7)


def test_cancel_keeps_the_images_before_it_and_a_new_import_finishes(
    binder: Binder, tmp_path: Path
) -> None:
    make_disc(tmp_path / "disc", series=1, images=6)
    disc = read_disc(tmp_path / "disc")
    flag = CancelFlag()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append((done, total))
        if done == 4:
            flag.cancel()  # while the fifth image is being kept: it finishes, then it stops

    report = import_disc(binder, person_id(binder), disc, progress, flag)
    assert report.cancelled and report.stored == 5 and report.not_reached == 1
    assert report.summary().startswith("Import stopped: 5 images kept")
    assert seen[0] == (0, 6)
    assert list_studies(binder, person_id(binder))[0].images == 5
    finished = import_disc(binder, person_id(binder), read_disc(tmp_path / "disc"))
    assert (finished.stored, finished.already) == (1, 5)


def test_removing_a_study_removes_its_images_and_nothing_else(
    binder: Binder, tmp_path: Path
) -> None:
    pid = person_id(binder)
    other = add_person(binder, "Bob Other", "1955-05-05")
    make_disc(tmp_path / "disc", series=1, images=2)
    import_disc(binder, pid, read_disc(tmp_path / "disc"))
    shutil.copytree(tmp_path / "disc", tmp_path / "copy")
    import_disc(binder, other.id, read_disc(tmp_path / "copy"))  # the same images, Bob's
    (ada_study,) = list_studies(binder, pid)
    names = {i.file_name for i in list_instances(binder, ada_study.id)}
    remove_study(binder, ada_study.id)
    assert list_studies(binder, pid) == []
    assert names <= set(binder.files.names())  # Bob's study still names them
    (bob_study,) = list_studies(binder, other.id)
    remove_study(binder, bob_study.id)
    assert not names & set(binder.files.names())
    with pytest.raises(Exception, match="no imaging study"):
        get_study(binder, bob_study.id)


def another_patients_copy(path: Path) -> None:
    """The file as another disc in the same drive would hold it: the same size and path,
    another patient's header."""
    data = path.read_bytes()
    assert data.count(b"CB-0001") == 1
    path.write_bytes(data.replace(b"CB-0001", b"CB-0999"))


@pytest.mark.parametrize("in_memory", [True, False], ids=["read once", "too large to hold"])
def test_an_image_that_changed_since_the_disc_was_read_is_refused_and_the_rest_kept(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: bool
) -> None:
    import app.records.imaging_import as importing

    if not in_memory:  # every image takes the way of files too large to hold in memory
        monkeypatch.setattr(importing, "IN_MEMORY_LIMIT", 1024)
    make_disc(tmp_path / "disc", series=1, images=5, index=False, extras=False)
    disc = read_disc(tmp_path / "disc")
    expected = sums_on_disc(tmp_path / "disc")
    swapped, grown, cut = sorted((tmp_path / "disc").iterdir())[1:4]
    another_patients_copy(swapped)
    grown.write_bytes(grown.read_bytes() + b"\0" * 10)
    cut.write_bytes(cut.read_bytes()[:-10])

    report = import_disc(binder, person_id(binder), disc)
    assert report.stored == 2
    reasons = {Path(p.path).name: p.reason for p in report.problems}
    assert reasons[swapped.name].startswith("This file is no longer the one read")
    assert "changed while it was being imported" in reasons[grown.name]
    assert "changed while it was being imported" in reasons[cut.name]
    (study,) = list_studies(binder, person_id(binder))
    for instance in list_instances(binder, study.id):
        stored = hashlib.sha256(binder.files.read(instance.file_name)).hexdigest()
        assert stored == instance.sha256 == expected[instance.sop_instance_uid]
    assert b"CB-0999" not in b"".join(
        binder.files.read(i.file_name) for i in list_instances(binder, study.id)
    )
    assert binder.check().ok


def test_a_failure_mid_import_keeps_every_image_made_durable_before_it(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.records.imaging_import as importing

    monkeypatch.setattr(importing, "BATCH_FILES", 3)  # parts of three images
    make_disc(tmp_path / "disc", series=2, images=5)
    disc = read_disc(tmp_path / "disc")

    def progress(done: int, total: int, label: str) -> None:
        if done == 7:
            raise RuntimeError("the window went away")  # with seven images read

    with pytest.raises(RuntimeError):
        import_disc(binder, person_id(binder), disc, progress)
    (study,) = list_studies(binder, person_id(binder))
    assert study.images == 6  # the two parts made durable; the seventh was in none yet
    assert binder.check().ok
    again = import_disc(binder, person_id(binder), read_disc(tmp_path / "disc"))
    assert (again.stored, again.already) == (4, 6)
