"""Small-number suppression for anonymised exports, as the ONS and the DfE publish statistics:
counts from 1 to 5 are shown as "fewer than 6" (primary suppression), and further cells are
withheld (complementary suppression) until no hidden count can be worked out from the shown
cells and the total.

What a reader knows is modelled exactly: a cell shown as "fewer than 6" holds 1 to 5; a
withheld cell holds 6 or more (every smaller count is already "fewer than 6"); the hidden cells
add up to the total less the shown ones. A hidden cell is safe when at least two values fit."""

HIDDEN = "fewer than {threshold}"
WITHHELD = "withheld"


def suppress(rows: list[tuple[str, int]], *, threshold: int = 6) -> tuple[list, object]:
    """Rows of (label, count) → rows of (label, shown) and the total as shown."""
    counts = [count for _, count in rows]
    primary = {i for i, count in enumerate(counts) if 0 < count < threshold}
    secondary: set[int] = set()
    total = sum(counts)
    total_hidden = 0 < total < threshold
    while not total_hidden and _recoverable(counts, primary, secondary, threshold):
        candidates = sorted(
            (count, i)
            for i, count in enumerate(counts)
            if i not in primary and i not in secondary and count > 0
        )
        if candidates:
            secondary.add(candidates[0][1])
        else:
            total_hidden = True  # nothing left to withhold: the total goes instead
    words = HIDDEN.format(threshold=threshold)
    shown = [
        (label, words if i in primary else WITHHELD if i in secondary else count)
        for i, (label, count) in enumerate(rows)
    ]
    return shown, (words if 0 < total < threshold else WITHHELD if total_hidden else total)


def _recoverable(counts, primary, secondary, threshold) -> bool:
    """Whether some hidden cell has a single value consistent with what is shown."""
    hidden = sorted(primary | secondary)
    if not hidden:
        return False
    remainder = sum(counts) - sum(c for i, c in enumerate(counts) if i not in hidden)
    bounds = {i: (1, threshold - 1) if i in primary else (threshold, remainder) for i in hidden}
    for i in hidden:
        others_low = sum(bounds[j][0] for j in hidden if j != i)
        others_high = sum(bounds[j][1] for j in hidden if j != i)
        low = max(bounds[i][0], remainder - others_high)
        high = min(bounds[i][1], remainder - others_low)
        if low >= high:
            return True
    return False
