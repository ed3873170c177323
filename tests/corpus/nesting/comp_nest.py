x = [[[[[[[[[[y for y in z] for y in z] for y in z] for y in z] for y in z] for y in z] for y in z] for y in z] for y in z] for y in z]
