import a
import a.b.c
import a.b.c as d
from a import b, c as d
from a.b import (c, d,)
from . import x
from .. import y
from .mod import z
from ...pkg.mod import w as v
from a import *
import micropython
from micropython import const, native
