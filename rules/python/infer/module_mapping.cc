#include "rules/python/infer/module_mapping.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "rules/python/requirements.h"

namespace braid::python {

namespace {

using Table = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Distributions whose import name is not their project name. Canonical
// (PEP 503) names. Keep sorted; docs/inference.md lists the same table.
const Table& ModuleTable() {
  static const Table* table = new Table{
      {"absl-py", {"absl"}},
      {"ansicolors", {"colors"}},
      {"apache-airflow", {"airflow"}},
      {"attrs", {"attr", "attrs"}},
      {"beautifulsoup4", {"bs4"}},
      {"biopython", {"Bio", "BioSQL"}},
      {"cattrs", {"cattr", "cattrs"}},
      {"delta-spark", {"delta"}},
      {"django-cors-headers", {"corsheaders"}},
      {"djangorestframework", {"rest_framework"}},
      {"djangorestframework-simplejwt", {"rest_framework_simplejwt"}},
      {"dnspython", {"dns"}},
      {"elastic-apm", {"elasticapm"}},
      {"enum34", {"enum"}},
      {"factory-boy", {"factory"}},
      {"faiss-cpu", {"faiss"}},
      {"faiss-gpu", {"faiss"}},
      {"fonttools", {"fontTools"}},
      {"gitpython", {"git"}},
      {"google-api-python-client", {"googleapiclient"}},
      {"google-auth", {"google.auth", "google.oauth2"}},
      {"graphql-core", {"graphql"}},
      {"grpcio", {"grpc"}},
      {"grpcio-health-checking", {"grpc_health"}},
      {"grpcio-reflection", {"grpc_reflection"}},
      {"ipython", {"IPython"}},
      {"kafka-python", {"kafka"}},
      {"lark-parser", {"lark"}},
      {"matplotlib", {"matplotlib", "mpl_toolkits"}},
      {"msgpack-python", {"msgpack"}},
      {"mysql-connector-python", {"mysql.connector"}},
      {"mysqlclient", {"MySQLdb"}},
      {"opencv-contrib-python", {"cv2"}},
      {"opencv-python", {"cv2"}},
      {"opencv-python-headless", {"cv2"}},
      {"opensearch-py", {"opensearchpy"}},
      {"paho-mqtt", {"paho"}},
      {"pillow", {"PIL"}},
      {"pip-tools", {"piptools"}},
      {"progressbar2", {"progressbar"}},
      {"protobuf", {"google.protobuf"}},
      {"psycopg2-binary", {"psycopg2"}},
      {"pycrypto", {"Crypto"}},
      {"pycryptodome", {"Crypto"}},
      {"pycryptodomex", {"Cryptodome"}},
      {"pygithub", {"github"}},
      {"pygobject", {"gi"}},
      {"pyhamcrest", {"hamcrest"}},
      {"pyjwt", {"jwt"}},
      {"pymongo", {"bson", "gridfs", "pymongo"}},
      {"pymupdf", {"fitz"}},
      {"pynacl", {"nacl"}},
      {"pyopenssl", {"OpenSSL"}},
      {"pypdf2", {"PyPDF2"}},
      {"pyserial", {"serial"}},
      {"pysocks", {"socks"}},
      {"pytest", {"pytest", "_pytest"}},
      {"pytest-runner", {"ptr"}},
      {"python-dateutil", {"dateutil"}},
      {"python-dotenv", {"dotenv"}},
      {"python-jose", {"jose"}},
      {"python-json-logger", {"pythonjsonlogger"}},
      {"python-levenshtein", {"Levenshtein"}},
      {"python-magic", {"magic"}},
      {"python-multipart", {"multipart"}},
      {"pywavelets", {"pywt"}},
      {"pyyaml", {"yaml"}},
      {"pyzmq", {"zmq"}},
      {"ruamel-yaml", {"ruamel.yaml"}},
      {"scikit-image", {"skimage"}},
      {"scikit-learn", {"sklearn"}},
      {"setuptools", {"easy_install", "pkg_resources", "setuptools"}},
      {"snowflake-connector-python", {"snowflake.connector"}},
      {"sseclient-py", {"sseclient"}},
      {"strawberry-graphql", {"strawberry"}},
      {"typing-extensions", {"typing_extensions"}},
      {"websocket-client", {"websocket"}},
  };
  return *table;
}

// Stub distributions whose module is not what the name patterns give.
const Table& StubTable() {
  static const Table* table = new Table{
      {"djangorestframework-types", {"rest_framework"}},
      {"lark-stubs", {"lark"}},
      {"types-beautifulsoup4", {"bs4"}},
      {"types-pillow", {"PIL"}},
      {"types-protobuf", {"google.protobuf"}},
      {"types-pycrypto", {"Crypto"}},
      {"types-pyopenssl", {"OpenSSL"}},
      {"types-python-dateutil", {"dateutil"}},
      {"types-pyyaml", {"yaml"}},
      {"types-setuptools", {"easy_install", "pkg_resources", "setuptools"}},
  };
  return *table;
}

const std::vector<std::string>* Find(const Table& table, absl::string_view name) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const auto& entry, absl::string_view n) { return entry.first < n; });
  if (it == table.end() || it->first != name) return nullptr;
  return &it->second;
}

