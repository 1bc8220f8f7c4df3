"""Command line: ``python -m hizones validate [DATA_DIR]`` checks the data package."""
import sys

from .validate import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "validate":
        print("usage: python -m hizones validate [DATA_DIR]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[1:]))
