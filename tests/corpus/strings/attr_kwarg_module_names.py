x = "attribute_name_long"
y.attribute_name_long = 1
z = "kwarg_name_long_x"
f(kwarg_name_long_x=1)
import module_name_long_x
w = "module_name_long_x"
