"""`toolkit glossary import|export`: TBX, TMX and CSV/TSV files of our own, hostile XML."""

from pathlib import Path

import pytest
from conftest import REPO, invoke

from toolkit.glossary import Matcher, lint, load_glossary
from toolkit.glossary import formats as interchange
from toolkit.glossary.formats import import_glossary

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>our own test file</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="isis">
      <descrip type="subjectField">organization</descrip>
      <note>the group</note>
      <langSec xml:lang="ar">
        <termSec><term>داعش</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>لداعش</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>تَنْظِيمُ الدَّوْلَةِ</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="en-US">
        <termSec><term>Daesh</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>ISIS</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>ISIL</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="europol">
      <langSec xml:lang="ar"><termSec><term>لـيوروبول</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Europol</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="facebook">
      <langSec xml:lang="ar"><termSec><term>فيسبوك</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Facebook</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="arabic-only">
      <langSec xml:lang="ar"><termSec><term>مصطلح</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""

# TBX v2 (martif, termEntry/langSet/tig) with normativeAuthorization; its DTD is never fetched
TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "http://example.invalid/TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en">
  <text><body>
    <termEntry id="t1">
      <langSet xml:lang="ar"><tig><term>حزب الله</term></tig></langSet>
      <langSet xml:lang="en">
        <ntig><termGrp><term>Hizbollah</term>
          <termNote type="normativeAuthorization">deprecatedTerm</termNote></termGrp></ntig>
        <tig><term>Hezbollah</term>
          <termNote type="normativeAuthorization">preferredTerm</termNote></tig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
"""

# TBX-Core, DCT style: data categories as namespaced elements
TBX_DCT = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <text><body>
    <conceptEntry id="x">
      <basic:subjectField>platform</basic:subjectField>
      <langSec xml:lang="ar"><termSec><term>تويتر</term></termSec></langSec>
      <langSec xml:lang="en">
        <termSec><term>X</term>
          <basic:administrativeStatus>admittedTerm-admn-sts</basic:administrativeStatus></termSec>
        <termSec><term>Twitter</term>
          <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""

# Amazon Translate custom terminology
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="ours" creationtoolversion="1" datatype="plaintext" segtype="phrase"
          adminlang="en" srclang="ar" o-tmf="none"/>
  <body>
    <tu tuid="1"><tuv xml:lang="ar"><seg>هيئة تحرير الشام</seg></tuv>
                 <tuv xml:lang="en"><seg>Hayat Tahrir al-Sham</seg></tuv></tu>
    <tu tuid="2"><tuv xml:lang="en"><seg>Western Union</seg></tuv>
                 <tuv xml:lang="ar"><seg>ويسترن يونيون</seg></tuv></tu>
    <tu tuid="3"><tuv lang="AR"><seg>بوكو حرام</seg></tuv>
                 <tuv lang="EN"><seg>Boko Haram</seg></tuv></tu>
    <tu tuid="4"><tuv xml:lang="ar"><seg>وهيئة تحرير الشام</seg></tuv>
                 <tuv xml:lang="en"><seg>Hayat Tahrir al-Sham</seg></tuv></tu>
  </body>
</tmx>
"""

DEEPL_CSV = (
    "داعش,ISIS\n"
    "Hezbollah,حزب الله\n"  # an en→ar row: the Arabic side is told by its script
    '"حركة الشباب","al-Shabaab",ar,en\n'
    "داعش,ISIS\n"  # a duplicate: merged
)
DEEPL_TSV = "تليجرام\tTelegram\nإنتربول\tInterpol\n"
AWS_CSV = "en,ar,fr\nTelegram,تيليغرام,Telegram\nInterpol,الإنتربول,Interpol\n"

HANDWRITTEN = (
    "قال مسؤول في يوروبول إن داعش استخدم فيسبوك، وإن تنظيم الدولة نشر بيانه عبر «تويتر»، "
    "فيما نفى حزب الله ذلك."
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_ok(path: Path, *options: str) -> Path:
    output = path.with_name(path.name + ".tsv")
    result = invoke("glossary", "import", path, "-o", output, *options)
    assert result.exit_code == 0, result.output
    lint_result = invoke("glossary", "lint", output)
    assert lint_result.exit_code == 0 and "0 error(s), 0 warning(s)" in lint_result.stdout
    return output


def rows(path: Path) -> list[tuple]:
    return [
        (e.arabic, e.english, e.kind, e.variants, e.context) for e in load_glossary([path]).entries
    ]


def found(path: Path, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.entry.english) for m in Matcher(load_glossary([path])).find(text)]


