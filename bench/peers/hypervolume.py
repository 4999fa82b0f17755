"""Exact hypervolume of minimized points in two or three dimensions, for the
Optuna peers (optuna_nb201.py, optuna_multi.py): written apart from Bonsai's
own (core/multi/pareto.cpp), so the two sides do not share a bug.
"""


def hypervolume_2d(points, reference):
    inside = sorted(p for p in points if p[0] < reference[0] and p[1] < reference[1])
    volume, lowest = 0.0, reference[1]
    for f1, f2 in inside:
        if f2 < lowest:
            volume += (reference[0] - f1) * (lowest - f2)
            lowest = f2
    return volume


def hypervolume(points, reference):
    """Exact hypervolume of minimized points in 2 or 3 dimensions: in 3-D the
    2-D areas of the points below each slice of the last loss, summed."""
    inside = [p for p in points if all(v < r for v, r in zip(p, reference))]
    if len(reference) == 2:
        return hypervolume_2d(inside, reference)
    inside.sort(key=lambda p: p[2])
    volume = 0.0
    for i, p in enumerate(inside):
        top = inside[i + 1][2] if i + 1 < len(inside) else reference[2]
        if top > p[2]:
            volume += hypervolume_2d([q[:2] for q in inside[: i + 1]], reference[:2]) * (top - p[2])
    return volume
