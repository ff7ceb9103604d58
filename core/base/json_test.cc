#include "core/base/json.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace braid::json {
namespace {

// The expected strings below are what CPython 3.x prints for the same data with
// json.dumps(..., indent=2) (Pants' `peek` formatting) unless stated otherwise.

Value PeekLikeTarget() {
  Value t = Value::MakeObject();
  t.Set("address", "src/app:app");
  t.Set("target_type", "python_sources");
  t.Set("dependencies", Value::MakeArray({"src/lib:lib", "3rdparty:requests"}));
  t.Set("description", nullptr);
  t.Set("skip_mypy", false);
  t.Set("tags", Value::MakeArray());
  t.Set("overrides", Value::MakeObject());
  return t;
}

TEST(JsonWrite, IndentTwoMatchesPythonJsonDumps) {
  EXPECT_EQ(Write(Value::MakeArray({PeekLikeTarget()})),
            "[\n"
            "  {\n"
            "    \"address\": \"src/app:app\",\n"
            "    \"target_type\": \"python_sources\",\n"
            "    \"dependencies\": [\n"
            "      \"src/lib:lib\",\n"
            "      \"3rdparty:requests\"\n"
            "    ],\n"
            "    \"description\": null,\n"
            "    \"skip_mypy\": false,\n"
            "    \"tags\": [],\n"
            "    \"overrides\": {}\n"
            "  }\n"
            "]");
}

TEST(JsonWrite, PythonDefaultAndCompactSeparators) {
  Value v = Value::MakeObject();
  v.Set("a", Value::MakeArray({1, 2.5, true}));
  v.Set("b", "x");
  // json.dumps(v)
  EXPECT_EQ(Write(v, PythonDefaultOptions()), "{\"a\": [1, 2.5, true], \"b\": \"x\"}");
  // json.dumps(v, separators=(",", ":"))
  EXPECT_EQ(Write(v, CompactOptions()), "{\"a\":[1,2.5,true],\"b\":\"x\"}");
  // json.dumps(v, indent=4)
  EXPECT_EQ(Write(v, PythonIndentOptions(4)),
            "{\n    \"a\": [\n        1,\n        2.5,\n        true\n    ],\n    \"b\": \"x\"\n}");
}

TEST(JsonWrite, ScalarsAtTopLevel) {
  EXPECT_EQ(Write(Value()), "null");
  EXPECT_EQ(Write(Value(true)), "true");
  EXPECT_EQ(Write(Value(-42)), "-42");
  EXPECT_EQ(Write(Value(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(Write(Value(size_t{7})), "7");
  EXPECT_EQ(Write(Value("s")), "\"s\"");
  EXPECT_EQ(Write(Value::MakeArray()), "[]");
  EXPECT_EQ(Write(Value::MakeObject()), "{}");
}

TEST(JsonWrite, EscapesLikeEnsureAscii) {
  // json.dumps('q"b\\s/\n\r\t\b\f\x01\x1f\x7f')
  EXPECT_EQ(QuoteString("q\"b\\s/\n\r\t\b\f\x01\x1f\x7f"),
            "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"");
  // json.dumps('é€😀') -> "\u00e9\u20ac\ud83d\ude00"
  EXPECT_EQ(QuoteString("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            "\"\\u00e9\\u20ac\\ud83d\\ude00\"");
  EXPECT_EQ(QuoteString(absl::string_view("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonWrite, EnsureAsciiFalseKeepsUtf8) {
  // json.dumps('é\x7f\n', ensure_ascii=False) -> "é\x7f\n" with only \n escaped
  EXPECT_EQ(QuoteString("\xC3\xA9\x7f\n", /*ensure_ascii=*/false), "\"\xC3\xA9\x7f\\n\"");
  WriteOptions o;
  o.ensure_ascii = false;
  EXPECT_EQ(Write(Value::MakeArray({"\xE2\x82\xAC"}), o), "[\n  \"\xE2\x82\xAC\"\n]");
}

TEST(JsonWrite, InvalidUtf8BecomesReplacementCharacter) {
  // Lone continuation byte, truncated sequence, overlong '/', encoded surrogate.
  EXPECT_EQ(QuoteString("a\x80z"), "\"a\\ufffdz\"");
  EXPECT_EQ(QuoteString("\xE2\x82"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(QuoteString("\xC0\xAF"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(QuoteString("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(QuoteString("\xFF", /*ensure_ascii=*/false), "\"\xEF\xBF\xBD\"");
}

TEST(JsonWrite, DoublesLikePythonRepr) {
  EXPECT_EQ(FormatDouble(0.0), "0.0");
  EXPECT_EQ(FormatDouble(-0.0), "-0.0");
  EXPECT_EQ(FormatDouble(1.0), "1.0");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(2.5), "2.5");
  EXPECT_EQ(FormatDouble(-123.456), "-123.456");
  EXPECT_EQ(FormatDouble(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatDouble(1e16), "1e+16");
  EXPECT_EQ(FormatDouble(1.5e16), "1.5e+16");
  EXPECT_EQ(FormatDouble(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
  EXPECT_EQ(FormatDouble(1.5e-7), "1.5e-07");
  EXPECT_EQ(FormatDouble(1e300), "1e+300");
  EXPECT_EQ(FormatDouble(5e-324), "5e-324");
  EXPECT_EQ(FormatDouble(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(FormatDouble(std::nan("")), "NaN");
  EXPECT_EQ(FormatDouble(HUGE_VAL), "Infinity");
  EXPECT_EQ(FormatDouble(-HUGE_VAL), "-Infinity");
}

TEST(JsonValue, SetReplacesInPlaceAndSortKeysIsRecursive) {
  Value v = Value::MakeObject();
  v.Set("b", 1);
  v.Set("a", Value::MakeArray({Value::MakeObject()}));
  v.Set("b", 2);  // keeps its first position, like a dict
  v.members()[1].second.array()[0].Set("z", 0);
  v.members()[1].second.array()[0].Set("y", 0);
  EXPECT_EQ(Write(v, CompactOptions()), "{\"b\":2,\"a\":[{\"z\":0,\"y\":0}]}");
  v.SortKeys();
  EXPECT_EQ(Write(v, CompactOptions()), "{\"a\":[{\"y\":0,\"z\":0}],\"b\":2}");
  ASSERT_NE(v.Find("b"), nullptr);
  EXPECT_EQ(v.Find("b")->as_int(), 2);
  EXPECT_EQ(v.Find("c"), nullptr);
  EXPECT_EQ(Value(3).Find("b"), nullptr);
}

TEST(JsonValue, SortKeysUsesCodePointOrder) {
  Value v = Value::MakeObject();
  v.Set("\xC3\xA9", 1);  // é U+00E9
  v.Set("z", 2);
  v.Set("Z", 3);
  v.SortKeys();
  EXPECT_EQ(Write(v, CompactOptions()), "{\"Z\":3,\"z\":2,\"\\u00e9\":1}");
}

TEST(JsonParse, RoundTripsWriterOutput) {
  Value original = Value::MakeArray({PeekLikeTarget(), 1.5, -7, "\xF0\x9F\x98\x80\n"});
  for (const WriteOptions& o : {WriteOptions(), CompactOptions(), PythonDefaultOptions()}) {
    absl::StatusOr<Value> parsed = Parse(Write(original, o));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, original);
  }
}

TEST(JsonParse, NumbersStringsAndPythonExtensions) {
  absl::StatusOr<Value> v =
      Parse(" [0, -1, 9223372036854775807, 9223372036854775808, 1e2, 0.5, 1e999,"
            " NaN, -Infinity, \"\\u00e9\\ud83d\\ude00\\/\\ud800\"] ");
  ASSERT_TRUE(v.ok()) << v.status();
  const Array& a = v->array();
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a[0].kind(), Value::Kind::kInt);
  EXPECT_EQ(a[1].as_int(), -1);
  EXPECT_EQ(a[2].as_int(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(a[3].kind(), Value::Kind::kDouble);
  EXPECT_EQ(a[3].as_double(), 9223372036854775808.0);
  EXPECT_EQ(a[4].as_double(), 100.0);
  EXPECT_EQ(a[5].as_double(), 0.5);
  EXPECT_TRUE(std::isinf(a[6].as_double()));
  EXPECT_TRUE(std::isnan(a[7].as_double()));
  EXPECT_EQ(a[8].as_double(), -HUGE_VAL);
  EXPECT_EQ(a[9].as_string(), "\xC3\xA9\xF0\x9F\x98\x80/\xEF\xBF\xBD");
}

TEST(JsonParse, DuplicateKeysKeepLastValueAtFirstPosition) {
  absl::StatusOr<Value> v = Parse("{\"a\": 1, \"b\": 2, \"a\": 3}");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Write(*v, CompactOptions()), "{\"a\":3,\"b\":2}");
}

TEST(JsonParse, ErrorsAreLocatedUserErrors) {
  absl::StatusOr<Value> v = Parse("{\n  \"a\": [1, 2,]\n}", "trace.json");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(v.status().message(),
            "trace.json:2:14: expecting value\n"
            "      \"a\": [1, 2,]\n"
            "                 ^");
}

TEST(JsonParse, RejectsMalformedInputWithoutCrashing) {
  for (absl::string_view bad :
       {"", "[", "{", "{\"a\"}", "{\"a\":}", "[1 2]", "01", "1.", "-", "1e", "tru",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "{1: 2}", "[1] x", "\"\\"}) {
    EXPECT_FALSE(Parse(bad).ok()) << "accepted: " << bad;
  }
  EXPECT_FALSE(Parse(std::string(5000, '[')).ok());  // depth limit, no stack overflow
}

}  // namespace
}  // namespace braid::json
