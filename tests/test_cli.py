"""The installed `pdcq` console script, run as a user would (the acceptance commands of the foundation issue)."""
import json, shutil, subprocess, sys, warnings
from pathlib import Path
import numpy as np
import pytest
import torch

PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))


def pdcq(*args, check=True):
    r = subprocess.run([PDCQ, *map(str, args)], capture_output=True, text=True)
    if check: assert r.returncode == 0, r.stderr
    return r


def test_mtt_ipc10_fits_ipc1_budget(shared, tmp_path):
    syn = shared / 'distilled/MTT/CIFAR10/IPC10/images_best.pt'
    out = tmp_path / 'm.pdcq'
    pdcq('compress', syn, '--dataset', 'cifar10', '--method', 'gaq', '--bits', 2, '--patch', 5, '--groups', 'auto', '--budget-ipc', 1, '-o', out)
    j = json.loads(pdcq('info', out, '--json').stdout)
    assert j['n_images'] == 100 and j['per_class'] == [10] * 10
    assert j['file_bytes'] == out.stat().st_size <= 122_880 == j['budget_bytes']
    assert sum(j['ledger'].values()) == j['file_bytes']
    # issue 9's acceptance: context-coded symbols at most 0.70x their order-0 bound and below lzma of the same symbols;
    # parameters and group map at most 2.5 B per region
    assert j['version'] == 2 and j['coder'] == 'wavefront' and j['params'] == 'grid'
    assert j['symbols_bytes'] <= 0.70 * j['symbols_entropy_bound_bytes'] and j['symbols_bytes'] < j['symbols_lzma_bytes']
    assert j['ledger'].get('quant_params', 0) + j['ledger'].get('group_indices', 0) <= 2.5 * j['regions']
    pdcq('decompress', out, '-o', tmp_path / 'x.npz')
    from pdcq_nb.data import load_condensed
    from pdcq_nb.budget import fit_budget
    from pdcq_nb.codec import Settings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); s = load_condensed(syn, 'cifar10')
    c = fit_budget(s, Settings(method='gaq', bits=2, patch=5), budget_ipc=1, groups='auto')
    with np.load(tmp_path / 'x.npz') as z:
        assert z['x'].dtype == np.float32 and z['y'].dtype == np.int64
        assert np.array_equal(z['x'], c.x.numpy()) and np.array_equal(z['y'], c.y.numpy())
    assert out.read_bytes() == c.data  # same input and seed, same bytes


def _numpy_eq2_4(x, bits, p):
    "Eq. 2-4 written independently: per patch (p = image size for AQ), float32 parameters."
    out, qm = np.empty_like(x), np.float32(2 ** bits - 1)
    for n in range(x.shape[0]):
        for i in range(0, x.shape[2], p):
            for j in range(0, x.shape[3], p):
                blk = x[n, :, i:i + p, j:j + p]
                a = np.float32((blk.max() - blk.min()) / qm)
                z = np.round(-blk.min() / a)
                out[n, :, i:i + p, j:j + p] = (np.clip(np.round(blk / a + z), 0, qm) - z) * a
    return out


@pytest.mark.parametrize('method,patch', [('aq', 32), ('paq', 5), ('paq', 4)])
def test_aq_paq_match_independent_implementation(shared, tmp_path, method, patch):
    syn = shared / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt'
    out = tmp_path / 'a.pdcq'
    pdcq('compress', syn, '--method', method, '--bits', 2, '--patch', patch, '--params', 'float', '-o', out)
    pdcq('decompress', out, '-o', tmp_path / 'a.npz')
    from pdcq_nb.data import load_condensed
    s = load_condensed(syn)
    x = s.x[torch.sort(s.y, stable=True).indices].numpy()
    with np.load(tmp_path / 'a.npz') as z: assert np.array_equal(z['x'], _numpy_eq2_4(x, 2, patch))


