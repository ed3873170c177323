f = 1
rf = 2
fr = 3
print(f, rf, fr)
