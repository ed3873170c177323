# A viper type error found without -march: 1.11 to 1.19 compile native decorators for the
# host's arch by default (`ViperTypeError`), 1.20 on say `invalid arch` at the decorator.
@micropython.viper
def f():
    z = None
    z **= ...
