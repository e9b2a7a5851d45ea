"""Word files in tests: LibreOffice (Debian's, headless) to open them as a word processor would, and the two
readings of a redline a reviewer gets in Word: every change rejected, and the revision marks themselves."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PACKAGE = "libreoffice-writer-nogui"


def ensure_libreoffice() -> str:
    """``soffice`` from Debian's LibreOffice; installed with apt-get when missing and we are root, else a clear failure."""
    found = shutil.which("soffice")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"\nnotice: LibreOffice is missing; installing the Debian package {PACKAGE!r} with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", PACKAGE], check=True, env=env)
        return shutil.which("soffice") or pytest.fail("apt-get installed LibreOffice but soffice is not on PATH")
    pytest.fail(f"LibreOffice is needed for the redline test: install it with `sudo apt-get install -y {PACKAGE}`")


def convert(soffice: str, source: Path, target: str, folder: Path) -> Path:
    """``soffice --headless --convert-to TARGET`` (e.g. "txt:Text", "docx:MS Word 2007 XML") into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    out = folder / f"{source.stem}.{target.split(':')[0]}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


def part(path: Path, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def rejected(path: Path) -> bytes:
    """The DOCX with every tracked insertion rejected, as Word does it: inserted paragraphs (their mark is inserted)
    go, inserted runs go; comment marks and references go too (they carry no text)."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(files["word/document.xml"])
    for p in root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS):
        p.getparent().remove(p)
    for element in root.xpath("//w:ins | //w:commentRangeStart | //w:commentRangeEnd | //w:r[w:commentReference]", namespaces=NS):
        element.getparent().remove(element)
    files["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def body_paragraphs(data: bytes) -> list[bytes]:
    """Every paragraph and table of the body, serialised: what "untouched elsewhere" is checked against."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{{{W}}}body")
    return [etree.tostring(child, method="c14n") for child in body]
