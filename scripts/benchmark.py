"""Speed of the hot loops on this machine, next to its matmul peaks and to straightforward fp32 versions.

    .venv/bin/python scripts/benchmark.py [--json results/benchmark.json]

Measures (random CIFAR-shaped data; accuracy is not measured here): matmul GFLOP/s (fp32, bf16); a training epoch
with DSA on 100 and on 10 images (fp32, bf16 autocast); the test pass over 10,000 images (a plain fp32 loop at
batch 256 with autograd on and torch's avg_pool2d, vs inference_mode at batch 500, fp32 and bf16); one DM iteration (10 classes x 256 real,
IPC 10) written as the reference does it (per class, real branch with a graph that is then detached, fp32) vs ours
(real branch under no_grad, one batch, fp32 and bf16); `compress` of 500 images (GAQ 2-bit 5x5, G=256, EC).
Run it with the MALLOC_* settings of the README. Achieved GFLOP/s use ConvNet-3's FLOPs counted from its layers.

    .venv/bin/python scripts/benchmark.py --sizes [--json results/benchmark.json]

measures only the codec at the sizes of issue 17, through the `pdcq` command as a user runs it, and merges the numbers into
the JSON under `sizes`: 100 images at 128x128 (`--dataset imagenette`) compressed with GAQ 2-bit 5x5, G auto, at the IPC 1
budget and decompressed; the joint search (`--bits auto --patch auto --groups auto`, transform domain included) on them; 2,000
images at 64x64 (`--dataset tinyimagenet`) compressed the same way; and, with ../shared/data, the CIFAR rate of the wavefront
scan against the row-by-row one on MTT IPC 10. The images are synthetic (smooth random fields plus noise, seed 0): a speed
test, not a rate test; the rate check is the MTT one.

    .venv/bin/python scripts/benchmark.py --ensemble-cli [--json results/benchmark.json]

times issue 18's command, `pdcq eval` of the DM IPC 1 set with `--protocol quick --runs 5`, `--one-by-one` against
`--together` (fp32, the test passes included), and records both runs' accuracies.
"""
import argparse, json, platform, time
import torch
import torch.nn.functional as F
from torch import nn
from pdcq_nb.models import ConvNet, AvgPool2
from pdcq_nb.augment import dsa, siamese_dsa
from pdcq_nb.condense import DMConfig, dm_step

def timeit(fn, reps=5, warm=1):
    for _ in range(warm): fn()
    t = time.perf_counter()
    for _ in range(reps): fn()
    return (time.perf_counter() - t) / reps

def plain_convnet():
    "ConvNet-3 with torch's own nn.AvgPool2d, as the reference code builds it (ours pools with strided views when no gradient is needed)."
    net = ConvNet()
    for i, m in enumerate(net.features):
        if isinstance(m, AvgPool2): net.features[i] = nn.AvgPool2d(2)
    return net

def convnet_gflop(size=32, channels=3, width=128, depth=3, classes=10):
    "Forward GFLOP per image (2 x multiply-adds of the convolutions and the classifier)."
    macs, c, s = 0, channels, size
    for _ in range(depth): macs += s * s * width * c * 9; c = width; s //= 2
    return 2 * (macs + c * s * s * classes) / 1e9

def matmul_peak(dtype, n=2048):
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    return 2 * n ** 3 / timeit(lambda: a @ b, reps=10) / 1e9

def train_epoch(n, bf16):
    torch.manual_seed(0); net = ConvNet(); x, y = torch.randn(n, 3, 32, 32), torch.randint(0, 10, (n,))
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4); g = torch.Generator().manual_seed(0)
    def epoch():
        for i in range(0, n, 256):
            xb = dsa(x[i:i + 256], generator=g)
            with torch.autocast('cpu', torch.bfloat16, enabled=bf16): loss = F.cross_entropy(net(xb), y[i:i + 256])
            opt.zero_grad(); loss.backward(); opt.step()
    return timeit(epoch, reps=20 if n <= 10 else 10, warm=3)

