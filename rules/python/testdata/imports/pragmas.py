import dropped  # pants: no-infer-dep
import kept
import dropped_alias as alias  # pants: no-infer-dep
import a_dropped, b_dropped  # pants: no-infer-dep
from m import (
    m_kept,
    m_dropped,  # pants: no-infer-dep
    m_kept_too,
)
from n import (
    n_dropped_all_1,
    n_dropped_all_2
)  # pants: no-infer-dep
from o import (
    o_dropped
    as o_alias,  # pants: no-infer-dep
)
from p import \
    p_dropped  # pants: no-infer-dep
from q import (q_dropped,  # braid: no-infer-dep
    q_kept)
import not_a_pragma  # pants no-infer-dep (missing colon)
import also_dropped  #pants:no-infer-dep (braid also accepts no spaces)
# pants: no-infer-dep
import kept_pragma_on_previous_line
__import__("dunder_dropped")  # pants: no-infer-dep
__import__(  # pants: no-infer-dep
    "dunder_dropped_open_line"
)
if True:
    import nested_dropped  # pants: no-infer-dep
    import nested_kept
# pants: infer-dep(src/python/extra:lib)
import x  # pants: infer-dep(//:root) because dynamic
# pants: infer-dep()
