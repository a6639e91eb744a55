"""The wheel as a new user gets it: built with ``python -m build``, installed into a fresh virtual environment and
run from an empty folder, where nothing of the checkout (corpus/, configs/, seeds/) is in reach."""
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, SHARED, needs_shared


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with the wheel installed. Its dependencies are those of this environment
    (a .pth line), so the test needs no index and takes seconds; nlpkit itself comes only from the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((work / "dist").glob("nlpkit-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv / "bin"


def nlpkit(bin_dir: Path, cwd: Path, *args: str, stdin: bytes = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLPKIT_")}
    return subprocess.run([str(bin_dir / "nlpkit"), *args], cwd=cwd, input=stdin, capture_output=True, env=env)


@pytest.mark.slow
@needs_shared()
def test_the_wheel_works_from_an_empty_folder(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c", "import nlpkit; print(nlpkit.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert str(ROOT) not in where.stdout and "site-packages" in where.stdout  # nlpkit from the wheel, not the checkout
    (tmp_path / "report.txt").write_text("县应急管理局全年下拨资金3.2亿元。\n明年将新建避难场所6处。", encoding="utf-8")

    extracted = nlpkit(installed, tmp_path, "extract", "report.txt", "-o", "out.jsonl")
    assert extracted.returncode == 0, extracted.stderr.decode()[-1500:]
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["id"] == "report" and any(e["label"] == "QUANTITY" for e in record["entities"])

    evaluated = nlpkit(installed, tmp_path, "evaluate", "--gold", str(FIXTURES / "tiny.jsonl"))
    assert evaluated.returncode == 0, evaluated.stderr.decode()[-1500:]
    assert b"QUANTITY strict F" in evaluated.stdout and b"tfidf+LR sentences left out" in evaluated.stderr

    missing = nlpkit(installed, tmp_path, "corpus", "validate")
    assert missing.returncode == 2 and b"no corpus folder at corpus" in missing.stderr

    benched = nlpkit(installed, tmp_path, "bench", "report.txt", "--chars", "3000")
    assert benched.returncode == 0, benched.stderr.decode()[-1500:]
    assert b"whole pipeline, 1 process" in benched.stdout
    assert nlpkit(installed, tmp_path, "bench").returncode == 2  # no seeds/ here, and nothing else given

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.jsonl").write_text((FIXTURES / "tiny.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "splits.json").write_text(json.dumps({"dev": ["t2"], "test": ["t3"]}), encoding="utf-8")
    shipped = Path(where.stdout.strip()).parent / "models" / "zh_nlpkit_reports" / "meta.json"
    before = shipped.read_bytes()
    trained = nlpkit(installed, tmp_path, "train", "--shared", str(SHARED), "--training.max_steps", "4")
    stderr = trained.stderr.decode()
    assert trained.returncode == 0, stderr[-2000:]
    assert "shipped pipeline's config" in stderr and "trained pipeline (the last step)" in stderr
    meta = json.loads((tmp_path / "training" / "model-last" / "meta.json").read_text(encoding="utf-8"))
    assert meta["nlpkit"]["test_reports"] == ["t3"]  # the last step is the one scored on the test split
    assert shipped.read_bytes() == before  # without --ship the installed pipeline is left alone
