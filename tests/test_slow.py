"""The acceptance runs of the training issue. The paper-protocol ones take minutes each on a CPU, so they run only when asked;
the demo (about a minute: 45 s here through the CLI) always runs.

    PDCQ_SLOW=1 .venv/bin/python -m pytest -q tests/test_slow.py
"""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest

slow = pytest.mark.skipif(not os.environ.get('PDCQ_SLOW'), reason='paper-protocol run (minutes on a CPU): set PDCQ_SLOW=1 to run it')
PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))


def _eval(path, tmp_path, runs=3):
    out = tmp_path / 'r.json'
    r = subprocess.run([PDCQ, 'eval', str(path), '--dataset', 'cifar10', '--protocol', 'dc', '--runs', str(runs), '--json', str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text())


@slow
def test_dm_ipc1_dc_protocol(shared, tmp_path):
    r = _eval(shared / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt', tmp_path)
    assert abs(r['mean'] - 26.0) <= 3, r


@slow
def test_mtt_ipc10_float32_dc_protocol(shared, tmp_path):
    r = _eval(shared / 'distilled/MTT/CIFAR10/IPC10/images_best.pt', tmp_path)
    assert abs(r['mean'] - 63.2) <= 2, r


def test_demo_under_two_minutes(tmp_path):  # an acceptance check cheap enough (45 s on an idle 2-core Xeon) to run in CI;
    # the bound leaves room for a slower CI machine (a clean-clone run once measured 124 s for the 300-epoch demo of before, 72 s here)
    import time
    t = time.time()
    r = subprocess.run([PDCQ, 'demo', '-o', str(tmp_path / 'demo')], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert time.time() - t < 120, f'demo took {time.time() - t:.0f} s'
    res = json.loads((tmp_path / 'demo' / 'demo.json').read_text()); rows = res['rows']
    assert all(row['mean'] > rows[0]['mean'] for row in rows[1:])
    assert res['protocol_name'] == 'demo'   # labelled as the scaled-down run it is
