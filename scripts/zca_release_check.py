"""Which space does the MTT CIFAR-10 IPC 10 release we have live in? The same networks tested on three test sets.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/zca_release_check.py [--protocol dc] [--runs 1]

Trains ConvNet-3 (`--protocol`, seeds 0..runs-1, fp32, CPU) on ../shared/data/distilled/MTT/CIFAR10/IPC10/images_best.pt
(10 images per class, class-major; no lr file, so the protocol's lr) and tests the same networks on (1) the test set whitened
as mtt-distillation/DATM do (ToTensor(), kornia ZCA eps 0.1 on the [0, 1] train set: `real_set(..., zca=True)`), (2) the
test set whitened this package's earlier way (ZCA fitted on the normalized train set), (3) the plain normalized test set.
A set scores best on the test set of its own space. Writes results/zca_release_check.json. (Run on 2026-12-07, dc, 1 run,
seed 0: 57.1 / 52.3 / 63.7 — this release is a normalized one, as results/budget_ipc1 treats it, not a ZCA one; its
`whitening_stats` agree: it does not look whitened.)
"""
import argparse, json, os, platform, warnings
from dataclasses import replace
from pathlib import Path
import torch
from pdcq_nb.data import load_condensed, real_set, shared_data_root, dataset_space, Space
from pdcq_nb.train import evaluate

ap = argparse.ArgumentParser(); ap.add_argument('--protocol', default='dc'); ap.add_argument('--runs', type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
p = shared_data_root() / 'distilled/MTT/CIFAR10/IPC10/images_best.pt'
with warnings.catch_warnings():
    warnings.simplefilter('ignore'); s = load_condensed(p, 'cifar10')   # class-major labels (no labels file)
s = replace(s, space=Space(zca=True))   # so that evaluate accepts the MTT-recipe test set as the main one
tests = {'MTT/DATM recipe (ToTensor, kornia ZCA eps 0.1)': real_set('cifar10', False, zca=True),
         'earlier recipe here (normalized, then ZCA eps 0.1)': real_set('cifar10', False, zca=replace(dataset_space('cifar10'), zca=True)),
         'normalized, not whitened': real_set('cifar10', False)}
first, *rest = tests
for k, t in tests.items(): print(f'{k}: test image std {float(t.x.std()):.3f}', flush=True)
also = {k: tests[k] for k in rest}   # the same networks, tested on the other test sets too
r = evaluate(s, tests[first], a.protocol, a.runs, 'cpu', progress=False, also=also)
out = dict(set=str(p.relative_to(shared_data_root())), per_class=s.per_class(), tested_on=first, result=r,
           test_image_std={k: round(float(t.x.std()), 4) for k, t in tests.items()},
           device=f'CPU ({platform.machine()}), 1 thread, fp32', torch=torch.__version__,
           command=f'OMP_NUM_THREADS=1 .venv/bin/python scripts/zca_release_check.py --protocol {a.protocol} --runs {a.runs}')
Path('results/zca_release_check.json').write_text(json.dumps(out, indent=1))
print(f"{first}: {r['mean']:.2f}; " + '; '.join(f"{k}: {v['mean']:.2f}" for k, v in r['also'].items()))
