"""Why the refinement of eq. 8-10 lost accuracy on the DM sets (issue 16, section 2): one file setting and a fixed number of
images per class, with the refinement varied (none, the paper's, a smaller learning rate, fewer iterations, a trained or one
fixed feature network, and for GAQ refining for the group ranges it stores). Rows: scripts/refine_study.json (recipe
`refined`); every network is cached by the experiments' runner, so a stopped run resumes. Results: results/refine_study/<row>.json
and the table results/refine_study.md (lesson 06 shows it).

    .venv/bin/python scripts/refine_study.py --protocol quick --bf16 --runs 2      # a CPU with bfloat16 instructions (labelled quick, bf16)
    .venv/bin/python scripts/refine_study.py --table-only
"""
from study import study_main

COLUMNS = [('bytes (vs budget)', 'r', lambda s: f"{s['bytes']:,} ({s['over_budget']:+,})"), ('pixel MSE', 'r', lambda s: f"{s['mse']:.4f}"),
           ('moved by refinement (MSE)', 'r', lambda s: f"{s['moved']:.4f}"),
           ('feature gap (8 held-out random nets)', 'r', lambda s: f"{s['feature_gap']:.2e}")]

if __name__ == '__main__':
    study_main(__doc__, 'refine_study', COLUMNS)
