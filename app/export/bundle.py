"""The bundle for the second-opinion doctor: a ZIP (optionally AES-encrypted) or a folder,
laid out as in ../shared/DESIGN.md section 5, readable with no CareBinder.

`build_bundle` is a plain long operation (progress callback, cancel flag). It writes under a
temporary name beside the target and renames at the very end, so on an error, a cancel, a
full disk or a pulled-out stick nothing is left under the final name and the temporary
one is removed. Originals are streamed from the encrypted store into the bundle chunk by
chunk, and each one is read whole into memory only while its packet pages are made.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from app.export.bundle_options import BundleOptions, BundleResult
from app.export.contents import Entry, Inclusion
from app.export.facts import Facts, gather
from app.export.imaging_fileset import INDEX, FileSetPlan, plan_file_set
from app.export.names import UniqueNames, extension, safe_part
from app.export.packet import PACKET_NAME, PacketError, layout, plan, write_packet
from app.export.redaction import redact_facts
from app.export.share import log_bundle
from app.export.writer_thread import PIECE, write_all
from app.progress import CancelFlag, Progress, no_progress
from app.records.errors import RecordsError
from app.records.imaging import ImagingStudy
from app.records.models import Document
from app.vault.atomic import describe_os_error, fsync_dir
from app.vault.binder import Binder

SUMS_NAME = "SHA256SUMS"
IMAGING_FOLDER = "Imaging"
ALREADY_COMPRESSED = (".pdf", ".jpg", ".jpeg", ".png", ".heic", ".tif", ".zip", ".docx")


class BundleError(RecordsError):
    """The bundle could not be made; nothing was left under the target's name."""


class NothingToExport(BundleError):
    """The selection holds no record."""


def select_documents(binder: Binder, facts: Facts, options: BundleOptions) -> list[Document]:
    """The chosen records of the snapshot, oldest first (undated ones last)."""
    docs = list(facts.documents)
    held = len(docs)
    if options.document_ids is not None:
        wanted = set(options.document_ids)
        docs = [d for d in docs if d.id in wanted]
    elif options.preselected:
        from app.records.readiness import bundle_document_ids

        wanted = set(bundle_document_ids(binder, facts.person.id))
        docs = [d for d in docs if d.id in wanted]
    if options.kinds:
        docs = [d for d in docs if d.kind in options.kinds]
    if options.since:
        docs = [d for d in docs if d.date and d.date >= options.since]
    if not docs:
        if not held:
            raise NothingToExport("There is nothing to export: this person has no records yet.")
        raise NothingToExport(
            f"No record matches this choice (the person has {held} records). Choose other "
            "kinds, an earlier date, or other records."
        )
    return sorted(docs, key=lambda d: (d.date is None, d.date or "", d.id))


def select_studies(facts: Facts, options: BundleOptions) -> tuple[ImagingStudy, ...]:
    """The imaging studies to enclose: those marked for bundles, or the ones chosen."""
    studies = facts.imaging
    if options.study_ids is not None:
        wanted = set(options.study_ids)
        studies = tuple(s for s in facts.imaging if s.id in wanted)
    if options.since:
        since = options.since
        studies = tuple(s for s in studies if s.date and s.date >= since)
    return studies


def record_paths(docs: Sequence[Document]) -> dict[int, str]:
    names = UniqueNames()
    paths = {}
    for doc in docs:
        folder = "records/" + safe_part(doc.kind.label, 40, "other")
        stem = f"{doc.date or 'undated'} {safe_part(doc.title)}"
        paths[doc.id] = names.take(folder, stem, extension(doc.media_type, doc.original_name))
    return paths


class _Hashing:
    """Passes writes on, hashing them, unless their SHA-256 is `known` already."""

    def __init__(self, sink: BinaryIO, known: str | None = None) -> None:
        self.sink, self.known = sink, known
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        if self.known is None:
            self.hash.update(data)
        self.sink.write(data)
        return len(data)

    def flush(self) -> None:
        self.sink.flush()

    def hexdigest(self) -> str:
        return self.known or self.hash.hexdigest()


