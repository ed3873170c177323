# Strings of more than ten bytes that mpy-cross 1.29's qstr pool holds and 1.11's does not:
# 1.29 loads them as qstrs (LOAD_CONST_STRING), 1.11 as str objects.
__all__ = ["Interpolation", "Template", "__template__", "format_spec"]
names = ("interpolations", "string.templatelib", "templatelib", "__complex__")
setattr(x, '__complex__', 100)
# One byte longer: objects in both.
other = ["Interpolationx", "__complex___", "format_specs"]
# Long strings that both pools hold.
known = ["NotImplementedError", "__build_class__", "StopAsyncIteration"]
