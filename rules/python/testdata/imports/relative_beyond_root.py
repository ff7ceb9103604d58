# Resolved as if this file were pkg/sub/mod.py (two directories deep).
from . import one_dot
from .. import two_dots
from ... import three_dots_beyond_root
from ....deep import four_dots_beyond_root
from .. import *
