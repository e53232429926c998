"""List the benchmarks, or run them: `python -m bench [all | NAME ...] [-- ARGS]`.

Each benchmark is a module `bench/<name>.py` with `main(argv) -> int`, runnable alone as
`python -m bench.<name> [ARGS]`. Run from here, each one runs in its own process: they set Django
up differently (letters and fhir_submit may create a throw-away database), so one must not
inherit another's settings. ARGS after `--` go to every benchmark named.
"""

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def modules() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


def summary(name: str) -> str:
    # Read the docstring without importing: importing a benchmark must not set Django up.
    doc = ast.get_docstring(ast.parse((HERE / f"{name}.py").read_text())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1 :]
    if not argv:
        print("Benchmarks (`python -m bench all`, `python -m bench NAME ...` or")
        print("`python -m bench.NAME --help`):")
        for name in modules():
            print(f"  {name:14} {summary(name)}")
        return 0
    names = modules() if argv == ["all"] else argv
    unknown = [n for n in names if n not in modules()]
    if unknown:
        print(f"Unknown benchmark {unknown[0]!r}; choose from {', '.join(modules())} or all.")
        return 2
    failed = 0
    for name in names:
        print(f"\n== bench.{name} ==", flush=True)
        # Names are checked against the modules above; the command is this interpreter.
        command = [sys.executable, "-m", f"bench.{name}", *extra]
        failed |= subprocess.call(command) != 0  # noqa: S603
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
