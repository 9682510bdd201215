"""Lesson 11's whole table at the storage budget of IPC 1 (122,880 bytes): the rows are data (scripts/rows.json: a source,
a recipe of `pdcq_nb.experiments` and its arguments), run by one runner that writes results/budget_ipc1/<row>.json and
caches every trained network by (images, protocol, seed) in runs/cache/, so an interrupted run resumes where it stopped.

    .venv/bin/python scripts/experiments.py --list
    .venv/bin/python scripts/experiments.py --rows float32-mtt1 v2search-mtt10 --runs 3 --protocol dc
    .venv/bin/python scripts/experiments.py --table                      # results/budget_ipc1.md from the row JSONs
    .venv/bin/python scripts/experiments.py --gsweep mtt10 --groups 1 64 1024 4900 --runs 3 --protocol quick

Needs ../shared/data (CIFAR-10 and the distilled sets). Run with the MALLOC_* settings of the README; on a GPU, `--device cuda`.
scripts/tinyimagenet.py is the same runner with the Tiny ImageNet table and its defaults.
"""
import argparse
from pathlib import Path
from pdcq_nb.experiments import read_table, run_row, table_markdown, groups_sweep, RunSettings

ROOT = Path(__file__).resolve().parents[1]


def parse(argv=None, doc: str = __doc__, table_file=ROOT / 'scripts/rows.json', out=ROOT / 'results/budget_ipc1',
          runs: int = 3, protocol: str = 'dc') -> argparse.Namespace:
    "The runner's arguments; the defaults are the table's (lesson 11's here, Tiny ImageNet's in scripts/tinyimagenet.py)."
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--table-file', default=str(table_file), help='the table of rows (JSON)')
    ap.add_argument('--out', default=str(out), help='the folder of the row JSONs (--table writes <out>.md)')
    ap.add_argument('--rows', nargs='*', default=[], help='rows to run, in this order (names in the table)')
    ap.add_argument('--runs', type=int, default=runs, help='networks per row, seeds 0..runs-1')
    ap.add_argument('--protocol', default=protocol, help='a protocol name (dc, quick)')
    ap.add_argument('--device', default=None, help='torch device (default: CUDA when there, else CPU)')
    ap.add_argument('--table', action='store_true', help='write <out>.md from the row JSONs')
    ap.add_argument('--list', action='store_true', help='print the rows, their recipes and whether they have a result')
    ap.add_argument('--gsweep', default=None, help="Fig. 4: a source to sweep G on (results/gsweep_<source>[_<protocol>].json)")
    ap.add_argument('--groups', type=int, nargs='*', default=[1, 64, 1024, 4900])
    return ap.parse_args(argv)


def main(a: argparse.Namespace, command: str = '.venv/bin/python scripts/experiments.py'):
    "List, run, sweep and tabulate as `a` asks; `command` is recorded with every result."
    tb = read_table(a.table_file)
    rs = RunSettings(protocol=a.protocol, runs=a.runs, out=Path(a.out), cache=ROOT / 'runs/cache', device=a.device, command=command)
    if a.list:
        for n, r in tb.rows.items():
            print(f"{n:32} {r.recipe:8} {'result' if (rs.out / f'{n}.json').exists() else '-':6} {r.label}")
    for n in a.rows:
        r = run_row(tb, n, rs)
        print(f"{n}: {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs, {a.protocol}; trained seeds {r['trained_seeds']}, "
              f"cached {r['cached_seeds']}), {r['storage']['bytes']:,} B, {r['train_images']} images, {r['seconds']} s", flush=True)
    if a.gsweep: print('wrote', groups_sweep(tb, a.gsweep, tuple(a.groups), rs))
    if a.table:
        md = rs.out.with_suffix('.md'); md.write_text(table_markdown(tb, rs.out)); print(md.read_text())


if __name__ == '__main__':
    main(parse())