@pytest.mark.parametrize('args,msg', [
    (('compress', 'missing.pt', '-o', 'o.pdcq'), 'no such file'),
    (('compress', 'DATA', '--bits', '0', '-o', 'o.pdcq'), 'bits must be'),
    (('compress', 'DATA', '--patch', '40', '-o', 'o.pdcq', '--groups', '8'), 'patch 40x40'),
    (('compress', 'MTT', '--budget-ipc', '1', '--method', 'aq', '--bits', '8', '--n-per-class', '10', '--no-ec', '-o', 'o.pdcq'), 'over the budget'),
    (('compress', 'DATA', '--budget-ipc', '1', '--n-per-class', '2', '-o', 'o.pdcq'), 'largest class'),
    (('compress', 'DATA', '--bits', 'auto', '-o', 'o.pdcq'), 'need --budget-ipc'),
    (('compress', 'DATA', '--bits', 'x', '-o', 'o.pdcq'), "integer or 'auto'"),
    (('compress', 'DATA', '--no-ec', '--coder', 'context', '-o', 'o.pdcq'), 'exclude each other'),
    (('compress', 'DATA', '--dataset', 'mnist', '-o', 'o.pdcq'), 'needs (N, 1, 28, 28)'),
    (('compress', 'DATA', '-o', 'o.txt'), 'must end in .pdcq'),
    (('compress', 'DATA', '--tilt', '1', '-o', 'o.pdcq'), '--tilt weights the DCT bands'),
    (('compress', 'DATA', '--select', 'train', '-o', 'o.pdcq'), "judge the search's candidates"),
    (('compress', 'DATA', '--domain', 'dct', '--budget-ipc', '1', '--tilt', '9', '-o', 'o.pdcq'), 'tilt must be'),
    (('info', 'DATA'), 'not a .pdcq file'),
    (('decompress', 'missing.pdcq', '-o', 'x.npz'), 'no such file'),
    (('compress',), 'required'),
])
def test_bad_input_exits_2_with_one_line(shared, tmp_path, args, msg):
    data = shared / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt'
    mtt = shared / 'distilled/MTT/CIFAR10/IPC10/images_best.pt'
    args = [str(data) if a == 'DATA' else str(mtt) if a == 'MTT' else (str(tmp_path / a) if a.endswith(('.pdcq', '.txt', '.npz', '.pt')) else a) for a in args]
    r = pdcq(*args, check=False)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith('error: ') and r.stderr.count('\n') == 1 and msg in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr
    assert not any(p.suffix in ('.pdcq', '.tmp', '.txt') for p in tmp_path.iterdir())


def test_embedded_digits_round_trip_without_shared_data(tmp_path):
    from pdcq_nb.data import load_digits
    d = load_digits()
    np.savez(tmp_path / 'd.npz', x=d.x.numpy(), y=d.y.numpy())
    pdcq('compress', tmp_path / 'd.npz', '--dataset', 'digits', '--method', 'paq', '--patch', '2x4', '--n-per-class', 5, '--no-ec', '-o', tmp_path / 'd.pdcq')
    j = json.loads(pdcq('info', tmp_path / 'd.pdcq', '--json').stdout)
    assert j['patch'] == [2, 4] and j['n_images'] == 50 and j['file_bytes'] == (tmp_path / 'd.pdcq').stat().st_size
    text = pdcq('info', tmp_path / 'd.pdcq').stdout
    assert 'ledger' in text and 'total' in text


def test_select_train_scores_on_training_images(tmp_path):
    "--select train scores its candidates on held-out real training images, never on the test set, and says so."
    from pdcq_nb.data import load_digits
    from pdcq_nb.codec import select_per_class
    d = load_digits(); keep = select_per_class(d.y, 5).numpy()
    np.savez(tmp_path / 'd.npz', x=d.x.numpy()[keep], y=d.y.numpy()[keep])
    out = pdcq('compress', tmp_path / 'd.npz', '--dataset', 'digits', '--bits', 'auto', '--select', 'train', '--select-k', 1,
               '--budget-ipc', 1, '-o', tmp_path / 's.pdcq').stdout
    assert f'scored on {len(d)} real training images (seeded draw), not the test set' in out, out


def test_dct_band_tilt_on_digits(tmp_path):
    "--tilt (lesson 08a) reaches the file: a smaller file than one step for all at the same --step, and info names it."
    from pdcq_nb.data import load_digits
    d = load_digits()
    np.savez(tmp_path / 'd.npz', x=d.x.numpy(), y=d.y.numpy())
    for t in (0, 1.5):
        pdcq('compress', tmp_path / 'd.npz', '--dataset', 'digits', '--domain', 'dct', '--block', 4, '--step', 0.5, '--tilt', t, '-o', tmp_path / f'{t}.pdcq')
    j = json.loads(pdcq('info', tmp_path / '1.5.pdcq', '--json').stdout)
    assert j['transform']['tilt'] == 1.5 and 'tilt' not in json.loads(pdcq('info', tmp_path / '0.pdcq', '--json').stdout)['transform']
    assert (tmp_path / '1.5.pdcq').stat().st_size < (tmp_path / '0.pdcq').stat().st_size
    assert 'band tilt 1.5' in pdcq('info', tmp_path / '1.5.pdcq').stdout


