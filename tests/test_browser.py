"""The explorer in a real browser: JupyterLab on loopback, headless Chromium driven by Playwright.

Runs when Chromium (/usr/bin/chromium, Debian's package) and the playwright Python package are installed
(.ci/run installs both; `playwright install` is never used). Set PDCQ_SCREENSHOT=images/explorer.png to keep
the screenshot.
"""
import os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path
import pytest

CHROMIUM = '/usr/bin/chromium'
pw = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install playwright)')
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason='Chromium is not installed (apt-get install -y chromium chromium-driver)')
NB = Path(__file__).resolve().parents[1] / 'nbs' / '12_explorer.ipynb'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    shutil.copy(NB, tmp_path / 'explorer.ipynb')
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != 'PDCQ_DATA'}
    env['JUPYTER_CONFIG_DIR'] = str(tmp_path / 'cfg')  # no user settings, no announcements
    proc = subprocess.Popen([sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--ip', '127.0.0.1', '--port', str(port),
                             "--IdentityProvider.token=", '--ServerApp.password=', '--allow-root', f'--ServerApp.root_dir={tmp_path}',
                             '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / 'lab.log', 'w'))
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            try: urllib.request.urlopen(url + '/api/status', timeout=1); break
            except OSError: time.sleep(0.5)
        else: pytest.fail('JupyterLab did not start: ' + (tmp_path / 'lab.log').read_text()[-2000:])
        yield url
    finally:
        proc.terminate()
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()


def _src(page, cls):
    "Every image source in the panel, joined (an Output widget may hold the old figure a moment next to the new one)."
    return page.evaluate(f"Array.from(document.querySelectorAll('.{cls} img')).map(e => e.src).join('|')") or None


def _settle(page, timeout=120):
    "Wait until the explorer's status no longer says it is working, and a moment more for the last figure to replace the old."
    t = time.time()
    while time.time() - t < timeout:
        status = page.evaluate("Array.from(document.querySelectorAll('.widget-html')).map(e => e.innerText).join(' / ')")
        if 'working' not in status: break
        page.wait_for_timeout(250)
    page.wait_for_timeout(1000)


def _wait_change(page, cls, old, timeout=60, what=''):
    t = time.time()
    while time.time() - t < timeout:
        new = _src(page, cls)
        if new and new != old: return new
        page.wait_for_timeout(250)
    status = page.evaluate("Array.from(document.querySelectorAll('.widget-html')).map(e => e.innerText).join(' / ')")
    raise AssertionError(f'{cls} did not change within {timeout} s after {what}; status: {status}')


def test_explorer_responds_to_every_control(lab, tmp_path):
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={'width': 1400, 'height': 1100})
        try: _drive(page, lab, tmp_path)
        except Exception:
            page.screenshot(path=str(Path(tempfile.gettempdir()) / 'pdcq-browser-failure.png'), full_page=True)
            print('JupyterLab log (end):', (tmp_path / 'lab.log').read_text()[-3000:])
            raise
        finally: browser.close()


def _drive(page, lab, tmp_path):
    if True:
        page.goto(lab + '/lab/tree/explorer.ipynb')
        page.wait_for_selector('.jp-Notebook', timeout=60_000)
        page.get_by_text('| Idle').first.wait_for(timeout=120_000)  # the kernel has started
        for attempt in range(3):  # the menu can be clicked before the app has wired it up: try again then
            page.locator('.lm-MenuBar-item', has_text='Run').first.click()
            page.locator('.lm-Menu-item', has_text='Run All Cells').first.click()
            try: page.wait_for_selector('.pdcq-images img', timeout=90_000); break
            except pw.TimeoutError:
                if attempt == 2: raise
        page.wait_for_selector('.pdcq-storage img', timeout=60_000)
        imgs, curve, store = _src(page, 'pdcq-images'), _src(page, 'pdcq-curve'), _src(page, 'pdcq-storage')
        for label in ('bits', 'patch', 'G'):
            handle = page.locator('.widget-slider', has=page.locator(f'label:text-is("{label}")')).locator('.noUi-handle').first
            handle.focus(); handle.press('ArrowRight')
            imgs = _wait_change(page, 'pdcq-images', imgs, what=label)
            store = _wait_change(page, 'pdcq-storage', store, what=label)
            if label != 'G': curve = _wait_change(page, 'pdcq-curve', curve, what=label)
        for method in ('AQ', 'Median Cut', 'PAQ'):
            page.locator('.widget-toggle-button', has_text=method).first.click()
            imgs = _wait_change(page, 'pdcq-images', imgs, what=method)
            curve = _wait_change(page, 'pdcq-curve', curve, what=method)
        for domain in ('transform (DCT)', 'pixel'):   # the domain switch: the DCT file at the budget, and back
            page.locator('.widget-toggle-button', has_text=domain).first.click()
            imgs = _wait_change(page, 'pdcq-images', imgs, timeout=120, what=domain)
            store = _wait_change(page, 'pdcq-storage', store, timeout=120, what=domain)
            _settle(page)   # the panels as the finished update left them, not a moment with the old figure beside the new
            imgs, store = _src(page, 'pdcq-images'), _src(page, 'pdcq-storage')
        page.locator('.widget-checkbox', has_text='show group map').locator('input').first.check()   # the group map, beside the images
        imgs = _wait_change(page, 'pdcq-images', imgs, what='group map')
        page.locator('.widget-checkbox', has_text='refine').locator('input').first.check()
        imgs = _wait_change(page, 'pdcq-images', imgs, timeout=120, what='refine')
        store = _wait_change(page, 'pdcq-storage', store, timeout=180, what='refine')
        page.locator('.widget-button', has_text='search the budget').first.click()  # the joint search: its frontier
        page.wait_for_selector('.pdcq-frontier img', timeout=180_000)
        page.locator('.widget-button', has_text='evaluate').first.click()  # trains with the quick protocol
        page.wait_for_selector('.pdcq-eval table', timeout=300_000)
        assert 'acc' in page.locator('.pdcq-eval table').first.inner_text()
        for _ in range(240):  # let the update finish before the picture
            if not page.evaluate("Array.from(document.querySelectorAll('.widget-html')).map(e => e.innerText).join(' ')").startswith('working'): break
            page.wait_for_timeout(500)
        no = page.get_by_role('button', name='No', exact=True)
        if no.count(): no.first.click()  # JupyterLab's news prompt
        shot = Path(os.environ.get('PDCQ_SCREENSHOT') or tmp_path / 'explorer.png')
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
