"""What every command group shares: the app, error handling, common options, set-up helpers."""

import contextlib
import functools
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperArgument, TyperCommand

from toolkit import __version__
from toolkit.errors import ToolkitError
from toolkit.model.store import DEFAULT_MODEL_DIR
from toolkit.state.settings import check_all as check_settings

# Plain click help (rich_markup_mode=None): paragraphs are re-filled to the terminal width,
# `\b` keeps a block as written, and "[default: …]" in help text is shown, not read as markup.
app = typer.Typer(
    help="Offline Arabic→English translation and briefing (OPUS-MT Marian models on "
    "CTranslate2; opus-mt-tc-big-ar-en by default).\n\n"
    "Stages: ingest → glossary → translate → brief → publish. Results go to stdout or files; "
    "progress and warnings go to stderr. Exit codes: 0 done, 1 some inputs failed, "
    "2 usage or configuration error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class HelpCommand(TyperCommand):
    """A command whose arguments show as their docstrings name them: FILE, OUT_DIR."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar is None:
                param.metavar = param.name.upper()


def command(group: typer.Typer, name: str | None = None):
    """Register a command whose ToolkitErrors become one stderr line and their exit code."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                check_settings()  # a bad TOOLKIT_* value: one line before any work
                return function(*args, **kwargs)
            except ToolkitError as error:
                typer.echo(f"toolkit: error: {error}", err=True)
                raise typer.Exit(error.exit_code) from None
            except OSError as error:  # a folder or file the job cannot use: one line, exit 2
                typer.echo(f"toolkit: error: {os_error_line(error)}", err=True)
                raise typer.Exit(2) from None

        group.command(name, cls=HelpCommand)(run)
        return function

    return decorate


def os_error_line(error: OSError) -> str:
    from toolkit.fsutil import reason, shown

    names = [shown(name) for name in (error.filename, error.filename2) if name is not None]
    return ": ".join([*names, reason(error)])


def warn(message: str) -> None:
    typer.echo(f"toolkit: warning: {message}", err=True)


def exit_on_problems(problems: list) -> None:
    """Name each part left out on stderr, and exit 1 if any was (the rest is written)."""
    for problem in problems:
        typer.echo(f"toolkit: error: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    pass


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help=f"CTranslate2 model folder [default: $TOOLKIT_MODEL, else {DEFAULT_MODEL_DIR}].",
        show_default=False,
    ),
]
BeamOption = Annotated[int, typer.Option("--beam", min=1, max=16, help="Beam size.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--glossary",
        help="Glossary TSV (repeatable). [default: every glossaries/*.tsv]",
        show_default=False,
        metavar="PATH",
    ),
]
NoGlossaryOption = Annotated[
    bool, typer.Option("--no-glossary", help="Translate without glossary.")
]
EnforceOption = Annotated[
    str,
    typer.Option(
        "--enforce",
        help="How glossary terms are enforced: combined (inject English into the source + "
        "4-best re-ranking + suppress known variants + post-edit), inject, placeholder, rerank, "
        "suppress, post-edit or none. Every choice verifies terms and flags misses.",
    ),
]

VmapOption = Annotated[
    bool,
    typer.Option(
        "--vmap",
        help="Decode with the model folder's vocabulary map (build it with `toolkit model "
        "vmap`): faster, but it can change translations; off by default, and only `make eval` "
        "on the real model shows what it costs in quality.",
    ),
]


def progress_bar(description: str, quiet: bool):
    from toolkit.progress import progress_bar as bar

    return bar(description, quiet)


def load_glossary_option(paths: list[Path] | None, disabled: bool):
    from toolkit.glossary import default_glossary_files, load_glossary

    if disabled:
        return None
    files = paths or default_glossary_files()
    if not files:
        warn("no glossary found (glossaries/*.tsv): translating without one")
        return None
    return load_glossary(files)


def make_pipeline(model, beam, glossary, no_glossary, enforce, vmap=False):
    """Check everything that can be wrong in the set-up before loading the model."""
    from toolkit.errors import ConfigError
    from toolkit.glossary.enforce import STRATEGIES
    from toolkit.glossary.entries import default_glossary_folder
    from toolkit.model import resolve_model_dir
    from toolkit.model.vmap import vmap_sha256
    from toolkit.names import NameFinder
    from toolkit.pipeline import Pipeline
    from toolkit.translate import DecodingOptions

    if enforce not in STRATEGIES:
        raise ConfigError(f"unknown --enforce {enforce!r}: use one of {', '.join(STRATEGIES)}")
    model = resolve_model_dir(model)
    options = DecodingOptions(beam_size=beam, vmap=vmap_sha256(model) if vmap else None)
    loaded = load_glossary_option(glossary, no_glossary)
    names = NameFinder.from_folder(default_glossary_folder())
    return Pipeline(load_engine(model), options, loaded, STRATEGIES[enforce], names=names)


def open_memory(path: Path):
    """The translation memory; a corrupt one is set aside, an unusable one left out, with a
    warning (it is a cache)."""
    from toolkit.translate import TranslationMemory

    return TranslationMemory(path, warn)


def load_engine(model: Path | None):
    from toolkit.model import resolve_model_dir
    from toolkit.translate import Engine

    engine = Engine(resolve_model_dir(model))
    if engine.info.synthetic:
        warn(
            f"model {engine.model_dir} is SYNTHETIC (random weights, shape {engine.info.shape}): "
            "its translations are meaningless; outputs are marked synthetic: true"
        )
    return engine


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Decode on a local Dask cluster of N worker processes (127.0.0.1), each with its "
        "share of the cores. [default: this process's own translator]",
        show_default=False,
        metavar="N",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Decode on the existing Dask cluster at ADDRESS (tcp://host:8786); its workers "
        "must see the model at the --model path. [default: $TOOLKIT_SCHEDULER]",
        show_default=False,
        metavar="ADDRESS",
    ),
]


@contextlib.contextmanager
def decoding_on(pipeline, workers: int | None, scheduler: str | None):
    """The pipeline decodes on a Dask cluster for the duration (--workers/--scheduler)."""
    from toolkit.translate.cluster import executor_for

    with executor_for(pipeline.engine, workers, scheduler) as executor:
        pipeline.executor = executor
        yield


WaitOption = Annotated[
    bool,
    typer.Option("--wait", help="Wait for another run on the same outputs instead of exiting 2."),
]


def memory_option(default: str) -> object:
    return typer.Option(
        "--tm", help=f"Translation memory (SQLite) [default: {default}].", show_default=False
    )
