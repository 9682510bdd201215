"""Build the course as a website, and README.md from nbs/index.ipynb (nbdev's `nbdev_docs`/`nbdev_readme` need Quarto,
which cannot be installed here; this does the same with pure-Python tools from the package index).

    .venv/bin/python scripts/build_docs.py                  # executes nbs/, renders _site/ (open _site/index.html)
    .venv/bin/python scripts/build_docs.py --readme         # README.md from nbs/index.ipynb only (no execution)
    .venv/bin/python scripts/build_docs.py --check-readme   # exit 1 when README.md is not nbs/index.ipynb's rendering

The site: every notebook in nbs/ executed top to bottom in its own process, in nbs/ (cells flagged with settings.ini's
tst_flags — slow, gpu, notest — are shown but not run, and say so; `nbdev_export()` cells are skipped; `#| hide` cells
run but are not shown), then rendered by Sphinx with MyST-NB and sphinx-book-theme; API pages from the docstrings
(autodoc); equations by the MathJax 2.7 that jupyter-server-mathjax ships, copied into the site (no network needed).
Run it with the MALLOC_* settings of the README; about as long as the notebook tests (5 minutes on 2 CPU cores).
"""
import argparse, json, os, re, shutil, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NBS, OUT, SITE = REPO / 'nbs', REPO / '_docs', REPO / '_site'
FLAGS = ('slow', 'gpu', 'notest')
DIRECTIVE = re.compile(r'^#\|\s*([\w-]+):?\s*(.*)$')


def directives(src: str) -> dict:
    "The `#| name value` lines at the top of a code cell."
    d = {}
    for line in src.splitlines():
        m = DIRECTIVE.match(line.strip())
        if not m: break
        d[m.group(1)] = m.group(2).strip()
    return d


def strip_directives(src: str) -> str:
    lines = src.splitlines()
    while lines and DIRECTIVE.match(lines[0].strip()): lines.pop(0)
    return '\n'.join(lines)


def skipped(cell) -> str | None:
    "Why a cell is not run for the site (None: it is run)."
    if cell['cell_type'] != 'code': return 'markdown'
    src = ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
    if 'nbdev_export(' in src: return 'export'
    d = directives(src)
    if d.get('eval', '').lower() == 'false': return 'eval: false'
    return next((f for f in FLAGS if f in d), None)


def execute_one(src: Path, dest: Path):
    "Run one notebook with execnb (as nbdev's tests do) and save it with its outputs."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb = read_nb(src)
    os.chdir(src.parent)
    sh = CaptureShell(src)
    try: sh.run_all(nb, exc_stop=True, preproc=lambda c: skipped(c) is not None)
    except Exception:
        sys.stderr.write(sh.prettytb(fname=src)); sys.exit(1)
    write_nb(nb, dest)


def for_site(nb: dict, name: str) -> dict:
    "Drop hidden and export-only cells, strip `#|` lines, say which cells were not run."
    cells = []
    for c in nb['cells']:
        src = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        if c['cell_type'] == 'code':
            d = directives(src)
            if 'hide' in d or 'nbdev_export(' in src or name == 'index' and 'fastcore.test' in src and len(src.splitlines()) == 1:
                continue
            why = skipped(c)
            body = strip_directives(src)
            if why in FLAGS: body = f'# not run for this page: flagged `{why}` (run it with PDCQ_FLAGS="{why}")\n' + body
            c = dict(c, source=body)
        elif c['cell_type'] == 'markdown':   # pictures of the repository are copied into the site's images/
            c = dict(c, source=src.replace('](../images/', '](images/'))
        cells.append(c)
    return dict(nb, cells=cells)


TOC = """```{{toctree}}
:caption: {caption}
:hidden:
:maxdepth: 1

{entries}
```"""


def site_sources(executed: dict):
    "Write _docs/src: the executed notebooks, the front page's table of contents, API pages and Sphinx's conf.py."
    src = OUT / 'src'
    if src.exists(): shutil.rmtree(src)
    (src / 'api').mkdir(parents=True)
    lessons = sorted(n for n in executed if n[:2].isdigit() and n < '20')
    toolbox = sorted(n for n in executed if n[:2].isdigit() and n >= '20')
    for name, nb in executed.items():
        nb = for_site(nb, name)
        if name == 'index':
            toc = [TOC.format(caption='Lessons', entries='\n'.join(lessons)), TOC.format(caption='Toolbox', entries='\n'.join(toolbox)),
                   TOC.format(caption='Reference', entries='api/index')]
            nb['cells'].append(dict(cell_type='markdown', metadata={}, source='\n\n'.join(toc), id='toc00000'))
        (src / f'{name}.ipynb').write_text(json.dumps(nb, indent=1))
    mods = sorted(p.stem for p in (REPO / 'pdcq_nb').glob('*.py') if not p.stem.startswith('_'))
    (src / 'api' / 'index.md').write_text('# API reference\n\nEvery module of `pdcq_nb`, from the docstrings.\n\n'
                                          + TOC.format(caption='Modules', entries='\n'.join(mods)).replace(':hidden:\n', ''))
    for m in mods:
        (src / 'api' / f'{m}.md').write_text(f'# pdcq_nb.{m}\n\n```{{eval-rst}}\n.. automodule:: pdcq_nb.{m}\n   :members:\n```\n')
    if (REPO / 'images').exists(): shutil.copytree(REPO / 'images', src / 'images')   # what markdown cells show as ../images/...
    import jupyter_server_mathjax
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / 'static', src / '_static' / 'mathjax')
    (src / 'conf.py').write_text(CONF)


