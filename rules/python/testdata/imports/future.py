from __future__ import annotations
from __future__ import (division,
                        print_function)
import __future__
from __future__.sub import x
