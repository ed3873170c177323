x=1
q = rt"\\n{x}"
r = tr"{x}\\q"
