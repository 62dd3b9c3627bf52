"""The records packet's own PDF writer: pages copied out of real and tricky PDFs read and
look the same, keep their boxes, turns and links, and bring nothing else of their source
along; the footer never takes a font name the page already uses."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
from PIL import ImageChops, ImageStat

from app.export.packet_footer import Footers
from app.export.streamed_pdf import StreamedPdf


def _copied(*sources: Any, prepare: Any = None) -> bytes:
    out = io.BytesIO()
    writer = StreamedPdf(out)
    first = []
    for source in sources:
        pages = writer.copy_pages(source, prepare) if prepare else writer.copy_pages(source)
        first.append(pages[0])
    writer.finish([(f"Record {n}", page) for n, page in enumerate(first, 1)], {"/Title": "T"})
    return out.getvalue()


def _problems(pdf: Any) -> list[str]:
    """qpdf's findings; where qpdf cannot even finish checking a source, the copy is held to
    having none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing JBIG2 decoder is not a problem of ours
        try:
            return list(pdf.check_pdf_syntax())
        except (pikepdf.PdfError, RuntimeError, ValueError):  # what qpdf raises on a bad file
            return []


def _text(pdf: Any, index: int) -> str:
    return str(pdf[index].get_textpage().get_text_range())


def _look_apart(a: Any, b: Any) -> float:
    first, second = (p.render(scale=0.15).to_pil().convert("L") for p in (a, b))
    assert first.size == second.size
    return float(ImageStat.Stat(ImageChops.difference(first, second)).mean[0])


def test_every_corpus_pdf_reads_and_looks_the_same_copied(corpus: Path) -> None:
    copied = 0
    for path in sorted(corpus.rglob("*.pdf")):
        try:
            source = pikepdf.open(path)
            count = len(source.pages)
        except Exception:  # refused at import; not the writer's business
            continue
        boxes = [(list(p.mediabox), int(p.obj.get("/Rotate", 0)) % 360) for p in source.pages]
        before = _problems(source)
        data = _copied(source)
        copied += 1
        with pikepdf.open(io.BytesIO(data)) as result:
            assert len(result.pages) == count, path.name
            after = [(list(p.mediabox), int(p.obj.get("/Rotate", 0)) % 360) for p in result.pages]
            assert after == boxes, path.name
            assert len(_problems(result)) <= len(before), (path.name, _problems(result))
        ours = pypdfium2.PdfDocument(data)
        try:
            theirs = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:  # e.g. AES-256 revision 5, which qpdf opens and pdfium not
            assert len(ours) == count
            continue
        for index in range(min(3, count)):
            assert _text(ours, index) == _text(theirs, index), (path.name, index)
            assert _look_apart(ours[index], theirs[index]) <= 1.0, (path.name, index)
    assert copied > 100


def _courier(pdf: Any) -> Any:
    return pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Courier")
    )


def test_attributes_a_page_inherits_from_its_tree_come_along() -> None:
    pdf = pikepdf.new()
    font = _courier(pdf)
    drawing = pdf.make_stream(b"BT /F1 24 Tf 72 200 Td (Inherited) Tj ET")
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    for key in ("/MediaBox", "/Resources"):
        del page[key]
    page.Contents = drawing
    tree = pdf.Root.Pages
    tree.MediaBox = pikepdf.Array([0, 0, 400, 300])
    tree.Rotate = 90
    tree.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    with pikepdf.open(io.BytesIO(_copied(pdf))) as result:
        copied = result.pages[0]
        assert list(copied.mediabox) == [0, 0, 400, 300]
        assert copied.obj.Rotate == 90
        assert "/F1" in copied.obj.Resources.Font
    assert "Inherited" in _text(pypdfium2.PdfDocument(_copied(pdf)), 0)


