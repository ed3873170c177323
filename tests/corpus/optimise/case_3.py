while __debug__:
    break
