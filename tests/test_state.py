"""toolkit.state: SQLite at its schema version, one set-aside scheme, one lock, one TSV
reader, the declared settings; and what a killed run leaves is cleared by the next one."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke

from toolkit.collect.state import CollectState
from toolkit.errors import ConfigError
from toolkit.fsutil import held_temp, remove_leftovers
from toolkit.state.files import set_aside
from toolkit.state.lock import file_lock
from toolkit.state.settings import PATH, SETTINGS, TEXT, check_all, setting
from toolkit.state.sqlite import Schema, open_db
from toolkit.state.tsv import read_tsv
from toolkit.translate.memory import TranslationMemory, translation_from_json

ROOT = Path(__file__).resolve().parents[1]
V1 = Schema(version=1, create="CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
            tables={"notes": ["id", "text"]})  # fmt: skip
V2 = Schema(
    version=2,
    create="CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT, lang TEXT)",
    migrations={1: "ALTER TABLE notes ADD COLUMN lang TEXT; UPDATE notes SET lang = 'ar'"},
    tables={"notes": ["id", "text", "lang"]},
)


def version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


# 1. SQLite: schema version and migrations


def test_a_new_file_gets_the_schema_and_its_version(tmp_path):
    opened = open_db(tmp_path / "s.sqlite", V2)
    opened.conn.close()
    assert version(tmp_path / "s.sqlite") == 2
    assert opened.aside is None and opened.migrated_from is None


def test_an_older_file_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "s.sqlite"
    with open_db(path, V1).conn as db:
        db.execute("INSERT INTO notes (text) VALUES ('خبر')")
    opened = open_db(path, V2)
    rows = opened.conn.execute("SELECT text, lang FROM notes").fetchall()
    opened.conn.close()
    assert opened.migrated_from == 1 and opened.aside is None
    assert rows == [("خبر", "ar")] and version(path) == 2


@pytest.mark.parametrize(
    ("schema", "made_by", "why"),
    [
        (V1, V2, "schema version 2, newer than this toolkit's 1"),
        (Schema(3, V2.create, {2: "SELECT 1"}), V1, "schema version 1, not 3"),  # no 1 → 2
    ],
)
def test_a_version_it_cannot_migrate_is_set_aside(tmp_path, schema, made_by, why):
    path = tmp_path / "s.sqlite"
    open_db(path, made_by).conn.close()
    opened = open_db(path, schema)
    opened.conn.close()
    assert opened.reason == why
    assert opened.aside.name.startswith("s.sqlite.corrupt-") and opened.aside.is_file()
    assert version(path) == schema.version


def test_a_corrupt_file_is_set_aside_with_its_side_files_and_a_new_one_made(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"not a database " * 300)
    Path(f"{path}-wal").write_bytes(b"stale wal")
    opened = open_db(path, V1)
    opened.conn.execute("INSERT INTO notes (text) VALUES ('x')")
    opened.conn.close()
    assert re.fullmatch(r"s\.sqlite\.corrupt-\d{8}T\d{12}Z", opened.aside.name)
    assert opened.aside.read_bytes() == b"not a database " * 300
    assert Path(f"{opened.aside}-wal").read_bytes() == b"stale wal"
    assert "not a database" in opened.reason


KILLED_WRITER = """
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("DELETE FROM notes")
db.execute("INSERT INTO notes (text) VALUES ('half-way')")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_mid_transaction_is_rolled_back_not_set_aside(tmp_path):
    path = tmp_path / "s.sqlite"
    with open_db(path, V1).conn as db:
        db.execute("INSERT INTO notes (text) VALUES ('kept')")
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], timeout=60)
    assert Path(f"{path}-journal").is_file()  # hot: only a writer can roll it back
    opened = open_db(path, V1)
    rows = opened.conn.execute("SELECT text FROM notes").fetchall()
    opened.conn.close()
    assert opened.aside is None and rows == [("kept",)]


