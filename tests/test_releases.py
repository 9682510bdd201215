"""Condensed sets as their authors ship them (issue 26): DD-Ranking's layout (`<method>/distilled/<DATASET>[_ZCA]/IPC<k>/`
images.pt, labels.pt hard or soft, lr.pt) and DATM's release (images_best.pt, labels_best.pt soft, lr_best.pt), on small trees
the tests write; and ZCA as mtt-distillation and DATM do it, checked against the recipe written out here independently.
Trainings are smoke runs of the path (the quick protocol cut to 1 epoch, 1 run), not results."""
import json, os, pickle, shutil, subprocess, sys, warnings
from pathlib import Path
import numpy as np
import pytest
import torch
from pdcq_nb.core import PdcqError
from pdcq_nb.data import Space, dataset_space, load_condensed, looks_zca

PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))
K, IPC = 10, 10


def pdcq(*args, check=True):
    r = subprocess.run([PDCQ, *map(str, args)], capture_output=True, text=True)
    if check: assert r.returncode == 0, r.stderr
    return r


def soft_logits(flip=(3, 47), seed=0):
    "Class-major logits (N = K*IPC) whose argmax follows the layout except at the images in `flip` (moved to the next class)."
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(K).repeat_interleave(IPC)
    logits = 0.5 * torch.randn(K * IPC, K, generator=g) + 6 * torch.nn.functional.one_hot(y, K)
    for i in flip: logits[i, (y[i] + 1) % K] += 20
    return logits


def whitened_like(seed=0):
    "Images with a flat spectrum, as ZCA leaves them (white noise at the scale of MTT-whitened CIFAR-10, std about 0.26)."
    return 0.26 * torch.randn(K * IPC, 3, 32, 32, generator=torch.Generator().manual_seed(seed))


def ddranking(root, x, labels, lr=0.0123, dataset='CIFAR10_ZCA'):
    d = Path(root) / 'DATM' / 'distilled' / dataset / f'IPC{IPC}'; d.mkdir(parents=True)
    torch.save(x, d / 'images.pt'); torch.save(labels, d / 'labels.pt'); torch.save(torch.tensor(lr), d / 'lr.pt')
    return d / 'images.pt'


def datm(root, x, labels, lr=0.0123):
    d = Path(root) / 'datm_release'; d.mkdir(parents=True)
    torch.save(x, d / 'images_best.pt'); torch.save(labels, d / 'labels_best.pt'); torch.save(torch.tensor(lr), d / 'lr_best.pt')
    return d / 'images_best.pt'


def test_ddranking_hard_labels(tmp_path):
    x = torch.randn(K * IPC, 3, 32, 32)
    p = ddranking(tmp_path, x, torch.arange(K).repeat_interleave(IPC), dataset='CIFAR10')
    s = load_condensed(p)
    assert (s.per_class(), s.soft, s.syn_lr, s.space) == ([IPC] * K, None, pytest.approx(0.0123), dataset_space('cifar10'))


def test_ddranking_zca_folder_soft_labels_keep_the_layout(tmp_path):
    p = ddranking(tmp_path, whitened_like(), soft_logits(flip=(3, 47)))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); s = load_condensed(p)
    assert s.space == Space(zca=True)                       # from the path: MTT/DATM's space, [0, 1] pixels whitened
    assert s.per_class() == [IPC] * K and s.y.tolist() == torch.arange(K).repeat_interleave(IPC).tolist()
    assert s.soft.shape == (K * IPC, K) and int((s.soft.argmax(1) != s.y).sum()) == 2
    assert [str(m.message) for m in w] == ["images.pt: hard labels follow the class-major layout (10 per class); "
                                           "the soft labels' argmax differs on 2 of 100 images"]
    assert s.syn_lr == pytest.approx(0.0123)
    with pytest.raises(PdcqError, match='says zca'):   # only a marker inside the file conflicts; an explicit False wins over the folder
        np.savez(tmp_path / 'm.npz', x=np.zeros((2, 3, 32, 32), np.float32), y=np.arange(2), zca=1); load_condensed(tmp_path / 'm.npz', zca=False)
    assert load_condensed(p, zca=False).space == dataset_space('cifar10')


