"""Tiny ImageNet for real (issue 28): condensed sets given as folders of class folders (numbered or named by wnid, PNG/JPEG),
the test set from val/ alone, the class order stated, and every mismatch refused in one line — on trees the tests write;
then the real validation split and D4M's released folders when ../shared/data is there."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from PIL import Image
from pdcq_nb.core import PdcqError
from pdcq_nb.codec import load_set, budget_bytes
from pdcq_nb.data import class_folders, load_class_folders, real_set, denormalize, CLASS_FOLDER_ORDER

PDCQ = shutil.which('pdcq') or str(Path(sys.executable).with_name('pdcq'))
WNIDS = [f'n{(7 * i) % 200:08d}' for i in range(200)]   # a wnids.txt order that is not sorted, as the real one


def png(path, size=64, value=None, seed=0, mode='RGB'):
    g = np.random.default_rng(seed); path.parent.mkdir(parents=True, exist_ok=True)
    shape = (size, size, 3) if mode == 'RGB' else (size, size)
    a = np.full(shape, value, np.uint8) if value is not None else g.integers(0, 256, shape, dtype=np.uint8)
    Image.fromarray(a).save(path)


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    "A Tiny ImageNet root with wnids.txt and val/ only (no train/), one grayscale val image; numbered and wnid-named class folders."
    monkeypatch.setenv('PDCQ_CACHE', str(tmp_path / 'cache')); monkeypatch.setenv('PDCQ_DATA', str(tmp_path))
    ti = tmp_path / 'tiny-imagenet-200'; ti.mkdir()
    (ti / 'wnids.txt').write_text('\n'.join(WNIDS) + '\n')
    lines = []
    for k in range(4):
        png(ti / 'val' / 'images' / f'val_{k}.JPEG', seed=10 + k, value=None, mode='L' if k == 2 else 'RGB')
        lines.append(f'val_{k}.JPEG\t{WNIDS[k]}\t0\t0\t63\t63')
    (ti / 'val' / 'val_annotations.txt').write_text('\n'.join(lines) + '\n')
    rank = {w: r for r, w in enumerate(sorted(WNIDS))}
    for i, w in enumerate(WNIDS):   # class i (wnid w) holds image seed i: in folder <w>, and in folder <its sorted rank>
        png(tmp_path / 'named' / w / 'a.png', seed=i); png(tmp_path / 'num' / str(rank[w]) / f'{rank[w]}-image00.png', seed=i)
    return tmp_path


def test_numbered_folders_follow_sorted_wnids_and_match_named(tiny):
    num, named = load_set(tiny / 'num', 'tinyimagenet'), load_set(tiny / 'named', 'tinyimagenet')
    assert CLASS_FOLDER_ORDER['tinyimagenet'] == 'sorted'
    assert num.x.shape == (200, 3, 64, 64) and num.per_class() == [1] * 200 and num.classes == WNIDS
    assert torch.equal(num.x, named.x) and torch.equal(num.y, named.y)      # the same class in the same row
    idx = load_class_folders(tiny / 'num', 'tinyimagenet', 'index')        # the other rule: folder k = line k of wnids.txt
    assert not torch.equal(idx.x, num.x)
    assert 'sorted-name order' in class_folders(tiny / 'num', 'tinyimagenet')[1]
    assert 'named by tinyimagenet class' in class_folders(tiny / 'named', 'tinyimagenet')[1]
    assert budget_bytes(1, num.num_classes, num.x.shape) == 9_830_400 == 4 * num.x.numel()


def test_val_alone_grayscale_to_rgb_decoded_once(tiny):
    v = real_set('tinyimagenet', False)
    assert v.x.shape == (4, 3, 64, 64) and v.y.tolist() == [0, 1, 2, 3] and v.classes == WNIDS
    gray = denormalize(v.x[2:3], v.space)[0]
    assert torch.allclose(gray[0], gray[1], atol=1e-5) and torch.allclose(gray[1], gray[2], atol=1e-5)
    cached = list((tiny / 'cache').glob('images-*.npz')); assert len(cached) == 1
    (tiny / 'tiny-imagenet-200' / 'val' / 'images' / 'val_0.JPEG').touch()   # same bytes: still one decode in the cache
    assert torch.equal(real_set('tinyimagenet', False).x, v.x) and len(list((tiny / 'cache').glob('images-*.npz'))) == 1


def test_grayscale_and_jpeg_in_class_folders(tiny):
    png(tiny / 'num' / '5' / 'extra.jpg', value=77, mode='L')
    s = load_class_folders(tiny / 'num', 'tinyimagenet')
    k = WNIDS.index(sorted(WNIDS)[5])
    assert s.per_class()[k] == 2 and len(s) == 201
    assert torch.allclose(denormalize(s.x[s.y == k], s.space)[1], torch.full((3, 64, 64), 77 / 255), atol=2 / 255)


def one_line(f, *want):
    with pytest.raises(PdcqError) as e: f()
    msg = str(e.value); assert '\n' not in msg and all(w in msg for w in want), msg


def test_bad_folders_one_line_each(tiny):
    bad = tiny / 'bad'; shutil.copytree(tiny / 'num', bad); shutil.rmtree(bad / '17')
    one_line(lambda: load_set(bad, 'tinyimagenet'), '1 of the 200 classes of tinyimagenet have no folder', 'the first: 17')
    (bad / '17').mkdir()
    one_line(lambda: load_set(bad, 'tinyimagenet'), 'class folder 17 holds no images')
    png(bad / '17' / 'small.png', size=32)
    one_line(lambda: load_set(bad, 'tinyimagenet'), 'small.png is 32x32', 'images are 64x64')
    (bad / '17' / 'small.png').unlink(); png(bad / '17' / 'ok.png'); (bad / '200').mkdir()
    one_line(lambda: load_set(bad, 'tinyimagenet'), 'class folder 200 is not a class of tinyimagenet (0..199)')
    shutil.rmtree(bad / '200')
    one_line(lambda: load_set(bad, 'cifar10'), 'class folder 10 is not a class of cifar10')
    shutil.rmtree(tiny / 'named' / WNIDS[3])
    one_line(lambda: load_set(tiny / 'named', 'tinyimagenet'), 'the first: ' + WNIDS[3])
    (tiny / 'named' / 'cats').mkdir()
    one_line(lambda: load_set(tiny / 'named', 'tinyimagenet'), "folder 'cats' is neither a class name of tinyimagenet")
    one_line(lambda: load_set(tiny / 'num', 'tinyimagenet', zca=True), 'not ZCA-whitened')
    one_line(lambda: load_class_folders(tiny / 'num', 'tinyimagenet', 'alphabetical'), "order must be 'index' or 'sorted'")
    one_line(lambda: load_set(tiny / 'tiny-imagenet-200' / 'val' / 'images', 'tinyimagenet'), 'holds no class folders')
    os.environ['PDCQ_DATA'] = str(tiny / 'nowhere')   # restored by monkeypatch
    one_line(lambda: load_set(tiny / 'num', 'tinyimagenet'), 'need wnids.txt')


def pdcq(*args, env):
    return subprocess.run([PDCQ, *map(str, args)], capture_output=True, text=True, env=env)


def test_cli_eval_and_compress_a_class_folder_set(tiny):
    "The acceptance commands on the written tree (quick cut to 1 epoch: a smoke run of the path, not a result); --data-root is used."
    env = dict(os.environ, PDCQ_DATA=str(tiny / 'nowhere'), PDCQ_CACHE=str(tiny / 'cache'), OMP_NUM_THREADS='1')
    r = pdcq('eval', tiny / 'num', '--dataset', 'tinyimagenet', '--data-root', tiny, '--protocol', 'quick', '--epochs', 1, '--runs', 1,
             '--json', tiny / 'e.json', env=env)
    assert r.returncode == 0, r.stderr
    assert 'num: 200 images in 200 class folders; class order: folder k is the k-th tinyimagenet class in sorted-name order' in r.stdout
    e = json.loads((tiny / 'e.json').read_text()); assert e['train_images'] == 200 and e['protocol']['name'] == 'quick-1ep'
    r = pdcq('compress', tiny / 'num', '--dataset', 'tinyimagenet', '--data-root', tiny, '--method', 'gaq', '--bits', 2, '--patch', 4,
             '--budget-ipc', 1, '-o', tiny / 'f.pdcq', env=env)
    assert r.returncode == 0 and 'class order:' in r.stdout, r.stderr
    r = pdcq('eval', tiny / 'f.pdcq', '--dataset', 'tinyimagenet', '--data-root', tiny, '--protocol', 'quick', '--epochs', 1, '--runs', 1, env=env)
    assert r.returncode == 0, r.stderr
    r = pdcq('eval', tiny / 'named', '--dataset', 'cifar10', env=env)
    assert r.returncode == 2 and r.stderr.strip().startswith("error: named: folder 'n00000000' is neither a class name of cifar10"), r.stderr


def test_real_val_split_and_d4m_folders(shared):
    d4m, ti = shared / 'distilled' / 'D4M' / 'TinyImageNet', shared / 'tiny-imagenet-200'
    if not (d4m / 'IPC1').is_dir() or not (ti / 'val').is_dir(): pytest.skip('D4M TinyImageNet or tiny-imagenet-200/val not in ../shared/data')
    val = real_set('tinyimagenet', False)
    assert val.x.shape == (10000, 3, 64, 64) and val.per_class() == [50] * 200
    one = load_set(d4m / 'IPC1', 'tinyimagenet')
    assert one.x.shape == (200, 3, 64, 64) and one.per_class() == [1] * 200 and one.classes == val.classes
    assert one.space == val.space and budget_bytes(1, 200, one.x.shape) == 4 * one.x.numel() == 9_830_400
    ten = {o: load_class_folders(d4m / 'IPC10', 'tinyimagenet', o) for o in ('index', 'sorted')}
    assert ten['sorted'].per_class() == [10] * 200
    mean8 = lambda s: torch.stack([torch.nn.functional.avg_pool2d(s.x[s.y == k], 8).flatten(1).mean(0) for k in range(200)])
    cv = mean8(val)
    agree = {o: int((torch.cdist(mean8(s), cv).argmin(1) == torch.arange(200)).sum()) for o, s in ten.items()}
    assert agree['sorted'] >= 20 and agree['index'] <= 5, agree   # measured: sorted 43, index 0 of 200 (toolbox 33)
