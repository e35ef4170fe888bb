"""The ``serokg`` command: a thin layer over the library.

Each command parses its options, calls one library function and formats the result.  Data
errors (:class:`~serokg.errors.SerokgError`) are caught once, here, and printed to stderr
with exit code 1; usage errors exit 2 with typer's message; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Annotated

import typer
from typer.core import TyperGroup

from serokg.cli.output import count, echo
from serokg.errors import DataError, SerokgError

__all__ = ["EXTRAS", "app", "run"]

#: Optional package (as imported) -> the extra of pyproject.toml that installs it.
EXTRAS = {"pyvis": "view", "shacl_rust": "shacl", "nanopub_sign": "sign"}


class _Group(TyperGroup):
    """Turns library errors into a clean message and exit 1, for every command."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk behind stdout is reported here, not at exit
            return result
        except DataError as exc:
            for problem in exc.problems:
                echo(str(problem), err=True)
            n = exc.count
            shown = f" (the first {len(exc.problems)} shown)" if exc.omitted else ""
            echo(f"error: {count(n, 'problem')} found{shown}", err=True)
            ctx.exit(1)
        except SerokgError as exc:
            echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except ModuleNotFoundError as exc:
            top = (exc.name or "").split(".")[0]
            if top not in EXTRAS:
                raise
            what = " ".join(["serokg", *([ctx.invoked_subcommand] if ctx.invoked_subcommand else [])])
            echo(f"error: {what} needs {top}, which is not installed: pip install 'serokg[{EXTRAS[top]}]'", err=True)
            ctx.exit(1)
        except BrokenPipeError:  # `serokg query | head` is a normal way to read output
            _drop_stdout()
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:  # files are written through WriteError: without a file name, this is stdout
            if exc.filename is None:
                _drop_stdout()
            where = f"{exc.filename}" if exc.filename is not None else "cannot write stdout"
            echo(f"error: {where}: {exc.strerror or exc}", err=True)
            ctx.exit(1)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # keep the order commands were added
        return list(self.commands)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not fail a second time."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=_Group,
    name="serokg",
    help="A knowledge graph of claims about serotonin receptors: query, export and browse them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



def _version(value: bool) -> None:
    if value:
        import serokg

        typer.echo(f"serokg {serokg.__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                                help="Print the version and exit.")] = False) -> None:
    """A knowledge graph of claims about serotonin receptors: query, export and browse them."""


# Each module registers its commands on `app`; heavy libraries are imported inside the commands.
COMMAND_MODULES = ["serokg.cli.core", "serokg.cli.answers", "serokg.cli.view", "serokg.cli.analyse", "serokg.cli.rdf",
                   "serokg.cli.index"]
for _name in COMMAND_MODULES:
    import_module(_name).register(app)


def run() -> None:
    """Console-script entry point."""
    index = import_module("serokg.graph.index")
    index.DETACH = True  # first-use index builds wait until the answer is out
    try:
        app()
    except SystemExit as done:
        index.after_answer(done.code)
        raise
