"""PyTorch reference for the neural-collapse run (src/phenomena/neural-collapse): a ReLU MLP on K Gaussian
classes, full-batch SGD with momentum and weight decay (PyTorch's `weight_decay`, on every parameter),
cross-entropy averaged over the points, the lr divided by 10 at the configured fractions of the run.

  run JSON       trains one setting (keys below, all optional; "centres": "orthogonal" as the page's data.centres) on
                 data and weights of its own (numpy, seeded)
                 and prints the NC measures at the end as one JSON line (classifier_max_dev, means_max_dev: the
                 worst pair's |cos + 1/(K-1)|; "every": N also prints them each N steps to stderr)
  replay FILE    trains on the data and initial weights of FILE (written by the engine: x, labels, layers as
                 [fanIn, fanOut] row-major weights and biases, train settings) and prints the loss before each
                 step and the final weights, so the engine's steps can be compared with PyTorch's one by one
  time FILE      the same training, timed: prints {"cpu_s", "wall_s", "steps"} (npm run bench -- --collapse)

One thread; run it under nice with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)

DEFAULTS = dict(classes=10, majority=5, ratio=1, per_class=50, dim=32, separation=3.0, spread=1.0, test_per_class=50,
                widths=[128, 128, 128], lr=0.1, momentum=0.9, wd=5e-4, drops=[1 / 3, 2 / 3], steps=5000, seed=1,
                init='torch', every=0, centres='random')


def gaussian_classes(s, rng):
    K, D = s['classes'], s['dim']
    centres = rng.standard_normal((K, D))
    if s['centres'] == 'orthogonal':  # the same directions, made orthogonal (Gram-Schmidt: QR of their transpose)
        q, r = np.linalg.qr(centres.T)
        centres = (q * np.sign(np.diag(r))).T
    centres *= s['separation'] / np.linalg.norm(centres, axis=1, keepdims=True)
    minority = max(1, int(np.floor(s['per_class'] / s['ratio'] + 0.5)))
    counts = [s['per_class'] if c < s['majority'] else minority for c in range(K)]

    def draw(counts):
        labels = np.concatenate([np.full(n, c) for c, n in enumerate(counts)])
        return (centres[labels] + s['spread'] * rng.standard_normal((len(labels), D))).astype(np.float32), labels

    return draw(counts), draw([s['test_per_class']] * K)


def network(sizes, layers=None, init='torch', rng=None):
    modules = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            if layers is not None:
                linear.weight.copy_(torch.tensor(layers[i]['weights'], dtype=torch.float32).reshape(sizes[i], sizes[i + 1]).t())
                linear.bias.copy_(torch.tensor(layers[i]['bias'], dtype=torch.float32))
            elif init != 'torch':  # the engine's init: N(0, (init / sqrt fanIn)²) weights and biases
                std = init / sizes[i] ** 0.5
                linear.weight.copy_(torch.tensor(rng.standard_normal((sizes[i + 1], sizes[i])) * std, dtype=torch.float32))
                linear.bias.copy_(torch.tensor(rng.standard_normal(sizes[i + 1]) * std, dtype=torch.float32))
        modules.append(linear)
        if i < len(sizes) - 2:
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def measures(model, x, labels, tx, tlabels, K, majority):
    with torch.no_grad():
        h = model[:-1](x).double().numpy()
        logits = model(x).numpy()
        test = model(tx).numpy()
    w = model[-1].weight.detach().double().numpy()
    means = np.stack([h[labels == c].mean(0) for c in range(K)])
    centred = means - means.mean(0)
    within = h - means[labels]
    sw = within.T @ within / len(labels)
    sb = centred.T @ centred / K
    nc1 = float(np.trace(sw @ np.linalg.pinv(sb, rcond=1e-10)) / K)
    cos = lambda m: (m @ m.T) / np.outer(np.linalg.norm(m, axis=1), np.linalg.norm(m, axis=1))
    pairs = np.triu_indices(K, 1)
    wc = cos(w)[pairs]
    mc = cos(centred)[pairs]
    simplex = -1 / (K - 1)
    predicted = logits.argmax(1)
    nearest = ((h[:, None, :] - means[None]) ** 2).sum(2).argmin(1)
    minority = np.triu_indices(K - majority, 1)
    tpred = test.argmax(1)
    return dict(
        nc1=nc1,
        classifier_cos=float(wc.mean()), classifier_cos_std=float(wc.std()),
        classifier_cos_range=[float(wc.min()), float(wc.max())],
        # The acceptance: every pairwise cosine within ±0.01 of −1/(K−1).
        classifier_max_dev=float(np.abs(wc - simplex).max()), means_max_dev=float(np.abs(mc - simplex).max()),
        equinorm=float(np.linalg.norm(centred, axis=1).std() / np.linalg.norm(centred, axis=1).mean()),
        nc4=float((predicted != nearest).mean()),
        train_error=float((predicted != labels).mean()),
        test_accuracy=float((tpred == tlabels).mean()),
        minority_cos=float(cos(w[majority:])[minority].mean()) if K - majority > 1 else None,
        minority_test_accuracy=float((tpred[tlabels >= majority] == tlabels[tlabels >= majority]).mean()),
    )


def trainer(model, s):
    optimizer = torch.optim.SGD(model.parameters(), lr=s['lr'], momentum=s['momentum'], weight_decay=s['wd'])
    at = [round(f * s['steps']) for f in s['drops']]
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=at, gamma=0.1)
    return optimizer, scheduler


def step(model, optimizer, scheduler, x, y):
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    return loss.item()


def run(s):
    s = {**DEFAULTS, **s}
    rng = np.random.default_rng(s['seed'])
    torch.manual_seed(s['seed'])
    (x, labels), (tx, tlabels) = gaussian_classes(s, rng)
    model = network([s['dim'], *s['widths'], s['classes']], init=s['init'], rng=rng)
    optimizer, scheduler = trainer(model, s)
    xt, yt, txt = torch.tensor(x), torch.tensor(labels), torch.tensor(tx)
    start = time.process_time()
    zero = None
    for k in range(s['steps']):
        step(model, optimizer, scheduler, xt, yt)
        if s['every'] and (k + 1) % s['every'] == 0:
            m = measures(model, xt, labels, txt, tlabels, s['classes'], s['majority'])
            if zero is None and m['train_error'] == 0:
                zero = (k + 1, m['nc1'])
            print(json.dumps({'step': k + 1, **m}), file=sys.stderr)
    m = measures(model, xt, labels, txt, tlabels, s['classes'], s['majority'])
    print(json.dumps({**{k: s[k] for k in ('seed', 'ratio', 'widths', 'lr', 'momentum', 'wd', 'drops', 'steps', 'init')}, 'zero_error': zero, 'cpu_s': round(time.process_time() - start, 1), **m}))


def replay_setup(path):
    with open(path) as f:
        d = json.load(f)
    sizes = [d['layers'][0]['fanIn'], *[layer['fanOut'] for layer in d['layers']]]
    model = network(sizes, d['layers'])
    s = {**DEFAULTS, **d['train']}
    optimizer, scheduler = trainer(model, s)
    x = torch.tensor(np.array(d['x'], dtype=np.float32).reshape(len(d['labels']), sizes[0]))
    return d, model, optimizer, scheduler, x, torch.tensor(d['labels'], dtype=torch.long), s


def replay(path):
    d, model, optimizer, scheduler, x, y, s = replay_setup(path)
    losses = [step(model, optimizer, scheduler, x, y) for _ in range(s['steps'])]
    layers = [{'weights': m.weight.detach().t().reshape(-1).tolist(), 'bias': m.bias.detach().tolist()} for m in model if isinstance(m, torch.nn.Linear)]
    print(json.dumps({'losses': losses, 'layers': layers}))


def timed(path):
    d, model, optimizer, scheduler, x, y, s = replay_setup(path)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(s['steps']):
        step(model, optimizer, scheduler, x, y)
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'steps': s['steps'], 'cpu_s': time.process_time() - cpu, 'wall_s': time.perf_counter() - wall}))


if __name__ == '__main__':
    if sys.argv[1] == 'run':
        run(json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
    elif sys.argv[1] == 'replay':
        replay(sys.argv[2])
    elif sys.argv[1] == 'time':
        timed(sys.argv[2])
