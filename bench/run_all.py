"""Run every benchmark (`make bench`). The pure ones always; the ones that need PostgreSQL only when
DATABASE_URL points at it (they generate 20,000 tasks there on their first run, which takes minutes):

    make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench make bench
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PURE = [["bench_parser.py"], ["bench_scoring.py"]]
POSTGRES = [["bench_scoring.py", "--db"], ["bench_tasks.py"], ["bench_pages.py"], ["bench_export.py"], ["bench_sweep.py"]]


def main() -> int:
    runs = list(PURE)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        runs += POSTGRES
    else:
        print("DATABASE_URL is not PostgreSQL: skipping the database benchmarks.\n")
    failed = 0
    for args in runs:
        print(f"== {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
