"""Check `data.zca_for` against kornia's ZCAWhitening as mtt-distillation, DATM and DD-Ranking call it: CIFAR-10 read with
ToTensor() alone ([0, 1] pixels, no mean/std), `ZCAWhitening(eps=0.1, compute_inv=True)` fitted on the whole train set
(50,000 images), the test set whitened with it. Compares the whole whitened test set and the inverse, and records the test
images' std in this recipe and in this package's earlier one (ZCA fitted on the normalized train set). Writes
results/zca_kornia_check.json. kornia is not a dependency: point KORNIA_PATH at an unpacked kornia (+ kornia_rs) wheel, e.g.
    pip download kornia==0.9.0 kornia_rs --no-deps -d /tmp/kw && mkdir -p /tmp/k && cd /tmp/k && for w in /tmp/kw/*.whl; do unzip -qo $w; done
    KORNIA_PATH=/tmp/k OMP_NUM_THREADS=1 .venv/bin/python scripts/check_zca_kornia.py
"""
import json, os, sys, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, os.environ.get('KORNIA_PATH', ''))
import torch
import kornia as K
from pdcq_nb.data import load_cifar, shared_data_root, real_set, zca_for, dataset_space

torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
root = shared_data_root() / 'cifar-10-batches-py'
tr, te = load_cifar(root, train=True, normalized=False), load_cifar(root, train=False, normalized=False)   # = ToTensor()
t0 = time.time()
kz = K.enhance.ZCAWhitening(eps=0.1, compute_inv=True); kz.fit(tr.x)
t_kornia = time.time() - t0
a = kz(te.x)

t0 = time.time(); ours = real_set('cifar10', False, zca=True); t_ours = time.time() - t0
b = ours.x
z = zca_for('cifar10')
old = real_set('cifar10', False, zca=replace(dataset_space('cifar10'), zca=True))   # the earlier recipe (normalized, then ZCA)
r = dict(kornia=K.__version__, recipe='ToTensor() [0, 1] pixels, no mean/std; ZCAWhitening(eps=0.1) fitted on all 50,000 train images',
         fit_images=len(tr), compared='the whole CIFAR-10 test set (10,000 images) whitened',
         max_abs_diff_whitened=float((a - b).abs().max()), whitened_abs_max=float(a.abs().max()),
         max_rel_diff_whitened=float((a - b).abs().max() / a.abs().max()),
         max_abs_diff_inverse=float((kz.inverse_transform(a) - z.inverse(b)).abs().max()),
         roundtrip_max_abs_err=float((z.inverse(b) - te.x).abs().max()),
         test_std_this_recipe=round(float(b.std()), 4), test_std_earlier_recipe_normalized_then_zca=round(float(old.x.std()), 4),
         per_channel_std_this_recipe=[round(float(v), 4) for v in b.std((0, 2, 3))],
         seconds_kornia_fit_float32=round(t_kornia, 1), seconds_ours_incl_fit_or_cache=round(t_ours, 1),
         device='CPU, 1 thread (shared 2-core machine: times are rough)', torch=torch.__version__,
         command='KORNIA_PATH=/tmp/k OMP_NUM_THREADS=1 .venv/bin/python scripts/check_zca_kornia.py')
Path('results/zca_kornia_check.json').write_text(json.dumps(r, indent=1)); print(json.dumps(r))
