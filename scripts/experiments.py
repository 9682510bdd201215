"""The paper's CIFAR-10 experiments at the storage budget of IPC 1 (122,880 bytes), evaluated with the `dc` protocol.

Each row trains ConvNet-3 `--runs` times (seeds 0..runs-1) on the images a method keeps in the budget and writes
results/budget_ipc1/<row>.json (accuracies, protocol, bytes, the command that reproduces it). Then
`--table` collects them into results/budget_ipc1.md.

    .venv/bin/python scripts/experiments.py --rows float32-mtt1 gaq-mtt10 --runs 3
    .venv/bin/python scripts/experiments.py --table

Needs ../shared/data (CIFAR-10 and the distilled sets). Run with the MALLOC_* settings of the README.
"""
import argparse, io, json, sys, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from pdcq_nb.data import ImageSet, load_cifar, load_condensed, shared_data_root, denormalize, normalize
from pdcq_nb.codec import budget_bytes, decode, select_per_class
from pdcq_nb.budget import fit_budget
from pdcq_nb.train import evaluate

OUT = Path('results/budget_ipc1')
ROOT = shared_data_root()
SETS = {'dm1': 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt', 'dsa1': 'distilled/DSA/CIFAR10/IPC1/res_DSA_CIFAR10_ConvNet_1ipc.pt',
        'mtt1': 'distilled/MTT/CIFAR10/IPC1/images_best.pt', 'mtt10': 'distilled/MTT/CIFAR10/IPC10/images_best.pt',
        'dm20': Path.cwd() / 'runs/tmp/dm_ipc20.pt'}
# dm20 is condensed here, scaled down to a CPU (1000 DM iterations instead of the reference's 20,000; batch_real 256):
DM20 = ('.venv/bin/pdcq condense --dataset cifar10 --data-root ../shared/data --ipc 20 --iterations 1000 --bf16 --seed 0 '
        '--checkpoint runs/tmp/dm_ipc20.ckpt -o runs/tmp/dm_ipc20.pt')
BUDGET = 122_880


def load(name):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); return load_condensed(ROOT / SETS[name], 'cifar10')


def first_per_class(s, n):
    i = select_per_class(s.y, n); return replace(s, x=s.x[i], y=s.y[i])


def pdcq_row(src, method, bits=2, patch=5, groups='auto', refine=0, ec=True, stage='before'):
    c = fit_budget(load(src), method, bits, patch, 1, groups=groups, refine=refine, ec=ec, refine_stage=stage)
    d = decode(c.data)
    info = dict(bytes=len(c.data), n_per_class=c.plan['n_per_class'], groups=c.plan['groups'], ledger=c.ledger)
    if refine: info.update(refine_stage=stage, probes=len(c.plan['tried']), final_encodes=c.plan['encodes'])
    if src == 'dm20': info['source'] = f'condensed here, scaled down (1000 DM iterations, batch_real 256): {DM20}'
    return d.to_imageset(), info


def gsweep(src='mtt10', groups=(1, 64, 1024, 4900), runs=3, protocol='quick'):
    "Fig. 4: accuracy and bytes of GAQ 2-bit 5x5 + EC on all images of `src` for each number of groups G."
    from pdcq_nb.codec import compress
    s, te = load(src), load_cifar(ROOT / 'cifar-10-batches-py', train=False)
    points = []
    for G in groups:
        c = compress(s, 'gaq', 2, 5, groups=G, ec=True)
        r = evaluate(decode(c.data).to_imageset(), te, protocol, runs=runs, progress=False)
        points.append(dict(groups=G, bytes=len(c.data), mean=r['mean'], std=r['std'], accs=r['accs'], seconds=r['seconds']))
        print(f"G={G}: {len(c.data)} B, {r['mean']:.2f} ± {r['std']:.2f}", flush=True)
        out = dict(source=src, n_images=len(s), method='gaq', bits=2, patch=5, ec=True, budget_bytes=BUDGET, runs=runs,
                   protocol=r['protocol'], points=points,
                   command=f'.venv/bin/python scripts/experiments.py --gsweep --runs {runs} --protocol {protocol}')
        Path('results/gsweep_mtt10.json').write_text(json.dumps(out, indent=1))  # after every point: a stopped run keeps what it measured


