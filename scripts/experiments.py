"""Lesson 11's whole table at the storage budget of IPC 1 (122,880 bytes): the rows are data (scripts/rows.json: a source,
a recipe of `pdcq_nb.experiments` and its arguments), run by one runner that writes results/budget_ipc1/<row>.json and
caches every trained network by (images, protocol, seed) in runs/cache/, so an interrupted run resumes where it stopped.

    .venv/bin/python scripts/experiments.py --list
    .venv/bin/python scripts/experiments.py --rows float32-mtt1 v2search-mtt10 --runs 3 --protocol dc
    .venv/bin/python scripts/experiments.py --table                      # results/budget_ipc1.md from the row JSONs
    .venv/bin/python scripts/experiments.py --gsweep mtt10 --groups 1 64 1024 4900 --runs 3 --protocol quick

Needs ../shared/data (CIFAR-10 and the distilled sets). Run with the MALLOC_* settings of the README; on a GPU, `--device cuda`.
"""
import argparse
from pathlib import Path
from pdcq_nb.experiments import read_table, run_row, table_markdown, groups_sweep, RunSettings

ROOT = Path(__file__).resolve().parents[1]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--table-file', default=str(ROOT / 'scripts/rows.json'), help='the table of rows (JSON)')
    ap.add_argument('--rows', nargs='*', default=[], help='rows to run (names in the table)')
    ap.add_argument('--runs', type=int, default=3, help='networks per row, seeds 0..runs-1')
    ap.add_argument('--protocol', default='dc', help='a protocol name (dc, quick)')
    ap.add_argument('--device', default=None, help='torch device (default: CUDA when there, else CPU)')
    ap.add_argument('--table', action='store_true', help='write results/budget_ipc1.md from the row JSONs')
    ap.add_argument('--list', action='store_true', help='print the rows, their recipes and whether they have a result')
    ap.add_argument('--gsweep', default=None, help="Fig. 4: a source to sweep G on (results/gsweep_<source>[_<protocol>].json)")
    ap.add_argument('--groups', type=int, nargs='*', default=[1, 64, 1024, 4900])
    a = ap.parse_args()
    tb = read_table(a.table_file)
    rs = RunSettings(protocol=a.protocol, runs=a.runs, out=ROOT / 'results/budget_ipc1', cache=ROOT / 'runs/cache', device=a.device)
    if a.list:
        for n, r in tb.rows.items():
            print(f"{n:32} {r.recipe:8} {'result' if (rs.out / f'{n}.json').exists() else '-':6} {r.label}")
    for n in a.rows:
        r = run_row(tb, n, rs)
        print(f"{n}: {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs, {a.protocol}; trained seeds {r['trained_seeds']}, "
              f"cached {r['cached_seeds']}), {r['storage']['bytes']:,} B", flush=True)
    if a.gsweep: print('wrote', groups_sweep(tb, a.gsweep, tuple(a.groups), rs))
    if a.table:
        (ROOT / 'results/budget_ipc1.md').write_text(table_markdown(tb, rs.out)); print((ROOT / 'results/budget_ipc1.md').read_text())
