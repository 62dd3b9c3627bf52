"""The preview beside the documents table: PDFs in Qt's own viewer, images, text.

The original is decrypted on a worker (file work never runs on the UI thread) and handed
here as bytes; a PDF is fed to `QPdfDocument` through a `QBuffer`, so no decrypted copy ever
touches the disk. `QPdfView` draws asynchronously, with white pages on its own background.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.look import EmptyState

TEXT_TYPES = (
    "application/xml",
    "application/json",
    "application/cda+xml",
    "application/fhir+json",
    "application/fhir+ndjson",
)


class ScaledImage(QLabel):
    """An image scaled to fit, redrawn when the pane is resized."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAccessibleName("Picture")
        self._pixmap = QPixmap()

    def set_image(self, image: QImage) -> None:
        self._pixmap = QPixmap.fromImage(image)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap.isNull():
            self.clear()
            return
        self.setPixmap(
            self._pixmap.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button


class PdfPane(QWidget):
    """QPdfView with page navigation and zoom."""

    def __init__(self) -> None:
        super().__init__()
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Document pages")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        self.previous_button = _tool_button("Previous")
        self.next_button = _tool_button("Next")
        self.page_label = QLabel("")
        self.page_label.setAccessibleName("Page number")
        self.zoom_out_button = _tool_button("Smaller")
        self.zoom_in_button = _tool_button("Larger")
        self.fit_button = _tool_button("Fit width")
        for button, name in (
            (self.previous_button, "Go to the previous page"),
            (self.next_button, "Go to the next page"),
            (self.zoom_out_button, "Zoom out"),
            (self.zoom_in_button, "Zoom in"),
            (self.fit_button, "Fit the page to the width"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom(1.25))
        self.zoom_out_button.clicked.connect(lambda: self.zoom(0.8))
        self.fit_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.view.pageNavigator().currentPageChanged.connect(self._update_label)
        self.document.statusChanged.connect(self._update_label)
        # Pages above, zoom below: two short rows keep the pane narrow with large text.
        pages = QHBoxLayout()
        pages.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.page_label, self.next_button):
            pages.addWidget(widget)
        pages.addStretch(1)
        zoom = QHBoxLayout()
        zoom.setContentsMargins(0, 0, 0, 0)
        zoom.addStretch(1)
        for widget in (self.zoom_out_button, self.fit_button, self.zoom_in_button):
            zoom.addWidget(widget)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(pages)
        box.addWidget(self.view, 1)
        box.addLayout(zoom)

    def load(self, data: bytes) -> None:
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_label()

    def clear(self) -> None:
        self.document.close()
        self._buffer = None

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.page_count():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(6.0, self.view.zoomFactor() * factor)))

    def _update_label(self) -> None:
        count = self.page_count()
        page = self.current_page() + 1
        self.page_label.setText(f"Page {page} of {count}" if count else "")
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(page < count)


class PreviewPane(QStackedWidget):
    """Shows one document's original: `show_original(media_type, data)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self.placeholder = EmptyState(
            "Preview", "Choose a document in the list to see it here, page by page."
        )
        self.pdf = PdfPane()
        self.image = ScaledImage()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Text of the document")
        image_scroll = QScrollArea()
        image_scroll.setWidgetResizable(True)
        image_scroll.setWidget(self.image)
        self.image_page = image_scroll
        for widget in (self.placeholder, self.pdf, self.image_page, self.text):
            self.addWidget(widget)

    def show_message(self, title: str, text: str) -> None:
        self.pdf.clear()
        self.placeholder.set_text(title, text)
        self.setCurrentWidget(self.placeholder)

    def show_original(self, media_type: str, data: bytes, image: QImage | None = None) -> None:
        """Show the original; `image`, when given, is the picture already decoded from
        `data` (on a worker, so that a large photo does not hold up the window)."""
        if media_type == "application/pdf":
            self.pdf.load(data)
            if self.pdf.document.status() == QPdfDocument.Status.Error:
                self.show_message(
                    "No preview",
                    "This PDF cannot be shown here. Use “Save a copy...” to open it in "
                    "another program.",
                )
                return
            self.setCurrentWidget(self.pdf)
            return
        self.pdf.clear()
        if media_type.startswith("image/"):
            if image is None:
                image = QImage.fromData(QByteArray(data))
            if not image.isNull():
                self.image.set_image(image)
                self.setCurrentWidget(self.image_page)
                return
        elif media_type in TEXT_TYPES or media_type.startswith("text/"):
            self.text.setPlainText(data.decode("utf-8", errors="replace"))
            self.setCurrentWidget(self.text)
            return
        self.show_message(
            "No preview for this kind of file",
            "CareBinder keeps it safely. Use “Save a copy...” to open it in another program.",
        )