def test_strings_and_names_that_look_like_references_are_left_as_they_are() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    tricky = "see 5 0 R (twice) \\ and /CareBinder-object-1 ) ("
    pdf.pages[0].obj.Note = pikepdf.String(tricky)
    pdf.pages[0].obj.Odd = pikepdf.Name("/a 1 0 R")
    pdf.pages[0].obj.Raw = pikepdf.String(b"\x00\x01 7 0 R \xff")
    with pikepdf.open(io.BytesIO(_copied(pdf))) as result:
        page = result.pages[0].obj
        assert str(page.Note) == tricky
        assert page.Odd == pikepdf.Name("/a 1 0 R")
        assert bytes(page.Raw) == b"\x00\x01 7 0 R \xff"


def test_links_between_pages_of_a_record_point_into_the_copy_and_nothing_else_comes() -> None:
    first = pikepdf.new()
    first.add_blank_page()
    source = pikepdf.new()
    for _ in range(3):
        source.add_blank_page()
    pages = [p.obj for p in source.pages]
    link = source.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 100, 100],
            Dest=pikepdf.Array([pages[2], pikepdf.Name.Fit]),
            P=pages[0],
            Stray=source.Root,  # a broken file's reference to its own catalog
        )
    )
    pages[0].Annots = pikepdf.Array([link])
    big = source.make_stream(b"x" * 200_000)
    source.Root.Unrelated = big  # reachable from the catalog only
    data = _copied(first, source)
    assert len(data) < 50_000  # the catalog's stream stayed behind
    with pikepdf.open(io.BytesIO(data)) as result:
        annot = result.pages[1].obj.Annots[0]
        assert annot.Dest[0].objgen == result.pages[3].obj.objgen
        assert annot.P.objgen == result.pages[1].obj.objgen
        assert annot.get("/Stray") is None  # written as null, which qpdf reads as absent


def test_a_hand_written_pdf_with_an_indirect_length_and_object_streams_copies() -> None:
    content = b"BT /F1 24 Tf 72 700 Td (Indirect length) Tj ET"
    parts = [
        b"%PDF-1.5\n",
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>\nendobj\n",
        b"4 0 obj\n<< /Length 5 0 R >>\nstream\n" + content + b"\nendstream\nendobj\n",
        b"5 0 obj\n%d\nendobj\n" % len(content),
        b"6 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n",
    ]
    offsets, at = [], 0
    for part in parts:
        offsets.append(at)
        at += len(part)
    rows = b"".join(b"%010d 00000 n \n" % o for o in offsets[1:])
    xref = b"xref\n0 7\n0000000000 65535 f \n" + rows
    trailer = b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % at
    raw = b"".join(parts) + xref + trailer
    packed = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw)) as hand_written:
        hand_written.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for data in (raw, packed.getvalue()):
        with pikepdf.open(io.BytesIO(data)) as source:
            copied = _copied(source)
        assert "Indirect length" in _text(pypdfium2.PdfDocument(copied), 0)


def test_a_newer_pdf_version_is_declared_in_the_catalog() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    saved = io.BytesIO()
    pdf.save(saved, min_version="2.0")
    with pikepdf.open(io.BytesIO(_copied(pikepdf.open(saved)))) as result:
        assert result.Root.Version == pikepdf.Name("/2.0")


def test_the_footer_takes_a_name_of_its_own_when_the_page_uses_ours() -> None:
    source = pikepdf.new()
    font = _courier(source)
    source.add_blank_page()
    page = source.pages[0].obj
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(CBFooter0=font))
    page.Contents = source.make_stream(b"BT /CBFooter0 24 Tf 72 700 Td (Original words) Tj ET")
    out = io.BytesIO()
    writer = StreamedPdf(out)
    footers = Footers(writer, "Ada Example", 1, "")
    writer.copy_pages(source, lambda page, index: footers.stamp(page, index + 1))
    writer.finish([], {})
    with pikepdf.open(io.BytesIO(out.getvalue())) as result:
        fonts = result.pages[0].obj.Resources.Font
        assert fonts.CBFooter0.BaseFont == "/Courier"
        assert len(fonts.keys()) >= 2
    text = _text(pypdfium2.PdfDocument(out.getvalue()), 0)
    assert "Original words" in text and "Ada Example · page 1 of 1" in text