class _Writer:
    """Where the bundle's files go: a ZIP or a folder, both under a temporary name."""

    def __init__(self, temp: Path, folder: bool, password: str | None) -> None:
        self.temp, self.folder = temp, folder
        self.sums: dict[str, str] = {}
        self._zip: Any = None
        self._stamp = datetime.now().timetuple()[:6]
        if folder:
            temp.mkdir()
        elif password:
            import pyzipper

            self._zip = pyzipper.AESZipFile(
                temp, "w", compression=zipfile.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
            )
            self._zip.setpassword(password.encode("utf-8"))
        else:
            self._zip = zipfile.ZipFile(temp, "w", allowZip64=True)

    @contextlib.contextmanager
    def open(self, name: str, sha256: str | None = None, stored: bool = False) -> Iterator[Any]:
        """Write the file `name`; its SHA-256 goes into SHA256SUMS (`sha256` when known).
        `stored`: kept as it is in the ZIP (images: deflating them gains little and costs
        much)."""
        if self.folder:
            path = self.temp / name
            # Never `parents=True`: a folder removed with the stick must not be made again.
            folder = self.temp
            for part in Path(name).parts[:-1]:
                folder = folder / part
                folder.mkdir(exist_ok=True)
            with open(path, "xb") as handle:
                hashing = _Hashing(handle, sha256)
                yield hashing
                handle.flush()
                os.fsync(handle.fileno())
        else:
            # pyzipper wants ZipInfo objects of its own class.
            info = getattr(self._zip, "zipinfo_cls", zipfile.ZipInfo)(name, self._stamp)
            info.external_attr = 0o644 << 16
            stored = stored or name.lower().endswith(ALREADY_COMPRESSED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with self._zip.open(info, "w", force_zip64=True) as handle:
                hashing = _Hashing(handle, sha256)
                yield hashing
        self.sums[name] = hashing.hexdigest()

    def add(self, name: str, data: bytes) -> None:
        with self.open(name) as handle:
            handle.write(data)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            with open(self.temp, "rb+") as handle:
                os.fsync(handle.fileno())

    def discard(self) -> None:
        if self._zip is not None:
            with contextlib.suppress(Exception):
                self._zip.close()
        with contextlib.suppress(OSError):
            if self.temp.is_dir():
                shutil.rmtree(self.temp)
            else:
                self.temp.unlink()


def write_imaging(
    binder: Binder, writer: _Writer, plan: FileSetPlan, step: Callable[[str], None]
) -> None:
    """Imaging/: the studies as a DICOM file set, each image byte for byte from the store
    (its SHA-256 from the import), under the index written for them."""
    step(f"{IMAGING_FOLDER}/{INDEX}")
    writer.add(f"{IMAGING_FOLDER}/{INDEX}", plan.dicomdir)
    for member in plan.members:
        step(f"{IMAGING_FOLDER}/{member.path}")
        name = f"{IMAGING_FOLDER}/{member.path}"
        with writer.open(name, member.instance.sha256, stored=True) as handle:
            chunks = binder.files.iter_plain(member.instance.file_name)
            if member.instance.size > PIECE:
                write_all(handle, chunks)
            else:
                for chunk in chunks:
                    handle.write(chunk)


def build_bundle(
    binder: Binder,
    person_id: int,
    target: Path,
    options: BundleOptions | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> BundleResult:
    """Write the bundle to `target` (a .zip file, or a folder). Raises `BundleError` with a
    plain message, or `Cancelled`; either way nothing is left under `target`."""
    from app.export import sheets, summary_sheet
    from app.export.calendar import calendar_bytes
    from app.export.fhir import patient_summary
    from app.export.readme import readme_text
    from app.export.timeline_pdf import timeline_pdf
    from app.export.treatment_summary_pdf import treatment_summary_pdf

    options = options or BundleOptions()
    cancel = cancel or CancelFlag()
    target = Path(os.path.abspath(target))
    folder = options.folder if options.folder is not None else target.suffix.lower() != ".zip"
    if folder and options.password:
        raise BundleError("A password protects a ZIP file: give a target ending in .zip.")
    if target.exists() or target.is_symlink():
        raise BundleError(f"{target} already exists. Choose a new name; nothing was replaced.")
    if not target.parent.is_dir():
        raise BundleError(f"The folder {target.parent} does not exist.")
    # The person's records read once; withheld values masked once, in the snapshot and the
    # records' descriptions. Every file below is made from these two.
    raw = gather(binder, person_id, options.for_doctor)
    facts: Facts = redact_facts(raw, options.redaction)
    docs = select_documents(binder, facts, options)
    paths = record_paths(docs)
    facts = replace(facts, imaging=select_studies(facts, options))
    imaging = plan_file_set(binder, [s.id for s in facts.imaging]) if facts.imaging else None

    total = len(docs) * 3 + 7 + (len(imaging.members) + 1 if imaging else 0)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        cancel.raise_if_cancelled()
        progress(done, total, what)
        done += 1

    entries: list[Entry] = []
    for doc in docs:
        step(doc.title)
        entries += plan(binder, [doc], paths)

    temp = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    writer: _Writer | None = None
    # Noted in the binder before a byte is written: if the process dies, the next open
    # removes the plaintext left in the user's folder (Binder.pending_export).
    with binder.pending_export(temp):
        try:
            writer = _Writer(temp, folder, options.password)
            step("README.txt")
            writer.add("README.txt", readme_text(facts, entries, bool(options.password)).encode())
            laid_out = layout(facts, entries, facts.for_doctor)  # page numbers, for the summary
            step("Summary.pdf")
            writer.add("Summary.pdf", summary_sheet.summary_pdf(facts, entries, docs))
            step(PACKET_NAME)
            with writer.open(PACKET_NAME) as handle:

                def saving(percent: int) -> None:
                    cancel.raise_if_cancelled()
                    progress(done, total, f"{PACKET_NAME} ({percent}%)")

                pages = write_packet(binder, facts, entries, laid_out, handle, step, saving)
            step("Medications.pdf")
            writer.add("Medications.pdf", sheets.medications_pdf(facts))
            step("Treatment summary.pdf")
            hidden = options.redaction
            summary_pdf = treatment_summary_pdf(binder, person_id, facts, redaction=hidden, raw=raw)
            writer.add("Treatment summary.pdf", summary_pdf)
            writer.add(
                "Timeline.pdf", timeline_pdf(binder, person_id, facts, redaction=hidden, raw=raw)
            )
            writer.add("Questions.pdf", sheets.questions_pdf(facts))
            for entry in entries:
                if entry.inclusion is Inclusion.MISSING:
                    continue
                step(entry.path)
                # The original's SHA-256 was taken at import, and the store's authentication
                # vouches that these are the same bytes: no need to hash them again.
                with writer.open(entry.path, entry.document.sha256) as handle:
                    chunks = binder.files.iter_plain(entry.document.file_name)
                    if entry.document.size > PIECE:  # decrypting overlaps with storing
                        write_all(handle, chunks)
                    else:
                        for chunk in chunks:
                            handle.write(chunk)
            if imaging is not None:
                write_imaging(binder, writer, imaging, step)
            step("patient-summary.json")
            writer.add("patient-summary.json", patient_summary(facts, entries))
            repeats = facts.recurrences
            ics = calendar_bytes(list(facts.appointments), binder.binder_id, recurrences=repeats)
            writer.add("appointments.ics", ics)
            sums = "".join(f"{digest}  {name}\n" for name, digest in writer.sums.items())
            writer.add(SUMS_NAME, sums.encode("utf-8"))
            cancel.raise_if_cancelled()
            writer.close()
            if target.exists():
                raise BundleError(f"{target} appeared while the bundle was written; it was kept.")
            os.rename(temp, target)
            with contextlib.suppress(OSError):  # in place; some USB file systems cannot sync
                fsync_dir(target.parent)
        except OSError as exc:
            if writer is not None:
                writer.discard()
            raise BundleError(describe_os_error(exc, target.parent)) from exc
        except PacketError as exc:
            if writer is not None:
                writer.discard()
            raise BundleError(str(exc)) from exc
        except BaseException:
            if writer is not None:
                writer.discard()
            else:
                with contextlib.suppress(OSError):
                    temp.unlink()
            raise
    progress(total, total, "")
    result = BundleResult(target, entries, dict(writer.sums), pages, len(facts.imaging))
    log_bundle(binder, person_id, options, result, facts.for_doctor)
    return result
