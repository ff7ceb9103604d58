import first
from m import (
    a,
    b,
)
s = """
import not_code
"""
try:
    import weak_crlf
except ImportError:
    pass
import last  # pants: no-infer-dep
import really_last
