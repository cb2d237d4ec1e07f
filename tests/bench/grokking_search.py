"""PyTorch search for a quick grokking setting of modular addition (src/phenomena/grokking): (a + b) mod p from
one-hot a and b concatenated (2p inputs), an MLP 2p-W-p, full-batch AdamW on softmax cross-entropy, the
initialization multiplied by alpha (Omnigrok's large initialization). Prints one JSON line per setting: the first
step with training accuracy >= 0.99 (S1), the test accuracy there, and the first step with test accuracy >= 0.9 (S2).

  python3 tests/bench/grokking_search.py '{"p": 31, "frac": 0.5, ...}' ...

With "trace": N it goes on to `steps` and adds the test accuracy every N steps. Weights and biases are drawn from
N(0, (alpha²/fan-in)), the engine's init with gamma = 0.5, scale = alpha (its own draws, not the engine's).
The measured runs are in grokking_search.jsonl (p = 31; the page's setting: frac 0.7, wd 2, lr 0.01).

One thread; run it under nice -n 19 with OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


def run(p=31, frac=0.5, width=128, act='relu', lr=1e-3, wd=1.0, alpha=1.0, steps=3000, seed=1, every=10, trace=0):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    pairs = np.array([(a, b) for a in range(p) for b in range(p)])
    order = rng.permutation(len(pairs))
    n = int(round(frac * len(pairs)))
    x = torch.zeros(len(pairs), 2 * p)
    x[np.arange(len(pairs)), pairs[:, 0]] = 1
    x[np.arange(len(pairs)), p + pairs[:, 1]] = 1
    y = torch.tensor((pairs[:, 0] + pairs[:, 1]) % p)
    tr, te = order[:n], order[n:]
    acts = {'relu': torch.relu, 'tanh': torch.tanh, 'sin': torch.sin, 'sq': lambda z: z * z}
    f = acts[act]
    w1 = torch.randn(2 * p, width) * alpha / np.sqrt(2 * p)
    b1 = torch.randn(width) * alpha / np.sqrt(2 * p)
    w2 = torch.randn(width, p) * alpha / np.sqrt(width)
    b2 = torch.randn(p) * alpha / np.sqrt(width)
    params = [t.requires_grad_() for t in (w1, b1, w2, b2)]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    s1 = s2 = None
    curve = []
    te1 = None
    t0 = time.process_time()
    for step in range(steps + 1):
        if step % every == 0:
            with torch.no_grad():
                out = f(x @ w1 + b1) @ w2 + b2
                right = (out.argmax(1) == y).float()
                a_tr, a_te = right[tr].mean().item(), right[te].mean().item()
            if trace and step % trace == 0:
                curve.append((step, round(a_te, 3)))
            if s1 is None and a_tr >= 0.99:
                s1, te1 = step, a_te
            if s2 is None and a_te >= 0.9:
                s2 = step
                if not trace:
                    break
        out = f(x[tr] @ w1 + b1) @ w2 + b2
        loss = torch.nn.functional.cross_entropy(out, y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return dict(s1=s1, test_at_s1=te1, s2=s2, ratio=(s2 / s1 if s1 and s2 else None), final_train=a_tr, final_test=a_te, cpu_s=round(time.process_time() - t0, 1), **({'test_curve': curve} if trace else {}))


if __name__ == '__main__':
    for arg in sys.argv[1:]:
        setting = json.loads(arg)
        print(json.dumps({**setting, **run(**setting)}), flush=True)
