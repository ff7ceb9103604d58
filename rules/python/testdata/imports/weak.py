try:
    import weak_plain
except ImportError:
    pass

try:
    import weak_mnf
except ModuleNotFoundError:
    pass

try:
    import weak_tuple
except (ValueError, ImportError) as e:
    import strong_in_handler
else:
    import strong_in_else
finally:
    import strong_in_finally

try:
    import weak_later_handler
except ValueError:
    pass
except ImportError:
    pass

try:
    import weak_list
except [ImportError]:
    pass

try:
    import weak_set
except {ModuleNotFoundError, KeyError}:
    pass

try:
    import strong_other_error
except (ValueError, KeyError):
    pass

try:
    import strong_bare_except
except:
    pass

try:
    import strong_attribute
except errors.ImportError:
    pass

try:
    try:
        import weak_nested_inner
    except ValueError:
        pass
    import weak_nested_after
    def helper():
        import weak_in_nested_function
except ImportError:
    pass

try: import weak_one_line
except ImportError: import strong_one_line

try:
    import weak_star
except* ImportError:
    pass

with suppress(ImportError):
    import weak_suppress
import strong_after_suppress

with contextlib.suppress(KeyError, ModuleNotFoundError):
    from weak_contextlib import thing

with contextlib.suppress(KeyError):
    import strong_suppress_other

with open("f") as f, suppress(ImportError) as s:
    import weak_second_item

with (suppress(ImportError), open("f")):
    import weak_parenthesised_items

with suppress(ImportError): import weak_inline_suppress

with other.contextlib.suppress(ImportError):
    import strong_not_contextlib

import dup_strong_later_wins
try:
    import dup_strong_later_wins
    import dup_weak_then_strong
except ImportError:
    pass
import dup_weak_then_strong

try:
    __import__("weak_dunder")
except ImportError:
    pass
