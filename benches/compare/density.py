"""ebm-lab's contrastive-divergence step of the 2-D energy density against JAX
(jit), one thread each: checks that the two models give the same energy surface
from ebm-lab's initial weights, then prints µs per CD step and the ratio.
Started by run.sh (which sets the threads); needs no PyTorch."""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

import jax
import jax_density as jd
from compare import per_call_us


def agreement_tolerance(e_rust):
    return 1e-3 * (1.0 + float(np.max(np.abs(e_rust))))


def ebm_model(binary, work):
    """ebm-lab's initial density model and its energy surface: (params, y (N×2),
    E (N)), or a one-line reason why ebm-lab could not give them."""
    model = os.path.join(work, "density-init.json")
    surface = os.path.join(work, "density-surface.csv")
    runs = [["density", "--preset", "density-cd", "--steps", "0", "--save-model", model],
            ["density", "--load-model", model, "--steps", "0", "--surface-csv", surface]]
    for args in runs:
        try:
            r = subprocess.run([binary, *args], capture_output=True, text=True)
        except OSError as e:
            return f"cannot run {binary}: {e.strerror}"
        if r.returncode != 0:
            first = (r.stderr.strip().splitlines() or ["(no message)"])[0]
            return f"`ebm-lab {' '.join(args[:3])}` failed: {first}"
    with open(model) as f:
        m = json.load(f)
    params = np.array(m["params"], np.float32)
    if m.get("architecture") != "density-mlp" or m.get("hidden") != jd.H \
            or params.size != jd.n_params():
        return (f"ebm-lab's model is {m.get('architecture')} with {m.get('hidden')} hidden "
                f"and {params.size} params; the JAX side is density-mlp, {jd.H}, {jd.n_params()}")
    s = np.genfromtxt(surface, delimiter=",", names=True, dtype=np.float64)
    y = np.stack([s["y1"], s["y2"]], axis=1).astype(np.float32)
    return params, y, s["F"]  # the plane's CSV names the energy F (y1,y2,F)


def bench_us(binary):
    """ebm-lab's `density_cd_us` bench row, or None."""
    try:
        r = subprocess.run([binary, "bench", "--json"], capture_output=True, text=True)
        return json.loads(r.stdout).get("density_cd_us") if r.returncode == 0 else None
    except (OSError, ValueError):
        return None


def load_points(path):
    """A `y1,y2` CSV with header → (N×2) f32."""
    s = np.genfromtxt(path, delimiter=",", names=True, dtype=np.float64)
    return np.stack([s["y1"], s["y2"]], axis=1).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ebm", required=True, help="the ebm-lab binary")
    ap.add_argument("--work", required=True, help="a scratch directory")
    ap.add_argument("--data", help="a y1,y2 CSV of the B data points "
                    "(default: an eight-gaussians sample; the values don't change the speed)")
    ap.add_argument("--budget", type=float, default=1.0, help="seconds per measurement")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    ok = True
    got = ebm_model(args.ebm, args.work)
    if isinstance(got, str):
        print(f"ebm-lab gave no density model ({got}): no agreement check, JAX timing only")
        params = jd.init_params()
    else:
        params, y, e_rust = got
        e_jax = np.asarray(jd.energy_fn()(params, y), np.float64)
        diff, tol = float(np.max(np.abs(e_jax - e_rust))), agreement_tolerance(e_rust)
        ok = diff <= tol
        print(f"energy surface ({len(y)} points) from ebm-lab's weights: max |E_jax − E_ebm| "
              f"= {diff:.1e}, " + ("agree" if ok else "DISAGREE") + f" (tolerance {tol:.1e})")

    data = load_points(args.data) if args.data else jd.eight_gaussians()
    if data.shape != (jd.B, 2):
        raise SystemExit(f"{args.data}: {data.shape[0]} points, the step takes {jd.B}")
    step = jd.make_step(data)
    jax_us = per_call_us(jd.timer(step, jd.init_state(params)), args.budget)
    ebm_us = bench_us(args.ebm)

    print(f"density CD step, one thread: H={jd.H}, B={jd.B}, {jd.CHAINS} persistent chains "
          f"({jd.RESTART:.0%} restarted), T={jd.LANGEVIN_STEPS} Langevin steps, Adam "
          f"(jax {jax.__version__})")
    print(f"{'':<10}{'µs/step':>10}{'×':>7}")
    if ebm_us is None:
        print("ebm-lab has no density_cd_us row")
        print(f"{'jax':<10}{jax_us:>10.1f}")
    else:
        print(f"{'ebm-lab':<10}{ebm_us:>10.1f}{1.0:>7.1f}")
        print(f"{'jax':<10}{jax_us:>10.1f}{jax_us / ebm_us:>7.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
