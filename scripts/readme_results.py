"""Rewrite the results log's whole-table section (the table and the bullets under it) from results/: every number comes from a JSON file.
The whole table used to sit in the README; it is in toolbox 34_results_log now (the README keeps one headline table; lesson 11 tells the story), so this rewrites that cell.

    .venv/bin/python scripts/experiments.py --table && .venv/bin/python scripts/readme_results.py
"""
import json, subprocess, sys
from pathlib import Path
R = Path('results'); rows = {p.stem: json.loads(p.read_text()) for p in (R / 'budget_ipc1').glob('*.json')}
def f(n): r = rows[n]; return f"{r['mean']:.1f} ± {r['std']:.1f}"
HEADER = '| row | images/class | bytes | accuracy % (mean ± std) | runs | protocol | command |'
NB = Path('nbs/34_results_log.ipynb'); nb = json.loads(NB.read_text())   # the whole table lives in the results log (toolbox 34)
cell = next(c for c in nb['cells'] if c['cell_type'] == 'markdown' and HEADER in ''.join(c['source']))
s = ''.join(cell['source'])

SRC = {'mtt10': 'MTT IPC 10', 'dm20': 'DM IPC 20 (ours)', 'dm50': 'DM IPC 50 (ours)'}
KINDS = [('float32 at the budget', {'mtt10': 'float32-mtt1', 'dm20': 'float32-dm20-first1', 'dm50': 'float32-dm50-first1'}),
         ('float32, all images (reference)', {'mtt10': 'float32-mtt10', 'dm20': 'float32-dm20', 'dm50': 'float32-dm50'}),
         ("paper's recipe: GAQ 2-bit 5×5 + order-0 EC, max n then G", 'paper-{}'),
         ('v2 file, same settings and rule', 'v2rule-{}'), ('v2 file, joint search', 'v2search-{}'),
         ('v2 file, joint search + refine 500', 'v2search-refine-{}'),
         ('JPEG, tuned', 'jpeg-tuned-{}'), ('WebP, tuned', 'webp-tuned-{}'), ('AVIF, tuned', 'avif-tuned-{}'), ('JPEG XL, tuned', 'jxl-tuned-{}')]

def _name(kind, src): return kind[src] if isinstance(kind, dict) else kind.format(src)

def _cell(n):
    if n not in rows: return 'not run'
    r = rows[n]; st = r['storage']
    extra = ''
    if 'bits' in st: extra = f", {st['bits']} b, {'image' if st['patch'] is None else str(st['patch']) + '×' + str(st['patch'])}" + ('' if st.get('groups') in (None,) else f", G {st['groups']}")
    if 'quality' in st: extra = f", q {st['quality']}" + (f" {st['subsampling']}" if n.startswith(('jpeg', 'avif')) else '')
    return f"**{r['mean']:.1f} ± {r['std']:.1f}** ({st['n_per_class']}/class, {st['bytes']:,} B{extra})"

