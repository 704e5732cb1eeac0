"""What the person running the toolkit sees: `make translate` stdout, a second night's log,
the demo's last words, and the commands that reach the network."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, fresh_clone, invoke

ARTICLE = "غرامة جديدة على تيليغرام\nفرضت محكمة في موسكو غرامة على تطبيق تيليغرام.\n"


def test_make_translate_writes_only_the_translation_to_stdout(tiny_model, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    clone, make = fresh_clone(tmp_path)
    make = [arg for arg in make if arg not in ("-C", str(clone))]  # as typed in the checkout
    shell = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    run = subprocess.run(  # a shell's make, not one under `make test` (that prints directories)
        [*make, "translate", f"FILE={article}", f"MODEL={tiny_model}"],
        cwd=clone,
        env=shell,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    alone = invoke("translate", article, "--model", tiny_model)
    assert alone.exit_code == 0 and alone.stdout.strip()
    assert run.stdout == alone.stdout  # nothing of make's own: no command line, no directory
    assert "SYNTHETIC" in run.stderr  # the warning stays on stderr


def nightly_process(inbox: Path, outputs: Path, model: Path, day: str):
    """A nightly as cron runs it: its own process, stderr not a terminal, no --quiet."""
    command = [sys.executable, "-m", "toolkit", "nightly", "--inbox", str(inbox)]
    command += ["--outputs", str(outputs), "--date", day, "--model", str(model), "--beam", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=inbox.parent)


def test_a_second_night_over_the_same_inbox_says_one_line_about_earlier_files(tiny_model, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = [f"article-{n}.txt" for n in range(4)]
    for number, name in enumerate(names):
        (inbox / name).write_text(ARTICLE.replace("جديدة", f"جديدة {number}"), encoding="utf-8")
    first = nightly_process(inbox, tmp_path / "outputs", tiny_model, "2026-11-23")
    assert first.returncode == 0, first.stderr
    second = nightly_process(inbox, tmp_path / "outputs", tiny_model, "2026-11-24")
    assert second.returncode == 0, second.stderr
    lines = (second.stdout + second.stderr).splitlines()
    about = [line for line in lines if "earlier" in line or any(n in line for n in names)]
    assert len(about) == 1, about
    assert "4 published earlier" in about[0]


def test_make_demo_ends_by_saying_how_to_search_and_browse_the_demo_archive():
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make")
    skip = ["-o", "setup", "-o", ".venv/.installed", "-o", "demo-model", "-o", "nightly"]
    dry = subprocess.run(
        [make, "-s", "-n", "-C", str(REPO), *skip, "demo"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout
    tail = dry.strip().splitlines()[-4:]
    assert "outputs/demo" in tail[0]
    assert "toolkit search QUERY --outputs outputs/demo" in tail[2]
    assert "make browse OUTPUTS=outputs/demo" in tail[3] and "index.html" in tail[1]


NETWORK_LIBRARIES = {"httpx", "httpx2", "huggingface_hub", "smtplib", "requests", "urllib.request"}
# the module that reaches the network → the command it serves
NETWORKED = {
    "toolkit/model/fetch.py": "model fetch",
    "toolkit/collect/http.py": "collect",
    "toolkit/deliver/smtp.py": "send",
}


def network_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found |= {
            n for n in names for lib in NETWORK_LIBRARIES if n == lib or n.startswith(lib + ".")
        }
    return found


def test_the_networked_commands_are_the_ones_the_docs_and_the_help_name():
    reaching = {
        str(path.relative_to(REPO))
        for path in sorted((REPO / "toolkit").rglob("*.py"))
        if network_imports(path)
    }
    assert reaching == set(NETWORKED), reaching  # a new one: name it in the docs and here
    commands = sorted(NETWORKED.values())
    page = " ".join((REPO / "docs" / "models.md").read_text(encoding="utf-8").split())
    listed = page.split("Networked commands:", 1)[1].split(". Every other command", 1)[0]
    assert sorted(re.findall(r"`toolkit ([a-z ]+)`", listed)) == commands
    assert "only networked" not in page
    helped = " ".join(invoke("model", "fetch", "--help").stdout.split())
    assert "Networked commands: model fetch (the hub), collect" in helped and "send" in helped
    assert "only networked" not in helped
