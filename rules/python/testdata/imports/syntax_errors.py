import good_before
x = (1,
import after_unclosed_paren
def f(:
    import inside_broken_def
import bad.
import also_good
from a import
from import b
from b import *, c
import $
s = "unterminated
import after_unterminated
y = 1 +
import after_dangling_operator
z = )
from c import (d, e
import after_unclosed_from
""" unterminated triple quote
import after_triple
