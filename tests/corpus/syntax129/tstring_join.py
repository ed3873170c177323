x=1
q = t"{x}" t"{x}"
