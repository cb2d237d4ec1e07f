"""PyTorch reference of the anchor task and model (src/phenomena/anchor/task.ts, src/core/models/transformer.ts,
src/core/train/adamw.ts): the search for the small setting of issue #14, and the engine's check.

Same task (9 tokens in 20..99, key at p in 0..6 then an anchor pair; (3,4) trained as x-6, (4,3) held out, keys
with x mod 9 = p held out), same model (post-LN, or pre-LN with a final LayerNorm under --norm pre; 1 head, no biases in Q, K, V, O or the feed-forward, every matrix
from N(0, d_in^-2gamma), zero read-out bias, loss on the last token), same optimizer (AdamW, clip 1, linear warm-up
from lr_start then a half cosine to lr_end at the last step).

  (search)  python3 anchor_reference.py --d 32 --steps 5000 --lr 2e-3 --runs '[{"gamma": 1.4}, {"gamma": 0.5, "seed": 2}]'
            trains the listed networks side by side in one process (each its own gamma, seed, lr, warm-up, weight
            decay), measures seen / (4,3) inferential / (4,3) symmetric / held-out-key accuracy on 256 fixed test
            sequences per pair, and appends each network's setting and result to --log (anchor_search.jsonl). Batches
            come from torch's generator: the engine's distribution, not its sequences.
  curve     python3 anchor_reference.py curve --config experiments/anchor.json --batch 32 --steps 100
            the engine's own run (its seeded initial weights and batches, token for token) on a Stack of one network
            with torch.optim.AdamW: the loss before each step (anchor_torch_curve.json; experiments/anchor-wide.json,
            pre-LN: anchor_torch_curve_wide.json).
  identity  python3 anchor_reference.py identity --d 16 --lr 1e-2 --steps 300 --seed 1 --log anchor_search.jsonl
            the identity task of arXiv 2401.08309 (task.ts' identityBatch) on one network with torch's AdamW: accuracy on
            seen and held-out keys, and the attention routes averaged over test sequences (layer 1: the key's row on
            the anchor; last layer: the last row on the key and on the anchor).

One thread (torch.set_num_threads(1); run with OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX nice -n 19).
"""
import argparse
import json
import math
import signal
import time

import torch

torch.set_num_threads(1)
SHIFT = {1: 5, 2: 1, 3: -2, 4: -8}
T, VOCAB, LO, HI = 9, 201, 20, 99
PAIRS = [(a, b) for a in (1, 2, 3, 4) for b in (1, 2, 3, 4)]
HELD, ODD = PAIRS.index((4, 3)), PAIRS.index((3, 4))
TRAINED = [i for i in range(16) if i != HELD]
PAIR_A = torch.tensor([p[0] for p in PAIRS])
PAIR_B = torch.tensor([p[1] for p in PAIRS])
PAIR_SHIFT = torch.tensor([SHIFT[a] + SHIFT[b] for a, b in PAIRS])


def batch(gen, n, pair_ids):
    """n training sequences: pairs drawn uniformly from pair_ids, seen keys."""
    return sequences(gen, torch.tensor(pair_ids)[torch.randint(0, len(pair_ids), (n,), generator=gen)], False)


def sequences(gen, pairs, held_keys):
    """Sequences with the given pair indices, random context, the key at p in 0..6 with (x mod 9 == p) == held_keys."""
    n = len(pairs)
    x = torch.randint(LO, HI + 1, (n, T), generator=gen)
    p = torch.randint(0, T - 2, (n,), generator=gen)
    key = torch.randint(LO, HI + 1, (n,), generator=gen)
    bad = (key % 9 == p) != held_keys
    while bad.any():
        key[bad] = torch.randint(LO, HI + 1, (int(bad.sum()),), generator=gen)
        bad = (key % 9 == p) != held_keys
    rows = torch.arange(n)
    x[rows, p], x[rows, p + 1], x[rows, p + 2] = key, PAIR_A[pairs], PAIR_B[pairs]
    return x, key, pairs


def trained_answer(key, pairs):
    return torch.where(pairs == ODD, key - 6, key + PAIR_SHIFT[pairs])


