"""The curves of results/ (issue 27): accuracy against bytes for MTT IPC 10, DM IPC 20 and DM IPC 50, every storage of
`pdcq_nb.curve`. On this CPU: protocol `quick` (300 epochs, labelled), fp32, 2 runs. Every source's first network per point
before any second one, so a run cut short has every point once; points and networks are cached (runs/), so the same command
resumes.

    nohup .venv/bin/python scripts/curves.py &> runs/curves.log &          # CPU: quick, seeds 0-1
    .venv/bin/python scripts/curves.py --protocol dc --runs 3 --device cuda   # a GPU: the reference protocol, seeds 0-2
    .venv/bin/python scripts/curves.py --plot-only                            # redraw the figures from the JSONs
"""
import argparse, json
from dataclasses import replace
from pathlib import Path
from pdcq_nb.codec import load_set
from pdcq_nb.data import shared_data_root
from pdcq_nb.train import PROTOCOLS
from pdcq_nb.curve import CurveSettings, run_curve, plot_curve, runs_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {   # name: (path, budgets in IPC) — the budgets issue 27 asks for
    'mtt10': ('shared:distilled/MTT/CIFAR10/IPC10/images_best.pt', (0.1, 0.2, 0.5, 1, 2, 10)),
    'dm20': ('data/dm20_cifar10.npz', (0.1, 0.2, 0.5, 1, 2, 10)),
    'dm50': ('data/dm50_cifar10.npz', (0.1, 0.2, 0.5)),
}


def source_path(p: str) -> Path:
    if p.startswith('shared:'):
        root = shared_data_root()
        if root is None: raise SystemExit(f'{p} needs the shared data folder (../shared/data or $PDCQ_DATA)')
        return root / p[len('shared:'):]
    return ROOT / p


HEADLINE = 'curve_mtt10_quick.json'   # its figure is the README's headline (images/)
TITLES = {'mtt10': 'MTT IPC 10', 'dm20': 'DM IPC 20 (ours)', 'dm50': 'DM IPC 50 (ours)'}


def plot(j: Path):
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    res = json.loads(j.read_text()); src = j.stem.split('_')[1]; p = res['protocol']
    title = f"CIFAR-10, {TITLES.get(src, src)}: protocol {p['name']} ({p['epochs']} epochs), {runs_text(res)}, fp32"
    fig, ax = plt.subplots(figsize=(9.5, 4.2)); plot_curve(res, ax, title); fig.tight_layout(); fig.savefig(j.with_suffix('.png'), dpi=110); plt.close(fig)
    if j.name == HEADLINE: import shutil; shutil.copyfile(j.with_suffix('.png'), ROOT / 'images' / j.with_suffix('.png').name)   # README's figure


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sources', nargs='+', default=list(SOURCES), choices=list(SOURCES))
    ap.add_argument('--runs', type=int, default=2, help='seeds 0..runs-1; every source gets seed 0 before any gets seed 1')
    ap.add_argument('--protocol', default='quick', choices=list(PROTOCOLS))
    ap.add_argument('--epochs', type=int, default=None, help='fewer epochs: a smoke test, named <protocol>-<N>ep')
    ap.add_argument('--budgets', default=None, help="comma-separated IPC budgets instead of each source's")
    ap.add_argument('--storages', default=None, help='comma-separated storages instead of all')
    ap.add_argument('--device', default=None)
    ap.add_argument('--out', default=str(ROOT / 'results'), help='where curve_<source>_<protocol>.json (and .png) go')
    ap.add_argument('--runs-dir', default=str(ROOT / 'runs'), help='the caches: <runs-dir>/cache and <runs-dir>/curve_points')
    ap.add_argument('--max-train-images', type=int, default=None, help='build and measure larger points, train none over this many images')
    ap.add_argument('--plot-only', action='store_true')
    a = ap.parse_args(argv)
    p = PROTOCOLS[a.protocol] if a.epochs is None else replace(PROTOCOLS[a.protocol], name=f'{a.protocol}-{a.epochs}ep', epochs=a.epochs)
    extra = (f' --protocol {a.protocol}' if a.protocol != 'quick' else '') + (f' --epochs {a.epochs}' if a.epochs else '') \
        + (f' --budgets {a.budgets}' if a.budgets else '') + (f' --storages {a.storages}' if a.storages else '') \
        + (f' --max-train-images {a.max_train_images}' if a.max_train_images else '')
    for runs in ([] if a.plot_only else range(1, a.runs + 1)):
        for name in a.sources:
            path, budgets = SOURCES[name]
            s = load_set(source_path(path), 'cifar10')
            cs = CurveSettings(budgets=tuple(float(b) for b in a.budgets.split(',')) if a.budgets else budgets, protocol=p, runs=runs,
                               cache=Path(a.runs_dir) / 'cache', points=Path(a.runs_dir) / 'curve_points', device=a.device,
                               max_train_images=a.max_train_images, **({'storages': tuple(a.storages.split(','))} if a.storages else {}))
            j = Path(a.out) / f'curve_{name}_{p.name}.json'
            run_curve(s, cs, j, command=f'.venv/bin/python scripts/curves.py --sources {name} --runs {runs}{extra}')
            plot(j); print(f'{name}: {runs} run(s) per point done -> {j}', flush=True)
    for j in sorted(Path(a.out).glob('curve_*.json')): plot(j)


if __name__ == '__main__':
    main()
