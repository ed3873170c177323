if 1:
# c
