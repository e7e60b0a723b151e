"""docs/architecture.md describes the code as it is: its diagram of the apps is the import-linter
contract's layers, written by ``python -m config.architecture``."""

import itertools

from config import architecture


def test_the_documents_diagram_is_the_contract():
    text = architecture.DOC.read_text()
    assert architecture.written(text) == text, "run python -m config.architecture"
    for upper, lower in itertools.pairwise(architecture.layers()):
        assert f"{upper} --> {lower}" in text


def test_the_document_names_every_app():
    text = architecture.DOC.read_text()
    for app in architecture.layers():
        assert f"**{app}/**" in text, app
    assert "filled by the issues that follow" not in text
