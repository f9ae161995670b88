"""Shared by the JAX and PyTorch versions of ebm-lab's standard step (SPEC §5):
the data, the Y grid, the settings and the model file (`--save-model` JSON)."""
import json

import numpy as np

N, K = 100, 128
LR, MOMENTUM = 0.01, 0.9
MARGIN, RADIUS, BETA = 0.5, 0.3, 5.0
LOSSES = ["energy", "square-square", "nll", "hinge"]


def data(k=K):
    """Parabola, N evenly spaced x in [-1, 1] (both ends), y = x², and the Y grid
    of k values over [-0.5, 1.5]: computed in f64 and rounded to f32 as ebm-lab does."""
    xs = -1.0 + 2.0 * np.arange(N, dtype=np.float64) / (N - 1)
    ys = xs * xs
    grid = -0.5 + 2.0 * np.arange(k, dtype=np.float64) / (k - 1)
    return xs.astype(np.float32), ys.astype(np.float32), grid.astype(np.float32)


def load_model(path):
    """The dual model's layers as f32 arrays: [w1 (H×1), b1 (H), w2 (d×H), b2 (d)] per net."""
    with open(path) as f:
        m = json.load(f)
    if m["architecture"] != "dual" or m["cost"] != "l1":
        raise SystemExit("the comparison covers the standard step: dual, l1")
    nets = []
    for name in ("g1", "g2"):
        l1, l2 = m["nets"][name]
        nets += [np.array(l1["w"], np.float32), np.array(l1["b"], np.float32),
                 np.array(l2["w"], np.float32), np.array(l2["b"], np.float32)]
    return nets


def max_diff(a, b):
    return max(float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))))
               for x, y in zip(a, b))
