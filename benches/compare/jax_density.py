"""One contrastive-divergence (CD) step of ebm-lab's 2-D energy density in JAX,
jit-compiled: the same model, persistent Langevin chains, loss and Adam as
ebm-lab's `density --preset density-cd` and its `density_cd_us` bench row.

Model: E(y) = w3 · silu(W2 silu(W1 y + b1) + b2) + b3 for y in R², H hidden
units, f32, its parameters one flat vector in ebm-lab's order (see `unflatten`).
Step: restart 5 % of the 256 chains from uniform noise over the box, T Langevin
steps on all of them (clamped to the box after each), the loss
    L = mean_data E − mean_neg E + α (mean_data E² + mean_neg E²)
with no gradient through the chains, and one Adam update.

Standalone, it times the step: `python jax_density.py [--langevin-steps T]`
(run.sh's thread settings and `taskset -c 0` for a one-thread figure)."""
import argparse

import jax
import jax.numpy as jnp
import numpy as np

H = 64                    # hidden units
B = 256                   # data points (fixed during the benchmark)
CHAINS = 256              # persistent negative chains
BOX = 4.0                 # chains live in [-BOX, BOX]²
RESTART = 0.05            # share of the chains restarted from noise each step
LANGEVIN_STEPS = 20       # T
EPS, BETA = 0.1, 1.0      # Langevin step size and inverse temperature
ALPHA = 0.1               # weight of the energy regulariser
LR, BETA1, BETA2, ADAM_EPS = 1e-3, 0.9, 0.999, 1e-8


def n_params(h=H):
    """W1 (h×2), b1 (h), W2 (h×h), b2 (h), w3 (h), b3 (1)."""
    return 2 * h + h + h * h + h + h + 1


def unflatten(p, h=H):
    """ebm-lab's flat order, row-major: W1[j][i] at j·2+i, then b1, W2[j][k]
    (output j, input k) at j·h+k, then b2, w3, b3."""
    sizes = [2 * h, h, h * h, h, h, 1]
    offs = np.cumsum([0] + sizes)
    w1, b1, w2, b2, w3, b3 = (p[offs[i]:offs[i + 1]] for i in range(6))
    return w1.reshape(h, 2), b1, w2.reshape(h, h), b2, w3, b3[0]


def energy(p, y):
    """E for a batch of points y (N×2) → (N,)."""
    w1, b1, w2, b2, w3, b3 = unflatten(p)
    h1 = jax.nn.silu(y @ w1.T + b1)
    h2 = jax.nn.silu(h1 @ w2.T + b2)
    return h2 @ w3 + b3


def init_params(seed=0, h=H):
    """PyTorch-style U(±1/√fan_in) weights and biases: for timing without
    ebm-lab's model file (the values don't matter to the speed)."""
    rng = np.random.default_rng(seed)
    u = lambda fan_in, n: rng.uniform(-1, 1, n) / np.sqrt(fan_in)
    p = np.concatenate([u(2, 2 * h), u(2, h), u(h, h * h), u(h, h), u(h, h), u(h, 1)])
    return p.astype(np.float32)


def eight_gaussians(n=B, seed=0):
    """n points from eight Gaussians (std 0.5) at radius 2√2 around the origin."""
    rng = np.random.default_rng(seed)
    r, d = 2.83, 2.0
    centres = np.array([(r, 0), (-r, 0), (0, r), (0, -r), (d, d), (d, -d), (-d, d), (-d, -d)])
    pts = centres[rng.integers(0, 8, n)] + 0.5 * rng.standard_normal((n, 2))
    return pts.astype(np.float32)


def make_step(data, langevin_steps=LANGEVIN_STEPS):
    """The whole CD step as one jitted function
    (params, m, v, t, buffer, key) → (params, m, v, t, buffer, key, loss);
    the argument arrays are donated, so the state is updated in place."""
    data = jnp.asarray(data, jnp.float32)
    n_restart = round(RESTART * CHAINS)                # 13 of 256
    drift = 0.5 * EPS * EPS * BETA
    # ∂E/∂y for every chain at once: E of one chain doesn't depend on another.
    grad_y = jax.grad(lambda p, y: energy(p, y).sum(), argnums=1)

    def loss_fn(p, neg):
        # Data and negatives in one batch: one pass through the MLP.
        e = energy(p, jnp.concatenate([data, neg]))
        e_pos, e_neg = e[:B], e[B:]
        return (e_pos.mean() - e_neg.mean()
                + ALPHA * (jnp.mean(e_pos * e_pos) + jnp.mean(e_neg * e_neg)))

    def langevin(p, y, noise):
        def one(y, xi):
            y = y - drift * grad_y(p, y) + EPS * xi
            return jnp.clip(y, -BOX, BOX), None
        return jax.lax.scan(one, y, noise)[0]

    def step(p, m, v, t, buf, key):
        key, k_pick, k_start, k_noise = jax.random.split(key, 4)
        # Restart a random 5 % of the chains from uniform noise over the box:
        # the 13 largest of 256 uniform draws are 13 distinct chains, uniformly
        # chosen; top_k is ~70 µs faster here than random.choice(replace=False).
        pick = jax.lax.top_k(jax.random.uniform(k_pick, (CHAINS,)), n_restart)[1]
        fresh = jax.random.uniform(k_start, (n_restart, 2), jnp.float32, -BOX, BOX)
        buf = buf.at[pick].set(fresh)
        # T Langevin steps on all chains, the noise drawn up front.
        noise = jax.random.normal(k_noise, (langevin_steps, CHAINS, 2), jnp.float32)
        buf = jax.lax.stop_gradient(langevin(p, buf, noise))
        # Loss gradient and Adam (bias-corrected).
        loss, g = jax.value_and_grad(loss_fn)(p, buf)
        t = t + 1
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g * g
        tf = t.astype(jnp.float32)
        m_hat = m / (1 - BETA1 ** tf)
        v_hat = v / (1 - BETA2 ** tf)
        p = p - LR * m_hat / (jnp.sqrt(v_hat) + ADAM_EPS)
        return p, m, v, t, buf, key, loss

    return jax.jit(step, donate_argnums=(0, 1, 2, 3, 4, 5))


def init_state(params, seed=0):
    """Adam's zero moments, step 0, and the chains uniform over the box."""
    p = jnp.asarray(params, jnp.float32)
    key, k_buf = jax.random.split(jax.random.PRNGKey(seed))
    buf = jax.random.uniform(k_buf, (CHAINS, 2), jnp.float32, -BOX, BOX)
    return (p, jnp.zeros_like(p), jnp.zeros_like(p), jnp.zeros((), jnp.int32), buf, key)


def timer(step, state):
    """One call = one CD step, waited for."""
    def once():
        nonlocal state
        *state, loss = step(*state)
        loss.block_until_ready()
    return once


def energy_fn():
    """E on a batch of points, jitted: for the agreement check with ebm-lab."""
    return jax.jit(energy)


def main():
    from compare import per_call_us

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--langevin-steps", type=int, default=LANGEVIN_STEPS, help="T")
    ap.add_argument("--budget", type=float, default=1.0, help="seconds per measurement")
    args = ap.parse_args()
    step = make_step(eight_gaussians(), args.langevin_steps)
    us = per_call_us(timer(step, init_state(init_params())), args.budget)
    print(f"jax {jax.__version__}: {us:.1f} µs per CD step "
          f"(H={H}, B={B}, {CHAINS} chains, T={args.langevin_steps}), one thread")


if __name__ == "__main__":
    main()
