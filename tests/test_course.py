"""The shape of every course lesson (00–12 and 08a): a figure before the first exported code, at least three exercises each
followed by a collapsed answer, and a summary at the end; lesson 00's first figure shows real condensed images."""
import json, re
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1] / 'nbs'
LESSONS = sorted(p for p in NBS.glob('*.ipynb') if p.stem[:2].isdigit() and p.stem < '20')
DRAWS = re.compile(r'\b(show_images|plt\.|\.imshow|\.bar\(|\.plot\(|\.scatter\(|subplots|\.show\(\))')


def cells(p): return [(c['cell_type'], ''.join(c['source'])) for c in json.loads(p.read_text())['cells']]


def test_every_lesson_is_there():
    names = {p.stem.split('_')[0] for p in LESSONS}
    assert {f'{i:02d}' for i in range(13)} | {'08a'} <= names, sorted(names)


@pytest.mark.parametrize('nb', LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_shape(nb):
    cs = cells(nb)
    code = [(i, s) for i, (t, s) in enumerate(cs) if t == 'code']
    first_export = next((i for i, s in code if s.lstrip().startswith('#| export')), len(cs))
    first_figure = next((i for i, s in code if DRAWS.search(s)), None)
    assert first_figure is not None and first_figure < first_export, \
        f'{nb.name}: no code cell draws a figure before the first exported cell (cell {first_export})'
    md = [(i, s) for i, (t, s) in enumerate(cs) if t == 'markdown']
    exercises = [i for i, s in md if re.match(r'\s*(\*\*|#+\s*)Exercise\b', s)]
    assert len(exercises) >= 3, f'{nb.name}: {len(exercises)} exercises (need at least 3, each labelled "Exercise")'
    for i in exercises:
        nxt = next((s for j, s in md if j > i), '')
        assert '<details' in nxt and '</details>' in nxt, f'{nb.name}: exercise at cell {i} has no collapsed answer after it'
    last_md = md[-1][1] if md else ''
    assert re.match(r'\s*#+\s*Summary', last_md), f'{nb.name}: the last markdown cell is not a summary'
    assert all(t in ('markdown', 'code', 'raw') for t, _ in cs), f'{nb.name}: a cell of an unknown type'


def test_lesson_00_opens_with_condensed_images():
    cs = cells(NBS / '00_start.ipynb')
    first = next(s for t, s in cs if t == 'code' and DRAWS.search(s))
    assert 'load_condensed' in first and 'show_images' in first, 'lesson 00 must open with a picture of real condensed images'