def v2_section():
    "The issue-9 table: every source against every way of storing it in the IPC 1 budget, and what it shows."
    if not any(f'v2search-{k}' in rows for k in SRC): return ''
    lines = ['### File version 2 and tuned image codecs at the same bytes', '',
             'Protocol `dc` (ConvNet-3, 1000 epochs, 3 runs, seeds 0–2). The training sets were built on this CPU and trained on a lent '
             'NVIDIA H200 (by the two-step device path of that session, since replaced by the one runner of `pdcq_nb.experiments`; the JSON files record the device and a '
             'SHA-256 of the images, checked against the prepared ones); `float32-mtt1` and `float32-mtt10` are the CPU rows of the table above. '
             'The DM sets were condensed here on a lent H100 with the reference settings but from half the training set (2,500 images per '
             'class, the device transfer limit) and for 6,000 (IPC 20) / 6,500 (IPC 50) iterations instead of 20,000 — scaled down, and '
             'committed in `data/`. Each cell: accuracy % (images per class, bytes, setting); budget 122,880 B except the reference rows.', '',
             '| storage | ' + ' | '.join(SRC.values()) + ' |', '|---|' + '---|' * len(SRC)]
    for label, kind in KINDS:
        lines.append(f'| {label} | ' + ' | '.join(_cell(_name(kind, k)) for k in SRC) + ' |')
    out = '\n'.join(lines) + '\n\nWhat it shows, plainly:\n\n'
    bul = []
    m = lambda n: rows[n]['mean'] if n in rows else float('nan')
    sd = lambda n: rows[n]['std'] if n in rows else float('nan')
    for k, name in SRC.items():
        ours = max((n for n in (f'v2rule-{k}', f'v2search-{k}', f'v2search-refine-{k}') if n in rows), key=m, default=None)
        codec = max((n for n in (f'{c}-tuned-{k}' for c in ('jpeg', 'webp', 'avif', 'jxl')) if n in rows), key=m, default=None)
        ref = _name(KINDS[1][1], k); paper = f'paper-{k}'
        if not ours or not codec: continue
        d = m(ours) - m(codec); tie = abs(d) <= sd(ours) + sd(codec)
        verdict = ('ties with' if tie else ('beats' if d > 0 else 'loses to'))
        bul.append(f"- {name}: our best row ({rows[ours]['label'].split('-> ')[-1]}) {m(ours):.1f} ± {sd(ours):.1f} {verdict} the best tuned codec "
                   f"({codec.split('-')[0].upper()} {m(codec):.1f} ± {sd(codec):.1f}; difference {d:+.2f}, summed std {sd(ours) + sd(codec):.2f}); "
                   f"{m(ours) - m(ref):+.1f} points from all images in float32 ({m(ref):.1f}); the paper's recipe scores {m(paper):.1f} "
                   f"({rows[paper]['storage']['n_per_class']}/class).")
    if bul:
        per = lambda n: rows[n]['storage']['bytes'] / (rows[n]['storage']['n_per_class'] * 10)
        jp = sorted((rows[n]['storage']['quality'], per(n)) for n in rows if n.startswith('jpeg-tuned-'))
        bul.append('- Against issue 9\'s targets: MTT IPC 10 asks ours ≥ 63.0 and ≥ the best codec; DM IPC 20 asks ours within 3 points of '
                   'float32 and ≥ the best codec + 2 — the first holds (a tie, within noise), the DM IPC 20 one holds for float32 but not '
                   'against the codecs, which also keep every image. JPEG with its tables stored once (its abbreviated format) costs '
                   + ', '.join(f'{b:.0f} B per 32×32 image at quality {q}' for q, b in jp) + ' in these containers, so on the larger DM IPC 50 '
                   'set it keeps all 500 images at quality 25 and beats the 1-bit file the search chose (the search still beats the v2 file '
                   'with the paper\'s 2-bit rule there, ' + f"{m('v2search-dm50'):.1f} against {m('v2rule-dm50'):.1f})." )
        def moved(k):
            a, b = f'v2search-{k}', f'v2search-refine-{k}'; d = m(b) - m(a)
            return f"{SRC[k]} {m(a):.1f} → {m(b):.1f} ({'within' if abs(d) <= sd(a) + sd(b) else 'beyond'} the summed std)"
        bul.append('- Refinement (500 iterations before quantization, random ConvNet-3 features, run on the GPU) on the search\'s choice: '
                   + '; '.join(moved(k) for k in SRC) + '. It does not pay on the DM sets, as it did not in the paper-era rows above.')
    if 'v2rule-soft-mtt10' in rows and 'v2rule-softfile-hard-mtt10' in rows:
        a, b = rows['v2rule-soft-mtt10'], rows['v2rule-softfile-hard-mtt10']; d = a['mean'] - b['mean']
        bul.append(f"- Soft labels (issue 10): MTT IPC 10 with float16 logits of a ConvNet-3 teacher stored in the file "
                   f"({a['storage']['ledger'].get('soft_labels', 0):,} B of {a['storage']['bytes']:,} B; {a['storage']['soft_labels'].split('; ')[1]}), "
                   f"trained on them: {a['mean']:.1f} ± {a['std']:.1f}; the same file trained on the hard labels: {b['mean']:.1f} ± {b['std']:.1f} "
                   f"({d:+.1f}, {'within' if abs(d) <= a['std'] + b['std'] else 'beyond'} the summed std; protocol `{a['protocol']['name']}`, "
                   f"{a['runs']} runs, {a['device']}). The paper leaves soft labels out of its byte counts; here they are in the budget.")
    if (R / 'soft_precision.json').exists():
        sp = json.loads((R / 'soft_precision.json').read_text()); (n32, r32), (n16, r16) = sp['rows'].items(); d = r16['mean'] - r32['mean']
        bul.append(f"- Soft-label precision (`scripts/soft_precision.py`, results/soft_precision.json): the same decoded images trained with the "
                   f"teacher's float32 logits {r32['mean']:.1f} ± {r32['std']:.1f} and with the float16 logits the file stores "
                   f"{r16['mean']:.1f} ± {r16['std']:.1f} ({d:+.2f}; rounding at most {sp['max_abs_rounding']:.4f} per logit; protocol "
                   f"`{r32['protocol']['name']}`, {r32['runs']} runs, {r32['device']}): float16 costs "
                   + ("nothing measurable" if abs(d) <= r32['std'] + r16['std'] else f"{-d:.1f} points") + f" and saves {sp['soft_bytes']:,} B against float32.")
    if (R / 'zca_ipc1.json').exists():
        z = json.loads((R / 'zca_ipc1.json').read_text()); rec = z['recipe']
        parts = [f"{k.split(',')[0].split(' (')[0]}: whitened test {r['mean']:.1f} ± {r['std']:.1f}, unwhitened test "
                 f"{r['also']['unwhitened test set']['mean']:.1f} ± {r['also']['unwhitened test set']['std']:.1f}" for k, r in z['rows'].items()]
        r0 = next(iter(z['rows'].values()))
        bul.append(f"- ZCA (`scripts/zca_experiment.py`, results/zca_ipc1.json): DM condensed here in ZCA space — {rec['space']}, tested in that space — ({rec['ipc']}/class, "
                   f"{rec['iterations']} iterations on this CPU — scaled down from 20,000), stored at the IPC 1 budget ({z['file_bytes']:,} B, "
                   f"{z['n_per_class']}/class, G {z['groups']}) and trained with protocol `{r0['protocol']['name']}`, {r0['runs']} runs; the same "
                   f"networks tested in the set's space and out of it — " + '; '.join(parts) + '. Tested on the unwhitened test set, a '
                   'ZCA set looks far worse than it is: `pdcq eval` whitens the test set for it.')
        cz = R / 'crosscheck_reference_zca-v2rule-dmzca10.json'
        if cz.exists():
            c = json.loads(cz.read_text()); r0 = next(r for k, r in z['rows'].items() if k.startswith('pdcq'))
            bul[-1] += (f" Cross-check: the file's decoded images through VICO-UoE/DatasetCondensation's `evaluate_synset` on the whitened "
                        f"test set ({c['epochs']} epochs, {len(c['accs'])} runs, seeds 0–{len(c['accs']) - 1}, CPU, throwaway folder): "
                        f"{c['mean']:.1f} ± {c['std']:.1f}, against ours {r0['mean']:.1f} ± {r0['std']:.1f} "
                        f"(our seeds 0–{len(c['accs']) - 1}: {sum(r0['accs'][:len(c['accs'])]) / len(c['accs']):.1f}).")
    for cp in sorted(R.glob('crosscheck_reference_*.json')):
        c = json.loads(cp.read_text()); n = c.get('row')   # the studies' cross-checks name no row of the table
        if n in rows:
            bul.append(f"- Cross-check with the reference evaluation: the training images of `{n}` through VICO-UoE/DatasetCondensation's "
                       f"`evaluate_synset` (ConvNet, {c['epochs']} epochs, seeds 0–{len(c['accs']) - 1}, on this CPU, in a throwaway folder): "
                       f"{c['mean']:.1f} ± {c['std']:.1f}, against {rows[n]['mean']:.1f} ± {rows[n]['std']:.1f} with ours on the GPU (`{cp.name}`).")
    return out + '\n'.join(bul)