def test_a_table_of_another_shape_is_set_aside(tmp_path):
    path = tmp_path / "s.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (key TEXT, english TEXT)")
        db.execute("PRAGMA user_version = 1")
    opened = open_db(path, V1)
    opened.conn.close()
    assert opened.reason == "a notes table with columns key, english"


def test_a_locked_file_is_an_error_of_the_moment_and_never_set_aside(tmp_path):
    path = tmp_path / "s.sqlite"
    open_db(path, V1).conn.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            open_db(path, V2, timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob("*.corrupt-*")) and version(path) == 1


def test_one_suffix_scheme_for_json_state_too(tmp_path):
    path = tmp_path / "manifest.json"
    path.mkdir()
    aside = set_aside(path)
    assert aside.is_dir() and re.fullmatch(r"manifest\.json\.corrupt-\d{8}T\d{12}Z", aside.name)


# 2. one lock, across processes

HOLD = """
import sys
from pathlib import Path
from toolkit.errors import ConfigError
from toolkit.state.lock import file_lock
with file_lock(Path(sys.argv[1]), ConfigError):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_lock_held_by_another_process_is_refused_naming_its_pid_then_free(tmp_path):
    path = tmp_path / ".lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(ConfigError, match=rf"^{holder.pid}$"), file_lock(path, ConfigError):
            pass
    finally:
        holder.communicate("\n", timeout=30)
    with file_lock(path, ConfigError):
        assert path.read_text() == str(os.getpid())


def test_a_killed_holder_never_blocks_the_next(tmp_path):
    path = tmp_path / ".lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout.readline() == b"held\n"
    holder.kill()
    holder.wait(timeout=30)
    holder.stdin.close()
    holder.stdout.close()
    with file_lock(path, ConfigError):
        pass


# 3. one TSV reader


def test_tsv_rows_know_their_file_and_line(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("\ufeff# a comment\n\na\tb\n1\t2\n\n# more\n 3 \t4\n", encoding="utf-8")
    table = read_tsv(path, ("a", "b"))
    assert [(row.line, row.cells) for row in table.rows] == [(4, ("1", "2")), (7, ("3", "4"))]
    assert table.rows[1].where == f"{path}:7" and not table.problems


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("# c\nb\ta\n1\t2\n", "{path}:2: header must be: a b (tab-separated)"),
        ("a\tb\n1\t2\n1\n1\t2\t3\n", "{path}:3: 1 columns, expected 2 (and 1 more)"),
        ("# only a comment\n", "{path}:1: empty table: no header line"),
        (b"a\tb\n\xff\t1\n", "{path}:0: cannot read"),
    ],
)
def test_tsv_problems_are_one_line_naming_file_and_line(tmp_path, text, error):
    path = tmp_path / "x.tsv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    table = read_tsv(path, ("a", "b"), what="table")
    with pytest.raises(ConfigError) as raised:
        table.check()
    assert str(raised.value).startswith(error.format(path=path))
    assert "\n" not in str(raised.value)


def test_a_bad_eval_reference_row_is_named_by_line_through_the_cli(tmp_path):
    refs = tmp_path / "refs.tsv"
    refs.write_text("id\tarabic\tenglish\tterms\n# note\na\tقال\n", encoding="utf-8")
    result = invoke("eval", refs, "--model", tmp_path / "no-model")
    assert result.exit_code == 2
    assert result.stderr == f"toolkit: error: {refs}:3: 2 columns, expected 4\n"


# 4. the declared settings

BAD = {"TOOLKIT_LAYOUT": "two by one"}  # what each kind refuses; "soon" for every number


def test_every_declared_setting_with_a_bad_value_is_one_line_exit_2_through_the_cli(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nجملة.\n", encoding="utf-8")
    checked = 0
    for name, declared in SETTINGS.items():
        if declared.kind in (TEXT, PATH):
            continue  # any text is a value
        value = BAD.get(name, "soon")
        result = invoke("ingest", article, env={name: value})
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"toolkit: error: {name}={value!r}: "), result.stderr
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e999"])
def test_seconds_are_a_finite_number_above_zero(value):
    with pytest.raises(ConfigError, match="expected a number of seconds above 0"):
        setting("TOOLKIT_SEND_DEADLINE", {"TOOLKIT_SEND_DEADLINE": value})


def test_unset_and_blank_give_the_default_and_a_value_is_read_at_call_time(monkeypatch):
    assert setting("TOOLKIT_COLLECT_RETRIES", {}) == 2
    assert setting("TOOLKIT_COLLECT_RETRIES", {"TOOLKIT_COLLECT_RETRIES": "  "}) == 2
    assert setting("TOOLKIT_COLLECT_RETRIES", {"TOOLKIT_COLLECT_RETRIES": "0"}) == 0
    assert setting("TOOLKIT_COLLECT_MAX_BYTES", {"TOOLKIT_COLLECT_MAX_BYTES": "7"}) == 7
    monkeypatch.setenv("TOOLKIT_ARCHIVE_BUSY_S", "2.5")
    assert setting("TOOLKIT_ARCHIVE_BUSY_S") == 2.5
    check_all({})


def test_a_bad_setting_is_no_import_time_traceback(tmp_path):
    env = {**os.environ, "TOOLKIT_ARCHIVE_BUSY_S": "soon"}  # was read at import time
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "search", "x", "--outputs", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        "toolkit: error: TOOLKIT_ARCHIVE_BUSY_S='soon': expected a number of seconds above 0\n"
    )


ENVIRON_READ = re.compile(r"os\.(environ|getenv)\b.*(TOOLKIT_|_ENV\b)")
# docs.py clears TOOLKIT_* for the help text; the readers bench points the send key at a
# scratch file and puts the setting back
WRITE_THE_ENVIRONMENT = {"docs.py", "bench.py"}


def test_no_code_reads_a_toolkit_setting_but_through_the_declared_table():
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "toolkit").rglob("*.py"))
        if "state" not in path.relative_to(ROOT).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ENVIRON_READ.search(line) and path.name not in WRITE_THE_ENVIRONMENT
    ]
    assert not readers


# 5. leftovers and bad values in state files (#28)

KILLED_REBUILD = """
import os, signal, sys
from toolkit.archive import database

