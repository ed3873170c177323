from micropython import const
A = const("hello")