def test_tbx_preferred_english_is_canonical_and_arabic_forms_become_entries(tmp_path):
    source = write(tmp_path, "terms.tbx", TBX_V3)
    result = invoke("glossary", "import", source, "-o", tmp_path / "terms.tsv")
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "terms.tsv") == [
        ("داعش", "ISIS", "organization", ("Daesh", "ISIL"), ""),
        ("تنظيم الدولة", "ISIS", "organization", ("Daesh", "ISIL"), ""),
        ("يوروبول", "Europol", "other", (), ""),
        ("فيسبوك", "Facebook", "other", (), ""),
    ]
    assert load_glossary([tmp_path / "terms.tsv"]).entries[0].note == "the group"
    # proclitics off with a warning; a duplicate merged; a concept without English skipped
    assert f"{source} entry isis: warning: 'لداعش' carries the proclitic 'ل'" in result.stderr
    assert f"{source} entry europol: warning: 'لـيوروبول' carries the proclitic 'ل'" in (
        result.stderr
    )
    assert f"{source} entry isis: warning: duplicate of {source} entry isis: merged" in (
        result.stderr
    )
    assert f"{source} entry arabic-only: warning: no Arabic or no English term" in result.stderr
    assert "فيسبوك" not in result.stderr  # ف is this word's first letter, not a clitic
    assert found(import_ok(source), HANDWRITTEN) == [
        ("يوروبول", "Europol"),
        ("داعش", "ISIS"),
        ("فيسبوك", "Facebook"),
        ("تنظيم الدولة", "ISIS"),
    ]
    assert found(tmp_path / "terms.tsv", "بيان لداعش ولـيوروبول") == [
        ("لداعش", "ISIS"),
        ("ولـيوروبول", "Europol"),
    ]


def test_tbx_v2_and_dct_style(tmp_path):
    v2 = import_ok(write(tmp_path, "v2.tbx", TBX_V2))
    assert rows(v2) == [("حزب الله", "Hezbollah", "other", ("Hizbollah",), "")]
    dct = import_ok(write(tmp_path, "dct.tbx", TBX_DCT))
    assert rows(dct) == [("تويتر", "Twitter", "platform", ("X",), "")]
    assert found(v2, HANDWRITTEN) == [("حزب الله", "Hezbollah")]
    assert found(dct, HANDWRITTEN) == [("«تويتر»", "Twitter")]


def test_tmx_amazon_terminology(tmp_path):
    output = import_ok(write(tmp_path, "aws.tmx", TMX), "--kind", "organization")
    assert rows(output) == [
        ("هيئة تحرير الشام", "Hayat Tahrir al-Sham", "organization", (), ""),
        ("ويسترن يونيون", "Western Union", "organization", (), ""),
        ("بوكو حرام", "Boko Haram", "organization", (), ""),
    ]
    text = "حوّلت هيئة تحرير الشام أموالاً عبر ويسترن يونيون، وكذلك فعلت جماعة بوكو حرام."
    assert [english for _surface, english in found(output, text)] == [
        "Hayat Tahrir al-Sham",
        "Western Union",
        "Boko Haram",
    ]


def test_deepl_and_aws_csv_and_tsv(tmp_path):
    deepl = import_ok(write(tmp_path, "deepl.csv", DEEPL_CSV))
    assert rows(deepl) == [
        ("داعش", "ISIS", "other", (), ""),
        ("حزب الله", "Hezbollah", "other", (), ""),
        ("حركة الشباب", "al-Shabaab", "other", (), ""),
    ]
    tsv = import_ok(write(tmp_path, "deepl.tsv", DEEPL_TSV), "--kind", "platform")
    assert rows(tsv)[0] == ("تليجرام", "Telegram", "platform", (), "")
    aws = import_ok(write(tmp_path, "aws.txt", AWS_CSV), "--format", "csv")
    assert rows(aws) == [
        ("تيليغرام", "Telegram", "other", (), ""),
        ("الإنتربول", "Interpol", "other", (), ""),
    ]
    text = "نشرت حركة الشباب على تليجرام وتيليغرام، وقال الإنتربول إن داعش هاجم، ونفى حزب الله ذلك."
    assert [e for _s, e in found(deepl, text)] == ["al-Shabaab", "ISIS", "Hezbollah"]
    assert [e for _s, e in found(tsv, text)] == ["Telegram", "Interpol"]
    assert [e for _s, e in found(aws, text)] == ["Telegram", "Interpol"]


def test_conflicts_name_both_places_and_nothing_is_written(tmp_path):
    source = write(tmp_path, "conflict.csv", "داعش,ISIS\nتويتر,Twitter\nداعش,Daesh\n")
    output = tmp_path / "out.tsv"
    result = invoke("glossary", "import", source, "-o", output)
    assert result.exit_code == 2
    assert (
        f"{source}:3: error: 'داعش' (any context) is 'Daesh' here but 'ISIS' at {source}:1"
    ) in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"toolkit: error: {source}: 1 error(s) above; nothing written"
    )
    assert not output.exists()

    tbx = TBX_V3.replace("<term>Facebook</term>", "<term>Daesh</term>").replace(
        "<term>فيسبوك</term>", "<term>داعش</term>"
    )
    result = invoke("glossary", "import", write(tmp_path, "c.tbx", tbx), "-o", output)
    assert result.exit_code == 2
    assert "c.tbx entry facebook: error: 'داعش' (any context) is 'Daesh' here but 'ISIS' at " in (
        result.stderr
    )
    assert "c.tbx entry isis" in result.stderr and not output.exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tbx><text><body><conceptEntry id="a">
  <langSec xml:lang="ar"><termSec><term>داعش</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>&lol9;</term></termSec></langSec>