def dying(conn, day, rows, mark):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO days VALUES ('x', 'x', 0)")  # a write in flight: a -journal
    os.kill(os.getpid(), signal.SIGKILL)

database.write_day = dying
database.update_archive(sys.argv[1], rebuild=True)
"""


def test_a_killed_archive_rebuild_leaves_nothing_after_the_next_run(tmp_path):
    outputs = tmp_path / "outputs"
    (outputs / "2026-01-02" / "articles").mkdir(parents=True)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_REBUILD, str(outputs)], capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p for p in outputs.iterdir() if p.name.startswith(".archive.sqlite."))
    assert len(left) == 2 and left[1].name == left[0].name + "-journal"  # what the kill leaves
    for path in left:  # killed a while ago: a temp file younger than 10 s may be just made
        os.utime(path, (0, 0))

    result = invoke("archive", outputs)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in outputs.iterdir()) == [
        "2026-01-02",
        "archive.sqlite",
        "feed.xml",
        "index.html",
    ]
    with sqlite3.connect(outputs / "archive.sqlite") as db:
        assert db.execute("SELECT day FROM days").fetchall() == [("2026-01-02",)]


def test_the_temp_file_of_a_rebuild_at_work_is_left_alone(tmp_path):
    target = tmp_path / "archive.sqlite"
    with held_temp(target) as temp:
        temp.write_bytes(b"being built")
        os.utime(temp, (0, 0))
        assert remove_leftovers(target) == []
        assert temp.read_bytes() == b"being built"
    assert not temp.exists()


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from toolkit import fsutil

def dying(fd, *args):
    os.kill(os.getpid(), signal.SIGKILL)

fsutil.os.fsync = dying  # killed half-way through writing the file
fsutil.atomic_write_text(Path(sys.argv[1]) / "digest.md", "# half")
"""


