#!/usr/bin/env python3
"""nnc beside the programs it replaces: numpy and PyTorch versions of the samples' training steps
and of Nielsen's whole recipe, each run right after nnc's in the same run, with the ratios.

    bench/peers.py steps [S2 S3 …]   # µs per step: `nnc bench` of each sample, numpy, PyTorch
    bench/peers.py nielsen    # end to end: `nnc train samples/nielsen/nielsen.nn` against
                              # Nielsen's numpy program (and PyTorch's), whole processes, median of 3
    bench/peers.py all

NNC_BENCH_ARGS adds options to each `nnc bench` (e.g. "--warmup 10000 --time 5000" on a loaded
machine, where a one-second warm-up ends before C2 has compiled the Vector API kernels).

The peers run on one thread (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS = 1,
torch.set_num_threads(1)), with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from their
environment only, so OpenBLAS picks its own kernels for this CPU. The peers run on Debian's
/usr/bin/python3 (apt-get install python3-numpy python3-torch) when it exists, else on the python
running this script (PEERS_PYTHON=... chooses); PyTorch columns are left empty without torch. The MNIST files of
scripts/fetch-mnist.sh must be in data/mnist. The internal commands `numpy-nielsen`,
`torch-nielsen`, `numpy-step SEED` and `torch-step SEED` are what the others run in child processes.
"""

import gzip
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "data", "mnist")

# sample file, batch rows, what the step is (the shapes nnc's generated class has)
SEEDS = {
    "S2": ("samples/cs231n/cs231n.nn", 200, "784-100-10 relu, softmax cross-entropy, l2"),
    "S3": ("samples/ng-ex4/ex4.nn", 5000, "784-25-10 sigmoid, binary cross-entropy, l2: the objective"),
    "S4": ("samples/pytorch-tutorial/tutorial.nn", 64, "1000-100-10 relu, no bias, squared error"),
    "S5": ("samples/nielsen/nielsen.nn", 10, "784-30-10 sigmoid, squared error"),
}

SEEDS_BATCH = {sample: n for sample, n, _ in SEEDS.values()}


def peer_python():
    """Debian's python3 (its python3-numpy and python3-torch) when present, else this one;
    PEERS_PYTHON=/path/to/python chooses another."""
    chosen = os.environ.get("PEERS_PYTHON")
    if chosen:
        return chosen
    if os.path.exists("/usr/bin/python3"):
        return "/usr/bin/python3"
    return sys.executable


def peer_env():
    env = dict(os.environ)
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(name, None)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    return env


def read_idx(name):
    with gzip.open(os.path.join(MNIST, name), "rb") as f:
        data = f.read()
    import numpy as np

    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    return array


def mnist():
    import numpy as np

    x = read_idx("mnist-train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64) / 255
    y = read_idx("mnist-train-labels-idx1-ubyte.gz").astype(np.int64)
    tx = read_idx("mnist-test-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64) / 255
    ty = read_idx("mnist-test-labels-idx1-ubyte.gz").astype(np.int64)
    return x, y, tx, ty


# ---------------------------------------------------------------------------------------------
# Nielsen's program in matrix form (network.py with the minibatch as one matrix): 784-30-10,
# sigmoid, quadratic cost, minibatches of 10 reshuffled each epoch, eta 3.0, 30 epochs, the test
# accuracy after every epoch, as samples/nielsen/nielsen.nn does.


def numpy_nielsen():
    import numpy as np

    x, y, tx, ty = mnist()
    rng = np.random.default_rng(1)
    w1 = rng.standard_normal((784, 30))
    b1 = rng.standard_normal(30)
    w2 = rng.standard_normal((30, 10))
    b2 = rng.standard_normal(10)
    onehot = np.eye(10)[y]
    eta, m = 3.0, 10
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))
    for epoch in range(30):
        order = rng.permutation(len(x))
        for s in range(0, len(x), m):
            idx = order[s : s + m]
            xb, tb = x[idx], onehot[idx]
            a1 = sig(xb @ w1 + b1)
            a2 = sig(a1 @ w2 + b2)
            d2 = (a2 - tb) * a2 * (1 - a2)
            d1 = (d2 @ w2.T) * a1 * (1 - a1)
            w2 -= (eta / m) * (a1.T @ d2)
            b2 -= (eta / m) * d2.sum(0)
            w1 -= (eta / m) * (xb.T @ d1)
            b1 -= (eta / m) * d1.sum(0)
        out = sig(sig(tx @ w1 + b1) @ w2 + b2)
        accuracy = (out.argmax(1) == ty).mean()
    print(f"numpy Nielsen: test accuracy {accuracy:.4f}")