class Block(torch.nn.Module):
    def __init__(s, d, f, hk):
        super().__init__()
        s.q, s.k, s.v = (torch.nn.Parameter(torch.empty(d, hk)) for _ in range(3))
        s.o = torch.nn.Parameter(torch.empty(hk, d))
        s.n1, s.n2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        s.fi, s.fo = torch.nn.Parameter(torch.empty(d, f)), torch.nn.Parameter(torch.empty(f, d))


class Net(torch.nn.Module):
    """The identity task's network: one head (d_k = hk), post-LN, torch's own initialization and draws."""

    def __init__(s, d, f, hk, layers, gamma):
        super().__init__()
        s.tok, s.pos = torch.nn.Parameter(torch.empty(VOCAB, d)), torch.nn.Parameter(torch.empty(T, d))
        s.blocks = torch.nn.ModuleList(Block(d, f, hk) for _ in range(layers))
        s.head, s.bias = torch.nn.Parameter(torch.empty(d, VOCAB)), torch.nn.Parameter(torch.zeros(VOCAB))
        s.mask = torch.triu(torch.full((T, T), -1e9), 1)
        s.hk = hk
        with torch.no_grad():
            for name, w in s.named_parameters():
                if w.dim() == 2:
                    fan_in = d if name in ('tok', 'pos') else w.shape[0]
                    w.normal_(0, fan_in ** -gamma)

    def forward(s, x, taps=None):
        h = s.tok[x] + s.pos
        for b in s.blocks:
            q, k, v = h @ b.q, h @ b.k, h @ b.v
            a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(s.hk) + s.mask, -1)
            if taps is not None:
                taps.append(a)
            h = b.n1(h + (a @ v) @ b.o)
            h = b.n2(h + torch.relu(h @ b.fi) @ b.fo)
        return h[:, -1] @ s.head + s.bias


def lr_at(step, a):
    if step < a.warmup:
        return a.lr_start + (a.lr - a.lr_start) * step / a.warmup
    progress = min(1, (step - a.warmup) / max(1, a.steps - 1 - a.warmup))
    return a.lr_end + (a.lr - a.lr_end) * (1 + math.cos(math.pi * progress)) / 2


class Stack(torch.nn.Module):
    """K networks of the engine's architecture (post-LN as Net, or pre-LN) trained side by side in batched products (one process, one thread):
    each its own initialization, data, learning rate and weight decay, exactly as K separate runs would be."""

    def __init__(s, k, d, f, hk, layers, norm='post'):
        super().__init__()
        P = lambda *shape: torch.nn.Parameter(torch.empty(k, *shape))
        s.tok, s.pos, s.head, s.bias = P(VOCAB, d), P(T, d), P(d, VOCAB), torch.nn.Parameter(torch.zeros(k, 1, VOCAB))
        s.w = torch.nn.ParameterList(P(*shape) for _ in range(layers) for shape in ((d, hk), (d, hk), (d, hk), (hk, d), (d, f), (f, d)))
        # Gain and bias of each LayerNorm: two a block, and pre-LN's final one before the read-out.
        norms = 2 * layers + (norm == 'pre')
        s.ln = torch.nn.ParameterList(torch.nn.Parameter(torch.full((k, 1, d), float(i % 2 == 0))) for i in range(2 * norms))
        s.mask, s.hk, s.layers, s.k, s.pre = torch.triu(torch.full((T, T), -1e9), 1), hk, layers, k, norm == 'pre'

    def init(s, runs, d):
        """Every matrix from N(0, d_in^-2gamma) (d_in = d for the embeddings), each run from its own seed."""
        with torch.no_grad():
            for i, run in enumerate(runs):
                g = torch.Generator().manual_seed(run['seed'])
                for w in [s.tok, s.pos, *s.w, s.head]:
                    fan_in = d if w is s.tok or w is s.pos else w.shape[1]
                    w[i].copy_(torch.randn(w.shape[1:], generator=g) * fan_in ** -run['gamma'])

    def norm(s, h, i):
        return torch.nn.functional.layer_norm(h, h.shape[-1:]) * s.ln[2 * i] + s.ln[2 * i + 1]

    def forward(s, x):
        """x: [K, B, T] tokens; the logits at the last position, [K, B, VOCAB]."""
        k, b = x.shape[:2]
        h = (s.tok[torch.arange(k)[:, None, None], x] + s.pos[:, None]).reshape(k, b * T, -1)
        for i in range(s.layers):
            wq, wk, wv, wo, fi, fo = s.w[6 * i: 6 * i + 6]

            def attention(x):
                q, kk, v = ((x @ w).reshape(k * b, T, s.hk) for w in (wq, wk, wv))
                a = torch.softmax(q @ kk.transpose(1, 2) / math.sqrt(s.hk) + s.mask, -1)
                return (a @ v).reshape(k, b * T, s.hk) @ wo

            # pre-LN normalizes each sublayer's input (as the engine's norm 'pre'), post-LN each sublayer's sum.
            if s.pre:
                h = h + attention(s.norm(h, 2 * i))
                h = h + torch.relu(s.norm(h, 2 * i + 1) @ fi) @ fo
            else:
                h = s.norm(h + attention(h), 2 * i)
                h = s.norm(h + torch.relu(h @ fi) @ fo, 2 * i + 1)
        last = h.reshape(k, b, T, -1)[:, :, -1]
        return (s.norm(last, 2 * s.layers) if s.pre else last) @ s.head + s.bias


