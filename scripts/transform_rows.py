"""Issue 16's acceptance rows as data, run by one runner: each row compresses a source with the default search (which now
weighs the transform domain) at the IPC 1 budget and evaluates the file; a row whose result JSON exists is skipped.

    .venv/bin/python scripts/transform_rows.py [--rows NAME ...] [--protocol dc] [--runs 3]

Files go to data/<row>.pdcq (small, committed), results to results/transform/<row>-<protocol>.json (bf16, the default) or
<row>-<protocol>-fp32.json (--fp32: the same file trained in float32, for a like-for-like comparison)."""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
PDCQ = str(Path(sys.executable).with_name('pdcq'))
SHARED = Path(os.environ.get('PDCQ_DATA', ROOT.parent / 'shared' / 'data'))
SEARCH = ['--bits', 'auto', '--patch', 'auto', '--groups', 'auto', '--budget-ipc', '1']
ROWS = {   # name: (source, compress arguments)
    'dm50_dct_ipc1': (ROOT / 'data/dm50_cifar10.npz', SEARCH),
    'mtt10_search3_ipc1': (SHARED / 'distilled/MTT/CIFAR10/IPC10/images_best.pt', SEARCH),
    'dmzca10_search3_ipc1': (ROOT / 'data/dmzca10_cifar10.npz', SEARCH),
}


def run_row(name, protocol, runs, bf16):
    src, args = ROWS[name]
    tag = '' if bf16 else '-fp32'   # bf16 is the default here; an fp32 run of the same file is kept beside it
    out, res = ROOT / 'data' / f'{name}.pdcq', ROOT / 'results' / 'transform' / f'{name}-{protocol}{tag}.json'
    if res.exists(): print(f'{name}: {res.name} exists, skipped'); return
    if not out.exists():
        t = time.time()
        subprocess.run([PDCQ, 'compress', str(src), '--dataset', 'cifar10', *args, '-o', str(out)], check=True)
        print(f'{name}: compressed in {time.time() - t:.0f} s')
    res.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([PDCQ, 'eval', str(out), '--dataset', 'cifar10', '--protocol', protocol, '--runs', str(runs),
                    *(['--bf16'] if bf16 else []), '--json', str(res)], check=True)
    r = json.loads(res.read_text()); r.update(row=name, source=str(src.relative_to(src.parents[3])) if 'shared' in str(src) else str(src.relative_to(ROOT)),
                                            compress_args=args, file=str(out.relative_to(ROOT)), bf16=bf16)
    res.write_text(json.dumps(r, indent=1) + '\n')


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rows', nargs='*', default=list(ROWS)); ap.add_argument('--protocol', default='dc')
    ap.add_argument('--runs', type=int, default=3); ap.add_argument('--fp32', action='store_true')
    a = ap.parse_args()
    for n in a.rows: run_row(n, a.protocol, a.runs, not a.fp32)
