"""Reading back the tables of a sheet we wrote."""


def tables(ws) -> list[list[dict]]:
    """Each table of a sheet (caption row, header row, data rows; tables apart by a blank row) as dicts."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    out, i = [], 0
    while i < len(rows):
        if all(v is None for v in rows[i]):
            i += 1
            continue
        header = [h for h in rows[i + 1] if h is not None]
        i += 2
        table = []
        while i < len(rows) and any(v is not None for v in rows[i]):
            table.append(dict(zip(header, rows[i])))
            i += 1
        out.append(table)
    return out