class StackAdamW:
    """torch.optim.AdamW's update (the default betas and eps) with a learning rate and weight decay per network,
    after clip_grad_norm_ applied to each network's gradients on its own."""

    def __init__(s, params, k):
        s.params, s.k, s.t = list(params), k, 0
        s.m, s.v = [torch.zeros_like(p) for p in s.params], [torch.zeros_like(p) for p in s.params]

    @torch.no_grad()
    def step(s, lr, wd, clip):
        s.t += 1
        norms = torch.sqrt(sum((p.grad.reshape(s.k, -1) ** 2).sum(1) for p in s.params))
        scale = torch.clamp(clip / (norms + 1e-6), max=1.0)
        c1, c2 = 1 - 0.9 ** s.t, math.sqrt(1 - 0.999 ** s.t)
        for p, m, v in zip(s.params, s.m, s.v):
            shape = (s.k,) + (1,) * (p.dim() - 1)
            g = p.grad * scale.reshape(shape)
            p.mul_(1 - (lr * wd).reshape(shape))
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            p.sub_((lr / c1).reshape(shape) * m / (v.sqrt() / c2 + 1e-8))
            p.grad = None


def evaluate(net, tests):
    """Per network: seen pairs (trained answer), (4,3) inferential (x-10) and symmetric (x-6), held-out keys."""
    (xs, ks, ps), (xh, kh, ph) = tests
    out = []
    with torch.no_grad():
        preds = net(xs.expand(net.k, -1, -1)).argmax(-1)
        predsh = net(xh.expand(net.k, -1, -1)).argmax(-1)
    held, heldh = ps == HELD, ph == HELD
    for pred, predh in zip(preds, predsh):
        out.append(dict(seen=(pred == trained_answer(ks, ps))[~held].float().mean().item(),
                        inferential=(pred == ks - 10)[held].float().mean().item(),
                        symmetric=(pred == ks - 6)[held].float().mean().item(),
                        unseenKeys=(predh == trained_answer(kh, ph))[~heldh].float().mean().item()))
    return [{key: round(v, 4) for key, v in r.items()} for r in out]


RUN_KEYS = ('gamma', 'seed', 'lr', 'lr_start', 'lr_end', 'warmup', 'wd')


