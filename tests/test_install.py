"""The library leaves the user's torch alone (issue 26): `pip install .` into an environment that already holds a torch in
the allowed range (settings.ini: `torch>=2.3`) keeps it, and the README's install command, which passes `-c constraints.txt`,
gives CI the exact torch it tests (2.13.0, the CPU wheel).

A real other torch is a multi-GB wheel (a CUDA build), so the user's torch here is a stub: a wheel named `torch`, version
2.5.0, holding only its metadata and `torch/__init__.py`, built by the test. It is installed into a fresh venv (made without
pip; the development environment's pip drives it with `--python`), then the project is installed there for real — its other
dependencies come from the machine's local indexes (`pip config list`), about a minute on this 2-core machine — and the
venv's torch must still be the stub's. The README's command is then resolved with `--dry-run --report` in the same venv: it
must replace the stub by 2.13.0+cpu, which also shows that the first check would see a replaced torch."""
import base64, hashlib, json, re, subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = '2.5.0'


def _stub_torch_wheel(folder: Path, version: str = STUB) -> Path:
    "A wheel named torch: metadata and a `torch/__init__.py` that states its version, nothing else."
    di = f'torch-{version}.dist-info'
    files = {'torch/__init__.py': f"__version__ = '{version}'\n",
             f'{di}/METADATA': f'Metadata-Version: 2.1\nName: torch\nVersion: {version}\nSummary: a stub for a user torch\n',
             f'{di}/WHEEL': 'Wheel-Version: 1.0\nGenerator: pdcq-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n'}
    digest = lambda t: base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b'=').decode()
    files[f'{di}/RECORD'] = ''.join(f'{p},sha256={digest(t)},{len(t.encode())}\n' for p, t in files.items()) + f'{di}/RECORD,,\n'
    whl = folder / f'torch-{version}-py3-none-any.whl'
    with zipfile.ZipFile(whl, 'w') as z:
        for p, t in files.items(): z.writestr(p, t)
    return whl


def _pip(venv_python: Path, *args) -> subprocess.CompletedProcess:
    "This environment's pip, working on `venv_python`'s environment."
    r = subprocess.run([sys.executable, '-m', 'pip', '--python', str(venv_python), *args], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, f'pip {" ".join(args)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}'
    return r


def _torch_version(venv_python: Path) -> str:
    return subprocess.run([str(venv_python), '-c', 'import importlib.metadata as m; print(m.version("torch"))'],
                          capture_output=True, text=True, check=True).stdout.strip()


def _readme_install_args() -> list:
    "The arguments after `pip install` in the README's set-up command."
    m = re.search(r'\.venv/bin/pip install (.+)', (ROOT / 'README.md').read_text())
    assert m, "the README's set-up command (.venv/bin/pip install ...) was not found"
    return [a.strip('"') for a in m.group(1).split()]


def test_install_keeps_the_users_torch_and_readme_pins_ci_torch(tmp_path):
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    py = venv / 'bin' / 'python'
    _pip(py, 'install', '--no-index', '--no-deps', str(_stub_torch_wheel(tmp_path)))
    assert _torch_version(py) == STUB
    _pip(py, 'install', '.')                      # the library as a user installs it: torch>=2.3 is already met
    assert _torch_version(py) == STUB, 'pip install . replaced the torch the environment already had'
    assert subprocess.run([str(py), '-c', 'import importlib.metadata as m; print(m.version("pdcq_nb"))'],
                          capture_output=True, text=True, check=True).stdout.strip()
    args = _readme_install_args()
    assert args[:2] == ['-c', 'constraints.txt'], args
    _pip(py, 'install', '--dry-run', '--report', str(tmp_path / 'r.json'), *args)
    would = {i['metadata']['name'].lower(): i['metadata']['version'] for i in json.loads((tmp_path / 'r.json').read_text())['install']}
    assert would.get('torch') == '2.13.0+cpu', would.get('torch')   # CI's torch, the CPU wheel, in place of the stub


def _norm(name: str) -> str:
    "A distribution name as PEP 503 compares them: lower case, runs of '-', '_' and '.' as one '-'."
    return re.sub(r'[-_.]+', '-', name).lower()


def _pins() -> dict:
    "constraints.txt as {name: version}: every line `name==version` (comments and blank lines skipped)."
    pins = {}
    for line in (ROOT / 'constraints.txt').read_text().splitlines():
        line = line.split('#')[0].strip()
        if not line: continue
        name, sep, version = line.partition('==')
        assert sep, f'constraints.txt: {line!r} is not an exact pin (name==version)'
        pins[_norm(name.strip())] = version.strip()
    return pins


def test_readme_install_pins_every_package(tmp_path):
    "A fresh environment from the README's command gets every package at the version constraints.txt names (a search's file"
    " depends on numpy, scikit-learn and constriction: unpinned, two environments wrote different files from the same code)."
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    _pip(venv / 'bin' / 'python', 'install', '--dry-run', '--report', str(tmp_path / 'r.json'), *_readme_install_args())
    would = {_norm(i['metadata']['name']): i['metadata']['version']
             for i in json.loads((tmp_path / 'r.json').read_text())['install']}
    would.pop('pdcq-nb')
    pins = _pins()
    unpinned = sorted(n for n in would if n not in pins)
    assert not unpinned, f'constraints.txt does not pin {unpinned}: add them (pip freeze --all) so CI and a new checkout install the same versions'
    assert len(would) > 100, len(would)   # the whole development set (jupyter, nbdev, pytest ...), not a few packages
    off = {n: (v, pins[n]) for n, v in would.items() if v.split('+')[0] != pins[n]}
    assert not off, f'installed versions differ from the pins: {off}'
