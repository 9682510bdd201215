"""Run every notebook in nbs/ with nbdev's test machinery, skipping cells flagged with settings.ini's tst_flags.

Force flagged cells with e.g. `PDCQ_FLAGS="slow" pytest tests/test_notebooks.py`.
"""
import os
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

NBS = Path(__file__).resolve().parents[1] / 'nbs'
LESSON = lambda p: p.name == 'index.ipynb' or p.name[:2] < '20'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook(nb):
    skip = get_config(path=NBS.parent).tst_flags.split()
    force = os.environ.get('PDCQ_FLAGS', '').split()
    ok, secs = run_notebook(nb, skip_flags=skip, force_flags=force, showerr=True)
    assert ok, f'{nb.name} failed (see the traceback above)'
    print(f'{nb.name}: {secs:.0f} s')
    if LESSON(nb) and not force:  # the course promises each lesson runs on a CPU in under three minutes
        assert secs < 180, f'{nb.name} took {secs:.0f} s in test mode; lessons must stay under 180 s'
