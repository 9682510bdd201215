"""The transform domain's acceptance numbers on DM IPC 50 at the IPC 1 budget (issue 16): pixel MSE (normalized space) of
the file the default search writes (`data/dm50_dct_ipc1.pdcq`, made by the README's `pdcq compress ... --bits auto --patch auto
--groups auto --budget-ipc 1`), of the tuned JPEG and of the pixel-domain search; encode and decode times of the file.

    .venv/bin/python scripts/transform_dm50.py            # writes results/transform_dm50.json
"""
import json, platform, sys, time
from dataclasses import replace
from pathlib import Path
import torch
ROOT = Path(__file__).resolve().parents[1]
from pdcq_nb.codec import load_set, read_pdcq, compress_transform, decode, select_per_class, budget_bytes
from pdcq_nb.transform import TransformSettings
from pdcq_nb.baselines import codec_search
from pdcq_nb.budget import search_budget


def mse(a, b): return float((a.float() - b.float()).pow(2).mean())


def main():
    s = load_set(ROOT / 'data/dm50_cifar10.npz', 'cifar10')
    src = s.x[select_per_class(s.y, None)]
    B = budget_bytes(1, s.num_classes, s.x.shape)
    f = read_pdcq(ROOT / 'data/dm50_dct_ipc1.pdcq'); t = f.header['transform']
    raw = (ROOT / 'data/dm50_dct_ipc1.pdcq').read_bytes()
    ts = TransformSettings(t['block'], t['step'], t['kappa'], t['colour'])
    t0 = time.perf_counter(); c = compress_transform(s, ts, None, 1); enc = time.perf_counter() - t0
    t0 = time.perf_counter(); decode(raw); dec = time.perf_counter() - t0
    out = dict(budget_bytes=B, machine=f'{platform.machine()}, {torch.get_num_threads()} threads',
               dct=dict(file='data/dm50_dct_ipc1.pdcq', bytes=len(raw), n_images=len(f.x), mse=mse(f.x, src), step=t['step'],
                        block=t['block'], kappa=t['kappa'], encode_s=round(enc, 2), decode_s=round(dec, 2),
                        same_images_as_reencode=bool(c.x.equal(f.x))))
    j = codec_search(s, 'jpeg', 1)
    keep = select_per_class(s.y, j.setting['n_per_class'])
    out['jpeg'] = dict(bytes=j.bytes, quality=j.setting['quality'], subsampling=j.setting['subsampling'],
                       n_per_class=j.setting['n_per_class'], mse=mse(j.images.x, s.x[keep]))
    p = search_budget(s, 1)   # the pixel domain alone (the search as it was before the transform domain)
    out['pixel_search'] = dict(bytes=len(p), chosen=p.plan['chosen'], n_images=len(p.x),
                               mse=mse(p.x, s.x[select_per_class(s.y, p.plan['n_per_class'])]))
    out['dct']['mse_vs_jpeg'] = out['dct']['mse'] / out['jpeg']['mse']
    out['pixel_search']['mse_vs_jpeg'] = out['pixel_search']['mse'] / out['jpeg']['mse']
    (ROOT / 'results/transform_dm50.json').write_text(json.dumps(out, indent=1) + '\n')
    print(json.dumps(out, indent=1))


if __name__ == '__main__': main()
