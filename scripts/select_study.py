"""Does judging the search's best candidates by training change its choice where the budget binds (issue 16)? The default search
(pixel domain and transform domain, `pdcq compress --bits auto --patch auto --groups auto`) on the DM IPC 50 set at the IPC 1 budget,
with `TrainSelect`: the best `k` candidates by the proxy D are built, one network each is trained on them (quick protocol) and scored
on 10,000 held-out real CIFAR-10 *training* images; the test set is not seen. The chosen file is then trained on `--runs` times and
tested on the CIFAR-10 test set, like every row.

    .venv/bin/python scripts/select_study.py            # this CPU: quick, fp32; writes results/select_study.json
"""
import argparse, hashlib, json, time
from pathlib import Path
from pdcq_nb.budget import search_budget, SearchSpace, TrainSelect
from pdcq_nb.codec import decode, load_set
from pdcq_nb.data import real_set
from pdcq_nb.train import evaluate, get_protocol
from pdcq_nb.transform import TransformSettings

ROOT = Path(__file__).resolve().parents[1]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--k', type=int, default=3, help='candidates trained')
    ap.add_argument('--runs', type=int, default=2, help='networks trained on the chosen file for its test accuracy')
    ap.add_argument('--device', default=None)
    a = ap.parse_args()
    t0 = time.time()
    s = load_set(ROOT / 'data/dm50_cifar10.npz', 'cifar10')
    sel = TrainSelect(k=a.k, protocol='quick', runs=1, device=a.device)
    c = search_budget(s, 1, SearchSpace(), TransformSettings(), seed=0, select=sel)
    sha = hashlib.sha256(c.data).hexdigest()
    res = dict(source='data/dm50_cifar10.npz (DM IPC 50, condensed here)', budget_bytes=c.plan['budget_bytes'],
               bytes=len(c.data), pdcq_sha256=sha, chosen=c.plan['chosen'], selection=c.plan['selection'],
               scored_on=c.plan['scored_on'], select_protocol=c.plan['protocol'], select_runs=c.plan['runs'],
               proxy_choice=c.plan['selection'][0]['chosen'], search_seconds=round(time.time() - t0, 1))
    print(json.dumps(res, indent=1), flush=True)
    r = evaluate(decode(c.data).to_imageset(), real_set('cifar10', False), get_protocol('quick'), a.runs, a.device, progress=False)
    res['test'] = {k: r[k] for k in ('mean', 'std', 'accs', 'runs', 'seeds', 'protocol_text', 'device', 'bf16', 'seconds')}
    res['seconds'] = round(time.time() - t0, 1)
    (ROOT / 'results/select_study.json').write_text(json.dumps(res, indent=1))
    print(json.dumps(res['test'], indent=1))