def torch_nielsen():
    import numpy as np
    import torch

    torch.set_num_threads(1)
    x, y, tx, ty = (torch.from_numpy(a) for a in mnist())
    g = torch.Generator().manual_seed(1)
    w1 = torch.randn(784, 30, generator=g, dtype=torch.float64)
    b1 = torch.randn(30, generator=g, dtype=torch.float64)
    w2 = torch.randn(30, 10, generator=g, dtype=torch.float64)
    b2 = torch.randn(10, generator=g, dtype=torch.float64)
    onehot = torch.eye(10, dtype=torch.float64)[y]
    eta, m = 3.0, 10
    with torch.no_grad():
        for epoch in range(30):
            order = torch.randperm(len(x), generator=g)
            for s in range(0, len(x), m):
                idx = order[s : s + m]
                xb, tb = x[idx], onehot[idx]
                a1 = torch.sigmoid(xb @ w1 + b1)
                a2 = torch.sigmoid(a1 @ w2 + b2)
                d2 = (a2 - tb) * a2 * (1 - a2)
                d1 = (d2 @ w2.T) * a1 * (1 - a1)
                w2 -= (eta / m) * (a1.T @ d2)
                b2 -= (eta / m) * d2.sum(0)
                w1 -= (eta / m) * (xb.T @ d1)
                b1 -= (eta / m) * d1.sum(0)
            out = torch.sigmoid(torch.sigmoid(tx @ w1 + b1) @ w2 + b2)
            accuracy = (out.argmax(1) == ty).double().mean().item()
    print(f"PyTorch Nielsen: test accuracy {accuracy:.4f}")


# ---------------------------------------------------------------------------------------------
# One training step of each sample, written as a numpy user would (forward, the δ, the gradients,
# the SGD update; S3: the objective and its gradient, what CG calls).