def main():
    ap = argparse.ArgumentParser()
    for name, kind, default in [('d', int, 32), ('dff', int, 0), ('dk', int, 0), ('layers', int, 2), ('norm', str, 'post'), ('gamma', float, 0.5),
                                ('batch', int, 128), ('lr', float, 1e-3), ('lr_start', float, 0), ('lr_end', float, 1e-5),
                                ('warmup', int, 200), ('wd', float, 0.01), ('clip', float, 1.0), ('steps', int, 2000),
                                ('seed', int, 1), ('every', int, 250), ('log', str, ''), ('note', str, ''), ('stop_reason', str, 'stopped by hand: the curve decided it'), ('runs', str, '[{}]')]:
        ap.add_argument('--' + name.replace('_', '-'), dest=name, type=kind, default=default)
    a = ap.parse_args()
    a.dff, a.dk = a.dff or 4 * a.d, a.dk or a.d
    # --runs: a JSON list of networks, each overriding the shared gamma, seed, lr, lr_start, lr_end, warmup, wd.
    runs = [{key: r.get(key, getattr(a, key)) for key in RUN_KEYS} for r in json.loads(a.runs)]
    k = len(runs)
    net = Stack(k, a.d, a.dff, a.dk, a.layers, a.norm)
    net.init(runs, a.d)
    opt = StackAdamW(net.parameters(), k)
    gens = [torch.Generator().manual_seed(1000 + r['seed']) for r in runs]
    # 256 test sequences of every pair, with seen keys and with held-out keys, the same for every run.
    test_gen = torch.Generator().manual_seed(7)
    pairs = torch.arange(16).repeat_interleave(256)
    tests = [sequences(test_gen, pairs, False), sequences(test_gen, pairs, True)]
    start, history = time.time(), []
    # kill -TERM stops the search early and still logs each network's curve so far, marked "stopped".
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        train(a, runs, net, opt, gens, tests, history, start)
        stopped = None
    except KeyboardInterrupt:
        stopped = f"at step {history[-1][0]['step'] if history else 0} of {a.steps}: {a.stop_reason}"
    shared = {key: v for key, v in vars(a).items() if key not in ('log', 'every', 'runs', 'stop_reason') + RUN_KEYS}
    seconds = time.time() - start
    done = history[-1][0]['step'] if history else 0
    for i, run in enumerate(runs):
        final = dict(setting={**shared, **run}, result=history[-1][i] if history else {}, networks_in_process=k,
                     steps_per_s=round(done / seconds, 1),
                     curve=[[h[i]['step'], h[i]['seen'], h[i]['inferential'], h[i]['symmetric']] for h in history])
        if stopped:
            final['stopped'] = stopped
        print(json.dumps(final), flush=True)
        if a.log:
            with open(a.log, 'a') as f:
                f.write(json.dumps(final) + '\n')


def train(a, runs, net, opt, gens, tests, history, start):
    k = len(runs)
    for step in range(a.steps):
        lr = torch.tensor([lr_at(step, argparse.Namespace(steps=a.steps, **r)) for r in runs])
        data = [batch(g, a.batch, TRAINED) for g in gens]
        x = torch.stack([d[0] for d in data])
        y = torch.stack([trained_answer(d[1], d[2]) for d in data])
        losses = torch.nn.functional.cross_entropy(net(x).reshape(k * a.batch, VOCAB), y.reshape(-1), reduction='none').reshape(k, a.batch).mean(1)
        losses.sum().backward()
        opt.step(lr, torch.tensor([r['wd'] for r in runs]), a.clip)
        if (step + 1) % a.every == 0 or step + 1 == a.steps:
            results = evaluate(net, tests)
            for r, loss in zip(results, losses.tolist()):
                r.update(step=step + 1, loss=round(loss, 4))
            history.append(results)
            print(json.dumps(dict(step=step + 1, s=round(time.time() - start, 1), runs=[[r['seen'], r['inferential'], r['symmetric']] for r in results])), flush=True)


class Lcg:
    """d3-random's randomLcg, the engine's seeded uniform source."""

    def __init__(self, seed):
        self.state = to_int32(int(abs(seed)))

    def __call__(self):
        self.state = to_int32(0x19660D * self.state + 0x3C6EF35F)
        return (self.state % 2**32) / 2**32


def to_int32(n):
    n %= 2**32
    return n - 2**32 if n >= 2**31 else n


def imul(a, b):
    return to_int32(a * b)


def step_seed(seed, step):
    """task.ts' stepSeed."""
    return (imul(seed + 1, 0x9E3779B1) ^ imul(step + 1, 0x85EBCA6B)) % 2**32


