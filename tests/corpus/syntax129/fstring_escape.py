x = 1
print(f"\x41{x}\n\u00e9")
