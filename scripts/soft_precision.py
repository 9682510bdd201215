"""What storing soft labels as float16 costs in accuracy: the same decoded MTT IPC 10 images (file version 2, the paper's
rule, IPC 1 budget, soft labels in the file), trained with the teacher's float32 logits and with the float16 logits the
file stores (dc protocol, --runs seeds, temperature 1, CPU). Writes results/soft_precision.json.

    .venv/bin/python scripts/soft_precision.py [--runs 3] [--protocol dc]

The teacher logits are data/mtt10_soft_logits.npz (scripts/soft_labels.py). Needs ../shared/data.
"""
import argparse, json, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
from pdcq_nb.data import load_condensed, real_set, shared_data_root
from pdcq_nb.budget import fit_budget
from pdcq_nb.codec import Settings, decode, select_per_class
from pdcq_nb.train import evaluate

ap = argparse.ArgumentParser(); ap.add_argument('--runs', type=int, default=3); ap.add_argument('--protocol', default='dc')
a = ap.parse_args()
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    s = load_condensed(shared_data_root() / 'distilled/MTT/CIFAR10/IPC10/images_best.pt', 'cifar10')
z = np.load('data/mtt10_soft_logits.npz')
logits = torch.from_numpy(z['logits'])
c = fit_budget(replace(s, soft=logits), Settings(method='gaq', bits=2, patch=5), budget_ipc=1)
d = decode(c.data).to_imageset()
kept = select_per_class(s.y, c.plan['n_per_class'])
f32 = logits[kept]
assert torch.equal(f32.half().float(), d.soft), 'the file must hold the float16 of the kept images\' logits'
test = real_set('cifar10', False)
rows = {}
for name, soft in [('float32 logits (not stored: 4 B each)', f32), ('float16 logits (as stored: 2 B each)', d.soft)]:
    r = evaluate(replace(d, soft=soft), test, a.protocol, a.runs, 'cpu', progress=False)
    rows[name] = r; print(f"{name}: {r['mean']:.2f} ± {r['std']:.2f} {r['accs']}", flush=True)
err = (f32 - d.soft).abs()
out = dict(file_bytes=len(c.data), soft_bytes=c.ledger.get('soft_labels'), n_images=len(d), max_abs_rounding=float(err.max()),
           mean_abs_rounding=float(err.mean()), teacher=str(z['recipe']), rows=rows,
           command=f'scripts/soft_precision.py --runs {a.runs} --protocol {a.protocol}')
Path('results/soft_precision.json').write_text(json.dumps(out, indent=1)); print('wrote results/soft_precision.json')
