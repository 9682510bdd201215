"""The explorer answers slider moves quickly on a CIFAR-10 set (issue 27): every panel of MTT IPC 10 (100 images), in the pixel
and the transform domain. Measured here, idle, 2 cores: pixel moves 0.3-0.5 s, transform-domain moves 0.3-1.2 s (was 3-9 s);
the same moves took up to 2.2 s later the same day (the host's speed varies by half), so each move is held to 4 s — a guard
against the 3-9 s of before, not the 1 s goal — and no move may leave an error in the status line."""
import time, warnings
import pytest
from pdcq_nb.data import shared_data_root

ROOT = shared_data_root()
MTT10 = 'distilled/MTT/CIFAR10/IPC10/images_best.pt'
pytestmark = pytest.mark.skipif(ROOT is None or not (ROOT / MTT10).exists(), reason=f'needs ../shared/data/{MTT10}')


def test_every_move_within_bounds():
    from pdcq_nb.widgets import Explorer
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ex = Explorer(data_root=ROOT)
        ex.w_set.value = 'MTT IPC 10 (CIFAR-10)'
    moves = [('domain', 'transform (DCT)'), ('patch', 8), ('patch', 2), ('budget', 0.5), ('budget', 0.2), ('patch', 4),
             ('budget', 2), ('domain', 'pixel'), ('budget', 1), ('bits', 3), ('patch', 2), ('method', 'PAQ')]
    took = {}
    for name, v in moves:
        t = time.perf_counter(); setattr(getattr(ex, f'w_{name}'), 'value', v); took[f'{name}={v}'] = time.perf_counter() - t
        assert 'error' not in ex.status.value, (name, v, ex.status.value)
    print({k: round(s, 2) for k, s in took.items()})
    assert ex.state.budget_ipc == 1 and ex.last['method'] == 'PAQ'
    slow = {k: round(s, 2) for k, s in took.items() if s > 4}
    assert not slow, f'moves over 4 s: {slow}'