def numpy_step_fn(seed, np, dtype):
    rng = np.random.default_rng(0)
    _, n, _ = SEEDS[seed]
    if seed == "S2":
        x = rng.random((n, 784)).astype(dtype)
        y = rng.integers(0, 10, n)
        w1 = (rng.standard_normal((784, 100)) * 1e-4).astype(dtype)
        b1 = np.zeros(100, dtype)
        w2 = (rng.standard_normal((100, 10)) * 1e-4).astype(dtype)
        b2 = np.zeros(10, dtype)
        reg, lr = 1e-4, 0.5

        def step():
            nonlocal w1, b1, w2, b2
            h = np.maximum(x @ w1 + b1, 0)
            s = h @ w2 + b2
            s = s - s.max(1, keepdims=True)
            p = np.exp(s)
            p /= p.sum(1, keepdims=True)
            ds = p
            ds[np.arange(n), y] -= 1
            ds /= n
            dw2 = h.T @ ds + 2 * reg * w2
            db2 = ds.sum(0)
            dh = ds @ w2.T
            dh[h <= 0] = 0
            dw1 = x.T @ dh + 2 * reg * w1
            db1 = dh.sum(0)
            w1 -= lr * dw1
            b1 -= lr * db1
            w2 -= lr * dw2
            b2 -= lr * db2

        return step
    if seed == "S3":
        x = rng.random((n, 784)).astype(dtype)
        t = np.eye(10, dtype=dtype)[rng.integers(0, 10, n)]
        w1 = ((rng.random((784, 25)) - 0.5) * 0.24).astype(dtype)
        b1 = np.zeros(25, dtype)
        w2 = ((rng.random((25, 10)) - 0.5) * 0.24).astype(dtype)
        b2 = np.zeros(10, dtype)
        lam = 1.0

        def step():
            a1 = 1 / (1 + np.exp(-(x @ w1 + b1)))
            z2 = a1 @ w2 + b2
            a2 = 1 / (1 + np.exp(-z2))
            j = (np.logaddexp(0, z2) - t * z2).sum() / n
            j += lam / (2 * n) * ((w1 * w1).sum() + (w2 * w2).sum())
            d2 = (a2 - t) / n
            dw2 = a1.T @ d2 + lam / n * w2
            db2 = d2.sum(0)
            d1 = (d2 @ w2.T) * a1 * (1 - a1)
            dw1 = x.T @ d1 + lam / n * w1
            db1 = d1.sum(0)
            return j, dw1, db1, dw2, db2

        return step
    if seed == "S4":
        x = rng.standard_normal((n, 1000)).astype(dtype)
        t = rng.standard_normal((n, 10)).astype(dtype)
        w1 = rng.standard_normal((1000, 100)).astype(dtype)
        w2 = rng.standard_normal((100, 10)).astype(dtype)
        lr = 1e-6

        def step():
            nonlocal w1, w2
            h = x @ w1
            hr = np.maximum(h, 0)
            yp = hr @ w2
            dy = 2 * (yp - t)
            dw2 = hr.T @ dy
            dh = dy @ w2.T
            dh[h < 0] = 0
            dw1 = x.T @ dh
            w1 -= lr * dw1
            w2 -= lr * dw2

        return step
    # S5
    x = rng.random((n, 784)).astype(dtype)
    t = np.eye(10, dtype=dtype)[rng.integers(0, 10, n)]
    w1 = rng.standard_normal((784, 30)).astype(dtype)
    b1 = rng.standard_normal(30).astype(dtype)
    w2 = rng.standard_normal((30, 10)).astype(dtype)
    b2 = rng.standard_normal(10).astype(dtype)
    eta = 3.0

    def step():
        nonlocal w1, b1, w2, b2
        a1 = 1 / (1 + np.exp(-(x @ w1 + b1)))
        a2 = 1 / (1 + np.exp(-(a1 @ w2 + b2)))
        d2 = (a2 - t) * a2 * (1 - a2)
        d1 = (d2 @ w2.T) * a1 * (1 - a1)
        w2 -= (eta / n) * (a1.T @ d2)
        b2 -= (eta / n) * d2.sum(0)
        w1 -= (eta / n) * (x.T @ d1)
        b1 -= (eta / n) * d1.sum(0)

    return step


def time_step(step, sync=lambda: None):
    """Best µs per step over 5 rounds of about 0.4 s each (the minimum, as nnc's bench reports)."""
    for _ in range(20):
        step()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            step()
        sync()
        if time.perf_counter() - start > 0.05:
            break
        calls *= 2
    calls = max(1, int(calls * 0.4 / (time.perf_counter() - start)))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        sync()
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1e6


def numpy_step(seed):
    import numpy as np

    for name, dtype in (("f64", np.float64), ("f32", np.float32)):
        print(f"{seed} {name} {time_step(numpy_step_fn(seed, np, dtype)):.3f}")


def torch_step(seed):
    import numpy as np
    import torch

    torch.set_num_threads(1)

    for name, dtype in (("f64", torch.float64), ("f32", torch.float32)):
        step = torch_step_fn(seed, torch, dtype)
        with torch.no_grad():
            print(f"{seed} {name} {time_step(step):.3f}")


