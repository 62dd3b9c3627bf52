"""Imaging discs made by the tests with pydicom and numpy: fictional patients, clearly
synthetic images (a bright ring on a gradient), written as a real DICOM file set with
pydicom's own `FileSet` (a DICOMDIR and PT/ST/SE/IM folders), with a viewer program and an
autorun file beside it, as hospital discs have."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"


@dataclass(frozen=True)
class Patient:
    name: str = "Example^Ada"
    patient_id: str = "CB-0001"
    born: str = "19700131"


ADA = Patient()
BOB = Patient("Other^Bob", "CB-0002", "19550505")


def picture(rows: int, columns: int, seed: int = 0) -> Any:
    import numpy as np

    y, x = np.mgrid[0:rows, 0:columns]
    radius = np.hypot(y - rows / 2, x - columns / 2)
    ring = (np.abs(radius - min(rows, columns) / 3 - seed % 5) < 3) * 900
    # Stored values rise left to right across the CT window (40 HU wide 400 after -1024).
    return (x * 6 + 900 + ring + seed).astype(np.uint16)


def image(
    patient: Patient,
    study_uid: str,
    series_uid: str,
    number: int,
    *,
    modality: str = "CT",
    study_date: str = "20260304",
    description: str = "Chest with contrast",
    series_description: str = "Axial 5 mm",
    series_number: int = 1,
    accession: str = "ACC20260304",
    institution: str = "Lakeside Imaging",
    rows: int = 64,
    columns: int = 64,
    pixels: bytes | None = None,
) -> Any:
    """One CT image as a pydicom Dataset, ready to save."""
    from pydicom import Dataset
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = CT_IMAGE
    sop = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.SOPClassUID = CT_IMAGE
    ds.SOPInstanceUID = sop
    ds.PatientName = patient.name
    ds.PatientID = patient.patient_id
    ds.PatientBirthDate = patient.born
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.StudyDate = study_date
    ds.StudyTime = "101500"
    ds.StudyID = "1"
    ds.AccessionNumber = accession
    ds.StudyDescription = description
    ds.SeriesDescription = series_description
    ds.SeriesNumber = series_number
    ds.InstanceNumber = number
    ds.Modality = modality
    ds.BodyPartExamined = "CHEST"
    ds.InstitutionName = institution
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    ds.PixelData = pixels if pixels is not None else picture(rows, columns, number).tobytes()
    return ds


def make_disc(
    folder: Path,
    patients: tuple[Patient, ...] = (ADA,),
    series: int = 2,
    images: int = 3,
    *,
    index: bool = True,
    extras: bool = True,
    **facts: Any,
) -> list[Any]:
    """A disc in `folder`: for each patient one study of `series` series of `images` images.
    Returns the datasets written (their SOP Instance UIDs are the images to find)."""
    from pydicom.fileset import FileSet
    from pydicom.uid import generate_uid

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    file_set = FileSet()
    for patient in patients:
        study_uid = generate_uid()
        for s in range(series):
            series_uid = generate_uid()
            for i in range(images):
                ds = image(
                    patient,
                    study_uid,
                    series_uid,
                    i + 1,
                    series_number=s + 1,
                    series_description=f"Series {s + 1}",
                    **facts,
                )
                written.append(ds)
                if index:
                    file_set.add(ds)
                else:
                    path = folder / f"IMG{len(written):05d}.dcm"
                    ds.save_as(path, enforce_file_format=True)
    if index:
        file_set.write(folder)
    if extras:
        (folder / "AUTORUN.INF").write_text("[autorun]\nopen=viewer.exe\n")
        (folder / "viewer.exe").write_bytes(b"MZ" + bytes(range(256)) * 40)
    return written