a = s.index(HEADER); b = len(s)   # to the end of the experiments cell
table = (R / 'budget_ipc1.md').read_text()
bul = []
bul.append(f"- The baselines reproduce the published numbers: DM {f('float32-dm1')} (published 26.0 ± 0.8), DSA {f('float32-dsa1')} (28.8 ± 0.7), MTT IPC 1 "
           f"{f('float32-mtt1')} (46.3 ± 0.8 with MTT's learned learning rate; we use 0.01), MTT IPC 10 in float32 {f('float32-mtt10')} (reference code here: 63.2 ± 0.3).")
if 'gaq-refine-ec-dm20' in rows:
    r = rows['gaq-refine-ec-dm20']
    bul.append(f"- **The paper's effect, reproduced at CPU scale:** a DM set we condensed at IPC 20 (1000 DM iterations instead of 20,000 — "
               f"scaled down to this CPU; 256 real images per class per iteration, lr 1.0, bf16), stored with GAQ 2-bit 5×5 + refinement 500 + EC, "
               f"keeps all {r['storage']['n_per_class']} images per class in {r['storage']['bytes']:,} B (G = {r['storage']['groups']}) and scores "
               f"**{f('gaq-refine-ec-dm20')}** against {f('float32-dm1')} for DM's own IPC 1 set in the same bytes (paper: 26.0 → 54.1 with full-length DM)."
               + (f" The same 200 images in float32 (20× the bytes) score {f('float32-dm20')}." if 'float32-dm20' in rows else ''))
