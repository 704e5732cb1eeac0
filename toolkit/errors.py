"""Errors the CLI turns into one line on stderr and an exit code (see DESIGN.md)."""


class ToolkitError(Exception):
    """Base class: the message is shown to the user as it is, on one line."""

    exit_code = 2


class ConfigError(ToolkitError):
    """Usage or configuration problem (missing model, bad glossary, bad arguments): exit 2."""

    exit_code = 2


class InputError(ToolkitError):
    """An input file could not be read; other inputs may still succeed: exit 1."""

    exit_code = 1


class OutputError(ToolkitError):
    """An output could not be written (a read-only folder, no space left): exit 2."""

    exit_code = 2