def engine_batch(seed, step, size):
    """task.ts' trainingBatch(seed, step, size): the same sequences, token for token."""
    uniform = Lcg(step_seed(seed, step))
    below = lambda n: min(n - 1, math.floor(uniform() * n))
    allowed = [[x for x in range(LO, HI + 1) if x % 9 != p] for p in range(T - 2)]
    tokens, answers = [], []
    for _ in range(size):
        row = [LO + below(HI - LO + 1) for _ in range(T)]
        pair = TRAINED[below(len(TRAINED))]
        p = below(T - 2)
        x = allowed[p][below(len(allowed[p]))]
        row[p], row[p + 1], row[p + 2] = x, PAIRS[pair][0], PAIRS[pair][1]
        tokens.append(row)
        answers.append(x - 6 if pair == ODD else x + SHIFT[PAIRS[pair][0]] + SHIFT[PAIRS[pair][1]])
    return torch.tensor(tokens), torch.tensor(answers)


def engine_init(net, seed, gamma, d):
    """transformer.ts' initTransformer into a Stack of one network: d3's randomNormal on the LCG, parameters in
    transformerShapes' order (the LayerNorms' gains and biases start at one and zero in both)."""
    uniform, cached = Lcg(seed), []

    def standard():
        if cached:
            return cached.pop()
        while True:
            x, y = uniform() * 2 - 1, uniform() * 2 - 1
            r = x * x + y * y
            if r and r <= 1:
                break
        cached.append(x * math.sqrt(-2 * math.log(r) / r))
        return y * math.sqrt(-2 * math.log(r) / r)

    with torch.no_grad():
        for i, w in enumerate(p[0] for p in [net.tok, net.pos, *net.w, net.head]):
            fan_in = d if i < 2 else w.shape[0]  # the embeddings: d_in = d_model, as the authors
            std = fan_in ** -gamma
            w.copy_(torch.tensor([std * standard() for _ in range(w.numel())], dtype=torch.float32).reshape(w.shape))


def curve(argv):
    """The loss before each of the first `steps` steps of the engine's own run (its initial weights and batches)."""
    ap = argparse.ArgumentParser()
    for name, kind in [('config', str), ('steps', int)]:
        ap.add_argument('--' + name, type=kind, required=True)
    ap.add_argument('--batch', type=int, help="instead of the config's train.batch (a cheaper check)")
    a = ap.parse_args(argv)
    c = json.load(open(a.config))
    if a.batch:
        c['train']['batch'] = a.batch
    m, t = c['model'], c['train']
    assert m['heads'] == 1 and m['init']['scale'] == 1
    net = Stack(1, m['dModel'], m['dFeedForward'], m['dK'], m['layers'], m['norm'])
    engine_init(net, c['seed'], m['init']['gamma'], m['dModel'])
    params = list(net.parameters())
    opt = torch.optim.AdamW(params, lr=t['lr'], weight_decay=t['weightDecay'])
    sched = argparse.Namespace(lr=t['lr'], lr_start=t['lrStart'], lr_end=t['lrEnd'], warmup=t['warmup'], steps=t['steps'])
    losses = []
    for step in range(a.steps):
        for g in opt.param_groups:
            g['lr'] = lr_at(step, sched)
        x, y = engine_batch(c['seed'], step, t['batch'])
        loss = torch.nn.functional.cross_entropy(net(x[None])[0], y)
        losses.append(loss.item())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, t['clip'])
        opt.step()
    print(json.dumps({'torch': torch.__version__, 'command': f'python3 tests/bench/anchor_reference.py curve --config {a.config}' + (f' --batch {a.batch}' if a.batch else '') + f' --steps {a.steps}',
                      'config': c, 'loss': [round(v, 6) for v in losses]}))