bul.append(f"- From the MTT IPC 10 set, 2-bit GAQ keeps all 100 images in one float32 image per class's bytes and scores {f('gaq-mtt10')}, "
           f"well above the MTT IPC 1 set stored in the same bytes ({f('float32-mtt1')}); whole-image AQ at 2 bits keeps them too but scores {f('aq-mtt10')}.")
abl = f"AQ {f('aq-mtt10')} → GAQ {f('gaq-mtt10')}" + (f" → + refine {f('gaq-refine-mtt10')}" if 'gaq-refine-mtt10' in rows else '') + f" → + EC {f('gaq-refine-ec-mtt10')}"
bul.append(f"- Ablation on MTT IPC 10 (Table 8 pattern): {abl}. With the source capped at 10 images per class, EC cannot buy more images, only more "
           f"groups" + (lambda a, b: f", and refinement moved the accuracy by {a['mean'] - b['mean']:+.1f} points, "
                        f"{'within' if abs(a['mean'] - b['mean']) <= a['std'] + b['std'] else 'beyond'} the summed run-to-run std."
                        )(rows['gaq-refine-mtt10'], rows['gaq-mtt10']) if 'gaq-refine-mtt10' in rows else 'groups.')
codecs = f"JPEG {f('jpeg-mtt10')} (quality {rows['jpeg-mtt10']['storage']['quality']}, {rows['jpeg-mtt10']['storage']['bytes']:,} B)"
if 'webp-mtt10' in rows: codecs += f" and WebP {f('webp-mtt10')} (quality {rows['webp-mtt10']['storage']['quality']}, {rows['webp-mtt10']['storage']['bytes']:,} B)"
bul.append(f"- Image codecs at their highest quality that fits (no search, one file per image): {codecs}, above the paper's file "
           f"with refinement ({f('gaq-refine-ec-mtt10')}). File version 2 and the tuned codecs are compared in the next table.")
