assert (yield)