def test_the_temp_file_of_a_killed_write_is_removed_by_the_next_write_there(tmp_path):
    day = tmp_path / "2026-01-02"
    day.mkdir()
    subprocess.run([sys.executable, "-c", KILLED_WRITE, str(day)], timeout=60)
    (left,) = day.iterdir()
    assert left.name.startswith(".digest.md.") and left.name.endswith(".tmp")
    fresh = subprocess.run(  # a writer may have made it just now: left alone
        [sys.executable, "-c", WRITE, str(day)], capture_output=True, text=True, timeout=60
    )
    assert fresh.returncode == 0, fresh.stderr
    assert left.exists()
    os.utime(left, (0, 0))
    subprocess.run([sys.executable, "-c", WRITE, str(day)], check=True, timeout=60)
    assert sorted(p.name for p in day.iterdir()) == ["feed.xml"]


WRITE = """
import sys
from pathlib import Path
from toolkit.fsutil import atomic_write_text
atomic_write_text(Path(sys.argv[1]) / "feed.xml", "<feed/>")
"""


def test_a_collect_row_with_outlets_that_are_not_json_is_skipped_with_a_warning(tmp_path):
    warnings = []
    state = CollectState(tmp_path / "collect.sqlite", warnings.append)
    state.record_article("f1", "https://a.example/1", "inbox/1.json", ["one"])
    state.record_page("https://a.example/1", "one", "new", fingerprint="f1")
    with state.db:
        state.db.execute("UPDATE articles SET outlets = 'one, two' WHERE fingerprint = 'f1'")
        state.db.execute("UPDATE pages SET attempts = 'many'")
    known = state.article("f1")
    assert (known.url, known.file, known.outlets) == ("https://a.example/1", "inbox/1.json", [])
    assert state.page("https://a.example/1") is None
    state.article("f1")
    assert len(warnings) == 2 and "outlets is not a JSON list of names" in warnings[0]
    state.record_article("f1", known.url, known.file, ["two"])  # the next sighting rewrites it
    assert state.article("f1").outlets == ["two"] and len(warnings) == 2
    state.close()


def test_collect_goes_on_past_a_bad_outlets_value(tmp_path):
    from collect_site import Site
    from test_collect import one_source

    state = tmp_path / "collect.sqlite"
    with Site() as site:
        sources = one_source(
            tmp_path, "pages", f'["{site.base}{site.page_path(site.articles[0])}"]'
        )
        args = ["collect", "--sources", sources, "--inbox", tmp_path / "in", "--state", state]
        env = {"TOOLKIT_COLLECT_DELAY": "0"}
        assert invoke(*args, env=env).exit_code == 0
        with sqlite3.connect(state) as db:
            db.execute("UPDATE articles SET outlets = '{not json'")
            db.execute("DELETE FROM pages")  # the page is fetched again: its text is known
        again = invoke(*args, env=env)
    assert again.exit_code == 0, again.output
    assert "Traceback" not in again.output
    assert "outlets is not a JSON list of names" in again.stderr
    assert "one: 0 new, 0 seen, 1 duplicate" in again.stdout  # known by its text, not new
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT outlets FROM articles").fetchall() == [('["one"]',)]


def test_a_stored_translation_that_is_not_one_is_decoded_again_with_a_warning(tmp_path):
    warned = []
    memory = TranslationMemory(tmp_path / "tm.sqlite", warned.append)
    good = translation_from_json('[{"source_tokens": 2, "limit": false, "hypotheses": []}]')
    memory.put_many("m", [("k1", "ar", good), ("k2", "ar", good)])
    with memory.db:
        memory.db.execute("UPDATE translations SET result = 'garbage' WHERE key = 'k1'")
    assert list(memory.get_many(["k1", "k2"])) == ["k2"]
    assert len(warned) == 1 and "decoded again" in warned[0]
    memory.close()


def test_memory_and_collect_state_of_version_0_are_adopted(tmp_path):
    memory = tmp_path / "tm.sqlite"
    with sqlite3.connect(memory) as db:
        db.execute("CREATE TABLE translations (key, model_sha256, source, result, created)")
    TranslationMemory(memory).close()
    assert version(memory) == 1 and not list(tmp_path.glob("*.corrupt-*"))
