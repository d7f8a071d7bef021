"""`python -m bench <name> [options]`: run one benchmark; each lives in its own module."""

from __future__ import annotations

import importlib
import sys

# Sub-command -> module; a name not listed here is looked up as bench.<name>.
MODULES = {
    "matching": "bench.matching_bench",
    "api": "bench.api_latency",
    "api-latency": "bench.api_latency",
    "live": "bench.live",
    "start-path": "bench.start_path",
    "soak": "bench.soak",
    "seat-model": "bench.seat_model",
    "seats": "bench.seats",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        names = ", ".join(sorted(MODULES))
        print(f"usage: python -m bench NAME [options]   (NAME: {names}; NAME --help for options)")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(MODULES.get(name, f"bench.{name.replace('-', '_')}"))
    result = module.main(rest)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