def test_soft_labels_without_a_layout_take_the_argmax(tmp_path):
    logits = soft_logits(flip=())[torch.randperm(K * IPC, generator=torch.Generator().manual_seed(1))]   # shuffled: no class-major layout
    p = datm(tmp_path, torch.randn(K * IPC, 3, 32, 32), logits)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); s = load_condensed(p)
    assert s.y.tolist() == logits.argmax(1).tolist() and not w


def test_datm_release_zca_from_the_caller(tmp_path):
    p = datm(tmp_path, whitened_like(), soft_logits())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert load_condensed(p).space == dataset_space('cifar10')          # nothing says ZCA: read as normalized ...
        assert looks_zca(load_condensed(p).x)                               # ... though it looks whitened (the CLI warns)
        s = load_condensed(p, zca=True)
    assert (s.space, s.per_class(), s.syn_lr) == (Space(zca=True), [IPC] * K, pytest.approx(0.0123))


def test_npz_space_and_labels(tmp_path):
    "Our .npz: its own hard labels beside soft ones; a `space` entry (sets of the earlier ZCA recipe) read and checked."
    x = np.zeros((4, 3, 32, 32), np.float32); soft = np.eye(K, dtype=np.float32)[[1, 1, 2, 3]]
    np.savez(tmp_path / 'a.npz', x=x, y=np.array([0, 1, 2, 3]), soft=soft)
    assert load_condensed(tmp_path / 'a.npz').y.tolist() == [0, 1, 2, 3]
    old = {'mean': [0.4914, 0.4822, 0.4465], 'std': [0.2023, 0.1994, 0.2010], 'zca': True}
    np.savez(tmp_path / 'b.npz', x=x, y=np.arange(4), zca=1, space=np.array(json.dumps(old)))
    assert load_condensed(tmp_path / 'b.npz').space == Space.from_dict(old)
    np.savez(tmp_path / 'c.npz', x=x, y=np.arange(4), zca=0, space=np.array(json.dumps(old)))
    with pytest.raises(PdcqError, match='its space says zca=True'): load_condensed(tmp_path / 'c.npz')
    np.savez(tmp_path / 'd.npz', x=x, y=np.arange(4), space=np.array('{"mean": [0.5], "zca": true}'))
    with pytest.raises(PdcqError, match='must be a space like'): load_condensed(tmp_path / 'd.npz')


def test_legacy_zca_files_stay_in_their_space():
    "DM-ZCA IPC 10 was whitened here after normalizing: its .npz and .pdcq files say so and are read in that space."
    from pdcq_nb.codec import load_set
    root = Path(__file__).parents[1] / 'data'
    old = Space((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010), True)
    for f in ('dmzca10_cifar10.npz', 'dmzca10_ipc1.pdcq', 'dmzca10_search3_ipc1.pdcq'):
        assert load_set(root / f).space == old, f


def test_cli_ddranking_zca_folder_compresses_at_ipc1_without_flags(tmp_path):
    "Acceptance: …/CIFAR10_ZCA/IPC10/ with soft logits, a learned lr and whitened images compresses at the IPC 1 budget, no flags."
    p = ddranking(tmp_path, whitened_like(), soft_logits(flip=(3, 47)))
    out = tmp_path / 'z.pdcq'
    r = pdcq('compress', p, '--budget-ipc', 1, '-o', out)
    assert r.stderr.splitlines() == ["warning: images.pt: hard labels follow the class-major layout (10 per class); the soft labels' "
                                     "argmax differs on 2 of 100 images"]          # no --zca warning: the folder says ZCA
    i = json.loads(pdcq('info', out, '--json').stdout)
    n = i['per_class'][0]
    assert i['per_class'] == [n] * K and n >= 1 and i['file_bytes'] <= i['budget_bytes'] == 122_880
    assert i['syn_lr'] == pytest.approx(0.0123) and i['soft_labels'] == 'float16'
    assert i['space'] == {'mean': None, 'std': None, 'zca': True}
    from pdcq_nb.codec import load_set
    s = load_set(out)
    assert s.soft.shape == (K * n, K) and s.per_class() == [n] * K


