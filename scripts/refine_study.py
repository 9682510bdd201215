"""Why the refinement of eq. 8-10 lost accuracy on the DM sets (issue 16, section 2): one file setting and a fixed number of
images per class, with the refinement varied (none, the paper's, a smaller learning rate, fewer iterations, a trained or one
fixed feature network, and for GAQ refining for the group ranges it stores). Rows: scripts/refine_study.json (recipe
`refined`); every network is cached by the experiments' runner, so a stopped run resumes. Results: results/refine_study/<row>.json
and the table results/refine_study.md (lesson 06 shows it).

    .venv/bin/python scripts/refine_study.py --protocol quick --bf16 --runs 2      # this CPU (labelled quick, bf16)
    .venv/bin/python scripts/refine_study.py --table-only
"""
import argparse, json
from dataclasses import replace
from pathlib import Path
from pdcq_nb.experiments import read_table, run_row, RunSettings
from pdcq_nb.train import get_protocol

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / 'scripts/refine_study.json'
OUT = ROOT / 'results/refine_study'


def study_table(tb, out) -> str:
    "The study's rows that have a result, as Markdown: bytes against the budget, pixel MSE, feature gap, accuracy."
    lines = ['| row | bytes (vs budget) | pixel MSE | moved by refinement (MSE) | feature gap (8 held-out random nets) | accuracy % | runs | protocol |',
             '|---|---:|---:|---:|---:|---|---:|---|']
    for n in tb.rows:
        p = Path(out) / f'{n}.json'
        if not p.exists(): continue
        r = json.loads(p.read_text()); s, pr = r['storage'], r['protocol']
        lines.append(f"| {r['label']} | {s['bytes']:,} ({s['over_budget']:+,}) | {s['mse']:.4f} | {s['moved']:.4f} | {s['feature_gap']:.2e} "
                     f"| {r['mean']:.1f} ± {r['std']:.1f} | {r['runs']} | {pr['name']} ({pr['epochs']} epochs{', bf16' if pr['bf16'] else ''}, {r.get('device', '?')}) |")
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rows', nargs='*', default=None, help='rows of scripts/refine_study.json (default: all, in order)')
    ap.add_argument('--runs', type=int, default=2, help='networks per row, seeds 0..runs-1')
    ap.add_argument('--protocol', default='quick', help='a protocol name (dc, quick)')
    ap.add_argument('--bf16', action='store_true', help='bfloat16 autocast (labelled in every result)')
    ap.add_argument('--device', default=None, help='torch device (default: CUDA when there, else CPU)')
    ap.add_argument('--table-only', action='store_true', help='only write results/refine_study.md from the JSONs')
    a = ap.parse_args()
    tb = read_table(TABLE)
    if not a.table_only:
        rs = RunSettings(protocol=replace(get_protocol(a.protocol), bf16=a.bf16), runs=a.runs, out=OUT, cache=ROOT / 'runs/cache',
                         device=a.device, command=f"python scripts/refine_study.py{' --bf16' if a.bf16 else ''}")
        for n in a.rows or list(tb.rows):
            r = run_row(tb, n, rs)
            print(f"{n:14} {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs)  {r['storage']['bytes']:,} B  mse {r['storage']['mse']:.4f}  "
                  f"gap {r['storage']['feature_gap']:.2e}", flush=True)
            (ROOT / 'results/refine_study.md').write_text(study_table(tb, OUT))
    (ROOT / 'results/refine_study.md').write_text(study_table(tb, OUT))
    print((ROOT / 'results/refine_study.md').read_text())
