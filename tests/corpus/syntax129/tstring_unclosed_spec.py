x = 1
y = t"{x:{x}"
