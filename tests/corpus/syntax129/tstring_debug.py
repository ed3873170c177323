x=1
y = t"{x=}"
z = t"{x = }"
