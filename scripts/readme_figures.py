"""Make the README's figures from the library (run from the repo root; needs ../shared/data for the DM set).

    .venv/bin/python scripts/readme_figures.py
"""
import json
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import torch
from pdcq_nb.data import load_condensed, shared_data_root
from pdcq_nb.methods import distortion_table, plot_distortion, quantize_images

root = shared_data_root()
assert root is not None, 'needs ../shared/data'
s = load_condensed(root / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt')
rows = distortion_table(s.x, patch=5, groups=64, n_nets=3)
Path('images').mkdir(exist_ok=True)
Path('images/distortion.json').write_text(json.dumps(dict(
    source='DM IPC 1 CIFAR-10 (shared/data/distilled/DM), 10 images; feature MSE through 3 random ConvNet-3 (seeds 0,1,2); '
           'PAQ/GAQ 5x5 patches, GAQ G=64; made by scripts/readme_figures.py', rows=rows), indent=1))

fig = plt.figure(figsize=(12, 4.4))
gs = fig.add_gridspec(4, 12, width_ratios=[3.2, 0.3] + [1] * 10)
plot_distortion(rows, ax=fig.add_subplot(gs[:, 0]), mark=('paq', 2))
show = {'original (float32)': s.x, **{f'{n}, 2-bit': quantize_images(s.x, m, 2, 5).dequantize()
                                     for n, m in [('Median Cut', 'mediancut'), ('AQ', 'aq'), ('PAQ 5×5', 'paq')]}}
# DM's IPC 1 images span about ±20 in normalized units, so clipping to [0, 1] after denormalizing saturates them:
# show every image stretched by the 1st and 99th percentiles of its original, the same stretch for all its versions.
lo = torch.quantile(s.x.flatten(1), 0.01, dim=1).view(-1, 1, 1, 1); hi = torch.quantile(s.x.flatten(1), 0.99, dim=1).view(-1, 1, 1, 1)
for r, (name, imgs) in enumerate(show.items()):
    for c in range(10):
        a = fig.add_subplot(gs[r, 2 + c]); a.axis('off')
        a.imshow(((imgs[c:c + 1] - lo[c]) / (hi[c] - lo[c]))[0].clamp(0, 1).permute(1, 2, 0))
        if c == 0: a.set_title(name, loc='left', fontsize=9)
fig.suptitle('DM IPC 1 on CIFAR-10: feature distortion vs bit-width (left); the images at 2 bits, each stretched by its original\'s 1-99th percentiles (right)', fontsize=10)
plt.tight_layout()
fig.savefig('images/distortion.png', dpi=90)
print('wrote images/distortion.png and images/distortion.json')
