#include "core/build_file/value_json.h"

namespace braid::build_file {

json::Value ValueToJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNone: return json::Value();
    case Value::Kind::kBool: return json::Value(v.bool_value());
    case Value::Kind::kInt: return json::Value(v.int_value());
    case Value::Kind::kFloat: return json::Value(v.float_value());
    case Value::Kind::kString: return json::Value(v.string_value());
    case Value::Kind::kList:
    case Value::Kind::kTuple:
    case Value::Kind::kSet: {
      json::Value arr = json::Value::MakeArray();
      for (const Value& item : v.items()) arr.Append(ValueToJson(item));
      return arr;
    }
    case Value::Kind::kDict: {
      json::Value obj = json::Value::MakeObject();
      for (const auto& [k, item] : v.dict_items()) obj.Set(k.Str(), ValueToJson(item));
      return obj;
    }
    case Value::Kind::kObject: {
      json::Value obj = json::Value::MakeObject();
      for (const auto& [k, item] : v.object()->kwargs) obj.Set(k, ValueToJson(item));
      return obj;
    }
    case Value::Kind::kFunction: return json::Value(v.Str());
  }
  return json::Value();
}

}  // namespace braid::build_file
