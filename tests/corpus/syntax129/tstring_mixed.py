x = 1
y = t'{x}' f'{x}' 'z'
