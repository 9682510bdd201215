"""The version-3 (transform-domain) file under hostile input, and the decoder's limits (issues 15 and 16).

Every byte flip and truncation of a v3 file is refused with `PdcqError`; a header that declares more values than the limit,
or a JSON header nested too deeply, is refused by `pdcq decompress` with status 2 and one line before anything large is
allocated (peak memory of the whole process measured); an .npz with arrays the loader does not read says so."""
import json, os, resource, struct, subprocess, sys, zlib
from pathlib import Path
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from pdcq_nb.core import PdcqError
from pdcq_nb.data import ImageSet, dataset_space, class_names, load_condensed
from pdcq_nb.codec import Settings, compress, compress_transform, decode, info
from pdcq_nb.container import MAX_VALUES
from pdcq_nb.transform import TransformSettings

PDCQ = Path(sys.executable).with_name('pdcq')


def _set(n=20):
    g = torch.Generator().manual_seed(0)
    return ImageSet(torch.randn(n, 3, 16, 16, generator=g), torch.arange(10).repeat_interleave(n // 10),
                    class_names('cifar10'), dataset_space('cifar10'), 'r', 'cifar10')


V3 = compress_transform(_set(), TransformSettings(block=8, step=0.5)).data
V3T = compress_transform(_set(), TransformSettings(block=8, step=0.5, tilt=1.5)).data   # per-band steps (lesson 08a)
ROOT = Path(__file__).resolve().parents[1]


def _reheader(data: bytes, edit=None, raw: bytes | None = None) -> bytes:
    "The file with its JSON header edited (or replaced by `raw`) and a correct CRC, so only validation can catch it."
    (hlen,) = struct.unpack_from('<I', data, 10)
    h = json.loads(data[14:14 + hlen])
    if edit: edit(h)
    js = raw if raw is not None else json.dumps(h).encode()
    body = data[:10] + struct.pack('<I', len(js)) + js + data[14 + hlen:-4]
    return body + struct.pack('<I', zlib.crc32(body))


@pytest.mark.parametrize('data, tilt', [(V3, 0.0), (V3T, 1.5)])
def test_v3_round_trip_and_ledger(data, tilt):
    r = decode(data)
    assert r.header['version'] == 3 and r.header['method'] == 'dct'
    assert r.header['transform'].get('tilt', 0.0) == tilt
    assert sum(info(data)['ledger'].values()) == len(data)
    assert r.x.equal(compress_transform(_set(), TransformSettings(block=8, step=0.5, tilt=tilt)).x)


def test_committed_v3_file_still_decodes_to_its_images():
    "data/dm50_dct_ipc1.pdcq was written before the band tilt: it has no `tilt` field and decodes to what its settings encode today."
    from pdcq_nb.codec import load_set
    f = decode((ROOT / 'data/dm50_dct_ipc1.pdcq').read_bytes())
    t = f.header['transform']
    assert 'tilt' not in t and f.x.shape == (500, 3, 32, 32)
    s = load_set(ROOT / 'data/dm50_cifar10.npz', 'cifar10')
    assert f.x.equal(compress_transform(s, TransformSettings(t['block'], t['step'], t['kappa'], t['colour'])).x)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(V3T) - 1), st.integers(1, 255))
def test_v3_tilted_byte_flip_refused(pos, bit):
    bad = bytearray(V3T); bad[pos] ^= bit
    with pytest.raises(PdcqError): decode(bytes(bad))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(V3) - 1), st.integers(1, 255))
def test_v3_byte_flip_refused(pos, bit):
    bad = bytearray(V3); bad[pos] ^= bit
    with pytest.raises(PdcqError): decode(bytes(bad))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(V3) - 1))
def test_v3_truncation_refused(n):
    with pytest.raises(PdcqError): decode(V3[:n])


@pytest.mark.parametrize('edit, msg', [
    (lambda h: h['transform'].update(block=5), 'bad transform block'),
    (lambda h: h['transform'].update(step=-1.0), 'bad transform step'),
    (lambda h: h['transform'].update(recon=[0.1, 'x']), 'bad transform recon'),
    (lambda h: h['transform'].update(tilt=-1.0), 'bad transform tilt'),
    (lambda h: h['transform'].update(tilt='1'), 'bad transform tilt'),
    (lambda h: h.update(method='gaq'), 'in a version-3 file'),
    (lambda h: h.update(shape=[4, 3, 16, 16]), 'labels count'),
])
def test_v3_bad_header_fields(edit, msg):
    with pytest.raises(PdcqError, match=msg): decode(_reheader(V3, edit))


def test_v3_sections_checked():
    bad = _reheader(V3, lambda h: h.update(shape=[20, 1, 16, 16]))   # the colour transform no longer matches C
    with pytest.raises(PdcqError, match='colour transform has'): decode(bad)


def _run_limited(path):
    "Run `pdcq decompress` on `path`; its status, output and peak resident memory (MB) of the child alone."
    code = ('import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); '
            'print(p.returncode); print(repr(p.stderr + p.stdout)); '
            'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)')
    out = subprocess.run([sys.executable, '-c', code, str(PDCQ), 'decompress', str(path), '-o', str(path) + '.npz'],
                         capture_output=True, text=True, timeout=120).stdout.split('\n')
    return int(out[0]), eval(out[1]), float(out[2])


@pytest.mark.skipif(not PDCQ.exists(), reason='the pdcq console script is not installed beside this Python')
@pytest.mark.parametrize('shape', [[60000, 3, 1000, 1000], [1, 3, 65536, 65536], [65536, 3, 32, 32]])
def test_hostile_shape_refused_before_allocating(tmp_path, shape):
    p = tmp_path / 'hostile.pdcq'
    p.write_bytes(_reheader(compress(_set(), Settings(method='gaq', bits=2, patch=4, groups=4)).data, lambda h: h.update(shape=shape)))
    rc, text, peak = _run_limited(p)
    assert rc == 2 and text.count('\n') == 1 and 'over the limit' in text, text
    assert peak < 300, f'peak memory {peak:.0f} MB'
    assert not Path(str(p) + '.npz').exists()


@pytest.mark.skipif(not PDCQ.exists(), reason='the pdcq console script is not installed beside this Python')
def test_deeply_nested_header_is_bad_input(tmp_path):
    p = tmp_path / 'nested.pdcq'
    p.write_bytes(_reheader(V3, raw=b'[' * 100000 + b']' * 100000))
    rc, text, peak = _run_limited(p)
    assert rc == 2 and text.count('\n') == 1 and 'nests too deeply' in text, text


def test_limit_override(monkeypatch):
    monkeypatch.setenv('PDCQ_MAX_VALUES', '1000')
    with pytest.raises(PdcqError, match='over the limit of 1,000'): decode(V3)
    monkeypatch.delenv('PDCQ_MAX_VALUES'); decode(V3)
    assert MAX_VALUES >= 10_000 * 3 * 64 * 64   # a Tiny ImageNet IPC 50 set decodes without an override


def test_npz_unknown_arrays_warn(tmp_path):
    p = tmp_path / 's.npz'
    np.savez(p, x=np.zeros((2, 3, 32, 32), np.float32), y=np.array([0, 1]), labels_soft=np.zeros((2, 10), np.float32))
    with pytest.warns(UserWarning, match=r"ignored arrays \['labels_soft'\]"):
        load_condensed(p, 'cifar10')