if False:   # the DM IPC 20 set of those rows (1,000 iterations) is lost; its rows are in results/archive_dm20_1000it/
    j = rows['jpeg-dm20']
    bul.append(f"- On the DM IPC 20 set the picture turns: all 200 images do not fit as JPEG even at quality 1 (about 650 B per 32×32 file, "
               f"130,770 B in all), so JPEG at Pillow's default quality 75 keeps {j['storage']['n_per_class']} per class ({j['storage']['bytes']:,} B) and scores "
               f"{f('jpeg-dm20')}, against {f('gaq-refine-ec-dm20')} for 2-bit GAQ keeping all 20. "
               + ("2-bit GAQ wins here, by a small margin; we did not search JPEG's trade-off between quality and images per class, so a better-tuned JPEG might close it." if rows['gaq-refine-ec-dm20']['mean'] > j['mean'] + j['std'] + rows['gaq-refine-ec-dm20']['std'] else "2-bit GAQ does not clearly win here either."))
bul.append(f"- 4 images per class as uint8 ({f('uint8-mtt10')}) or downsampled 2× ({f('down2-mtt10')}) lose to everything that keeps all 10.")
g = R / 'gsweep_mtt10.json'
if g.exists():
    G = json.loads(g.read_text()); pts = ', '.join(f"G={p['groups']}: {p['bytes']:,} B, {p['mean']:.1f} ± {p['std']:.1f}" for p in G['points'])
    pr = G['protocol']; scaled = '' if pr['name'] == 'dc' else ' — scaled down'
    bul.append(f"- Fig. 4, groups (GAQ 2-bit 5×5 + EC on all 100 MTT IPC 10 images; protocol `{pr['name']}`, {pr['epochs']} epochs, {G['runs']} runs{scaled}): {pts}. "
               f"As in the paper, more groups cost more bytes and buy accuracy, and every G up to one group per patch fits the budget here. `results/gsweep_mtt10.json`, plotted in `nbs/34_results_log.ipynb`.")
T9 = {'before': 'gaq-refine-ec-mtt10', 'after': 'refine-after-mtt10', 'both': 'refine-both-mtt10'}  # "before" is the default stage
t9 = {k: n for k, n in T9.items() if n in rows}
if t9:
    prs = {(rows[n]['protocol']['name'], rows[n]['protocol']['epochs'], rows[n]['runs']) for n in t9.values()}
    how = '; '.join(f"protocol `{a}`, {b} epochs, {c} runs" for a, b, c in sorted(prs))
    bul.append(f"- Table 9, when to refine (500 iterations, GAQ 2-bit 5×5 + EC, G by eq. 11, MTT IPC 10; {how}): "
               + ', '.join(f"{k} {f(n)} (G = {rows[n]['storage']['groups']}, {rows[n]['storage']['bytes']:,} B)" for k, n in t9.items())
               + ". Paper (DATM, CIFAR-10 at the IPC 1 budget): before 68.9 ± 0.4, after 68.7 ± 0.5, both 68.9 ± 0.3.")
    if len(t9) == 3:
        b9 = rows[t9['before']]
        def vs(k):
            r = rows[t9[k]]; d = r['mean'] - b9['mean']
            return f"{k} − before = {d:+.1f} points ({'within' if abs(d) <= r['std'] + b9['std'] else 'beyond'} the summed run-to-run std)"
        bul[-1] += (f" Here {vs('after')}, {vs('both')}: the paper's order (before ≥ after, both adds nothing) is not what we see on this set"
                    if rows[t9['after']]['mean'] > b9['mean'] else f" Here {vs('after')}, {vs('both')}.")
        if g.exists():
            top = G['points'][-1]
            bul[-1] += f"; GAQ + EC without refinement (G sweep, G = {top['groups']}) scores {top['mean']:.1f} ± {top['std']:.1f}."
missing = [n for n in ('webp-mtt10', 'gaq-refine-mtt10') if n not in rows] + ([] if g.exists() else ['the G sweep']) + ([] if len(t9) == 3 else ['Table 9 rows ' + ', '.join(k for k in T9 if k not in t9)])
if missing: bul.append('- Not run (out of CPU time this session): ' + ', '.join(missing) + '.')
new = table + '\nWhat it shows, plainly:\n\n' + '\n'.join(bul) + '\n\n' + v2_section() + '\n\n'
cell['source'] = (s[:a] + new).rstrip('\n').splitlines(True)
NB.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
subprocess.run([sys.executable, 'scripts/build_docs.py', '--readme'], check=True)