def identity_sequences(gen, n, held_keys):
    """The identity task (task '3x_to_x' of the authors' code): random context, the anchor 3 at q in 0..7, the key x at
    q + 1, the answer x; keys with x mod 9 == q + 1 held out."""
    x = torch.randint(LO, HI + 1, (n, T), generator=gen)
    q = torch.randint(0, T - 1, (n,), generator=gen)
    key = torch.randint(LO, HI + 1, (n,), generator=gen)
    bad = (key % 9 == q + 1) != held_keys
    while bad.any():
        key[bad] = torch.randint(LO, HI + 1, (int(bad.sum()),), generator=gen)
        bad = (key % 9 == q + 1) != held_keys
    rows = torch.arange(n)
    x[rows, q], x[rows, q + 1] = 3, key
    return x, key, q


def identity(argv):
    """Searches the identity task: one network (Net), torch's AdamW; accuracy on seen and held-out keys, and where the
    attention goes, averaged over test sequences: layer 1 at the key's row on the anchor, layer 2 at the last row on
    the key and on the anchor."""
    ap = argparse.ArgumentParser()
    for name, kind, default in [('d', int, 16), ('dff', int, 0), ('dk', int, 0), ('layers', int, 2), ('gamma', float, 0.5),
                                ('batch', int, 64), ('lr', float, 3e-3), ('lr_start', float, 3e-4), ('lr_end', float, 1e-4),
                                ('warmup', int, 50), ('wd', float, 0.01), ('clip', float, 1.0), ('steps', int, 600),
                                ('seed', int, 1), ('every', int, 50), ('log', str, '')]:
        ap.add_argument('--' + name.replace('_', '-'), dest=name, type=kind, default=default)
    a = ap.parse_args(argv)
    a.dff, a.dk = a.dff or 4 * a.d, a.dk or a.d
    torch.manual_seed(a.seed)
    net = Net(a.d, a.dff, a.dk, a.layers, a.gamma)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=a.wd)
    gen, test_gen = torch.Generator().manual_seed(1000 + a.seed), torch.Generator().manual_seed(7)
    seen, held = identity_sequences(test_gen, 1024, False), identity_sequences(test_gen, 1024, True)
    start, curve = time.time(), []
    for step in range(a.steps):
        for g in opt.param_groups:
            g['lr'] = lr_at(step, a)
        x, y, _ = identity_sequences(gen, a.batch, False)
        loss = torch.nn.functional.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
        opt.step()
        if (step + 1) % a.every == 0 or step + 1 == a.steps:
            with torch.no_grad():
                taps = []
                acc = (net(seen[0], taps).argmax(-1) == seen[1]).float().mean().item()
                acc_held = (net(held[0]).argmax(-1) == held[1]).float().mean().item()
                inner = seen[2] < T - 2  # the key before the last position: the broadcast is a real move
                a1, a2, q = taps[0][inner], taps[-1][inner], seen[2][inner]
                rows = torch.arange(len(q))
                shift = a1[rows, q + 1, q].mean().item()
                prev = a1[rows, q + 2, q + 1].mean().item()
                on_key = a2[rows, T - 1, q + 1].mean().item()
                on_anchor = a2[rows, T - 1, q].mean().item()
            curve.append([step + 1, round(acc, 3), round(acc_held, 3), round(shift, 3), round(on_key, 3), round(on_anchor, 3), round(prev, 3)])
            print(json.dumps(dict(step=step + 1, s=round(time.time() - start, 1), loss=round(loss.item(), 3), seen=curve[-1][1], held=curve[-1][2],
                                  l1_key_on_anchor=curve[-1][3], l2_last_on_key=curve[-1][4], l2_last_on_anchor=curve[-1][5], l1_after_key_on_key=curve[-1][6])), flush=True)
    if a.log:
        with open(a.log, 'a') as f:
            f.write(json.dumps(dict(task='identity', setting=vars(a), steps_per_s=round(a.steps / (time.time() - start), 1),
                                    curve_columns=['step', 'seen', 'held-out keys', 'L1 key->anchor', 'L2 last->key', 'L2 last->anchor', 'L1 key+1->key'], curve=curve)) + '\n')


if __name__ == '__main__':
    import sys

    if sys.argv[1:2] == ['curve']:
        curve(sys.argv[2:])
    elif sys.argv[1:2] == ['identity']:
        identity(sys.argv[2:])
    else:
        main()