def test_cli_datm_release_warns_once_without_zca(tmp_path):
    p = datm(tmp_path, whitened_like(), soft_logits(flip=()))
    r = pdcq('compress', p, '--budget-ipc', 1, '-o', tmp_path / 'n.pdcq')
    assert len(r.stderr.splitlines()) == 1 and '--zca' in r.stderr and r.stderr.startswith('warning: images_best looks ZCA-whitened')
    r = pdcq('compress', p, '--budget-ipc', 1, '--zca', '-o', tmp_path / 'z.pdcq')
    assert r.stderr == ''
    assert json.loads(pdcq('info', tmp_path / 'z.pdcq', '--json').stdout)['space'] == {'mean': None, 'std': None, 'zca': True}
    # a normalized set does not warn
    r = pdcq('compress', datm(tmp_path / 'n', torch.randn(K * IPC, 3, 32, 32).cumsum(-1).cumsum(-2) / 10, soft_logits(flip=())),
             '--budget-ipc', 1, '-o', tmp_path / 'm.pdcq')
    assert r.stderr == ''


def test_cli_eval_zca_sets(shared, tmp_path):
    "eval of the DD-Ranking file tests on the test set whitened MTT's way; a DATM release without --zca warns once, naming it."
    p = ddranking(tmp_path, whitened_like(), soft_logits(flip=()))
    pdcq('compress', p, '--budget-ipc', 1, '-o', tmp_path / 'z.pdcq')
    pdcq('eval', tmp_path / 'z.pdcq', '--protocol', 'quick', '--epochs', 1, '--runs', 1, '--json', tmp_path / 'e.json')
    e = json.loads((tmp_path / 'e.json').read_text())
    assert e['test_space'] == {'mean': None, 'std': None, 'zca': True} and e['labels'].startswith('soft')
    assert e['protocol']['lr'] == pytest.approx(0.0123, rel=1e-3)          # the learned lr, from the file
    q = datm(tmp_path, whitened_like(), soft_logits(flip=()))
    r = pdcq('eval', q, '--protocol', 'quick', '--epochs', 1, '--runs', 1)
    warn = [l for l in r.stderr.splitlines() if l.startswith('warning:')]
    assert len(warn) == 1 and '--zca' in warn[0] and 'test set normalized' in r.stdout


def _cifar_raw(root, files):
    xs = []
    for f in files:
        with open(root / 'cifar-10-batches-py' / f, 'rb') as fh: xs.append(pickle.load(fh, encoding='bytes')[b'data'])
    return np.concatenate(xs).astype(np.float64) / 255   # (N, 3072), ToTensor()'s [0, 1], channel-major like (C, H, W)


def test_zca_test_set_is_mtt_recipe(shared):
    """Acceptance: our ZCA test set of CIFAR-10 is mtt-distillation's/DATM's — ToTensor() pixels, kornia's formula with eps 0.1
    fitted on the whole train set — written out here in float64 numpy (mean, unbiased covariance, eigendecomposition).
    The covariance of 50,000 x 3,072 values costs tens of seconds; `zca_for` itself comes from its cache after the first run."""
    from pdcq_nb.data import real_set
    tr = _cifar_raw(shared, [f'data_batch_{i}' for i in range(1, 6)]); mu = tr.mean(0)
    cov = np.zeros((3072, 3072))
    for i in range(0, len(tr), 5000):
        c = tr[i:i + 5000] - mu; cov += c.T @ c
    del tr
    S, U = np.linalg.eigh(cov / (50000 - 1))
    T = (U / np.sqrt(np.clip(S, 0, None) + 0.1)) @ U.T
    ref = (_cifar_raw(shared, ['test_batch']) - mu) @ T
    ours = real_set('cifar10', False, zca=True)
    assert ours.space == Space(zca=True)
    got = ours.x.reshape(len(ours), -1).double().numpy()
    rel = np.abs(got - ref).max() / np.abs(ref).max()
    assert rel < 1e-3, rel
