"""Why a PDF has no text: a scan (pages that are images) or damage (pages with neither text nor images)."""

from __future__ import annotations

from typing import Any

from ..core.errors import CorruptDocumentError, IngestError, ScannedDocumentError


def textless_error(reader: Any, name: str, pages: int) -> IngestError:
    """A scanned PDF has images on its pages; one whose pages hold neither text nor images has content streams
    that could not be read (a damaged file, not a scan), so saying "scanned" would send the user to OCR for nothing."""
    if any(_has_images(page) for page in reader.pages):
        return ScannedDocumentError(name, f"PDF has {pages} page(s) but no text layer (scanned image?) and OCR is off "
                                                  "(setting ocr): turn it on, or run OCR first, e.g. ocrmypdf")
    return CorruptDocumentError(name, f"PDF has {pages} page(s) but neither text nor scanned images could be read from them: "
                                      "its content is damaged, uses features the reader does not support, or holds only drawings")


def _has_images(page: Any) -> bool:
    try:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is None:
            return bool(page.images)
        return any(obj.get_object().get("/Subtype") in ("/Image", "/Form") for obj in objects.get_object().values())
    except Exception:  # unreadable resources: no evidence of a scan
        return False
