x = f"{f'''}"
{b}{c!r}'''
)
print(x)