</conceptEntry></body></text></tbx>
"""


def external_entity(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file://{secret}">]>
<tmx version="1.4"><body><tu>
  <tuv xml:lang="ar"><seg>داعش</seg></tuv><tuv xml:lang="en"><seg>&secret;</seg></tuv>
</tu></body></tmx>
"""


@pytest.mark.parametrize("name", ["bomb.tbx", "external.tmx"])
def test_entity_declarations_are_refused_in_one_line(tmp_path, name):
    secret = write(tmp_path, "secret.txt", "TOP-SECRET")
    text = BILLION_LAUGHS if name == "bomb.tbx" else external_entity(secret)
    source = write(tmp_path, name, text)
    output = tmp_path / "out.tsv"
    result = invoke("glossary", "import", source, "-o", output)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"toolkit: error: {source}:")
    assert "refused: the file declares XML entities" in result.stderr
    assert "TOP-SECRET" not in result.output and not output.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "broken.tbx",
            "<tbx><text><body>\n<conceptEntry></body></tbx>",
            ":2:17: malformed XML (mismatched tag)",
        ),
        (
            "broken.tmx",
            "<tmx><body><tu>\n\n  <tuv>&undefined;</tuv>",
            ":3:8: malformed XML (undefined entity)",
        ),
        ("empty.tbx", "", ":1:1: malformed XML (no element found)"),
        ("html.tbx", "<html><body/></html>", ": not TBX (root element <html>)"),
        ("latin1.csv", None, ": not UTF-8 (byte 0)"),
        ("terms.xlsx", "x", ": cannot tell the format from the suffix"),
    ],
)
def test_malformed_files_are_one_line_with_their_position(tmp_path, name, text, message):
    source = tmp_path / name
    if text is None:
        source.write_bytes("é,ISIS\n".encode("latin-1"))
    else:
        source.write_text(text, encoding="utf-8")
    result = invoke("glossary", "import", source)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"toolkit: error: {source}{message}"), result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_files_over_the_size_limit_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(interchange, "MAX_IMPORT_BYTES", 100)
    source = write(tmp_path, "big.tbx", TBX_V3)
    result = invoke("glossary", "import", source)
    assert result.exit_code == 2 and "over the 100-byte limit" in result.stderr


def test_import_without_output_prints_the_tsv(tmp_path):
    result = invoke("glossary", "import", write(tmp_path, "g.tsv", DEEPL_TSV))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "arabic\tenglish\tkind\tvariants\tcontext\tnote",
        "تليجرام\tTelegram\tother\t\t\t",
        "إنتربول\tInterpol\tother\t\t\t",
    ]


def test_shipped_glossary_exports_to_tbx_and_reads_back_the_same(tmp_path):
    shipped = sorted((REPO / "glossaries").glob("*.tsv"))
    exported = tmp_path / "ours.tbx"
    options = [arg for path in shipped for arg in ("--glossary", path)]
    result = invoke("glossary", "export", "--format", "tbx", "-o", exported, *options)
    assert result.exit_code == 0, result.output
    original, _ = lint(shipped)
    # read back knowing nothing else, so that no term is taken for another behind a proclitic
    back = import_glossary(exported, "tbx", "other")
    assert back.problems == []
    fields = lambda e: (e.arabic, e.english, e.kind, e.variants, e.context, e.note)  # noqa: E731
    assert [fields(e) for e in back.entries] == [fields(e) for e in original]
    assert any(e.context == "quoted" for e in back.entries)
    reimported = import_ok(exported)
    assert [fields(e) for e in load_glossary([reimported]).entries] == [fields(e) for e in original]


def test_csv_export_keeps_one_reading_per_arabic_form_and_reads_back(tmp_path):
    glossary = write(
        tmp_path,
        "g.tsv",
        "arabic\tenglish\tkind\tvariants\tcontext\tnote\n"
        "الشرق الأوسط\tAsharq Al-Awsat\tpublication\t\tquoted\t\n"
        "الشرق الأوسط\tMiddle East\tplace\t\tbare\t\n"
        "داعش\tISIS\torganization\tDaesh\t\t\n",
    )
    exported = tmp_path / "g.csv"
    result = invoke("glossary", "export", "--format", "csv", "-o", exported, "--glossary", glossary)
    assert result.exit_code == 0, result.output
    assert exported.read_text(encoding="utf-8") == "ar,en\nالشرق الأوسط,Middle East\nداعش,ISIS\n"
    assert f"{glossary}:2: 'الشرق الأوسط' (quoted) left out" in result.stderr
    assert [(a, e) for a, e, *_ in rows(import_ok(exported))] == [
        ("الشرق الأوسط", "Middle East"),
        ("داعش", "ISIS"),
    ]


def test_export_of_a_bad_glossary_is_exit_2(tmp_path):
    bad = write(tmp_path, "bad.tsv", "arabic\tenglish\n")
    result = invoke(
        "glossary", "export", "--format", "tbx", "-o", tmp_path / "x.tbx", "--glossary", bad
    )
    assert result.exit_code == 2 and f"{bad}:1: error: header must be" in result.stderr
    assert not (tmp_path / "x.tbx").exists()
