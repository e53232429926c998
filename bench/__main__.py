"""List the benchmark modules, or run the named ones: `python -m bench [name ...]`."""

import importlib
import pkgutil
import sys
from pathlib import Path


def modules() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    names = argv or []
    if not names:
        print("Benchmarks (run with `python -m bench NAME` or `python -m bench.NAME`):")
        for name in modules():
            doc = (importlib.import_module(f"bench.{name}").__doc__ or "").strip().splitlines()
            print(f"  {name:24} {doc[0] if doc else ''}")
        return 0
    for name in names:
        if name not in modules():
            print(f"Unknown benchmark {name!r}; choose from {', '.join(modules())}.")
            return 2
        importlib.import_module(f"bench.{name}").main([])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