CONF = '''# Sphinx settings of the pdcq_nb site (written by scripts/build_docs.py)
project = 'pdcq_nb'
author = 'pdcq_nb developers'
extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx.ext.mathjax']
nb_execution_mode = 'off'                      # executed by build_docs.py, flagged cells skipped
myst_enable_extensions = ['dollarmath', 'amsmath']
html_theme = 'sphinx_book_theme'
html_title = 'pdcq_nb: post-training quantization of condensed datasets'
html_static_path = ['_static']
mathjax_path = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full'   # local MathJax 2.7 (jupyter-server-mathjax)
# that copy ships the STIX-Web fonts only (as Jupyter configures it)
mathjax2_config = {'HTML-CSS': {'availableFonts': [], 'imageFont': None, 'preferredFont': None, 'webFont': 'STIX-Web'},
                   'tex2jax': {'inlineMath': [['\\(', '\\)']], 'displayMath': [['\\[', '\\]']], 'processEscapes': True,
                               'processClass': 'math|output_area'}}   # myst-nb marks the page tex2jax_ignore
autodoc_typehints = 'description'
autodoc_default_options = {'undoc-members': False}
exclude_patterns = ['_build', '**.ipynb_checkpoints']
suppress_warnings = ['mystnb.unknown_mime_type', 'myst.header', 'myst.xref_missing', 'docutils', 'misc.highlighting_failure']
'''


def readme_text() -> str:
    "README.md as nbs/index.ipynb renders: markdown cells as they are, code cells as Python blocks, links made repo-relative."
    nb = json.loads((NBS / 'index.ipynb').read_text())
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src.strip('\n'))
        elif c['cell_type'] == 'code' and 'hide' not in directives(src) and 'nbdev_export(' not in src:
            body = strip_directives(src).strip('\n')
            if body and body != 'from fastcore.test import *': parts.append(f'```python\n{body}\n```')
    text = '\n\n'.join(parts) + '\n'
    text = re.sub(r'\]\(\.\./', '](', text)                 # ../images/x.png -> images/x.png
    text = re.sub(r'\]\((\d\d_\w+|index)\.ipynb', r'](nbs/\1.ipynb', text)
    return ('<!-- Written by scripts/build_docs.py --readme from nbs/index.ipynb: edit the notebook, not this file. -->\n\n'
            + text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--readme', action='store_true'); ap.add_argument('--check-readme', action='store_true')
    ap.add_argument('--execute-one', nargs=2, metavar=('SRC', 'DEST'), help=argparse.SUPPRESS)
    ap.add_argument('--only', nargs='*', help='notebook stems to (re)execute; the others are taken from _docs/executed, and executed too where '
                    'it lacks them (a fresh checkout has none: then every notebook runs, some 20+ minutes on 2 cores)')
    a = ap.parse_args()
    if a.execute_one: return execute_one(Path(a.execute_one[0]).resolve(), Path(a.execute_one[1]).resolve())
    if a.check_readme:
        ok = (REPO / 'README.md').read_text() == readme_text()
        print('README.md agrees with nbs/index.ipynb' if ok else
              'README.md differs from nbs/index.ipynb: edit the notebook, then run scripts/build_docs.py --readme')
        sys.exit(0 if ok else 1)
    if a.readme:
        (REPO / 'README.md').write_text(readme_text()); print('wrote README.md from nbs/index.ipynb'); return
    ex = OUT / 'executed'; ex.mkdir(parents=True, exist_ok=True)
    names, failed = sorted(p.stem for p in NBS.glob('*.ipynb') if not p.name.startswith('_')), []
    for n in names:
        if a.only is not None and n not in a.only and (ex / f'{n}.ipynb').exists(): continue
        t0 = time.time()
        r = subprocess.run([sys.executable, __file__, '--execute-one', str(NBS / f'{n}.ipynb'), str(ex / f'{n}.ipynb')],
                           capture_output=True, text=True, env=dict(os.environ, MPLBACKEND='module://matplotlib_inline.backend_inline'))
        if r.returncode: failed.append(n); print(f'{n}.ipynb failed:\n{r.stderr[-3000:]}', flush=True); continue
        print(f'executed {n}.ipynb in {time.time() - t0:.0f} s', flush=True)
    if failed: sys.exit(f'these notebooks failed, so the site was not built: {", ".join(failed)}')
    site_sources({n: json.loads((ex / f'{n}.ipynb').read_text()) for n in names})
    html = OUT / 'build' / 'html'   # myst-nb writes its jupyter_execute/ beside the output folder: keep both inside _docs
    if html.parent.exists(): shutil.rmtree(html.parent)
    r = subprocess.run([sys.executable, '-m', 'sphinx', '-q', '-b', 'html', '-d', str(OUT / 'build' / 'doctrees'), str(OUT / 'src'), str(html)],
                       capture_output=True, text=True)
    if r.returncode: sys.exit(f'sphinx failed:\n{r.stderr[-3000:]}')
    if SITE.exists(): shutil.rmtree(SITE)
    shutil.copytree(html, SITE)
    warns = [l for l in r.stderr.splitlines() if 'WARNING' in l]
    print(f'built {SITE / "index.html"} ({len(warns)} Sphinx warnings)')
    for w in warns[:20]: print('  ' + w)


if __name__ == '__main__':
    main()
