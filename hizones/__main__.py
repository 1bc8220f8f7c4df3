"""Command line.

``python -m hizones validate [DATA_DIR]`` checks the data package.
``python -m hizones execute [BOOK] [-j N] [--path-output DIR]`` runs the book's notebooks in
parallel into Jupyter Book's cache (see `hizones.build.execute`).
``python -m hizones pdf [SINGLEHTML_DIR] [OUT.pdf]`` prints the single-page build to PDF.
``python -m hizones student-toc OUT`` writes the student edition's table of contents.
``python -m hizones answers`` gathers the exercises' recorded answers into chapters/answers.json.
``python -m hizones build zh_CN [--builder singlehtml] [--student]`` builds the Chinese edition.
``python -m hizones catalogues`` brings the Chinese catalogues (locales/) up to date with the English.
"""
import sys

USAGE = ("usage: python -m hizones validate [DATA_DIR] | execute [BOOK] [-j N] [--path-output DIR]"
         " | pdf [SINGLEHTML_DIR] [OUT.pdf] | answers | build zh_CN | catalogues")


def main(args: list[str]) -> int:
    command = args[0] if args else ""
    if command == "validate":
        from .sources.validate import main as run
    elif command == "execute":
        from .build.execute import main as run
    elif command == "pdf":
        from .build.pdf import main as run
    elif command == "build":
        from .build.editions import main as run
    elif command == "catalogues":
        from .build.extract import main as run
    elif command == "answers":
        from .build.answers import main as run
    elif command == "student-toc" and len(args) == 2:
        from pathlib import Path

        from .build.notebooks import student_toc

        student_toc(Path("."), Path(args[1]))
        return 0
    else:
        print(USAGE, file=sys.stderr)
        return 2
    return run(args[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
