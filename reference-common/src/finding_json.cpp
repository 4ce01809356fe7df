#include "omadm/shell/finding_json.hpp"

#include <string>

namespace omadm::shell {

namespace json = boost::json;

json::object finding_json(const session::Finding& f) {
    json::object evidence{{"location", f.evidence.location}, {"detail", f.detail}};
    evidence["msg_id"] = f.evidence.msg_id ? json::value(f.evidence.msg_id->value()) : json::value(nullptr);
    evidence["cmd_id"] = f.evidence.cmd_id ? json::value(f.evidence.cmd_id->value()) : json::value(nullptr);
    return {{"requirement", std::string(f.requirement.id)},
            {"severity", std::string(session::severity_name(f.severity))},
            {"detail", f.detail},
            {"evidence", std::move(evidence)}};
}

} // namespace omadm::shell