def _per_image_u8(x):
    "Per-image affine map to uint8 (min and max of each image kept as two float32: 8 bytes)."
    lo, hi = x.amin((1, 2, 3), keepdim=True), x.amax((1, 2, 3), keepdim=True)
    return ((x - lo) / (hi - lo) * 255).round().clamp(0, 255).to(torch.uint8), lo, hi


def uint8_row(src):
    "4x as many images as float32 (4 per class), one affine map for the whole set: 122,880 B of pixels + 8 B of min/max."
    s = first_per_class(load(src), 4)
    lo, hi = s.x.min(), s.x.max()
    q = ((s.x - lo) / (hi - lo) * 255).round().clamp(0, 255)
    return replace(s, x=q / 255 * (hi - lo) + lo), dict(bytes=q.numel() + 8, n_per_class=4, note='uint8, one min/max for the set (8 B over the budget)')


def _codec_bytes(u8, fmt, quality):
    out = []
    for im in u8.permute(0, 2, 3, 1).numpy():
        b = io.BytesIO(); Image.fromarray(im).save(b, format=fmt, quality=quality); out.append(b.getvalue())
    return out


def pillow_row(src, fmt, quality=None):
    """All images at the highest quality whose files (plus 8 B of min/max per image) fit the budget; or, with `quality`
    fixed, the most images per class that fit at that quality (for sets too large to fit whole even at quality 1)."""
    s = load(src)
    q, lo, hi = _per_image_u8(s.x)  # per image, so one encoding serves every subset
    if quality is not None:
        blobs = _codec_bytes(q, fmt, quality)
        size = lambda n: sum(len(blobs[i]) + 8 for i in select_per_class(s.y, n))
        n = max(n for n in range(1, min(s.per_class()) + 1) if size(n) <= BUDGET)
        i = select_per_class(s.y, n); s, q, lo, hi, blobs = replace(s, x=s.x[i], y=s.y[i]), q[i], lo[i], hi[i], [blobs[j] for j in i]
    else:
        best = None
        for quality in range(1, 101):
            blobs = _codec_bytes(q, fmt, quality)
            if sum(map(len, blobs)) + 8 * len(q) <= BUDGET: best = (quality, blobs)
        assert best, f'{fmt} does not fit at quality 1'
        quality, blobs = best
    dec = torch.from_numpy(np.stack([np.asarray(Image.open(io.BytesIO(b)).convert('RGB')) for b in blobs])).permute(0, 3, 1, 2).float()
    x = dec / 255 * (hi - lo) + lo
    return replace(s, x=x), dict(bytes=sum(map(len, blobs)) + 8 * len(q), n_per_class=len(s) // 10, quality=quality)


def down2_row(src):
    s = first_per_class(load(src), 4)  # 16x16 float32: 4x as many images
    x = F.interpolate(F.avg_pool2d(s.x, 2), size=32, mode='bilinear', align_corners=False)
    return replace(s, x=x), dict(bytes=s.x.numel() // 4 * 4, n_per_class=4, note='2x2 average pooling, bilinear upsampling to train')


ROWS = {
    'float32-dm1': (lambda: (load('dm1'), dict(bytes=BUDGET, n_per_class=1)), 'DM IPC 1, float32 (baseline)'),
    'float32-dsa1': (lambda: (load('dsa1'), dict(bytes=BUDGET, n_per_class=1)), 'DSA IPC 1, float32 (baseline)'),
    'float32-mtt1': (lambda: (load('mtt1'), dict(bytes=BUDGET, n_per_class=1)), 'MTT IPC 1, float32 (baseline)'),
    'float32-mtt10': (lambda: (load('mtt10'), dict(bytes=10 * BUDGET, n_per_class=10)), 'MTT IPC 10, float32 (10x the budget; reference)'),
    'gaq-refine-ec-mtt10': (lambda: pdcq_row('mtt10', 'gaq', refine=500), 'MTT IPC 10 -> GAQ 2-bit 5x5 + refine 500 + EC (ours)'),
    'aq-mtt10': (lambda: pdcq_row('mtt10', 'aq', ec=False), 'ablation: MTT IPC 10 -> AQ 2-bit'),
    'gaq-mtt10': (lambda: pdcq_row('mtt10', 'gaq', ec=False), 'ablation: + GAQ 5x5 (G auto)'),
    'gaq-refine-mtt10': (lambda: pdcq_row('mtt10', 'gaq', refine=500, ec=False), 'ablation: + refine 500'),
    # Table 9's "before" row is gaq-refine-ec-mtt10 (refinement before grouping is the default stage)
    'refine-after-mtt10': (lambda: pdcq_row('mtt10', 'gaq', refine=500, stage='after'), 'Table 9: refine 500 after GAQ (+EC)'),
    'refine-both-mtt10': (lambda: pdcq_row('mtt10', 'gaq', refine=500, stage='both'), 'Table 9: refine 500 before and after GAQ (+EC)'),
    'float32-dm20': (lambda: (load('dm20'), dict(bytes=20 * BUDGET, n_per_class=20, source=DM20)),
                     'DM IPC 20 condensed here (1000 iterations, scaled down), float32 (20x the budget; reference)'),
    'gaq-refine-ec-dm20': (lambda: pdcq_row('dm20', 'gaq', refine=500), 'DM IPC 20 condensed here (1000 iterations) -> GAQ 2-bit 5x5 + refine 500 + EC (ours)'),
    'uint8-mtt10': (lambda: uint8_row('mtt10'), 'beyond: MTT IPC 10 as uint8 (4 per class)'),
    'jpeg-mtt10': (lambda: pillow_row('mtt10', 'JPEG'), 'beyond: MTT IPC 10 as JPEG (all images, best quality that fits)'),
    'webp-mtt10': (lambda: pillow_row('mtt10', 'WEBP'), 'beyond: MTT IPC 10 as WebP (all images, best quality that fits)'),
    # all 200 DM images do not fit as JPEG even at quality 1 (about 650 B per 32x32 file), so: Pillow's default quality 75, as many as fit
    'jpeg-dm20': (lambda: pillow_row('dm20', 'JPEG', quality=75), 'beyond: DM IPC 20 (condensed here) as JPEG at quality 75 (as many per class as fit)'),
    'down2-mtt10': (lambda: down2_row('mtt10'), 'beyond: MTT IPC 10 downsampled 2x, float32 (4 per class)'),
}


def run_row(name, runs, protocol):
    build, label = ROWS[name]
    t0 = time.time(); s, storage = build(); prep = time.time() - t0
    te = load_cifar(ROOT / 'cifar-10-batches-py', train=False)
    r = evaluate(s, te, protocol, runs=runs, progress=False)
    r.update(row=name, label=label, storage=storage, prepare_seconds=round(prep, 1),
             command=f'.venv/bin/python scripts/experiments.py --rows {name} --runs {runs} --protocol {protocol}')
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f'{name}.json').write_text(json.dumps(r, indent=1))
    print(f"{name}: {r['mean']:.2f} ± {r['std']:.2f} ({runs} runs, {protocol}), {storage['bytes']} B, {r['seconds']} s", flush=True)


def table():
    lines = ['| row | images/class | bytes | accuracy % (mean ± std) | runs | protocol | command |', '|---|---:|---:|---|---:|---|---|']
    for name in ROWS:
        p = OUT / f'{name}.json'
        if not p.exists(): continue
        r = json.loads(p.read_text())
        lines.append(f"| {r['label']} | {r['storage']['n_per_class']} | {r['storage']['bytes']:,} | {r['mean']:.1f} ± {r['std']:.1f} | {r['runs']} "
                     f"| {r['protocol']['name']} ({r['protocol']['epochs']} epochs) | `{r['command']}` |")
    Path('results/budget_ipc1.md').write_text('\n'.join(lines) + '\n'); print('\n'.join(lines))


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--rows', nargs='*', default=[]); ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--protocol', default='dc'); ap.add_argument('--table', action='store_true')
    ap.add_argument('--gsweep', action='store_true', help='Fig. 4: G sweep on MTT IPC 10 (results/gsweep_mtt10.json)')
    a = ap.parse_args()
    assert ROOT is not None, 'needs ../shared/data'
    for n in a.rows: run_row(n, a.runs, a.protocol)
    if a.gsweep: gsweep(runs=a.runs, protocol=a.protocol)
    if a.table: table()
