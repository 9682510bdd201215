"""Property tests of the .pdcq codec: round trips on random shapes, bit-widths, patches and groups; corruption."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st, HealthCheck
from pdcq_nb.core import PdcqError
from pdcq_nb.data import ImageSet, Space
from pdcq_nb.codec import ALL_METHODS, Settings, compress, decode, info


@st.composite
def cases(draw):
    N, C = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    ph, pw = draw(st.integers(1, H)), draw(st.integers(1, W))
    P = N * -(-H // ph) * -(-W // pw)
    return dict(N=N, C=C, H=H, W=W, K=draw(st.integers(1, 3)), bits=draw(st.integers(1, 8)), patch=(ph, pw),
                groups=draw(st.integers(1, P)), method=draw(st.sampled_from(ALL_METHODS)),
                coder=draw(st.sampled_from(['context', 'wavefront', 'order0', 'packed'])), params=draw(st.sampled_from(['grid', 'float'])),
                seed=draw(st.integers(0, 2 ** 31 - 1)), const=draw(st.booleans()), soft=draw(st.booleans()))


def _set(c):
    g = torch.Generator().manual_seed(c['seed'])
    x = torch.randn(c['N'], c['C'], c['H'], c['W'], generator=g) * 3
    if c['const']: x[0] = 0.75  # a constant image: constant patches must survive too
    y = torch.randint(0, c['K'], (c['N'],), generator=g)
    soft = torch.randn(c['N'], c['K'], generator=g) * 4 if c['soft'] else None   # soft labels ride along as float16
    return ImageSet(x, y, [f'c{i}' for i in range(c['K'])], Space((0.5,) * c['C'], (0.25,) * c['C']), 'random', soft=soft)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_round_trip(c):
    s = _set(c)
    z = compress(s, Settings(method=c['method'], bits=c['bits'], patch=c['patch'], groups=c['groups'], coder=c['coder'], params=c['params'], seed=c['seed'] % 1000))
    r = decode(z.data)
    assert torch.equal(r.x, z.x) and torch.equal(r.y, z.y)
    assert r.x.shape == s.x.shape and torch.isfinite(r.x).all()
    i = info(z.data)
    assert sum(i['ledger'].values()) == len(z.data) == i['file_bytes']
    assert r.to_imageset().classes == s.classes
    if c['soft']:
        order = torch.sort(s.y, stable=True).indices
        assert z.ledger['soft_labels'] == 2 * s.soft.numel() and torch.equal(r.soft, z.soft)
        assert torch.allclose(r.soft, s.soft[order], rtol=1e-3, atol=1e-2)   # float16 precision
    else: assert r.soft is None
    orig = s.x[torch.sort(s.y, stable=True).indices]
    if c['method'] == 'none': assert torch.equal(r.x, orig)
    elif c['method'] != 'mediancut':
        # each pixel lies within one step α of its value, and no region's α exceeds the set's range / (2^b - 1)
        step = float(orig.max() - orig.min()) / (2 ** c['bits'] - 1)
        assert float((r.x - orig).abs().max()) <= step + 1e-5


def _sample_file(coder, params):
    g = torch.Generator().manual_seed(0)
    s = ImageSet(torch.randn(20, 3, 16, 16, generator=g), torch.arange(4).repeat(5), list('abcd'), Space(), 'r',
                 soft=torch.randn(20, 4, generator=g))   # every section, soft labels too, must be covered
    return compress(s, Settings(method='gaq', bits=2, patch=5, groups=12, coder=coder, params=params)).data


@pytest.mark.parametrize('coder,params', [('context', 'grid'), ('wavefront', 'grid'), ('order0', 'float'), ('packed', 'grid')])
def test_every_flip_and_truncation_is_rejected(coder, params):
    data = _sample_file(coder, params)
    rng = np.random.default_rng(0)
    for pos in rng.choice(len(data), size=400, replace=False):
        bad = bytearray(data); bad[pos] ^= 1 << int(rng.integers(8))
        with pytest.raises(PdcqError): decode(bytes(bad))
    for n in list(range(0, 40)) + list(rng.choice(len(data), size=200, replace=False)):
        with pytest.raises(PdcqError): decode(data[:n])
    with pytest.raises(PdcqError): decode(data + b'\0')


def test_version_1_files_decode_as_before():
    "Files written by version 1 of the format (tests/fixtures, made before version 2) decode to the same images."
    import hashlib, json
    from pathlib import Path
    d = Path(__file__).parent / 'fixtures'
    for name, exp in json.loads((d / 'v1_expected.json').read_text()).items():
        r = decode((d / f'v1_{name}.pdcq').read_bytes())
        assert r.header['version'] == 1
        assert hashlib.sha256(r.x.numpy().astype('<f4').tobytes()).hexdigest() == exp['sha256_x'], name
        assert r.y.tolist() == exp['y']


def test_plan_section_round_trips_and_is_checked():
    g = torch.Generator().manual_seed(0)
    s = ImageSet(torch.randn(8, 3, 8, 8, generator=g), torch.arange(4).repeat(2), list('abcd'), Space(), 'r')
    z = compress(s, Settings(method='paq', bits=2, patch=4), plan=dict(rule='proxy', chosen=[2, 4, None, 2]))
    assert decode(z.data).header['plan']['chosen'] == [2, 4, None, 2] and z.ledger['plan'] > 0
