"""PyTorch CPU reference for the CPU step (cpuStep.ts): the networks of reference.ts, built identically here
(1-w-w-(w/2)-1 tanh, Adam, full batch on sin x + sin 3x + sin 5x at n points, the same float32 initial weights).

  serve     prints one JSON line on torch and the BLAS it runs on, then answers each input line
            {"width": w, "points": n, "steps": s} with {"steps": s, "cpu_s": ..., "wall_s": ...}
  curve S   prints the canonical network's loss before each of its first S steps (torch_adam_curve.json)
  rounding S  how far one float32 rounding changed moves that curve within S steps: one initial weight a unit in
            the last place up, tanh correctly rounded (in double), the products or the loss in double

One thread: the caller sets OPENBLAS_NUM_THREADS (read when the library loads); torch's own pool is set here.
"""
import ctypes
import json
import math
import os
import sys
import time

import torch

torch.set_num_threads(1)
LR = 2e-4


def reference_data(points):
    xs = [-math.pi + j * 2 * math.pi / points for j in range(points)]
    x = torch.tensor(xs, dtype=torch.float32).reshape(points, 1)
    y = torch.tensor([math.sin(v) + math.sin(3 * v) + math.sin(5 * v) for v in xs], dtype=torch.float32).reshape(points, 1)
    return x, y


def reference_model(width):
    """reference.ts' referenceParams: xorshift32, weights ([fanIn, fanOut] row-major) then bias per layer."""
    state = 2463534242
    mask = 0xFFFFFFFF

    def uniform(bound):
        nonlocal state
        state ^= (state << 13) & mask
        state ^= state >> 17
        state ^= (state << 5) & mask
        return (2 * (state / 2**32) - 1) * bound

    sizes = [1, width, width, width // 2, 1]
    layers = []
    for i in range(len(sizes) - 1):
        fan_in, fan_out = sizes[i], sizes[i + 1]
        bound = 1 / math.sqrt(fan_in)
        linear = torch.nn.Linear(fan_in, fan_out)
        weights = [uniform(bound) for _ in range(fan_in * fan_out)]
        bias = [uniform(bound) for _ in range(fan_out)]
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float32).reshape(fan_in, fan_out).t())
            linear.bias.copy_(torch.tensor(bias, dtype=torch.float32))
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


class Run:
    def __init__(self, width, points, change=None):
        self.x, self.y = reference_data(points)
        self.model = reference_model(width)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=LR)
        self.forward, self.loss64 = self.model, change == 'loss in double'
        if change == 'one weight 1 ulp':
            with torch.no_grad():
                weight = self.model[0].weight
                weight[0, 0] = torch.nextafter(weight[0, 0], torch.tensor(2.0))
        elif change in ('tanh in double', 'products in double'):
            self.forward = torch.nn.Sequential(*[InDouble(m) if type(m) is InDouble.KINDS[change] else m for m in self.model])

    def step(self):
        self.optimizer.zero_grad()
        out = self.forward(self.x)
        loss = torch.mean((out.double() - self.y.double()) ** 2) if self.loss64 else torch.mean((out - self.y) ** 2)
        loss.backward()
        self.optimizer.step()
        return out.detach()


class InDouble(torch.nn.Module):
    """A layer computed in double and rounded once to float32 (tanh correctly rounded; a product's sums too)."""
    KINDS = {'tanh in double': torch.nn.Tanh, 'products in double': torch.nn.Linear}

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module.double()(x.double()).float() if isinstance(self.module, torch.nn.Tanh) else torch.nn.functional.linear(
            x.double(), self.module.weight.double(), self.module.bias.double()).float()


def blas():
    """The BLAS this process loaded, from its memory map: OpenBLAS names its version and core type itself."""
    with open('/proc/self/maps') as maps:
        paths = sorted({line.split()[-1] for line in maps if 'blas' in os.path.basename(line.split()[-1])})
    for path in paths:
        lib = ctypes.CDLL(path)
        if hasattr(lib, 'openblas_get_corename'):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return {'name': 'OpenBLAS', 'optimized': True, 'core': lib.openblas_get_corename().decode(), 'config': lib.openblas_get_config().decode(), 'path': path}
    optimized = any(name in path for path in paths for name in ('mkl', 'blis', 'atlas'))
    return {'name': 'reference BLAS' if any('/blas/' in p for p in paths) else 'unknown BLAS', 'optimized': optimized, 'core': None, 'config': None, 'path': ', '.join(paths)}


def products(shapes, rounds):
    """CPU seconds for `rounds` rounds of the products [m, k, n, transposeA] (float32; a transposed left operand as a view)."""
    pairs = [((torch.rand(k, m).t() if transposed else torch.rand(m, k)), torch.rand(k, n)) for m, k, n, transposed in shapes]
    cpu = time.process_time()
    for _ in range(rounds):
        for a, b in pairs:
            torch.mm(a, b)
    return time.process_time() - cpu


def serve():
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas()}), flush=True)
    runs = {}
    for line in sys.stdin:
        request = json.loads(line)
        if 'products' in request:
            print(json.dumps({'cpu_s': products(request['products'], request['rounds'])}), flush=True)
            continue
        key = (request['width'], request['points'])
        if key not in runs:
            runs[key] = Run(*key)
            for _ in range(5):  # warm-up: allocations, first-call dispatch
                runs[key].step()
        run, steps = runs[key], request['steps']
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(steps):
            run.step()
        print(json.dumps({'steps': steps, 'cpu_s': time.process_time() - cpu, 'wall_s': time.perf_counter() - wall}), flush=True)


def losses(steps, change=None):
    run = Run(200, 61, change)
    y = run.y.double()
    # Each loss in double from the float32 outputs, so the reduction's rounding is not part of the comparison.
    return [torch.mean((run.step().double() - y) ** 2).item() for _ in range(steps)]


def curve(steps):
    print(json.dumps({'torch': torch.__version__, 'blas': blas(), 'network': '1-200-200-100-1 tanh, 61 points, Adam lr 2e-4 (reference.ts)', 'losses': losses(steps)}))


def rounding(steps):
    plain = losses(steps)
    for change in ['one weight 1 ulp', 'tanh in double', 'products in double', 'loss in double']:
        changed = losses(steps, change)
        worst = [max(abs(a - b) / b for a, b in zip(changed[:n], plain[:n])) for n in (steps // 2, steps)]
        print(f'{change}: largest relative difference {worst[0]:.2e} over the first {steps // 2} steps, {worst[1]:.2e} over {steps}', flush=True)


if __name__ == '__main__':
    {'serve': serve, 'curve': lambda: curve(int(sys.argv[2])), 'rounding': lambda: rounding(int(sys.argv[2]))}[sys.argv[1]]()
