"""Condense CIFAR-10 with DM on a lent GPU: IPC 20 and IPC 50 at the reference 20,000 iterations (lr 1.0, momentum 0.5,
256 real images per class per iteration, DSA, fp32), from the half of the training set that fits the device's 64 MiB
transfer limit (2,500 images per class, packed losslessly by scripts/pack_cifar_for_device.py into .gpu/).

Run on the device:  python3 scripts/gpu_condense.py OUT_DIR DEADLINE_SECONDS
Each IPC runs in its own process (the GPU is launch-bound at this size), in chunks of 500 iterations with a checkpoint, and
stops at the deadline; the checkpoints let a later run continue where it stopped."""
import io, json, os, sys, time
from concurrent.futures import ProcessPoolExecutor
import numpy as np
sys.path.insert(0, os.getcwd())

def load_packed(path):
    "uint8 images (N, 3, 32, 32) and labels from a .npz of lossless WebP mosaics (25 x 40 images each)."
    from PIL import Image
    z = np.load(path); n = int(z['n']); xs = []
    for i in range((n + 999) // 1000):
        m = np.asarray(Image.open(io.BytesIO(z[f'b{i}'].tobytes())).convert('RGB'))
        xs.append(m.reshape(25, 32, 40, 32, 3).transpose(0, 2, 4, 1, 3).reshape(1000, 3, 32, 32))
    return np.concatenate(xs)[:n], z['y'].astype(np.int64)

def real_half():
    import torch
    from pdcq_nb.data import ImageSet, dataset_space, normalize, class_names
    x, y = load_packed('.gpu/train_half.npz')
    sp = dataset_space('cifar10')
    return ImageSet(normalize(torch.from_numpy(x).float().div_(255), sp), torch.from_numpy(y), class_names('cifar10'), sp,
                    'cifar10-train-half', 'cifar10')

def run(ipc, out, deadline, iterations=int(os.environ.get('DM_ITERS', 20000)), chunk=int(os.environ.get('DM_CHUNK', 500))):
    import torch
    from pdcq_nb.condense import DMConfig, condense_dm, save_condensed
    real = real_half(); t0 = time.time(); done = 0; ck = f'{out}/dm{ipc}.ck'
    if os.path.exists(f'.gpu/dm{ipc}.ck'): import shutil; shutil.copy(f'.gpu/dm{ipc}.ck', ck)
    log = open(f'{out}/dm{ipc}.log', 'a')
    while done < iterations and time.time() < deadline:
        if os.path.exists(ck): done = int(torch.load(ck, weights_only=True)['iteration'])
        stop = min(iterations, done + chunk)
        if done >= iterations: break
        s = condense_dm(real, DMConfig(ipc=ipc, iterations=stop), ck, os.environ.get('DM_DEVICE', 'cuda'), progress=False)
        done = stop; print(f'ipc {ipc}: {done} iterations, {time.time() - t0:.0f} s', file=log, flush=True)
    save_condensed(s, f'{out}/dm{ipc}_cifar10.npz')
    json.dump(dict(ipc=ipc, iterations=done, seconds=round(time.time() - t0, 1), real='2,500 per class (first in file order)',
                   device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu', torch=torch.__version__), open(f'{out}/dm{ipc}.json', 'w'))
    return ipc, done

if __name__ == '__main__':
    out, budget = sys.argv[1], float(sys.argv[2])
    deadline = time.time() + budget
    import multiprocessing as mp
    with ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:
        for r in ex.map(run, [20, 50], [out, out], [deadline, deadline]): print('done', r, flush=True)
