if 1: pass
    x = 1
