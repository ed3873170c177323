a = {}
b = a[*c]
