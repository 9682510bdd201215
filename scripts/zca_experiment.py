"""ZCA end to end on CIFAR-10, scaled down for a 2-core CPU: DM condensed in ZCA space, compressed at the IPC 1 budget,
evaluated on the whitened test set — and, with the very same trained networks, on the unwhitened test set.

    .venv/bin/python scripts/zca_experiment.py [--iterations 600] [--runs 3] [--protocol dc]

1. `data/dmzca10_cifar10.npz` (+ .json recipe): DM, 10 images per class, in ZCA space, reference DM settings except the number of
   iterations (600 here instead of 20,000) and bf16 autocast; made only when the file is missing. The same as
   `pdcq condense --dataset cifar10 --zca --ipc 10 --iterations 600 --bf16 -o data/dmzca10_cifar10.npz`.
2. `data/dmzca10_ipc1.pdcq`: file version 2 with the paper's settings and rule (GAQ 2-bit 5x5, max n then G) at the
   float32 storage of IPC 1 (122,880 B); the same as `pdcq compress data/dmzca10_cifar10.npz --budget-ipc 1 ...`.
3. results/zca_ipc1.json: `evaluate` (`--protocol`, `--runs` seeds) of the float32 set and of the decoded file, each
   tested on the ZCA-whitened test set (their space) and, as `also`, on the plain normalized test set.
Needs ../shared/data (CIFAR-10). Run with the MALLOC_* settings of the README.

The committed set was made before this package followed mtt-distillation's ZCA recipe: it is whitened with ZCA fitted on the
*normalized* train set (eps 0.1), and its .npz carries that space (`space`: CIFAR-10's mean/std, zca true), as the .pdcq headers
do, so it is read and tested in it (`real_set(..., zca=s.space)`). Deleting the .npz re-makes it in MTT/DATM's space (kornia's
ZCA, eps 0.1, on the [0, 1] train set) and re-measures the rows there.
"""
import argparse, json, platform, time
from pathlib import Path
import torch
from pdcq_nb.data import real_set, load_condensed
from pdcq_nb.condense import DMConfig, condense_dm, save_condensed
from pdcq_nb.budget import fit_budget
from pdcq_nb.codec import Settings, decode, info
from pdcq_nb.train import evaluate

ap = argparse.ArgumentParser()
ap.add_argument('--iterations', type=int, default=600); ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--protocol', default='dc'); ap.add_argument('--checkpoint', default='/tmp/dmzca10_ck.pt')
a = ap.parse_args()
SET, REC, FILE, OUT = Path('data/dmzca10_cifar10.npz'), Path('data/dmzca10_cifar10.json'), Path('data/dmzca10_ipc1.pdcq'), Path('results/zca_ipc1.json')

if not SET.exists():
    cfg = DMConfig(ipc=10, iterations=a.iterations, bf16=True, checkpoint_every=100)
    t0 = time.time()
    s = condense_dm(real_set('cifar10', True, zca=True), cfg, a.checkpoint, 'cpu', progress=False, log_every=100)
    save_condensed(s, SET)
    REC.write_text(json.dumps(dict(ipc=10, iterations=a.iterations, space='ZCA as mtt-distillation/DATM (kornia, eps 0.1, fit on the [0, 1] CIFAR-10 train set)',
                                   settings='reference DM (lr 1.0, momentum 0.5, 256 real per class, DSA), bf16 autocast, seed 0',
                                   seconds=round(time.time() - t0, 1), device=f'CPU ({platform.processor() or platform.machine()}, 2 cores)',
                                   torch=torch.__version__, command='scripts/zca_experiment.py')))
s = load_condensed(SET, 'cifar10')
assert s.space.zca, 'the condensed set must be marked as ZCA-whitened'
c = fit_budget(s, Settings(method='gaq', bits=2, patch=5), budget_ipc=1)
FILE.write_bytes(c.data)
d = decode(c.data).to_imageset()
test_w, test_n = real_set('cifar10', False, zca=s.space), real_set('cifar10', False)   # its own ZCA space
rows = {}
for name, train in [('float32, all 100 images (122,880 B x 10)', s), (f'pdcq v2, paper rule, IPC 1 budget ({len(c.data):,} B)', d)]:
    r = evaluate(train, test_w, a.protocol, a.runs, 'cpu', progress=False, also={'unwhitened test set': test_n})
    rows[name] = r
    print(f"{name}: whitened test {r['mean']:.2f} ± {r['std']:.2f}; unwhitened test {r['also']['unwhitened test set']['mean']:.2f}", flush=True)
i = info(c.data)
OUT.write_text(json.dumps(dict(set=str(SET), recipe=json.loads(REC.read_text()), file=str(FILE), file_bytes=len(c.data),
                               n_per_class=c.plan['n_per_class'], groups=c.plan['groups'], ledger=i['ledger'], rows=rows,
                               protocol=a.protocol, runs=a.runs, command=f'scripts/zca_experiment.py --runs {a.runs} --protocol {a.protocol}'),
                          indent=1))
print(f'wrote {OUT}')
