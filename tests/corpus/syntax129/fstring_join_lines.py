x = 2
print(f"{x}"
      f"{x}"  # c
      "z")
y = (f"{x}"
)
