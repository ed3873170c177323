lambda: __debug__
