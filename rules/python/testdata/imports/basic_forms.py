"""Every import statement form; nothing here is weak."""
import os
import a.b as c
import d, e.f as g, h
from m import x, y as z
from m.n import (
    p,
    q as r,
    s,
)
from star.module import *
from . import sibling
from .pkg import thing
from .. import parent_thing
from ..up.mod import name as alias
from ... import three
from .... import four
from . import *
from .. import *
import os  # a duplicate: one record, first line

def f():
    import in_function

class C:
    import in_class

    def method(self):
        from in_method import value

if True:
    import in_if
elif False:
    import in_elif
else:
    import in_else

while False:
    import in_while

for _ in ():
    import in_for

with open(__file__) as fh:
    import in_with

async def g():
    async with ctx() as v:
        import in_async_with

match os.name:
    case "posix":
        import in_case
    case _:
        pass

if True: import inline_if; import after_semicolon
x = 1; import after_assignment
lambda_value = lambda: 0
try:
    import in_try_no_import_error
except ValueError:
    import in_handler
else:
    import in_else_clause
finally:
    import in_finally
import   spaced . dotted . name
from   spaced_from   import   (  a1  ,  b1  )
