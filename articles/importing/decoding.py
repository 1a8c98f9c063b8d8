"""Bytes to text: BOMs, UTF-8, UTF-16 and legacy 8-bit encodings; binary files refused."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text we can read; the message is meant for the person who uploaded them."""


# Formats people upload by mistake; naming them makes the error actionable.
_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document (.docx, .xlsx, .odt)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"RIFF", "an audio/video or WebP file"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4/QuickTime video"),
    (b"\x00\x00\x00\x1cftyp", "an MP4/QuickTime video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4/QuickTime video"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes below 0x20 that real text contains: tab, LF, VT, FF, CR, and ESC/SUB from old editors.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1a\x1b")
_SNIFF_BYTES = 64 * 1024
_MAX_CONTROL_RATIO = 0.05
_MAX_NUL_RATIO = 0.01  # a stray NUL or two is corruption we can drop; more means binary

# A first guess that is one of these and still decodes as cp1252 is read as cp1252: for short
# Western texts charset detection wavers between near-identical Latin code pages, and cp1252 is
# what Windows and most "ANSI" exports actually wrote.
_LATIN_FAMILY = frozenset(
    {
        "cp1252",
        "windows_1252",
        "latin_1",
        "iso8859_1",
        "iso8859_15",
        "cp1250",
        "iso8859_2",
        "mac_roman",
        "cp850",
        "cp437",
        "iso8859_9",
        "cp1254",
        "iso8859_16",
        "mac_latin2",
        "cp1257",
        "iso8859_4",
        "iso8859_13",
        "iso8859_10",
        "iso8859_14",
        "iso8859_3",
        "cp858",
        "cp1258",
    }
)


def describe_binary(data: bytes) -> str | None:
    """Say what kind of binary file this is, or None when it may be text."""
    for magic, what in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return what
    if _looks_like_bomless_utf16(data) or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return None
    nuls = sample.count(0)
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if nuls > max(3, _MAX_NUL_RATIO * len(sample)) or controls / len(sample) > _MAX_CONTROL_RATIO:
        return "a binary file"
    return None


def binary_error(what: str) -> str:
    return (
        f"This looks like {what}, not text. Save or export the article as plain text (.txt), "
        "HTML, JSON or CSV and upload that instead."
    )


def decode_bytes(data: bytes) -> str:
    """Decode uploaded bytes to str, or raise DecodeError with a message for the uploader."""
    what = describe_binary(data)
    if what:
        raise DecodeError(binary_error(what))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    utf16 = _looks_like_bomless_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("We could not work out the text encoding of this file. Save it as UTF-8 and upload it again.")
    encoding = best.encoding
    if encoding in _LATIN_FAMILY:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass  # bytes cp1252 leaves undefined (0x81, 0x8d, ...): trust the detector
    return data.decode(encoding, errors="replace")


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows up as a NUL in every other byte for Latin-script text."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.4 * half and even.count(0) < 0.05 * half:
        encoding = "utf-16-le"
    elif even.count(0) > 0.4 * half and odd.count(0) < 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding
