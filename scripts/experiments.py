"""The paper's CIFAR-10 experiments at the storage budget of IPC 1 (122,880 bytes), evaluated with the `dc` protocol.

Each row trains ConvNet-3 `--runs` times (seeds 0..runs-1) on the images a method keeps in the budget and writes
results/budget_ipc1/<row>.json (accuracies, protocol, bytes, the command that reproduces it). Then
`--table` collects them into results/budget_ipc1.md.

    .venv/bin/python scripts/experiments.py --rows float32-mtt1 gaq-mtt10 --runs 3
    .venv/bin/python scripts/experiments.py --table

Needs ../shared/data (CIFAR-10 and the distilled sets). Run with the MALLOC_* settings of the README.

On a GPU lent for a few minutes the same rows are made in two steps: `--prepare ROWS` writes each row's training set
(and what it stores) to .gpu/rows/ here, `--evaluate-prepared DIR` trains them on the device in parallel processes,
and `--collect DIR` turns the device's JSON files into results/budget_ipc1/<row>.json. Rows that refine run their
refinement on the device (`--evaluate-prepared` does it before training). The numbers are the same protocol; the JSON
records the device.
"""
import argparse, hashlib, io, json, os, sys, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from pdcq_nb.data import ImageSet, load_cifar, load_condensed, shared_data_root, denormalize, normalize
from pdcq_nb.codec import Settings, budget_bytes, decode, select_per_class
from pdcq_nb.budget import fit_budget
from pdcq_nb.train import evaluate

OUT = Path('results/budget_ipc1')
ROOT = shared_data_root()
SETS = {'dm1': 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt', 'dsa1': 'distilled/DSA/CIFAR10/IPC1/res_DSA_CIFAR10_ConvNet_1ipc.pt',
        'mtt1': 'distilled/MTT/CIFAR10/IPC1/images_best.pt', 'mtt10': 'distilled/MTT/CIFAR10/IPC10/images_best.pt',
        'dm20': Path('data/dm20_cifar10.npz'), 'dm50': Path('data/dm50_cifar10.npz')}
# dm20 and dm50 are condensed here (committed in data/): DM with the reference settings on a lent H100, from half the
# training set (2,500 per class, the device's transfer limit), stopped after 250 s: 6,000 (IPC 20) / 6,500 (IPC 50) iterations
DM_RECIPE = ('DM, reference settings (lr 1.0, momentum 0.5, 256 real per class per iteration, DSA, fp32), from 2,500 training images '
             'per class, {it} iterations on an H100 (scripts/gpu_condense.py; reference: 20,000 from all 5,000)')
DM_ITERS = {'dm20': 6000, 'dm50': 6500}
BUDGET = 122_880


def load(name):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        p = Path(SETS[name]); return load_condensed(p if p.exists() else ROOT / p, 'cifar10')


def src_note(src):
    return {'source': DM_RECIPE.format(it=DM_ITERS[src])} if src in DM_ITERS else {}


def paper_row(src):
    "The paper's recipe: GAQ 2-bit 5x5, (alpha, z) as float32/int32, order-0 range coding; max n, then max G (eq. 11)."
    c = fit_budget(load(src), Settings(method='gaq', bits=2, patch=5, coder='order0', params='float'), budget_ipc=1)
    return decode(c.data).to_imageset(), dict(bytes=len(c.data), n_per_class=c.plan['n_per_class'], groups=c.plan['groups'],
                                              ledger=c.ledger, format='v2 header, v1 sections', _pdcq=c.data, **src_note(src))


def rule_v2_row(src):
    "File version 2 (context-coded symbols, coded grid ranges) with the paper's settings and rule: GAQ 2-bit 5x5, max n then G."
    c = fit_budget(load(src), Settings(method='gaq', bits=2, patch=5), budget_ipc=1)
    return decode(c.data).to_imageset(), dict(bytes=len(c.data), n_per_class=c.plan['n_per_class'], groups=c.plan['groups'],
                                              ledger=c.ledger, _pdcq=c.data, **src_note(src))


def search_row(src):
    "File version 2 with the joint search (bits, patch, grouping, n) by the distortion proxy."
    from pdcq_nb.budget import search_budget
    c = search_budget(load(src), 1)
    b, p, g, n = c.plan['chosen']
    return decode(c.data).to_imageset(), dict(bytes=len(c.data), n_per_class=n, bits=b, patch=p, groups=g, ledger=c.ledger,
                                              proxy=c.plan['proxy'], _pdcq=c.data, **src_note(src))


def refine_row(src, chosen=None, refine=None):
    "The search's choice (bits, patch, G, n), with `refine` iterations of eq. 8-10 before quantization (on CUDA when there)."
    from pdcq_nb.codec import compress
    from pdcq_nb.budget import search_budget
    refine = refine or int(os.environ.get('PDCQ_REFINE_ITERS', 500))   # fewer only for a smoke test of this script
    s = load(src)
    b, p, g, n = chosen or search_budget(s, 1).plan['chosen']
    method = 'aq' if p is None else ('paq' if g is None else 'gaq')
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    s = replace(s, x=s.x.to(dev))
    for m in range(n, 0, -1):
        c = compress(s, Settings(method=method, bits=b, patch=p or 5, groups=g or 1, refine=refine, seed=0), n_per_class=m, budget_ipc=1)
        if len(c.data) <= BUDGET: break
    return decode(c.data).to_imageset(), dict(bytes=len(c.data), n_per_class=m, bits=b, patch=p, groups=g, ledger=c.ledger,
                                              refine=refine, refine_device=dev, _pdcq=c.data, **src_note(src))


def soft_row(src, hard=False):
    """File version 2, paper's rule (GAQ 2-bit 5x5), with soft labels stored (float16 logits of a ConvNet-3 teacher,
    data/<src>_soft_logits.npz, made by scripts/soft_labels.py); trained on them (T = 1), or on the hard labels with the
    very same file (equal bytes)."""
    z = np.load(f'data/{src}_soft_logits.npz')
    s = replace(load(src), soft=torch.from_numpy(z['logits']))
    c = fit_budget(s, Settings(method='gaq', bits=2, patch=5), budget_ipc=1)
    d = decode(c.data).to_imageset()
    if hard: d = replace(d, soft=None)
    return d, dict(bytes=len(c.data), n_per_class=c.plan['n_per_class'], groups=c.plan['groups'], ledger=c.ledger,
                   soft_labels=f"{'not used in training (same file)' if hard else 'used, temperature 1'}; teacher: {z['recipe']}, "
                               f"test accuracy {float(z['teacher_test_accuracy']):.1f}", _pdcq=c.data)


def codec_row(src, codec):
    from pdcq_nb.baselines import codec_search
    r = codec_search(load(src), codec, 1)
    return r.images, dict(bytes=r.bytes, **r.setting, candidates=r.candidates, _pixels=(r.pixels, r.ranges), **src_note(src))


def first_row(src, n):
    s = first_per_class(load(src), n)
    return s, dict(bytes=n * BUDGET, n_per_class=n, **src_note(src))


def first_per_class(s, n):
    i = select_per_class(s.y, n); return replace(s, x=s.x[i], y=s.y[i])


def pdcq_row(src, method, bits=2, patch=5, groups='auto', refine=0, ec=True, stage='before'):
    c = fit_budget(load(src), Settings(method=method, bits=bits, patch=patch, refine=refine, refine_stage=stage, coder=('context' if ec else 'packed')), budget_ipc=1, groups=groups)
    d = decode(c.data)
    info = dict(bytes=len(c.data), n_per_class=c.plan['n_per_class'], groups=c.plan['groups'], ledger=c.ledger)
    if refine: info.update(refine_stage=stage, probes=len(c.plan['tried']), final_encodes=c.plan['encodes'])
    return d.to_imageset(), info


def gsweep(src='mtt10', groups=(1, 64, 1024, 4900), runs=3, protocol='quick'):
    "Fig. 4: accuracy and bytes of GAQ 2-bit 5x5 + EC on all images of `src` for each number of groups G."
    from pdcq_nb.codec import compress
    s, te = load(src), load_cifar(ROOT / 'cifar-10-batches-py', train=False)
    points = []
    for G in groups:
        c = compress(s, Settings(method='gaq', bits=2, patch=5, groups=G))
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
    'uint8-mtt10': (lambda: uint8_row('mtt10'), 'beyond: MTT IPC 10 as uint8 (4 per class)'),
    'jpeg-mtt10': (lambda: pillow_row('mtt10', 'JPEG'), 'beyond: MTT IPC 10 as JPEG (all images, best quality that fits)'),
    'webp-mtt10': (lambda: pillow_row('mtt10', 'WEBP'), 'beyond: MTT IPC 10 as WebP (all images, best quality that fits)'),
    'down2-mtt10': (lambda: down2_row('mtt10'), 'beyond: MTT IPC 10 downsampled 2x, float32 (4 per class)'),
}
# file version 2 (issue 9): per source, float32 at the budget and of all images, the paper's recipe, v2 with the paper's
# rule, v2 with the joint search, + refinement, and each image codec tuned by the same proxy
V2_SOURCES = {'mtt10': 'MTT IPC 10', 'dm20': 'DM IPC 20 (condensed here)', 'dm50': 'DM IPC 50 (condensed here)'}
_before = set(ROWS)
for _src, _name in V2_SOURCES.items():
    _ipc = int(_src[-2:])
    if _src != 'mtt10':
        ROWS[f'float32-{_src}-first1'] = ((lambda s=_src: first_row(s, 1)), f'{_name}, first image per class, float32 (the budget)')
        ROWS[f'float32-{_src}'] = ((lambda s=_src, i=_ipc: first_row(s, i)), f'{_name}, float32, all images ({_ipc}x the budget; reference)')
    ROWS[f'paper-{_src}'] = ((lambda s=_src: paper_row(s)), f"{_name} -> the paper's recipe: GAQ 2-bit 5x5 + order-0 EC, max n then G")
    ROWS[f'v2rule-{_src}'] = ((lambda s=_src: rule_v2_row(s)), f"{_name} -> v2 file (context coder, coded ranges), GAQ 2-bit 5x5, max n then G")
    ROWS[f'v2search-{_src}'] = ((lambda s=_src: search_row(s)), f'{_name} -> v2 file, joint search (bits, patch, G, n) by the proxy')
    ROWS[f'v2search-refine-{_src}'] = ((lambda s=_src: refine_row(s)), f'{_name} -> v2 file, joint search, refine 500 (before quantization)')
    for _c in ('jpeg', 'webp', 'avif', 'jxl'):
        ROWS[f'{_c}-tuned-{_src}'] = ((lambda s=_src, c=_c: codec_row(s, c)), f'{_name} -> {_c.upper()} tuned (quality, subsampling, n by the proxy)')
