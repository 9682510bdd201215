"""The course as a website: README.md is nbs/index.ipynb's rendering, and in headless Chromium every lesson page of the
built site renders, shows at least one figure, typesets its equations, and no page links to a missing page or anchor.

The site is built by `scripts/build_docs.py` (.ci/run builds it before the tests); when _site/ is missing or older than a
notebook, this test builds it first (about 5 minutes on 2 cores). Runs when Chromium and playwright are installed.
"""
import functools, http.server, json, re, subprocess, sys, threading
from pathlib import Path
from urllib.parse import urlparse, unquote
import pytest

REPO = Path(__file__).resolve().parents[1]
SITE, NBS = REPO / '_site', REPO / 'nbs'
CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']
LESSONS = sorted(p.stem for p in NBS.glob('*.ipynb') if p.stem[:2].isdigit() and p.stem < '20')


def test_readme_is_index_notebook():
    "settings.ini names index.ipynb as the README notebook: README.md must be what build_docs.py --readme writes."
    r = subprocess.run([sys.executable, str(REPO / 'scripts' / 'build_docs.py'), '--check-readme'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope='module')
def site():
    newest = max(p.stat().st_mtime for p in NBS.glob('*.ipynb'))
    if not (SITE / 'index.html').exists() or (SITE / 'index.html').stat().st_mtime < newest:
        r = subprocess.run([sys.executable, str(REPO / 'scripts' / 'build_docs.py')], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    handler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown()


def _ids(path: Path) -> set:
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(errors='replace')))


def test_site_in_chromium(site):
    pw = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install playwright)')
    if not Path(CHROMIUM).exists(): pytest.skip('Chromium is not installed (apt-get install -y chromium chromium-driver)')
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob('*.html') if not p.name.startswith(('genindex', 'search', 'py-modindex')))
    assert {f'{n}.html' for n in LESSONS} <= set(pages), f'lesson pages missing from the site: {sorted({f"{n}.html" for n in LESSONS} - set(pages))}'
    broken, figures, maths = [], {}, {}
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = b.new_page()
        for rel in pages:
            page.goto(f'{site}/{rel}', wait_until='load')
            if rel[:-5] in LESSONS or rel == 'index.html':
                page.wait_for_function('document.querySelector("article") !== null', timeout=10000)
                # figures: images inside the article that the browser decoded
                figures[rel] = page.evaluate("""Array.from(document.querySelectorAll('article img'))
                    .filter(i => i.complete && i.naturalWidth > 20 && i.naturalHeight > 20).length""")
                if page.evaluate("document.querySelectorAll('article .math').length"):
                    page.wait_for_function("document.querySelectorAll('article .MathJax, article .MathJax_Display').length > 0", timeout=30000)
                    maths[rel] = page.evaluate("document.querySelectorAll('article .MathJax, article .MathJax_Display').length")
            for href in page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
                u = urlparse(href)
                if not href.startswith(site): continue            # outside links are not this site's to check
                target = SITE / unquote(u.path).lstrip('/')
                if target.is_dir(): target = target / 'index.html'
                if not target.exists(): broken.append(f'{rel} -> {u.path}')
                elif u.fragment and target.suffix == '.html' and unquote(u.fragment) not in _ids(target):
                    broken.append(f'{rel} -> {u.path}#{u.fragment} (no such anchor)')
        b.close()
    print(json.dumps(dict(figures=figures, typeset_equations=maths)))
    assert not broken, f'{len(broken)} broken internal links: {broken[:20]}'
    without = [r for r in (f'{n}.html' for n in LESSONS) if figures.get(r, 0) < 1]
    assert not without, f'lesson pages without a rendered figure: {without}'
    assert len(maths) >= 5, f'equations were typeset on only {len(maths)} pages: {maths}'
