"""Does weighting the DCT bands pay in training (issue 16, section 2)? The DM IPC 50 set in the transform domain at the IPC 1
budget, all 500 images, with the band tilt tau of lesson 08a varied: the finest band's step is (1 + tau) times the coarsest's, and
the budget search picks the step. Rows: scripts/tilt_study.json (recipe `transform`); networks cached by the experiments' runner.
Results: results/tilt_study/<row>.json and results/tilt_study.md (lesson 11 shows it).

    .venv/bin/python scripts/tilt_study.py --protocol quick --runs 2      # this CPU (labelled quick; the committed rows are fp32, made on a CPU without bfloat16 instructions)
    .venv/bin/python scripts/tilt_study.py --table-only
"""
from study import study_main

COLUMNS = [('tau', 'r', lambda s: f"{s['tilt']:g}"), ('step', 'r', lambda s: f"{s['step']:.3f}"),
           ('bytes (budget)', 'r', lambda s: f"{s['bytes']:,} ({s['budget']:,})"), ('pixel MSE', 'r', lambda s: f"{s['mse']:.4f}")]

if __name__ == '__main__':
    study_main(__doc__, 'tilt_study', COLUMNS)