V2_ROWS = [n for n in ROWS if n not in _before]
ROWS['v2rule-soft-mtt10'] = (lambda: soft_row('mtt10'), 'MTT IPC 10 -> v2 file, GAQ 2-bit 5x5, + soft labels (float16, in the file and the budget), trained on them')
ROWS['v2rule-softfile-hard-mtt10'] = (lambda: soft_row('mtt10', hard=True), 'MTT IPC 10 -> the same file with soft labels, trained on the hard labels')


def _save_payload(folder, name, s, storage):
    "The row's training set in its stored form: the .pdcq bytes, the codec's 8-bit pictures, or nothing (float32 rows are rebuilt)."
    pdcq, pixels = storage.pop('_pdcq', None), storage.pop('_pixels', None)
    if pdcq is not None: (folder / f'{name}.pdcq').write_bytes(pdcq)
    elif pixels is not None: np.savez(folder / f'{name}.pix.npz', u8=pixels[0], rng=pixels[1], y=s.y.numpy())
    else: (folder / f'{name}.todo').write_text(name)
    return storage


def prepare(names, folder=Path('.gpu/rows')):
    "Build each row's training set here and save it compactly, with what it stores, for `--evaluate-prepared` elsewhere."
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        build, label = ROWS[name]
        if 'refine' in name or name.startswith('float32'):   # built on the device
            (folder / f'{name}.todo').write_text(name); continue
        t0 = time.time(); s, storage = build(); prep = time.time() - t0
        storage = _save_payload(folder, name, s, storage)
        here = hashlib.sha256(_load_prepared(folder, name).x.numpy().astype('<f4').tobytes()).hexdigest()
        check = hashlib.sha256(s.x.numpy().astype('<f4').tobytes()).hexdigest()
        assert here == check, f'{name}: the stored form does not give the training set back'
        (folder / f'{name}.json').write_text(json.dumps(dict(row=name, label=label, storage=storage, prepare_seconds=round(prep, 1),
                                                             sha256_x_prepared=here), default=str))
        print(f'prepared {name}: {len(s)} images, {storage["bytes"]} B, {prep:.1f} s', flush=True)


def _load_prepared(folder, name):
    "The training set of a prepared row, exactly as here."
    from pdcq_nb.data import dataset_space, class_names
    from pdcq_nb.baselines import from_pixels
    sp = dataset_space('cifar10'); folder = Path(folder)
    if (folder / f'{name}.pdcq').exists(): return decode((folder / f'{name}.pdcq').read_bytes()).to_imageset()
    z = np.load(folder / f'{name}.pix.npz')
    x = torch.from_numpy(z['x']) if 'x' in z else from_pixels(z['u8'], z['rng'], sp)
    return ImageSet(x, torch.from_numpy(z['y']), class_names('cifar10'), sp, name, 'cifar10')


def _build_on_device(folder, name):
    "Rows left to the device: float32 subsets of the committed sets, and refinement of the search's prepared choice."
    t0 = time.time()
    if 'refine' in name:
        src = name.split('-')[-1]
        chosen = json.loads((folder / f'v2search-{src}.json').read_text())['storage']
        s, storage = refine_row(src, [chosen['bits'], chosen['patch'], chosen['groups'], chosen['n_per_class']])
    else: s, storage = ROWS[name][0]()
    s = replace(s, x=s.x.cpu()); storage.pop('_pixels', None)
    if '_pdcq' in storage: storage['pdcq_sha256'] = hashlib.sha256(storage.pop('_pdcq')).hexdigest()
    return s, dict(row=name, label=ROWS[name][1], storage=storage, prepare_seconds=round(time.time() - t0, 1))


