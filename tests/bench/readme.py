"""The README's bench table is the last run's: the bench writes its block
between two markers in README.md's "Measured" section and touches
nothing else. A README without both markers, in order, is refused (and
left as it was) rather than guessed at.
"""

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


class MarkersMissing(ValueError):
    """The README lacks a marker, or has them out of order or twice."""


def replace_block(text, block):
    """text with what lies between the markers replaced by block."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise MarkersMissing(f"want one {BEGIN} and one {END}")
    head, rest = text.split(BEGIN)
    if END not in rest:
        raise MarkersMissing(f"{END} comes before {BEGIN}")
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{block.strip()}\n{END}{tail}"


def rewrite(path, block):
    """Writes block between the markers of the file at path."""
    text = path.read_text()
    path.write_text(replace_block(text, block))
