import codecs

import pytest

from toolkit.errors import InputError
from toolkit.ingest.decode import decode_bytes

TEXT = "قالت الشرطة إن ٣ رجال اعتقلوا."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # Python writes a BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        ("قالت الشرطة إن 3 رجال اعتقلوا.".encode("cp1256"), "cp1256"),
    ],
)
def test_supported_encodings_are_detected_and_recorded(data, encoding):
    decoded = decode_bytes(data, "a.txt")
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff").startswith("قالت الشرطة")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "Ça va très bien".encode("latin-1"),
    ],
)
def test_binary_or_unknown_bytes_are_an_error_naming_the_file(data):
    with pytest.raises(InputError, match=r"^inbox/x\.txt: "):
        decode_bytes(data, "inbox/x.txt")
