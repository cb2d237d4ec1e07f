"""PyTorch CPU reference for the canonical F-Principle step: 1-200-200-100-1 tanh, 61 points, Adam, full batch.

Prints one JSON line: {"torch": version, "threads": n, "steps": N, "steps_per_s": r, "final_loss": l}.
"""
import json
import math
import sys
import time

import torch

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 500
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)
torch.manual_seed(1)

n = 61
x = torch.tensor([-math.pi + j * 2 * math.pi / n for j in range(n)], dtype=torch.float32).reshape(n, 1)
y = torch.sin(x) + torch.sin(3 * x) + torch.sin(5 * x)
sizes = [1, 200, 200, 100, 1]
layers = []
for i in range(len(sizes) - 1):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < len(sizes) - 2:
        layers.append(torch.nn.Tanh())
model = torch.nn.Sequential(*layers)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-4)


def train(count):
    for _ in range(count):
        optimizer.zero_grad()
        loss = torch.mean((model(x) - y) ** 2)
        loss.backward()
        optimizer.step()
    return loss.item()


train(20)  # warm-up
start = time.perf_counter()
final = train(steps)
elapsed = time.perf_counter() - start
print(json.dumps({"torch": torch.__version__, "threads": threads, "steps": steps, "steps_per_s": steps / elapsed, "final_loss": final}))
