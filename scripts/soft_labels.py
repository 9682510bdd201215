"""Soft labels for a condensed set, made here: a ConvNet-3 teacher trained on the real CIFAR-10 training set (SGD lr 0.01,
momentum 0.9, wd 5e-4, batch 256, no augmentation, EPOCHS epochs, seed 0, on this CPU), then its logits on the condensed
images, saved as data/<name>_soft_logits.npz (logits (N, 10) float32, teacher test accuracy, recipe). The logits are our
own data (the images stay in ../shared); `pdcq` reads them as soft labels with `--soft data/....npz`.

    .venv/bin/python scripts/soft_labels.py ../shared/data/distilled/MTT/CIFAR10/IPC10/images_best.pt mtt10 --epochs 3
"""
import argparse, json, time, warnings
import numpy as np
import torch
import torch.nn.functional as F
from pdcq_nb.data import load_cifar, load_condensed, shared_data_root
from pdcq_nb.models import ConvNet
from pdcq_nb.train import test_accuracy

ap = argparse.ArgumentParser(); ap.add_argument('syn'); ap.add_argument('name'); ap.add_argument('--epochs', type=int, default=3)
a = ap.parse_args()
root = shared_data_root() / 'cifar-10-batches-py'
tr, te = load_cifar(root, train=True), load_cifar(root, train=False)
torch.manual_seed(0); g = torch.Generator().manual_seed(0)
net = ConvNet(3, 10, 32).train()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
t0 = time.time()
for ep in range(a.epochs):
    perm = torch.randperm(len(tr), generator=g)
    for i in range(0, len(tr), 256):
        idx = perm[i:i + 256]; loss = F.cross_entropy(net(tr.x[idx]), tr.y[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    print(f'epoch {ep + 1}: loss {float(loss):.3f}, {time.time() - t0:.0f} s', flush=True)
net.eval(); acc = test_accuracy(net, te.x, te.y)
with warnings.catch_warnings():
    warnings.simplefilter('ignore'); s = load_condensed(a.syn)
with torch.no_grad(): logits = net(s.x).numpy().astype(np.float32)
recipe = f'ConvNet-3 teacher, real CIFAR-10 train, {a.epochs} epochs, SGD lr 0.01 momentum 0.9 wd 5e-4, batch 256, no augmentation, seed 0'
np.savez_compressed(f'data/{a.name}_soft_logits.npz', logits=logits, teacher_test_accuracy=np.float32(acc), recipe=np.array(recipe))
print(json.dumps(dict(name=a.name, teacher_test_accuracy=acc, agree_with_hard=float((logits.argmax(1) == s.y.numpy()).mean()), recipe=recipe)))
