"""The paper's Table 7 here: networks other than the ConvNet trained on the MTT IPC 10 set as we store it at the IPC 1 budget,
as the best tuned codec stores it, and in float32 (all images). Rows come from scripts/rows.json; every (model, row, seed) is
cached by the experiments' runner, so an interrupted run resumes. Results: results/cross_arch/<model>/<row>.json and the grid
results/cross_arch.md.

    .venv/bin/python scripts/cross_arch.py --protocol quick --bf16 --runs 3          # this CPU: labelled quick, bf16
    .venv/bin/python scripts/cross_arch.py --protocol dc --runs 3 --device cuda      # on a GPU

Seeds are filled evenly: every cell gets seed 0 before any gets seed 1, so a stopped run leaves a whole table of fewer runs.
"""
import argparse
from dataclasses import replace
from pathlib import Path
from pdcq_nb.experiments import read_table, run_row, RunSettings, arch_table
from pdcq_nb.train import get_protocol

ROOT = Path(__file__).resolve().parents[1]
ROWS = ['search-mtt10', 'avif-tuned-mtt10', 'float32-mtt10']
CMD = '.venv/bin/python scripts/cross_arch.py'
MODELS = ['convnet', 'alexnet', 'vgg11', 'resnet18']

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rows', nargs='*', default=ROWS, help='rows of scripts/rows.json')
    ap.add_argument('--models', nargs='*', default=MODELS, help='networks (train.make_model names)')
    ap.add_argument('--runs', type=int, default=3, help='networks per cell, seeds 0..runs-1')
    ap.add_argument('--protocol', default='quick', help='a protocol name (dc, quick)')
    ap.add_argument('--bf16', action='store_true', help='bfloat16 autocast (labelled in every result)')
    ap.add_argument('--device', default=None, help='torch device (default: CUDA when there, else CPU)')
    ap.add_argument('--table-only', action='store_true', help='only write results/cross_arch.md from the JSONs')
    a = ap.parse_args()
    tb = read_table(ROOT / 'scripts/rows.json')
    base = replace(get_protocol(a.protocol), bf16=a.bf16)
    out = ROOT / 'results/cross_arch'
    if not a.table_only:
        for runs in range(1, a.runs + 1):
            for m in a.models:
                for n in a.rows:
                    rs = RunSettings(protocol=replace(base, model=m), runs=runs, out=out / m, cache=ROOT / 'runs/cache',
                                     device=a.device, command=f"{CMD} --models {m}{' --bf16' if a.bf16 else ''}")
                    r = run_row(tb, n, rs)
                    print(f"{m:9} {n:18} {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs; trained {r['trained_seeds']})", flush=True)
                    (ROOT / 'results/cross_arch.md').write_text(arch_table(tb, a.rows, a.models, out))
    (ROOT / 'results/cross_arch.md').write_text(arch_table(tb, a.rows, a.models, out))
    print((ROOT / 'results/cross_arch.md').read_text())
