"""Which class order D4M's numbered Tiny ImageNet folders follow (toolbox 33): one ConvNet-D4 trained briefly on D4M IPC 10 with
the folder numbers as labels, tested on the real validation split (val/ alone), its predicted folder read as a class under each
rule — 'index' (folder k = line k of wnids.txt) and 'sorted' (folder k = the k-th wnid in sorted order). The wrong rule scores
chance (0.5 %). Writes results/tinyimagenet_class_order.json.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/tinyimagenet_order.py --epochs 10

Needs ../shared/data (tiny-imagenet-200/ and distilled/D4M/TinyImageNet/IPC10). One CPU thread; 885 s on the shared 2-core CPU here (busy; not timed precisely).
"""
import argparse, json, time
from dataclasses import replace
from pathlib import Path
import torch
from pdcq_nb.data import load_class_folders, real_set, shared_data_root
from pdcq_nb.train import PROTOCOLS, train_model

ROOT = Path(__file__).resolve().parents[1]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--epochs', type=int, default=10, help='the quick protocol shortened to this many epochs')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default=str(ROOT / 'results/tinyimagenet_class_order.json'))
    a = ap.parse_args()
    torch.set_num_threads(1)
    root = shared_data_root(); assert root is not None, 'needs ../shared/data'
    val = real_set('tinyimagenet', False)                       # classes: wnids in wnids.txt order, the order y counts in
    s = load_class_folders(root / 'distilled/D4M/TinyImageNet/IPC10', 'tinyimagenet', 'index')   # y = the folder number
    p = replace(PROTOCOLS['quick'], name=f'quick-{a.epochs}ep', epochs=a.epochs)
    t0 = time.time()
    net = train_model(s, p, seed=a.seed, device='cpu')
    with torch.inference_mode(): folder = torch.cat([net(val.x[i:i + 500]).argmax(1) for i in range(0, len(val), 500)])
    wn = val.classes; sorted_to_index = torch.tensor([wn.index(w) for w in sorted(wn)])
    acc = {'index': 100 * float((folder == val.y).float().mean()), 'sorted': 100 * float((sorted_to_index[folder] == val.y).float().mean())}
    out = dict(question="which class does D4M's Tiny ImageNet folder k hold?", set='distilled/D4M/TinyImageNet/IPC10 (2,000 images, folder numbers as labels)',
               test='tiny-imagenet-200/val (10,000 images)', test_images=len(val), accuracy=acc, chance=0.5,
               rules={'index': 'folder k = line k of wnids.txt', 'sorted': 'folder k = the k-th wnid in sorted order'},
               protocol_text=p.describe(), epochs=p.epochs, seed=a.seed, device='cpu', threads=1, precision='fp32',
               seconds=round(time.time() - t0, 1), command=f'OMP_NUM_THREADS=1 .venv/bin/python scripts/tinyimagenet_order.py --epochs {a.epochs} --seed {a.seed}')
    Path(a.out).write_text(json.dumps(out, indent=1)); print(json.dumps(acc), f"{out['seconds']} s ->", a.out)
