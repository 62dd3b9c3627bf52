"""Entry point of the PyInstaller build: the same `carebinder` command.

A frozen app has no `python -m`: the ingest sandbox starts its child as
`<executable> -m app.ingest.sandbox LIMIT`, so that form is served here.
"""

import sys


def run() -> int:
    if sys.argv[1:3] == ["-m", "app.ingest.sandbox"]:
        from app.ingest import sandbox

        sandbox.serve(int(sys.argv[3]) if len(sys.argv) > 3 else sandbox.MEMORY_LIMIT)
        return 0
    from app.cli.main import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
