"""The standard step in JAX, jit-compiled: the same model, losses and SGD as
ebm-lab (src/model/objective.rs, loss.rs, optimizer.rs)."""
import jax
import jax.numpy as jnp

from common import BETA, LR, MARGIN, MOMENTUM, RADIUS


def mlp(p, v):
    w1, b1, w2, b2 = p
    h = jnp.tanh(v[:, None] * w1[:, 0][None, :] + b1[None, :])
    return h @ w2.T + b2[None, :]


def make_step(loss, xs, ys, grid):
    xs, ys, grid = jnp.asarray(xs), jnp.asarray(ys), jnp.asarray(grid)
    dy = (grid[-1] - grid[0]) / (grid.shape[0] - 1)
    eligible = jnp.abs(grid[None, :] - ys[:, None]) > RADIUS

    def objective(params):
        g1, g2 = params[:4], params[4:]
        a = mlp(g1, xs)
        e = jnp.sum(jnp.abs(a - mlp(g2, ys)), axis=1)
        if loss == "energy":
            return jnp.mean(e)
        rows = jnp.sum(jnp.abs(a[:, None, :] - mlp(g2, grid)[None, :, :]), axis=2)
        if loss == "nll":
            lse = jax.scipy.special.logsumexp(-BETA * rows, axis=1)
            return jnp.mean(e + (jnp.log(dy) + lse) / BETA)
        k = jnp.argmin(jnp.where(eligible, rows, jnp.inf), axis=1)  # no gradient through argmin
        e_bar = jnp.take_along_axis(rows, k[:, None], axis=1)[:, 0]
        if loss == "square-square":
            return jnp.mean(e * e + jnp.maximum(0.0, MARGIN - e_bar) ** 2)
        return jnp.mean(jnp.maximum(0.0, MARGIN + e - e_bar))  # hinge

    @jax.jit
    def step(params, vel):
        value, grads = jax.value_and_grad(objective)(params)
        vel = [MOMENTUM * v + g for v, g in zip(vel, grads)]
        params = [p - LR * v for p, v in zip(params, vel)]
        return params, vel, value

    return step


def run(loss, nets, xs, ys, grid, steps):
    step = make_step(loss, xs, ys, grid)
    params = [jnp.asarray(p) for p in nets]
    vel = [jnp.zeros_like(p) for p in params]
    for _ in range(steps):
        params, vel, _ = step(params, vel)
    return [jax.device_get(p) for p in params], step, (params, vel)


def timer(step, state):
    params, vel = state

    def once():
        nonlocal params, vel
        params, vel, value = step(params, vel)
        value.block_until_ready()
    return once