def torch_step_fn(seed, torch, dtype):
    g = torch.Generator().manual_seed(0)
    _, n, _ = SEEDS[seed]
    r = lambda *s: torch.rand(*s, generator=g, dtype=dtype)
    rn = lambda *s: torch.randn(*s, generator=g, dtype=dtype)
    if seed == "S2":
        x, y = r(n, 784), torch.randint(0, 10, (n,), generator=g)
        w1, b1, w2, b2 = rn(784, 100) * 1e-4, torch.zeros(100, dtype=dtype), rn(100, 10) * 1e-4, torch.zeros(10, dtype=dtype)
        reg, lr = 1e-4, 0.5
        rows = torch.arange(n)

        def step():
            h = torch.relu(x @ w1 + b1)
            p = torch.softmax(h @ w2 + b2, 1)
            p[rows, y] -= 1
            p /= n
            dw2 = h.T @ p + 2 * reg * w2
            dh = p @ w2.T
            dh[h <= 0] = 0
            dw1 = x.T @ dh + 2 * reg * w1
            w1.sub_(lr * dw1)
            b1.sub_(lr * dh.sum(0))
            w2.sub_(lr * dw2)
            b2.sub_(lr * p.sum(0))

        return step
    if seed == "S3":
        x = r(n, 784)
        t = torch.eye(10, dtype=dtype)[torch.randint(0, 10, (n,), generator=g)]
        w1, b1, w2, b2 = (r(784, 25) - 0.5) * 0.24, torch.zeros(25, dtype=dtype), (r(25, 10) - 0.5) * 0.24, torch.zeros(10, dtype=dtype)

        def step():
            a1 = torch.sigmoid(x @ w1 + b1)
            z2 = a1 @ w2 + b2
            a2 = torch.sigmoid(z2)
            j = (torch.nn.functional.softplus(z2) - t * z2).sum() / n
            j = j + 1 / (2 * n) * ((w1 * w1).sum() + (w2 * w2).sum())
            d2 = (a2 - t) / n
            dw2 = a1.T @ d2 + w2 / n
            d1 = (d2 @ w2.T) * a1 * (1 - a1)
            dw1 = x.T @ d1 + w1 / n
            return j, dw1, d1.sum(0), dw2, d2.sum(0)

        return step
    if seed == "S4":
        x, t = rn(n, 1000), rn(n, 10)
        w1, w2 = rn(1000, 100), rn(100, 10)
        lr = 1e-6

        def step():
            h = x @ w1
            hr = h.clamp(min=0)
            dy = 2 * (hr @ w2 - t)
            dw2 = hr.T @ dy
            dh = dy @ w2.T
            dh[h < 0] = 0
            w1.sub_(lr * (x.T @ dh))
            w2.sub_(lr * dw2)

        return step
    x = r(n, 784)
    t = torch.eye(10, dtype=dtype)[torch.randint(0, 10, (n,), generator=g)]
    w1, b1, w2, b2 = rn(784, 30), rn(30), rn(30, 10), rn(10)
    eta = 3.0

    def step():
        a1 = torch.sigmoid(x @ w1 + b1)
        a2 = torch.sigmoid(a1 @ w2 + b2)
        d2 = (a2 - t) * a2 * (1 - a2)
        d1 = (d2 @ w2.T) * a1 * (1 - a1)
        w2.sub_((eta / n) * (a1.T @ d2))
        b2.sub_((eta / n) * d2.sum(0))
        w1.sub_((eta / n) * (x.T @ d1))
        b1.sub_((eta / n) * d1.sum(0))

    return step


# ---------------------------------------------------------------------------------------------
# The drivers


def have(module):
    return subprocess.run([peer_python(), "-c", f"import {module}"], capture_output=True).returncode == 0


