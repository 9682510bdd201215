"""Datasets beyond CIFAR from the command line, on small trees the tests write (no network, no ImageNet here):
a user's folder (40 images, 4 classes, 48x48), an ImageNette-style tree (128x128) and a Tiny-ImageNet-style tree (64x64) each
load, condense a few DM iterations, compress at the IPC 1 budget and evaluate (the quick protocol cut to 5 epochs: a smoke
run of the path, labelled quick-5ep, not a result)."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from PIL import Image

PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))


def pdcq(*args, env=None, check=True):
    r = subprocess.run([PDCQ, *map(str, args)], capture_output=True, text=True, env=env)
    if check: assert r.returncode == 0, r.stderr
    return r


def write_tree(root, classes, n, size, sub='', seed=0):
    g = np.random.default_rng(seed)
    for k, c in enumerate(classes):
        d = Path(root) / c / sub; d.mkdir(parents=True, exist_ok=True)
        for i in range(n):   # each class its own mean colour, so a network can tell them apart
            im = np.clip(g.normal(40 + 50 * k, 30, (size[1], size[0], 3)), 0, 255).astype(np.uint8)
            Image.fromarray(im).save(d / f'{c}_{i}.JPEG')


@pytest.fixture
def env(tmp_path):
    return dict(os.environ, PDCQ_CACHE=str(tmp_path / 'cache'))


def pipeline(tmp_path, env, data_args):
    "condense (3 DM iterations, 2 per class) -> compress at the IPC 1 budget -> info -> eval (quick, 1 run)."
    syn, out = tmp_path / 'syn.npz', tmp_path / 'f.pdcq'
    pdcq('condense', *data_args, *(['--ipc', 1] if 'tinyimagenet' in data_args else ['--ipc', 2]), '--iterations', 3, '--batch-real', 4, '-o', syn, env=env)
    pdcq('compress', syn, *[a for a in data_args if a != '--data-root' and not str(a).startswith(str(tmp_path / 'data'))],
         '--method', 'gaq', '--bits', 2, '--patch', 4, '--groups', 'auto', '--budget-ipc', 1, '-o', out, env=env)
    i = json.loads(pdcq('info', out, '--json').stdout)
    assert i['file_bytes'] <= i['budget_bytes']
    r = pdcq('eval', out, *data_args, '--protocol', 'quick', '--epochs', 5, '--runs', 1, '--json', tmp_path / 'e.json', env=env)
    e = json.loads((tmp_path / 'e.json').read_text())
    return i, e


def test_user_folder(tmp_path, env):
    write_tree(tmp_path / 'data' / 'mine', ['cat', 'cow', 'dog', 'emu'], 10, (60, 48))
    i, e = pipeline(tmp_path, env, ['--dataset', f'folder:{tmp_path / "data" / "mine"}', '--size', 48])
    assert i['shape'][1:] == [3, 48, 48] and i['per_class'] == [2] * 4
    assert e['train_images'] == 8 and 0 <= e['mean'] <= 100
    r = pdcq('compress', tmp_path / 'syn.npz', '--dataset', f'folder:{tmp_path / "data" / "mine"}', '-o', tmp_path / 'g.pdcq', check=False, env=env)
    assert r.returncode == 2 and 'needs --size' in r.stderr


def test_imagenette_tree(tmp_path, env):
    from pdcq_nb.data import IMAGENET_SUBSETS
    wn = [f'n{i:08d}' for i in IMAGENET_SUBSETS['imagenette']]
    write_tree(tmp_path / 'data' / 'train', wn, 2, (150, 128)); write_tree(tmp_path / 'data' / 'val', wn, 1, (128, 140))
    i, e = pipeline(tmp_path, env, ['--dataset', 'imagenette', '--data-root', tmp_path / 'data'])
    assert i['shape'][1:] == [3, 128, 128] and i['n_images'] == 20
    assert e['train_images'] == 20 and e['protocol']['name'] == 'quick-5ep'


def test_tinyimagenet_tree(tmp_path, env):
    root = tmp_path / 'data' / 'tiny-imagenet-200'; root.mkdir(parents=True)
    wn = [f'n{i:08d}' for i in range(200)]
    (root / 'wnids.txt').write_text('\n'.join(wn))
    for w in wn: write_tree(root / 'train', [w], 1, (64, 64), sub='images')
    write_tree(root / 'val', ['images'], 5, (64, 64))
    (root / 'val' / 'val_annotations.txt').write_text('\n'.join(f'images_{k}.JPEG\t{wn[k]}\t0\t0\t63\t63' for k in range(5)))
    i, e = pipeline(tmp_path, env, ['--dataset', 'tinyimagenet', '--data-root', tmp_path / 'data'])
    assert i['shape'][1:] == [3, 64, 64] and i['n_images'] == 200
    (root / 'val' / 'val_annotations.txt').unlink()
    r = pdcq('eval', tmp_path / 'f.pdcq', '--dataset', 'tinyimagenet', '--data-root', tmp_path / 'data', '--protocol', 'quick', '--epochs', 5, '--runs', 1, check=False, env=env)
    errors = [l for l in r.stderr.strip().splitlines() if not l.startswith('warning: ')]   # noise images look ZCA-whitened: a warning may come first
    assert r.returncode == 2 and len(errors) == 1 and errors[0].startswith('error: ') and 'missing val/val_annotations.txt' in errors[0], r.stderr


@pytest.mark.parametrize('dataset,K,size,ipc', [('tinyimagenet', 200, 64, 1), ('imagenette', 10, 128, 2)])
def test_released_trajectory_matching_set(tmp_path, dataset, K, size, ipc):
    "MTT/DATM's release layout at 64x64 and 128x128: images_best.pt with labels_best.pt and lr_best.pt beside it."
    import torch
    g = torch.Generator().manual_seed(0)
    torch.save(torch.randn(K * ipc, 3, size, size, generator=g), tmp_path / 'images_best.pt')
    torch.save(torch.arange(K).repeat_interleave(ipc), tmp_path / 'labels_best.pt')
    torch.save(torch.tensor(0.0123), tmp_path / 'lr_best.pt')
    out = tmp_path / 'r.pdcq'
    pdcq('compress', tmp_path / 'images_best.pt', '--dataset', dataset, '--method', 'gaq', '--bits', 2, '--patch', 4,
         '--groups', 'auto', '--budget-ipc', 1, '-o', out)
    i = json.loads(pdcq('info', out, '--json').stdout)
    assert (i['shape'], i['per_class'], i['syn_lr'], i['dataset']) == ([K * ipc, 3, size, size], [ipc] * K, pytest.approx(0.0123), dataset)
    assert i['file_bytes'] <= i['budget_bytes'] == K * 3 * size * size * 4
    # a set of another resolution is refused with the reason, before anything is written
    torch.save(torch.randn(K * ipc, 3, 32, 32), tmp_path / 'images_best.pt')
    r = pdcq('compress', tmp_path / 'images_best.pt', '--dataset', dataset, '--bits', 2, '-o', tmp_path / 'w.pdcq', check=False)
    assert r.returncode == 2 and r.stderr.startswith('error: ') and r.stderr.count('\n') == 1, r.stderr
    assert f'{size}' in r.stderr and not (tmp_path / 'w.pdcq').exists()
