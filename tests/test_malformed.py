"""Inputs that never crash (issue 10, item 5): every unreadable input to `compress`, `eval`, `info` and `decompress` —
any accepted format, truncated, random bytes, wrong keys, dtypes or shapes, NaN, labels out of range, corrupt .pdcq
headers and sections — ends with one `error:` line and exit status 2, leaves no output file, and never a traceback.

The CLI runs in-process (`pdcq_nb.cli.main`), so the few hundred cases take seconds; `test_cli.py` runs the installed
script for the same kind of checks."""
import contextlib, io, json, math, os, struct, zlib
import numpy as np
import pytest
import torch
from pdcq_nb.cli import main
from pdcq_nb.data import ImageSet, dataset_space, class_names
from pdcq_nb.codec import Settings, compress, MAGIC


def _valid_set(n=10):
    g = torch.Generator().manual_seed(0)
    return torch.randn(n, 3, 32, 32, generator=g), torch.arange(10).repeat_interleave(n // 10)


def _pdcq_bytes():
    x, y = _valid_set()
    s = ImageSet(x, y, class_names('cifar10'), dataset_space('cifar10'), 'r', 'cifar10')
    return compress(s, Settings(method='gaq', bits=2, patch=8, groups=4)).data


def _reheader(data: bytes, edit) -> bytes:
    "A .pdcq file whose JSON header `edit(h)` changed, re-serialized with a correct CRC (so only validation can catch it)."
    (hlen,) = struct.unpack_from('<I', data, 10)
    h = json.loads(data[14:14 + hlen])
    edit(h)
    js = json.dumps(h).encode()
    body = data[:10] + struct.pack('<I', len(js)) + js + data[14 + hlen:-4]
    return body + struct.pack('<I', zlib.crc32(body))


def _recrc(body: bytes) -> bytes: return body + struct.pack('<I', zlib.crc32(body))


def _npz(path, **arrays):
    with open(path, 'wb') as f: np.savez(f, **arrays)


def _inputs(tmp):
    "(name, path) of every malformed input: written once, used by every command."
    out, rng = [], np.random.default_rng(0)
    x, y = _valid_set()
    xn, yn = x.numpy(), y.numpy()
    def add(name, suffix, writer):
        p = tmp / f'{len(out):03d}_{name}{suffix}'; writer(p); out.append((name, p))
    valid = {'.npz': lambda p: _npz(p, x=xn, y=yn), '.pt': lambda p: torch.save({'data': [[x, y]], 'accs_all_exps': {}}, p),
             '.pdcq': lambda p: p.write_bytes(_pdcq_bytes()), '.npy': lambda p: np.save(p, xn.transpose(0, 2, 3, 1))}
    for suffix, write_valid in valid.items():
        add('empty', suffix, lambda p: p.write_bytes(b''))
        add('text', suffix, lambda p: p.write_text('this is not a condensed set\n'))
        for n in (1, 3, 8, 30, 100, 700, 3000, 20000):
            for seed in range(2): add(f'random{n}', suffix, lambda p, n=n: p.write_bytes(rng.bytes(n)))
        ref = tmp / f'ref{suffix}'; write_valid(ref); good = ref.read_bytes()
        for cut in sorted(set(np.linspace(1, len(good) - 1, 24).astype(int))):
            add(f'truncated{cut}', suffix, lambda p, c=cut: p.write_bytes(good[:c]))
        add('zip_magic', suffix, lambda p: p.write_bytes(b'PK\x03\x04' + rng.bytes(200)))
        add('pickle_magic', suffix, lambda p: p.write_bytes(b'\x80\x04' + rng.bytes(200)))
    # .npz: wrong keys, dtypes, shapes, values, labels
    bad_npz = {
        'keys_ab': dict(a=xn, b=yn), 'only_x': dict(x=xn), 'only_y': dict(y=yn), 'x_str': dict(x=np.array(['a'] * 10), y=yn),
        'x_bool': dict(x=xn > 0, y=yn), 'x_complex': dict(x=xn.astype(np.complex64), y=yn), 'x_3d': dict(x=xn[:, 0], y=yn),
        'x_5d': dict(x=xn[:, None], y=yn), 'x_1ch': dict(x=xn[:, :1], y=yn), 'x_31px': dict(x=xn[:, :, :31, :31], y=yn),
        'x_nan': dict(x=np.where(xn > 2, np.nan, xn).astype(np.float32), y=yn), 'x_inf': dict(x=np.where(xn > 2, np.inf, xn).astype(np.float32), y=yn),
        'x_empty': dict(x=xn[:0], y=yn[:0]), 'x_scalar': dict(x=np.float32(1), y=yn), 'y_frac': dict(x=xn, y=yn + 0.5),
        'y_neg': dict(x=xn, y=yn - 1), 'y_big': dict(x=xn, y=yn + 10), 'y_huge': dict(x=xn, y=np.full(10, 2 ** 40)),
        'y_nan': dict(x=xn, y=np.full(10, np.nan)), 'y_short': dict(x=xn, y=yn[:5]), 'y_long': dict(x=xn, y=np.r_[yn, yn]),
        'y_2d': dict(x=xn, y=np.stack([yn, yn], 1)), 'y_str': dict(x=xn, y=np.array(list('abcdefghij'))),
        'y_bool': dict(x=xn, y=yn > 4), 'y_complex': dict(x=xn, y=yn.astype(np.complex64)),
    }
    for name, arrays in bad_npz.items(): add(name, '.npz', lambda p, a=arrays: _npz(p, **a))
    # our markers and soft labels, and KIP's release layout (images NHWC, labels (N, K))
    more_npz = {'zca_str': dict(x=xn, y=yn, zca=np.array('yes')), 'zca_two': dict(x=xn, y=yn, zca=np.array([0, 1])),
                'zca_2': dict(x=xn, y=yn, zca=np.uint8(2)), 'zca_float': dict(x=xn, y=yn, zca=np.float32(0.5)),
                'soft_width': dict(x=xn, y=yn, soft=np.zeros((10, 3), np.float32)), 'soft_nan': dict(x=xn, y=yn, soft=np.full((10, 10), np.nan, np.float32)),
                'soft_rows': dict(x=xn, y=yn, soft=np.zeros((4, 10), np.float32)), 'lr_neg': dict(x=xn, y=yn, lr=np.float32(-1)),
                'kip_1ch': dict(images=xn.transpose(0, 2, 3, 1)[..., :1], labels=np.eye(10, dtype=np.float32)),
                'kip_labels_width': dict(images=xn.transpose(0, 2, 3, 1), labels=np.zeros((10, 4), np.float32)),
                'kip_labels_nan': dict(images=xn.transpose(0, 2, 3, 1), labels=np.full((10, 10), np.nan, np.float32)),
                'kip_labels_short': dict(images=xn.transpose(0, 2, 3, 1), labels=np.eye(10, dtype=np.float32)[:3])}
    for name, arrays in more_npz.items(): add(name, '.npz', lambda p, a=arrays: _npz(p, **a))
    # KIP as DC-Benchmark keeps it: images.npy with labels.npy beside it, each case in its own folder
    kip = {'no_labels': (xn.transpose(0, 2, 3, 1), None), 'labels_text': (xn.transpose(0, 2, 3, 1), b'not numpy'),
           'labels_width': (xn.transpose(0, 2, 3, 1), np.zeros((10, 7), np.float32)), 'labels_nan': (xn.transpose(0, 2, 3, 1), np.full((10, 10), np.nan)),
           'labels_short': (xn.transpose(0, 2, 3, 1), np.eye(10)[:2]), 'images_3d': (xn[:, 0], np.eye(10)),
           'images_nan': (np.full((10, 32, 32, 3), np.nan, np.float32), np.eye(10)), 'images_str': (np.array(['a'] * 10), np.eye(10)),
           'labels_object': (xn.transpose(0, 2, 3, 1), 'object')}
    for name, (im, lab) in kip.items():
        d = tmp / f'{len(out):03d}_kip_{name}'; d.mkdir(); np.save(d / 'images.npy', im)
        if isinstance(lab, bytes): (d / 'labels.npy').write_bytes(lab)
        elif isinstance(lab, str): np.save(d / 'labels.npy', np.array([1, 'a'], dtype=object), allow_pickle=True)
        elif lab is not None: np.save(d / 'labels.npy', lab)
        out.append((f'kip_{name}', d / 'images.npy'))
    add('x_object', '.npz', lambda p: np.savez(p, x=np.array([1, 'a'], dtype=object), y=yn, allow_pickle=True))
    # .pt: wrong structures, dtypes, shapes, values
    bad_pt = {
        'list': [1, 2], 'int': 7, 'str': 'images', 'dict_nodata': {'foo': x}, 'data_empty': {'data': []}, 'data_none': {'data': None},
        'data_single': {'data': [[x]]}, 'data_triple': {'data': [[x, y, y]]}, 'data_str': {'data': 'xy'},
        'data_y_frac': {'data': [[x, y.float() + 0.5]]}, 'data_y_neg': {'data': [[x, y - 1]]}, 'data_y_big': {'data': [[x, y + 10]]},
        'data_x_nan': {'data': [[x.masked_fill(x > 2, float('nan')), y]]}, 'data_x_3d': {'data': [[x[:, 0], y]]},
        'data_x_bool': {'data': [[x > 0, y]]}, 'data_x_complex': {'data': [[x.to(torch.complex64), y]]},
        'data_y_short': {'data': [[x, y[:3]]]}, 'tensor_3d': x[:, 0], 'tensor_nan': x.masked_fill(x > 2, float('nan')),
        'tensor_not_class_major': x[:7], 'tensor_1ch': x[:, :1], 'tensor_bool': x > 0, 'tensor_0d': torch.tensor(1.0),
    }
    for name, obj in bad_pt.items(): add(name, '.pt', lambda p, o=obj: torch.save(o, p))
    # .pdcq: valid CRC, invalid content (only the decoder's validation stands between these and a crash)
    good = _pdcq_bytes()
    edits = {
        'h_shape_neg': lambda h: h.update(shape=[-1, 3, 32, 32]), 'h_shape_str': lambda h: h.update(shape='big'),
        'h_shape_huge': lambda h: h.update(shape=[1 << 15, 3, 1 << 15, 32]), 'h_bits0': lambda h: h.update(bits=0),
        'h_bits9': lambda h: h.update(bits=9), 'h_method': lambda h: h.update(method='jpeg'), 'h_coder': lambda h: h.update(coder='zip'),
        'h_params': lambda h: h.update(params='half'), 'h_ec_mismatch': lambda h: h.update(ec=False),
        'h_groups0': lambda h: h.update(groups=0), 'h_groups_huge': lambda h: h.update(groups=10 ** 9),
        'h_patch': lambda h: h.update(patch=[0, 5]), 'h_patch_big': lambda h: h.update(patch=[64, 64]),
        'h_grid_missing': lambda h: h.pop('grid'), 'h_grid_step0': lambda h: h['grid'].update(step=0),
        'h_grid_nan': lambda h: h['grid'].update(m0='nan'), 'h_grid_top': lambda h: h['grid'].update(top=-3),
        'h_grid_first': lambda h: h['grid'].update(first='x'), 'h_grid_scale': lambda h: h['grid'].update(scale0=[0, -1]),
        'h_classes': lambda h: h.update(num_classes=3), 'h_dataset': lambda h: h.update(dataset='imagenet'),
        'h_space': lambda h: h.update(space='rgb'), 'h_format': lambda h: h.update(format='zip'), 'h_not_dict': lambda h: h.clear(),
        'h_seed': lambda h: h.update(seed='s'), 'h_num_images': lambda h: h.update(shape=[11, 3, 32, 32]),
    }
    for name, e in edits.items(): add(name, '.pdcq', lambda p, e=e: p.write_bytes(_reheader(good, e)))
    add('h_json_garbage', '.pdcq', lambda p: p.write_bytes(_recrc(good[:10] + struct.pack('<I', 5) + b'{{{{{' + good[14 + struct.unpack_from('<I', good, 10)[0]:-4])))
    add('version3', '.pdcq', lambda p: p.write_bytes(_recrc(good[:8] + struct.pack('<H', 3) + good[10:-4])))
    for pos in range(0, 40, 3):
        add(f'flip{pos}', '.pdcq', lambda p, i=len(good) - 5 - pos: p.write_bytes(good[:i] + bytes([good[i] ^ 0x5A]) + good[i + 1:]))
    (hlen,) = struct.unpack_from('<I', good, 10); sec = 14 + hlen + 2
    for k, delta in enumerate((1, -1, 1000, -20)):   # a section length off, CRC made to match
        def wr(p, d=delta):
            b = bytearray(good[:-4]); (ln,) = struct.unpack_from('<I', b, sec + 4); struct.pack_into('<I', b, sec + 4, max(0, ln + d))
            p.write_bytes(_recrc(bytes(b)))
        add(f'section_len{k}', '.pdcq', wr)
    add('payload_zeroed', '.pdcq', lambda p: p.write_bytes(_recrc(good[:sec + 8] + bytes(len(good) - 4 - sec - 8))))
    return out


def _run(*args):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = main([str(a) for a in args])
    return rc, err.getvalue()


def test_every_malformed_input_gives_one_error_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cases = _inputs(tmp_path)
    assert len(cases) >= 200, len(cases)
    failures = []
    for name, p in cases:
        cmds = [('compress', p, '--budget-ipc', 1, '-o', tmp_path / 'out.pdcq'), ('eval', p, '--runs', 1, '--protocol', 'quick')]
        if p.suffix == '.pdcq' or name in ('random30', 'text', 'empty'):
            cmds += [('info', p), ('decompress', p, '-o', tmp_path / 'out.npz')]
        for cmd in cmds:
            rc, err = _run(*cmd)
            lines = [l for l in err.splitlines() if not l.startswith('warning: ')]
            ok = rc == 2 and len(lines) == 1 and lines[0].startswith('error: ') and 'Traceback' not in err
            if not ok: failures.append(f'{p.name} {cmd[0]}: status {rc}, stderr {err!r}')
            assert not (tmp_path / 'out.pdcq').exists() and not (tmp_path / 'out.npz').exists(), f'{p.name} {cmd[0]} left an output file'
    assert not failures, f'{len(failures)} of the malformed inputs were not refused cleanly:\n' + '\n'.join(failures[:40])


def test_outputs_follow_the_umask(tmp_path, monkeypatch):
    "Files the CLI writes get the user's umask (mkstemp alone would leave them 0600)."
    monkeypatch.chdir(tmp_path)
    x, y = _valid_set()
    _npz(tmp_path / 's.npz', x=x.numpy(), y=y.numpy())
    old = os.umask(0o022)
    try:
        assert _run('compress', tmp_path / 's.npz', '--groups', 4, '-o', tmp_path / 'a.pdcq')[0] == 0
        assert _run('decompress', tmp_path / 'a.pdcq', '-o', tmp_path / 'a.npz')[0] == 0
    finally: os.umask(old)
    for f in ('a.pdcq', 'a.npz'): assert (tmp_path / f).stat().st_mode & 0o777 == 0o644, f


# Hostile headers (issue 26): a header may declare sizes its sections cannot hold; the decoder must refuse such a file
# before it allocates from the header, so the refusal's peak memory is bounded by the file, not by what the header says.
from pdcq_nb.container import parse_pdcq, serialize_pdcq

_PEAK_CHILD = """import sys
from pdcq_nb.cli import main
try: rc = main()
finally: sys.stdout.write([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0])
sys.exit(rc)"""


def _decompress_peak(path, out):
    '''`pdcq decompress path -o out` in a fresh process (what the console script runs: `main()`): its status, stderr and peak
    resident memory in MB. The peak is the child's VmHWM (/proc/self/status), the high-water mark of its own memory since it
    started: `getrusage(RUSAGE_CHILDREN).ru_maxrss` would also count this test process, whose size Linux hands to every
    child it forks (ru_maxrss survives fork and exec).'''
    import subprocess, sys
    r = subprocess.run([sys.executable, '-c', _PEAK_CHILD, 'decompress', str(path), '-o', str(out)], capture_output=True, text=True, timeout=300)
    return r.returncode, r.stderr, int(r.stdout.split()[-2]) / 1024


def _with(data, shape=None, **fields):
    "The file with its header's shape (labels scaled to a new image count) or other fields changed, CRC made valid again."
    h, sec = parse_pdcq(data); ver = h.pop('version')
    if shape is not None:
        if shape[0] != h['shape'][0]: sec['LABL'] = (np.frombuffer(sec['LABL'], '<u4') * (shape[0] // h['shape'][0])).astype('<u4').tobytes()
        h['shape'] = list(shape)
    h.update(fields)
    return serialize_pdcq(h, sec, ver)


def _hostile_cases():
    "(name, bytes) of real 20-image CIFAR-shaped files of every kind of section, their headers inflated past what the sections hold."
    from pdcq_nb.codec import compress_transform
    from pdcq_nb.transform import TransformSettings
    g = torch.Generator().manual_seed(0)
    x = torch.nn.functional.avg_pool2d(torch.randn(20, 3, 40, 40, generator=g), 9, 1)
    s = ImageSet(x, torch.arange(10).repeat_interleave(2), class_names('cifar10'), dataset_space('cifar10'), 'r', 'cifar10', 0.01, torch.randn(20, 10))
    f = {k: compress(s, st).data for k, st in {
        'gaq': Settings(), 'aq': Settings(method='aq'), 'paq_raster': Settings(method='paq', patch=4, coder='context'),
        'order0': Settings(method='gaq', patch=4, groups=16, coder='order0'), 'packed': Settings(method='paq', patch=4, coder='packed'),
        'float': Settings(method='gaq', patch=4, groups=16, params='float'), 'mediancut': Settings(method='mediancut'), 'none': Settings(method='none')}.items()}
    f['dct'] = compress_transform(s, TransformSettings(block=8, step=0.5)).data
    h, sec = parse_pdcq(f['order0'])   # the order-0 model's counts scaled to match 3,000 channels: its entropy bound refuses
    sec['ECMD'] = (np.frombuffer(sec['ECMD'], '<u4') * 1000).astype('<u4').tobytes(); ver = h.pop('version')
    order0_counts = serialize_pdcq({**h, 'shape': [20, 3000, 32, 32]}, sec, ver)
    return [('gaq 20x3000x32x32 (the issue)', _with(f['gaq'], (20, 3000, 32, 32))), ('gaq N=20000', _with(f['gaq'], (20000, 3, 32, 32))),
            ('gaq 1400x1400', _with(f['gaq'], (20, 3, 1400, 1400))), ('gaq bits 8', _with(f['gaq'], bits=8)),
            ('aq C=3000', _with(f['aq'], (20, 3000, 32, 32))), ('aq 1400x1400', _with(f['aq'], (20, 3, 1400, 1400))),
            ('aq H=65536', _with(f['aq'], (20, 3, 65536, 32))), ('aq W=65536', _with(f['aq'], (20, 3, 32, 65536))),
            ('paq raster C=3000', _with(f['paq_raster'], (20, 3000, 32, 32))), ('paq raster W=65536', _with(f['paq_raster'], (20, 3, 32, 65536))),
            ('order0 C=3000', _with(f['order0'], (20, 3000, 32, 32))), ('order0 counts x1000', order0_counts),
            ('packed 1400x1400', _with(f['packed'], (20, 3, 1400, 1400))), ('float H=65536', _with(f['float'], (20, 3, 65536, 32))),
            ('mediancut C=3000', _with(f['mediancut'], (20, 3000, 32, 32))), ('none N=20000', _with(f['none'], (20000, 3, 32, 32))),
            ('dct N=20000', _with(f['dct'], (20000, 3, 32, 32))), ('dct 1400x1400', _with(f['dct'], (20, 3, 1400, 1400))),
            ('dct W=65536', _with(f['dct'], (20, 3, 32, 65536))), ('dct C=3000', _with(f['dct'], (20, 3000, 32, 32)))], f['gaq']


def test_hostile_headers_are_refused_in_bounded_memory(tmp_path):
    "Every hostile header: status 2, one `error:` line, no output, and a peak under 300 MB (the interpreter with torch is ~230 MB)."
    cases, good = _hostile_cases()
    (tmp_path / 'good.pdcq').write_bytes(good)
    rc, err, base = _decompress_peak(tmp_path / 'good.pdcq', tmp_path / 'good.npz')
    assert rc == 0 and (tmp_path / 'good.npz').exists() and 50 < base < 300, (rc, err, base)   # a real file decodes; the probe measures
    failures = []
    for name, data in cases:
        p = tmp_path / 'hostile.pdcq'; p.write_bytes(data)
        assert len(data) < 300_000 and math.prod(parse_pdcq(data)[0]['shape']) <= 1 << 27, name   # small files, under the global limit
        rc, err, peak = _decompress_peak(p, tmp_path / 'out.npz')
        lines = err.strip().splitlines()
        if not (rc == 2 and len(lines) == 1 and lines[0].startswith('error: ') and peak < 300 and not (tmp_path / 'out.npz').exists()):
            failures.append(f'{name}: status {rc}, peak {peak:.0f} MB, stderr {err!r}')
    assert not failures, '\n'.join(failures)
