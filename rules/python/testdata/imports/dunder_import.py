__import__("pkg_resources")
__import__('single.quoted')
__import__(b"bytes_arg")
__import__(u"unicode_prefix")
__import__(f"fstring_plain")
__import__(f"fstring_{field}")
__import__("concat" ".enated")
__import__(
    "multi"
    ".line"
)
__import__("trailing_comma",)
__import__("two", "args")
__import__("with_kw", level=0)
__import__(name)
obj.__import__("attribute_call")
x = [__import__("nested_in_list")]
