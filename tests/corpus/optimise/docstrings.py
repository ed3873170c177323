"""Module docstring."""
def f():
    """Function docstring that is longer than ten bytes."""
    return 1
class C:
    """Class doc."""
    x = 1
