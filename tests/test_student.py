"""The student's test: every notebook in nbs/ run top to bottom in a real Jupyter kernel (nbclient), as Run All does —
no nbdev flag is honoured, so `slow` and `gpu` cells run too — on the CPU, without the development data.

`PDCQ_DATA` is pointed at a folder that does not exist, so `shared_data_root()` finds nothing (as on a student's laptop
without ../shared). Each notebook must validate with nbformat, raise nowhere and finish in under 180 s (on an idle
2-core CPU the lessons take 3–24 s each, the slowest toolbox notebook, 24_cli, 35 s). `PDCQ_STUDENT_DATA=1` runs the same with the data present (as a student who has it).
"""
import os, time
from pathlib import Path
import nbformat, pytest

NBS = Path(__file__).resolve().parents[1] / 'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))


def run_all(path: Path, env: dict, timeout: int = 900) -> float:
    "Execute a notebook as Run All does, in nbs/, in a fresh kernel with `env` set; return the seconds it took."
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)   # validity: test_every_notebook_validates
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        t = time.time()
        NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(NBS)}}).execute()
        return time.time() - t
    finally:
        for k, v in old.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_run_all(nb, tmp_path):
    with_data = os.environ.get('PDCQ_STUDENT_DATA') == '1'
    env = {'MPLBACKEND': 'Agg'} if with_data else {'MPLBACKEND': 'Agg', 'PDCQ_DATA': str(tmp_path / 'no-shared-data')}
    secs = run_all(nb, env)
    print(f'{nb.name}: {secs:.0f} s ({"with" if with_data else "without"} ../shared)')
    if not with_data:
        assert secs < 180, f'{nb.name} took {secs:.0f} s on Run All; a notebook must finish in under 180 s on a 2-core CPU'


def test_every_notebook_validates():
    bad = []
    for p in NOTEBOOKS:
        try: nbformat.validate(nbformat.read(p, as_version=4))
        except Exception as e: bad.append(f'{p.name}: {str(e).splitlines()[0]}')
    assert not bad, 'invalid notebooks: ' + '; '.join(bad)
