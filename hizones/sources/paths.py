"""Where things live. Everything is found relative to the repository, never the working dir."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SOURCE_TEXT = DATA / "source" / "briefing-zh.txt"
ERRATA = DATA / "source" / "errata.csv"
PACKAGE = DATA / "datapackage.json"


def rel(path: Path) -> str:
    """Path as shown in messages: relative to the repository when possible."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
