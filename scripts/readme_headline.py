"""The README's headline table ("Where it stands"), written into nbs/index.ipynb from results/ JSON (every number from a file),
then README.md from it.

    .venv/bin/python scripts/readme_headline.py
"""
import json, subprocess, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]; R = ROOT / 'results'
ROWS = [  # (source, label, result JSON, bytes: a number, or where to read it)
    ('DM IPC 50', 'float32, all 500 images (50× the budget)', 'budget_ipc1/float32-dm50.json'),
    ('DM IPC 50', 'pixel domain: the joint search of lesson 09 (file v2)', 'budget_ipc1/v2search-dm50.json'),
    ('DM IPC 50', 'JPEG tuned, one stream per image (lesson 28)', 'budget_ipc1/jpeg-tuned-dm50.json'),
    ('DM IPC 50', 'AVIF tuned, one mosaic of the whole set (the strongest codec by the proxy)', 'transform/dm50_avif_mosaic-dc.json'),
    ('DM IPC 50', '**transform domain: the default search (file v3, lesson 08a)**', 'transform/dm50_dct_ipc1-dc.json'),
    ('MTT IPC 10', 'float32, all 100 images (10× the budget)', 'budget_ipc1/float32-mtt10.json'),
    ('MTT IPC 10', 'pixel domain: the joint search (file v2)', 'budget_ipc1/v2search-mtt10.json'),
    ('MTT IPC 10', '**transform domain: the default search (file v3)**', 'transform/mtt10_search3_ipc1-dc.json'),
    ('DM-ZCA IPC 10', '**transform domain: the default search (file v3)**', 'transform/dmzca10_search3_ipc1-dc.json'),
]


def _bytes(r, rel):
    if 'storage' in r: return r['storage']['bytes']
    if rel.startswith('transform/dm50_avif'): return json.loads((R / 'codecs_dm50.json').read_text())['codecs']['avif']['bytes']
    return (ROOT / r['file']).stat().st_size


def table() -> str:
    out = ['| set | storage | images | bytes | accuracy % | precision |', '|---|---|---:|---:|---|---|']
    for src, label, rel in ROWS:
        p = R / rel
        if not p.exists(): out.append(f'| {src} | {label} | | | not run | |'); continue
        r = json.loads(p.read_text())
        out.append(f"| {src} | {label} | {r['train_images']} | {_bytes(r, rel):,} | {r['mean']:.1f} ± {r['std']:.1f} | {'bf16' if r.get('bf16') else 'fp32'} |")
    return '\n'.join(out)


if __name__ == '__main__':
    nbp = ROOT / 'nbs/index.ipynb'; nb = json.loads(nbp.read_text())
    cell = next(c for c in nb['cells'] if ''.join(c['source']).startswith('## Where it stands'))
    s = ''.join(cell['source']); head = s.split('\n\n')[0] + '\n\n' + s.split('\n\n')[1] + '\n\n'
    t, k = (json.loads((R / f).read_text()) for f in ('transform_dm50.json', 'codecs_dm50.json'))
    tail = (f"\n\nPixel MSE of the DM IPC 50 files (normalized space): transform domain {t['dct']['mse']:.4f}, "
            f"{t['dct']['mse'] / t['jpeg']['mse']:.2f}× the tuned per-image JPEG's {t['jpeg']['mse']:.4f} and "
            f"{t['dct']['mse'] / k['codecs']['avif']['mse']:.2f}× the mosaic AVIF's {k['codecs']['avif']['mse']:.4f} "
            "(`results/transform_dm50.json`, `results/codecs_dm50.json`). A row marked bf16 trained under bfloat16 autocast.")
    cell['source'] = (head + table() + tail).splitlines(True)
    nbp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    subprocess.run([sys.executable, str(ROOT / 'scripts/build_docs.py'), '--readme'], check=True, cwd=ROOT)
