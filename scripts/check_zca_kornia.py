"""Check `data.ZCA` against kornia's ZCAWhitening (as MTT/DATM call it: eps 0.1, compute_inv=True) on CIFAR-10: fit both on
the first 5,000 normalized train images, whiten 8 other images, compare; writes results/zca_kornia_check.json.
kornia is not a dependency: point KORNIA_PATH at an unpacked kornia (+ kornia_rs) wheel, e.g.
    pip download kornia kornia_rs --no-deps -d /tmp/kw && cd /tmp/k && for w in /tmp/kw/*.whl; do unzip -qo $w; done
    KORNIA_PATH=/tmp/k .venv/bin/python scripts/check_zca_kornia.py
"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, os.environ.get('KORNIA_PATH', ''))
import kornia as K
from pdcq_nb.data import real_set, ZCA
s = real_set('cifar10', True)
x, probe = s.x[:5000], s.x[10000:10008]
kz = K.enhance.ZCAWhitening(eps=0.1, compute_inv=True); kz.fit(x)
oz = ZCA.fit(x, eps=0.1)
a, b = kz(probe), oz(probe)
r = dict(kornia=K.__version__, fit_images=5000, probe_images=8, max_abs_diff_whitened=float((a - b).abs().max()),
         whitened_abs_max=float(a.abs().max()), max_abs_diff_inverse=float((kz.inverse_transform(a) - oz.inverse(b)).abs().max()),
         roundtrip_max_abs_err=float((oz.inverse(b) - probe).abs().max()))
Path('results/zca_kornia_check.json').write_text(json.dumps(r, indent=1)); print(json.dumps(r))
