"""`carebinder verify BUNDLE`: is a bundle (ZIP or folder) whole?

Checks, in order, and stops at the first problem: the ZIP is no bomb and its entries are
sane, before anything is decompressed (zip_guard.py: entry count, names, sizes, ratios,
overlapping entries, which Python 3.11.7's zipfile does not check), every file is listed in
SHA256SUMS and every listed file is there with its checksum, the records packet has the
pages and the bookmarks its own list of records says, and each page it lists as a scan read
by OCR carries its invisible text layer. What is decompressed is counted
(`VerifyReport.unpacked`) and never more than an entry declares.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from app.export import zip_guard
from app.export.bundle import SUMS_NAME
from app.export.packet import CONTENTS_KEY, PACKET_NAME


@dataclass(frozen=True)
class VerifyReport:
    problem: str | None  # the first problem found, in plain words
    files_checked: int = 0
    pages: int = 0
    bookmarks: int = 0
    unpacked: int = 0  # bytes read out of the bundle's files (decompressed, for a ZIP)

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Bad(Exception):
    pass


Opener = Callable[[str], BinaryIO]


def _zip_files(
    path: Path, password: str | None, count: Callable[[int], None], stack: ExitStack
) -> tuple[list[str], Opener]:
    import pyzipper

    try:
        handle = stack.enter_context(path.open("rb"))
    except OSError as exc:
        raise _Bad(f"{path.name} cannot be read ({exc.strerror}).") from None
    try:
        directory = zip_guard.read_directory(handle)
        zip_guard.check_directory(directory)  # before zipfile makes an object per entry
        try:
            archive: Any = pyzipper.AESZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _Bad(f"{path.name} is not a readable ZIP file ({exc}).") from None
        infos = archive.infolist()
        entries = [
            zip_guard.Entry(i.filename, i.header_offset, i.compress_size, i.file_size)
            for i in infos
        ]
        size = path.stat().st_size
        zip_guard.check_entries(handle, entries, directory, size, SUMS_NAME)
    except zip_guard.ZipRefused as exc:
        raise _Bad(str(exc)) from None
    names = [info.filename for info in infos if not info.is_dir()]
    if any(i.flag_bits & 0x1 for i in infos) and not password:
        raise _Bad("The ZIP is protected by a password: give it to check the files.")
    if password:
        archive.setpassword(password.encode("utf-8"))
    declared = {info.filename: info.file_size for info in infos}

    def open_(name: str) -> BinaryIO:
        try:
            inner = archive.open(name)
        except RuntimeError as exc:  # a wrong password
            raise _Bad(f"{name} cannot be opened: {exc}.") from None
        return io.BufferedReader(zip_guard.Bounded(inner, declared[name], count), 1 << 20)

    return names, open_


def _folder_files(path: Path, count: Callable[[int], None]) -> tuple[list[str], Opener]:
    names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())

    def open_(name: str) -> BinaryIO:
        size = (path / name).stat().st_size
        return io.BufferedReader(zip_guard.Bounded(open(path / name, "rb"), size, count))

    return names, open_


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(1 << 20):
        yield block


def verify(bundle: Path, password: str | None = None) -> VerifyReport:
    unpacked = [0]

    def count(size: int) -> None:
        unpacked[0] += size

    try:
        with ExitStack() as stack:
            report = _verify(Path(bundle), password, count, stack)
    except _Bad as exc:
        return VerifyReport(str(exc), unpacked=unpacked[0])
    except zip_guard.ZipRefused as exc:  # an entry yielding more than it declared
        return VerifyReport(str(exc), unpacked=unpacked[0])
    return replace(report, unpacked=unpacked[0])


def _verify(
    bundle: Path, password: str | None, count: Callable[[int], None], stack: ExitStack
) -> VerifyReport:
    if bundle.is_dir():
        names, open_ = _folder_files(bundle, count)
    elif bundle.is_file():
        names, open_ = _zip_files(bundle, password, count, stack)
    else:
        raise _Bad(f"There is no bundle at {bundle}.")
    if SUMS_NAME not in names:
        raise _Bad(f"{SUMS_NAME} is missing: the bundle cannot be checked.")
    with open_(SUMS_NAME) as handle:
        text = handle.read(zip_guard.MAX_LIST_SIZE + 1)
        if len(text) > zip_guard.MAX_LIST_SIZE:  # a folder's: a ZIP's was refused before
            raise _Bad(f"{SUMS_NAME} is far larger than a list of checksums. It was not read.")
        listed: dict[str, str] = {}
        try:
            lines = text.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise _Bad(f"{SUMS_NAME} is not a list of checksums.") from None
        for number, line in enumerate(lines, 1):
            digest, sep, name = line.partition("  ")
            if not sep or len(digest) != 64:
                raise _Bad(f"Line {number} of {SUMS_NAME} is not a checksum line.")
            listed[name] = digest
    present = set(names) - {SUMS_NAME}
    for name in sorted(present - set(listed)):
        raise _Bad(f"{name} is in the bundle but not in {SUMS_NAME}.")
    for name, digest in listed.items():
        if name not in present:
            raise _Bad(f"{name} is listed in {SUMS_NAME} but missing from the bundle.")
        hashed = hashlib.sha256()
        with open_(name) as handle:
            for block in _chunks(handle):
                hashed.update(block)
        if hashed.hexdigest() != digest:
            raise _Bad(f"{name} does not match its checksum: it was changed or damaged.")
    if PACKET_NAME not in present:
        raise _Bad(f"{PACKET_NAME} is missing.")
    with open_(PACKET_NAME) as handle:
        data = handle.read()
    pages, bookmarks, originals = _check_packet(data)
    for original in originals:
        if original and original not in present:
            raise _Bad(f"The packet lists the original {original}, but it is not in the bundle.")
    return VerifyReport(None, len(listed), pages, bookmarks)


def _check_packet(data: bytes) -> tuple[int, int, list[str]]:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            contents = json.loads(str(pdf.docinfo[CONTENTS_KEY]))
            count = len(pdf.pages)
            marks = _bookmarks(pdf)
    except KeyError:
        raise _Bad(
            f"{PACKET_NAME} has no list of its records: it was not made by CareBinder."
        ) from None
    except Exception as exc:
        raise _Bad(f"{PACKET_NAME} cannot be read as a PDF ({exc.__class__.__name__}).") from None
    records = contents["records"]
    if count != contents["pages"]:
        raise _Bad(f"{PACKET_NAME} has {count} pages; its records need {contents['pages']}.")
    expected = sum(r["pages"] for r in records) + (records[0]["start"] - 1 if records else 0)
    if expected != count:
        raise _Bad(f"{PACKET_NAME}: the records' pages add up to {expected}, not {count}.")
    if len(marks) != len(records):
        raise _Bad(f"{PACKET_NAME} has {len(marks)} bookmarks for {len(records)} records.")
    for (title, page), record in zip(marks, records, strict=True):
        if title != record["title"] or page is None or page != record["start"] - 1:
            where = f"page {page + 1}" if page is not None else "no page"
            raise _Bad(
                f"{PACKET_NAME}: the bookmark “{title}” points to {where}, "
                f"but “{record['title']}” starts on page {record['start']}."
            )
    scanned = [int(n) for r in records for n in r.get("ocr_pages", [])]
    if scanned:
        _check_text_layers(data, scanned)
    return count, len(marks), [str(r.get("original", "")) for r in records]


def _bookmarks(pdf: Any) -> list[tuple[str, int | None]]:
    """The packet's top-level bookmarks: (title, index of the page it opens, or None)."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    marks: list[tuple[str, int | None]] = []
    with pdf.open_outline() as outline:
        for item in outline.root:
            target = item.destination
            if target is None and item.action is not None:
                target = item.action.get("/D")
            page = None
            if target is not None and len(target) > 0:  # [page /Fit]
                page = pages.get(target[0].objgen)
            marks.append((str(item.title), page))
    return marks


def _check_text_layers(data: bytes, pages: list[int]) -> None:
    """Each of these pages (1-based) draws some text in invisible ink (render mode 3)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number in pages:
            if not 1 <= number <= len(pdf.pages) or not _has_text_layer(pdf.pages[number - 1]):
                raise _Bad(
                    f"{PACKET_NAME}: page {number} is a scanned page, but the text read from "
                    "it is missing, so it cannot be searched."
                )


def _has_text_layer(page: Any) -> bool:
    import pikepdf

    invisible = False
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, name = instruction.operands, str(instruction.operator)
        if name == "Tr":
            invisible = bool(operands) and int(operands[0]) == 3
        elif name == "BT":
            invisible = False
        elif name in ("Tj", "TJ") and invisible and operands:
            shown = operands[0]
            if isinstance(shown, pikepdf.String) and bytes(shown).strip():
                return True
            if isinstance(shown, pikepdf.Array) and any(
                isinstance(item, pikepdf.String) and bytes(item).strip() for item in shown
            ):
                return True
    return False