def test_wheel_ships_every_module(tmp_path):
    "A non-editable install gets the whole package: the built wheel holds every module and the console script."
    import zipfile
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path), str(root)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    (whl,) = tmp_path.glob('pdcq_nb-*.whl')
    names = zipfile.ZipFile(whl).namelist()
    for mod in (root / 'pdcq_nb').glob('*.py'): assert f'pdcq_nb/{mod.name}' in names, mod.name
    ep = next(n for n in names if n.endswith('entry_points.txt'))
    assert 'pdcq = pdcq_nb.cli:main' in zipfile.ZipFile(whl).read(ep).decode()


def test_search_all_auto_within_a_minute(shared, tmp_path):
    "Issue 9: --bits auto --patch auto --groups auto on MTT IPC 10 fits the budget in under 60 s and records its search."
    import time
    syn = shared / 'distilled/MTT/CIFAR10/IPC10/images_best.pt'
    t = time.time()
    pdcq('compress', syn, '--bits', 'auto', '--patch', 'auto', '--groups', 'auto', '--budget-ipc', 1, '-o', tmp_path / 's.pdcq')
    assert time.time() - t < 60
    j = json.loads(pdcq('info', tmp_path / 's.pdcq', '--json').stdout)
    assert j['file_bytes'] <= j['budget_bytes'] == 122_880
    assert j['plan']['rule'] == 'proxy' and len(j['plan']['candidates']) >= 5
    b, p, g, n = j['plan']['chosen']
    if b == 'dct':   # the search weighs the transform domain too (issue 16): then the file is version 3
        assert j['method'] == 'dct' and j['version'] == 3 and j['transform']['block'] == p and j['per_class'] == [n] * 10
    else: assert j['bits'] == b and j['per_class'] == [n] * 10
    assert 'budget search: chose' in pdcq('info', tmp_path / 's.pdcq').stdout


def test_counts_per_class_and_uneven_fill(tmp_path):
    "--n-per-class takes one count per class; with uneven classes the budget rule fills the budget (issue 10, item 4)."
    from pdcq_nb.data import load_digits
    d = load_digits()
    keep = np.concatenate([np.nonzero(d.y.numpy() == k)[0][:5 if k < 3 else None] for k in range(10)])
    np.savez(tmp_path / 'u.npz', x=d.x.numpy()[keep], y=d.y.numpy()[keep])
    pdcq('compress', tmp_path / 'u.npz', '--dataset', 'digits', '--method', 'paq', '--patch', 4, '--n-per-class', '1,2,3,4,5,6,7,8,9,10',
         '-o', tmp_path / 'c.pdcq')
    assert json.loads(pdcq('info', tmp_path / 'c.pdcq', '--json').stdout)['per_class'] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    pdcq('compress', tmp_path / 'u.npz', '--dataset', 'digits', '--method', 'paq', '--patch', 4, '--budget-ipc', 1, '-o', tmp_path / 'f.pdcq')
    j = json.loads(pdcq('info', tmp_path / 'f.pdcq', '--json').stdout)
    assert j['per_class'][:3] == [5, 5, 5] and min(j['per_class'][3:]) > 5
    assert 0.97 * j['budget_bytes'] <= j['file_bytes'] <= j['budget_bytes']


def test_learned_learning_rate_travels_with_the_set(tmp_path):
    "Issue 10, item 3: an MTT-style lr_best.pt beside images_best.pt is read, stored in the header, shown by info, used by eval."
    import argparse
    from pdcq_nb.cli import _eval_protocol
    from pdcq_nb.codec import load_set
    g = torch.Generator().manual_seed(0)
    torch.save(torch.randn(10, 3, 32, 32, generator=g), tmp_path / 'images_best.pt')
    torch.save(torch.arange(10), tmp_path / 'labels_best.pt')
    torch.save(torch.tensor(0.0314), tmp_path / 'lr_best.pt')
    pdcq('compress', tmp_path / 'images_best.pt', '--method', 'paq', '-o', tmp_path / 'm.pdcq')
    j = json.loads(pdcq('info', tmp_path / 'm.pdcq', '--json').stdout)
    assert abs(j['syn_lr'] - 0.0314) < 1e-6
    assert 'learned learning rate 0.0314' in pdcq('info', tmp_path / 'm.pdcq').stdout
    s = load_set(tmp_path / 'm.pdcq')
    a = argparse.Namespace(lr=None, protocol='dc', model='convnet')
    assert abs(_eval_protocol(a, s).lr - 0.0314) < 1e-6                       # the set's own rate
    assert _eval_protocol(argparse.Namespace(lr=0.05, protocol='dc', model='convnet'), s).lr == 0.05   # --lr overrides
    torch.save(torch.tensor(-1.0), tmp_path / 'lr_best.pt')
    r = pdcq('compress', tmp_path / 'images_best.pt', '--method', 'paq', '-o', tmp_path / 'n.pdcq', check=False)
    assert r.returncode == 2 and 'positive learning rate' in r.stderr
