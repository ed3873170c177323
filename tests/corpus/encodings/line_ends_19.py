x = """a\
b"""
return