def test_pass(mode):
    torch.manual_seed(0); net = ConvNet().eval(); x = torch.randn(10000, 3, 32, 32)
    torch.manual_seed(0); ref = plain_convnet().eval()
    def plain():
        for i in range(0, len(x), 256): ref(x[i:i + 256]).argmax(1)
    def ours(bf16):
        with torch.inference_mode(), torch.autocast('cpu', torch.bfloat16, enabled=bf16):
            for i in range(0, len(x), 500): net(x[i:i + 500]).argmax(1)
    return timeit({'plain': plain, 'fp32': lambda: ours(False), 'bf16': lambda: ours(True)}[mode], reps=2)

def dm_iteration(mode):
    K, ipc, nr = 10, 10, 256
    real = torch.randn(K * nr, 3, 32, 32); syn = torch.randn(K * ipc, 3, 32, 32, requires_grad=True)
    opt = torch.optim.SGD([syn], lr=1.0, momentum=0.5); seeds = iter(range(10 ** 6))
    def reference():
        net = plain_convnet()
        for p in net.parameters(): p.requires_grad_(False)
        loss = 0
        for c in range(K):
            s = next(seeds)
            r, sy = siamese_dsa(real[c * nr:(c + 1) * nr], syn[c * ipc:(c + 1) * ipc], s)
            fr = net.embed(r).detach(); fs = net.embed(sy)
            loss = loss + ((fr.mean(0) - fs.mean(0)) ** 2).sum()
        opt.zero_grad(); loss.backward(); opt.step()
    def ours(bf16):
        net = ConvNet()
        for p in net.parameters(): p.requires_grad_(False)
        loss = dm_step(net, real, torch.arange(K).repeat_interleave(nr), syn, K, next(seeds), DMConfig(bf16=bf16))
        opt.zero_grad(); loss.backward(); opt.step()
    return timeit({'reference': reference, 'fp32': lambda: ours(False), 'bf16': lambda: ours(True)}[mode], reps=3)

def compress_500():
    from pdcq_nb.data import ImageSet, dataset_space, CIFAR10_CLASSES
    from pdcq_nb.codec import Settings, compress
    s = ImageSet(torch.randn(500, 3, 32, 32), torch.arange(10).repeat_interleave(50), CIFAR10_CLASSES, dataset_space('cifar10'), 'random', 'cifar10')
    return timeit(lambda: compress(s, Settings(method='gaq', bits=2, patch=5, groups=256)), reps=3)