def run_peer(*args):
    out = subprocess.run(
        [peer_python(), os.path.abspath(__file__), *args],
        env=peer_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {tuple(line.split()[:2]): float(line.split()[2]) for line in out.splitlines() if line.strip()}


def nnc_step(sample, precision):
    """µs per step from `nnc bench` (the generated class; best of its timed window)."""
    text = sample
    if precision == "f32":
        with open(os.path.join(ROOT, sample)) as f:
            source = f.read()
        text = os.path.join(os.path.dirname(sample), "_bench_f32.nn")
        with open(os.path.join(ROOT, text), "w") as f:
            f.write(re.sub(r"(network \w+ \{)", r"\1\n    precision float", source, count=1))
    try:
        out = subprocess.run(
            # one thread, as the peers are run (the 1/2-thread ratio is ParallelStepBenchmark's)
            [os.path.join(ROOT, "nnc"), "bench", text, "--batch", str(SEEDS_BATCH[sample]),
             "--threads", "1"]
            + os.environ.get("NNC_BENCH_ARGS", "").split(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        if text != sample:
            os.remove(os.path.join(ROOT, text))
    match = re.search(r"generated\s.*?([\d,.]+) µs/step", out)
    return float(match.group(1).replace(",", ""))


def steps(only=()):
    torch = have("torch")
    print(f"per step, µs (lower is better); load average {os.getloadavg()[0]:.2f} at the start")
    print(f"{'seed':<5}{'prec':<5}{'nnc':>12}{'numpy':>12}{'PyTorch':>12}{'numpy/nnc':>11}{'torch/nnc':>11}")
    for seed, (sample, _, what) in SEEDS.items():
        if only and seed not in only:
            continue
        for precision in ("f64", "f32"):
            nnc = nnc_step(sample, precision)
            numpy = run_peer("numpy-step", seed)[(seed, precision)]
            pt = run_peer("torch-step", seed)[(seed, precision)] if torch else float("nan")
            print(
                f"{seed:<5}{precision:<5}{nnc:>12,.1f}{numpy:>12,.1f}{pt:>12,.1f}"
                f"{numpy / nnc:>10.2f}x{pt / nnc:>10.2f}x"
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


def timed(command, env=None):
    start = time.perf_counter()
    cpu0 = os.times()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    cpu1 = os.times()
    return time.perf_counter() - start, (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)


def nielsen():
    nnc = [os.path.join(ROOT, "nnc"), "train", "samples/nielsen/nielsen.nn", "--plot", "none", "--out", os.path.join(ROOT, "runs", "bench-nielsen")]
    subprocess.run(nnc + ["--epochs", "1"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # build, cache
    rows = [("nnc train samples/nielsen/nielsen.nn --plot none", nnc, None)]
    rows.append(("bench/peers.py numpy-nielsen (numpy, OpenBLAS, 1 thread)", [peer_python(), os.path.abspath(__file__), "numpy-nielsen"], peer_env()))
    if have("torch"):
        rows.append(("bench/peers.py torch-nielsen (PyTorch, 1 thread)", [peer_python(), os.path.abspath(__file__), "torch-nielsen"], peer_env()))
    print(f"Nielsen end to end, median of 3 whole processes; load average {os.getloadavg()[0]:.2f} at the start")
    results = []
    for label, command, env in rows:
        runs = [timed(command, env) for _ in range(3)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        results.append((label, wall, cpu))
    base = results[0][1]
    for label, wall, cpu in results:
        print(f"{label:<62}{wall:>8.2f} s wall{cpu:>8.2f} s CPU{wall / base:>8.2f}x nnc's wall")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


def main(args):
    what = args[0] if args else "all"
    if what == "numpy-nielsen":
        numpy_nielsen()
    elif what == "torch-nielsen":
        torch_nielsen()
    elif what == "numpy-step":
        numpy_step(args[1])
    elif what == "torch-step":
        torch_step(args[1])
    elif what == "steps":
        steps(args[1:])
    elif what == "nielsen":
        nielsen()
    elif what == "all":
        nielsen()
        steps()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
