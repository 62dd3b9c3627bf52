"""A PDF written as it goes: each record's pages are written to the output and forgotten,
so making a packet of thousands of pages needs the memory of one record, not of the packet.

pypdf prepares one record at a time (its pages, with the footer laid over them) in a small
writer of its own; this module copies that record's objects out under new numbers, then
drops the small writer. The page tree, the bookmarks, the document information and the
cross-reference table come last, once every page's number is known.
"""

from __future__ import annotations

import copy
import io
from typing import Any, BinaryIO

# Reserved object numbers: they are written last but referred to from the start.
_CATALOG, _PAGES, _OUTLINES, _INFO = 1, 2, 3, 4


def _pdf_string(text: str) -> Any:
    from pypdf.generic import create_string_object

    return create_string_object(text)


class StreamingPdf:
    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink
        self._position = 0
        self._offsets: dict[int, int] = {}
        self._next = _INFO + 1
        self._pages: list[int] = []
        self._outline: list[tuple[str, int]] = []  # (title, object number of its page)
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _write(self, data: bytes) -> None:
        self._sink.write(data)
        self._position += len(data)

    def _object(self, number: int, value: Any) -> None:
        self._offsets[number] = self._position
        body = io.BytesIO()
        value.write_to_stream(body)
        self._write(f"{number} 0 obj\n".encode() + body.getvalue() + b"\nendobj\n")

    def add_pages(self, writer: Any, bookmark: str | None = None) -> None:
        """Copy every page of pypdf `writer` (and what the pages use) to the output."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

        pages = [page.indirect_reference.idnum for page in writer.pages]
        page_set = set(pages)
        order: list[int] = []
        seen: set[int] = set()
        stack = list(reversed(pages))

        def references(value: Any, is_page: bool) -> list[int]:
            found: list[int] = []
            todo = [(value, is_page)]
            while todo:
                item, page = todo.pop()
                if isinstance(item, IndirectObject):
                    found.append(item.idnum)
                elif isinstance(item, DictionaryObject):
                    for key, child in item.items():
                        if page and key == "/Parent":
                            continue  # the page tree is ours, not the small writer's
                        todo.append((child, False))
                elif isinstance(item, ArrayObject):
                    todo.extend((child, False) for child in item)
            return found

        while stack:
            number = stack.pop()
            if number in seen:
                continue
            seen.add(number)
            order.append(number)
            value = writer.get_object(number)
            stack.extend(reversed(references(value, number in page_set)))
        mapping = {old: self._next + index for index, old in enumerate(order)}
        self._next += len(order)

        def remap(value: Any) -> Any:
            if isinstance(value, IndirectObject):
                # Only a page's /Parent is not copied; it is set to our page tree below.
                return IndirectObject(mapping.get(value.idnum, _PAGES), 0, writer)
            if isinstance(value, DictionaryObject):
                fresh = copy.copy(value)  # keeps a stream's data; the entries are replaced
                for key, child in value.items():
                    fresh[key] = remap(child)
                return fresh
            if isinstance(value, ArrayObject):
                return ArrayObject(remap(child) for child in value)
            return value

        for old in order:
            value = remap(writer.get_object(old))
            if old in page_set:
                value[NameObject("/Parent")] = IndirectObject(_PAGES, 0, writer)
            self._object(mapping[old], value)
        if bookmark is not None and pages:
            self._outline.append((bookmark, mapping[pages[0]]))
        self._pages += [mapping[p] for p in pages]

    def finish(self, info: dict[str, str]) -> None:
        """Write the page tree, the bookmarks, the information and the cross-references."""
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            NullObject,
            NumberObject,
        )

        def ref(number: int) -> IndirectObject:
            return IndirectObject(number, 0, None)

        items = list(range(self._next, self._next + len(self._outline)))
        self._next += len(items)
        for index, ((title, page), number) in enumerate(zip(self._outline, items, strict=True)):
            item = DictionaryObject()
            item[NameObject("/Title")] = _pdf_string(title)
            item[NameObject("/Parent")] = ref(_OUTLINES)
            item[NameObject("/Dest")] = ArrayObject(
                [ref(page), NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
            )
            if index > 0:
                item[NameObject("/Prev")] = ref(items[index - 1])
            if index < len(items) - 1:
                item[NameObject("/Next")] = ref(items[index + 1])
            self._object(number, item)
        outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        if items:
            outlines[NameObject("/First")] = ref(items[0])
            outlines[NameObject("/Last")] = ref(items[-1])
            outlines[NameObject("/Count")] = NumberObject(len(items))
        self._object(_OUTLINES, outlines)
        tree = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(ref(p) for p in self._pages),
                NameObject("/Count"): NumberObject(len(self._pages)),
            }
        )
        self._object(_PAGES, tree)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): ref(_PAGES),
                NameObject("/Outlines"): ref(_OUTLINES),
                NameObject("/PageMode"): NameObject("/UseOutlines"),
            }
        )
        self._object(_CATALOG, catalog)
        self._object(
            _INFO, DictionaryObject({NameObject(k): _pdf_string(v) for k, v in info.items()})
        )
        start = self._position
        size = self._next
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self._offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        self._write("".join(lines).encode("ascii"))
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(size),
                NameObject("/Root"): ref(_CATALOG),
                NameObject("/Info"): ref(_INFO),
            }
        )
        self._write(b"trailer\n")
        body = io.BytesIO()
        trailer.write_to_stream(body)
        self._write(body.getvalue())
        self._write(f"\nstartxref\n{start}\n%%EOF\n".encode("ascii"))
