"""`pdcq sweep` on a local Ray with 2 CPUs (issue 18's acceptance): stop the driver half-way, rerun, and only the missing
(row, seed) pairs train; the results equal a sequential run of the same rows with one torch thread, as each task has."""
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
import torch

ray = pytest.importorskip('ray', reason='Ray is not installed (pip install "pdcq_nb[cluster]")')
PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))


def _table(tmp: Path) -> Path:
    from pdcq_nb.data import load_digits
    d = load_digits()
    keep = torch.cat([torch.nonzero(d.y == k).flatten()[:20] for k in range(10)])
    np.savez(tmp / 'd20.npz', x=d.x[keep].numpy(), y=d.y[keep].numpy())
    doc = dict(budget_ipc=1, sources={'d20': dict(path='d20.npz', dataset='digits', note='20 real digits per class')},
               rows=[dict(name='f32', source='d20', recipe='float32', args=dict(n_per_class=2), label='float32, 2 per class'),
                     dict(name='gaq', source='d20', recipe='pdcq', args=dict(method='gaq', bits=2, patch=2), label='GAQ 2-bit 2x2')])
    (tmp / 'rows.json').write_text(json.dumps(doc))
    return tmp / 'rows.json'


def test_sweep_resumes_after_the_driver_is_killed(tmp_path):
    table = _table(tmp_path)
    args = [PDCQ, 'sweep', 'f32', 'gaq', '--table-file', table, '--runs', 2, '--protocol', 'quick', '--num-cpus', 2,
            '--out', tmp_path / 'out', '--cache', tmp_path / 'cache']
    args = list(map(str, args))
    cache = tmp_path / 'cache'
    # the first sweep: killed (SIGKILL, the whole process group) as soon as the first network is in the cache
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    t0 = time.time()
    while not (cache.is_dir() and list(cache.glob('*.json'))):
        assert p.poll() is None, f'the sweep ended before any result: {p.communicate()[1][-2000:]}'
        assert time.time() - t0 < 300, 'no result within 300 s'
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    first = {f.name for f in cache.glob('*.json')}
    assert 1 <= len(first) < 4, first   # stopped half-way: some, not all, of the 4 (row, seed) networks
    assert not (tmp_path / 'out' / 'gaq.json').exists() or not (tmp_path / 'out' / 'f32.json').exists()
    # the rerun trains only what is missing
    r = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().split('\n')[-1] == f'trained {4 - len(first)}, from the cache {len(first)}, failed 0', r.stdout
    assert first < {f.name for f in cache.glob('*.json')}
    # the same as the sequential runner on the same rows, one torch thread as each task has
    from pdcq_nb.experiments import read_table, run_row, RunSettings
    from pdcq_nb.train import get_protocol
    tb = read_table(table)
    rs = RunSettings(protocol=get_protocol('quick'), runs=2, out=tmp_path / 'seq', cache=tmp_path / 'seq-cache', device='cpu')
    n = torch.get_num_threads(); torch.set_num_threads(1)
    try: seq = {name: run_row(tb, name, rs) for name in ('f32', 'gaq')}
    finally: torch.set_num_threads(n)
    for name in ('f32', 'gaq'):
        got = json.loads((tmp_path / 'out' / f'{name}.json').read_text())
        assert (got['accs'], got['seeds'], got['sha256_x']) == (seq[name]['accs'], seq[name]['seeds'], seq[name]['sha256_x'])
        assert got['command'] == f'pdcq sweep --table-file {table} --rows {name} --runs 2 --protocol quick'
