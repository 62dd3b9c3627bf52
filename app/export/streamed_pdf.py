"""A PDF written front to back into a stream: pages copied object by object out of
documents opened with pikepdf (qpdf) and renumbered on the way, then the page tree, the
bookmarks and the cross-reference table at the end.

Why not qpdf's own writer: pikepdf copies the stream data of every page added from
another document into memory at once, and holds all of it until the file is saved, so the
memory a packet needs grew with the size of the originals. Here each document's objects
are written out as they are reached, and the document is closed before the next one is
opened: memory holds one document's structure and one stream at a time.

qpdf still parses, repairs and decrypts each source, and serialises each object
(`unparse`); only the object numbers are ours.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

HEADER_VERSION = "1.7"
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_LETTER_BOX = (0, 0, 612, 792)
_LENGTH = re.compile(rb"/Length (?:\d+ \d+ R|[-+]?[\d.]+)(?=[\s/>\[<(])")


def _tokens(marker: bytes) -> re.Pattern[bytes]:
    """In qpdf's serialisation a literal string has every parenthesis escaped, names escape
    delimiters, and hex strings hold only hex digits: so outside the strings matched first,
    "n g R" is always a reference, and a `marker` name always one of ours."""
    return re.compile(
        rb"(\((?:[^\\)]|\\.)*\))"
        rb"|(?<![\w.#+-])(\d+) (\d+) R(?![\w.#])"
        rb"|" + re.escape(marker) + rb"(\d+)(?![\w.#-])",
        re.S,
    )


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


class StreamedPdf:
    """Objects go to `sink` as soon as they are complete; `finish` writes the rest."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._offsets: list[int] = [0]  # by object number; 0 is the free head
        self._at = 0
        self._pages: list[int] = []
        self._version = HEADER_VERSION
        # Different in every packet, so no source can hold a name that reads as ours.
        self._marker = f"/CareBinder-{secrets.token_hex(6)}-"
        self._tokens = _tokens(self._marker.encode())
        self._layers: list[int] = []  # optional content groups, and those shown off
        self._layers_off: list[int] = []
        self._catalog = self.reserve()
        self._tree = self.reserve()
        self._write(b"%PDF-" + HEADER_VERSION.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def marker(self, number: int) -> Any:
        """A name to put in a source document where a reference to object `number` of this
        file belongs; it is written as that reference."""
        import pikepdf

        return pikepdf.Name(f"{self._marker}{number}")

    def add_object(self, body: bytes) -> int:
        """An object of our own (a dictionary, say) from its serialised body."""
        number = self.reserve()
        self._put(number, body)
        return number

    def add_stream(self, data: bytes, entries: bytes = b"") -> int:
        number = self.reserve()
        self._put_stream(number, b"<< " + entries + b" /Length %d >>" % len(data), data)
        return number

    def add_stream_from(self, entries: bytes, length: int, pieces: Iterable[bytes]) -> int:
        """A stream whose `length` bytes of data arrive in `pieces`, written as they come."""
        number = self.reserve()
        self._offsets[number] = self._at
        self._write(b"%d 0 obj\n<< " % number + entries + b" /Length %d >>\nstream\n" % length)
        written = 0
        for piece in pieces:
            self._write(piece)
            written += len(piece)
        if written != length:
            raise ValueError(f"the data was {written} bytes, not {length}")
        self._write(b"\nendstream\nendobj\n")
        return number

    def add_page(self, entries: bytes) -> int:
        """A page of our own, from its dictionary's entries (all but /Type and /Parent)."""
        number = self.reserve()
        self._put(number, b"<< /Type /Page /Parent %d 0 R " % self._tree + entries + b" >>")
        self._pages.append(number)
        return number

    def copy_object(self, pdf: Any, obj: Any) -> int:
        """Copy an indirect object of `pdf` and everything it refers to; its number here."""
        copier = _Copier(self, pdf)
        number = copier.number(obj.objgen)
        copier.drain()
        return number

    def copy_pages(
        self, pdf: Any, prepare: Callable[[Any, int], None] = lambda page, index: None
    ) -> list[int]:
        """Append every page of `pdf`, with what the pages need. `prepare(page, index)` may
        change each page's dictionary first (it owns its inherited attributes by then).
        Returns the pages' numbers here."""
        self._version = max(self._version, str(pdf.pdf_version), key=_version_key)
        copier = _Copier(self, pdf)
        pages = [page.obj for page in pdf.pages]
        numbers = [copier.number(page.objgen, queue=False) for page in pages]
        for index, page in enumerate(pages):
            _own_inherited(page)
            prepare(page, index)
        parent = b"/Parent %d 0 R " % self._tree
        for page, number in zip(pages, numbers, strict=True):
            if self._offsets[number] < 0:  # a page listed twice in its tree is written once
                self._put(number, b"<< " + parent + copier.body(page.unparse(resolved=True))[3:])
        self._carry_layers(pdf, copier)
        copier.drain()
        self._pages += numbers
        return numbers

    def _carry_layers(self, pdf: Any, copier: _Copier) -> None:
        """The source's optional content groups (layers), and which of them are off, so that
        a layer hidden in the original stays hidden in the packet."""
        import pikepdf

        found = pdf.Root.get("/OCProperties")
        groups = found.get("/OCGs") if isinstance(found, pikepdf.Dictionary) else None
        if not isinstance(groups, pikepdf.Array):
            return
        config = found.get("/D")
        config = config if isinstance(config, pikepdf.Dictionary) else pikepdf.Dictionary()

        def listed(key: str) -> set[tuple[int, int]]:
            value = config.get(key)
            items: Any = value if isinstance(value, pikepdf.Array) else []
            return {g.objgen for g in items if isinstance(g, pikepdf.Dictionary)}

        on, off = listed("/ON"), listed("/OFF")
        all_off = config.get("/BaseState") == pikepdf.Name.OFF
        for group in groups:
            if not (isinstance(group, pikepdf.Dictionary) and group.is_indirect):
                continue
            number = copier.number(group.objgen)
            if number not in self._layers:
                self._layers.append(number)
                if group.objgen in off or (all_off and group.objgen not in on):
                    self._layers_off.append(number)

    def finish(self, outline: Sequence[tuple[str, int]], info: dict[str, str]) -> None:
        """Write the page tree, the bookmarks (title, page number here), the catalog, the
        document information and the cross-reference table."""
        kids = b" ".join(b"%d 0 R" % n for n in self._pages)
        self._put(
            self._tree, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self._pages), kids)
        )
        catalog = b"<< /Type /Catalog /Pages %d 0 R" % self._tree
        if outline:
            catalog += b" /Outlines %d 0 R /PageMode /UseOutlines" % self._write_outline(outline)
        if self._layers:
            groups = b" ".join(b"%d 0 R" % n for n in self._layers)
            off = b" ".join(b"%d 0 R" % n for n in self._layers_off)
            layers = b"/OCGs [ %s ] /D << /Order [ %s ] /OFF [ %s ] >>" % (groups, groups, off)
            catalog += b" /OCProperties << " + layers + b" >>"
        if self._version != HEADER_VERSION:
            catalog += b" /Version /" + self._version.encode("ascii")
        self._put(self._catalog, catalog + b" >>")
        entries = b" ".join(_name(key) + b" " + text_string(value) for key, value in info.items())
        information = self.reserve()
        self._put(information, b"<< " + entries + b" >>")
        unwritten = [n for n, at in enumerate(self._offsets) if at < 0]
        if unwritten:
            raise ValueError(f"objects {unwritten[:5]} were reserved but never written")
        start = self._at
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets)]
        rows += [b"%010d 00000 n \n" % at for at in self._offsets[1:]]
        self._write(b"".join(rows))
        ident = secrets.token_hex(16).encode()
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\n"
            % (len(self._offsets), self._catalog, information, ident, ident)
            + b"startxref\n%d\n%%%%EOF\n" % start
        )

    def _write_outline(self, marks: Sequence[tuple[str, int]]) -> int:
        root = self.reserve()
        items = [self.reserve() for _ in marks]
        for index, ((title, page), number) in enumerate(zip(marks, items, strict=True)):
            links = b"/Parent %d 0 R" % root
            if index:
                links += b" /Prev %d 0 R" % items[index - 1]
            if index + 1 < len(items):
                links += b" /Next %d 0 R" % items[index + 1]
            target = b" /Dest [ %d 0 R /Fit ] >>" % page
            self._put(number, b"<< /Title " + text_string(title) + b" " + links + target)
        self._put(
            root,
            b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
            % (items[0], items[-1], len(items)),
        )
        return root

    def _put(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._at
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        self._offsets[number] = self._at
        self._write(b"%d 0 obj\n" % number + dictionary + b"\nstream\n")
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def _write(self, data: bytes) -> None:
        self._sink.write(data)
        self._at += len(data)


class _Copier:
    """One source document's objects, numbered here as they are first reached."""

    def __init__(self, out: StreamedPdf, pdf: Any) -> None:
        self._out, self._pdf = out, pdf
        self._numbers: dict[tuple[int, int], int] = {}
        self._todo: list[tuple[int, int]] = []
        self._marker = out._marker.encode()
        # The source's catalog and page tree stay behind: a reference to them (a link's
        # stray /Parent, say) would otherwise pull in the whole source document.
        self._left = {pdf.Root.objgen, *_tree_nodes(pdf.Root.get("/Pages"))}

    def number(self, objgen: tuple[int, int], queue: bool = True) -> int:
        number = self._numbers.get(objgen)
        if number is None:
            number = self._numbers[objgen] = self._out.reserve()
            if queue:
                self._todo.append(objgen)
        return number

    def body(self, text: bytes) -> bytes:
        if b" R" not in text and self._marker not in text:
            return text
        return self._out._tokens.sub(self._renumber, text)

    def _renumber(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:  # a string, left as it is
            return match.group(1)
        if match.group(4) is not None:  # one of our objects
            return match.group(4) + b" 0 R"
        objgen = (int(match.group(2)), int(match.group(3)))
        if objgen in self._left:
            return b"null"
        return b"%d 0 R" % self.number(objgen)

    def drain(self) -> None:
        import pikepdf

        while self._todo:
            objgen = self._todo.pop()
            number = self._numbers[objgen]
            obj = self._pdf.get_object(objgen)
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()
                self._out._put_stream(number, self.body(_with_length(obj, len(data))), data)
            elif isinstance(obj, pikepdf.Object):
                self._out._put(number, self.body(obj.unparse(resolved=True)))
            else:  # pikepdf hands numbers, booleans and null over as Python's own
                self._out._put(number, _scalar(obj))


def _scalar(value: object) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        return format(Decimal(value), "f").encode("ascii")
    raise ValueError(f"an object of an unknown kind ({type(value).__name__})")


def _with_length(stream: Any, length: int) -> bytes:
    """The stream's dictionary with /Length the size of the data as written (the source's
    may be a reference, or wrong and repaired by qpdf)."""
    import pikepdf

    text: bytes = stream.stream_dict.unparse()
    if text.count(b"/Length ") == 1 and "/Length" in stream.stream_dict:
        return _LENGTH.sub(b"/Length %d" % length, text, count=1)
    copy = pikepdf.Dictionary(stream.stream_dict)  # /Length in a string or a nested dictionary
    if "/Length" in copy:
        del copy["/Length"]
    copy.Length = length
    return bytes(copy.unparse())


def _own_inherited(page: Any) -> None:
    """Give the page the attributes it inherits from its page tree, which stays behind, and
    cut it loose from that tree."""
    import pikepdf

    missing = [key for key in _INHERITED if key not in page]
    node, depth = page.get("/Parent"), 0
    while missing and isinstance(node, pikepdf.Dictionary) and depth < 64:
        for key in [k for k in missing if k in node]:
            page[key] = node[key]
            missing.remove(key)
        node, depth = node.get("/Parent"), depth + 1
    if "/MediaBox" in missing:
        page.MediaBox = pikepdf.Array(_LETTER_BOX)
    if "/Resources" in missing:
        page.Resources = pikepdf.Dictionary()
    if "/Parent" in page:
        del page["/Parent"]


def _tree_nodes(node: Any) -> set[tuple[int, int]]:
    """The page tree's inner nodes (not its pages)."""
    import pikepdf

    found: set[tuple[int, int]] = set()
    stack = [node]
    while stack and len(found) < 100_000:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == pikepdf.Name.Page:
            continue
        if node.is_indirect:
            if node.objgen in found:
                continue
            found.add(node.objgen)
        kids = node.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
    return found


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


def _name(key: str) -> bytes:
    import pikepdf

    return bytes(pikepdf.Name(key).unparse())


def text_string(value: str) -> bytes:
    """A PDF text string: plain ASCII as a literal, anything else as UTF-16 with its mark."""
    if value.isascii() and value.isprintable():
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<feff" + value.encode("utf-16-be").hex().encode("ascii") + b">"