def _stamped(source: Any) -> bytes:
    out = io.BytesIO()
    writer = StreamedPdf(out)
    footers = Footers(writer, "Ada Example", len(source.pages), "")
    writer.copy_pages(source, lambda page, index: footers.stamp(page, index + 1))
    writer.finish([], {})
    return out.getvalue()


def test_a_layer_hidden_in_the_original_stays_hidden() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    hidden = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="Draft notes"))
    shown = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="Report"))
    pdf.Root.OCProperties = pikepdf.Dictionary(
        OCGs=[hidden, shown], D=pikepdf.Dictionary(OFF=[hidden], Order=[hidden, shown])
    )
    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(Properties=pikepdf.Dictionary(H=hidden, S=shown))
    page.Contents = pdf.make_stream(
        b"/OC /H BDC 0 0 0 rg 72 400 468 300 re f EMC /OC /S BDC 0 0 0 rg 72 72 100 100 re f EMC"
    )
    saved = io.BytesIO()
    pdf.save(saved)
    copied = _copied(pikepdf.open(io.BytesIO(saved.getvalue())))
    ours, theirs = pypdfium2.PdfDocument(copied), pypdfium2.PdfDocument(saved.getvalue())
    assert _look_apart(ours[0], theirs[0]) <= 1.0


def test_a_length_that_is_not_a_whole_number_is_written_right() -> None:
    content = b"BT /F1 24 Tf 72 700 Td (Odd length) Tj ET"
    raw = (
        b"%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
        b">> >> >>\nendobj\n"
        b"4 0 obj\n<< /Length %d.0 >>\nstream\n%s\nendstream\nendobj\ntrailer\n"
        b"<< /Root 1 0 R >>\n%%%%EOF\n" % (len(content), content)
    )
    with pikepdf.open(io.BytesIO(raw)) as source:  # qpdf repairs the missing xref
        copied = _copied(source)
    with pikepdf.open(io.BytesIO(copied)) as result:
        assert _problems(result) == []
    assert "Odd length" in _text(pypdfium2.PdfDocument(copied), 0)


def test_a_packet_put_in_a_packet_adds_one_footer_name_per_font() -> None:
    from app.export.packet import text_to_pdf

    once = _stamped(pikepdf.open(io.BytesIO(text_to_pdf("line\n" * 600, "Notes"))))
    twice = _stamped(pikepdf.open(io.BytesIO(once)))
    with pikepdf.open(io.BytesIO(once)) as first, pikepdf.open(io.BytesIO(twice)) as second:
        before = len(first.pages[-1].obj.Resources.Font.keys())
        assert len(second.pages) > 5
        for page in second.pages:
            assert len(page.obj.Resources.Font.keys()) <= 2 * before


def test_damaged_rotation_fonts_and_boxes_do_not_stop_the_footer() -> None:
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    first, second, third = (p.obj for p in pdf.pages)
    first.Rotate = pikepdf.Name("/R90")
    second.Resources = pikepdf.Dictionary(Font=pikepdf.Array([]))
    third.MediaBox = pikepdf.Array([0, 0, None, 792])
    third.CropBox = pikepdf.Array([612, 792, 0, 0])  # corners the other way round
    data = _stamped(pdf)
    document = pypdfium2.PdfDocument(data)
    for index in range(3):
        assert f"Ada Example · page {index + 1} of 3" in _text(document, index)


def test_a_name_like_the_old_marker_in_a_source_is_left_as_it_is() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.PieceInfo = pikepdf.Dictionary(
        {"/CareBinder-object-1": pikepdf.Dictionary(Private="x")}
    )
    with pikepdf.open(io.BytesIO(_copied(pdf))) as result:
        info = result.pages[0].obj.PieceInfo
        assert str(info["/CareBinder-object-1"].Private) == "x"
