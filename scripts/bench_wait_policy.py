"""OpenMP's wait policy on a small CPU (toolbox 20a_package): one network trained under each condition, in a fresh Python each
(GNU OpenMP reads OMP_WAIT_POLICY once, when torch loads it), idle and beside a process that keeps one core busy.

    .venv/bin/python scripts/bench_wait_policy.py -o results/wait_policy.json

Run it on an otherwise idle machine, with the MALLOC_* settings of the README; about 4 minutes on 2 cores.
"""
import argparse, json, os, platform, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = """
import os, sys, time
policy, threads, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if policy != 'default': os.environ['OMP_WAIT_POLICY'] = policy
else: os.environ.pop('OMP_WAIT_POLICY', None)
import torch                                   # loads GNU OpenMP with the policy above (pdcq_nb not imported first on purpose)
torch.set_num_threads(threads)
from pdcq_nb.codec import select_per_class, load_set
from pdcq_nb.data import load_digits
from pdcq_nb.train import train_model, Protocol, get_protocol
if what == 'digits':
    d = load_digits(); p = get_protocol('quick')
else:
    d = load_set('data/dm20_cifar10.npz'); p = Protocol('cifar-60ep', epochs=60)
s = d.subset(select_per_class(d.y, 10))
t = time.time(); train_model(s, p, 0, torch.device('cpu'), False); print(round(time.time() - t, 1))
"""
CASES = [('default', 2), ('PASSIVE', 2), ('default', 1)]   # OpenMP's default spins; PASSIVE sleeps; one thread needs no waiting


def one(policy: str, threads: int, what: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != 'OMP_WAIT_POLICY'}
    r = subprocess.run([sys.executable, '-c', TRAIN, policy, str(threads), what], cwd=ROOT, env=env, capture_output=True, text=True)
    if r.returncode: raise SystemExit(r.stderr[-2000:])
    return float(r.stdout.strip().splitlines()[-1])


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', '--out', default=str(ROOT / 'results/wait_policy.json'))
    a = ap.parse_args()
    rows = []
    for busy in (False, True):
        burner = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if busy else None
        try:
            for what in ('digits', 'cifar'):
                for policy, threads in CASES:
                    s = one(policy, threads, what)
                    rows.append(dict(training=what, busy_core=busy, wait_policy=policy, threads=threads, seconds=s))
                    print(rows[-1], flush=True)
        finally:
            if burner: burner.kill(); burner.wait()
    doc = dict(command='.venv/bin/python scripts/bench_wait_policy.py', date=time.strftime('%Y-%m-%d'), cpus=os.cpu_count(),
               machine=platform.processor() or platform.machine(),
               trainings={'digits': "100 digits (10 per class), protocol 'quick' (300 epochs), ConvNet, fp32, seed 0",
                          'cifar': 'DM IPC 20 (data/dm20_cifar10.npz), 10 per class, 60 epochs, ConvNet-3, fp32, seed 0'},
               busy_core='a second process running `while True: pass` (one core)', rows=rows)
    Path(a.out).write_text(json.dumps(doc, indent=1)); print('wrote', a.out)
