"""Tiny ImageNet rows at the storage budget of IPC 1 at 64x64 (9,830,400 bytes): the rows are data (scripts/tinyimagenet_rows.json:
D4M's released sets as sources, recipes of `pdcq_nb.experiments`), run by the same runner as lesson 11's table (scripts/experiments.py),
which writes results/tinyimagenet_ipc1/<row>.json as each row finishes and caches every trained network in runs/cache/ (a stopped
run resumes, within a network too). Tested on the official validation split (val/ alone). On one CPU thread, one row after another:

    OMP_NUM_THREADS=1 .venv/bin/python scripts/tinyimagenet.py --rows float32-d4m1 search-d4m10 --runs 1 --protocol quick
    .venv/bin/python scripts/tinyimagenet.py --list

Needs ../shared/data (tiny-imagenet-200/ and distilled/D4M/TinyImageNet/). Run with the MALLOC_* settings of the README.
"""
import os, sys
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from experiments import ROOT, parse, main

if __name__ == '__main__':
    a = parse(doc=__doc__, table_file=ROOT / 'scripts/tinyimagenet_rows.json', out=ROOT / 'results/tinyimagenet_ipc1', runs=1,
              protocol='quick')
    threads = int(os.environ.get('OMP_NUM_THREADS', '1')); torch.set_num_threads(threads)
    main(a, command=f'OMP_NUM_THREADS={threads} .venv/bin/python scripts/tinyimagenet.py')
