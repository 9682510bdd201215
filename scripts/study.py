"""What the study scripts (refine_study.py, tilt_study.py) share: their command line, the loop that runs a table's rows through
the experiments' runner (cached, resumable), and the Markdown table of the rows that have a result."""
import argparse, json
from dataclasses import replace
from pathlib import Path
from pdcq_nb.experiments import read_table, run_row, RunSettings
from pdcq_nb.train import get_protocol

ROOT = Path(__file__).resolve().parents[1]


def study_markdown(tb, out, columns) -> str:
    "Rows of `tb` with a result under `out`: the label, then `columns` [(header, 'l' or 'r', storage -> text)], then accuracy, runs, protocol."
    lines = ['| row | ' + ' | '.join(h for h, _, _ in columns) + ' | accuracy % | runs | protocol |',
             '|---|' + ''.join('---:|' if al == 'r' else '---|' for _, al, _ in columns) + '---|---:|---|']
    for n in tb.rows:
        p = Path(out) / f'{n}.json'
        if not p.exists(): continue
        r = json.loads(p.read_text()); s, pr = r['storage'], r['protocol']
        lines.append(f"| {r['label']} | " + ' | '.join(f(s) for _, _, f in columns) + f" | {r['mean']:.1f} ± {r['std']:.1f} | {r['runs']} "
                     f"| {pr['name']} ({pr['epochs']} epochs{', bf16' if pr['bf16'] else ''}, {r.get('device', '?')}) |")
    return '\n'.join(lines) + '\n'


def study_main(doc: str, name: str, columns):
    "The command line of scripts/<name>.py: run the rows of scripts/<name>.json, write results/<name>/<row>.json and results/<name>.md."
    table, out, md = ROOT / f'scripts/{name}.json', ROOT / f'results/{name}', ROOT / f'results/{name}.md'
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--rows', nargs='*', default=None, help=f'rows of scripts/{name}.json (default: all, in order)')
    ap.add_argument('--runs', type=int, default=2, help='networks per row, seeds 0..runs-1')
    ap.add_argument('--protocol', default='quick', help='a protocol name (dc, quick)')
    ap.add_argument('--bf16', action='store_true', help='bfloat16 autocast (labelled in every result)')
    ap.add_argument('--device', default=None, help='torch device (default: CUDA when there, else CPU)')
    ap.add_argument('--table-only', action='store_true', help=f'only write results/{name}.md from the JSONs')
    a = ap.parse_args()
    tb = read_table(table)
    if not a.table_only:
        rs = RunSettings(protocol=replace(get_protocol(a.protocol), bf16=a.bf16), runs=a.runs, out=out, cache=ROOT / 'runs/cache',
                         device=a.device, command=f"python scripts/{name}.py --protocol {a.protocol}{' --bf16' if a.bf16 else ''}")
        for n in a.rows or list(tb.rows):
            r = run_row(tb, n, rs); s = r['storage']
            print(f"{n:14} {r['mean']:.2f} ± {r['std']:.2f} ({r['runs']} runs)  {s['bytes']:,} B  mse {s['mse']:.4f}", flush=True)
            md.write_text(study_markdown(tb, out, columns))
    md.write_text(study_markdown(tb, out, columns))
    print(md.read_text())