def _smooth_set(path, n, size, classes):
    "Synthetic test images: smooth random fields (bilinear from 1/8 resolution) plus noise, in [0, 1], normalized as ImageNet."
    import numpy as np
    from pdcq_nb.data import normalize, dataset_space
    g = torch.Generator().manual_seed(0)
    x = F.interpolate(torch.rand(n, 3, size // 8, size // 8, generator=g), size=size, mode='bilinear', align_corners=False)
    x = (x + 0.05 * torch.randn(n, 3, size, size, generator=g)).clamp(0, 1)
    np.savez(path, x=normalize(x, dataset_space('imagenette')).numpy(), y=np.repeat(np.arange(classes), n // classes))


def _cli_seconds(*args):
    "Wall time of one `pdcq` command (start-up included, as a user waits for it)."
    import subprocess, sys
    from pathlib import Path
    t = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name('pdcq')), *map(str, args)], check=True, capture_output=True)
    return round(time.perf_counter() - t, 2)


def sizes(search: bool = True):
    "Issue 17's speed targets, measured through the command line (the joint search only with `search`)."
    import json as _j, tempfile
    from pathlib import Path
    d = Path(tempfile.mkdtemp()); out = {}
    gaq = ['--method', 'gaq', '--bits', 2, '--patch', 5, '--groups', 'auto', '--budget-ipc', 1]
    _smooth_set(d / 'nette.npz', 100, 128, 10); _smooth_set(d / 'tiny.npz', 2000, 64, 200)
    out['compress_100_at_128_s'] = _cli_seconds('compress', d / 'nette.npz', '--dataset', 'imagenette', *gaq, '-o', d / 'n.pdcq')
    out['decompress_100_at_128_s'] = _cli_seconds('decompress', d / 'n.pdcq', '-o', d / 'n.npz')
    if search: out['search_100_at_128_s'] = _cli_seconds('compress', d / 'nette.npz', '--dataset', 'imagenette', '--bits', 'auto', '--patch', 'auto',
                                              '--groups', 'auto', '--budget-ipc', 1, '-o', d / 's.pdcq')
    out['compress_2000_at_64_s'] = _cli_seconds('compress', d / 'tiny.npz', '--dataset', 'tinyimagenet', *gaq, '-o', d / 't.pdcq')
    out['decompress_2000_at_64_s'] = _cli_seconds('decompress', d / 't.pdcq', '-o', d / 't.npz')
    from pdcq_nb.data import shared_data_root
    root = shared_data_root()
    if root is not None and (root / 'distilled/MTT/CIFAR10/IPC10/images_best.pt').exists():
        import warnings
        from pdcq_nb.data import load_condensed
        from pdcq_nb.codec import Settings, compress
        with warnings.catch_warnings():
            warnings.simplefilter('ignore'); s = load_condensed(root / 'distilled/MTT/CIFAR10/IPC10/images_best.pt', 'cifar10')
        b = {c: compress(s, Settings(method='gaq', bits=2, patch=5, groups=1024, coder=c)).ledger['symbols'] for c in ('context', 'wavefront')}
        out['cifar_mtt10_symbols_bytes'] = b; out['cifar_rate_wavefront_vs_raster'] = round(b['wavefront'] / b['context'], 5)
    out['threads'] = torch.get_num_threads(); out['images'] = 'synthetic smooth random fields (seed 0); speed only'
    return out


def ensemble(epochs=30, runs=5):
    "Runs trained together (train_together) against one by one (train_model), on the DM IPC 1 set (10 images), quick protocol cut to `epochs`."
    import warnings
    from dataclasses import replace
    from pdcq_nb.data import load_condensed, shared_data_root
    from pdcq_nb.train import train_model, train_together, PROTOCOLS
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); s = load_condensed(shared_data_root() / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt', 'cifar10')
    out = dict(set='DM IPC 1 (10 images)', epochs=epochs, runs=runs, threads=torch.get_num_threads())
    for bf16 in (False, True):
        p = replace(PROTOCOLS['quick'], epochs=epochs, bf16=bf16); k = 'bf16' if bf16 else 'fp32'
        t = time.perf_counter(); [train_model(s, p, i, 'cpu') for i in range(runs)]; out[f'one_by_one_{k}_s'] = round(time.perf_counter() - t, 2)
        t = time.perf_counter(); train_together(s, p, range(runs), 'cpu'); out[f'together_{k}_s'] = round(time.perf_counter() - t, 2)
        out[f'speedup_{k}'] = round(out[f'one_by_one_{k}_s'] / out[f'together_{k}_s'], 2)
    return out


def ensemble_cli(runs=5, protocol='quick'):
    "Issue 18's command as a user runs it: `pdcq eval` of the DM IPC 1 set, --runs 5, --together against --one-by-one (fp32)."
    import json as _j, tempfile
    from pathlib import Path
    from pdcq_nb.data import shared_data_root
    syn, d = shared_data_root() / 'distilled/DM/CIFAR10/IPC1/res_DM_CIFAR10_ConvNet_1ipc.pt', Path(tempfile.mkdtemp())
    out = dict(set='DM IPC 1 (10 images)', protocol=protocol, runs=runs, threads=torch.get_num_threads(), precision='fp32')
    for mode in ('one-by-one', 'together'):
        k = mode.replace('-', '_')
        out[f'{k}_s'] = _cli_seconds('eval', syn, '--dataset', 'cifar10', '--protocol', protocol, '--runs', runs, f'--{mode}',
                                     '--device', 'cpu', '--json', d / f'{k}.json')
        r = _j.loads((d / f'{k}.json').read_text()); out[f'{k}_accs'] = r['accs']; out[f'{k}_mean'] = round(r['mean'], 2)
    out['speedup'] = round(out['one_by_one_s'] / out['together_s'], 2)
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--json', default=None)
    ap.add_argument('--ensemble', action='store_true', help='only runs together vs one by one, merged into the JSON under "ensemble"')
    ap.add_argument('--ensemble-cli', action='store_true', help='only `pdcq eval --runs 5 --together` against --one-by-one (quick protocol), merged under "ensemble_cli"')
    ap.add_argument('--sizes', action='store_true', help='only the codec at 64x64 and 128x128, merged into the JSON under "sizes"')
    ap.add_argument('--skip-search', action='store_true', help='with --sizes: leave out the joint search at 128x128 (about 2 min here)')
    a = ap.parse_args()
    if a.ensemble:
        import os
        r = json.load(open(a.json)) if a.json and os.path.exists(a.json) else {}
        r['ensemble'] = ensemble(); print(json.dumps(r['ensemble'], indent=1))
        if a.json: open(a.json, 'w').write(json.dumps(r, indent=1) + '\n')
        raise SystemExit
    if a.ensemble_cli:
        import os
        r = json.load(open(a.json)) if a.json and os.path.exists(a.json) else {}
        r['ensemble_cli'] = ensemble_cli(); print(json.dumps(r['ensemble_cli'], indent=1))
        if a.json: open(a.json, 'w').write(json.dumps(r, indent=1) + '\n')
        raise SystemExit
    if a.sizes:
        import os
        r = json.load(open(a.json)) if a.json and os.path.exists(a.json) else {}
        r['sizes'] = sizes(not a.skip_search); print(json.dumps(r['sizes'], indent=1))
        if a.json: open(a.json, 'w').write(json.dumps(r, indent=1) + '\n')
        raise SystemExit
    gf = convnet_gflop(); r = dict(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(), torch=torch.__version__,
                                   convnet_forward_gflop_per_image=gf)
    r['matmul_fp32_gflops'], r['matmul_bf16_gflops'] = matmul_peak(torch.float32), matmul_peak(torch.bfloat16)
    for n in (100, 10):
        for p in ('fp32', 'bf16'): r[f'train_epoch_{n}_{p}_s'] = train_epoch(n, p == 'bf16')
    for m in ('plain', 'fp32', 'bf16'): r[f'test_pass_10k_{m}_s'] = test_pass(m)
    for m in ('reference', 'fp32', 'bf16'): r[f'dm_iteration_{m}_s'] = dm_iteration(m)
    r['compress_500_gaq_s'] = compress_500()
    print(f"matmul peak: fp32 {r['matmul_fp32_gflops']:.0f} GFLOP/s, bf16 {r['matmul_bf16_gflops']:.0f} GFLOP/s ({r['threads']} threads)")
    for n in (100, 10):
        a32, a16 = r[f'train_epoch_{n}_fp32_s'], r[f'train_epoch_{n}_bf16_s']
        print(f"train epoch, DSA, {n:3d} images: fp32 {a32:.3f} s ({3 * gf * n / a32:.0f} GFLOP/s), bf16 {a16:.3f} s ({3 * gf * n / a16:.0f} GFLOP/s), x{a32 / a16:.2f}")
    p, f, b = (r[f'test_pass_10k_{m}_s'] for m in ('plain', 'fp32', 'bf16'))
    print(f"test pass, 10,000 images: plain fp32 b256 {p:.2f} s, inference_mode b500 fp32 {f:.2f} s (x{p / f:.2f}), bf16 {b:.2f} s (x{p / b:.2f}; {gf * 1e4 / b:.0f} GFLOP/s)")
    p, f, b = (r[f'dm_iteration_{m}_s'] for m in ('reference', 'fp32', 'bf16'))
    print(f"DM iteration (10 x 256 real, IPC 10): reference-style fp32 {p:.2f} s, ours fp32 {f:.2f} s (x{p / f:.2f}), ours bf16 {b:.2f} s (x{p / b:.2f})")
    print(f"compress 500 images (GAQ 2-bit 5x5, G=256, EC): {r['compress_500_gaq_s']:.2f} s")
    if a.json: open(a.json, 'w').write(json.dumps(r, indent=1))
