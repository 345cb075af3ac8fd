"""The ``steppe`` command.

Each command group lives in its own module with a ``register(app)`` function;
this module only wires them together and turns steppe's errors into one clear
message and a non-zero exit code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.console import Console

from steppe.errors import SteppeError

app = typer.Typer(
    name="steppe",
    help="steppe: an open migration observatory for Central Asia.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# command-group modules under steppe.cli, in the order their commands are listed
COMMAND_MODULES = (
    "ingest",
    "stock",
    "governance",
    "flows",
    "quality",
    "remittances",
    "gravity",
    "monitor",
    "microdata",
    "serve",
    "profile",
    "doctor",
)

for _name in COMMAND_MODULES:
    if importlib.util.find_spec(f"steppe.cli.{_name}") is not None:
        importlib.import_module(f"steppe.cli.{_name}").register(app)


def run() -> None:
    """Entry point: run the app and print steppe's errors as one readable line."""
    try:
        code = app(standalone_mode=False)
    except SteppeError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code or 1)
    except (typer.Abort, KeyboardInterrupt):
        Console(stderr=True).print("aborted")
        sys.exit(130)
    except Exception as exc:  # usage errors of click (typer may vendor its own copy)
        kind = {c.__name__ for c in type(exc).__mro__}
        if "ClickException" in kind:
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if "Exit" in kind and hasattr(exc, "exit_code"):
            sys.exit(exc.exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    run()
