"""The standard step in PyTorch, eager: the same model, losses and SGD
(torch.optim.SGD with momentum has ebm-lab's update rule)."""
import math

import torch

from common import BETA, LR, MARGIN, MOMENTUM, RADIUS


def mlp(p, v):
    w1, b1, w2, b2 = p
    return torch.tanh(v[:, None] @ w1.T + b1) @ w2.T + b2


def make(loss, nets, xs, ys, grid):
    params = [torch.tensor(p, requires_grad=True) for p in nets]
    opt = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    xs, ys, grid = torch.tensor(xs), torch.tensor(ys), torch.tensor(grid)
    log_dy = math.log(float(grid[-1] - grid[0]) / (grid.shape[0] - 1))
    eligible = (grid[None, :] - ys[:, None]).abs() > RADIUS

    def step():
        opt.zero_grad()
        g1, g2 = params[:4], params[4:]
        a = mlp(g1, xs)
        e = (a - mlp(g2, ys)).abs().sum(1)
        if loss == "energy":
            value = e.mean()
        else:
            rows = (a[:, None, :] - mlp(g2, grid)[None, :, :]).abs().sum(2)
            if loss == "nll":
                value = (e + (log_dy + torch.logsumexp(-BETA * rows, 1)) / BETA).mean()
            else:
                masked = torch.where(eligible, rows, torch.full_like(rows, math.inf))
                k = masked.detach().argmin(1)
                e_bar = rows.gather(1, k[:, None])[:, 0]
                if loss == "square-square":
                    value = (e * e + torch.clamp(MARGIN - e_bar, min=0.0) ** 2).mean()
                else:
                    value = torch.clamp(MARGIN + e - e_bar, min=0.0).mean()
        value.backward()
        opt.step()
        return value

    return params, step


def run(loss, nets, xs, ys, grid, steps):
    params, step = make(loss, nets, xs, ys, grid)
    for _ in range(steps):
        step()
    return [p.detach().numpy().copy() for p in params], step
