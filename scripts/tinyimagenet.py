"""Tiny ImageNet rows at the storage budget of IPC 1 at 64x64 (9,830,400 bytes): the rows are data (scripts/tinyimagenet_rows.json:
D4M's released sets as sources, recipes of `pdcq_nb.experiments`), run by the same runner as lesson 11's table, which writes
results/tinyimagenet_ipc1/<row>.json as each row finishes and caches every trained network in runs/cache/ (a stopped run resumes).
Tested on the official validation split (val/ alone). On one CPU thread, one row after another:

    OMP_NUM_THREADS=1 .venv/bin/python scripts/tinyimagenet.py --rows float32-d4m1 search-d4m10 --runs 1 --protocol quick
    .venv/bin/python scripts/tinyimagenet.py --list

Needs ../shared/data (tiny-imagenet-200/ and distilled/D4M/TinyImageNet/). Run with the MALLOC_* settings of the README.
"""
import argparse, os
from pathlib import Path
import torch
from pdcq_nb.experiments import read_table, run_row, table_markdown, RunSettings

ROOT = Path(__file__).resolve().parents[1]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--table-file', default=str(ROOT / 'scripts/tinyimagenet_rows.json'), help='the table of rows (JSON)')
    ap.add_argument('--rows', nargs='*', default=[], help='rows to run, in this order (names in the table)')
    ap.add_argument('--runs', type=int, default=1, help='networks per row, seeds 0..runs-1')
    ap.add_argument('--protocol', default='quick', help='a protocol name (dc, quick)')
    ap.add_argument('--device', default='cpu', help='torch device')
    ap.add_argument('--list', action='store_true', help='print the rows, their recipes and whether they have a result')
    ap.add_argument('--table', action='store_true', help='print the finished rows as a Markdown table')
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
    tb = read_table(a.table_file)
    rs = RunSettings(protocol=a.protocol, runs=a.runs, out=ROOT / 'results/tinyimagenet_ipc1', cache=ROOT / 'runs/cache', device=a.device,
                     command='OMP_NUM_THREADS=1 .venv/bin/python scripts/tinyimagenet.py')
    if a.list:
        for n, r in tb.rows.items():
            print(f"{n:16} {r.recipe:8} {'result' if (rs.out / f'{n}.json').exists() else '-':6} {r.label}")
    for n in a.rows:
        r = run_row(tb, n, rs)
        print(f"{n}: {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs, {a.protocol}; trained seeds {r['trained_seeds']}, "
              f"cached {r['cached_seeds']}), {r['storage']['bytes']:,} B, {r['train_images']} images, {r['seconds']} s", flush=True)
    if a.table: print(table_markdown(tb, rs.out))
