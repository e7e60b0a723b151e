"""Small-number suppression for anonymised exports (a common statistical disclosure rule:
counts from 1 to 5 are shown as "fewer than 6"), with secondary suppression so that a hidden
cell cannot be worked out from the total."""

HIDDEN = "fewer than {threshold}"


def suppress(rows: list[tuple[str, int]], *, threshold: int = 6) -> tuple[list, str]:
    """Rows of (label, count) → rows of (label, shown) and the total as shown.

    Primary: 0 < count < threshold is hidden. Secondary: if exactly one cell is hidden, the
    smallest other non-zero cell is hidden too, so the total minus the shown cells cannot reveal
    it; if the total itself is small it is hidden as well."""
    hidden = {i for i, (_, count) in enumerate(rows) if 0 < count < threshold}
    if len(hidden) == 1:
        others = sorted(
            (count, i) for i, (_, count) in enumerate(rows) if i not in hidden and count > 0
        )
        if others:
            hidden.add(others[0][1])
    words = HIDDEN.format(threshold=threshold)
    shown = [(label, words if i in hidden else count) for i, (label, count) in enumerate(rows)]
    total = sum(count for _, count in rows)
    return shown, (words if 0 < total < threshold else total)
