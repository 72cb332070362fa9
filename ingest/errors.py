"""Errors the readers raise for input they cannot use."""


class UnreadableInput(ValueError):
    """A file that cannot be turned into text or rows; the message is one line naming why.

    Retrying does not help: the bytes themselves are the problem.
    """
