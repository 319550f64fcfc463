#!/usr/bin/python3
"""The HiGHS reference of bench: solves one free MPS model (as written by
mutu_group_export, or `mutu export --mps`) with HiGHS through SciPy's
scipy.optimize.milp (Debian's python3-scipy: Debian 12 packages no `highs`
binary), and writes its answer in one line to OUT:

    optimal OBJ MS | infeasible MS | time_limit MS | other WHAT

MS is the time of milp() alone, in milliseconds (the interpreter and SciPy
take a few hundred milliseconds to start, which says nothing of HiGHS).
Usage: highs.py MODEL.mps max|min TIME_LIMIT_S OUT
"""
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


def read_mps(path):
    """Free MPS: ROWS, COLUMNS (with INTORG/INTEND markers), RHS, RANGES,
    BOUNDS.  Returns (obj row name, rows {name: (type, index)}, columns
    [names], coefficients, rhs, ranges, bounds, integer flags)."""
    rows, obj, cols, col_of = {}, None, [], {}
    coef, rhs, rng, lo, hi, integer = [], {}, {}, {}, {}, []
    section, in_int = None, False
    for raw in open(path):
        if raw.startswith("*") or not raw.strip():
            continue
        if not raw[0].isspace():
            section = raw.split()[0]
            continue
        f = raw.split()
        if section == "ROWS":
            if f[0] == "N" and obj is None:
                obj = f[1]
            elif f[0] != "N":
                rows[f[1]] = (f[0], len(rows))
        elif section == "COLUMNS":
            if len(f) >= 3 and f[1] == "'MARKER'":
                in_int = f[2] == "'INTORG'"
                continue
            if f[0] not in col_of:
                col_of[f[0]] = len(cols)
                cols.append(f[0])
                integer.append(in_int)
            j = col_of[f[0]]
            for r, v in zip(f[1::2], f[2::2]):
                coef.append((r, j, float(v)))
        elif section == "RHS":
            for r, v in zip(f[1::2], f[2::2]):
                rhs[r] = float(v)
        elif section == "RANGES":
            for r, v in zip(f[1::2], f[2::2]):
                rng[r] = float(v)
        elif section == "BOUNDS":
            kind, name = f[0], f[2]
            v = float(f[3]) if len(f) > 3 else 0.0
            j = col_of[name]
            if kind in ("UP", "UI"):
                hi[j] = v
            elif kind in ("LO", "LI"):
                lo[j] = v
            elif kind == "FX":
                lo[j] = hi[j] = v
            elif kind == "FR":
                lo[j], hi[j] = -np.inf, np.inf
            elif kind == "MI":
                lo[j] = -np.inf
            elif kind == "PL":
                hi[j] = np.inf
            elif kind == "BV":
                lo[j], hi[j] = 0.0, 1.0
                integer[j] = True
            else:
                raise ValueError("bound type " + kind)
    return obj, rows, cols, coef, rhs, rng, lo, hi, integer


def main():
    path, sense, limit, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    obj, rows, cols, coef, rhs, rng, lo, hi, integer = read_mps(path)
    n, m = len(cols), len(rows)
    c = np.zeros(n)
    ri, ci, vv = [], [], []
    for r, j, v in coef:
        if r == obj:
            c[j] += v
        else:
            ri.append(rows[r][1])
            ci.append(j)
            vv.append(v)
    rlo, rhi = np.full(m, -np.inf), np.full(m, np.inf)
    for name, (kind, i) in rows.items():
        b = rhs.get(name, 0.0)
        r = rng.get(name)
        if kind == "E":
            rlo[i] = rhi[i] = b
            if r is not None:
                rlo[i], rhi[i] = (b, b + r) if r > 0 else (b + r, b)
        elif kind == "L":
            rhi[i] = b
            if r is not None:
                rlo[i] = b - abs(r)
        elif kind == "G":
            rlo[i] = b
            if r is not None:
                rhi[i] = b + abs(r)
    blo = np.array([lo.get(j, 0.0) for j in range(n)])
    bhi = np.array([hi.get(j, np.inf) for j in range(n)])
    constant = -rhs.get(obj, 0.0)
    sign = -1.0 if sense == "max" else 1.0
    A = coo_matrix((vv, (ri, ci)), shape=(m, n)).tocsr()
    t0 = time.perf_counter()
    res = milp(sign * c, constraints=[LinearConstraint(A, rlo, rhi)] if m else [],
               integrality=np.array(integer, dtype=int), bounds=Bounds(blo, bhi),
               options={"time_limit": limit, "mip_rel_gap": 1e-9})
    ms = (time.perf_counter() - t0) * 1e3
    with open(out, "w") as f:
        if res.status == 0:
            f.write("optimal %.17g %.3f\n" % (sign * res.fun + constant, ms))
        elif res.status == 2:
            f.write("infeasible %.3f\n" % ms)
        elif res.status == 1:
            f.write("time_limit %.3f\n" % ms)
        else:
            f.write("other %s\n" % " ".join(str(res.message).split())[:140])


if __name__ == "__main__":
    main()
