"""The notebooks execute top to bottom on the installed package (as in CI on a fresh clone)."""
from __future__ import annotations

import pytest

from .conftest import ROOT, needs_shared

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute(path):
    """Run every cell in a fresh kernel with the notebook's folder as working directory."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def test_the_three_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01_quickstart", "02_train_and_evaluate", "03_report_analysis"]


@pytest.mark.slow
@needs_shared()
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_shows_its_results(path):
    notebook = execute(path)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = {kind for o in outputs for kind in o.get("data", {})}
    assert {"text/html", "image/png"} & shown, "a notebook should show a table, a rendering or a plot"
