x = "maximum recursion depth exceeded"
y = b"maximum recursion depth exceeded"
z = "maximum recursion depth exceededX"
