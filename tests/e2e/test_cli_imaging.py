"""`carebinder imaging import|list|copy` as a user runs them, on the corpus's disc."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.dicom_files import make_disc


@pytest.mark.corpus
def test_the_corpus_disc_imports_with_its_patient_chosen_and_lists_its_studies(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    disc = corpus / "dicom/pydicom-test-files/dicomdirtests"
    assert cli.run("init", "--person", "Peter Doe").code == 0
    asked = cli.run("imaging", "import", str(disc))
    assert asked.code == 2
    assert "3 patients" in asked.err and "Archibald Doe" in asked.err and "--patient" in asked.err

    done = cli.run("imaging", "import", str(disc), "--patient", "Peter Doe", "--json")
    assert done.code == 0, done.err
    report = done.json()
    assert report["stored"] == 24 and report["already"] == 0
    assert sorted(s["what"] for s in report["studies"]) == ["CT scan", "MRI", "MRI", "MRI"]
    skipped = {Path(p["path"]).name for p in report["problems"]}
    assert {"README.txt", "DICOMDIR-bigEnd"} <= skipped  # said, not imported
    assert all(not p["image"] for p in report["problems"])

    listed = cli.run("imaging", "list", "--json").json()
    brain = next(s for s in listed if s["description"] == "Brain-MRA")
    assert [(r["description"], r["images"]) for r in brain["series_list"]] == [
        ("FAST LOCALIZER", 1),
        ("T/S/C RF FAST PILOT", 3),
        ("ANGIO Projected from C", 7),
    ]
    assert all(r["picture"] for r in brain["series_list"])

    again = cli.run("imaging", "import", str(disc), "--patient", "98890234", "--json").json()
    assert (again["stored"], again["already"]) == (0, 24)

    stick = tmp_path / "stick"
    stick.mkdir()
    copied = cli.run("imaging", "copy", str(stick), "--study", str(brain["id"]), "--json")
    assert copied.code == 0, copied.err
    assert Path(copied.json()["index"]).is_file()
    check = cli.run("check")
    assert check.code == 0, check.out + check.err


def test_a_truncated_image_is_reported_and_the_rest_imported(cli: Cli, tmp_path: Path) -> None:
    make_disc(tmp_path / "disc", series=1, images=3, index=False)
    victim = sorted((tmp_path / "disc").glob("*.dcm"))[0]
    victim.write_bytes(victim.read_bytes()[:-500])
    assert cli.run("init", "--person", "Ada Example").code == 0
    done = cli.run("imaging", "import", str(tmp_path / "disc"))
    assert done.code == 1  # some images could not be imported; the others were
    assert f"{victim.name}: This image file is cut short" in done.err
    assert "Import finished: 2 images kept, 1 new study, 1 image not imported" in done.out


def test_the_bundle_leaves_the_studies_out_unless_kinds_names_them(
    cli: Cli, tmp_path: Path
) -> None:
    from tests.fixtures import make_pdf

    make_disc(tmp_path / "disc", series=1, images=2)
    make_pdf(tmp_path / "report.pdf", "PATHOLOGY REPORT\nFINAL DIAGNOSIS: ...")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "report.pdf")).code == 0
    assert cli.run("imaging", "import", str(tmp_path / "disc")).code == 0
    every = cli.run("export", str(tmp_path / "all"), "--json").json()
    assert every["imaging_studies"] == 1 and "Imaging/DICOMDIR" in every["files"]
    only = cli.run("export", str(tmp_path / "path"), "--kinds", "pathology", "--json").json()
    assert only["imaging_studies"] == 0 and not any(n.startswith("Imaging/") for n in only["files"])
    both = cli.run("export", str(tmp_path / "b"), "--kinds", "pathology,studies", "--json")
    assert json.loads(both.out)["imaging_studies"] == 1