std::string Underscored(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"-", "_"}, {".", "_"}});
}

}  // namespace

const Table& DefaultModuleTable() { return ModuleTable(); }
const Table& DefaultStubModuleTable() { return StubTable(); }

ProvidedModules DefaultModulesForProject(absl::string_view raw_name) {
  std::string name = CanonicalProjectName(raw_name);
  ProvidedModules out;
  // 1. Type stubs.
  if (const std::vector<std::string>* m = Find(StubTable(), name)) {
    return ProvidedModules{*m, true};
  }
  for (absl::string_view prefix : {"types-", "stubs-"}) {
    if (absl::StartsWith(name, prefix) && name.size() > prefix.size()) {
      return ProvidedModules{{Underscored(absl::string_view(name).substr(prefix.size()))}, true};
    }
  }
  for (absl::string_view suffix : {"-stubs", "-types"}) {
    if (absl::EndsWith(name, suffix) && name.size() > suffix.size()) {
      return ProvidedModules{
          {Underscored(absl::string_view(name).substr(0, name.size() - suffix.size()))}, true};
    }
  }
  // 2. The default table.
  if (const std::vector<std::string>* m = Find(ModuleTable(), name)) {
    return ProvidedModules{*m, false};
  }
  // 3. Name patterns.
  absl::string_view n = name;
  if (absl::StartsWith(n, "azure-") && n.size() > 6) {
    return ProvidedModules{{absl::StrReplaceAll(n, {{"-", "."}})}, false};
  }
  if (absl::StartsWith(n, "google-cloud-") && n.size() > 13) {
    return ProvidedModules{
        {absl::StrCat("google.cloud.", absl::StrReplaceAll(n.substr(13), {{"-", ""}}))}, false};
  }
  if (absl::StartsWith(n, "opentelemetry-instrumentation-") && n.size() > 30) {
    return ProvidedModules{
        {absl::StrCat("opentelemetry.instrumentation.", Underscored(n.substr(30)))}, false};
  }
  if (absl::StartsWith(n, "oslo-") && n.size() > 5) return ProvidedModules{{Underscored(n)}, false};
  if (absl::StartsWith(n, "django-") && n.size() > 7) {
    return ProvidedModules{{Underscored(n.substr(7))}, false};
  }
  if (absl::StartsWith(n, "python-") && n.size() > 7) {
    return ProvidedModules{{Underscored(n.substr(7))}, false};
  }
  // 4. The project name itself.
  return ProvidedModules{{Underscored(n)}, false};
}

}  // namespace braid::python