def _eval_one(args):
    folder, name, runs, protocol, test_path = args
    torch.set_num_threads(2)
    from scripts.gpu_condense import load_packed
    from pdcq_nb.data import dataset_space, normalize, class_names
    sp = dataset_space('cifar10'); xt, yt = load_packed(test_path)
    te = ImageSet(normalize(torch.from_numpy(xt).float().div_(255), sp), torch.from_numpy(yt), class_names('cifar10'), sp, 'cifar10-test', 'cifar10')
    folder = Path(folder)
    if (folder / f'{name}.todo').exists(): s, meta = _build_on_device(folder, name)
    else: s, meta = _load_prepared(folder, name), json.loads((folder / f'{name}.json').read_text())
    meta['sha256_x'] = hashlib.sha256(s.x.numpy().astype('<f4').tobytes()).hexdigest()
    if os.environ.get('PDCQ_SMOKE_EPOCHS'):   # a smoke test of this script, never a result
        from pdcq_nb.train import Protocol; protocol = Protocol('smoke', epochs=int(os.environ['PDCQ_SMOKE_EPOCHS']))
    meta.update(evaluate(s, te, protocol, runs=runs, progress=False))
    return meta


def evaluate_prepared(folder, out, runs, protocol, workers, test_path='.gpu/test.npz'):
    "Build the rows left to the device and train every prepared row, `workers` at a time; results.json after each row."
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    folder = Path(folder)
    names = sorted({p.name.split('.')[0] for p in folder.iterdir() if p.suffix in ('.todo', '.json')},
                   key=lambda n: ('refine' not in n, -int(n.split('-')[-1 if n[-1] != '1' or 'first' not in n else -2][-2:]), n))   # refinement and the big sets first
    done = {}
    with ProcessPoolExecutor(workers, mp_context=mp.get_context('spawn')) as ex:
        futs = {ex.submit(_eval_one, (str(folder), n, runs, protocol, test_path)): n for n in names}
        for f in as_completed(futs):
            n = futs[f]
            try: r = f.result(); done[n] = r; print(f"{n}: {r['mean']:.2f} ± {r['std']:.2f} ({r['seconds']} s)", flush=True)
            except Exception as e: done[n] = dict(row=n, error=repr(e)); print(f'{n}: failed {e!r}', flush=True)
            Path(out, 'results.json').write_text(json.dumps(done, default=str))


def collect(path, runs, protocol):
    "Device results (results.json) -> results/budget_ipc1/<row>.json, with the command that reproduces each row anywhere."
    OUT.mkdir(parents=True, exist_ok=True)
    for name, r in json.loads(Path(path).read_text()).items():
        if 'mean' not in r: print(f'{name}: no result ({r.get("error")})'); continue
        prepared = Path('.gpu/rows') / f'{name}.json'
        if prepared.exists() and 'sha256_x_prepared' in r:
            assert r['sha256_x'] == r['sha256_x_prepared'], f'{name}: the device trained on other images than were prepared'
        r['command'] = f'.venv/bin/python scripts/experiments.py --rows {name} --runs {runs} --protocol {protocol}'
        (OUT / f'{name}.json').write_text(json.dumps(r, indent=1, default=str))
        print(f"{name}: {r['mean']:.2f} ± {r['std']:.2f} on {r['device']}")


def run_row(name, runs, protocol):
    build, label = ROWS[name]
    t0 = time.time(); s, storage = build(); prep = time.time() - t0
    s = replace(s, x=s.x.cpu()); storage.pop('_pixels', None)
    if '_pdcq' in storage: storage['pdcq_sha256'] = hashlib.sha256(storage.pop('_pdcq')).hexdigest()
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
    ap.add_argument('--prepare', nargs='*', default=None, help='rows to build into .gpu/rows/ for --evaluate-prepared')
    ap.add_argument('--evaluate-prepared', default=None); ap.add_argument('--out', default='.gpu/out')
    ap.add_argument('--workers', type=int, default=6); ap.add_argument('--collect', default=None)
    a = ap.parse_args()
    if a.evaluate_prepared:
        Path(a.out).mkdir(parents=True, exist_ok=True); evaluate_prepared(a.evaluate_prepared, a.out, a.runs, a.protocol, a.workers); sys.exit()
    if a.collect: collect(a.collect, a.runs, a.protocol); sys.exit()
    assert ROOT is not None, 'needs ../shared/data'
    if a.prepare is not None: prepare(a.prepare or V2_ROWS); sys.exit()
    for n in a.rows: run_row(n, a.runs, a.protocol)
    if a.gsweep: gsweep(runs=a.runs, protocol=a.protocol)
    if a.table: table()
