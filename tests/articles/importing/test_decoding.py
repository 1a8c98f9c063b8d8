import codecs

import pytest

from articles.importing import DecodeError, decode_bytes

SAMPLE = "café – “quoted” naïve"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),  # no BOM
        SAMPLE.encode("utf-32"),
        SAMPLE.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "utf-16-le-no-bom", "utf-32", "cp1252"],
)
def test_text_decodes_in_common_encodings(data):
    assert decode_bytes(data) == SAMPLE


def test_longer_cp1252_text_decodes():
    text = "Le café de la gare – « ouvert » à 7 h – a servi 1 200 crêpes “maison” hier.\n" * 20
    assert decode_bytes(text.encode("cp1252")) == text


def test_latin1_text_decodes():
    text = "Größe und Maß: Übung macht den Meister. Öffnungszeiten für Bürger.\n" * 10
    assert decode_bytes(text.encode("latin-1")) == text


def test_cyrillic_legacy_encoding_decodes():
    text = "Привет, мир! Это проверка кодировки текста для импорта статей.\n" * 10
    assert decode_bytes(text.encode("cp1251")) == text


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x00" * 100, "binary"),
    ],
)
def test_binary_files_are_refused_with_what_they_are(data, what):
    with pytest.raises(DecodeError, match=what) as info:
        decode_bytes(data)
    assert "plain text" in str(info.value)


def test_a_stray_nul_in_text_is_not_binary():
    assert decode_bytes(b"hello\x00 world, this is text") == "hello\x00 world, this is text"
