"""`carebinder verify BUNDLE`: is a bundle (ZIP or folder) whole?

Checks, in order, and stops at the first problem: the ZIP's entries are sane (no paths out
of the folder, no overlapping entries: Python 3.11.7's zipfile does not check that), every
file is listed in SHA256SUMS and every listed file is there with its checksum, the records
packet has the pages and the bookmarks its own list of records says, and each page it lists
as a scan read by OCR carries its invisible text layer.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from app.export.bundle import SUMS_NAME
from app.export.packet import CONTENTS_KEY, PACKET_NAME

MAX_ENTRIES = 100_000


@dataclass(frozen=True)
class VerifyReport:
    problem: str | None  # the first problem found, in plain words
    files_checked: int = 0
    pages: int = 0
    bookmarks: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Bad(Exception):
    pass


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _zip_files(path: Path, password: str | None) -> tuple[list[str], Callable[[str], BinaryIO]]:
    import pyzipper

    try:
        archive: Any = pyzipper.AESZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _Bad(f"{path.name} is not a readable ZIP file ({exc}).") from None
    if password:
        archive.setpassword(password.encode("utf-8"))
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _Bad(f"The ZIP holds {len(infos)} entries: too many for a bundle.")
    spans = sorted((i.header_offset, i.header_offset + i.compress_size, i.filename) for i in infos)
    for (_, end, name), (start, _, following) in itertools.pairwise(spans):
        if start < end:
            raise _Bad(f"The ZIP's entries {name} and {following} overlap: it is damaged.")
    names = []
    for info in infos:
        if not _safe_name(info.filename):
            raise _Bad(f"The ZIP holds an unsafe path: {info.filename!r}.")
        if not info.is_dir():
            names.append(info.filename)
    if any(i.flag_bits & 0x1 for i in infos) and not password:
        raise _Bad("The ZIP is protected by a password: give it to check the files.")

    def open_(name: str) -> BinaryIO:
        try:
            return archive.open(name)
        except RuntimeError as exc:  # a wrong password
            raise _Bad(f"{name} cannot be opened: {exc}.") from None

    return names, open_


def _folder_files(path: Path) -> tuple[list[str], Callable[[str], BinaryIO]]:
    names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())

    def open_(name: str) -> BinaryIO:
        return open(path / name, "rb")

    return names, open_


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(1 << 20):
        yield block


def verify(bundle: Path, password: str | None = None) -> VerifyReport:
    try:
        return _verify(Path(bundle), password)
    except _Bad as exc:
        return VerifyReport(str(exc))


def _verify(bundle: Path, password: str | None) -> VerifyReport:
    if bundle.is_dir():
        names, open_ = _folder_files(bundle)
    elif bundle.is_file():
        names, open_ = _zip_files(bundle, password)
    else:
        raise _Bad(f"There is no bundle at {bundle}.")
    if SUMS_NAME not in names:
        raise _Bad(f"{SUMS_NAME} is missing: the bundle cannot be checked.")
    with open_(SUMS_NAME) as handle:
        listed: dict[str, str] = {}
        for number, line in enumerate(handle.read().decode("utf-8").splitlines(), 1):
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
