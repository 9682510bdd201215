"""Issue 27: `pdcq curve` on the embedded digits (the acceptance command), and the committed curves of results/."""
import json, shutil, subprocess, sys, time
from pathlib import Path
import pytest

PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))
RESULTS = Path(__file__).resolve().parent.parent / 'results'
FIELDS = {'storage', 'budget_ipc', 'budget_bytes', 'bytes', 'n_per_class', 'mse', 'accs', 'mean', 'std', 'seeds', 'runs'}


def test_curve_digits_cli(tmp_path):
    """The acceptance command, caches in tmp_path: JSON and figure written, every point within its budget, in < 3 min on this CPU.
    Idle here it took 97 s in session 13 and 145 s (the same code) to 172 s on 2026-12-07: the host's speed varies by half, so the
    bound is the issue's 3 minutes plus that margin."""
    out = tmp_path / 'curve.json'
    t0 = time.time()
    r = subprocess.run([PDCQ, 'curve', 'digits', '--dataset', 'digits', '-o', out, '--cache', tmp_path / 'cache',
                        '--points', tmp_path / 'points'], capture_output=True, text=True)
    seconds = time.time() - t0
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text())
    assert out.with_suffix('.png').stat().st_size > 10_000
    assert res['protocol']['name'] == 'demo-60ep' and res['runs'] == 2 and res['budgets'] == [0.5, 1, 2, 5]
    assert {q['storage'] for q in res['points']} == {'float32', 'float16', 'paper', 'search', 'codec', 'real'}
    fit = [q for q in res['points'] if q['fits']]
    assert all(FIELDS <= set(q) and q['bytes'] <= q['budget_bytes'] and q['runs'] == 2 and q['seeds'] == [0, 1] for q in fit)
    by = {(q['storage'], q['budget_ipc']): q for q in res['points']}
    assert not by[('float32', 0.5)]['fits'] and 'over the budget' in by[('float32', 0.5)]['why']   # none below IPC 1
    assert by[('float32', 1)]['n_per_class'] == 1 and by[('search', 1)]['n_per_class'] > 1
    assert res['ceiling']['runs'] == 2 and 'IPC 1 ' in r.stdout and 'wrote' in r.stdout
    print(f'pdcq curve digits: {seconds:.0f} s')
    assert seconds < 270, f'pdcq curve digits took {seconds:.0f} s'
    again = subprocess.run([PDCQ, 'curve', 'digits', '--dataset', 'digits', '-o', out, '--cache', tmp_path / 'cache',
                            '--points', tmp_path / 'points', '--budgets', '1'], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    res2 = json.loads(out.read_text())
    by2 = {(q['storage'], q['budget_ipc']): q for q in res2['points']}
    assert by2[('float32', 1)]['accs'] == by[('float32', 1)]['accs']   # from the caches
    assert set(by2) == set(by) and res2['budgets'] == [0.5, 1, 2, 5]   # the other budgets' points kept in the JSON


def test_curve_bad_input(tmp_path):
    for args, msg in [(['--budgets', '0.1,x'], '--budgets: not a number'), (['--storages', 'float64'], 'unknown storage'),
                      (['-o', tmp_path / 'c.txt'], 'must name a .json file')]:
        r = subprocess.run([PDCQ, 'curve', 'digits', '--dataset', 'digits', *map(str, args)] + ([] if '-o' in args else ['-o', tmp_path / 'c.json']),
                           capture_output=True, text=True)
        assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.mark.parametrize('path', sorted(RESULTS.glob('curve_*.json')), ids=lambda p: p.name)
def test_committed_curves(path):
    "Every committed point within its budget, with its storage, bytes, images per class, pixel MSE, protocol, seeds and accuracies."
    res = json.loads(path.read_text())
    assert res['protocol']['name'] and res['command'].startswith('.venv/bin/python scripts/curves.py')
    for q in res['points']:
        assert q['budget_bytes'] == int(q['budget_ipc'] * 10 * 3 * 32 * 32 * 4 + 1e-6)
        if q['fits']:
            assert q['bytes'] <= q['budget_bytes'] and FIELDS - {'accs', 'mean', 'std', 'seeds'} <= set(q)
            if q['runs']: assert len(q['accs']) == q['runs'] and q['seeds'] == list(range(q['runs']))
        else: assert q['why']


def test_curves_script_tiny(shared, tmp_path):
    "The script a GPU would run (`--protocol dc --runs 3 --device cuda`), at a tiny scale on the CPU: same code path, 1 epoch."
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, root / 'scripts/curves.py', '--sources', 'dm50', '--budgets', '0.5', '--storages', 'float16,paper',
                        '--protocol', 'dc', '--epochs', '1', '--runs', '1', '--device', 'cpu', '--out', tmp_path, '--runs-dir', tmp_path],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads((tmp_path / 'curve_dm50_dc-1ep.json').read_text())
    assert res['protocol']['name'] == 'dc-1ep' and res['command'].endswith('--protocol dc --epochs 1 --budgets 0.5 --storages float16,paper')
    pts = {q['storage']: q for q in res['points']}
    assert set(pts) == {'float16', 'paper'} and pts['float16']['n_per_class'] == 1 and pts['paper']['n_per_class'] > 1
    assert all(q['runs'] == 1 and q['bytes'] <= 61_440 == q['budget_bytes'] for q in pts.values())
    assert (tmp_path / 'curve_dm50_dc-1ep.png').exists()
