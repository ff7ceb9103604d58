#include "core/build_file/value.h"

#include <cmath>

#include "core/build_file/value_json.h"
#include "gtest/gtest.h"

namespace braid::build_file {
namespace {

TEST(Value, ReprMatchesPython) {
  EXPECT_EQ(Value().Repr(), "None");
  EXPECT_EQ(Value::Bool(true).Repr(), "True");
  EXPECT_EQ(Value::Int(-3).Repr(), "-3");
  EXPECT_EQ(Value::String("a").Repr(), "'a'");
  EXPECT_EQ(Value::String("it's").Repr(), "\"it's\"");
  EXPECT_EQ(Value::String("both ' and \"").Repr(), "'both \\' and \"'");
  EXPECT_EQ(Value::String("tab\there\n\\").Repr(), "'tab\\there\\n\\\\'");
  EXPECT_EQ(Value::String(std::string("\x01", 1)).Repr(), "'\\x01'");
  EXPECT_EQ(Value::String("héllo").Repr(), "'héllo'");
  EXPECT_EQ(Value::List({Value::Int(1), Value::String("x")}).Repr(), "[1, 'x']");
  EXPECT_EQ(Value::Tuple({Value::Int(1)}).Repr(), "(1,)");
  EXPECT_EQ(Value::Tuple().Repr(), "()");
  EXPECT_EQ(Value::Set().Repr(), "set()");
  EXPECT_EQ(Value::Set({Value::Int(2), Value::Int(1), Value::Int(2)}).Repr(), "{2, 1}");
  EXPECT_EQ(Value::Dict({{Value::String("a"), Value::Int(1)}}).Repr(), "{'a': 1}");
  EXPECT_EQ(Value::Dict().Repr(), "{}");
}

TEST(Value, FloatReprMatchesPython) {
  EXPECT_EQ(PythonFloatRepr(1.0), "1.0");
  EXPECT_EQ(PythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(PythonFloatRepr(1.5e-5), "1.5e-05");
  EXPECT_EQ(PythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(123.456), "123.456");
  EXPECT_EQ(PythonFloatRepr(-2.5), "-2.5");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatRepr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(PythonFloatRepr(INFINITY), "inf");
  EXPECT_EQ(PythonFloatRepr(NAN), "nan");
  EXPECT_EQ(PythonFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(Value, StrLeavesStringsUnquoted) {
  EXPECT_EQ(Value::String("a").Str(), "a");
  EXPECT_EQ(Value::List({Value::String("a")}).Str(), "['a']");
  EXPECT_EQ(Value::Float(2).Str(), "2.0");
}

TEST(Value, EqualsIsNumericAndDeep) {
  EXPECT_TRUE(Value::Int(1).Equals(Value::Float(1.0)));
  EXPECT_TRUE(Value::Bool(true).Equals(Value::Int(1)));
  EXPECT_FALSE(Value::Int(1).Equals(Value::String("1")));
  EXPECT_TRUE(Value::List({Value::Int(1)}).Equals(Value::List({Value::Float(1)})));
  EXPECT_FALSE(Value::List({Value::Int(1)}).Equals(Value::Tuple({Value::Int(1)})));
  EXPECT_TRUE(Value::Set({Value::Int(1), Value::Int(2)}).Equals(Value::Set({Value::Int(2), Value::Int(1)})));
  Value a = Value::Dict({{Value::String("x"), Value::Int(1)}, {Value::String("y"), Value::Int(2)}});
  Value b = Value::Dict({{Value::String("y"), Value::Int(2)}, {Value::String("x"), Value::Int(1)}});
  EXPECT_TRUE(a.Equals(b));
  EXPECT_TRUE(Value().Equals(Value()));
  EXPECT_FALSE(Value::Float(NAN).Equals(Value::Float(NAN)));
}

TEST(Value, TruthyAndTypeName) {
  EXPECT_FALSE(Value().Truthy());
  EXPECT_FALSE(Value::String("").Truthy());
  EXPECT_TRUE(Value::String("x").Truthy());
  EXPECT_FALSE(Value::List().Truthy());
  EXPECT_FALSE(Value::Float(0.0).Truthy());
  EXPECT_TRUE(Value::Tuple({Value()}).Truthy());
  EXPECT_EQ(Value().TypeName(), "NoneType");
  EXPECT_EQ(Value::Set().TypeName(), "set");
  EXPECT_EQ(Value::Dict().TypeName(), "dict");
  auto obj = std::make_shared<HostObject>();
  obj->type_name = "python_artifact";
  obj->kwargs.emplace_back("name", Value::String("x"));
  EXPECT_EQ(Value::Object(obj).TypeName(), "python_artifact");
  EXPECT_EQ(Value::Object(obj).Repr(), "python_artifact(name='x')");
}

TEST(Value, ContainersAreSharedAndMutable) {
  Value l = Value::List();
  Value alias = l;
  l.mutable_items().push_back(Value::Int(1));
  EXPECT_EQ(alias.Repr(), "[1]");
  Value d = Value::Dict();
  d.DictSet(Value::String("k"), Value::Int(1));
  d.DictSet(Value::String("k"), Value::Int(2));
  EXPECT_EQ(d.Repr(), "{'k': 2}");
  ASSERT_NE(d.DictGet(Value::String("k")), nullptr);
  EXPECT_EQ(d.DictGet(Value::String("z")), nullptr);
  EXPECT_TRUE(d.DictErase(Value::String("k")));
  EXPECT_FALSE(d.DictErase(Value::String("k")));
}

TEST(Value, Hashable) {
  EXPECT_TRUE(Value::Tuple({Value::Int(1), Value::String("a")}).Hashable());
  EXPECT_FALSE(Value::Tuple({Value::List()}).Hashable());
  EXPECT_FALSE(Value::Dict().Hashable());
  // Functions hash by identity (target types are __defaults__ keys).
  EXPECT_TRUE(Value::Native("f", nullptr).Hashable());
}

TEST(Value, CallArgsFind) {
  CallArgs a;
  a.keyword.emplace_back("name", Value::String("x"));
  ASSERT_NE(a.Find("name"), nullptr);
  EXPECT_EQ(a.Find("name")->Str(), "x");
  EXPECT_EQ(a.Find("other"), nullptr);
}


TEST(ValueJson, MapsEveryKind) {
  json::WriteOptions one_line;
  one_line.indent = -1;
  one_line.item_separator = ", ";
  std::vector<Value> items = {Value::None(), Value::Bool(true), Value::Int(3),
                              Value::String("s")};
  EXPECT_EQ(json::Write(ValueToJson(Value::List(items)), one_line), "[null, true, 3, \"s\"]");
  EXPECT_EQ(json::Write(ValueToJson(Value::Tuple({Value::Int(1)})), one_line), "[1]");
}

}  // namespace
}  // namespace braid::build_file
