if 1:
    if 2:
        x = 1
  y = 2
