"""Command line.

``python -m hizones validate [DATA_DIR]`` checks the data package.
``python -m hizones execute [BOOK] [-j N] [--path-output DIR]`` runs the book's notebooks in
parallel into Jupyter Book's cache (see `hizones.execute`).
"""
import sys

USAGE = "usage: python -m hizones validate [DATA_DIR] | execute [BOOK] [-j N] [--path-output DIR]"

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "validate":
        from .validate import main

        sys.exit(main(args[1:]))
    if args and args[0] == "execute":
        from .execute import main

        sys.exit(main(args[1:]))
    print(USAGE, file=sys.stderr)
    sys.exit(2)
