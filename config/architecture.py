"""The diagram of the apps in docs/architecture.md, written from the import-linter contract in
pyproject.toml (the layers ``make test`` holds): ``python -m config.architecture`` writes it
between its markers, and a test fails while the two differ."""

import itertools
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- apps diagram: begin -->", "<!-- apps diagram: end -->"


def layers() -> list[str]:
    """The apps from the top layer down, as the contract lists them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def diagram() -> str:
    """A Mermaid flowchart: each app imports only the apps below it; an arrow from each layer
    to the next, and ``config`` beside them all."""
    apps = layers()
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"    {upper} --> {lower}" for upper, lower in itertools.pairwise(apps)]
    lines += ["    config[config: settings, URLs, the Celery app, shared helpers]", "```"]
    return "\n".join(lines)


def written(text: str) -> str:
    """``text`` (the document) with the diagram between its markers replaced."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(lambda _: f"{BEGIN}\n{diagram()}\n{END}", text)


if __name__ == "__main__":
    DOC.write_text(written(DOC.read_text()))
    sys.exit(0)
