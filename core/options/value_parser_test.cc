#include "core/options/value_parser.h"

#include "gtest/gtest.h"

namespace braid::options {
namespace {

std::vector<std::string> Apply(std::vector<std::string> start, absl::string_view text) {
  absl::StatusOr<std::vector<ListEdit>> edits = ParseStringListEdits(text);
  EXPECT_TRUE(edits.ok()) << edits.status();
  OptionValue::List list = OptionValue::StringList(start).list();
  if (edits.ok()) ApplyListEdits(*edits, &list);
  return OptionValue::OfList(list).Strings();
}

TEST(ValueParser, LiteralScalarsAndContainers) {
  EXPECT_EQ(*ParseLiteral("'a\\'b'"), OptionValue::String("a'b"));
  EXPECT_EQ(*ParseLiteral("\"x\\ny\""), OptionValue::String("x\ny"));
  EXPECT_EQ(*ParseLiteral(" 42 "), OptionValue::Int(42));
  EXPECT_EQ(*ParseLiteral("-1_000"), OptionValue::Int(-1000));
  EXPECT_EQ(*ParseLiteral("1.5"), OptionValue::Float(1.5));
  EXPECT_EQ(*ParseLiteral("True"), OptionValue::Bool(true));
  EXPECT_EQ(*ParseLiteral("false"), OptionValue::Bool(false));
  EXPECT_EQ(*ParseLiteral("None"), OptionValue::None());
  EXPECT_EQ(ParseLiteral("['a', (1, 2), {'k': [True]},]")->ToPython(),
            "['a', [1, 2], {'k': [True]}]");
}

TEST(ValueParser, LiteralErrorsNameColumn) {
  absl::StatusOr<OptionValue> v = ParseLiteral("['a' 'b']");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(),
            "expected ',' or ']' at column 6 but found ''' in \"['a' 'b']\"");
  EXPECT_EQ(ParseLiteral("{'a': }").status().message(),
            "expected a value (a quoted string, number, True/False, None, list or dict) at column 7 "
            "but found '}' in \"{'a': }\"");
  EXPECT_FALSE(ParseLiteral("'open").ok());
}

TEST(ValueParser, Scalars) {
  EXPECT_TRUE(*ParseBool("TRUE"));
  EXPECT_FALSE(*ParseBool("False"));
  EXPECT_FALSE(ParseBool("yes").ok());
  EXPECT_EQ(*ParseInt("+17"), 17);
  EXPECT_FALSE(ParseInt("17.0").ok());
  EXPECT_FALSE(ParseInt("abc").ok());
  EXPECT_FALSE(ParseInt("99999999999999999999").ok());
  EXPECT_EQ(*ParseFloat("3"), 3.0);
  EXPECT_EQ(*ParseFloat("2.5e1"), 25.0);
  EXPECT_FALSE(ParseFloat("x").ok());
}

TEST(ValueParser, ListReplaceAddRemove) {
  EXPECT_EQ(Apply({"x"}, "['a', \"b\"]"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Apply({"x"}, "('a',)"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Apply({"1", "2"}, "+['3','4']"), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(Apply({"1", "2"}, "-['1'],+['3','4']"), (std::vector<std::string>{"2", "3", "4"}));
  EXPECT_EQ(Apply({"1", "2", "1"}, "-['1']"), (std::vector<std::string>{"2"}));
  EXPECT_EQ(Apply({}, "+[], -['nope']"), (std::vector<std::string>{}));
}

TEST(ValueParser, BareValueIsOneAppendedItem) {
  // Pants: no brackets means "append this one item"; commas are not split.
  EXPECT_EQ(Apply({"x"}, "a,b"), (std::vector<std::string>{"x", "a,b"}));
  EXPECT_EQ(Apply({"x"}, "-integration"), (std::vector<std::string>{"x", "-integration"}));
  EXPECT_EQ(Apply({}, "+type_checked,skip_lint"),
            (std::vector<std::string>{"+type_checked,skip_lint"}));
}

TEST(ValueParser, ListErrors) {
  EXPECT_EQ(ParseStringListEdits("[1, 2]").status().message(),
            "expected a list of quoted strings, got [1, 2] (item 1 is not a string)");
  EXPECT_EQ(ParseStringListEdits("+['a'] x").status().message(),
            "expected ',' between list edits at column 8 but found 'x' in \"+['a'] x\"");
  EXPECT_FALSE(ParseStringListEdits("").ok());
  EXPECT_FALSE(ParseStringListEdits("['a'").ok());
}

TEST(ValueParser, DictReplaceAndMerge) {
  OptionValue::Dict d = {{"foo", OptionValue::Int(1)}, {"bar", OptionValue::Int(2)}};
  absl::StatusOr<DictEdit> merge = ParseDictEdit("+{'foo': 42, 'baz': 3}");
  ASSERT_TRUE(merge.ok()) << merge.status();
  EXPECT_EQ(merge->action, DictEdit::Action::kAdd);
  ApplyDictEdit(*merge, &d);
  EXPECT_EQ(OptionValue::OfDict(d).ToPython(), "{'foo': 42, 'bar': 2, 'baz': 3}");
  absl::StatusOr<DictEdit> replace = ParseDictEdit("{'x': 'y'}");
  ASSERT_TRUE(replace.ok());
  ApplyDictEdit(*replace, &d);
  EXPECT_EQ(OptionValue::OfDict(d).ToPython(), "{'x': 'y'}");
  EXPECT_EQ(ParseDictEdit("[1]").status().message(),
            "expected a dict literal \"{'key': value}\" or \"+{...}\" at column 1 but found '[' in \"[1]\"");
  EXPECT_FALSE(ParseDictEdit("{1: 2}").ok());
}

}  // namespace
}  // namespace braid::options
