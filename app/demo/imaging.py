"""A small imaging disc for the demo: Eleanor's breast MRI, two series of clearly synthetic
pictures (drawn shapes, not a person's scan), made with pydicom and numpy and imported
through the same path as a real disc."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from app.vault.binder import Binder

SIDE = 128
SLICES = 6
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"


def _slice(index: int, enhanced: bool) -> Any:
    """A drawn phantom: two rounded breasts in front of a chest wall; after contrast, one
    bright spot on the left (the demo's finding)."""
    import numpy as np

    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(float)
    image = np.zeros((SIDE, SIDE))
    for centre in (SIDE * 0.3, SIDE * 0.7):
        inside = ((x - centre) / (SIDE * 0.2)) ** 2 + ((y - SIDE * 0.45) / (SIDE * 0.3)) ** 2 < 1
        image[inside & (y < SIDE * 0.6)] = 300
    image[y >= SIDE * 0.6] = 550  # the chest wall
    image[(y >= SIDE * 0.75) & (abs(x - SIDE / 2) < SIDE * 0.08)] = 800  # the spine
    if enhanced:
        spot = (x - SIDE * 0.72) ** 2 + (y - SIDE * 0.38) ** 2 < (3 + index % 3) ** 2
        image[spot] = 1000
    return (image + (x + index) % 7 * 4).astype(np.uint16)


def write_demo_disc(folder: Path, name: str, born: str) -> None:
    """Write the demo's two series as DICOM files in `folder` (no index: read by a walk)."""
    from pydicom import Dataset
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

    study = generate_uid()
    for number, (description, enhanced) in enumerate(
        (("Axial T1 before contrast", False), ("Axial T1 after contrast", True)), start=1
    ):
        series = generate_uid()
        for index in range(SLICES):
            ds = Dataset()
            ds.file_meta = FileMetaDataset()
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.file_meta.MediaStorageSOPClassUID = UID(MR_IMAGE)
            ds.SOPClassUID = MR_IMAGE
            ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
            ds.PatientName = f"{name.split()[-1]}^{' '.join(name.split()[:-1])}"
            ds.PatientID = "RGH-0048213"
            ds.PatientBirthDate = born.replace("-", "")
            ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
            ds.StudyDate, ds.StudyTime, ds.StudyID = "20260925", "093000", "1"
            ds.AccessionNumber = "RIC-26-1182"
            ds.StudyDescription = "Breast MRI with and without contrast (demo)"
            ds.SeriesDescription = description
            ds.SeriesNumber, ds.InstanceNumber = number, index + 1
            ds.Modality, ds.BodyPartExamined = "MR", "BREAST"
            ds.InstitutionName = "Riverside Imaging Center"
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
            ds.Rows = ds.Columns = SIDE
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
            ds.WindowCenter, ds.WindowWidth = 500, 1000
            ds.PixelData = _slice(index, enhanced).tobytes()
            ds.save_as(folder / f"IM{number}{index:03d}.dcm", enforce_file_format=True)


def add_demo_study(binder: Binder, person_id: int, name: str, born: str) -> None:
    """Import the demo disc for the person (its files are removed right after)."""
    from app.ingest.dicom_disc import read_disc
    from app.records.imaging_import import import_disc

    with tempfile.TemporaryDirectory(prefix="carebinder-demo-disc-") as folder:
        write_demo_disc(Path(folder), name, born)
        report = import_disc(binder, person_id, read_disc(Path(folder)))
    if report.stored != 2 * SLICES:
        raise RuntimeError("the demo imaging study was not imported")
