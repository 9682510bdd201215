"""Issue 16 §3, codecs at their strongest on DM IPC 50 at the IPC 1 budget: every codec searched over quality, chroma
subsampling, images per class *and* layout (one bitstream per image, or one mosaic of the whole set with JPEG's Huffman
tables optimised), by the same proxy as ours; the pixel MSE of each winner; the best by the proxy saved for evaluation.

    .venv/bin/python scripts/codecs_dm50.py            # writes results/codecs_dm50.json and runs/tmp/dm50_<codec>.npz
    .venv/bin/pdcq eval runs/tmp/dm50_<best>.npz --dataset cifar10 --protocol dc --runs 3 --bf16 --json results/transform/dm50_best_codec-dc.json
"""
import json, time
from pathlib import Path
import numpy as np
ROOT = Path(__file__).resolve().parents[1]
from pdcq_nb.codec import load_set, select_per_class, budget_bytes
from pdcq_nb.baselines import codec_search, CODECS
from pdcq_nb.budget import DistortionProxy


def main():
    s = load_set(ROOT / 'data/dm50_cifar10.npz', 'cifar10')
    px = DistortionProxy(s)
    out = dict(budget_bytes=budget_bytes(1, s.num_classes, s.x.shape), source='data/dm50_cifar10.npz', codecs={})
    (ROOT / 'runs/tmp').mkdir(parents=True, exist_ok=True)
    for codec in CODECS:
        t = time.time(); r = codec_search(s, codec, 1, proxy=px)
        keep = select_per_class(s.y, r.setting['n_per_class'])
        mse = float((r.images.x - s.x[keep]).pow(2).mean())
        best = {lay: min((c for c in r.candidates if c['layout'] == lay and c['n']), key=lambda c: c['proxy'], default=None)
                for lay in ('images', 'mosaic')}
        out['codecs'][codec] = dict(setting=r.setting, bytes=r.bytes, mse=mse, seconds=round(time.time() - t, 1),
                                    proxy=min(c['proxy'] for c in r.candidates if c['n']), best_per_layout=best)
        np.savez(ROOT / f'runs/tmp/dm50_{codec}.npz', x=r.images.x.numpy(), y=r.images.y.numpy())
        print(codec, out['codecs'][codec]['setting'], r.bytes, f'MSE {mse:.4f}', flush=True)
    out['best_by_proxy'] = min(out['codecs'], key=lambda k: out['codecs'][k]['proxy'])
    (ROOT / 'results/codecs_dm50.json').write_text(json.dumps(out, indent=1) + '\n')


if __name__ == '__main__': main()
